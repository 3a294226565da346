"""ScheduledJob under mocks, and the pure parts it is built from."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from components import JobRetries, ScheduledJob, ScheduledJobArgs
from components.job_settings import schedule_expression_problem, time_zone_problem

from .helpers import document, one, render, statements

CLUSTER = "arn:aws:ecs:me-south-1:123456789012:cluster/billing-prod-api"
TASK = "arn:aws:ecs:me-south-1:123456789012:task-definition/billing-prod-worker:7"
EXECUTION = "arn:aws:iam::123456789012:role/worker-execution"
TASK_ROLE = "arn:aws:iam::123456789012:role/worker-task"
TOPIC = "arn:aws:sns:me-south-1:123456789012:alerts"

ARGS = ScheduledJobArgs(
    name_prefix="billing-prod",
    job="invoices",
    cluster_arn=CLUSTER,
    task_definition_arn=TASK,
    task_definition_family="billing-prod-worker",
    passed_role_arns=[EXECUTION, TASK_ROLE],
    subnet_ids=["subnet-a", "subnet-b"],
    security_group_ids=["sg-tasks"],
    command=["python", "-m", "billing.jobs.invoices"],
    schedule="cron(0 1 * * ? *)",
    timezone="Europe/Berlin",
    alarm_actions=[TOPIC],
)


def job_run(**overrides):
    return render(lambda: ScheduledJob("invoices", replace(ARGS, **overrides)), region="me-south-1")


@pytest.fixture(scope="module")
def run():
    return job_run()


def test_schedule_runs_the_service_task_privately_with_the_command(run):
    schedule = one(run, "aws:scheduler/schedule:Schedule").inputs
    assert schedule["name"] == "billing-prod-invoices" and schedule["groupName"] == "billing-prod-invoices"
    assert schedule["scheduleExpression"] == "cron(0 1 * * ? *)"
    assert schedule["scheduleExpressionTimezone"] == "Europe/Berlin"
    assert schedule["state"] == "ENABLED" and schedule["flexibleTimeWindow"] == {"mode": "OFF"}
    assert schedule["kmsKeyArn"].startswith("arn:aws:kms:me-south-1:")
    target = schedule["target"]
    assert target["arn"] == CLUSTER
    ecs = target["ecsParameters"]
    assert ecs["taskDefinitionArn"] == TASK and ecs["launchType"] == "FARGATE" and ecs["taskCount"] == 1
    assert ecs["networkConfiguration"] == {
        "subnets": ["subnet-a", "subnet-b"],
        "securityGroups": ["sg-tasks"],
        "assignPublicIp": False,
    }
    assert json.loads(target["input"]) == {
        "containerOverrides": [{"name": "app", "command": ["python", "-m", "billing.jobs.invoices"]}]
    }
    assert target["retryPolicy"] == {"maximumRetryAttempts": 3, "maximumEventAgeInSeconds": 3600}
    queue = one(run, "aws:sqs/queue:Queue")
    assert target["deadLetterConfig"]["arn"].endswith(":billing-prod-invoices-dlq")
    assert queue.inputs["name"] == "billing-prod-invoices-dlq"
    assert queue.inputs["kmsMasterKeyId"].startswith("arn:aws:kms:me-south-1:")


def test_role_is_trusted_by_scheduler_for_the_job_group_only(run):
    role = one(run, "aws:iam/role:Role")
    (trust,) = statements(document(role, "assumeRolePolicy"))
    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert trust["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "123456789012"},
        "ArnLike": {"aws:SourceArn": "arn:aws:scheduler:me-south-1:123456789012:schedule-group/billing-prod-invoices"},
    }


def test_role_runs_one_family_on_one_cluster_and_passes_exactly_two_roles(run):
    policy = {s["Sid"]: s for s in statements(document(one(run, "aws:iam/rolePolicy:RolePolicy"), "policy"))}
    run_task = policy["RunTheServiceTaskOnItsCluster"]
    assert run_task["Action"] == "ecs:RunTask"
    assert run_task["Resource"] == "arn:aws:ecs:me-south-1:123456789012:task-definition/billing-prod-worker:*"
    assert run_task["Condition"] == {"ArnEquals": {"ecs:cluster": CLUSTER}}
    passing = policy["PassTheTaskItsTwoRoles"]
    assert passing["Action"] == "iam:PassRole" and passing["Resource"] == [EXECUTION, TASK_ROLE]
    assert passing["Condition"] == {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}
    assert policy["DeadLetters"]["Resource"].endswith(":billing-prod-invoices-dlq")
    assert policy["TheJobKey"]["Resource"].startswith("arn:aws:kms:me-south-1:")
    assert set(policy) == {"RunTheServiceTaskOnItsCluster", "PassTheTaskItsTwoRoles", "DeadLetters", "TheJobKey"}


def test_alarms_on_failed_dropped_and_dead_lettered_runs_go_to_the_topic(run):
    alarms = {a.inputs["metricName"]: a.inputs for a in run.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")}
    assert set(alarms) == {"TargetErrorCount", "InvocationDroppedCount", "ApproximateNumberOfMessagesVisible"}
    for metric in ("TargetErrorCount", "InvocationDroppedCount"):
        assert alarms[metric]["namespace"] == "AWS/Scheduler"
        assert alarms[metric]["dimensions"] == {"ScheduleGroup": "billing-prod-invoices"}
    assert alarms["ApproximateNumberOfMessagesVisible"]["dimensions"] == {"QueueName": "billing-prod-invoices-dlq"}
    for alarm in alarms.values():
        assert alarm["alarmActions"] == [TOPIC] and alarm["threshold"] == 0


def test_disabled_job_and_its_retry_policy():
    run = job_run(enabled=False, retries=JobRetries(0, 900), schedule="rate(6 hours)", timezone="UTC")
    schedule = one(run, "aws:scheduler/schedule:Schedule").inputs
    assert schedule["state"] == "DISABLED" and schedule["scheduleExpression"] == "rate(6 hours)"
    assert schedule["target"]["retryPolicy"] == {"maximumRetryAttempts": 0, "maximumEventAgeInSeconds": 900}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"schedule": "cron(0 1 * * * *)"}, "'?' in exactly one"),
        ({"timezone": "Berlin"}, "IANA time zone"),
        ({"command": []}, "at least one word"),
    ],
)
def test_bad_args_register_nothing(overrides, message):
    with pytest.raises(ValueError, match=message):
        ScheduledJob("x", replace(ARGS, **overrides))  # refused before the component registers


@pytest.mark.parametrize(
    "expression",
    [
        "cron(0 1 * * ? *)",
        "cron(0/15 8-17 ? * MON-FRI *)",
        "cron(30 2 L * ? *)",
        "cron(0 9 ? * 2#1 2026-2030)",
        "cron(0 23 ? * 6L *)",
        "cron(0 6 15W * ? *)",
        "rate(1 minute)",
        "rate(12 hours)",
        "rate(7 days)",
    ],
)
def test_expressions_scheduler_takes(expression):
    assert schedule_expression_problem(expression) is None


@pytest.mark.parametrize(
    ("expression", "why"),
    [
        ("cron(0 1 * * *)", "6 fields"),
        ("cron(0 1 * * * *)", "'?' in exactly one"),
        ("cron(0 1 ? * ? *)", "'?' in exactly one"),
        ("cron(60 1 * * ? *)", "field minutes"),
        ("cron(0 24 * * ? *)", "field hours"),
        ("cron(0 1 32 * ? *)", "field day-of-month"),
        ("cron(0 1 ? 13 MON *)", "field month"),
        ("cron(0 1 ? * FUN *)", "field day-of-week"),
        ("cron(0 1 * * ? 1969)", "field year"),
        ("rate(1 hours)", "singular"),
        ("rate(5 minute)", "plural"),
        ("rate(0 minutes)", "must be cron"),
        ("rate(5 weeks)", "must be cron"),
        ("at(2026-01-01T00:00:00)", "runs once"),
        ("0 1 * * *", "must be cron"),
    ],
)
def test_expressions_scheduler_refuses(expression, why):
    problem = schedule_expression_problem(expression)
    assert problem is not None and why in problem


def test_time_zones_are_iana_names():
    assert time_zone_problem("UTC") is None and time_zone_problem("America/New_York") is None
    assert time_zone_problem("CEST") is not None
