"""One default, one place: every component arg documents itself, the config keys take their
default and meaning from the arg they set, and the README's reference is generated from them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pulumi
import pytest
from pydantic import BaseModel

import components
from components.arg_docs import default_of, field_docs
from webstack.program import config
from webstack.program.config_reference import END, START, render, rows

ROOT = Path(__file__).resolve().parent.parent
ARGS_CLASSES = [getattr(components, n) for n in components.__all__ if dataclasses.is_dataclass(getattr(components, n))]


@pytest.mark.parametrize("args_class", ARGS_CLASSES, ids=lambda c: c.__name__)
def test_every_public_arg_has_a_docstring_with_an_example(args_class):
    docs = field_docs(args_class)
    for item in dataclasses.fields(args_class):
        assert item.name in docs, f"{args_class.__name__}.{item.name} has no docstring"
        assert "Example:" in docs[item.name], f"{args_class.__name__}.{item.name}: no example"


def test_the_readme_reference_is_the_generated_one():
    text = (ROOT / "README.md").read_text()
    block = text[text.index(START) : text.index(END) + len(END)]
    assert block == render(), "README drifted from webstack/program/config.py: run `make docs`"


def test_every_config_key_has_a_meaning_and_an_allowed_column():
    found = rows()
    assert len(found) > 100
    assert [r.key for r in found if not r.meaning] == []
    assert [r.key for r in found if not r.allowed] == []


@pytest.mark.parametrize(
    ("model", "key", "args_class", "arg"),
    [
        (config.DatabaseConfig, "instance_class", components.ManagedPostgresArgs, "instance_class"),
        (config.DatabaseConfig, "backup_retention_days", components.ManagedPostgresArgs, "backup_retention_days"),
        (config.CacheConfig, "node_type", components.RedisCacheArgs, "node_type"),
        (config.ApiConfig, "health_check_path", components.ServiceSpec, "health_check_path"),
        (config.LoadBalancerConfig, "idle_timeout_seconds", components.FargateApiArgs, "idle_timeout_seconds"),
        (config.NetworkConfig, "nat", components.SecureVpcArgs, "nat"),
        (config.SubnetPrefixes, "private", components.TierPrefixes, "private"),
        (config.DomainConfig, "rate_limit_per_5_minutes", components.EdgeDomainArgs, "rate_limit_per_5_minutes"),
    ],
)
def test_a_config_key_takes_its_default_and_meaning_from_the_arg(model: type[BaseModel], key, args_class, arg):
    info = model.model_fields[key]
    assert info.default == default_of(args_class, arg)
    first_words = " ".join(field_docs(args_class)[arg].split()[:6])
    assert (info.description or "").startswith(first_words)


COMPONENTS = [
    getattr(components, n)
    for n in components.__all__
    if isinstance(getattr(components, n), type) and issubclass(getattr(components, n), pulumi.ComponentResource)
]


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.__name__)
def test_every_component_says_what_it_builds_how_to_use_it_and_what_it_costs(component):
    doc = component.__doc__ or ""
    assert "Example::" in doc, f"{component.__name__}: no usage example"
    assert "Cost" in doc and "$" in doc, f"{component.__name__}: no cost"
