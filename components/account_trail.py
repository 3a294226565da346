"""AccountTrail: the account's one multi-region CloudTrail trail, in a locked, encrypted bucket."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_aws as aws

from .aws_context import aws_context
from .iam_documents import cloudtrail_key_statements, cloudtrail_logs_policy, logs_key_statement
from .log_groups import encrypted_log_group
from .service_role import service_role_and_policy
from .static_site import LifecycleRule, LogTargets, ObjectLock, StaticSite, StaticSiteArgs

# CloudTrail trail names: 3-128 of letters, digits, periods, underscores and hyphens, starting
# and ending with a letter or digit, no adjacent separators (CreateTrail "Name").
_TRAIL_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?=[A-Za-z0-9])){2,127}")


def trail_arn(region: str, account_id: str, name: str) -> str:
    return f"arn:aws:cloudtrail:{region}:{account_id}:trail/{name}"


def trail_log_group_name(name: str) -> str:
    return f"/aws/cloudtrail/{name}"


@dataclass(frozen=True)
class AccountTrailArgs:
    trail_name: str
    """The trail's name: 3-128 letters, digits, `.`, `_` or `-`, starting and ending with a letter or digit.
    Example: "acme-trail".
    """
    access_log_bucket: pulumi.Input[str]
    """Bucket that receives the trail bucket's S3 server access logs (who read or deleted log files). Example:
    access_logs.bucket_name.
    """
    bucket_prefix: str
    """Start of the trail bucket's physical name (AWS appends a unique suffix; at most 37 characters). Example:
    "acme-trail".
    """
    object_lock_mode: Literal["GOVERNANCE", "COMPLIANCE"] = "GOVERNANCE"
    """Object Lock mode of the log files: GOVERNANCE (a user with s3:BypassGovernanceRetention may still delete
    early) or COMPLIANCE (nobody can, the root user included, until the retention has passed). Example:
    "COMPLIANCE".
    """
    object_lock_days: int = 365
    """Days each log file is locked against deletion and overwriting (1-36500). Example: 2557 (7 years)."""
    expire_after_days: int | None = None
    """Days after which log files are deleted (at least object_lock_days); None: kept for ever. Example: 730."""
    cloudwatch_logs: bool = True
    """Also deliver the events to a CloudWatch Logs group (encrypted with the trail's key), for metric filters
    and alarms and Logs Insights queries (FSBP CloudTrail.5); its ingestion is billed per GB. Example: False.
    """
    log_retention_days: int = 365
    """Days the CloudWatch Logs group keeps the events (a CloudWatch Logs retention value). Example: 90."""
    keep_data_on_destroy: bool = True
    """True: the trail bucket stops `destroy` while it holds log files; False: `destroy` empties it (impossible
    while objects are locked). Example: True.
    """


def _refuse_bad_args(args: AccountTrailArgs) -> None:
    if not _TRAIL_NAME.fullmatch(args.trail_name):
        raise ValueError(
            f"CloudTrail refuses the trail name {args.trail_name!r}: 3-128 letters, digits, '.', '_' or '-', "
            "starting and ending with a letter or digit, no two separators together"
        )
    if args.expire_after_days is not None and args.expire_after_days < args.object_lock_days:
        raise ValueError(
            f"expire_after_days ({args.expire_after_days}) must be at least object_lock_days "
            f"({args.object_lock_days}): S3 cannot expire a locked object version"
        )


class AccountTrail(pulumi.ComponentResource):
    """The account's audit log: a multi-region CloudTrail trail recording every management event
    (read and write, global services included) with log-file validation (signed digest files),
    encrypted with a CMK whose policy lets CloudTrail use it for this trail only
    (``aws:SourceArn``, ``kms:EncryptionContext:aws:cloudtrail:arn``), delivered to a bucket that
    is private, TLS-only, access-logged, versioned and object-locked, whose policy admits this
    trail's writes only; optionally to a CloudWatch Logs group as well.

    Create it once per account, in the region that is the account's home (a multi-region trail
    records every region).

    Example::

        trail = AccountTrail("trail", AccountTrailArgs(
            trail_name="acme-trail", bucket_prefix="acme-trail", access_log_bucket=logs.bucket_name,
            object_lock_mode="COMPLIANCE", object_lock_days=365))

    Cost (cost/prices.csv): the first copy of management events is free; the bucket's storage, its
    CMK ($1 a month) and requests; CloudWatch Logs ingestion with ``cloudwatch_logs``.
    """

    trail_arn: pulumi.Output[str]
    bucket_name: pulumi.Output[str]
    kms_key_arn: pulumi.Output[str]

    def __init__(self, name: str, args: AccountTrailArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _refuse_bad_args(args)
        super().__init__("webstack:audit:AccountTrail", name, None, opts)
        context = aws_context(self)
        log_group = trail_log_group_name(args.trail_name)
        bucket = StaticSite(
            f"{name}-logs",
            StaticSiteArgs(
                purpose="cloudtrail",
                bucket_prefix=args.bucket_prefix,
                data_class="logs",
                encryption="kms",
                access_log_bucket=args.access_log_bucket,
                receives_logs=LogTargets(trail_name=args.trail_name),
                object_lock=ObjectLock(args.object_lock_mode, args.object_lock_days),
                lifecycle_rules=(
                    [
                        LifecycleRule(
                            "expire-log-files",
                            expiration_days=args.expire_after_days,
                            noncurrent_expiration_days=1,
                        )
                    ]
                    if args.expire_after_days is not None
                    else []
                ),
                key_statements=lambda region, account: [
                    *cloudtrail_key_statements(account, trail_arn(region, account, args.trail_name)),
                    *([logs_key_statement(region, account, log_group)] if args.cloudwatch_logs else []),
                ],
                keep_data_on_destroy=args.keep_data_on_destroy,
            ),
            pulumi.ResourceOptions(parent=self),
        )
        key = bucket.kms_key
        assert key is not None and bucket.policy is not None
        logs_group_arn: pulumi.Output[str] | None = None
        logs_role_arn: pulumi.Output[str] | None = None
        waits_for: list[pulumi.Resource] = [bucket.policy]
        if args.cloudwatch_logs:
            group = encrypted_log_group(
                f"{name}-events",
                log_group_name=log_group,
                key=key,
                retention_days=args.log_retention_days,
                parent=self,
            )
            role, granted = service_role_and_policy(
                f"{name}-to-logs",
                service="cloudtrail.amazonaws.com",
                description=f"CloudTrail {args.trail_name}: writes its events to {log_group}",
                source_arn=lambda region, account: trail_arn(region, account, args.trail_name),
                policy=lambda region, account: cloudtrail_logs_policy(region, account, log_group),
                context=context,
                parent=self,
            )
            # CloudTrail wants the group's ARN with the ":*" CloudWatch Logs puts after a group's ARN.
            logs_group_arn = group.arn.apply(lambda arn: f"{arn}:*")
            logs_role_arn = role.arn
            waits_for += [group, granted]
        trail = aws.cloudtrail.Trail(
            f"{name}-trail",
            name=args.trail_name,
            s3_bucket_name=bucket.bucket_name,
            s3_key_prefix=LogTargets().trail_prefix,
            is_multi_region_trail=True,
            include_global_service_events=True,
            enable_log_file_validation=True,
            enable_logging=True,
            kms_key_id=key.arn,
            event_selectors=[{"read_write_type": "All", "include_management_events": True}],
            cloud_watch_logs_group_arn=logs_group_arn,
            cloud_watch_logs_role_arn=logs_role_arn,
            # CloudTrail checks the bucket policy (and the role) when the trail is created.
            opts=pulumi.ResourceOptions(parent=self, depends_on=waits_for),
        )
        self.trail_arn = trail.arn
        self.bucket_name = bucket.bucket_name
        self.kms_key_arn = key.arn
        self.register_outputs({"trailArn": trail.arn, "bucketName": bucket.bucket_name})
