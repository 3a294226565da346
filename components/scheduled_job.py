"""A command that runs on a schedule as a one-off task of an ECS Fargate service (EventBridge Scheduler)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from .alarms import create_alarms
from .api_settings import CONTAINER_NAME
from .aws_context import aws_context
from .dead_letters import dead_letter_queue
from .encryption_key import customer_managed_key
from .job_settings import (
    container_overrides,
    job_alarm_specs,
    run_task_policy,
    schedule_expression_problem,
    time_zone_problem,
)
from .service_role import service_role


@dataclass(frozen=True)
class JobRetries:
    """How hard Scheduler tries to start a run whose RunTask call fails (no Fargate capacity, a
    throttled API) before the run goes to the dead-letter queue."""

    maximum_attempts: int = 3
    """Retries after the first attempt (0-185; Scheduler's own default is 185). Example: 0 for a job that must not
    start late.
    """
    maximum_event_age_seconds: int = 3600
    """Seconds after the scheduled time a run may still start (60-86400; Scheduler's own default is a day).
    Example: 900.
    """


@dataclass(frozen=True)
class ScheduledJobArgs:
    name_prefix: str
    """Prefix of physical names: the schedule and its group are `<prefix>-<job>`, the queue `<prefix>-<job>-dlq`
    (lower-case letters, digits, hyphens). Example: "billing-prod".
    """
    job: str
    """The job's name, part of its resources' names (lower-case letters, digits, hyphens; with the prefix at most
    56 characters). Example: "invoices".
    """
    cluster_arn: pulumi.Input[str]
    """The ECS cluster the task runs on (the service's). Example: api.cluster_arn."""
    task_definition_arn: pulumi.Input[str]
    """The task definition to run: the service's current revision, so the job runs the image the service runs and
    moves with it on every deploy. Example: api.services["worker"].task_definition.arn.
    """
    task_definition_family: pulumi.Input[str]
    """The task definition's family: the role may run any revision of it and no other family. Example:
    worker.task_definition.family.
    """
    passed_role_arns: Sequence[pulumi.Input[str]]
    """The task's execution role and task role: the only roles the schedule's role may pass to ECS. Example:
    [service.execution_role.arn, service.task_role.arn].
    """
    subnet_ids: Sequence[pulumi.Input[str]]
    """Subnets the task runs in, without a public IP (the service's private subnets). Example:
    vpc.private_subnet_ids.
    """
    security_group_ids: Sequence[pulumi.Input[str]]
    """Security groups of the task (the service's, so it reaches what the service reaches). Example:
    [api.task_security_group_id].
    """
    command: Sequence[str]
    """The container's command for this run, replacing the image's CMD (the entrypoint stays). Example:
    ("python", "-m", "billing.jobs.invoices").
    """
    schedule: str
    """When it runs: an EventBridge Scheduler cron(minutes hours day-of-month month day-of-week year) expression,
    with '?' in one day field, or rate(N minutes|hours|days). Example: "cron(0 1 * * ? *)" (01:00 every day).
    """
    timezone: str = "UTC"
    """IANA time zone the cron expression is read in (daylight saving time included). Example: "Europe/Berlin"."""
    enabled: bool = True
    """Whether Scheduler starts runs; off keeps the schedule in place (its DISABLED state). Example: False while a
    job is paused.
    """
    retries: JobRetries = field(default_factory=JobRetries)
    """Scheduler's retry policy for runs that fail to start (JobRetries). Example: JobRetries(0, 900)."""
    container_name: str = CONTAINER_NAME
    """The container whose command is replaced (FargateApi's single container). Example: "app"."""
    alarm_actions: Sequence[pulumi.Input[str]] = ()
    """SNS topic ARNs told when a run fails to start, is given up, or waits in the dead-letter queue. Example:
    [alert_topic.arn].
    """


class ScheduledJob(pulumi.ComponentResource):
    """A command run on a schedule as a one-off Fargate task of an existing service: EventBridge
    Scheduler calls ECS RunTask with the service's task definition, subnets and security group
    (no public IP) and the command as a container override.

    The schedule sits in its own schedule group, so the role Scheduler assumes trusts that group
    only (Scheduler names the group, never the schedule, as the source); the role may run the
    service's task definition family on its cluster only and pass the task its two roles only.
    Runs that cannot be started after the retries go to an SQS dead-letter queue under the job's
    own CMK (which also encrypts the schedule); alarms on failed and given-up runs and on waiting
    dead letters go to the alarm actions.

    Scheduler only starts the task: a run counts as delivered once ECS accepts it, and Scheduler
    never sees the container's exit code or stops a run that takes too long (ECS has no timeout for
    a task either). A job that must finish in time enforces that itself, e.g. with a deadline in
    the application or `timeout 3600 ...` as the command; its exit code and logs are in the
    service's log group.

    Example::

        ScheduledJob("invoices", ScheduledJobArgs(
            name_prefix="billing-prod", job="invoices", cluster_arn=api.cluster_arn,
            task_definition_arn=worker.task_definition.arn, task_definition_family=worker.task_definition.family,
            passed_role_arns=[worker.execution_role.arn, worker.task_role.arn],
            subnet_ids=vpc.private_subnet_ids, security_group_ids=[api.task_security_group_id],
            command=["python", "-m", "billing.jobs.invoices"], schedule="cron(0 1 * * ? *)",
            alarm_actions=[alerts.topic_arn],
        ))

    Cost (cost/prices.csv, us-east-1): the KMS key $1 a month; Scheduler's first 14 million
    invocations a month are free; each run bills its Fargate task for the minutes it runs (0.5 vCPU
    and 1 GiB on ARM64 about $0.02 an hour); SQS and the three alarms ($0.10 each) by use.
    """

    schedule_arn: pulumi.Output[str]
    dead_letter_queue_url: pulumi.Output[str]
    role_arn: pulumi.Output[str]

    def __init__(self, name: str, args: ScheduledJobArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        problems = [
            p
            for p in (
                schedule_expression_problem(args.schedule),
                time_zone_problem(args.timezone),
                None if args.command else "command must name at least one word",
            )
            if p is not None
        ]
        if problems:
            raise ValueError(f"ScheduledJob {name}: {'; '.join(problems)}")
        super().__init__("webstack:compute:ScheduledJob", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        context = aws_context(self)
        identifier = f"{args.name_prefix}-{args.job}"
        key = customer_managed_key(
            f"{name}-key",
            description=f"{identifier}: the job's schedule and dead letters",
            alias=f"{args.name_prefix}/job-{args.job}",
            context=context,
            parent=self,
        )
        queue = dead_letter_queue(f"{name}-dead-letters", name=f"{identifier}-dlq", key=key, parent=self)
        group = aws.scheduler.ScheduleGroup(f"{name}-schedules", name=identifier, opts=child)
        role = service_role(
            f"{name}-scheduler-role",
            service="scheduler.amazonaws.com",
            description=f"Runs the {identifier} job: one task definition family, its two roles, its dead letters",
            # Scheduler names the schedule group as the source, never the schedule; the group
            # holds this job's schedule only.
            source_arn=lambda region, account: f"arn:aws:scheduler:{region}:{account}:schedule-group/{identifier}",
            policy=lambda region, account, cluster, family, queue_arn, key_arn, *roles: run_task_policy(
                region,
                account,
                family=family,
                cluster_arn=cluster,
                passed_role_arns=roles,
                queue_arn=queue_arn,
                key_arn=key_arn,
            ),
            policy_inputs=[args.cluster_arn, args.task_definition_family, queue.arn, key.arn, *args.passed_role_arns],
            context=context,
            parent=self,
        )
        schedule = aws.scheduler.Schedule(
            f"{name}-schedule",
            name=identifier,
            group_name=group.name,
            description=f"Runs the {args.job} job of {args.name_prefix}: {args.schedule} {args.timezone}",
            schedule_expression=args.schedule,
            schedule_expression_timezone=args.timezone,
            flexible_time_window={"mode": "OFF"},
            state="ENABLED" if args.enabled else "DISABLED",
            kms_key_arn=key.arn,
            target={
                "arn": args.cluster_arn,
                "role_arn": role.arn,
                "input": json.dumps(container_overrides(args.container_name, args.command)),
                "retry_policy": {
                    "maximum_retry_attempts": args.retries.maximum_attempts,
                    "maximum_event_age_in_seconds": args.retries.maximum_event_age_seconds,
                },
                "dead_letter_config": {"arn": queue.arn},
                "ecs_parameters": {
                    "task_definition_arn": args.task_definition_arn,
                    "task_count": 1,
                    # On demand even when the service runs on Spot: a run is not worth interrupting.
                    "launch_type": "FARGATE",
                    "platform_version": "LATEST",
                    "network_configuration": {
                        "subnets": list(args.subnet_ids),
                        "security_groups": list(args.security_group_ids),
                        "assign_public_ip": False,
                    },
                },
            },
            opts=child,
        )
        create_alarms(
            f"{name}-alarm",
            job_alarm_specs(identifier, group.name, queue.name),
            args.alarm_actions,
            self,
        )
        self.schedule_arn = schedule.arn
        self.dead_letter_queue_url = queue.url
        self.role_arn = role.arn
        self.register_outputs({"scheduleArn": self.schedule_arn, "deadLetterQueueUrl": self.dead_letter_queue_url})
