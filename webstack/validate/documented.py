"""Limits AWS documents but leaves out of its API models: character sets of descriptions and
tags, name lengths, policy sizes. Each rule names where AWS says so."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from components.time_windows import window_problem
from webstack.validate.walk import compiled, is_unknown


@dataclass(frozen=True)
class TextRule:
    """A string input: its length and the characters (a pattern matched in full) AWS accepts."""

    what: str
    source: str
    pattern: str | None = None
    max_length: int | None = None
    min_length: int = 0
    # Shown instead of the raw pattern when the value does not match.
    allowed: str | None = None

    def problems(self, value: str) -> list[str]:
        found = []
        if len(value) > (self.max_length or len(value)) or len(value) < self.min_length:
            bounds = f"{self.min_length}-{self.max_length}" if self.max_length else f"at least {self.min_length}"
            found.append(f"{self.what}: {bounds} characters (has {len(value)})")
        if self.pattern is not None and not compiled(f"^(?:{self.pattern})$").search(value):
            found.append(f"{self.what}: {self.allowed or self.pattern}")
        return found


@dataclass(frozen=True)
class DocumentRule:
    """A JSON policy document: its size as AWS counts it."""

    what: str
    source: str
    max_chars: int
    # IAM does not count white space against its policy limits; S3, KMS and SNS count bytes.
    ignore_whitespace: bool = False

    def problems(self, value: str) -> list[str]:
        size = len("".join(value.split())) if self.ignore_whitespace else len(value.encode())
        if size > self.max_chars:
            return [f"{self.what}: at most {self.max_chars} (has {size})"]
        return []


EC2_TEXT = r"[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]*"
EC2_SOURCE = "EC2 API reference: CreateSecurityGroup and AuthorizeSecurityGroupIngress (GroupDescription, Description)"
SG_DESCRIPTION = TextRule(
    "EC2 security group descriptions",
    EC2_SOURCE,
    pattern=EC2_TEXT,
    max_length=255,
    allowed="a-z A-Z 0-9, spaces and ._-:/()#,@[]+=&;{}!$* only",
)
SG_NAME = TextRule(
    "EC2 security group names",
    EC2_SOURCE,
    pattern=rf"(?!sg-){EC2_TEXT}",
    max_length=255,
    min_length=1,
    allowed="a-z A-Z 0-9, spaces and ._-:/()#,@[]+=&;{}!$*, not starting with sg-",
)
ELB_NAME = TextRule(
    "load balancer and target group names",
    "Elastic Load Balancing API reference: CreateLoadBalancer and CreateTargetGroup (Name)",
    pattern=r"(?!internal-)[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?",
    max_length=32,
    min_length=1,
    allowed="letters, digits and hyphens, not starting or ending with a hyphen (nor with internal-)",
)
IAM_ROLE_NAME = TextRule(
    "IAM role names",
    "IAM User Guide, IAM quotas: role name 64 characters",
    pattern=r"[\w+=,.@-]+",
    max_length=64,
    min_length=1,
)
IAM_POLICY_NAME = TextRule(
    "IAM inline policy names", "IAM User Guide, IAM quotas: policy name 128 characters", r"[\w+=,.@-]+", 128, 1
)
RDS_IDENTIFIER = TextRule(
    "RDS DB instance identifiers",
    "RDS API reference: CreateDBInstance (DBInstanceIdentifier)",
    pattern=r"[a-zA-Z](?!.*--)[a-zA-Z0-9-]*(?<!-)",
    max_length=63,
    min_length=1,
    allowed="a letter, then letters, digits and single hyphens, not ending with a hyphen",
)
DYNAMODB_NAME = TextRule(
    "DynamoDB table and index names",
    "DynamoDB Developer Guide, naming rules: 3-255 of a-z A-Z 0-9 _ - .",
    pattern=r"[a-zA-Z0-9_.-]+",
    max_length=255,
    min_length=3,
    allowed="letters, digits, _ - and .",
)
LAMBDA_FUNCTION_NAME = TextRule(
    "Lambda function names",
    "Lambda API reference: CreateFunction (FunctionName: 64 characters for a name, 140 for an ARN)",
    pattern=r"[a-zA-Z0-9_-]+",
    max_length=64,
    min_length=1,
    allowed="letters, digits, - and _",
)
SQS_QUEUE_NAME = TextRule(
    "SQS queue names",
    "SQS API reference: CreateQueue (QueueName: up to 80 alphanumerics, - and _)",
    pattern=r"[a-zA-Z0-9_-]+",
    max_length=80,
    min_length=1,
    allowed="letters, digits, - and _",
)
RDS_GROUP_NAME = TextRule(
    "RDS parameter and subnet group names",
    "RDS API reference: CreateDBParameterGroup and CreateDBSubnetGroup (names)",
    pattern=r"[a-zA-Z](?!.*--)[a-zA-Z0-9 ._-]*(?<!-)",
    max_length=255,
    min_length=1,
)
ELASTICACHE_GROUP_ID = TextRule(
    "ElastiCache replication group ids",
    "ElastiCache API reference: CreateReplicationGroup (ReplicationGroupId)",
    pattern=r"[a-zA-Z](?!.*--)[a-zA-Z0-9-]*(?<!-)",
    max_length=40,
    min_length=1,
    allowed="a letter, then letters, digits and single hyphens, not ending with a hyphen",
)
S3_BUCKET = TextRule(
    "S3 bucket names",
    "Amazon S3 User Guide: general purpose bucket naming rules",
    pattern=r"(?!xn--|sthree-|amzn-s3-demo-)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?<!-s3alias)(?<!--ol-s3)",
    max_length=63,
    min_length=3,
    allowed="lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
)
S3_BUCKET_PREFIX = TextRule(
    "S3 bucket name prefixes (the provider appends 26 characters)",
    "terraform-provider-aws s3_bucket: bucket_prefix must be at most 37 characters",
    pattern=r"[a-z0-9][a-z0-9.-]*",
    max_length=37,
    min_length=1,
)
ALARM_NAME = TextRule(
    "CloudWatch alarm names",
    "CloudWatch API reference: PutMetricAlarm (AlarmName: UTF-8, no ASCII control characters)",
    pattern=r"[^\x00-\x1f\x7f]+",
    max_length=255,
    min_length=1,
)
SCHEDULE_TARGET_NOTE = "EventBridge Scheduler: universal targets take the API request as JSON"
CLOUDFRONT_FUNCTION_CODE = TextRule(
    "CloudFront Functions code",
    "CloudFront Developer Guide, quotas: function size 10 KB",
    max_length=10240,
)
OAC_NAME = TextRule(
    "origin access control names", "CloudFront API reference: OriginAccessControlConfig (Name)", None, 64, 1
)

TAG_KEY_MAX, TAG_VALUE_MAX = 128, 256
# What every service that takes tags accepts; default_tags reach all of them, S3 included
# (botocore s3control S3Tag pattern; the s3 model itself carries none).
PORTABLE_TAG = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*"
TAG_SOURCE = "Tagging AWS Resources user guide: tag naming limits; botocore s3control S3Tag pattern"


def tag_problems(tags: Mapping[str, Any]) -> list[tuple[str, Any, str]]:
    """(key, value, problem) for every tag some AWS service would refuse."""
    problems = []
    for key, value in tags.items():
        if is_unknown(key):
            continue
        if not 1 <= len(key) <= TAG_KEY_MAX:
            problems.append((key, key, f"tag keys are 1-{TAG_KEY_MAX} characters (has {len(key)})"))
        if key.lower().startswith("aws:"):
            problems.append((key, key, "tag keys starting with aws: are reserved for AWS"))
        if not compiled(f"^{PORTABLE_TAG}$").search(key):
            problems.append((key, key, "tag keys: letters, digits, spaces and _ . : / = + - @ only"))
        if not isinstance(value, str) or is_unknown(value):
            continue
        if len(value) > TAG_VALUE_MAX:
            problems.append((key, value, f"tag values are 0-{TAG_VALUE_MAX} characters (has {len(value)})"))
        if not compiled(f"^{PORTABLE_TAG}$").search(value):
            problems.append((key, value, "tag values: letters, digits, spaces and _ . : / = + - @ only"))
    return problems


# Pulumi type -> input path -> the rule for that string.
TEXT_RULES: dict[str, dict[str, TextRule]] = {
    "aws:ec2/securityGroup:SecurityGroup": {"description": SG_DESCRIPTION, "name": SG_NAME},
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {"description": SG_DESCRIPTION},
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {"description": SG_DESCRIPTION},
    "aws:lb/loadBalancer:LoadBalancer": {"name": ELB_NAME},
    "aws:lb/targetGroup:TargetGroup": {"name": ELB_NAME},
    "aws:iam/role:Role": {"name": IAM_ROLE_NAME},
    "aws:iam/rolePolicy:RolePolicy": {"name": IAM_POLICY_NAME},
    "aws:rds/instance:Instance": {"identifier": RDS_IDENTIFIER},
    "aws:lambda/function:Function": {"name": LAMBDA_FUNCTION_NAME},
    "aws:sqs/queue:Queue": {"name": SQS_QUEUE_NAME},
    "aws:dynamodb/table:Table": {"name": DYNAMODB_NAME, "globalSecondaryIndexes[].name": DYNAMODB_NAME},
    "aws:rds/parameterGroup:ParameterGroup": {"name": RDS_GROUP_NAME},
    "aws:rds/subnetGroup:SubnetGroup": {"name": RDS_GROUP_NAME},
    "aws:elasticache/replicationGroup:ReplicationGroup": {"replicationGroupId": ELASTICACHE_GROUP_ID},
    "aws:s3/bucket:Bucket": {"bucket": S3_BUCKET, "bucketPrefix": S3_BUCKET_PREFIX},
    "aws:cloudwatch/metricAlarm:MetricAlarm": {"name": ALARM_NAME},
    "aws:cloudfront/function:Function": {"code": CLOUDFRONT_FUNCTION_CODE},
    "aws:cloudfront/originAccessControl:OriginAccessControl": {"name": OAC_NAME},
}

IAM_SOURCE = "IAM User Guide, IAM and AWS STS quotas (white space not counted)"
DOCUMENT_RULES: dict[str, dict[str, DocumentRule]] = {
    "aws:iam/role:Role": {
        "assumeRolePolicy": DocumentRule("role trust policy characters", IAM_SOURCE, 2048, ignore_whitespace=True)
    },
    "aws:iam/rolePolicy:RolePolicy": {
        "policy": DocumentRule("inline role policy characters", IAM_SOURCE, 10240, ignore_whitespace=True)
    },
    "aws:s3/bucketPolicy:BucketPolicy": {
        "policy": DocumentRule(
            "bucket policy bytes", "Amazon S3 User Guide: bucket policies are limited to 20 KB", 20480
        )
    },
    "aws:kms/key:Key": {
        "policy": DocumentRule(
            "key policy bytes", "AWS KMS Developer Guide, quotas: key policy document size 32 KB", 32768
        )
    },
    "aws:sns/topicPolicy:TopicPolicy": {
        "policy": DocumentRule("topic policy bytes", "Amazon SNS API reference: SetTopicAttributes Policy 30 KB", 30720)
    },
}


def _secret_recovery_window(value: Any) -> str | None:
    if isinstance(value, int | float) and (value == 0 or 7 <= value <= 30):
        return None
    return "recovery windows are 0 (delete at once) or 7-30 days"


def _kms_pending_window(value: Any) -> str | None:
    if isinstance(value, int | float) and 7 <= value <= 30:
        return None
    return "KMS keys wait 7-30 days before deletion"


IP_PROTOCOLS = ("tcp", "udp", "icmp", "icmpv6", "-1")


def _ip_protocol(value: Any) -> str | None:
    if isinstance(value, str) and (value in IP_PROTOCOLS or (value.isdigit() and 0 <= int(value) <= 255)):
        return None
    return f"IP protocols are {', '.join(IP_PROTOCOLS)} or a protocol number 0-255"


def _window(*, weekly: bool, minimum_minutes: int) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return "windows are text"
        problem = window_problem(value, weekly=weekly, minimum_minutes=minimum_minutes)
        return None if problem is None else f"{'weekly' if weekly else 'daily'} windows {problem}"

    return check


_RDS_WINDOW_SOURCE = "Amazon RDS API reference: CreateDBInstance (Preferred{}Window: {}, UTC, at least 30 minutes)"
_CACHE_WINDOW_SOURCE = "Amazon ElastiCache API reference: CreateReplicationGroup ({}: {}, UTC, at least 60 minutes)"

_SG_PROTOCOL = (
    _ip_protocol,
    "EC2 API reference: IpPermission (IpProtocol: tcp, udp, icmp, icmpv6, -1 or a protocol number)",
)


def _waf_log_destination(value: Any) -> str | None:
    """A CloudWatch Logs destination of WAF logs is a log group named aws-waf-logs-... (S3 buckets
    and Firehose streams have their own prefix rules, not used here)."""
    if (
        isinstance(value, str)
        and ":log-group:" in value
        and not value.split(":log-group:", 1)[1].startswith("aws-waf-logs-")
    ):
        return "WAF logs only to log groups whose names start with aws-waf-logs-"
    return None


# Pulumi type -> input path -> check returning a problem, for values the models cannot judge.
VALUE_RULES: dict[str, dict[str, tuple[Callable[[Any], str | None], str]]] = {
    "aws:kms/key:Key": {
        "deletionWindowInDays": (
            _kms_pending_window,
            "AWS KMS API reference: ScheduleKeyDeletion (PendingWindowInDays 7-30)",
        )
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {"ipProtocol": _SG_PROTOCOL},
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {"ipProtocol": _SG_PROTOCOL},
    "aws:rds/instance:Instance": {
        "backupWindow": (
            _window(weekly=False, minimum_minutes=30),
            _RDS_WINDOW_SOURCE.format("Backup", "hh24:mi-hh24:mi"),
        ),
        "maintenanceWindow": (
            _window(weekly=True, minimum_minutes=30),
            _RDS_WINDOW_SOURCE.format("Maintenance", "ddd:hh24:mi-ddd:hh24:mi"),
        ),
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        "snapshotWindow": (
            _window(weekly=False, minimum_minutes=60),
            _CACHE_WINDOW_SOURCE.format("SnapshotWindow", "hh24:mi-hh24:mi"),
        ),
        "maintenanceWindow": (
            _window(weekly=True, minimum_minutes=60),
            _CACHE_WINDOW_SOURCE.format("PreferredMaintenanceWindow", "ddd:hh24:mi-ddd:hh24:mi"),
        ),
    },
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": {
        "logDestinationConfigs[]": (
            _waf_log_destination,
            "AWS WAF Developer Guide, logging destinations: CloudWatch Logs log group names start with aws-waf-logs-",
        )
    },
    "aws:secretsmanager/secret:Secret": {
        "recoveryWindowInDays": (
            _secret_recovery_window,
            "Secrets Manager API reference: DeleteSecret (RecoveryWindowInDays 7-30, or ForceDeleteWithoutRecovery)",
        )
    },
}


def parsed_json(value: Any) -> Any:
    try:
        return json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return None
