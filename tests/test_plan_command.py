"""`python -m webstack plan`: the CLI a newcomer runs first."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from webstack.commands.cli import main
from webstack.program.project import work_dir
from webstack.program.stack_settings import default_policy_config, parse_stack_config, read_config_file

from .helpers import ROOT


@pytest.fixture(scope="module")
def dev_plan(tmp_path_factory):
    out = tmp_path_factory.mktemp("plan") / "dev.json"
    assert main(["plan", "dev", "--out", str(out)]) == 0
    return json.loads(out.read_text())


def test_plan_json_has_the_shape_of_pulumi_preview(dev_plan):
    assert dev_plan["changeSummary"] == {"create": len(dev_plan["steps"])}
    for step in dev_plan["steps"]:
        assert step["op"] == "create"
        state = step["newState"]
        assert state["urn"] == step["urn"]
        for key in (
            "type",
            "urn",
            "custom",
            "parent",
            "inputs",
            "dependencies",
            "propertyDependencies",
            "protect",
        ):
            assert key in state, (key, step["urn"])
        if state["custom"] and not state["type"].startswith("pulumi:providers:"):
            assert state["provider"].startswith("urn:pulumi:dev::webstack::pulumi:providers:")
    stack = dev_plan["steps"][0]["newState"]
    assert stack["type"] == "pulumi:pulumi:Stack"
    assert stack["urn"] == "urn:pulumi:dev::webstack::pulumi:pulumi:Stack::webstack-dev"


def test_urns_carry_the_parent_type_chain_like_the_engine(dev_plan):
    urns = {s["urn"] for s in dev_plan["steps"]}
    assert "urn:pulumi:dev::webstack::webstack:network:SecureVpc::network" in urns
    assert "urn:pulumi:dev::webstack::webstack:network:SecureVpc$aws:ec2/vpc:Vpc::network-vpc" in urns


def test_property_dependencies_name_the_resources_an_input_came_from(dev_plan):
    by_urn = {s["urn"]: s["newState"] for s in dev_plan["steps"]}
    rds = next(s for s in by_urn.values() if s["type"] == "aws:rds/instance:Instance")
    (key_urn,) = rds["propertyDependencies"]["kmsKeyId"]
    assert by_urn[key_urn]["type"] == "aws:kms/key:Key"
    assert key_urn in rds["dependencies"]


def test_secrets_are_masked(dev_plan):
    group = next(s["newState"] for s in dev_plan["steps"] if s["newState"]["type"].endswith("ReplicationGroup"))
    assert group["inputs"]["authToken"] == "[secret]"
    version = next(s["newState"] for s in dev_plan["steps"] if s["newState"]["type"].endswith("SecretVersion"))
    assert version["inputs"]["secretString"] == "[secret]"


def test_default_output_goes_to_the_work_folder_and_the_tree_is_printed(capsys, monkeypatch, tmp_path):
    assert main(["plan", "prod", "--no-policy"]) == 0
    out = capsys.readouterr().out.replace("\n", "")
    assert "ManagedPostgres database" in out and "SecureVpc network" in out and "rds.Instance" in out
    # The suite sets WEBSTACK_WORK_DIR (tests write nothing into the working tree); unset, it is
    # the project's git-ignored .webstack/.
    assert str(Path(os.environ["WEBSTACK_WORK_DIR"]) / "plans" / "prod.json") in out
    monkeypatch.delenv("WEBSTACK_WORK_DIR")
    assert work_dir() == ROOT / ".webstack"
    assert ".webstack/" in (ROOT / ".gitignore").read_text()


def test_unknown_stack_lists_the_stacks_that_exist(capsys):
    assert main(["plan", "qa"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "no stack 'qa': Pulumi.qa.yaml does not exist (stacks here: dev, prod)" in err


def test_help_lists_plan():
    result = subprocess.run(
        [sys.executable, "-m", "webstack", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "plan" in result.stdout


def test_a_config_file_renders_as_its_own_stack_judged_by_the_environment_it_states(tmp_path: Path, capsys):
    """A copy of Pulumi.dev.yaml under another name is the stack of its file name, and judged
    like dev because it says webstack:environment: dev; without that key, the name (qa) is the
    environment, which has no policy config of its own: prod.json, the strictest."""
    config = tmp_path / "qa.yaml"
    copied = (ROOT / "Pulumi.dev.yaml").read_text().replace("exiuscart-dev", "exiuscart-qa")
    config.write_text(copied)
    assert main(["plan", "--config", str(config), "--out", str(tmp_path / "plan.json")]) == 0
    plan = json.loads((tmp_path / "plan.json").read_text())
    assert plan["steps"][0]["urn"].startswith("urn:pulumi:qa::webstack::")
    assert "exiuscart-qa-db" in [s["newState"]["inputs"].get("identifier") for s in plan["steps"]]
    out = " ".join(capsys.readouterr().out.split())
    assert "Planned stack qa (from the file name)" in out and "environment dev (webstack:environment)" in out
    assert "policy/config/dev.json" in out
    unnamed = {k: v for k, v in read_config_file(config)[0].items() if k != "webstack:environment"}
    assert parse_stack_config(unnamed, "qa", "qa.yaml").environment == "qa"
    assert default_policy_config("qa", "qa").name == "prod.json"  # no qa.json: the strictest
    assert default_policy_config("dev", "preprod").name == "prod.json"  # never the stack name's dev.json
    assert default_policy_config("dev").name == "dev.json"


def test_policy_check_judges_a_saved_plan_by_the_environment_it_names(tmp_path: Path, capsys):
    out = tmp_path / "dev.json"
    assert main(["plan", "dev", "--out", str(out), "--no-policy"]) == 0
    capsys.readouterr()
    assert main(["policy", "check", str(out)]) == 0  # the plan's Environment tag: dev.json
    printed = " ".join(capsys.readouterr().out.split())
    assert "0 mandatory violations, 14 advisories" in printed
    chosen = "policy config policy/config/dev.json (chosen for environment dev, from the plan's Environment tag"
    assert chosen in printed
    prod_policy = str(ROOT / "policy" / "config" / "prod.json")
    assert main(["policy", "check", str(out), "--config", prod_policy]) == 1  # prod rules: dev is single-AZ


def test_policy_check_refuses_a_file_that_is_not_a_plan(tmp_path: Path, capsys):
    bad = tmp_path / "x.json"
    bad.write_text("{}")
    assert main(["policy", "check", str(bad)]) == 2
    assert "no 'steps' list" in capsys.readouterr().err
