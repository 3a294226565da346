"""The rule catalogue: every rule with its concern, severity, remediation and peer mappings,
and the conversion into pulumi_policy policies."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pulumi_policy import (
    PolicyComplianceFramework,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from .types import canonical

PACK_NAME = "webstack-guard"
Concern = Literal[
    "encryption-at-rest",
    "encryption-in-transit",
    "network-exposure",
    "least-privilege",
    "data-protection",
    "logging",
    "tagging",
]
# Resource rule: (props, config) -> violation messages. Stack rule: (resources, config) ->
# (message, urn) pairs.
ResourceCheck = Callable[[Mapping[str, Any], Mapping[str, Any]], Iterable[str]]
StackCheck = Callable[[list[PolicyResource], Mapping[str, Any]], Iterable[tuple[str, str]]]


@dataclass(frozen=True, kw_only=True)
class Rule:
    name: str = field(kw_only=False)
    concern: Concern
    severity: Severity
    description: str
    remediation: str
    resource_types: tuple[str, ...] = ()  # empty for stack rules
    check: ResourceCheck | StackCheck | None = None
    stack: bool = False
    # The only rules a non-production stack may make advisory: availability and the cost of
    # protection (Multi-AZ, failover, deletion protection, final snapshot, WAF). Encryption,
    # exposure and IAM rules are never relaxable.
    relaxable: bool = False
    fsbp: str = ""
    awsguard: str = ""
    cdk_nag: str = ""
    config_schema: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


RULES: list[Rule] = []


def _register(rule: Rule) -> None:
    """Add a rule; a second rule under a name already taken is a programming error (the engine
    would report both under one name)."""
    if any(existing.name == rule.name for existing in RULES):
        raise ValueError(f"policy rule {rule.name!r} is declared twice")
    RULES.append(rule)


def resource_rule(
    name: str,
    *,
    types: Iterable[str],
    **metadata: Any,
) -> Callable[[ResourceCheck], ResourceCheck]:
    """Declare a rule that judges one resource of the given types at a time."""

    def register(check: ResourceCheck) -> ResourceCheck:
        _register(Rule(name, resource_types=tuple(types), check=check, stack=False, **metadata))
        return check

    return register


def stack_rule(name: str, **metadata: Any) -> Callable[[StackCheck], StackCheck]:
    """Declare a rule that judges the whole stack (joins through property dependencies)."""

    def register(check: StackCheck) -> StackCheck:
        _register(Rule(name, check=check, stack=True, **metadata))
        return check

    return register


def config_with_defaults(rule: Rule, given: Mapping[str, Any] | None) -> dict[str, Any]:
    values = {key: spec["default"] for key, spec in rule.config_schema.items() if "default" in spec}
    values.update(given or {})
    return values


def _framework(rule: Rule) -> PolicyComplianceFramework | None:
    if not rule.fsbp:
        return None
    return PolicyComplianceFramework(
        name="AWS Foundational Security Best Practices",
        version="1.0.0",
        reference=rule.fsbp,
        specification="https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html",
    )


def _resource_validator(rule: Rule) -> Callable[[ResourceValidationArgs, ReportViolation], None]:
    check: Any = rule.check

    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        if canonical(args.resource_type) not in rule.resource_types:
            return
        config = config_with_defaults(rule, args.get_config())
        for message in check(args.props, config):
            report(f"{message}\nFix: {rule.remediation}", None)

    return validate


def _stack_validator(rule: Rule) -> Callable[[StackValidationArgs, ReportViolation], None]:
    check: Any = rule.check

    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        config = config_with_defaults(rule, args.get_config())
        for message, urn in check(list(args.resources), config):
            report(f"{message}\nFix: {rule.remediation}", urn)

    return validate


def all_rules() -> list[Rule]:
    """Every rule, after importing the modules that declare them."""
    from . import (  # noqa: F401, PLC0415 - importing registers the rules
        rules_data_protection,
        rules_encryption_at_rest,
        rules_encryption_in_transit,
        rules_least_privilege,
        rules_logging,
        rules_network_exposure,
        rules_tagging,
    )

    return sorted(RULES, key=lambda r: (r.concern, r.name))


def build_policies() -> list[Any]:
    policies: list[Any] = []
    for rule in all_rules():
        schema = (
            PolicyConfigSchema(properties={k: dict(v) for k, v in rule.config_schema.items()})
            if rule.config_schema
            else None
        )
        common: dict[str, Any] = dict(
            description=rule.description,
            config_schema=schema,
            severity=rule.severity,
            framework=_framework(rule),
            tags=[rule.concern, *(["relaxable"] if rule.relaxable else [])],
            remediation_steps=rule.remediation,
        )
        if rule.stack:
            policies.append(StackValidationPolicy(name=rule.name, validate=_stack_validator(rule), **common))
        else:
            policies.append(ResourceValidationPolicy(name=rule.name, validate=_resource_validator(rule), **common))
    return policies


def resources_of(resources: Iterable[PolicyResource], *types: str) -> Iterator[PolicyResource]:
    return (r for r in resources if canonical(r.resource_type) in types)


def joined(resource: PolicyResource, key: str) -> list[PolicyResource]:
    """The resources an input came from (property dependencies: ids are unknown in a preview)."""
    return list(resource.property_dependencies.get(key, []))
