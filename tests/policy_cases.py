"""Judging one policy rule without the engine: props as the engine hands them over (camelCase,
read-only proxies that raise on a value not known yet), stack resources joined through their
property dependencies, each rule's default config."""

from __future__ import annotations

from typing import Any

from pulumi_policy import PolicyResource, PolicyResourceOptions
from pulumi_policy.proxy import unknown_checking_proxy

from webstack_policy.catalog import all_rules  # type: ignore[import-not-found]
from webstack_policy.registry import config_with_defaults  # type: ignore[import-not-found]

RULES = {rule.name: rule for rule in all_rules()}
OPTIONS = PolicyResourceOptions(False, [], None, [], None, [])  # type: ignore[arg-type]


def judge(rule_name: str, props: dict[str, Any]) -> list[str]:
    """A resource rule's messages for props as the engine hands them over."""
    rule = RULES[rule_name]
    assert not rule.stack, rule_name
    check: Any = rule.check
    return list(check(unknown_checking_proxy(props), config_with_defaults(rule, None)))


def resource(resource_type: str, name: str, props: dict[str, Any], **joined: PolicyResource) -> PolicyResource:
    """A resource of a stack, with the resources its inputs came from (property dependencies)."""
    return PolicyResource(
        resource_type,
        unknown_checking_proxy(props),
        f"urn:pulumi:s::p::{resource_type}::{name}",
        name,
        OPTIONS,
        None,
        None,
        list(joined.values()),
        {key: [other] for key, other in joined.items()},
    )


def judge_stack(rule_name: str, *resources: PolicyResource) -> dict[str, list[str]]:
    """A stack rule's messages, by resource name."""
    rule = RULES[rule_name]
    assert rule.stack, rule_name
    check: Any = rule.check
    found: dict[str, list[str]] = {}
    for message, urn in check(list(resources), config_with_defaults(rule, None)):
        found.setdefault(urn.rsplit("::", 1)[-1], []).append(message)
    return found
