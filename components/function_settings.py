"""Pure planning for LambdaFunction: what Lambda accepts, the role's statements, the alarms."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .alarms import AlarmSpec
from .dead_letters import dead_letters_alarm
from .iam_documents import Document, policy_document

# Node.js runtimes in standard support (reference/aws-facts-beyond-day1.md): nodejs18.x, the
# seed's, lost support on 2025-09-01 and can no longer be created. Python 3.13 (supported to
# 2029-06) runs the functions webstack ships itself (the cache AUTH token rotation).
RUNTIMES = ("nodejs24.x", "nodejs22.x", "python3.13")
# A bare function name: 1-64 of a-z A-Z 0-9 - _ (Lambda's CreateFunction; the model's 140 is a full ARN's).
_FUNCTION_NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}")
# Environment variable names (botocore EnvironmentVariableName); Lambda reserves AWS_* and these.
_VARIABLE = re.compile(r"[a-zA-Z][a-zA-Z0-9_]+")
_RESERVED_VARIABLES = frozenset({"_HANDLER", "_X_AMZN_TRACE_ID", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "TZ"})
# Lambda's documented limits: memory 128-10,240 MB, timeout up to 900 s.
MEMORY_MB = range(128, 10241)
TIMEOUT_SECONDS = range(1, 901)
# The actions a function may be granted on its table; writes and reads only, never table admin.
TABLE_ACTIONS = frozenset(
    {
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:Scan",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:ConditionCheckItem",
    }
)
# Actions that read an index as well as the table (GSIs are resources of their own: <table>/index/*).
_INDEX_ACTIONS = frozenset({"dynamodb:Query", "dynamodb:Scan"})


def function_arn(region: str, account_id: str, name: str) -> str:
    return f"arn:aws:lambda:{region}:{account_id}:function:{name}"


def log_group_name(name: str) -> str:
    """Where Lambda writes a function's logs (made here first, so it is encrypted and expires)."""
    return f"/aws/lambda/{name}"


def refused_variable(variable: str) -> bool:
    """Whether Lambda refuses an environment variable of this name (its own, AWS_*, or not a name)."""
    return not _VARIABLE.fullmatch(variable) or variable.startswith("AWS_") or variable in _RESERVED_VARIABLES


def checked_function(
    name: str, runtime: str, memory_mb: int, timeout_seconds: int, environment: Mapping[str, object]
) -> None:
    """ValueError for what CreateFunction would refuse, naming the argument."""
    if not _FUNCTION_NAME.fullmatch(name):
        raise ValueError(f"Lambda refuses the function name {name!r}: 1-64 of a-z A-Z 0-9 - _")
    if runtime not in RUNTIMES:
        raise ValueError(f"runtime must be one of {', '.join(RUNTIMES)} (supported runtimes), not {runtime!r}")
    if memory_mb not in MEMORY_MB:
        raise ValueError(f"memory_mb must be 128-10240, not {memory_mb}")
    if timeout_seconds not in TIMEOUT_SECONDS:
        raise ValueError(f"timeout_seconds must be 1-900, not {timeout_seconds}")
    for variable in environment:
        if refused_variable(variable):
            raise ValueError(
                f"environment: Lambda refuses the variable name {variable!r} (a letter, then letters, digits "
                "or _; not AWS_* nor one Lambda sets itself)"
            )


def checked_table_actions(actions: Sequence[str]) -> None:
    unknown = sorted(set(actions) - TABLE_ACTIONS)
    if unknown:
        raise ValueError(
            f"table_actions: {', '.join(unknown)} not allowed; choose from {', '.join(sorted(TABLE_ACTIONS))}"
        )


def function_policy(
    region: str,
    account_id: str,
    *,
    name: str,
    key_arn: str,
    queue_arn: str,
    table_arn: str | None,
    table_actions: Sequence[str],
    secret_arns: Sequence[str],
    secret_key_arns: Sequence[str],
    in_vpc: bool = False,
) -> Document:
    """The function's only permissions: its own log group, X-Ray, its dead-letter queue, its key
    (environment and queue), what it was granted on its table and secrets, and in a VPC the network
    interfaces Lambda makes for it (Lambda checks those when the function is created)."""
    log_group = f"arn:aws:logs:{region}:{account_id}:log-group:{log_group_name(name)}"
    statements: list[dict[str, Any]] = [
        {"Sid": "Logs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": f"{log_group}:*"},
        # X-Ray's trace actions take no resource ARN (Service Authorization Reference).
        {"Sid": "Traces", "Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
         "Resource": "*"},
        {"Sid": "DeadLetters", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queue_arn},
        {"Sid": "OwnKey", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": key_arn},
    ]  # fmt: skip
    if in_vpc:
        statements += vpc_interface_statements(region, account_id)
    if table_arn is not None and table_actions:
        resources = [table_arn]
        if _INDEX_ACTIONS & set(table_actions):
            resources.append(f"{table_arn}/index/*")
        statements.append({"Sid": "Table", "Effect": "Allow", "Action": sorted(table_actions), "Resource": resources})
    if secret_arns:
        statements.append(
            {
                "Sid": "Secrets",
                "Effect": "Allow",
                "Action": "secretsmanager:GetSecretValue",
                "Resource": list(secret_arns),
            }
        )
    if secret_key_arns:
        statements.append(
            {
                "Sid": "SecretKeys",
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": list(secret_key_arns),
                "Condition": {"StringEquals": {"kms:ViaService": f"secretsmanager.{region}.amazonaws.com"}},
            }
        )
    return policy_document(statements)


def vpc_interface_statements(region: str, account_id: str) -> list[dict[str, Any]]:
    """What a function's role needs for Lambda to attach it to a VPC (Lambda Developer Guide,
    "Giving Lambda functions access to resources in an Amazon VPC"): the interface writes on this
    account's EC2 resources of the region, and the two Describe calls, which take no resource."""
    return [
        {
            "Sid": "VpcNetworkInterfaces",
            "Effect": "Allow",
            "Action": [
                "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface",
                "ec2:AssignPrivateIpAddresses",
                "ec2:UnassignPrivateIpAddresses",
            ],
            "Resource": f"arn:aws:ec2:{region}:{account_id}:*",
        },
        {
            "Sid": "DescribeVpcNetwork",
            "Effect": "Allow",
            "Action": ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"],
            "Resource": "*",
        },
    ]


def function_alarm_specs(
    name: str, queue_name: str, timeout_seconds: int, duration_alarm_ms: float | None
) -> list[AlarmSpec]:
    """Any error or throttle in five minutes, p95 duration near the timeout (80 % unless told), and any
    message in the dead-letter queue (an asynchronous event that failed every retry)."""
    dimensions = {"FunctionName": name}
    return [
        AlarmSpec("errors", f"{name}: invocations failed", "AWS/Lambda", "Errors", dimensions,
                  "GreaterThanThreshold", 0, statistic="Sum", evaluation_periods=1, treat_missing_data="notBreaching"),
        AlarmSpec("throttles", f"{name}: invocations throttled (reserved concurrency reached)", "AWS/Lambda",
                  "Throttles", dimensions, "GreaterThanThreshold", 0, statistic="Sum", evaluation_periods=1,
                  treat_missing_data="notBreaching"),
        AlarmSpec("duration", f"{name}: p95 duration near its timeout", "AWS/Lambda", "Duration", dimensions,
                  "GreaterThanThreshold", duration_alarm_ms or timeout_seconds * 1000 * 0.8, statistic="p95",
                  treat_missing_data="notBreaching"),
        dead_letters_alarm(f"{name}: asynchronous events failed every retry", queue_name),
    ]  # fmt: skip
