"""A newcomer's first hour (issue 19): config errors that never crash, paths that agree, output
that reads in CI. Each test reproduces what tripped someone up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pulumi.automation._cmd import CommandResult
from pulumi.automation.errors import CommandError

from components.instance_classes import offered
from webstack.commands.cli import main
from webstack.deployment.deploy import Deployer
from webstack.program.project import work_dir
from webstack.program.stack_settings import parse_stack_config, read_config_file

from .helpers import ROOT

DEV = (ROOT / "Pulumi.dev.yaml").read_text()
FOREIGN = ROOT / "tests" / "fixtures" / "foreign_preview.json"
MARKUP = "[bold]up[/x]loads"


def one_line(text: str) -> str:
    return " ".join(text.split())


# --- 1. nothing a user types is read as markup ---


def test_config_errors_print_patterns_and_values_as_written(tmp_path: Path, capsys):
    config = tmp_path / "dev.yaml"
    config.write_text(
        DEV.replace("name_prefix: exiuscart-dev", 'name_prefix: "[/x]"')
        .replace("instance_class: db.t4g.micro", 'instance_class: "[bold]health"')
        .replace("webstack:environment: dev", 'webstack:environment: "[red]x"')
    )
    assert main(["plan", "dev", "--config", str(config)]) == 2  # a MarkupError was exit 1
    err = capsys.readouterr().err
    assert "does not match the pattern ^[a-z][a-z0-9-]{0,15}$ (got '[red]x')" in err
    assert "(got '[bold]health')" in err and "(got '[/x]')" in err
    assert r"^db\.[a-z0-9]+\.[a-z0-9]+$" in err


def test_names_in_a_plan_print_as_written_in_policy_check_cost_and_validate(tmp_path: Path, capsys):
    plan = tmp_path / "preview.json"
    plan.write_text(FOREIGN.read_text().replace("::uploads", f"::{MARKUP}").replace("::handler", f"::[red]{MARKUP}"))
    assert main(["policy", "check", str(plan)]) == 1
    assert main(["cost", str(plan)]) == 0
    assert main(["validate", str(plan)]) == 0
    out = capsys.readouterr().out
    assert out.count(f"aws:s3/bucketV2:BucketV2::{MARKUP}") >= 3  # one per bucket rule
    assert f"[red]{MARKUP}" in out  # the Lambda's unknown price names it


def test_a_failed_deploy_prints_the_engines_message_as_written(capsys):
    class Failing(Deployer):
        def preview(self, stack: str, **_: object) -> int:
            raise CommandError(CommandResult("", "error: [bold]oops[/x] in resource [red]db", 255))

    factory = lambda console: Failing(console=console, which=lambda _: "/bin/pulumi", env={"AWS_PROFILE": "x"})  # noqa: E731
    assert main(["preview", "dev"], deployer_factory=factory) == 1
    assert "[bold]oops[/x] in resource [red]db" in capsys.readouterr().out


# --- 2. stack name and environment from the file and the arguments ---


def test_a_file_whose_name_is_no_environment_gets_no_error_about_a_key_it_never_set(tmp_path: Path, capsys):
    config = tmp_path / "a_misspell.yaml"
    config.write_text(DEV)  # says webstack:environment: dev
    assert main(["plan", "--config", str(config), "--no-policy", "--out", str(tmp_path / "p.json")]) == 0
    out = one_line(capsys.readouterr().out)
    assert "Planned stack a_misspell (from the file name)" in out and "environment dev (webstack:environment)" in out
    raw, _ = read_config_file(config)
    assert parse_stack_config(raw, "my-dev-copy-of-the-stack", "x.yaml").environment == "dev"


def test_a_file_without_an_environment_and_an_unusable_name_is_told_what_to_set(tmp_path: Path, capsys):
    config = tmp_path / "a_misspell.yaml"
    config.write_text("\n".join(line for line in DEV.splitlines() if "webstack:environment" not in line))
    assert main(["plan", "--config", str(config)]) == 2
    err = one_line(capsys.readouterr().err)
    assert "webstack:environment: is not set, and the stack name 'a_misspell' cannot stand in for it" in err
    assert "1 config problem" in err


def test_another_file_named_like_a_stack_never_writes_over_that_stacks_plan(tmp_path: Path, capsys):
    assert main(["plan", "dev", "--no-policy"]) == 0
    own = work_dir() / "plans" / "dev.json"
    written_at = own.stat().st_mtime_ns
    other = tmp_path / "some" / "other" / "dev.yaml"
    other.parent.mkdir(parents=True)
    other.write_text(DEV)
    capsys.readouterr()
    assert main(["plan", "--config", str(other), "--no-policy"]) == 0
    out = one_line(capsys.readouterr().out)
    assert own.stat().st_mtime_ns == written_at
    (written,) = work_dir().glob("plans/dev-*.json")
    # 3. The cost hint names what `cost` can open: the plan file, not a stack that does not exist.
    assert f"Plan written to {written}" in out and f"cost {written}" in out


def test_the_cost_hint_of_an_example_names_its_plan_file(tmp_path: Path, capsys):
    out_file = tmp_path / "payments.json"
    assert main(["plan", "--config", str(ROOT / "examples" / "payments.yaml"), "--out", str(out_file)]) == 0
    out = one_line(capsys.readouterr().out)
    assert f"-m webstack cost {out_file})" in out and "cost payments)" not in out
    assert main(["cost", str(out_file)]) == 0


# --- 5. preview --all without the CLI ---


def test_preview_all_without_the_cli_checks_once_and_exits_2(capsys):
    opened: list[str] = []

    def factory(console):
        deployer = Deployer(console=console, which=lambda _: None)
        deployer.opener = lambda stack, _root: opened.append(stack)  # type: ignore[assignment, return-value]
        return deployer

    assert main(["preview", "--all"], deployer_factory=factory) == 2
    err = capsys.readouterr().err
    assert opened == [] and err.count("not on PATH") == 1
    assert "https://get.pulumi.com | sh (see pulumi.com/docs/install)" in err  # not cut at 120 characters


# --- 7. output in CI and pipes ---


def test_piped_output_is_not_wrapped_at_80_columns(capsys, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    assert main(["cost", "prod", "--details"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) > 80
    assert not any("…" in line for line in lines)  # no cell cut short


def test_cost_compare_prices_the_other_plan_where_the_target_runs_and_shows_unknown_prices(
    tmp_path: Path, capsys, monkeypatch
):
    monkeypatch.delenv("COLUMNS", raising=False)  # the test workers run with COLUMNS=80 set
    assert (
        main(["plan", "--config", str(ROOT / "examples" / "payments.yaml"), "--out", str(tmp_path / "pay.json")]) == 0
    )
    capsys.readouterr()
    # payments runs in us-east-1: beside dev it is priced in me-south-1, dev's region, never a mix.
    assert main(["cost", "dev", "--compare", str(tmp_path / "pay.json")]) == 0
    out = one_line(capsys.readouterr().out)
    assert "pay (me-south-1): $" in out and "dev (me-south-1): $" in out and "warning" not in out
    assert "+ 29 unknown" in out and "(partial)" in out
    assert "dev / pay: 0." in out and "(partial: lines with unknown prices are left out)" in out
    assert main(["cost", "dev", "--compare", "prod", "--json"]) == 0
    compared = json.loads(capsys.readouterr().out)
    # 22, and backups and replication, X-Ray, the cache token's rotation and Inspector: no me-south-1 price
    assert compared["base"]["unknown_lines"] == 37 and compared["complete"] is False


# --- 8. smaller things ---


@pytest.mark.parametrize(
    ("section", "value", "words"),
    [
        ("cache", "engine_version: 8.0",
         'YAML reads the unquoted 8.0 as a number: write it in quotes ("8.0"); allowed: 6.2, 7.0, 7.1 for redis'),
        ("database", "engine_version: 16", 'YAML reads the unquoted 16 as a number: write it in quotes ("16")'),
    ],
)  # fmt: skip
def test_an_unquoted_version_says_to_quote_it_and_lists_the_versions(tmp_path: Path, capsys, section, value, words):
    config = tmp_path / "dev.yaml"
    key, _, _ = value.partition(":")
    lines = DEV.splitlines()
    start = lines.index(f"  webstack:{section}:")
    at = next(i for i in range(start, len(lines)) if lines[i].strip().startswith(f"{key}:"))
    lines[at] = f"    {value}"
    config.write_text("\n".join(lines))
    assert main(["plan", "dev", "--config", str(config)]) == 2
    assert words in one_line(capsys.readouterr().err)


def test_a_vpc_too_small_names_the_subnet_prefixes_too(tmp_path: Path, capsys):
    config = tmp_path / "dev.yaml"
    config.write_text(DEV.replace("cidr: 10.0.0.0/16", "cidr: 10.0.0.0/22").replace("az_count: 2", "az_count: 3"))
    assert main(["plan", "dev", "--config", str(config)]) == 2
    err = one_line(capsys.readouterr().err)
    assert "webstack:network.cidr:" in err and "subnet_prefixes now: public /24, private /20, isolated /24" in err


def test_one_advisory_said_of_several_resources_is_printed_once(capsys):
    assert main(["plan", "dev"]) == 0
    out = capsys.readouterr().out
    assert out.count("cloudfront-waf-attached") == 1
    assert "cloudfront-waf-attached (5 resources)" in out
    assert "0 mandatory violations, 14 advisories" in out


def test_the_tree_header_counts_resources_not_components_stack_and_provider(capsys):
    assert main(["plan", "prod", "--no-policy"]) == 0
    out = capsys.readouterr().out
    plan = json.loads((work_dir() / "plans" / "prod.json").read_text())
    states = [s["newState"] for s in plan["steps"]]
    resources = sum(1 for s in states if s["custom"] and not s["type"].startswith("pulumi:providers:"))
    components = sum(1 for s in states if not s["custom"] and s["parent"])
    assert f"webstack-prod ({resources} resources in {components} components)" in out
    assert f"({resources} resources, " in out  # "Plan written to ..." agrees


# --- 4. sizes AWS does not offer ---


@pytest.mark.parametrize(
    "case",
    [
        ("instance_class: db.t4g.micro", "instance_class: db.t4g.mirco", "webstack:database.instance_class",
         "'db.t4g.mirco' is not a class RDS for PostgreSQL offers; did you mean db.t4g.micro"),
        ("node_type: cache.t4g.micro", "node_type: cache.t4g.mirco", "webstack:cache.node_type",
         "'cache.t4g.mirco' is not a class ElastiCache offers; did you mean cache.t4g.micro"),
    ],
)  # fmt: skip
def test_a_typo_in_a_size_is_refused_with_a_suggestion(tmp_path: Path, capsys, case):
    old, new, key, words = case
    config = tmp_path / "dev.yaml"
    assert old in DEV
    config.write_text(DEV.replace(old, new, 1))
    assert main(["plan", "dev", "--config", str(config)]) == 2  # planned silently before
    err = one_line(capsys.readouterr().err)
    assert f"{key}: {words}" in err
    assert "max_connections_alarm" not in err  # the old, confusing symptom
    assert "components/instance_classes.csv" in err


def test_the_local_storage_and_block_storage_families_are_offered_and_ec2_only_sizes_are_not():
    rds = offered("rds-postgres")
    for name, memory in (("db.r6gd.xlarge", 32), ("db.m6id.large", 8), ("db.r5b.2xlarge", 64), ("db.m5d.large", 8)):
        assert rds[name].memory_gib == memory, name
    assert "db.x2g.medium" not in rds and "db.x2g.large" in rds  # x2g starts at large on RDS


def test_every_priced_class_is_one_aws_offers():
    keys = [line.split(",")[0] for line in (ROOT / "cost" / "prices.csv").read_text().splitlines()]
    rds = {key.removeprefix("rds.postgres.").rsplit(".", 1)[0] for key in keys if key.startswith("rds.postgres.db.")}
    cache = {key.removeprefix("elasticache.") for key in keys if key.startswith("elasticache.cache.")}
    assert rds and rds <= set(offered("rds-postgres")), rds - set(offered("rds-postgres"))
    assert cache and cache <= set(offered("elasticache")), cache - set(offered("elasticache"))
    assert all(row.source.startswith("https://docs.aws.amazon.com/") for row in offered("rds-postgres").values())
