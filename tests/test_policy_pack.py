"""The real policy pack, through the analyzer protocol: compliant stacks, mutations, rule catalogue."""

from __future__ import annotations

import json
from collections import Counter
from importlib import metadata

import pytest

from webstack.offline.first_preview import as_first_preview
from webstack.offline.plan_json import plan_document
from webstack.policy_driver.engine import POLICY_DIR, PolicyPackError, PolicyServer, read_policy_config
from webstack_policy import sdk_memo  # type: ignore[import-not-found]
from webstack_policy.catalog import all_rules  # type: ignore[import-not-found]

from .conftest import mutation_results
from .helpers import ROOT, SharedPolicyServer, copied, render_stack_file, shipped_stack
from .policy_mutations import MUTATIONS, mutated, state, urn_of

RULES = {rule.name: rule for rule in all_rules()}


@pytest.fixture(scope="module")
def plans():
    shipped = {stack: plan_document(shipped_stack(stack)) for stack in ("dev", "prod")}
    examples = {name: plan_document(render_stack_file(ROOT / "examples" / f"{name}.yaml", name))
                for name in ("usarakhi", "billing", "account-baseline")}  # fmt: skip
    return shipped | examples


PROD_CONFIG = read_policy_config(POLICY_DIR / "config" / "prod.json")


@pytest.fixture(scope="module")
def prod_server():
    with SharedPolicyServer() as server:
        yield server


@pytest.fixture
def prod_judge(prod_server):
    """The server with prod.json in force (a mutation test may have narrowed it to one rule)."""
    prod_server.configure(PROD_CONFIG, "prod")
    return prod_server


def only(rule: str) -> dict[str, object]:
    """prod.json for one rule, every other rule disabled (the SDK skips a disabled policy before it
    reads a resource: a mutation is judged by its rule in a fraction of the time)."""
    entry = PROD_CONFIG.get(rule, {})
    entry = {"enforcementLevel": entry} if isinstance(entry, str) else dict(entry)
    return {"all": "disabled", rule: {**entry, "enforcementLevel": "mandatory"}}


def test_prod_plan_passes_every_rule(plans, prod_judge):
    assert prod_judge.analyze(plans["prod"]) == []


def test_dev_plan_has_no_mandatory_violation_and_only_relaxed_advisories(plans):
    with SharedPolicyServer() as server:
        levels = server.configure(read_policy_config(POLICY_DIR / "config" / "dev.json"), "dev")
        violations = server.analyze(plans["dev"])
    assert [v for v in violations if v.level == "mandatory"] == []
    assert {v.policy for v in violations} == {
        "rds-multi-az",
        "rds-deletion-protection",
        "rds-final-snapshot",
        "elasticache-automatic-failover",
        "alb-deletion-protection",
        "cloudfront-waf-attached",
        "data-kept-on-destroy",
        "data-stores-backed-up-to-another-region",
        "ecs-spot-keeps-on-demand-base",  # dev runs every task on Spot
        "nat-per-az",  # one NAT instance for both AZs
    }
    assert {name for name, level in levels.items() if level != "mandatory"} <= {
        name for name, rule in RULES.items() if rule.relaxable
    }


def test_no_stack_config_relaxes_encryption_exposure_or_iam_rules():
    for path in (POLICY_DIR / "config").glob("*.json"):
        for name, entry in json.loads(path.read_text()).items():
            level = entry if isinstance(entry, str) else entry.get("enforcementLevel", "mandatory")
            if name == "all":
                assert level == "mandatory", path
            elif level != "mandatory":
                assert RULES[name].relaxable, f"{path.name} relaxes {name}"
    # Whether a stack owns a domain is the team's call (issue #20): the one encryption decision a
    # non-production config may take as advisory, and which prod lists once accepted.
    decisions = {"no-custom-domain", "no-custom-domain-accepted"}
    for rule in RULES.values():
        if rule.concern in (
            "encryption-at-rest",
            "encryption-in-transit",
            "network-exposure",
            "least-privilege",
        ):
            assert not rule.relaxable or rule.name in decisions, rule.name


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.id for m in MUTATIONS])
def test_mutation_is_reported_with_resource_rule_and_fix(plans, prod_server, mutation):
    plan = mutated(plans[mutation.plan], mutation)
    target = urn_of(plan, mutation.target)
    touched = [s["urn"] for s in plan["steps"] if s["newState"] != state_or_none(plans[mutation.plan], s["urn"])]
    prod_server.configure(only(mutation.rule), "prod")
    violations = prod_server.analyze(plan, only=touched, include_stack=RULES[mutation.rule].stack)
    hits = [v for v in violations if v.policy == mutation.rule and v.urn == target]
    mutation_results().mkdir(parents=True, exist_ok=True)
    (mutation_results() / mutation.id).write_text("killed" if hits else "survived")  # for the summary
    assert hits, f"{mutation.id} survived: {[(v.policy, v.urn) for v in violations]}"
    assert all(v.level == "mandatory" for v in hits)
    assert "Fix: " in hits[0].message and hits[0].remediation


def state_or_none(plan, urn):
    for step in plan["steps"]:
        if step["urn"] == urn:
            return step["newState"]
    return None


def test_every_rule_is_exercised_by_a_mutation():
    covered = Counter(m.rule for m in MUTATIONS)
    assert set(covered) == set(RULES), f"rules without a failing case: {sorted(set(RULES) - set(covered))}"
    assert len(MUTATIONS) >= 40
    assert len({m.id for m in MUTATIONS}) == len(MUTATIONS)


def test_load_balancer_may_take_443_from_the_world_but_nothing_else_may(plans, prod_judge):
    plan = copied(plans["prod"])
    rule = state(plan, "api-alb-from-cloudfront")["inputs"]
    rule.pop("prefixListId")
    rule["cidrIpv4"] = "0.0.0.0/0"
    violations = prod_judge.analyze(plan, only=[])
    assert [v for v in violations if v.policy == "security-groups-closed-to-the-world"] == []


def test_unknown_values_in_a_preview_become_advisories(plans, prod_judge):
    plan = copied(plans["prod"])
    state(plan, "database-primary")["inputs"]["storageEncrypted"] = "[unknown]"
    violations = prod_judge.analyze(plan, only=[urn_of(plan, "database-primary")])
    (unknown,) = [v for v in violations if v.policy == "rds-storage-encrypted-with-cmk"]
    assert unknown.level == "advisory" and "during preview" in unknown.message


def test_rule_catalogue_is_complete():
    for rule in RULES.values():
        assert rule.description.endswith(".") and rule.remediation
        assert rule.stack or rule.resource_types
    by_concern = Counter(rule.concern for rule in RULES.values())
    assert set(by_concern) == {
        "encryption-at-rest",
        "encryption-in-transit",
        "network-exposure",
        "least-privilege",
        "data-protection",
        "logging",
        "tagging",
    }


def test_policy_readme_maps_every_rule():
    readme = (POLICY_DIR / "README.md").read_text()
    for rule in RULES.values():
        row = next(
            (line for line in readme.splitlines() if line.startswith(f"| `{rule.name}` | {rule.concern} |")),
            None,
        )
        assert row is not None, rule.name
        for mapping in (rule.fsbp, rule.awsguard, rule.cdk_nag):
            if mapping:
                assert mapping in row, (rule.name, mapping)


def test_a_pack_that_cannot_start_is_reported_with_what_it_printed(tmp_path):
    (tmp_path / "__main__.py").write_text("import sys\nsys.exit('webstack_policy: no module named rules')\n")
    with pytest.raises(PolicyPackError, match="did not start:\nwebstack_policy: no module named rules"):  # noqa: SIM117
        with PolicyServer(tmp_path) as server:
            server.info()


def test_the_pack_judges_alike_with_its_sdk_memo_and_without(monkeypatch):
    """sdk_memo hands every policy the same converted inputs; with the SDK as shipped (each
    policy converting its own) the verdicts are the same: on dev's first preview, which has
    unknown values, advisories and a provider."""
    plan, config = as_first_preview(shipped_stack("dev")), read_policy_config(POLICY_DIR / "config" / "dev.json")
    memoized = SharedPolicyServer()
    memoized.configure(config, "dev")
    verdicts = memoized.analyze(plan)
    assert any("during preview" in v.message for v in verdicts)
    assert any("during preview" not in v.message for v in verdicts)
    monkeypatch.setenv(sdk_memo.AS_SHIPPED, "1")
    with PolicyServer() as as_shipped:
        as_shipped.configure(config, "dev")
        assert as_shipped.analyze(plan) == verdicts


def test_the_sdk_memo_is_installed_only_on_the_pulumi_policy_it_was_tested_with():
    assert sdk_memo.applies(metadata.version("pulumi-policy"), {})
    assert not sdk_memo.applies(metadata.version("pulumi-policy"), {sdk_memo.AS_SHIPPED: "1"})
    assert not sdk_memo.applies("1.22.0", {}) and not sdk_memo.applies("2.21.0", {})
