"""ACM certificates for a domain and its wildcard, validated through Route 53."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True)
class IssuedCertificate:
    arn: pulumi.Output[str]
    # The DNS validation record(s) the certificate was validated with.
    validation_fqdns: pulumi.Output[list[str]]


def validated_certificate(
    name: str,
    *,
    domain: str,
    zone_id: pulumi.Input[str],
    region: str | None,
    parent: pulumi.Resource,
    validated_by: IssuedCertificate | None = None,
) -> IssuedCertificate:
    """A certificate for ``domain`` and ``*.domain``, issued once DNS validation passes.

    ACM gives every certificate of one domain name in one account the same validation record,
    in any region, and the wildcard shares its base domain's. So the record is created once,
    with the first certificate, and a later certificate (``validated_by``) waits on that same
    record: no two resources manage it, and removing one certificate never deletes the record
    another needs to renew.
    """
    child = pulumi.ResourceOptions(parent=parent)
    certificate = aws.acm.Certificate(
        name,
        domain_name=domain,
        subject_alternative_names=[f"*.{domain}"],
        validation_method="DNS",
        region=region,
        opts=child,
    )
    if validated_by is not None:
        fqdns = validated_by.validation_fqdns
    else:
        option = certificate.domain_validation_options.apply(lambda options: options[0])
        record = aws.route53.Record(
            f"{name}-validation",
            zone_id=zone_id,
            name=option.apply(lambda o: o.resource_record_name or ""),
            type=option.apply(lambda o: o.resource_record_type or "CNAME"),
            records=[option.apply(lambda o: o.resource_record_value or "")],
            ttl=300,
            # Takes over a record left by an earlier certificate of this domain and account
            # (the value is the same), instead of failing on "already exists".
            allow_overwrite=True,
            opts=child,
        )
        fqdns = pulumi.Output.all(record.fqdn)
    validation = aws.acm.CertificateValidation(
        f"{name}-issued",
        certificate_arn=certificate.arn,
        validation_record_fqdns=fqdns,
        region=region,
        opts=child,
    )
    return IssuedCertificate(validation.certificate_arn, fqdns)
