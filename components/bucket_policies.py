"""Pure builders of S3 bucket-policy statements."""

from __future__ import annotations

from .iam_documents import Statement, deny_insecure_transport_statement

# Elastic Load Balancing writes access logs as this account in the regions it served before
# August 2022; newer regions use the logdelivery.elasticloadbalancing service principal.
ELB_LOG_ACCOUNTS = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-south-1": "718504428378",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-southeast-3": "589379963580",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "eu-south-1": "635631232127",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
}


def tls_only_statement(bucket_arn: str) -> Statement:
    """Deny every S3 action on the bucket and its objects that does not arrive over TLS."""
    return deny_insecure_transport_statement([bucket_arn, f"{bucket_arn}/*"], "s3:*")


def cloudfront_read_statement(bucket_arn: str, distribution_arns: list[str]) -> Statement:
    """OAC: CloudFront may read objects, on behalf of the named distributions only."""
    return {
        "Sid": "CloudFrontOriginAccessControlRead",
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": "s3:GetObject",
        "Resource": f"{bucket_arn}/*",
        "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arns}},
    }


def alb_access_log_statement(bucket_arn: str, region: str, account_id: str, prefix: str) -> Statement:
    principal = (
        {"AWS": f"arn:aws:iam::{ELB_LOG_ACCOUNTS[region]}:root"}
        if region in ELB_LOG_ACCOUNTS
        else {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}
    )
    return {
        "Sid": "LoadBalancerAccessLogs",
        "Effect": "Allow",
        "Principal": principal,
        "Action": "s3:PutObject",
        "Resource": f"{bucket_arn}/{prefix}/AWSLogs/{account_id}/*",
    }


def server_access_log_statement(bucket_arn: str, account_id: str, prefix: str) -> Statement:
    """S3 server access logs of this account's buckets (the target must not use SSE-KMS)."""
    return {
        "Sid": "S3ServerAccessLogs",
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": f"{bucket_arn}/{prefix}/*",
        "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
    }


def vended_log_statements(bucket_arn: str, account_id: str, prefix: str) -> list[Statement]:
    """CloudWatch vended-log delivery (CloudFront standard logging v2) into ``prefix``/<account>/.

    The two statements the CloudWatch Logs User Guide documents for logs sent to Amazon S3, with
    its Sids: log delivery checks the bucket ACL, then writes with bucket-owner-full-control.
    When a statement is missing, the delivery adds it to the bucket policy itself, and the next
    `pulumi up` removes it again; written here, the policy is whole and stays as planned.
    """
    conditions = {
        "StringEquals": {"aws:SourceAccount": account_id},
        "ArnLike": {"aws:SourceArn": f"arn:aws:logs:*:{account_id}:delivery-source:*"},
    }
    return [
        {
            "Sid": "AWSLogDeliveryAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": "delivery.logs.amazonaws.com"},
            "Action": "s3:GetBucketAcl",
            "Resource": bucket_arn,
            "Condition": conditions,
        },
        {
            "Sid": "AWSLogDeliveryWrite",
            "Effect": "Allow",
            "Principal": {"Service": "delivery.logs.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": f"{bucket_arn}/{prefix}/{account_id}/*",
            "Condition": {
                **conditions,
                "StringEquals": {"aws:SourceAccount": account_id, "s3:x-amz-acl": "bucket-owner-full-control"},
            },
        },
    ]


def cloudtrail_delivery_statements(bucket_arn: str, account_id: str, trail_arn: str, prefix: str) -> list[Statement]:
    """CloudTrail (one trail only, by aws:SourceArn) checks the bucket ACL and writes its log files
    under ``prefix``/AWSLogs/<account>/, handing the objects to the bucket owner (CloudTrail User
    Guide, "Amazon S3 bucket policy for CloudTrail")."""
    source = {"aws:SourceArn": trail_arn}
    return [
        {
            "Sid": "CloudTrailAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:GetBucketAcl",
            "Resource": bucket_arn,
            "Condition": {"StringEquals": source},
        },
        {
            "Sid": "CloudTrailWrite",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": f"{bucket_arn}/{prefix}/AWSLogs/{account_id}/*",
            "Condition": {"StringEquals": {**source, "s3:x-amz-acl": "bucket-owner-full-control"}},
        },
    ]


def config_delivery_statements(bucket_arn: str, account_id: str, prefix: str) -> list[Statement]:
    """AWS Config (the service principal, which delivers for the service-linked role) checks the
    bucket's ACL and existence and writes snapshots and history under ``prefix``/AWSLogs/<account>/Config/
    for this account only (AWS Config Developer Guide, "Permissions for the Amazon S3 bucket")."""
    account = {"aws:SourceAccount": account_id}
    principal = {"Service": "config.amazonaws.com"}
    return [
        {
            "Sid": "ConfigBucketPermissionsCheck",
            "Effect": "Allow",
            "Principal": principal,
            "Action": "s3:GetBucketAcl",
            "Resource": bucket_arn,
            "Condition": {"StringEquals": account},
        },
        {
            "Sid": "ConfigBucketExistenceCheck",
            "Effect": "Allow",
            "Principal": principal,
            "Action": "s3:ListBucket",
            "Resource": bucket_arn,
            "Condition": {"StringEquals": account},
        },
        {
            "Sid": "ConfigBucketDelivery",
            "Effect": "Allow",
            "Principal": principal,
            "Action": "s3:PutObject",
            "Resource": f"{bucket_arn}/{prefix}/AWSLogs/{account_id}/Config/*",
            "Condition": {"StringEquals": {**account, "s3:x-amz-acl": "bucket-owner-full-control"}},
        },
    ]
