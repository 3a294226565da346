"""Encryption at rest: data stores, logs, topics, images and secrets use KMS; keys rotate."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource, Severity

from . import types as t
from .props import UNKNOWN, as_list, customer_managed_key, get, is_set, peek
from .registry import joined, resource_rule, resources_of, stack_rule


@resource_rule(
    "rds-storage-encrypted-with-cmk",
    concern="encryption-at-rest",
    severity=Severity.HIGH,
    types=[t.RDS_INSTANCE],
    description="RDS storage is encrypted with a customer-managed KMS key.",
    remediation="ManagedPostgres sets storage_encrypted and its own CMK; do not override them.",
    fsbp="RDS.3",
    awsguard="rds-storage-encrypted",
    cdk_nag="AwsSolutions-RDS2",
)
def rds_storage_encrypted(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    replica = is_set(props, "replicateSourceDb")
    if replica and not is_set(props, "kmsKeyId") and peek(props, "storageEncrypted") is not False:
        return  # a replica keeps its source's encryption and key (judged on the source)
    # A snapshot restore is judged like any instance: the snapshot is not in the stack to look at.
    if get(props, "storageEncrypted") is not True:
        yield "storageEncrypted is not true"
    elif not customer_managed_key(props, "kmsKeyId"):
        yield "storage is encrypted with the AWS managed key, not a customer-managed kmsKeyId"


def _volume_problems(name: str, volume: Any) -> Iterator[str]:
    if str(get(volume, "encrypted")).lower() != "true":
        yield f"{name} is not encrypted"
    elif not customer_managed_key(volume, "kmsKeyId"):
        yield f"{name} is encrypted with the AWS managed key, not a customer-managed kmsKeyId"


@stack_rule(
    "ec2-volumes-encrypted-with-cmk",
    concern="encryption-at-rest",
    severity=Severity.HIGH,
    description=(
        "EBS volumes (instance root and data volumes, launch templates, standalone volumes) are encrypted "
        "with a customer-managed key."
    ),
    remediation="SecureVpc encrypts the NAT instance's root volume with the network CMK; do not override it.",
    fsbp="EC2.3",
    cdk_nag="AwsSolutions-EC26",
)
def ec2_volumes_encrypted(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for volume in resources_of(resources, t.EBS_VOLUME):
        for problem in _volume_problems("volume", volume.props):
            yield problem, volume.urn
    for template in resources_of(resources, t.LAUNCH_TEMPLATE):
        mappings = [m for m in as_list(get(template.props, "blockDeviceMappings")) if get(m, "ebs")]
        if not mappings:
            yield "declares no volumes: instances get the image's unencrypted defaults", template.urn
        for mapping in mappings:
            for problem in _volume_problems(f"volume {get(mapping, 'deviceName', default='?')}", get(mapping, "ebs")):
                yield problem, template.urn
    for instance in resources_of(resources, t.EC2_INSTANCE):
        root = get(instance.props, "rootBlockDevice")
        volumes = [
            (f"volume {get(d, 'deviceName', default='?')}", d) for d in as_list(get(instance.props, "ebsBlockDevices"))
        ]
        if isinstance(root, Mapping):
            volumes.insert(0, ("root volume", root))
        elif not get(instance.props, "launchTemplate"):  # a template's own volumes are judged with the template
            yield "root volume not declared: it takes the image's (unencrypted) default", instance.urn
        for name, volume in volumes:
            for problem in _volume_problems(name, volume):
                yield problem, instance.urn


@resource_rule(
    "rds-performance-insights-encrypted-with-cmk",
    concern="encryption-at-rest",
    severity=Severity.MEDIUM,
    types=[t.RDS_INSTANCE],
    description="Performance Insights data is encrypted with a customer-managed KMS key.",
    remediation="ManagedPostgres passes its CMK as performance_insights_kms_key_id when insights are on.",
)
def performance_insights_encrypted(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "performanceInsightsEnabled") is True and not customer_managed_key(
        props, "performanceInsightsKmsKeyId"
    ):
        yield "Performance Insights is on without performanceInsightsKmsKeyId"


@resource_rule(
    "elasticache-encrypted-at-rest-with-cmk",
    concern="encryption-at-rest",
    severity=Severity.HIGH,
    types=[t.REPLICATION_GROUP],
    description="ElastiCache data and snapshots are encrypted at rest with a customer-managed KMS key.",
    remediation="RedisCache sets at_rest_encryption_enabled with its own CMK; do not override them.",
    fsbp="ElastiCache.4",
    cdk_nag="AwsSolutions-AEC3",
)
def elasticache_at_rest(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    # Left out, at-rest encryption is on for Valkey (always) and off for Redis OSS.
    enabled = get(props, "atRestEncryptionEnabled", default=get(props, "engine") == "valkey")
    if enabled is not True:
        yield "atRestEncryptionEnabled is not true"
    elif not customer_managed_key(props, "kmsKeyId"):
        yield "at-rest encryption uses the AWS owned key, not a customer-managed kmsKeyId"


@resource_rule(
    "log-group-encrypted-with-kms",
    concern="encryption-at-rest",
    severity=Severity.MEDIUM,
    types=[t.LOG_GROUP],
    description="CloudWatch log groups are encrypted with a KMS key.",
    remediation="Create log groups with components.log_groups.encrypted_log_group (the component's CMK).",
    cdk_nag="HIPAA/NIST CloudWatchLogGroupEncrypted",
)
def log_group_encrypted(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if not is_set(props, "kmsKeyId"):
        yield f"log group {get(props, 'name', default='?')} has no kmsKeyId"


@resource_rule(
    "sns-topic-encrypted-with-kms",
    concern="encryption-at-rest",
    severity=Severity.MEDIUM,
    types=[t.SNS_TOPIC],
    description="SNS topics are encrypted with a customer-managed KMS key.",
    remediation="AlertTopic encrypts its topic with its own CMK (kms_master_key_id).",
    fsbp="SNS.1",
    cdk_nag="AwsSolutions-SNS2",
)
def sns_encrypted(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    managed = "the AWS managed key alias/aws/sns cannot be used by CloudWatch alarms or scoped by policy"
    yield from _master_key_problems(props, unset="kmsMasterKeyId is not set", aws_managed=managed)


@resource_rule(
    "sqs-queue-encrypted-with-kms",
    concern="encryption-at-rest",
    severity=Severity.MEDIUM,
    types=[t.SQS_QUEUE],
    description="SQS queues are encrypted with a customer-managed KMS key (SSE-KMS, not SSE-SQS).",
    remediation=(
        "LambdaFunction and ScheduledJob encrypt their dead-letter queues with their own CMK (kms_master_key_id)."
    ),
    fsbp="SQS.1",
    cdk_nag="AwsSolutions-SQS2",
)
def sqs_encrypted(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    unset = "kmsMasterKeyId is not set: messages are not under a key of the stack (SSE-SQS at best)"
    managed = "the AWS managed key alias/aws/sqs cannot be scoped by a key policy"
    yield from _master_key_problems(props, unset=unset, aws_managed=managed)


def _master_key_problems(props: Mapping[str, Any], *, unset: str, aws_managed: str) -> Iterator[str]:
    """A topic's or queue's kmsMasterKeyId: set, and a customer-managed key."""
    if not is_set(props, "kmsMasterKeyId"):
        yield unset
    elif not customer_managed_key(props, "kmsMasterKeyId"):
        yield aws_managed


@resource_rule(
    "lambda-environment-encrypted-with-cmk",
    concern="encryption-at-rest",
    severity=Severity.MEDIUM,
    types=[t.LAMBDA_FUNCTION],
    description="A Lambda function's environment variables are encrypted with a customer-managed KMS key.",
    remediation="LambdaFunction passes its own CMK as kms_key_arn; do not override it.",
)
def lambda_environment_cmk(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    variables = peek(props, "environment", "variables")
    if variables is not UNKNOWN and not variables:
        return  # nothing to encrypt
    if not is_set(props, "kmsKeyArn"):
        yield "kmsKeyArn is not set: the environment is encrypted with a key AWS manages, not a customer-managed one"
    elif not customer_managed_key(props, "kmsKeyArn"):
        yield "kmsKeyArn names an AWS managed key, not a customer-managed one"


@resource_rule(
    "dynamodb-table-encrypted-with-cmk",
    concern="encryption-at-rest",
    severity=Severity.HIGH,
    types=[t.DYNAMODB_TABLE],
    description="DynamoDB tables are encrypted with a customer-managed KMS key.",
    remediation="ItemTable encrypts its table with its own CMK; do not override server_side_encryption.",
    awsguard="dynamodb-table-encryption-enabled",
)
def dynamodb_cmk(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    # Left out or disabled, DynamoDB uses a key AWS owns; enabled without a key, the AWS managed aws/dynamodb.
    if get(props, "serverSideEncryption", "enabled") is not True:
        yield "serverSideEncryption is not enabled: the table is encrypted with a key AWS owns"
    elif not customer_managed_key(props, "serverSideEncryption", "kmsKeyArn"):
        yield "the table is encrypted with the AWS managed key aws/dynamodb, not a customer-managed kmsKeyArn"


@resource_rule(
    "ecr-repository-encrypted-with-kms",
    concern="encryption-at-rest",
    severity=Severity.MEDIUM,
    types=[t.ECR_REPOSITORY],
    description="ECR repositories encrypt images with KMS.",
    remediation="FargateApi creates its repository with encryption_type KMS and its CMK.",
)
def ecr_encrypted(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "encryptionConfigurations", 0, "encryptionType") != "KMS":
        yield "encryptionConfigurations[0].encryptionType is not KMS"


@resource_rule(
    "secret-encrypted-with-cmk",
    concern="encryption-at-rest",
    severity=Severity.MEDIUM,
    types=[t.SECRET],
    description="Secrets Manager secrets are encrypted with a customer-managed KMS key.",
    remediation="Pass the owning component's CMK as kms_key_id (RedisCache does for its AUTH secret).",
    cdk_nag="HIPAA/NIST SecretsManagerUsingKMSKey",
)
def secret_cmk(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if not customer_managed_key(props, "kmsKeyId"):
        yield "kmsKeyId is not set: the secret uses the AWS managed key aws/secretsmanager"


@resource_rule(
    "kms-key-rotation-enabled",
    concern="encryption-at-rest",
    severity=Severity.MEDIUM,
    types=[t.KMS_KEY],
    description="Symmetric customer-managed KMS keys rotate automatically.",
    remediation="components.encryption_key.customer_managed_key sets enable_key_rotation.",
    fsbp="KMS.4",
    awsguard="cmk-backing-key-rotation-enabled",
    cdk_nag="AwsSolutions-KMS5",
)
def kms_rotation(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    spec = get(props, "customerMasterKeySpec", default="SYMMETRIC_DEFAULT")
    if spec == "SYMMETRIC_DEFAULT" and get(props, "enableKeyRotation") is not True:
        yield "enableKeyRotation is not true"


def _bucket_encryption(bucket: PolicyResource, resources: list[PolicyResource]) -> list[Mapping[str, Any]]:
    """The bucket's default-encryption rules, from BucketServerSideEncryptionConfiguration resources
    or the Bucket's own (deprecated) inline block. None means AWS's default: SSE-S3 since January
    2023, which is why there is no rule requiring default encryption (Security Hub retired S3.4)."""
    inline = as_list(get(bucket.props, "serverSideEncryptionConfiguration", "rules"))
    # A BucketV2 (a program written for pulumi-aws v6) gives the inline block as lists.
    for legacy in as_list(get(bucket.props, "serverSideEncryptionConfigurations")):
        for rule in as_list(get(legacy, "rules")):
            defaults = as_list(get(rule, "applyServerSideEncryptionByDefaults"))
            inline += [{"applyServerSideEncryptionByDefault": default} for default in defaults]
    rules = [r for r in inline if isinstance(r, Mapping)]
    for config in resources_of(resources, t.BUCKET_ENCRYPTION):
        if bucket in joined(config, "bucket"):
            rules += [r for r in as_list(get(config.props, "rules")) if isinstance(r, Mapping)]
    return rules


# SSE-KMS, and DSSE-KMS (dual-layer: the KMS key named, then an S3 managed key).
KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")


@stack_rule(
    "s3-private-data-encrypted-with-cmk",
    concern="encryption-at-rest",
    severity=Severity.HIGH,
    description=(
        "Buckets that hold private data (DataClass=private) use SSE-KMS (or DSSE-KMS) with a customer-managed key."
    ),
    remediation="StaticSite with data_class='private' must keep encryption='kms' (its own CMK).",
    fsbp="S3.17",
)
def s3_private_cmk(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for bucket in resources_of(resources, t.BUCKET):
        if get(bucket.props, "tags", "DataClass") != "private":
            continue
        defaults = [get(r, "applyServerSideEncryptionByDefault") for r in _bucket_encryption(bucket, resources)]
        if not any(
            get(d, "sseAlgorithm") in KMS_ALGORITHMS and customer_managed_key(d, "kmsMasterKeyId") for d in defaults
        ):
            yield "private-data bucket is not encrypted with a customer-managed KMS key", bucket.urn


@stack_rule(
    "apigateway-cache-encrypted",
    concern="encryption-at-rest",
    severity=Severity.MEDIUM,
    description=(
        "API Gateway caches encrypt what they keep: every method setting that caches sets cacheDataEncrypted, and "
        "a stage with a cache cluster has */* method settings that encrypt or do not cache (once the cluster "
        "exists, GET methods cache by default)."
    ),
    remediation=(
        "Set cache_data_encrypted wherever caching_enabled is set, and on the stage's */* method settings (or "
        "caching_enabled false there, so that only the routes meant to cache do)."
    ),
    fsbp="APIGateway.5",
    awsguard="apigateway-method-cached-and-encrypted (its encryption half)",
)
def api_cache_encrypted(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    settings = list(resources_of(resources, t.API_METHOD_SETTINGS))
    for setting in settings:
        values = get(setting.props, "settings", default={})
        if get(values, "cachingEnabled") is True and get(values, "cacheDataEncrypted") is not True:
            yield f"{get(setting.props, 'methodPath', default='?')} caches answers unencrypted", setting.urn
    for stage in resources_of(resources, t.API_STAGE):
        if get(stage.props, "cacheClusterEnabled") is not True:
            continue
        defaults = [
            get(s.props, "settings", default={})
            for s in settings
            if stage in joined(s, "stageName") and get(s.props, "methodPath") == "*/*"
        ]
        if not any(get(d, "cachingEnabled") is False or get(d, "cacheDataEncrypted") is True for d in defaults):
            yield (
                "no */* method settings encrypt the stage's cache or turn it off: GET methods cache by default",
                stage.urn,
            )
