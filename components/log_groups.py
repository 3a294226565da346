"""CloudWatch log groups encrypted with a component's key and with a retention period."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws


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
