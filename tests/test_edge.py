"""EdgeDomain and EdgeDistribution under mocks."""

from __future__ import annotations

import pytest

from components import (
    DnsRecord,
    EdgeDistribution,
    EdgeDistributionArgs,
    EdgeDomain,
    EdgeDomainArgs,
    LoadBalancerOrigin,
    S3Origin,
)
from components.edge_settings import (
    ALL_VIEWER_EXCEPT_HOST_HEADER,
    CACHING_DISABLED,
    MANAGED_RULE_GROUPS,
    body_inspection_limit_kb,
    web_acl_rules,
    www_redirect_function_code,
)

from .helpers import one, render

DISTRIBUTION = "aws:cloudfront/distribution:Distribution"


def domain_run(**overrides):
    args = EdgeDomainArgs(domain="example.com", name_prefix="acme-prod", **overrides)
    return render(lambda: EdgeDomain("edge", args), region="me-south-1")


def test_certificates_in_us_east_1_and_the_stack_region_validated_by_dns():
    run = domain_run()
    certs = {c.inputs.get("region", "me-south-1"): c for c in run.of_type("aws:acm/certificate:Certificate")}
    assert set(certs) == {"us-east-1", "me-south-1"}
    for cert in certs.values():
        assert cert.inputs["domainName"] == "example.com"
        assert cert.inputs["subjectAlternativeNames"] == ["*.example.com"]
        assert cert.inputs["validationMethod"] == "DNS"
    validations = run.of_type("aws:acm/certificateValidation:CertificateValidation")
    assert {v.inputs.get("region", "me-south-1") for v in validations} == {"us-east-1", "me-south-1"}


def test_one_validation_record_serves_both_certificates():
    """ACM's validation record is the same for a domain in every region of one account: one
    resource manages it, so dropping the regional certificate cannot delete what the edge one
    renews with."""
    run = domain_run()
    (record,) = [r for r in run.of_type("aws:route53/record:Record") if r.inputs["type"] == "CNAME"]
    assert record.inputs["name"].endswith(".example.com.")
    for validation in run.of_type("aws:acm/certificateValidation:CertificateValidation"):
        assert validation.inputs["validationRecordFqdns"] == [record.inputs["name"].rstrip(".")]
        assert record.urn in validation.property_dependencies["validationRecordFqdns"]
    assert len(domain_run(regional_certificate=False).of_type("aws:route53/record:Record")) == 1


def test_existing_zone_is_looked_up_or_a_new_one_created():
    assert domain_run().of_type("aws:route53/zone:Zone") == []
    zone = one(domain_run(hosted_zone="create"), "aws:route53/zone:Zone")
    assert zone.inputs["name"] == "example.com"


def test_cache_policies_follow_seed_000():
    run = domain_run()
    ttls = {p.inputs["name"]: p.inputs["defaultTtl"] for p in run.of_type("aws:cloudfront/cachePolicy:CachePolicy")}
    assert ttls == {"acme-prod-marketing": 86400, "acme-prod-dashboard": 3600, "acme-prod-assets": 2592000}
    for policy in run.of_type("aws:cloudfront/cachePolicy:CachePolicy"):
        params = policy.inputs["parametersInCacheKeyAndForwardedToOrigin"]
        assert params["enableAcceptEncodingGzip"] and params["enableAcceptEncodingBrotli"]


def test_security_headers_policy():
    headers = one(domain_run(), "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy").inputs[
        "securityHeadersConfig"
    ]
    hsts = headers["strictTransportSecurity"]
    assert hsts["accessControlMaxAgeSec"] >= 31536000 and hsts["includeSubdomains"] and hsts["override"]
    assert headers["contentTypeOptions"] == {"override": True}
    assert headers["frameOptions"] == {"frameOption": "DENY", "override": True}
    assert headers["referrerPolicy"]["referrerPolicy"] == "strict-origin-when-cross-origin"


def test_waf_in_us_east_1_with_managed_groups_and_rate_limit():
    acl = one(domain_run(rate_limit_per_5_minutes=1000), "aws:wafv2/webAcl:WebAcl").inputs
    assert (acl["scope"], acl["region"]) == ("CLOUDFRONT", "us-east-1")
    assert acl["defaultAction"] == {"allow": {}}
    groups = [
        r["statement"]["managedRuleGroupStatement"]["name"]
        for r in acl["rules"]
        if "managedRuleGroupStatement" in r["statement"]
    ]
    assert sorted(groups) == sorted(MANAGED_RULE_GROUPS)
    (rate,) = [r for r in acl["rules"] if "rateBasedStatement" in r["statement"]]
    assert rate["statement"]["rateBasedStatement"] == {"limit": 1000, "aggregateKeyType": "IP"}
    assert rate["action"] == {"block": {}}


# A small interpreter of the statements webstack's web ACL uses, after the WAF Developer Guide:
# rules run by priority; a managed rule overridden to Count only adds its label; a later rule
# sees the labels; the body WAF inspects is cut at the web ACL's inspection limit.
CRS_BODY_LIMIT = 8 * 1024


def matches(statement, request, labels, inspection_limit):
    if "andStatement" in statement:
        return all(matches(s, request, labels, inspection_limit) for s in statement["andStatement"]["statements"])
    if "orStatement" in statement:
        return any(matches(s, request, labels, inspection_limit) for s in statement["orStatement"]["statements"])
    if "notStatement" in statement:
        return not matches(statement["notStatement"]["statement"], request, labels, inspection_limit)
    if "labelMatchStatement" in statement:
        return statement["labelMatchStatement"]["key"] in labels
    if "byteMatchStatement" in statement:
        byte_match = statement["byteMatchStatement"]
        assert byte_match["fieldToMatch"] == {"singleHeader": {"name": "host"}}
        assert byte_match["positionalConstraint"] == "EXACTLY"
        return request["host"].lower() == byte_match["searchString"]
    size = statement["sizeConstraintStatement"]
    if request["body"] > inspection_limit:
        return {"MATCH": True, "NO_MATCH": False}.get(size["fieldToMatch"]["body"]["oversizeHandling"], False)
    assert size["comparisonOperator"] == "GT"
    return request["body"] > size["size"]


def verdict(acl, host, body_bytes):
    """'block' or 'allow' for a request with this Host and body size (no bad inputs otherwise)."""
    config = (acl.get("associationConfig") or {}).get("requestBodies", [{}])[0]
    limit_name = config.get("cloudfront", {}).get("defaultSizeInspectionLimit", "KB_16")
    inspection_limit = int(limit_name.removeprefix("KB_")) * 1024
    request, labels = {"host": host, "body": body_bytes}, set()
    for rule in sorted(acl["rules"], key=lambda r: r["priority"]):
        statement = rule["statement"]
        group = statement.get("managedRuleGroupStatement")
        if group is not None:
            if group["name"] == "AWSManagedRulesCommonRuleSet" and body_bytes > CRS_BODY_LIMIT:
                counted = {o["name"] for o in group.get("ruleActionOverrides", []) if "count" in o["actionToUse"]}
                if "SizeRestrictions_BODY" not in counted:
                    return "block"
                labels.add("awswaf:managed:aws:core-rule-set:SizeRestrictions_Body")
            continue
        if "rateBasedStatement" in statement:
            continue
        if matches(statement, request, labels, inspection_limit):
            return "block"
    return "allow"


def test_the_api_takes_the_bodies_it_needs_while_the_sites_keep_the_8_kb_limit():
    acl = one(domain_run(api_hosts=["api.example.com"]), "aws:wafv2/webAcl:WebAcl").inputs
    assert verdict(acl, "api.example.com", 12 * 1024) == "allow"  # the Common Rule Set alone: 403
    assert verdict(acl, "api.example.com", 16 * 1024) == "allow"
    assert verdict(acl, "API.example.com", 16 * 1024 + 1) == "block"
    assert verdict(acl, "api.example.com", 200 * 1024) == "block"  # past what WAF inspects
    for site in ("example.com", "app.example.com"):
        assert verdict(acl, site, 8 * 1024) == "allow"
        assert verdict(acl, site, 8 * 1024 + 1) == "block"
    assert "associationConfig" not in acl  # 16 KB is CloudFront's default inspection limit


def test_a_larger_api_limit_asks_cloudfront_for_more_of_each_body():
    acl = one(
        domain_run(api_hosts=["api.example.com", "pay.example.com"], api_max_body_kb=40), "aws:wafv2/webAcl:WebAcl"
    ).inputs
    assert acl["associationConfig"] == {"requestBodies": [{"cloudfront": {"defaultSizeInspectionLimit": "KB_48"}}]}
    assert verdict(acl, "pay.example.com", 40 * 1024) == "allow"
    assert verdict(acl, "api.example.com", 40 * 1024 + 1) == "block"
    assert verdict(acl, "admin.example.com", 9 * 1024) == "block"


def test_no_waf_body_limit_for_the_api_when_the_application_sets_its_own():
    acl = one(domain_run(api_hosts=["api.example.com"], api_max_body_kb=None), "aws:wafv2/webAcl:WebAcl").inputs
    assert verdict(acl, "api.example.com", 10 * 1024 * 1024) == "allow"
    assert verdict(acl, "example.com", 9 * 1024) == "block"


def test_without_an_api_the_common_rule_set_is_untouched():
    acl = one(domain_run(), "aws:wafv2/webAcl:WebAcl").inputs
    assert all("ruleActionOverrides" not in str(r) for r in acl["rules"])
    assert verdict(acl, "example.com", 9 * 1024) == "block"


def test_inspection_limits_are_aws_steps():
    assert [body_inspection_limit_kb(kb) for kb in (None, 1, 16, 17, 48, 64)] == [16, 16, 16, 32, 48, 64]
    with pytest.raises(ValueError, match="at most 64 KB"):
        body_inspection_limit_kb(65)


def test_waf_is_optional():
    assert domain_run(waf=False).of_type("aws:wafv2/webAcl:WebAcl") == []


def test_www_redirect_function_keeps_path_and_query():
    code = www_redirect_function_code("example.com")
    assert '"https://example.com" + request.uri' in code
    assert "statusCode: 301" in code


def test_without_a_domain_only_the_shared_policies_and_web_acl():
    args = EdgeDomainArgs(domain=None, name_prefix="acme-dev", waf_logging=None)
    run = render(lambda: EdgeDomain("edge", args), region="me-south-1")
    kinds = {r.type.split(":")[1] for r in run.custom()}
    assert kinds == {"cloudfront/cachePolicy", "cloudfront/responseHeadersPolicy", "wafv2/webAcl"}, kinds
    spf = EdgeDomainArgs(domain=None, name_prefix="x", records=[DnsRecord("", "TXT", ("v=spf1 -all",))])
    with pytest.raises(Exception, match="records: a stack without a domain has no zone"):
        render(lambda: EdgeDomain("edge", spf))


def test_without_a_hostname_the_distribution_answers_on_its_cloudfront_name():
    run, _ = distribution_run(hostname=None, certificate_arn=None, zone_id=None, accept_no_custom_domain=True)
    distribution = one(run, DISTRIBUTION).inputs
    assert distribution["viewerCertificate"] == {"cloudfrontDefaultCertificate": True}
    assert "aliases" not in distribution
    assert distribution["tags"] == {"CustomDomain": "none", "AcceptedRisk": "no-custom-domain"}
    assert run.of_type("aws:route53/record:Record") == []
    with pytest.raises(Exception, match="hostname and certificate_arn: give both"):
        distribution_run(hostname=None, zone_id=None)


def test_an_api_without_a_domain_gets_its_body_limit_on_every_host():
    """CloudFront names a domain-less stack's distributions only at up, so the web ACL cannot tell
    the API's host from the sites': the API's limit applies to all (the sites take no bodies)."""
    rules = {r["name"]: r for r in web_acl_rules(2000, ["*"], 32)}
    assert "body-size-sites" not in rules
    assert rules["body-size-api"]["statement"]["size_constraint_statement"]["size"] == 32 * 1024
    common = rules["AWSManagedRulesCommonRuleSet"]["statement"]["managed_rule_group_statement"]
    assert [o["name"] for o in common["rule_action_overrides"]] == ["SizeRestrictions_BODY"]


def distribution_run(origin_kind="s3", **overrides):
    granted = []

    def program():
        if origin_kind == "s3":
            origin = S3Origin("site.s3.me-south-1.amazonaws.com", granted.append)
        else:
            origin = LoadBalancerOrigin(
                "origin-api.example.com", "shh-secret", vpc_origin_id="vo-123" if origin_kind == "vpc" else None
            )
        EdgeDistribution(
            "site-edge",
            EdgeDistributionArgs(
                **{
                    "hostname": "app.example.com" if origin_kind == "s3" else "api.example.com",
                    "zone_id": "Z123",
                    "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/abc",
                    "origin": origin,
                    "response_headers_policy_id": "rhp-1",
                    "cache_policy_id": "cp-1" if origin_kind == "s3" else None,
                    "log_bucket_arn": "arn:aws:s3:::logs",
                    **overrides,
                }
            ),
        )

    return render(program, region="me-south-1"), granted


def test_viewer_tls_http3_ipv6_compression_and_redirect_to_https():
    run, _ = distribution_run()
    dist = one(run, DISTRIBUTION).inputs
    assert dist["viewerCertificate"]["minimumProtocolVersion"] == "TLSv1.2_2025"
    assert dist["viewerCertificate"]["sslSupportMethod"] == "sni-only"
    assert dist["httpVersion"] == "http2and3"
    assert dist["isIpv6Enabled"] is True
    behavior = dist["defaultCacheBehavior"]
    assert behavior["viewerProtocolPolicy"] == "redirect-to-https"
    assert behavior["compress"] is True
    assert behavior["responseHeadersPolicyId"] == "rhp-1"


def test_s3_origin_uses_oac_and_grants_read_to_this_distribution():
    run, granted = distribution_run()
    dist = one(run, DISTRIBUTION)
    oac = one(run, "aws:cloudfront/originAccessControl:OriginAccessControl")
    (origin,) = dist.inputs["origins"]
    assert origin["originAccessControlId"] == oac.id
    assert "s3OriginConfig" not in origin
    assert oac.inputs["signingBehavior"] == "always" and oac.inputs["originAccessControlOriginType"] == "s3"
    assert len(granted) == 1
    assert dist.inputs["defaultCacheBehavior"]["cachePolicyId"] == "cp-1"
    assert dist.inputs["defaultRootObject"] == "index.html"


def test_spa_fallback_answers_index_html():
    run, _ = distribution_run(spa=True)
    errors = one(run, DISTRIBUTION).inputs["customErrorResponses"]
    assert {(e["errorCode"], e["responseCode"], e["responsePagePath"]) for e in errors} == {
        (403, 200, "/index.html"),
        (404, 200, "/index.html"),
    }


def test_api_origin_https_only_with_secret_header_and_no_cache():
    run, _ = distribution_run("alb")
    dist = one(run, DISTRIBUTION)
    (origin,) = dist.inputs["origins"]
    assert origin["customOriginConfig"]["originProtocolPolicy"] == "https-only"
    assert origin["customOriginConfig"]["originSslProtocols"] == ["TLSv1.2"]
    assert origin["customHeaders"] == [{"name": "X-Origin-Verify", "value": "shh-secret"}]
    behavior = dist.inputs["defaultCacheBehavior"]
    assert behavior["cachePolicyId"] == CACHING_DISABLED
    assert behavior["originRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER
    assert "POST" in behavior["allowedMethods"]


def test_internal_alb_is_reached_through_its_vpc_origin_with_the_secret_header():
    run, _ = distribution_run("vpc")
    (origin,) = one(run, DISTRIBUTION).inputs["origins"]
    assert origin["vpcOriginConfig"] == {"vpcOriginId": "vo-123", "originReadTimeout": 60, "originKeepaliveTimeout": 5}
    assert "customOriginConfig" not in origin
    assert origin["domainName"] == "origin-api.example.com"  # the name the ALB's certificate covers
    assert origin["customHeaders"] == [{"name": "X-Origin-Verify", "value": "shh-secret"}]


def test_alias_records_a_and_aaaa_for_every_name():
    run, _ = distribution_run(extra_aliases=["www.example.com"], viewer_request_function_arn="arn:fn")
    records = {(r.inputs["name"], r.inputs["type"]) for r in run.of_type("aws:route53/record:Record")}
    assert records == {
        ("app.example.com", "A"),
        ("app.example.com", "AAAA"),
        ("www.example.com", "A"),
        ("www.example.com", "AAAA"),
    }
    dist = one(run, DISTRIBUTION).inputs
    assert dist["aliases"] == ["app.example.com", "www.example.com"]
    assert dist["defaultCacheBehavior"]["functionAssociations"] == [
        {"eventType": "viewer-request", "functionArn": "arn:fn"}
    ]


def test_standard_logging_v2_to_the_log_bucket_from_us_east_1():
    run, _ = distribution_run()
    source = one(run, "aws:cloudwatch/logDeliverySource:LogDeliverySource").inputs
    destination = one(run, "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination").inputs
    delivery = one(run, "aws:cloudwatch/logDelivery:LogDelivery").inputs
    assert source["logType"] == "ACCESS_LOGS" and source["region"] == "us-east-1"
    assert source["resourceArn"].startswith("arn:aws:cloudfront::123456789012:distribution/")
    assert destination["deliveryDestinationConfiguration"] == {"destinationResourceArn": "arn:aws:s3:::logs"}
    assert delivery["deliverySourceName"] == source["name"]


@pytest.mark.parametrize("acl", [None, "arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/1"])
def test_web_acl_is_attached_when_given(acl):
    run, _ = distribution_run(web_acl_arn=acl)
    assert one(run, DISTRIBUTION).inputs.get("webAclId") == acl
