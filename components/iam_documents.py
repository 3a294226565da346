"""Pure builders of IAM and key-policy documents. Least privilege: named actions, named resources.

Every function returns a plain dict (the JSON document); components serialise it with the
account and region they resolved. Where AWS only accepts ``"Resource": "*"`` the reason is given
next to the statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Document = dict[str, Any]
Statement = dict[str, Any]


def policy_document(statements: Sequence[Statement]) -> Document:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def service_trust_policy(service: str, account_id: str, source_arn: str | None = None) -> Document:
    """Trust policy letting one AWS service assume a role, for this account only (confused deputy)."""
    condition: dict[str, Any] = {"StringEquals": {"aws:SourceAccount": account_id}}
    if source_arn is not None:
        condition["ArnLike"] = {"aws:SourceArn": source_arn}
    return policy_document(
        [
            {
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": "sts:AssumeRole",
                "Condition": condition,
            }
        ]
    )


def log_group_arn(region: str, account_id: str, name: str) -> str:
    return f"arn:aws:logs:{region}:{account_id}:log-group:{name}"


def log_delivery_policy(region: str, account_id: str, log_group_names: Sequence[str]) -> Document:
    """Write log streams and events into the given log groups, nothing else."""
    groups = [log_group_arn(region, account_id, n) for n in log_group_names]
    return policy_document(
        [
            {
                "Sid": "WriteOwnLogGroups",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                "Resource": [*groups, *(f"{g}:log-stream:*" for g in groups)],
            },
            {
                # DescribeLogGroups has no resource-level permissions: AWS honours it only on "*"
                # (Service Authorization Reference, CloudWatch Logs; a read of names, no data).
                "Sid": "FindLogGroups",
                "Effect": "Allow",
                "Action": "logs:DescribeLogGroups",
                "Resource": "*",
            },
        ]
    )


def rds_start_stop_policy(region: str, account_id: str, identifier: str, schedule_key_arn: str) -> Document:
    """EventBridge Scheduler may stop and start one DB instance, nothing else; it decrypts the
    schedules (encrypted with the database's key) as this role."""
    return policy_document(
        [
            {
                "Sid": "StopAndStartOneInstance",
                "Effect": "Allow",
                "Action": ["rds:StopDBInstance", "rds:StartDBInstance"],
                "Resource": f"arn:aws:rds:{region}:{account_id}:db:{identifier}",
            },
            {
                "Sid": "DecryptTheSchedules",
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": schedule_key_arn,
            },
        ]
    )


def rds_enhanced_monitoring_policy(region: str, account_id: str) -> Document:
    """What the AWS managed AmazonRDSEnhancedMonitoringRole grants, scoped to this account/region.

    RDS writes OS metrics to the fixed log group ``RDSOSMetrics``; an inline copy avoids attaching
    an AWS managed policy (cdk-nag IAM4) and drops the managed policy's ``*`` account/region.
    """
    group = log_group_arn(region, account_id, "RDS*")
    streams = log_group_arn(region, account_id, "RDSOSMetrics:log-stream:*")
    return policy_document(
        [
            {
                "Sid": "EnableCreationAndManagementOfRDSCloudwatchLogGroups",
                "Effect": "Allow",
                "Action": ["logs:CreateLogGroup", "logs:PutRetentionPolicy"],
                "Resource": group,
            },
            {
                "Sid": "EnableCreationAndManagementOfRDSCloudwatchLogStreams",
                "Effect": "Allow",
                "Action": [
                    "logs:CreateLogStream",
                    "logs:PutLogEvents",
                    "logs:DescribeLogStreams",
                    "logs:GetLogEvents",
                ],
                "Resource": streams,
            },
        ]
    )


def key_admin_statement(account_id: str) -> Statement:
    """The default key-policy statement: the account (and so its IAM policies) controls the key.

    In a key policy ``"Resource": "*"`` means "this key". Without this statement IAM policies
    cannot grant use of the key and the key becomes unmanageable.
    """
    return {
        "Sid": "EnableIamPolicies",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }


def logs_key_statement(region: str, account_id: str, log_group_pattern: str | Sequence[str]) -> Statement:
    """Let CloudWatch Logs encrypt the log groups whose names match the pattern(s) with this key."""
    patterns = [log_group_pattern] if isinstance(log_group_pattern, str) else list(log_group_pattern)
    arns = [log_group_arn(region, account_id, p) for p in patterns]
    return {
        "Sid": "CloudWatchLogsEncryption",
        "Effect": "Allow",
        "Principal": {"Service": f"logs.{region}.amazonaws.com"},
        "Action": [
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncryptFrom",
            "kms:ReEncryptTo",
            "kms:GenerateDataKey",
            "kms:GenerateDataKeyWithoutPlaintext",
            "kms:DescribeKey",
        ],
        "Resource": "*",
        "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": arns[0] if len(arns) == 1 else arns}},
    }


def service_publish_key_statement(service: str, account_id: str) -> Statement:
    """Let an AWS service (e.g. CloudWatch alarms) publish to a topic encrypted with this key."""
    return {
        "Sid": f"PublishFrom{service.split('.', maxsplit=1)[0].capitalize()}",
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
    }


def key_policy(account_id: str, extra_statements: Sequence[Statement] = ()) -> Document:
    return policy_document([key_admin_statement(account_id), *extra_statements])


def deny_insecure_transport_statement(resource_arns: Sequence[str], action: str) -> Statement:
    """Deny any request that does not arrive over TLS (aws:SecureTransport false)."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": action,
        "Resource": list(resource_arns),
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def alarm_topic_policy(topic_arn: str, account_id: str) -> Document:
    """CloudWatch alarms of this account may publish; nothing may use the topic without TLS."""
    return policy_document(
        [
            {
                "Sid": "CloudWatchAlarmsPublish",
                "Effect": "Allow",
                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                "Action": "sns:Publish",
                "Resource": topic_arn,
                "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
            },
            deny_insecure_transport_statement([topic_arn], "sns:Publish"),
        ]
    )


def cloudtrail_key_statements(account_id: str, trail_arn: str) -> list[Statement]:
    """CloudTrail may encrypt the log files of one trail with this key (aws:SourceArn, and the
    encryption context CloudTrail sends naming a trail of this account) and describe the key
    (CloudTrail User Guide, "Configure AWS KMS key policies for CloudTrail"). Reading the files is
    left to IAM: the key's admin statement lets the account's policies grant kms:Decrypt."""
    return [
        {
            "Sid": "CloudTrailEncryptLogs",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:GenerateDataKey*",
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:SourceArn": trail_arn},
                "StringLike": {
                    "kms:EncryptionContext:aws:cloudtrail:arn": f"arn:aws:cloudtrail:*:{account_id}:trail/*"
                },
            },
        },
        {
            "Sid": "CloudTrailDescribeKey",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:DescribeKey",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceArn": trail_arn}},
        },
    ]


def config_delivery_key_statement(account_id: str) -> Statement:
    """AWS Config delivers as its service principal when it records with the service-linked role
    (which has no access to the key): it may encrypt deliveries for this account only (AWS Config
    Developer Guide, "Permissions for the KMS Key")."""
    return {
        "Sid": "ConfigDeliveryEncryption",
        "Effect": "Allow",
        "Principal": {"Service": "config.amazonaws.com"},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
    }


def cloudtrail_logs_policy(region: str, account_id: str, log_group_name: str) -> Document:
    """What CloudTrail's role may do in CloudWatch Logs: write the streams of its one group (one
    stream per region of a multi-region trail, named <account>_CloudTrail_<region>)."""
    return policy_document(
        [
            {
                "Sid": "TrailWritesItsLogStreams",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": f"{log_group_arn(region, account_id, log_group_name)}:log-stream:{account_id}_CloudTrail_*",
            }
        ]
    )
