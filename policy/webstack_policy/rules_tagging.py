"""Tagging: every AWS resource carries the stack's required tags (through provider default_tags)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource, Severity

from . import types as t
from .props import get, json_document
from .registry import resources_of, stack_rule

TAGS_SCHEMA = {
    "requiredTags": {
        "type": "array",
        "items": {"type": "string"},
        "default": ["Project", "Environment", "ManagedBy"],
    }
}


@stack_rule(
    "required-tags-present",
    concern="tagging",
    severity=Severity.LOW,
    description="Every AWS provider applies the required tags (default_tags), so every resource carries them.",
    remediation="Set webstack:tags; compose adds Project, Environment and ManagedBy to the provider's default_tags.",
    config_schema=TAGS_SCHEMA,
)
def required_tags(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    required = list(config["requiredTags"])
    for provider in resources_of(resources, t.AWS_PROVIDER):
        default_tags = json_document(get(provider.props, "defaultTags")) or {}
        present = set(get(default_tags, "tags", default={}) or {})
        missing = [tag for tag in required if tag not in present]
        if missing:
            yield f"provider default_tags lack {', '.join(missing)}", provider.urn
