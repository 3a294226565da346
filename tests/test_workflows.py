"""The GitHub Actions workflows: valid against the workflow schema, pinned, and doing what the
README says (tests on pull requests, a plan of every stack, dev on main, prod behind approval)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from webstack.program.project import available_stacks

from .helpers import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml")) + sorted(
    (ROOT / "examples" / "workflows").glob("*.yml")
)


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())


def test_workflows_match_the_github_schema():
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_action_is_pinned_to_a_full_version():
    for path in WORKFLOWS:
        for action in re.findall(r"uses:\s*(\S+)", path.read_text()):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+", action), f"{path.name}: {action}"


def test_pull_requests_run_the_readme_test_command_and_plan_every_stack():
    ci = load("ci.yml")
    triggers = ci[True] if True in ci else ci["on"]  # YAML 1.1 reads the key `on` as True
    assert "pull_request" in triggers
    assert any(step.get("run") == "make test" for step in ci["jobs"]["test"]["steps"])
    assert ci["jobs"]["plan"]["strategy"]["matrix"]["stack"] == available_stacks(ROOT)
    preview = ci["jobs"]["preview"]
    assert preview["if"] == "vars.AWS_ROLE_ARN != ''"
    assert preview["permissions"]["id-token"] == "write"


def test_main_deploys_dev_and_prod_needs_the_approval_environment():
    deploy = load("deploy.yml")
    jobs = deploy["jobs"]
    assert "github.event_name == 'push'" in jobs["up-dev"]["if"]
    assert jobs["up-prod"]["environment"] == "prod"
    assert "release" in jobs["up-prod"]["if"]
    dev_runs = " ".join(step.get("run", "") for step in jobs["up-dev"]["steps"])
    prod_runs = " ".join(step.get("run", "") for step in jobs["up-prod"]["steps"])
    # Built once on main, promoted (never rebuilt) to prod.
    assert 'webstack release dev --tag "${{ github.sha }}" --build --yes' in dev_runs
    assert "webstack release prod" in prod_runs and "--promote-from dev" in prod_runs and "--build" not in prod_runs
    assert not any("aws-access-key-id" in str(step) for job in jobs.values() for step in job["steps"])


def test_seed_001s_example_pipeline_releases_backend_and_frontend_with_the_migration():
    workflow = yaml.safe_load((ROOT / "examples" / "workflows" / "payments-deploy.yml").read_text())
    runs = " ".join(step.get("run", "") for step in workflow["jobs"]["release"]["steps"])
    assert "webstack release payments" in runs and "--service backend --service frontend --build" in runs
    services = yaml.safe_load((ROOT / "examples" / "payments.yaml").read_text())["config"]["webstack:services"]
    assert services["backend"]["release"]["migration_command"] == ["./deploy.sh", "migrate"]
    assert services["frontend"]["release"]["smoke_check_path"] == "/health"
