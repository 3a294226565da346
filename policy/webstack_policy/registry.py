"""The rule registry: what a rule is, the decorators that declare one, and the helpers rules
use to read a stack. Rule modules import this module only; catalog.py imports the rule modules
and this registry, so nothing imports in a circle."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pulumi_policy import PolicyResource, Severity

from .types import canonical

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


def resources_of(resources: Iterable[PolicyResource], *types: str) -> Iterator[PolicyResource]:
    return (r for r in resources if canonical(r.resource_type) in types)


def joined(resource: PolicyResource, key: str) -> list[PolicyResource]:
    """The resources an input came from (property dependencies: ids are unknown in a preview)."""
    return list(resource.property_dependencies.get(key, []))
