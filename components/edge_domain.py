"""EdgeDomain: what every CloudFront distribution of one domain shares — the hosted zone, the
certificates, the cache and security-header policies, the www redirect and the WAF web ACL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_aws as aws

from .aws_context import aws_context
from .dns_certificate import IssuedCertificate, validated_certificate
from .dns_records import DnsRecord, checked_record, record_label, route53_value
from .edge_settings import CACHE_PROFILES, web_acl_association_config, web_acl_rules, www_redirect_function_code
from .waf_logging import FULL_WAF_LOGS, WafLogSettings, web_acl_logging

EDGE_REGION = "us-east-1"  # CloudFront reads certificates and CLOUDFRONT-scope web ACLs only here


@dataclass(frozen=True)
class EdgeDomainArgs:
    domain: str | None
    """The domain every host lives under; None: no custom domain, so no zone, certificates, www redirect or
    records, and the distributions answer on their own *.cloudfront.net names. Example: "example.com".
    """
    name_prefix: str
    """Start of every physical name (policies, functions, web ACL). Example: "acme-prod"."""
    hosted_zone: Literal["lookup", "create", "external"] = "lookup"
    """Where the zone comes from: "lookup" uses the existing public zone of that name; "create" makes one
    ($0.50 a month), which you then delegate from the registrar; "external": the domain's DNS stays at another
    provider, so no Route 53 zone is read or created and no record is written (EdgeDomain.validation_records: ACM's,
    to create there with the distributions' CNAMEs). Example: "create".
    """
    validation_timeout_minutes: int = 60
    """Minutes `up` waits for ACM to issue each certificate before it stops with an error (5-4320; ACM itself
    gives up after 72 hours). With "external" this includes the time you take to create the validation records
    and for resolvers to forget that they did not exist (the negative-caching TTL of the zone's SOA record).
    Example: 120.
    """
    regional_certificate: bool = True
    """Also issue a certificate in the stack's region (for the ALB), beside CloudFront's in us-east-1.
    Example: False for a stack with only sites.
    """
    waf: bool = True
    """A WAF web ACL on every distribution: AWS's common, known-bad-inputs and IP-reputation rule groups and a
    per-IP rate limit ($5 a month plus $1 per rule and $0.60 per million requests). Example: False for a
    private preview.
    """
    rate_limit_per_5_minutes: int = 2000
    """Requests one IP may make in 5 minutes before WAF blocks it (10 to 2,000,000,000). Example: 500."""
    api_hosts: Sequence[str] = ()
    """Host names the API answers on: the web ACL lets their request bodies reach api_max_body_kb instead of
    the Common Rule Set's 8 KB; ("*",) applies the API's limit to every host (a stack without a domain,
    whose names CloudFront assigns at up; its sites take no bodies). Example: ("api.example.com",).
    """
    api_max_body_kb: int | None = 16
    """Largest request body (KB, 1-64) the WAF lets through to the API hosts; above 16 KB CloudFront sends WAF
    more of each body, billed per request. None: no WAF body limit on the API. Example: 64.
    """
    records: Sequence[DnsRecord] = ()
    """More record sets of the zone beside webstack's aliases: mail (MX), SPF, DMARC and verification (TXT),
    CAA (which CAs may issue), CNAMEs to other services. Each name and type once; a TXT value longer than
    255 characters is split as DNS requires. Example: [DnsRecord("", "CAA", ['0 issue "amazon.com"'])].
    """
    waf_logging: WafLogSettings | None = FULL_WAF_LOGS
    """Log the web ACL's requests to the log group aws-waf-logs-<name_prefix>-edge in us-east-1 (where
    CLOUDFRONT-scope logs must go), encrypted with a key of its own there, the Authorization and Cookie
    headers redacted (FSBP WAF.11); None: no logs. About $0.50 per GB ingested. Example:
    WafLogSettings(retention_days=90, keep="blocked").
    """
    hsts_max_age_seconds: int = 63072000
    """HSTS max-age of the response-headers policy (with includeSubDomains and preload); two years is the
    preload list's requirement. Example: 31536000.
    """


class EdgeDomain(pulumi.ComponentResource):
    """What every distribution of one domain shares: the hosted zone (looked up or created); an
    ACM certificate for the domain and its wildcard in us-east-1 (CloudFront) and one in the
    stack's region (the ALB), validated by DNS; a cache policy per profile; a response-headers
    policy (HSTS two years with subdomains and preload, nosniff, frame DENY, referrer policy); the
    www redirect function; and the WAF web ACL (AWS's common, known-bad-inputs and IP-reputation
    groups and a per-IP rate limit) with its requests logged to an encrypted log group in us-east-1,
    credentials redacted. CloudFront allows 20 custom policies per account, so one set
    per stack rather than one per distribution. Without a domain (``domain=None``) only the
    policies and the web ACL: the distributions then serve on their *.cloudfront.net names. With
    ``hosted_zone="external"`` nothing in Route 53: ``validation_records`` are the records to create
    at the domain's DNS provider, and each certificate's validation waits for them at most
    ``validation_timeout_minutes``.

    Example::

        domain = EdgeDomain("edge", EdgeDomainArgs(domain="example.com", name_prefix="acme-prod"))
        EdgeDistributionArgs(..., certificate_arn=domain.certificate_arn, web_acl_arn=domain.web_acl_arn)

    Cost (cost/prices.csv): a created zone $0.50 a month and $0.40 per million queries (alias
    queries to CloudFront are free); public certificates free; the web ACL $5 a month plus $1 per
    rule and $0.60 per million requests; its logs $0.50 per GB ingested, $0.03 per GB-month kept, and
    $1 a month for their key.
    """

    zone_id: pulumi.Output[str] | None
    certificate_arn: pulumi.Output[str] | None
    regional_certificate_arn: pulumi.Output[str] | None
    cache_policy_ids: dict[str, pulumi.Output[str]]
    response_headers_policy_id: pulumi.Output[str]
    www_redirect_function_arn: pulumi.Output[str] | None
    web_acl_arn: pulumi.Output[str] | None
    validation_records: pulumi.Output[list[dict[str, str]]]
    web_acl_name: str | None  # also the web ACL's metric name

    def __init__(self, name: str, args: EdgeDomainArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        for record in args.records:
            checked_record(record)
        if args.domain is None and args.records:
            raise ValueError("records: a stack without a domain has no zone to hold them")
        if args.records and args.hosted_zone == "external":
            raise ValueError(
                "records: with hosted_zone 'external' webstack writes no records; create them at your provider"
            )
        if not 5 <= args.validation_timeout_minutes <= 4320:
            raise ValueError(f"validation_timeout_minutes {args.validation_timeout_minutes}: 5-4320 (ACM's 72 hours)")
        sets = [(record_label(r.name), r.type) for r in args.records]
        if len(set(sets)) != len(sets):
            raise ValueError("records: give each name and type once, with all its values")
        super().__init__("webstack:edge:EdgeDomain", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.zone_id = self.certificate_arn = self.regional_certificate_arn = self.www_redirect_function_arn = None
        self.validation_records = pulumi.Output.from_input([])
        if args.domain is not None:
            self._domain_parts(name, args, args.domain, child)
        self.cache_policy_ids = {
            profile.name: aws.cloudfront.CachePolicy(
                f"{name}-cache-{profile.name}",
                name=f"{args.name_prefix}-{profile.name}",
                comment=profile.description,
                min_ttl=0,
                default_ttl=profile.default_ttl,
                max_ttl=profile.max_ttl,
                parameters_in_cache_key_and_forwarded_to_origin={
                    "cookies_config": {"cookie_behavior": "none"},
                    "headers_config": {"header_behavior": "none"},
                    "query_strings_config": {"query_string_behavior": "none"},
                    "enable_accept_encoding_gzip": True,
                    "enable_accept_encoding_brotli": True,
                },
                opts=child,
            ).id
            for profile in CACHE_PROFILES.values()
        }
        self.response_headers_policy_id = aws.cloudfront.ResponseHeadersPolicy(
            f"{name}-security-headers",
            name=f"{args.name_prefix}-security-headers",
            comment="HSTS, nosniff, frame denial, referrer policy",
            security_headers_config={
                "strict_transport_security": {
                    "access_control_max_age_sec": args.hsts_max_age_seconds,
                    "include_subdomains": True,
                    "preload": True,
                    "override": True,
                },
                "content_type_options": {"override": True},
                "frame_options": {"frame_option": "DENY", "override": True},
                "referrer_policy": {"referrer_policy": "strict-origin-when-cross-origin", "override": True},
            },
            opts=child,
        ).id
        self.web_acl_arn = None
        self.web_acl_name = None
        if args.waf:
            self.web_acl_name = f"{args.name_prefix}-edge"
            self.web_acl_arn = aws.wafv2.WebAcl(
                f"{name}-waf",
                name=self.web_acl_name,
                description=f"{args.domain or args.name_prefix}: AWS managed rules and a per-IP rate limit",
                scope="CLOUDFRONT",
                region=EDGE_REGION,
                default_action={"allow": {}},
                rules=web_acl_rules(  # type: ignore[arg-type]
                    args.rate_limit_per_5_minutes, args.api_hosts, args.api_max_body_kb
                ),
                association_config=web_acl_association_config(  # type: ignore[arg-type]
                    args.api_max_body_kb if args.api_hosts else None
                ),
                visibility_config={
                    "cloudwatch_metrics_enabled": True,
                    "sampled_requests_enabled": True,
                    "metric_name": self.web_acl_name,
                },
                opts=child,
            ).arn
            if args.waf_logging is not None:
                web_acl_logging(
                    f"{name}-waf",
                    web_acl_arn=self.web_acl_arn,
                    web_acl_name=self.web_acl_name,
                    settings=args.waf_logging,
                    context=aws_context(self),
                    parent=self,
                    region=EDGE_REGION,
                )

        self.register_outputs({"zoneId": self.zone_id, "certificateArn": self.certificate_arn})

    def _domain_parts(self, name: str, args: EdgeDomainArgs, domain: str, child: pulumi.ResourceOptions) -> None:
        """The zone, the two certificates, the www redirect and the records of a custom domain."""
        self.zone_id = zone_id = _zone_id(name, args, domain, self)
        edge_certificate = validated_certificate(
            f"{name}-edge-cert",
            domain=domain,
            zone_id=zone_id,
            region=EDGE_REGION,
            parent=self,
            timeout_minutes=args.validation_timeout_minutes,
        )
        self.certificate_arn = edge_certificate.arn
        regional = (
            validated_certificate(
                f"{name}-regional-cert",
                domain=domain,
                zone_id=zone_id,
                region=None,
                parent=self,
                validated_by=edge_certificate,
                timeout_minutes=args.validation_timeout_minutes,
            )
            if args.regional_certificate
            else None
        )
        self.regional_certificate_arn = regional.arn if regional is not None else None
        self.validation_records = _merged_records(edge_certificate, regional)
        self.www_redirect_function_arn = aws.cloudfront.Function(
            f"{name}-www-redirect",
            name=f"{args.name_prefix}-www-redirect",
            runtime="cloudfront-js-2.0",
            comment=f"www.{domain} -> {domain}",
            code=www_redirect_function_code(domain),
            publish=True,
            opts=child,
        ).arn
        for record in args.records if zone_id is not None else ():  # refused with "external"
            aws.route53.Record(
                f"{name}-record-{record.type.lower()}-{record_label(record.name)}",
                zone_id=zone_id,
                name=f"{record.name}.{domain}" if record.name else domain,
                type=record.type,
                ttl=record.ttl,
                records=[route53_value(record.type, value) for value in record.values],
                opts=child,
            )


def _zone_id(name: str, args: EdgeDomainArgs, domain: str, parent: pulumi.Resource) -> pulumi.Output[str] | None:
    """The public zone's id: created, looked up, or None when the domain's DNS is elsewhere."""
    if args.hosted_zone == "external":
        return None
    if args.hosted_zone == "create":
        zone = aws.route53.Zone(
            f"{name}-zone",
            name=domain,
            comment=f"{args.name_prefix}: public zone",
            opts=pulumi.ResourceOptions(parent=parent),
        )
        return zone.zone_id
    return aws.route53.get_zone_output(
        name=domain, private_zone=False, opts=pulumi.InvokeOutputOptions(parent=parent)
    ).zone_id


def _merged_records(*certificates: IssuedCertificate | None) -> pulumi.Output[list[dict[str, str]]]:
    """The validation records of every certificate, each distinct record once (the edge and regional
    certificates of one name share theirs)."""
    issued = [c.validation_records for c in certificates if c is not None]
    return pulumi.Output.all(*issued).apply(
        lambda lists: list({(r["name"], r["type"], r["value"]): r for records in lists for r in records}.values())
    )
