"""The README stays true to the code: every config key documented, the commands exist."""

from __future__ import annotations

import typing
from collections import Counter
from collections.abc import Iterator

from pydantic import BaseModel

from webstack.commands.cli import main, parser, subcommands
from webstack.deployment.deploy import Deployer
from webstack.program.config import ApiConfig, ServiceConfig, StackConfig, SubnetPrefixes
from webstack_policy.catalog import all_rules  # type: ignore[import-not-found]

from .helpers import ROOT
from .policy_mutations import MUTATIONS

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


def test_readme_counts_are_the_codes():
    """Counts a reader checks the code against: rules, concerns, mutations, the README's command
    lines run with the virtualenv's Python (the system one lacks the dependencies)."""
    rules = all_rules()
    assert f"`webstack-guard`, {len(rules)} rules" in README
    by_concern = Counter(rule.concern for rule in rules)
    concerns = ", ".join(f"{name} {count}" for name, count in sorted(by_concern.items()))
    policy_readme = (ROOT / "policy" / "README.md").read_text()
    assert f"{len(rules)} rules in {len(by_concern)} concerns ({concerns})" in policy_readme
    assert f"and {len(MUTATIONS)} mutations of the prod, dev, usarakhi, billing and account-baseline plans" in README
    bare = [line for line in README.splitlines() if line.startswith("python -m webstack")]
    assert bare == []


def test_readme_exit_codes_are_the_clis(tmp_path, capsys):
    """Each exit code the README promises, produced by the CLI."""
    text = " ".join(README.split())
    assert "2 invalid config or unknown stack" in text
    assert main(["plan", "no-such-stack"]) == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("config:\n  webstack:name_prefix: X\n")
    assert main(["plan", "--config", str(bad)]) == 2
    assert "2 something to fix first — no Pulumi CLI on PATH" in text
    without_cli = lambda console: Deployer(console=console, which=lambda _name: None)  # noqa: E731
    for argv in (["preview", "--all"], ["up", "dev", "prod"], ["preview", "dev"]):
        assert main(argv, deployer_factory=without_cli) == 2, argv
    err = capsys.readouterr().err
    assert "the Pulumi CLI is not on PATH: install the Pulumi CLI: curl -fsSL https://get.pulumi.com | sh" in err
    assert err.count("not on PATH") == 3  # once per command, not once per stack
