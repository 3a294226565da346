"""The README stays true to the code: every config key documented, the commands exist."""

from __future__ import annotations

from pydantic import BaseModel

from webstack.cli import parser, subcommands
from webstack.config import SECTION_MODELS, StackConfig

from .helpers import ROOT

README = (ROOT / "README.md").read_text()


def documented_keys() -> list[str]:
    keys = ["aws:region"]
    for name in StackConfig.model_fields:
        if name == "region":
            continue
        model = SECTION_MODELS.get(name)
        if model is None:
            keys.append(f"webstack:{name}")
            continue
        for field, info in model.model_fields.items():
            nested = info.annotation
            if isinstance(nested, type) and issubclass(nested, BaseModel) and field != "subnet_prefixes":
                keys += [f"webstack:{name}.{field}.{sub}" for sub in nested.model_fields]
            else:
                keys.append(f"webstack:{name}.{field}")
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
