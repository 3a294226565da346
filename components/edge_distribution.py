"""EdgeDistribution: one CloudFront distribution for one host name, in front of S3 or the ALB."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from .edge_domain import EDGE_REGION
from .edge_settings import (
    ALL_VIEWER,
    ALL_VIEWER_EXCEPT_HOST_HEADER,
    CACHING_DISABLED,
    CLOUDFRONT_ZONE_ID,
    MIN_VIEWER_TLS,
    ORIGIN_VERIFY_HEADER,
    no_custom_domain_tags,
    spa_error_responses,
)

ORIGIN_ID = "origin"


@dataclass(frozen=True)
class S3Origin:
    """A private bucket read through Origin Access Control; ``grant_read`` receives the
    distribution ARN and writes the bucket policy that lets exactly this distribution read."""

    regional_domain_name: pulumi.Input[str]
    """The bucket's regional domain name (bucket.s3.<region>.amazonaws.com). Example:
    site.bucket_regional_domain_name.
    """
    grant_read: Callable[[pulumi.Output[str]], Any]
    """Called with the distribution's ARN; writes the bucket policy that lets exactly this distribution read
    (AWS:SourceArn). Example: site.allow_distribution.
    """


@dataclass(frozen=True)
class LoadBalancerOrigin:
    """The API's load balancer, reached over HTTPS at a name its certificate covers (or, without a
    custom domain, over HTTP through its VPC origin); every request carries the secret header the
    listener requires."""

    domain_name: pulumi.Input[str]
    """Name CloudFront connects to, which the ALB's certificate covers; without a domain, the internal ALB's
    own DNS name. Example: "origin-api.example.com".
    """
    verify_header_value: pulumi.Input[str]
    """Value of the secret X-Origin-Verify header every origin request carries; the listener answers 403
    without it. Example: api.origin_verify_value.
    """
    forward_host: bool = False
    """Forward the viewer's Host header (for host-based rules on the ALB); the ALB's certificate must then
    cover the viewer host names too. Example: True with several routed services.
    """
    vpc_origin_id: pulumi.Input[str] | None = None
    """CloudFront VPC origin through which an internal ALB is reached; None: the internet-facing ALB. Example:
    api.vpc_origin_id.
    """


@dataclass(frozen=True)
class EdgeDistributionArgs:
    hostname: str | None
    """The viewer host name the distribution answers (its alias and A/AAAA records); None: no custom domain,
    the distribution answers on its own *.cloudfront.net name with CloudFront's default certificate (which
    still negotiates TLSv1 and TLSv1.1: the resource is tagged CustomDomain=none for the policy pack).
    Example: "www.example.com".
    """
    zone_id: pulumi.Input[str] | None
    """Route 53 zone of the alias records; None: no records. Example: domain.zone_id."""
    certificate_arn: pulumi.Input[str] | None
    """ACM certificate in us-east-1 covering hostname and extra_aliases; None with hostname None. Example:
    domain.certificate_arn.
    """
    origin: S3Origin | LoadBalancerOrigin
    """Where requests go: an S3Origin (a private bucket through OAC) or a LoadBalancerOrigin (the ALB over
    HTTPS with the secret header). Example: S3Origin(site.regional_domain_name, site.allow_distribution).
    """
    response_headers_policy_id: pulumi.Input[str]
    """Response-headers policy (HSTS, nosniff, frame options, referrer policy) on every behaviour. Example:
    domain.response_headers_policy_id.
    """
    cache_policy_id: pulumi.Input[str] | None = None
    """Cache policy of the default behaviour; None: caching disabled and every viewer header but Host
    forwarded (an API). Example: domain.cache_policy_ids["marketing"].
    """
    extra_aliases: Sequence[str] = ()
    """More host names on the same distribution (each gets its records). Example: ("example.com",)."""
    spa: bool = False
    """A single-page app: 403 and 404 from the bucket are answered with /index.html and 200. Example: True."""
    viewer_request_function_arn: pulumi.Input[str] | None = None
    """A CloudFront Function run on every viewer request (the www redirect); None: none. Example:
    domain.www_redirect_function_arn.
    """
    web_acl_arn: pulumi.Input[str] | None = None
    """WAF web ACL (us-east-1, CLOUDFRONT scope) in front of the distribution; None: no WAF ($5 a month per
    ACL plus $1 per rule and $0.60 per million requests). Example: domain.web_acl_arn.
    """
    log_bucket_arn: pulumi.Input[str] | None = None
    """Bucket that receives standard logs (v2) through CloudWatch Logs delivery ($0.25 per GB); None: no logs.
    Example: logs.bucket_arn.
    """
    accept_no_custom_domain: bool = False
    """With hostname None: the stack accepts CloudFront's default certificate (tag AcceptedRisk=no-custom-domain,
    which the policy pack lists as an advisory instead of a violation). Example: True.
    """
    price_class: str = "PriceClass_100"
    """Edge locations used: PriceClass_100 (North America, Europe, Israel), PriceClass_200 (adds the Middle
    East, Africa, Asia), PriceClass_All (adds South America, Oceania). Example: "PriceClass_200" for users in
    the Gulf.
    """


class EdgeDistribution(pulumi.ComponentResource):
    """One CloudFront distribution for one host name: viewers on HTTPS only with AWS's
    recommended TLS policy (TLS 1.2/1.3, AEAD ciphers), SNI, HTTP/2 and HTTP/3, IPv6 and
    compression; a private bucket read through Origin Access Control, or the ALB over HTTPS
    (TLS 1.2) with the secret header it requires; A and AAAA alias records; standard logging (v2)
    into the log bucket; the stack's WAF web ACL.

    Example::

        site = EdgeDistribution("site", EdgeDistributionArgs(
            hostname="www.example.com", zone_id=domain.zone_id, certificate_arn=domain.certificate_arn,
            origin=S3Origin(bucket.regional_domain_name, bucket.allow_distribution),
            response_headers_policy_id=domain.response_headers_policy_id,
            cache_policy_id=domain.cache_policy_ids["marketing"], web_acl_arn=domain.web_acl_arn,
        ))

    Cost (cost/prices.csv): no monthly charge; $0.085 per GB to North America ($0.110 to the
    Middle East) and $0.010 per 10,000 HTTPS requests, within AWS's always-free 1 TB and 10
    million requests a month per account; $0.25 per GB of standard logs.
    """

    distribution_arn: pulumi.Output[str]
    distribution_id: pulumi.Output[str]
    domain_name: pulumi.Output[str]
    aliases: list[str]

    def __init__(self, name: str, args: EdgeDistributionArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if (args.hostname is None) != (args.certificate_arn is None):
            raise ValueError("hostname and certificate_arn: give both (a custom domain) or neither (*.cloudfront.net)")
        if args.hostname is None and args.extra_aliases:
            raise ValueError("extra_aliases: a distribution without a hostname has no aliases")
        super().__init__("webstack:edge:EdgeDistribution", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        aliases = [args.hostname, *args.extra_aliases] if args.hostname is not None else []
        distribution = aws.cloudfront.Distribution(
            f"{name}-distribution",
            comment=args.hostname or f"{pulumi.get_stack()} {name} on its CloudFront domain",
            enabled=True,
            aliases=aliases or None,
            is_ipv6_enabled=True,
            http_version="http2and3",
            price_class=args.price_class,
            default_root_object="index.html" if isinstance(args.origin, S3Origin) else None,
            origins=[_origin(name, args, child)],  # type: ignore[list-item]
            default_cache_behavior=_behavior(args),  # type: ignore[arg-type]
            custom_error_responses=spa_error_responses() if args.spa else None,  # type: ignore[arg-type]
            restrictions={"geo_restriction": {"restriction_type": "none"}},
            viewer_certificate=_viewer_certificate(args.certificate_arn),
            web_acl_id=args.web_acl_arn,
            tags=no_custom_domain_tags(args.accept_no_custom_domain) if args.hostname is None else None,
            opts=child,
        )
        if isinstance(args.origin, S3Origin):
            args.origin.grant_read(distribution.arn)
        if args.zone_id is not None:
            _alias_records(name, args.zone_id, aliases, distribution, child)
        if args.log_bucket_arn is not None:
            _standard_logging(name, args.log_bucket_arn, distribution, child)
        self.distribution_arn = distribution.arn
        self.distribution_id = distribution.id
        self.domain_name = distribution.domain_name
        self.aliases = aliases
        self.register_outputs(
            {"distributionArn": self.distribution_arn, "hostname": args.hostname or distribution.domain_name}
        )


def _viewer_certificate(
    certificate_arn: pulumi.Input[str] | None,
) -> aws.cloudfront.DistributionViewerCertificateArgsDict:
    """The domain's ACM certificate with AWS's recommended TLS policy, or CloudFront's own
    (*.cloudfront.net), on which CloudFront sets TLSv1 whatever the distribution asks."""
    if certificate_arn is None:
        return {"cloudfront_default_certificate": True}
    return {
        "acm_certificate_arn": certificate_arn,
        "ssl_support_method": "sni-only",
        "minimum_protocol_version": MIN_VIEWER_TLS,
    }


def _origin(name: str, args: EdgeDistributionArgs, child: pulumi.ResourceOptions) -> dict[str, Any]:
    """The one origin: a bucket through OAC, or the ALB (direct or through a VPC origin) over
    HTTPS only with the secret header."""
    origin = args.origin
    if isinstance(origin, S3Origin):
        access_control = aws.cloudfront.OriginAccessControl(
            f"{name}-oac",
            name=f"{pulumi.get_stack()}-{name}"[:64],
            description=f"{args.hostname or name}: signed reads from S3",
            origin_access_control_origin_type="s3",
            signing_behavior="always",
            signing_protocol="sigv4",
            opts=child,
        )
        return {
            "origin_id": ORIGIN_ID,
            "domain_name": origin.regional_domain_name,
            "origin_access_control_id": access_control.id,
        }
    spec: dict[str, Any] = {
        "origin_id": ORIGIN_ID,
        "domain_name": origin.domain_name,
        "custom_headers": [{"name": ORIGIN_VERIFY_HEADER, "value": origin.verify_header_value}],
    }
    timeouts = {"origin_read_timeout": 60, "origin_keepalive_timeout": 5}
    if origin.vpc_origin_id is not None:
        spec["vpc_origin_config"] = {"vpc_origin_id": origin.vpc_origin_id, **timeouts}
    else:
        spec["custom_origin_config"] = {
            "http_port": 80,
            "https_port": 443,
            "origin_protocol_policy": "https-only",
            "origin_ssl_protocols": ["TLSv1.2"],
            **timeouts,
        }
    return spec


def _behavior(args: EdgeDistributionArgs) -> dict[str, Any]:
    """HTTPS for viewers, compression and the security headers; an API is never cached and gets
    every viewer header (and the Host, for host routing, when asked)."""
    behavior: dict[str, Any] = {
        "target_origin_id": ORIGIN_ID,
        "viewer_protocol_policy": "redirect-to-https",
        "compress": True,
        "response_headers_policy_id": args.response_headers_policy_id,
    }
    if isinstance(args.origin, LoadBalancerOrigin):
        behavior |= {
            "allowed_methods": ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
            "cached_methods": ["GET", "HEAD"],
            "cache_policy_id": CACHING_DISABLED,
            "origin_request_policy_id": ALL_VIEWER if args.origin.forward_host else ALL_VIEWER_EXCEPT_HOST_HEADER,
        }
    else:
        behavior |= {
            "allowed_methods": ["GET", "HEAD", "OPTIONS"],
            "cached_methods": ["GET", "HEAD"],
            "cache_policy_id": args.cache_policy_id or CACHING_DISABLED,
        }
    if args.viewer_request_function_arn is not None:
        behavior["function_associations"] = [
            {"event_type": "viewer-request", "function_arn": args.viewer_request_function_arn}
        ]
    return behavior


def _alias_records(
    name: str,
    zone_id: pulumi.Input[str],
    aliases: list[str],
    distribution: aws.cloudfront.Distribution,
    child: pulumi.ResourceOptions,
) -> None:
    """A and AAAA alias records for every host name of the distribution."""
    for index, alias in enumerate(aliases):
        for record_type in ("A", "AAAA"):
            aws.route53.Record(
                f"{name}-{record_type.lower()}-{index}",
                zone_id=zone_id,
                name=alias,
                type=record_type,
                aliases=[
                    {
                        "name": distribution.domain_name,
                        "zone_id": CLOUDFRONT_ZONE_ID,
                        "evaluate_target_health": False,
                    }
                ],
                opts=child,
            )


def _standard_logging(
    name: str, bucket_arn: pulumi.Input[str], distribution: aws.cloudfront.Distribution, child: pulumi.ResourceOptions
) -> None:
    """Standard logging v2: vended logs into the log bucket, no bucket ACLs needed."""
    source = aws.cloudwatch.LogDeliverySource(
        f"{name}-log-source",
        name=f"{pulumi.get_stack()}-{name}"[:60],
        log_type="ACCESS_LOGS",
        resource_arn=distribution.arn,
        region=EDGE_REGION,
        opts=child,
    )
    destination = aws.cloudwatch.LogDeliveryDestination(
        f"{name}-log-destination",
        name=f"{pulumi.get_stack()}-{name}"[:60],
        output_format="json",
        delivery_destination_configuration={"destination_resource_arn": bucket_arn},
        region=EDGE_REGION,
        opts=child,
    )
    aws.cloudwatch.LogDelivery(
        f"{name}-log-delivery",
        delivery_source_name=source.name,
        delivery_destination_arn=destination.arn,
        region=EDGE_REGION,
        opts=child,
    )
