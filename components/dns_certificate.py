"""An ACM certificate for a domain and its wildcard, validated through Route 53."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws


def validated_certificate(
    name: str,
    *,
    domain: str,
    zone_id: pulumi.Input[str],
    region: str | None,
    parent: pulumi.Resource,
) -> pulumi.Output[str]:
    """``domain`` and ``*.domain`` share one validation record; returns the ARN once issued."""
    child = pulumi.ResourceOptions(parent=parent)
    certificate = aws.acm.Certificate(
        name,
        domain_name=domain,
        subject_alternative_names=[f"*.{domain}"],
        validation_method="DNS",
        region=region,
        opts=child,
    )
    option = certificate.domain_validation_options.apply(lambda options: options[0])
    record = aws.route53.Record(
        f"{name}-validation",
        zone_id=zone_id,
        name=option.apply(lambda o: o.resource_record_name or ""),
        type=option.apply(lambda o: o.resource_record_type or "CNAME"),
        records=[option.apply(lambda o: o.resource_record_value or "")],
        ttl=300,
        # The ACM certificates of one domain in any region share this record.
        allow_overwrite=True,
        opts=child,
    )
    validation = aws.acm.CertificateValidation(
        f"{name}-issued",
        certificate_arn=certificate.arn,
        validation_record_fqdns=[record.fqdn],
        region=region,
        opts=child,
    )
    return validation.certificate_arn
