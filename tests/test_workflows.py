"""The GitHub Actions workflows: valid against the workflow schema, clean under the zizmor audit,
pinned to commit SHAs, holding only the permissions they use, and doing what the README says
(tests on pull requests, a plan of every stack, dev on main, prod behind approval, the release
summary in the job summary and, with its secret, in Slack)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from webstack.program.project import available_stacks

from .helpers import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml")) + sorted(
    (ROOT / "examples" / "workflows").glob("*.yml")
)
TOOLS = Path(sys.executable).parent
# owner/repo[/path]@<commit SHA> # vX.Y.Z: the SHA is what runs, the comment what Dependabot bumps.
PINNED = re.compile(r"uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$")


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


def steps(workflow: dict) -> list[tuple[str, dict, dict]]:
    return [(name, job, step) for name, job in workflow["jobs"].items() for step in job["steps"]]


def zizmor(persona: str) -> tuple[int, list[tuple[str, str]], str]:
    """zizmor's findings over the workflows and the Dependabot config, offline (no GitHub API)."""
    result = subprocess.run(
        [str(TOOLS / "zizmor"), "--offline", "--persona", persona, "--format", "json", "--no-progress",
         str(ROOT / ".github"), str(ROOT / "examples" / "workflows")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    findings = json.loads(result.stdout or "[]")
    located = [
        (f["ident"], Path(f["locations"][0]["symbolic"]["key"]["Local"]["verbatim_path"]).name) for f in findings
    ]
    return result.returncode, located, result.stderr


# The auditor persona (false positives accepted) also asks for an environment around every secret:
# the pull-request preview reads PULUMI_ACCESS_TOKEN without one, since an environment would change
# the OIDC subject its AWS role trusts (README "Supply chain").
AUDITOR_ACCEPTED = [("secrets-outside-env", "ci.yml")]


def test_zizmor_finds_nothing_in_the_workflows_and_the_dependabot_config():
    """The GitHub Actions security audit at its pedantic persona: no finding at all; at the auditor
    persona, nothing beyond the one accepted above."""
    code, findings, errors = zizmor("pedantic")
    assert code == 0 and not findings, findings or errors
    assert zizmor("auditor")[1] == AUDITOR_ACCEPTED


def test_every_action_is_pinned_to_a_commit_sha_the_same_everywhere():
    shas: dict[str, set[tuple[str, str]]] = {}
    for path in WORKFLOWS:
        for line in path.read_text().splitlines():
            if "uses:" in line:
                match = PINNED.search(line.strip().removeprefix("- "))
                assert match, f"{path.name}: {line.strip()} (pin to a commit SHA with `# vX.Y.Z`)"
                shas.setdefault(match[1], set()).add((match[2], match[3]))
    # The example pipeline is outside Dependabot's reach: it pins what .github/workflows pins.
    assert {action: len(pins) for action, pins in shas.items()} == dict.fromkeys(shas, 1), shas


def test_checkouts_keep_no_token_jobs_hold_only_what_they_use_and_run_lines_hold_no_expressions():
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text())
        assert workflow["permissions"] == {}, path.name  # nothing by default
        for name, job in workflow["jobs"].items():
            uses = [step.get("uses", "") for step in job["steps"]]
            assumes_role = any(u.startswith("aws-actions/configure-aws-credentials@") for u in uses)
            assert job["permissions"] == {"contents": "read", **({"id-token": "write"} if assumes_role else {})}, (
                path.name, name)  # fmt: skip
        for name, _job, step in steps(workflow):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, (path.name, name)
            assert "${{" not in step.get("run", ""), (path.name, name, step["run"])


def test_python_packages_are_installed_only_from_the_hash_pinned_lock_files():
    makefile = (ROOT / "Makefile").read_text()
    installs = [line.strip() for line in makefile.splitlines() if "pip install" in line]
    assert installs == [
        "$(BIN)/pip install --quiet --require-hashes -r $(LOCK)",
        "$(BIN)/pip install --quiet --require-hashes -r $(DEV_LOCK)",
    ]
    assert "LOCK := requirements-lock.txt" in makefile and "DEV_LOCK := requirements-dev-lock.txt" in makefile
    assert "pip install" not in (ROOT / ".ci" / "run").read_text()  # it runs `make test`
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text())
        runs = [step.get("run", "") for _, _, step in steps(workflow)]
        assert not [r for r in runs if "pip " in r or "pip3 " in r], path.name
        assert any(r in ("make setup", "make test") for r in runs), path.name
        for _, _, step in steps(workflow):
            if step.get("uses", "").startswith("pulumi/actions@"):  # the CLI at an exact version too
                assert re.fullmatch(r"\d+\.\d+\.\d+", step["with"]["pulumi-version"]), path.name


def test_dependabot_updates_actions_and_python_pins_in_one_weekly_pull_request():
    path = ROOT / ".github" / "dependabot.yml"
    result = subprocess.run(
        [str(TOOLS / "check-jsonschema"), "--builtin-schema", "vendor.dependabot", str(path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    config = yaml.safe_load(path.read_text())
    (group,) = config["multi-ecosystem-groups"]
    assert config["multi-ecosystem-groups"][group]["schedule"]["interval"] == "weekly"
    ecosystems = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(ecosystems) == {"github-actions", "pip"}
    for update in ecosystems.values():
        assert (update["multi-ecosystem-group"], update["patterns"], update["directory"]) == (group, ["*"], "/")
        assert update["cooldown"]["default-days"] >= 7


def test_pull_requests_run_the_readme_test_command_and_plan_every_stack():
    ci = load("ci.yml")
    triggers = ci[True] if True in ci else ci["on"]  # YAML 1.1 reads the key `on` as True
    assert "pull_request" in triggers
    assert any(step.get("run") == "make test" for step in ci["jobs"]["test"]["steps"])
    assert ci["jobs"]["plan"]["strategy"]["matrix"]["stack"] == available_stacks(ROOT)
    preview = ci["jobs"]["preview"]
    assert preview["if"] == "vars.AWS_ROLE_ARN != ''"
    assert preview["permissions"]["id-token"] == "write"
    assert "id-token" not in ci["jobs"]["test"]["permissions"] and "id-token" not in ci["jobs"]["plan"]["permissions"]


def test_main_deploys_dev_and_prod_needs_the_approval_environment():
    deploy = load("deploy.yml")
    jobs = deploy["jobs"]
    assert "github.event_name == 'push'" in jobs["up-dev"]["if"]
    assert jobs["up-prod"]["environment"] == "prod"
    assert "release" in jobs["up-prod"]["if"]
    dev_runs = " ".join(step.get("run", "") for step in jobs["up-dev"]["steps"])
    prod_runs = " ".join(step.get("run", "") for step in jobs["up-prod"]["steps"])
    # Built once on main, promoted (never rebuilt) to prod; the tag reaches the shell as $TAG.
    assert jobs["up-dev"]["env"]["TAG"] == jobs["up-prod"]["env"]["TAG"] == "${{ github.sha }}"
    assert 'webstack release dev --tag "$TAG" --build --yes' in dev_runs
    assert "webstack release prod" in prod_runs and "--promote-from dev" in prod_runs and "--build" not in prod_runs
    assert not any("aws-access-key-id" in str(step) for job in jobs.values() for step in job["steps"])


def release_notes_steps(job: dict) -> tuple[dict, dict, dict]:
    (release,) = [s for s in job["steps"] if "webstack release " in s.get("run", "")]
    (summary,) = [s for s in job["steps"] if "release_notes markdown" in s.get("run", "")]
    (slack,) = [s for s in job["steps"] if "release_notes slack" in s.get("run", "")]
    return release, summary, slack


@pytest.mark.parametrize(
    ("path", "job"), [("deploy.yml", "up-dev"), ("deploy.yml", "up-prod"), ("payments-deploy.yml", "release")]
)
def test_every_release_posts_its_summary_and_slack_only_sees_the_webhook_when_it_is_set(path, job):
    folder = ROOT / (".github/workflows" if path == "deploy.yml" else "examples/workflows")
    settings = yaml.safe_load((folder / path).read_text())["jobs"][job]
    release, summary, slack = release_notes_steps(settings)
    assert '--summary-md "$SUMMARY"' in release["run"]
    assert summary["if"] == "always()" and summary["run"].endswith('>> "$GITHUB_STEP_SUMMARY"')
    # Whether a webhook is configured is a boolean in the job's env; the URL is in the Slack step's env only.
    assert settings["env"]["SLACK_CONFIGURED"] == "${{ secrets.SLACK_WEBHOOK_URL != '' }}"
    assert slack["if"] == "always() && env.SLACK_CONFIGURED == 'true'"
    assert slack["env"] == {"SLACK_WEBHOOK_URL": "${{ secrets.SLACK_WEBHOOK_URL }}"}
    others = [s for s in settings["steps"] if s is not slack]
    assert "SLACK_WEBHOOK_URL }}" not in str(others) + str(settings["env"]).replace("SLACK_WEBHOOK_URL != ''", "")
    # The notes run with the runner's Python (standard library only), even if `make setup` failed.
    assert summary["run"].startswith("python -m webstack.deployment.release_notes")


def test_seed_001s_example_pipeline_releases_backend_and_frontend_with_the_migration():
    workflow = yaml.safe_load((ROOT / "examples" / "workflows" / "payments-deploy.yml").read_text())
    runs = " ".join(step.get("run", "") for step in workflow["jobs"]["release"]["steps"])
    assert "webstack release payments" in runs and "--service backend --service frontend --build" in runs
    services = yaml.safe_load((ROOT / "examples" / "payments.yaml").read_text())["config"]["webstack:services"]
    assert services["backend"]["release"]["migration_command"] == ["./deploy.sh", "migrate"]
    assert services["frontend"]["release"]["smoke_check_path"] == "/health"
