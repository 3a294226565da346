"""Programs we did not write: a real `pulumi preview --json` of a small public-style program
(a bucket whose uploads invoke a Lambda, its role with nine AWS managed policies, and an ALB
listener on port 80 left without a protocol), in the exact shape the CLI writes it: `__defaults`,
`sourcePosition`, a provider reference with the unknown sentinel, `same` and `delete` steps,
component types from other packages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from webstack.commands.cli import main
from webstack.offline.plan import read_plan_file
from webstack.policy_driver.engine import read_policy_config
from webstack.program.stack_settings import POLICY_DIR

from .helpers import SharedPolicyServer

FIXTURE = Path(__file__).parent / "fixtures" / "foreign_preview.json"


@pytest.fixture(scope="module")
def violations():
    with SharedPolicyServer() as server:
        server.configure(read_policy_config(POLICY_DIR / "config" / "prod.json"), "dev")
        return server.analyze(read_plan_file(FIXTURE))


def on(violations, policy):
    return sorted(v.urn.rsplit("::", 1)[-1] for v in violations if v.policy == policy and v.level == "mandatory")


def test_the_fixture_has_the_shape_of_a_real_preview():
    plan = json.loads(FIXTURE.read_text())
    ops = {s["op"] for s in plan["steps"]}
    assert {"create", "same", "delete"} <= ops
    assert any("newState" not in s for s in plan["steps"])  # a delete has only its old state
    assert any("__defaults" in s.get("newState", {}).get("inputs", {}) for s in plan["steps"])
    assert any("sourcePosition" in s.get("newState", {}) for s in plan["steps"])
    assert any(s.get("provider", "").endswith("::04da6b54-80e4-46f7-96ec-b56ff0331ba9") for s in plan["steps"])


def test_aws_managed_full_access_policies_fail_least_privilege(violations):
    full_access = [f"handler-policy-{i}" for i in range(8)]  # the ninth is the basic execution role
    assert on(violations, "iam-no-wildcard-actions") == full_access
    assert on(violations, "iam-no-star-resource-for-writes") == full_access
    assert on(violations, "iam-no-aws-managed-policies") == [f"handler-policy-{i}" for i in range(9)]
    wildcard = next(v for v in violations if v.policy == "iam-no-wildcard-actions" and "policy-0" in v.urn)
    assert "AmazonS3FullAccess allows s3:*" in wildcard.message


def test_the_bucket_is_failed_under_its_deprecated_type_name(violations):
    for policy in ("s3-bucket-public-access-blocked", "s3-bucket-denies-insecure-transport"):
        assert on(violations, policy) == ["uploads"], policy


def test_a_listener_without_a_protocol_is_the_plain_http_it_defaults_to(violations):
    assert on(violations, "alb-http-listener-only-redirects") == ["web-0"]


def test_policy_check_cost_diagram_and_validate_read_it(tmp_path, capsys):
    assert main(["policy", "check", str(FIXTURE)]) == 1
    assert "mandatory violations" in capsys.readouterr().out
    assert main(["cost", str(FIXTURE), "--json"]) == 0
    cost = json.loads(capsys.readouterr().out)
    assert cost["total_monthly"] > 0 and cost["complete"]
    # The Lambda sets neither memory nor architecture: priced with Lambda's defaults, 128 MB on x86.
    (duration,) = [r for r in cost["resources"] if r["description"].startswith("x86 duration")]
    assert "x 0.125 GB" in duration["description"]
    assert main(["validate", str(FIXTURE)]) == 0
    assert "unmapped aws:s3/bucketNotification:BucketNotification" in " ".join(capsys.readouterr().out.split())
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed (the diagram tests need it)")
    assert main(["diagram", str(FIXTURE), "--out", str(tmp_path / "foreign.png")]) == 0
    assert (tmp_path / "foreign.png").stat().st_size > 0
