"""CloudWatch log groups encrypted with a component's key and with a retention period."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

# Days every log group of the components keeps its events unless told otherwise: a month covers
# an incident found late without paying to keep noise (a CloudWatch Logs retention value).
DEFAULT_RETENTION_DAYS = 30
# The only values CloudWatch Logs accepts for retentionInDays.
LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
    2922, 3288, 3653,
)  # fmt: skip


def encrypted_log_group(
    name: str,
    *,
    log_group_name: str,
    key: aws.kms.Key,
    retention_days: int,
    parent: pulumi.Resource,
) -> aws.cloudwatch.LogGroup:
    return aws.cloudwatch.LogGroup(
        name,
        name=log_group_name,
        kms_key_id=key.arn,
        retention_in_days=retention_days,
        opts=pulumi.ResourceOptions(parent=parent),
    )


def awslogs_configuration(log_group: str, region: str, stream_prefix: str) -> dict[str, object]:
    """A container's logConfiguration: the awslogs driver into ``log_group``, each task's stream
    named <stream_prefix>/<container>/<task id>."""
    return {
        "logDriver": "awslogs",
        "options": {"awslogs-group": log_group, "awslogs-region": region, "awslogs-stream-prefix": stream_prefix},
    }
