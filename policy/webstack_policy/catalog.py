"""The rule catalogue: every rule of the pack (the rule modules, imported here, declare them in
the registry) and their conversion into pulumi_policy policies."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from pulumi_policy import (
    PolicyComplianceFramework,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from .registry import RULES, Rule, config_with_defaults
from .types import canonical

PACK_NAME = "webstack-guard"
# Importing a rule module declares its rules in the registry: one module per concern, and the
# account baseline's rules (across concerns) in rules_account.
RULE_MODULES = tuple(
    importlib.import_module(f".rules_{concern}", __package__)
    for concern in (
        "account",
        "data_protection",
        "encryption_at_rest",
        "encryption_in_transit",
        "least_privilege",
        "logging",
        "network_exposure",
        "recovery",
        "tagging",
    )
)


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
    """Every rule the modules of RULE_MODULES declared, by concern and name."""
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
