"""The README stays true to the code: every config key documented, the commands exist."""

from __future__ import annotations

import typing
from collections.abc import Iterator

from pydantic import BaseModel

from webstack.cli import parser, subcommands
from webstack.config import ApiConfig, ServiceConfig, StackConfig, SubnetPrefixes

from .helpers import ROOT

README = (ROOT / "README.md").read_text()
LEAF_MODELS = {SubnetPrefixes}  # documented as one row


def _models_in(annotation: object) -> tuple[type[BaseModel] | None, str]:
    """The model inside an annotation, and how the key path reaches into it."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and annotation not in LEAF_MODELS:
        return annotation, "."
    if origin is dict and args:
        inner, _ = _models_in(args[1])
        return inner, ".<name>."
    if origin is tuple and args:
        inner, _ = _models_in(args[0])
        return inner, "[]."
    for arg in args:
        inner, how = _models_in(arg)
        if inner is not None:
            return inner, how
    return None, ""


def config_keys(model: type[BaseModel], prefix: str) -> Iterator[str]:
    if model is ServiceConfig:
        # Documented once as "every key of webstack:api", plus the keys only services have.
        yield prefix.rstrip(".")
        for name in set(ServiceConfig.model_fields) - set(ApiConfig.model_fields):
            yield f"{prefix}{name}"
        return
    for name, field in model.model_fields.items():
        key = f"{prefix}{name}"
        inner, how = _models_in(field.annotation)
        if inner is None:
            yield key
        else:
            yield from config_keys(inner, f"{key}{how}")


def documented_keys() -> list[str]:
    keys = []
    for key in config_keys(StackConfig, "webstack:"):
        keys.append("aws:region" if key == "webstack:region" else key)
    return keys


def test_every_config_key_is_in_the_readme_table():
    missing = [k for k in documented_keys() if f"| `{k}` |" not in README]
    assert missing == []


def test_readme_commands_exist():
    assert "make plan" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text()
    assert "\nplan:" in makefile and "\ntest:" in makefile
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.rstrip().endswith("make test")
    for command in subcommands(parser()):
        assert f"python -m webstack {command}" in README
