"""Encryption in transit: TLS from the viewer to CloudFront, to the ALB, to the data stores."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource, Severity

from . import types as t
from .iam import actions, principals, statements
from .props import UNKNOWN, as_list, get, is_set, peek
from .registry import joined, resource_rule, resources_of, stack_rule
from .types import canonical

TLS_POLICIES_SCHEMA = {
    "allowedPolicies": {
        "type": "array",
        "items": {"type": "string"},
        "default": ["ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"],
    }
}
VIEWER_TLS_SCHEMA = {
    "allowedMinimumProtocolVersions": {
        "type": "array",
        "items": {"type": "string"},
        # AWS's recommended policies (Security Hub CloudFront.15 passes only these two).
        "default": ["TLSv1.2_2025", "TLSv1.3_2025"],
    }
}
# API Gateway's TLS 1.2 policy and its enhanced policies, which all start at TLS 1.2 or 1.3
# (botocore apigateway SecurityPolicy; API Gateway Developer Guide, "Choose a security policy").
API_TLS_SCHEMA = {
    "allowedSecurityPolicies": {
        "type": "array",
        "items": {"type": "string"},
        "default": ["TLS_1_2", "SecurityPolicy_TLS13_*", "SecurityPolicy_TLS12_*"],
    }
}
WEAK_ORIGIN_PROTOCOLS = {"SSLv3", "TLSv1", "TLSv1.1"}


@resource_rule(
    "elasticache-transit-encryption-required",
    concern="encryption-in-transit",
    severity=Severity.HIGH,
    types=[t.REPLICATION_GROUP],
    description="ElastiCache requires TLS from every client.",
    remediation="RedisCache sets transit_encryption_enabled with transit_encryption_mode 'required'.",
    fsbp="ElastiCache.5",
    cdk_nag="AwsSolutions-AEC3",
)
def elasticache_transit(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "transitEncryptionEnabled") is not True:
        yield "transitEncryptionEnabled is not true"
    elif get(props, "transitEncryptionMode", default="required") != "required":
        yield "transitEncryptionMode is 'preferred': clients may still connect without TLS"


@resource_rule(
    "elasticache-auth-required",
    concern="encryption-in-transit",
    severity=Severity.HIGH,
    types=[t.REPLICATION_GROUP],
    description="Redis clients authenticate (AUTH token or RBAC user groups).",
    remediation="RedisCache generates an AUTH token and keeps it in Secrets Manager.",
    fsbp="ElastiCache.6",
    cdk_nag="AwsSolutions-AEC6",
)
def elasticache_auth(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "engine", default="redis") == "memcached":
        return
    if not get(props, "authToken") and not get(props, "authTokenWoVersion") and not get(props, "userGroupIds"):
        yield "neither an AUTH token nor user groups are set: any client in the network can connect"


@stack_rule(
    "rds-requires-tls",
    concern="encryption-in-transit",
    severity=Severity.HIGH,
    description=(
        "PostgreSQL instances require TLS: rds.force_ssl is 1, set in their parameter group or left at "
        "the engine's default (1 from PostgreSQL 15; 0 before)."
    ),
    remediation="ManagedPostgres attaches a parameter group with rds.force_ssl=1 to the primary and replicas.",
    fsbp="RDS (TLS in transit)",
)
def rds_force_ssl(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for instance in resources_of(resources, t.RDS_INSTANCE):
        props = instance.props
        engine = get(props, "engine")
        if engine is None and is_set(props, "replicateSourceDb"):
            engine = "postgres" if _force_ssl(instance) is not None else None  # a replica takes its source's
        if engine is None or "postgres" not in str(engine):
            continue
        value = _force_ssl(instance)
        if value == "1":
            continue
        if value is None:
            major = _major_version(instance)
            if major is None or major >= FORCE_SSL_DEFAULT_FROM:
                continue  # no version given: RDS picks the current default, which is 15 or later
            message = f"PostgreSQL {major} defaults to rds.force_ssl=0 and the parameter group does not set it"
            yield message, instance.urn
        else:
            yield f"the instance's parameter group sets rds.force_ssl={value}", instance.urn


# rds.force_ssl defaults to 1 in the default parameter groups from PostgreSQL 15 (Amazon RDS User
# Guide, "Requiring an SSL/TLS connection to a PostgreSQL DB instance").
FORCE_SSL_DEFAULT_FROM = 15


def _force_ssl(instance: PolicyResource) -> str | None:
    """rds.force_ssl as the instance's own parameter group sets it, else None."""
    for group in joined(instance, "parameterGroupName"):
        if group.resource_type == t.RDS_PARAMETER_GROUP:
            for parameter in as_list(get(group.props, "parameters")):
                if get(parameter, "name") == "rds.force_ssl":
                    return str(get(parameter, "value"))
    return None


def _major_version(instance: PolicyResource) -> int | None:
    """PostgreSQL's major version, from engineVersion ("16.4") or the parameter group family
    ("postgres16"); None when neither says."""
    given = peek(instance.props, "engineVersion", default="")
    candidates = ["" if given is UNKNOWN else str(given)]
    candidates += [
        str(peek(group.props, "family", default="")).removeprefix("postgres")
        for group in joined(instance, "parameterGroupName")
        if group.resource_type == t.RDS_PARAMETER_GROUP
    ]
    for text in candidates:
        head = text.split(".", 1)[0]
        if head.isdigit():
            return int(head)
    return None


@resource_rule(
    "alb-https-listener-uses-allowed-tls-policy",
    concern="encryption-in-transit",
    severity=Severity.HIGH,
    types=[t.LISTENER],
    description="HTTPS listeners use an allowed TLS 1.3 security policy.",
    remediation="FargateApi sets ssl_policy ELBSecurityPolicy-TLS13-1-2-2021-06 on its HTTPS listener.",
    fsbp="ELB.17",
    config_schema=TLS_POLICIES_SCHEMA,
)
def https_listener_tls(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if _protocol(props) != "HTTPS":
        return
    policy = get(props, "sslPolicy")
    if policy not in config["allowedPolicies"]:
        yield f"sslPolicy {policy!r} is not one of {', '.join(config['allowedPolicies'])}"
    if not is_set(props, "certificateArn"):
        yield "an HTTPS listener needs a certificateArn"


@stack_rule(
    "alb-http-listener-only-redirects",
    concern="encryption-in-transit",
    severity=Severity.HIGH,
    description="HTTP listeners do nothing but redirect to HTTPS.",
    remediation="FargateApi's port-80 listener has one default action: redirect to HTTPS 443.",
    fsbp="ELB.1",
    awsguard="alb-http-to-https-redirection",
)
def http_listener_redirects(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for listener in resources_of(resources, t.LISTENER):
        if _listener_protocol(listener) != "HTTP":
            continue
        balancers = joined(listener, "loadBalancerArn")
        if (
            without_custom_domain(listener.props)
            and balancers
            and all(get(b.props, "internal") is True for b in balancers)
        ):
            continue  # the VPC origin's leg of a stack without a domain: judged by no-custom-domain
        default_actions = as_list(get(listener.props, "defaultActions"))
        only_redirect = len(default_actions) == 1 and get(default_actions[0], "type") == "redirect"
        if not only_redirect or get(default_actions[0], "redirect", "protocol") != "HTTPS":
            yield "the HTTP listener serves traffic instead of redirecting it to HTTPS", listener.urn


def _listener_protocol(listener: PolicyResource) -> str | None:
    """The listener's protocol, with the provider's default when it is left out: on an
    application load balancer (or one not in the stack to say otherwise) HTTPS if it names a
    certificate, else HTTP (terraform-provider-aws's listener create); none on a network (TCP)
    or gateway (GENEVE) load balancer."""
    props = listener.props
    kinds = {str(get(b.props, "loadBalancerType", default="application")) for b in joined(listener, "loadBalancerArn")}
    if get(props, "protocol") is None and not kinds <= {"application"}:
        return None
    return _protocol(props)


def _protocol(props: Mapping[str, Any]) -> str:
    """A listener's protocol as written, else what the provider sends for an application load
    balancer: HTTPS when a certificate is named, HTTP otherwise."""
    protocol = get(props, "protocol")
    if protocol is not None:
        return str(protocol)
    return "HTTPS" if is_set(props, "certificateArn") else "HTTP"


@resource_rule(
    "cloudfront-viewer-https-only",
    concern="encryption-in-transit",
    severity=Severity.HIGH,
    types=[t.DISTRIBUTION],
    description="Every cache behaviour redirects viewers to HTTPS (or accepts HTTPS only).",
    remediation="EdgeDistribution sets viewer_protocol_policy 'redirect-to-https'.",
    fsbp="CloudFront.3",
)
def viewer_https(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    behaviours = [
        get(props, "defaultCacheBehavior", default={}),
        *as_list(get(props, "orderedCacheBehaviors")),
    ]
    for behaviour in behaviours:
        if get(behaviour, "viewerProtocolPolicy") not in ("redirect-to-https", "https-only"):
            yield f"a cache behaviour allows plain HTTP ({get(behaviour, 'viewerProtocolPolicy')})"


@resource_rule(
    "cloudfront-minimum-tls-version",
    concern="encryption-in-transit",
    severity=Severity.HIGH,
    types=[t.DISTRIBUTION],
    description="Viewers connect with TLS 1.2 or newer, on the distribution's own certificate.",
    remediation="EdgeDistribution uses the ACM certificate with minimum_protocol_version TLSv1.2_2025.",
    fsbp="CloudFront.15",
    cdk_nag="AwsSolutions-CFR4",
    config_schema=VIEWER_TLS_SCHEMA,
)
def viewer_tls(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    certificate = get(props, "viewerCertificate", default={})
    if get(certificate, "cloudfrontDefaultCertificate") is True:
        if not without_custom_domain(props):  # else judged by no-custom-domain
            yield "the default *.cloudfront.net certificate allows TLSv1"
        return
    version = get(certificate, "minimumProtocolVersion")
    if version not in config["allowedMinimumProtocolVersions"]:
        yield f"minimumProtocolVersion {version!r} is older than allowed"


@resource_rule(
    "cloudfront-origin-https-only",
    concern="encryption-in-transit",
    severity=Severity.HIGH,
    types=[t.DISTRIBUTION, t.VPC_ORIGIN],
    description="CloudFront reaches custom origins and VPC origins over HTTPS with TLS 1.2 only.",
    remediation=(
        "EdgeDistribution's load-balancer origin and FargateApi's VPC origin are https-only with "
        "origin_ssl_protocols ['TLSv1.2']."
    ),
    fsbp="CloudFront.9, CloudFront.10",
    cdk_nag="AwsSolutions-CFR5",
)
def origin_https(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    endpoint = get(props, "vpcOriginEndpointConfig")
    if endpoint:  # a VPC origin (HTTP without a custom domain is judged by no-custom-domain)
        if get(endpoint, "originProtocolPolicy") != "https-only" and not without_custom_domain(props):
            yield "the VPC origin allows HTTP to the load balancer"
        weak = WEAK_ORIGIN_PROTOCOLS & set(map(str, as_list(get(endpoint, "originSslProtocols", "items"))))
        if weak:
            yield f"the VPC origin allows {', '.join(sorted(weak))}"
    for origin in as_list(get(props, "origins")):
        custom = get(origin, "customOriginConfig")
        if not custom:
            continue
        if get(custom, "originProtocolPolicy") != "https-only":
            yield f"origin {get(origin, 'originId')} allows HTTP to the origin"
        weak = WEAK_ORIGIN_PROTOCOLS & set(map(str, as_list(get(custom, "originSslProtocols"))))
        if weak:
            yield f"origin {get(origin, 'originId')} allows {', '.join(sorted(weak))}"


def _denies_plain_http(statement: Mapping[str, Any]) -> bool:
    everyone = bool({("*", "*"), ("AWS", "*")} & set(principals(statement)))
    condition = get(statement, "Condition", "Bool", "aws:SecureTransport")
    every_action = any(a in ("s3:*", "*") for a in actions(statement))
    return statement.get("Effect") == "Deny" and everyone and str(condition).lower() == "false" and every_action


@stack_rule(
    "s3-bucket-denies-insecure-transport",
    concern="encryption-in-transit",
    severity=Severity.HIGH,
    description="Every bucket policy denies requests that do not use TLS (aws:SecureTransport false).",
    remediation="StaticSite always writes a bucket policy with the DenyInsecureTransport statement.",
    fsbp="S3.5",
    cdk_nag="AwsSolutions-S10",
)
def s3_tls_only(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for bucket in resources_of(resources, t.BUCKET):
        policies = [p for p in resources_of(resources, t.BUCKET_POLICY) if bucket in joined(p, "bucket")]
        # Its BucketPolicy, then its own (deprecated) policy input, read only if needed.
        documents = (get(holder.props, "policy") for holder in [*policies, bucket])
        if not any(_denies_plain_http(s) for document in documents for s in statements(document)):
            yield "no bucket policy denies non-TLS requests", bucket.urn


@resource_rule(
    "apigateway-domain-minimum-tls-version",
    concern="encryption-in-transit",
    severity=Severity.HIGH,
    types=[t.API_DOMAIN_NAME],
    description="API Gateway custom domains accept TLS 1.2 or newer only (an allowed security policy, named).",
    remediation="ServerlessApi's domain sets security_policy TLS_1_2; do not override it.",
    config_schema=API_TLS_SCHEMA,
)
def api_domain_tls(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    policy = get(props, "securityPolicy")
    allowed = config["allowedSecurityPolicies"]
    if policy is None:
        yield "securityPolicy is not set"
    elif not any(fnmatch.fnmatchcase(str(policy), pattern) for pattern in allowed):
        yield f"securityPolicy {policy!r} is not one of {', '.join(allowed)}"


# A stack without a custom domain (webstack:domain.name left out) tags what that weakens; the two
# rules below judge those resources as one decision, and the per-resource TLS rules above leave them
# to it (components/edge_settings.py writes the tags).
CUSTOM_DOMAIN_TAG, ACCEPTED_RISK_TAG, NO_CUSTOM_DOMAIN = "CustomDomain", "AcceptedRisk", "no-custom-domain"
NO_DOMAIN_WEAKNESS = {
    t.DISTRIBUTION: "viewers reach CloudFront's default *.cloudfront.net certificate, on which CloudFront still "
    "negotiates TLSv1 and TLSv1.1 whatever minimumProtocolVersion says",
    t.VPC_ORIGIN: "CloudFront reaches the load balancer over HTTP through the VPC origin (inside AWS's network, "
    "no TLS): no public certificate can name a load balancer without a domain",
    t.LISTENER: "the load balancer takes plain HTTP from CloudFront's VPC origin",
}


def without_custom_domain(props: Mapping[str, Any]) -> bool:
    return get(props, "tags", CUSTOM_DOMAIN_TAG) == "none"


def accepted_without_domain(props: Mapping[str, Any]) -> bool:
    return without_custom_domain(props) and get(props, "tags", ACCEPTED_RISK_TAG) == NO_CUSTOM_DOMAIN


def _without_domain(resources: list[PolicyResource]) -> Iterator[tuple[PolicyResource, str]]:
    """Each resource tagged as weakened by the lack of a custom domain, with what it weakens."""
    for resource in resources_of(resources, *NO_DOMAIN_WEAKNESS):
        if without_custom_domain(resource.props):
            yield resource, NO_DOMAIN_WEAKNESS[canonical(resource.resource_type)]


@stack_rule(
    NO_CUSTOM_DOMAIN,
    concern="encryption-in-transit",
    severity=Severity.HIGH,
    description="A stack serves on its own domain: without one, viewers may use TLSv1 on *.cloudfront.net and "
    "CloudFront reaches the API's load balancer over HTTP. Advisory in dev and staging; in prod only an explicit "
    "acceptance turns it into the advisory no-custom-domain-accepted.",
    remediation="Set webstack:domain.name (each host then has its certificate and the ALB its HTTPS listener), or "
    "accept it with webstack:domain.accept_no_custom_domain: true.",
    # The one encryption rule a stack config may relax: whether to own a domain is the team's
    # call, and dev stacks often start without one (see policy/README.md).
    relaxable=True,
)
def no_custom_domain(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for resource, weakness in _without_domain(resources):
        if not accepted_without_domain(resource.props):
            yield weakness, resource.urn


@stack_rule(
    "no-custom-domain-accepted",
    concern="encryption-in-transit",
    severity=Severity.LOW,
    description="Lists, on every preview, what a stack without a custom domain accepted "
    "(webstack:domain.accept_no_custom_domain); advisory in every environment.",
    remediation="Set webstack:domain.name and drop accept_no_custom_domain to end it.",
    relaxable=True,
)
def no_custom_domain_accepted(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for resource, weakness in _without_domain(resources):
        if accepted_without_domain(resource.props):
            yield f"accepted: {weakness}", resource.urn
