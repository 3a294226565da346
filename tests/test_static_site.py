"""StaticSite under mocks: the secure bucket and its options."""

from __future__ import annotations

from pathlib import Path

import pulumi
import pytest

from components import CorsRule, LifecycleRule, LogTargets, StaticSite, StaticSiteArgs
from components.site_content import IMMUTABLE, REVALIDATE, plan_objects

from .helpers import ancestors, document, one, render, statements

DISTRIBUTION = "arn:aws:cloudfront::123456789012:distribution/E123"


def site_run(serve: bool = False, **overrides):
    def program():
        site = StaticSite("site", StaticSiteArgs(purpose="test", served_by_cloudfront=serve, **overrides))
        if serve:
            site.allow_distribution(DISTRIBUTION)

    return render(program, region="me-south-1")


def policy_statements(run):
    return statements(document(one(run, "aws:s3/bucketPolicy:BucketPolicy"), "policy"))


@pytest.mark.parametrize("serve", [False, True])
def test_all_four_public_access_blocks_and_owner_enforced(serve):
    run = site_run(serve=serve)
    bucket = one(run, "aws:s3/bucket:Bucket")
    block = one(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs
    assert block["bucket"] == bucket.id
    for flag in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"):
        assert block[flag] is True
    ownership = one(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs
    assert ownership["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    assert "acl" not in bucket.inputs


def test_default_encryption_with_the_buckets_cmk_and_bucket_key():
    run = site_run()
    (rule,) = one(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs[
        "rules"
    ]
    key = one(run, "aws:kms/key:Key")
    assert rule["applyServerSideEncryptionByDefault"] == {
        "sseAlgorithm": "aws:kms",
        "kmsMasterKeyId": f"arn:aws:kms:me-south-1:123456789012:key/{key.id}",
    }
    assert rule["bucketKeyEnabled"] is True
    assert key.inputs["enableKeyRotation"] is True


def test_sse_s3_option_creates_no_key():
    run = site_run(encryption="s3")
    (rule,) = one(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs[
        "rules"
    ]
    assert rule["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}
    assert run.of_type("aws:kms/key:Key") == []


def test_policy_denies_plain_http_on_bucket_and_objects():
    run = site_run()
    bucket_arn = f"arn:aws:s3:::{one(run, 'aws:s3/bucket:Bucket').id}"
    (deny,) = [s for s in policy_statements(run) if s["Effect"] == "Deny"]
    assert deny["Principal"] == "*"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert deny["Resource"] == [bucket_arn, f"{bucket_arn}/*"]


def test_served_bucket_is_readable_only_by_the_named_distribution():
    run = site_run(serve=True)
    (allow,) = [s for s in policy_statements(run) if s["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    assert allow["Condition"] == {"StringEquals": {"AWS:SourceArn": [DISTRIBUTION]}}
    policy = one(run, "aws:s3/bucketPolicy:BucketPolicy")
    assert one(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").urn in policy.dependencies
    # The key lets CloudFront decrypt for this account's distributions only.
    key_statements = statements(document(one(run, "aws:kms/key:Key"), "policy"))
    assert any(s.get("Sid") == "CloudFrontOriginAccessControlDecrypt" for s in key_statements)


def test_a_second_reader_is_refused():
    def program():
        site = StaticSite("site", StaticSiteArgs(purpose="t", served_by_cloudfront=True))
        site.allow_distribution(DISTRIBUTION)
        site.allow_distribution(DISTRIBUTION)

    with pytest.raises(Exception, match="bucket policy exists already"):
        render(program)


def test_versioning_lifecycle_and_cors_options():
    run = site_run(
        versioning=True,
        lifecycle_rules=[
            LifecycleRule("archive", transition_days=30, storage_class="GLACIER_IR", noncurrent_expiration_days=90)
        ],
        cors_rules=[CorsRule(["https://app.example.com"], ["GET", "PUT"])],
    )
    assert one(run, "aws:s3/bucketVersioning:BucketVersioning").inputs["versioningConfiguration"] == {
        "status": "Enabled"
    }
    rules = {
        r["id"]: r for r in one(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs["rules"]
    }
    assert rules["archive"]["transitions"] == [{"days": 30, "storageClass": "GLACIER_IR"}]
    assert rules["archive"]["noncurrentVersionExpiration"] == {"noncurrentDays": 90}
    assert rules["abort-incomplete-multipart-uploads"]["abortIncompleteMultipartUpload"] == {"daysAfterInitiation": 7}
    (cors,) = one(run, "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration").inputs["corsRules"]
    assert cors["allowedOrigins"] == ["https://app.example.com"]
    assert cors["allowedMethods"] == ["GET", "PUT"]


def test_no_versioning_unless_asked():
    assert site_run().of_type("aws:s3/bucketVersioning:BucketVersioning") == []


def test_server_access_logs_go_to_the_log_bucket():
    run = site_run(access_log_bucket="logs-bucket", access_log_prefix="s3/")
    logging = one(run, "aws:s3/bucketLogging:BucketLogging").inputs
    assert (logging["targetBucket"], logging["targetPrefix"]) == ("logs-bucket", "s3/site/")


def test_log_bucket_grants_each_log_writer_its_prefix_only():
    run = site_run(encryption="s3", receives_logs=LogTargets("alb", "s3", "AWSLogs"), data_class="logs")
    by_sid = {s.get("Sid"): s for s in policy_statements(run)}
    bucket_arn = f"arn:aws:s3:::{one(run, 'aws:s3/bucket:Bucket').id}"
    # me-south-1 predates August 2022: the regional ELB account writes the logs.
    assert by_sid["LoadBalancerAccessLogs"]["Principal"] == {"AWS": "arn:aws:iam::076674570225:root"}
    assert by_sid["LoadBalancerAccessLogs"]["Resource"] == f"{bucket_arn}/alb/AWSLogs/123456789012/*"
    assert by_sid["S3ServerAccessLogs"]["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    # CloudFront standard logging v2: both statements of the CloudWatch Logs guide, so log
    # delivery finds the policy whole and adds nothing a later `up` would strip again.
    acl_check, write = by_sid["AWSLogDeliveryAclCheck"], by_sid["AWSLogDeliveryWrite"]
    for statement in (acl_check, write):
        assert statement["Principal"] == {"Service": "delivery.logs.amazonaws.com"}
        assert statement["Condition"]["StringEquals"]["aws:SourceAccount"] == "123456789012"
        assert statement["Condition"]["ArnLike"] == {"aws:SourceArn": "arn:aws:logs:*:123456789012:delivery-source:*"}
    assert (acl_check["Action"], acl_check["Resource"]) == ("s3:GetBucketAcl", bucket_arn)
    assert (write["Action"], write["Resource"]) == ("s3:PutObject", f"{bucket_arn}/AWSLogs/123456789012/*")
    assert write["Condition"]["StringEquals"]["s3:x-amz-acl"] == "bucket-owner-full-control"


def test_newer_region_uses_the_elb_log_delivery_principal():
    def program():
        StaticSite("logs", StaticSiteArgs(purpose="t", encryption="s3", receives_logs=LogTargets("alb")))

    run = render(program, region="me-central-1")
    policy = statements(document(one(run, "aws:s3/bucketPolicy:BucketPolicy"), "policy"))
    by_sid = {s.get("Sid"): s for s in policy}
    assert by_sid["LoadBalancerAccessLogs"]["Principal"] == {
        "Service": "logdelivery.elasticloadbalancing.amazonaws.com"
    }


def test_log_bucket_with_kms_is_refused():
    with pytest.raises(Exception, match="log buckets must use SSE-S3"):
        site_run(receives_logs=LogTargets("alb"))


def test_upload_of_a_folder_with_content_types_and_cache_headers(tmp_path: Path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<h1>hi</h1>")
    (tmp_path / "assets" / "app.3f9c2b1a.js").write_text("x")
    (tmp_path / "assets" / "logo.svg").write_text("<svg/>")
    (tmp_path / ".DS_Store").write_text("")
    run = site_run(content_dir=str(tmp_path), default_cache_control="public, max-age=3600")
    objects = {o.inputs["key"]: o.inputs for o in run.of_type("aws:s3/bucketObjectv2:BucketObjectv2")}
    assert set(objects) == {"index.html", "assets/app.3f9c2b1a.js", "assets/logo.svg"}
    assert objects["index.html"]["contentType"] == "text/html; charset=utf-8"
    assert objects["index.html"]["cacheControl"] == REVALIDATE
    assert objects["assets/app.3f9c2b1a.js"]["cacheControl"] == IMMUTABLE
    assert objects["assets/logo.svg"]["contentType"] == "image/svg+xml"
    assert objects["assets/logo.svg"]["cacheControl"] == "public, max-age=3600"


def test_plan_objects_refuses_a_missing_folder(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        plan_objects(tmp_path / "missing", "x")


def test_every_child_is_parented_to_the_component():
    run = site_run(serve=True, versioning=True)
    component = one(run, "webstack:storage:StaticSite")
    assert all(component in ancestors(run, r) for r in run.custom())


def test_outputs_name_and_arn():
    def program():
        site = StaticSite("site", StaticSiteArgs(purpose="t", bucket_prefix="acme-dev-site"))
        pulumi.export("name", site.bucket_name)
        pulumi.export("domain", site.regional_domain_name)

    out = render(program, region="eu-west-1").outputs
    assert out["name"].startswith("acme-dev-site-")
    assert out["domain"] == f"{out['name']}.s3.eu-west-1.amazonaws.com"
