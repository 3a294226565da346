"""StaticSite: a private S3 bucket that is safe by default, for site content and private data."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pulumi
import pulumi_aws as aws

from .aws_context import aws_context
from .aws_text import tag_value
from .bucket_policies import (
    alb_access_log_statement,
    cloudfront_read_statement,
    cloudtrail_delivery_statements,
    config_delivery_statements,
    server_access_log_statement,
    tls_only_statement,
    vended_log_statements,
)
from .encryption_key import customer_managed_key
from .iam_documents import Statement, policy_document
from .site_content import plan_objects

Encryption = Literal["kms", "s3"]


@dataclass(frozen=True)
class LifecycleRule:
    """Move objects to a cheaper class after ``transition_days``; expire them (and old
    versions) after the given days. Incomplete multipart uploads are always cleaned up."""

    id: str
    """The rule's id (unique in the bucket, up to 255 characters). Example: "archive-invoices"."""
    prefix: str = ""
    """Only objects under this key prefix; "": all. Example: "invoices/"."""
    transition_days: int | None = None
    """Days after creation before objects move to storage_class; None: no transition. Example: 30."""
    storage_class: str = "STANDARD_IA"
    """The cheaper class: STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER or DEEP_ARCHIVE
    (IA classes need 30 days first). Example: "GLACIER_IR".
    """
    expiration_days: int | None = None
    """Days after creation before current objects are deleted; None: never. Example: 365."""
    noncurrent_expiration_days: int | None = None
    """Days after an object stops being current before the old version is deleted; None: never. Example: 90."""


@dataclass(frozen=True)
class CorsRule:
    allowed_origins: Sequence[str]
    """Origins browsers may call from (scheme and host). Example: ["https://app.example.com"]."""
    allowed_methods: Sequence[str] = ("GET",)
    """HTTP methods allowed (GET, PUT, POST, DELETE, HEAD). Example: ["GET", "PUT"]."""
    allowed_headers: Sequence[str] = ("*",)
    """Request headers allowed in a preflight. Example: ["content-type"]."""
    expose_headers: Sequence[str] = ("ETag",)
    """Response headers the browser may read (ETag for multipart uploads). Example: ["ETag", "x-amz-version-id"]."""
    max_age_seconds: int = 3000
    """Seconds a browser caches the preflight answer. Example: 600."""


@dataclass(frozen=True)
class LogTargets:
    """The kinds of logs this bucket receives, each under its own prefix."""

    load_balancer_prefix: str | None = None
    """Prefix of ALB access logs (written by the region's ELB log delivery); None: none. Example: "alb/"."""
    server_access_prefix: str | None = None
    """Prefix of S3 server access logs (written by logging.s3.amazonaws.com); None: none. Example: "s3/"."""
    vended_prefix: str | None = None
    """Prefix of CloudFront standard logs (v2, delivered by CloudWatch Logs delivery); None: none. Example:
    "cloudfront/".
    """
    trail_name: str | None = None
    """The CloudTrail trail (of this account, created in this region) that writes its log files under
    trail_prefix; the policy admits that trail only (aws:SourceArn). None: none. Example: "acme-trail".
    """
    trail_prefix: str = "cloudtrail"
    """Prefix of the trail's log files (CloudTrail adds AWSLogs/<account>/). Example: "trail"."""
    config_prefix: str | None = None
    """Prefix of AWS Config snapshots and history (delivered by the Config service principal for this account);
    None: none. Example: "config".
    """

    def needs_sse_s3(self) -> bool:
        """ELB, S3 server access and vended logs cannot be written to a bucket that defaults to SSE-KMS."""
        return bool(self.load_balancer_prefix or self.server_access_prefix or self.vended_prefix)


@dataclass(frozen=True)
class ObjectLock:
    """S3 Object Lock: every new object version is kept for ``days`` (write once, read many)."""

    mode: Literal["GOVERNANCE", "COMPLIANCE"] = "GOVERNANCE"
    """GOVERNANCE: users with s3:BypassGovernanceRetention may still delete early; COMPLIANCE: nobody can, not
    even the root user, until the days have passed. Example: "COMPLIANCE".
    """
    days: int = 365
    """Days each object version is locked after it is written (1-36500). Example: 2557."""


@dataclass(frozen=True)
class StaticSiteArgs:
    purpose: str
    """What the bucket is for, in a word: its Purpose tag and part of its children's names. Example: "uploads"."""
    bucket_prefix: str | None = None
    """Start of the bucket's physical name; AWS appends a unique suffix, so at most 37 characters. None:
    Pulumi's auto-name. Example: "acme-prod-uploads-".
    """
    data_class: Literal["public-content", "private", "logs"] = "private"
    """How the data is classed: "public-content", "private" or "logs": tagged (DataClass), so policies can ask
    more of private data (a CMK). Example: "public-content" for a site.
    """
    encryption: Encryption = "kms"
    """Default encryption. "kms": the bucket's own CMK ($1 a month, and KMS requests); "s3": SSE-S3, which
    public site content and log buckets need (ELB and S3 logging cannot write with a CMK). Example: "s3".
    """
    versioning: bool = False
    """Keep every version of every object (a deleted or overwritten object can be restored; old versions bill
    as storage). Example: True for data.
    """
    lifecycle_rules: Sequence[LifecycleRule] = ()
    """Transitions and expirations (LifecycleRule); incomplete multipart uploads are always aborted after
    multipart_abort_days. Example: [LifecycleRule("archive", transition_days=30, storage_class="GLACIER_IR")].
    """
    cors_rules: Sequence[CorsRule] = ()
    """CORS rules for browsers (signed-URL uploads). Example: [CorsRule(["https://app.example.com"], ["GET",
    "PUT"])].
    """
    access_log_bucket: pulumi.Input[str] | None = None
    """Bucket that receives this bucket's server access logs; None: no access logs (only for the log bucket
    itself). Example: logs.bucket_name.
    """
    access_log_prefix: str = "s3/"
    """Key prefix of those logs in the log bucket. Example: "s3/uploads/"."""
    served_by_cloudfront: bool = False
    """The bucket is read by a CloudFront distribution through OAC (allow_distribution writes the policy that
    admits exactly that distribution). Example: True for a site.
    """
    receives_logs: LogTargets | None = None
    """The kinds of logs this bucket receives (ALB, S3 server access, CloudFront standard logging), each under
    its own prefix; the policy admits exactly those writers. None: not a log bucket. Example:
    LogTargets(load_balancer_prefix="alb/").
    """
    content_dir: str | None = None
    """A folder whose files are uploaded with content types and cache headers (HTML revalidates, fingerprinted
    files are immutable); None: no upload. Example: "site/dist".
    """
    default_cache_control: str = "public, max-age=86400"
    """Cache-Control of uploaded files that are neither HTML nor fingerprinted. Example: "public, max-age=3600"."""
    multipart_abort_days: int = 7
    """Days after which incomplete multipart uploads are aborted (their parts bill as storage until then).
    Example: 1.
    """
    extra_statements: Sequence[Statement] = field(default_factory=tuple)
    """More bucket-policy statements, added after the TLS-only deny and the component's own grants. Example: a
    statement letting a partner account read a prefix.
    """
    keep_data_on_destroy: bool = True
    """True: a bucket that still holds objects stops `destroy` (production data); False: `destroy` empties it
    (every object version) and deletes it. Example: False for dev.
    """
    region: str | None = None
    """Another region than the provider's for the bucket, its key and settings (a replica kept where a regional
    outage does not reach); None: the provider's. Example: "eu-central-1".
    """
    object_lock: ObjectLock | None = None
    """Object Lock default retention (the bucket is created with Object Lock, which also turns versioning on;
    it cannot be added to an existing bucket). None: no lock. Example: ObjectLock("COMPLIANCE", 365).
    """
    key_statements: Callable[[str, str], Sequence[Statement]] | None = None
    """More statements for the bucket's own CMK policy (encryption "kms"), as a function of (region, account):
    the services that write encrypted objects. None: none. Example: lambda region, account:
    [cloudtrail_key_statement(...)].
    """


class StaticSite(pulumi.ComponentResource):
    """A private S3 bucket: all four public-access blocks, BucketOwnerEnforced (no ACLs), default
    encryption (its own CMK for private data, SSE-S3 for public site content and for logs), a
    policy that denies non-TLS requests, aborted multipart uploads, server access logs.

    A bucket served by CloudFront gets its policy when ``allow_distribution`` names the one
    distribution allowed to read it (OAC, ``AWS:SourceArn``); other buckets get it at once.

    Example::

        uploads = StaticSite("uploads", StaticSiteArgs(
            purpose="uploads", bucket_prefix="acme-prod-uploads", versioning=True,
            access_log_bucket=logs.bucket_name,
            cors_rules=[CorsRule(["https://app.example.com"], ["GET", "PUT"])],
        ))

    Cost (cost/prices.csv): $0.023 per GB-month in us-east-1 ($0.025 in me-south-1), requests by
    use, and $1 a month for a CMK; old versions of a versioned bucket bill as storage.
    """

    bucket_name: pulumi.Output[str]
    bucket_arn: pulumi.Output[str]
    regional_domain_name: pulumi.Output[str]
    kms_key_arn: pulumi.Output[str] | None

    def __init__(self, name: str, args: StaticSiteArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("webstack:storage:StaticSite", name, None, opts)
        _refuse_bad_args(args)
        self._args = args
        self._name = name
        self._context = aws_context(self)
        child = pulumi.ResourceOptions(parent=self)
        self.kms_key: aws.kms.Key | None = None
        if args.encryption == "kms":
            self.kms_key = customer_managed_key(
                f"{name}-key",
                description=f"S3 bucket {name}: {args.purpose}",
                alias=f"{pulumi.get_stack()}/{name}",
                context=self._context,
                parent=self,
                service_statements=lambda region, account: [
                    *([_cloudfront_decrypt(account)] if args.served_by_cloudfront else []),
                    *(args.key_statements(region, account) if args.key_statements else []),
                ],
                region=args.region,
            )
        bucket = aws.s3.Bucket(
            f"{name}-bucket",
            bucket_prefix=f"{args.bucket_prefix[:36]}-" if args.bucket_prefix else None,
            force_destroy=not args.keep_data_on_destroy,
            object_lock_enabled=True if args.object_lock is not None else None,
            tags={"Purpose": tag_value(args.purpose), "DataClass": args.data_class},
            region=args.region,
            opts=child,
        )
        self.bucket = bucket
        self._public_access_block = _lock_down(name, bucket, child, args.region)
        _default_encryption(name, bucket, self.kms_key, child, args.region)
        _object_lock(name, args.object_lock, bucket, child, args.region)
        self.versioning = _versioning(name, args, bucket, child)
        _lifecycle(name, args, bucket, child)
        _cors(name, args, bucket, child)
        if args.access_log_bucket is not None:
            aws.s3.BucketLogging(
                f"{name}-access-logs",
                bucket=bucket.id,
                target_bucket=args.access_log_bucket,
                target_prefix=f"{args.access_log_prefix}{name}/",
                region=args.region,
                opts=child,
            )
        if args.content_dir is not None:
            _upload(name, args.content_dir, args.default_cache_control, bucket, child)

        self.policy: aws.s3.BucketPolicy | None = None
        if not args.served_by_cloudfront:
            self.policy = self._bucket_policy([])
        self.bucket_name = bucket.bucket
        self.bucket_arn = bucket.arn
        self.regional_domain_name = bucket.bucket_regional_domain_name
        self.kms_key_arn = self.kms_key.arn if self.kms_key is not None else None
        self.register_outputs({"bucketName": self.bucket_name, "bucketArn": self.bucket_arn})

    @property
    def args(self) -> StaticSiteArgs:
        """What the bucket was built with (a replica takes the same lifecycle)."""
        return self._args

    def allow_distribution(self, distribution_arn: pulumi.Input[str]) -> aws.s3.BucketPolicy:
        """Let one CloudFront distribution read the objects (OAC); call once, for served buckets."""
        if self.policy is not None:
            raise ValueError(f"{self._name}: its bucket policy exists already")
        self.policy = self._bucket_policy([distribution_arn])
        return self.policy

    def _bucket_policy(self, distribution_arns: list[pulumi.Input[str]]) -> aws.s3.BucketPolicy:
        args = self._args
        inputs = pulumi.Output.all(self.bucket.arn, self._context.region, self._context.account_id, *distribution_arns)

        def render(values: list[str]) -> str:
            bucket_arn, region, account, *readers = values
            statements = [tls_only_statement(bucket_arn)]
            if readers:
                statements.append(cloudfront_read_statement(bucket_arn, readers))
            logs = args.receives_logs
            if logs is not None:
                if logs.load_balancer_prefix:
                    statements.append(alb_access_log_statement(bucket_arn, region, account, logs.load_balancer_prefix))
                if logs.server_access_prefix:
                    statements.append(server_access_log_statement(bucket_arn, account, logs.server_access_prefix))
                if logs.vended_prefix:
                    statements += vended_log_statements(bucket_arn, account, logs.vended_prefix)
                if logs.trail_name:
                    trail_arn = f"arn:aws:cloudtrail:{region}:{account}:trail/{logs.trail_name}"
                    statements += cloudtrail_delivery_statements(bucket_arn, account, trail_arn, logs.trail_prefix)
                if logs.config_prefix:
                    statements += config_delivery_statements(bucket_arn, account, logs.config_prefix)
            statements += args.extra_statements
            return json.dumps(policy_document(statements))

        return aws.s3.BucketPolicy(
            f"{self._name}-policy",
            bucket=self.bucket.id,
            policy=inputs.apply(render),
            region=args.region,
            # With the public-access block in place first, no policy can ever make the bucket public.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self._public_access_block]),
        )


def _refuse_bad_args(args: StaticSiteArgs) -> None:
    if args.encryption == "kms" and args.receives_logs is not None and args.receives_logs.needs_sse_s3():
        raise ValueError("log buckets must use SSE-S3: ELB and S3 access logs cannot be written with SSE-KMS")
    if args.object_lock is not None and not 1 <= args.object_lock.days <= 36500:
        raise ValueError(f"object_lock.days must be 1-36500, not {args.object_lock.days}")


def _lock_down(
    name: str, bucket: aws.s3.Bucket, child: pulumi.ResourceOptions, region: str | None
) -> aws.s3.BucketPublicAccessBlock:
    """All four public-access blocks, and no ACLs: the bucket owner owns every object."""
    block = aws.s3.BucketPublicAccessBlock(
        f"{name}-public-access-block",
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        region=region,
        opts=child,
    )
    aws.s3.BucketOwnershipControls(
        f"{name}-ownership",
        bucket=bucket.id,
        rule={"object_ownership": "BucketOwnerEnforced"},
        region=region,
        opts=child,
    )
    return block


def _object_lock(
    name: str, lock: ObjectLock | None, bucket: aws.s3.Bucket, child: pulumi.ResourceOptions, region: str | None
) -> None:
    """Default retention of every new object version (the bucket was created with Object Lock)."""
    if lock is None:
        return
    aws.s3.BucketObjectLockConfiguration(
        f"{name}-object-lock",
        bucket=bucket.id,
        object_lock_enabled="Enabled",
        rule={"default_retention": {"mode": lock.mode, "days": lock.days}},
        region=region,
        opts=child,
    )


def _default_encryption(
    name: str, bucket: aws.s3.Bucket, kms_key: aws.kms.Key | None, child: pulumi.ResourceOptions, region: str | None
) -> None:
    """SSE-KMS with the bucket's CMK (and a bucket key, fewer KMS calls), or SSE-S3."""
    aws.s3.BucketServerSideEncryptionConfiguration(
        f"{name}-encryption",
        bucket=bucket.id,
        rules=[
            {
                "apply_server_side_encryption_by_default": {
                    "sse_algorithm": "aws:kms",
                    "kms_master_key_id": kms_key.arn,
                },
                "bucket_key_enabled": True,
            }
            if kms_key is not None
            else {"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}
        ],
        region=region,
        opts=child,
    )


def _versioning(
    name: str, args: StaticSiteArgs, bucket: aws.s3.Bucket, child: pulumi.ResourceOptions
) -> aws.s3.BucketVersioning | None:
    if not (args.versioning or args.object_lock is not None):  # Object Lock turns versioning on
        return None
    return aws.s3.BucketVersioning(
        f"{name}-versioning",
        bucket=bucket.id,
        versioning_configuration={"status": "Enabled"},
        region=args.region,
        opts=child,
    )


def _lifecycle(name: str, args: StaticSiteArgs, bucket: aws.s3.Bucket, child: pulumi.ResourceOptions) -> None:
    """The rules asked for, and always: abort incomplete multipart uploads."""
    aws.s3.BucketLifecycleConfiguration(
        f"{name}-lifecycle",
        bucket=bucket.id,
        rules=[_lifecycle_rule(rule) for rule in args.lifecycle_rules]
        + [
            {
                "id": "abort-incomplete-multipart-uploads",
                "status": "Enabled",
                "filter": {},
                "abort_incomplete_multipart_upload": {"days_after_initiation": args.multipart_abort_days},
            }
        ],
        region=args.region,
        opts=child,
    )


def _cors(name: str, args: StaticSiteArgs, bucket: aws.s3.Bucket, child: pulumi.ResourceOptions) -> None:
    if not args.cors_rules:
        return
    aws.s3.BucketCorsConfiguration(
        f"{name}-cors",
        bucket=bucket.id,
        cors_rules=[
            {
                "allowed_origins": list(rule.allowed_origins),
                "allowed_methods": list(rule.allowed_methods),
                "allowed_headers": list(rule.allowed_headers),
                "expose_headers": list(rule.expose_headers),
                "max_age_seconds": rule.max_age_seconds,
            }
            for rule in args.cors_rules
        ],
        region=args.region,
        opts=child,
    )


def _upload(
    name: str, content_dir: str, cache_control: str, bucket: aws.s3.Bucket, child: pulumi.ResourceOptions
) -> None:
    """Every file of the folder, with its content type and cache headers."""
    for index, planned in enumerate(plan_objects(Path(content_dir), cache_control)):
        aws.s3.BucketObjectv2(
            f"{name}-object-{index}",
            bucket=bucket.id,
            key=planned.key,
            source=pulumi.FileAsset(str(planned.path)),
            content_type=planned.content_type,
            cache_control=planned.cache_control,
            opts=child,
        )


def _cloudfront_decrypt(account_id: str) -> Statement:
    """CloudFront (OAC) may decrypt objects for this account's distributions."""
    return {
        "Sid": "CloudFrontOriginAccessControlDecrypt",
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": "kms:Decrypt",
        "Resource": "*",
        "Condition": {"ArnLike": {"AWS:SourceArn": f"arn:aws:cloudfront::{account_id}:distribution/*"}},
    }


def _lifecycle_rule(rule: LifecycleRule) -> aws.s3.BucketLifecycleConfigurationRuleArgsDict:
    spec: aws.s3.BucketLifecycleConfigurationRuleArgsDict = {
        "id": rule.id,
        "status": "Enabled",
        "filter": {"prefix": rule.prefix},
    }
    if rule.transition_days is not None:
        spec["transitions"] = [{"days": rule.transition_days, "storage_class": rule.storage_class}]
    if rule.expiration_days is not None:
        spec["expiration"] = {"days": rule.expiration_days}
    if rule.noncurrent_expiration_days is not None:
        spec["noncurrent_version_expiration"] = {"noncurrent_days": rule.noncurrent_expiration_days}
    return spec
