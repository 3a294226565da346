"""ACM certificates for a domain and its wildcard, validated through Route 53 or through records
the user creates at another DNS provider."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

# How every validation record's purpose starts (the plan and `up` recognise them by it).
VALIDATION_PURPOSE = "ACM certificate validation"


@dataclass(frozen=True)
class IssuedCertificate:
    arn: pulumi.Output[str]
    # The DNS validation record(s) the certificate was validated with.
    validation_fqdns: pulumi.Output[list[str]]
    # The records ACM asks for, as validation_records() gives them.
    validation_records: pulumi.Output[list[dict[str, str]]]


def validation_records(options: Iterable[tuple[str, str, str, str]]) -> list[dict[str, str]]:
    """The records to create for ACM's (domain, record name, type, value) validation options:
    one per distinct record (a wildcard shares its base domain's, and every certificate of one
    name in one account shares it across regions), names and values without the trailing dot."""
    merged: dict[tuple[str, str, str], list[str]] = {}
    for domain, name, record_type, value in options:
        if not name:
            continue
        domains = merged.setdefault((name.rstrip("."), record_type or "CNAME", (value or "").rstrip(".")), [])
        if domain not in domains:
            domains.append(domain)
    return [
        {"name": name, "type": record_type, "value": value, "purpose": f"{VALIDATION_PURPOSE}: {', '.join(domains)}"}
        for (name, record_type, value), domains in merged.items()
    ]


def _sdk_options(options: Any) -> list[tuple[str, str, str, str]]:
    return [
        (o.domain_name or "", o.resource_record_name or "", o.resource_record_type or "", o.resource_record_value or "")
        for o in options or []
    ]


def _tell_pending(status: str | None, records: list[dict[str, str]], certificate: pulumi.Resource) -> None:
    """While ACM waits for records webstack does not manage, say which (shown by `pulumi up` beside
    the certificate, before its validation starts waiting)."""
    if status == "ISSUED":
        return
    wanted = "; ".join(f"{r['type']} {r['name']} -> {r['value']}" for r in records)
    pulumi.log.info(f"create at your DNS provider (DNS only, not proxied): {wanted}", resource=certificate)


def validated_certificate(
    name: str,
    *,
    domain: str,
    zone_id: pulumi.Input[str] | None,
    region: str | None,
    parent: pulumi.Resource,
    validated_by: IssuedCertificate | None = None,
    timeout_minutes: int | None = None,
) -> IssuedCertificate:
    """A certificate for ``domain`` and ``*.domain``, issued once DNS validation passes.

    ACM gives every certificate of one domain name in one account the same validation record,
    in any region, and the wildcard shares its base domain's. So the record is created once,
    with the first certificate, and a later certificate (``validated_by``) waits on that same
    record: no two resources manage it, and removing one certificate never deletes the record
    another needs to renew. Without a zone (``zone_id`` None: the domain's DNS is elsewhere) no
    record is created: the validation waits for ACM to see the one the user creates, at most
    ``timeout_minutes`` (None: the provider's 75).
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
    records = certificate.domain_validation_options.apply(lambda options: validation_records(_sdk_options(options)))
    fqdns: pulumi.Output[list[str]] | None
    if zone_id is None:
        fqdns = None
        pulumi.Output.all(certificate.status, records).apply(lambda a: _tell_pending(a[0], a[1], certificate))
    elif validated_by is not None:
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
    timeouts = pulumi.CustomTimeouts(create=f"{timeout_minutes}m") if timeout_minutes is not None else None
    validation = aws.acm.CertificateValidation(
        f"{name}-issued",
        certificate_arn=certificate.arn,
        validation_record_fqdns=fqdns,
        region=region,
        opts=pulumi.ResourceOptions(parent=parent, custom_timeouts=timeouts),
    )
    return IssuedCertificate(
        validation.certificate_arn, fqdns if fqdns is not None else pulumi.Output.from_input([]), records
    )
