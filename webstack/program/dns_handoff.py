"""DNS elsewhere (`webstack:domain.hosted_zone: external`): webstack writes no record, so the stack
tells the user which ones to create at their DNS provider — ACM's validation records, a CNAME from
every served host name to its distribution, from the ALB's origin name to the ALB, and from the
function API's name to its regional endpoint — as the `dnsRecords` output: a list of
{name, type, value, purpose}, names fully qualified, without the trailing dot."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi

from components import EdgeDistribution, EdgeDomain, ServerlessApi
from webstack.program.config import StackConfig

OUTPUT = "dnsRecords"
# A name with two labels is a registered domain, so the apex of its zone, where DNS allows no CNAME
# beside the zone's SOA and NS records (RFC 1034 section 3.6.2).
APEX_TYPE = "ALIAS"
APEX_ADVICE = "at the zone apex no CNAME is allowed: your provider's ALIAS, ANAME or CNAME flattening to this value"
MAYBE_APEX_ADVICE = (
    "if this name is your zone's apex, no CNAME is allowed there: use your provider's ALIAS, ANAME or CNAME "
    "flattening to the same value"
)


@dataclass(frozen=True)
class HandoffRecord:
    """One record the user creates at their DNS provider."""

    name: str
    type: str
    value: pulumi.Input[str]
    purpose: str


def target_record(name: str, domain: str, value: pulumi.Input[str], purpose: str) -> HandoffRecord:
    """A name pointing at an AWS endpoint: a CNAME, except at a name that is (or may be) its zone's apex."""
    if name != domain:
        return HandoffRecord(name, "CNAME", value, purpose)
    if domain.count(".") == 1:
        return HandoffRecord(name, APEX_TYPE, value, f"{purpose}; {APEX_ADVICE}")
    return HandoffRecord(name, "CNAME", value, f"{purpose}; {MAYBE_APEX_ADVICE}")


def external_dns(config: StackConfig) -> bool:
    return config.domain is not None and config.domain.hosted_zone == "external"


@dataclass
class DnsHandoff:
    """The records of one stack, gathered while it is built, exported once; an inactive one (no
    validation records: Route 53 holds every record) gathers and exports nothing."""

    domain: str = ""
    validation: pulumi.Output[list[dict[str, str]]] | None = None
    records: list[HandoffRecord] = field(default_factory=list)

    @classmethod
    def of(cls, config: StackConfig, edge: EdgeDomain | None, function_api: ServerlessApi | None) -> DnsHandoff:
        """The stack's handoff, with the function API's record when it has its own domain."""
        domain = config.custom_domain
        if not external_dns(config) or edge is None or domain is None:
            return cls()
        handoff = cls(domain, edge.validation_records)
        if function_api is not None and function_api.domain_target is not None and config.function_api is not None:
            host = f"{config.function_api.host}.{domain}"
            handoff.endpoint(host, function_api.domain_target, "API Gateway regional custom domain")
        return handoff

    def distribution(self, distribution: EdgeDistribution, served_by: str) -> None:
        for alias in distribution.aliases:
            self.endpoint(alias, distribution.domain_name, f"CloudFront distribution: {served_by}")

    def load_balancer(self, config: StackConfig, dns_name: pulumi.Input[str]) -> None:
        """The ALB's origin name, when CloudFront reaches the ALB by name (internet-facing, routed
        services); an internal ALB is reached through its VPC origin and needs no record."""
        routed = config.api is not None or any(not s.worker for s in config.services.values())
        domain = config.custom_domain
        scheme = config.load_balancer.resolved_scheme(custom_domain=domain is not None)
        if config.domain is not None and domain is not None and routed and scheme == "internet-facing":
            name = f"{config.domain.origin_label}.{domain}"
            self.endpoint(name, dns_name, "the ALB, as CloudFront's origin (its certificate covers this name)")

    def endpoint(self, name: str, value: pulumi.Input[str], purpose: str) -> None:
        if self.validation is not None:
            self.records.append(target_record(name, self.domain, value, purpose))

    def export(self) -> None:
        if self.validation is None:
            return
        rows = [pulumi.Output.all(r.name, r.type, r.value, r.purpose) for r in self.records]
        pulumi.export(
            OUTPUT,
            pulumi.Output.all(self.validation, *rows).apply(
                lambda found: [
                    *found[0],
                    *({"name": n, "type": t, "value": str(v).rstrip("."), "purpose": p} for n, t, v, p in found[1:]),
                ]
            ),
        )
