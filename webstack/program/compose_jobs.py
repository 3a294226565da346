"""Wiring of webstack:jobs: one ScheduledJob per job, running its service's task definition."""

from __future__ import annotations

import pulumi

from components import FargateApi, JobRetries, ScheduledJob, ScheduledJobArgs, SecureVpc
from webstack.program.config import StackConfig


def build_jobs(
    config: StackConfig,
    *,
    api: FargateApi,
    vpc: SecureVpc,
    alert_topic_arn: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> None:
    """Each job runs in its service's private subnets and security group, with the service's
    current task definition revision and its two roles (the config checks make sure the service
    exists). Exports each job's dead-letter queue URL."""
    jobs: dict[str, ScheduledJob] = {}
    for name, job in config.jobs.items():
        service = api.services[job.service]
        jobs[name] = ScheduledJob(
            f"{name}-job",
            ScheduledJobArgs(
                name_prefix=config.name_prefix,
                job=name,
                cluster_arn=api.cluster_arn,
                task_definition_arn=service.task_definition.arn,
                task_definition_family=service.task_definition.family,
                passed_role_arns=[service.execution_role.arn, service.task_role.arn],
                subnet_ids=vpc.private_subnet_ids,
                security_group_ids=[api.task_security_group_id],
                command=job.command,
                schedule=job.schedule,
                timezone=job.timezone,
                enabled=job.enabled,
                retries=JobRetries(job.retries.maximum_attempts, job.retries.maximum_event_age_seconds),
                alarm_actions=[alert_topic_arn],
            ),
            opts,
        )
    if jobs:
        pulumi.export("jobDeadLetterQueues", {name: job.dead_letter_queue_url for name, job in jobs.items()})
