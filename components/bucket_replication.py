"""BucketReplication: S3 cross-region replication of one private bucket into its replica, with the
objects re-encrypted under the replica's own key and Replication Time Control."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .alarms import create_alarms
from .aws_context import aws_context
from .backup_settings import REPLICATION_TIME_MINUTES, replication_alarm_specs
from .iam_documents import Document, policy_document
from .service_role import service_role
from .static_site import StaticSite

RULE_ID = "replicate-everything"


def replication_role_policy(
    source_arn: str,
    replica_arn: str,
    *,
    source_key_arn: str,
    replica_key_arn: str,
    source_region: str,
    replica_region: str,
) -> Document:
    """What S3 needs to replicate one bucket into another, on those two buckets and their two keys
    only: read the source's configuration and object versions, write replicas (and tags) into the
    destination, decrypt with the source key and encrypt with the replica key, through S3 of each
    region, for objects of that bucket (the bucket ARN is the encryption context with S3 Bucket
    Keys, the object ARN without)."""

    def through_s3(region: str, bucket_arn: str) -> dict[str, object]:
        return {
            "StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"},
            "StringLike": {"kms:EncryptionContext:aws:s3:arn": [bucket_arn, f"{bucket_arn}/*"]},
        }

    return policy_document(
        [
            {
                "Sid": "ReadTheSourceConfiguration",
                "Effect": "Allow",
                "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                "Resource": source_arn,
            },
            {
                "Sid": "ReadTheSourceVersions",
                "Effect": "Allow",
                "Action": [
                    "s3:GetObjectVersionForReplication",
                    "s3:GetObjectVersionAcl",
                    "s3:GetObjectVersionTagging",
                ],
                "Resource": f"{source_arn}/*",
            },
            {
                "Sid": "WriteTheReplicas",
                "Effect": "Allow",
                "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                "Resource": f"{replica_arn}/*",
            },
            {
                "Sid": "DecryptTheSource",
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": source_key_arn,
                "Condition": through_s3(source_region, source_arn),
            },
            {
                "Sid": "EncryptTheReplicas",
                "Effect": "Allow",
                "Action": ["kms:Encrypt", "kms:GenerateDataKey"],
                "Resource": replica_key_arn,
                "Condition": through_s3(replica_region, replica_arn),
            },
        ]
    )


@dataclass(frozen=True)
class BucketReplicationArgs:
    source: StaticSite
    """The versioned, CMK-encrypted bucket to replicate. Example: uploads."""
    replica: StaticSite
    """Its replica: a versioned StaticSite under its own CMK in another region (StaticSiteArgs.region). Example:
    StaticSite("uploads-replica", StaticSiteArgs(purpose="replica of uploads", versioning=True,
    region="eu-central-1")).
    """
    replica_region: str
    """The replica's region (its key is used through S3 there). Example: "eu-central-1"."""
    name_prefix: str
    """Start of the replication role's name. Example: "acme-prod-uploads"."""
    alarm_actions: Sequence[pulumi.Input[str]] = ()
    """SNS topics told when replication runs late or fails. Example: [alert_topic.arn]."""


class BucketReplication(pulumi.ComponentResource):
    """Live replication of every new object version of a bucket into its replica in another
    region: objects encrypted with the source's CMK are re-encrypted with the replica's CMK,
    Replication Time Control (99.99 % within 15 minutes) with its metrics, delete markers not
    replicated (a deletion in the source leaves the replica's copy), a role that S3 of this
    account assumes with only the two buckets and the two keys, and alarms on replication later
    than 15 minutes and on failed replication operations.

    Example::

        BucketReplication("uploads-replication", BucketReplicationArgs(
            source=uploads, replica=uploads_replica, replica_region="eu-central-1", name_prefix="acme-prod-uploads",
        ))

    Cost (cost/prices.csv): the replica's storage in its region ($0.0245 per GB-month in eu-central-1) and $1
    a month for its CMK, $0.02 per GB to another region and $0.015 per GB for Replication Time Control (from
    us-east-1), four replication metrics at CloudWatch's custom-metric price, two alarms at $0.10.
    """

    def __init__(self, name: str, args: BucketReplicationArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        for site, which in ((args.source, "source"), (args.replica, "replica")):
            if site.kms_key is None or site.versioning is None:
                raise ValueError(f"{which}: replication needs a versioned bucket encrypted with its own CMK")
        super().__init__("webstack:storage:BucketReplication", name, None, opts)
        source, replica = args.source, args.replica
        assert source.kms_key and replica.kms_key and source.versioning and replica.versioning
        versioned = [source.versioning, replica.versioning]
        context = aws_context(self)
        role = service_role(
            f"{name}-role",
            service="s3.amazonaws.com",
            description=f"S3 replicates {args.name_prefix} into its replica in {args.replica_region}",
            source_arn=None,
            policy=lambda region, _account, source_arn, replica_arn, source_key, replica_key: replication_role_policy(
                source_arn,
                replica_arn,
                source_key_arn=source_key,
                replica_key_arn=replica_key,
                source_region=region,
                replica_region=args.replica_region,
            ),
            context=context,
            parent=self,
            policy_inputs=[source.bucket_arn, replica.bucket_arn, source.kms_key.arn, replica.kms_key.arn],
        )
        aws.s3.BucketReplicationConfig(
            f"{name}-config",
            bucket=source.bucket.id,
            role=role.arn,
            rules=[
                {
                    "id": RULE_ID,
                    "status": "Enabled",
                    "filter": {"prefix": ""},
                    "delete_marker_replication": {"status": "Disabled"},
                    "source_selection_criteria": {"sse_kms_encrypted_objects": {"status": "Enabled"}},
                    "destination": {
                        "bucket": replica.bucket_arn,
                        "storage_class": "STANDARD",
                        "encryption_configuration": {"replica_kms_key_id": replica.kms_key.arn},
                        "replication_time": {"status": "Enabled", "time": {"minutes": REPLICATION_TIME_MINUTES}},
                        "metrics": {"status": "Enabled", "event_threshold": {"minutes": REPLICATION_TIME_MINUTES}},
                    },
                }
            ],
            # S3 refuses a replication configuration until both buckets are versioned.
            opts=pulumi.ResourceOptions(parent=self, depends_on=versioned),
        )
        create_alarms(
            name,
            replication_alarm_specs(args.name_prefix, source.bucket_name, replica.bucket_name, RULE_ID),
            args.alarm_actions,
            self,
        )
        self.register_outputs({"replicaBucket": replica.bucket_name})
