"""The scan gate of `webstack release` behind its seams (a fake ECR client, a recorded sleep, a
fixed today), and the release summary it writes for the deploy workflow's job summary and Slack."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from rich.console import Console

from webstack.deployment.image_scan import POLL_SECONDS, Scan, finding_of, judge
from webstack.deployment.release_notes import main as notes_main
from webstack.deployment.release_notes import post_to_slack, render, slack_text
from webstack.program.config_problems import ConfigError
from webstack.program.config_scanning import ImageScanningConfig
from webstack.program.stack_settings import parse_stack_config

from .test_release import STACK, World

PUSHED = {"shop-dev-api:abc123", "shop-dev-billing-worker:abc123"}
XZ = {
    "name": "CVE-2024-3094",
    "severity": "CRITICAL",
    "attributes": [{"key": "package_name", "value": "xz-utils"}, {"key": "package_version", "value": "5.6.0"}],
}
OPENSSL_HIGH = {"name": "CVE-2023-0286", "severity": "HIGH", "attributes": []}
EXCEPTION = {
    "id": "CVE-2024-3094",
    "reason": "liblzma is not loaded by the API process (no sshd in the image)",
    "approved_by": "security@shop.example.com",
    "expires": "2026-12-31",
}


def complete(*findings: dict[str, Any], enhanced: bool = False, token: str | None = None) -> dict[str, Any]:
    key = "enhancedFindings" if enhanced else "findings"
    page: dict[str, Any] = {"imageScanStatus": {"status": "COMPLETE"}, "imageScanFindings": {key: list(findings)}}
    if token:
        page["nextToken"] = token
    return page


def status(name: str, description: str = "") -> dict[str, Any]:
    return {"imageScanStatus": {"status": name, "description": description}}


def releaser(world: World, today: str = "2026-11-01", width: int = 300) -> Any:
    made = world.releaser()
    made.deployer.console = Console(width=width, color_system=None)
    made.today = lambda: datetime.date.fromisoformat(today)
    return made


def test_a_critical_finding_blocks_the_release_before_any_migration_or_deploy(tmp_path, capsys):
    world = World(tmp_path, pushed=PUSHED, scans={"shop-dev-api": [complete(XZ, OPENSSL_HIGH)]})
    summary = tmp_path / "out" / "release.md"
    assert releaser(world).release("shop", tag="abc123", yes=True, summary_md=summary) == 1
    names = world.names()
    assert "ecs.run_task" not in names and "set_config" not in names and "up" not in names
    out = capsys.readouterr().out
    assert "shop-dev-api:abc123: 1 finding(s) at or above CRITICAL in its ECR scan; refused:" in out
    assert "  CRITICAL CVE-2024-3094 in xz-utils 5.6.0" in out
    assert "CVE-2023-0286" not in out  # HIGH is below the default threshold
    assert "nothing was migrated or deployed" in out
    # Both images are judged, so one run lists every finding to fix.
    scanned = {e[1] for e in world.log if e[0] == "ecr.describe_image_scan_findings"}
    assert scanned == {"shop-dev-api", "shop-dev-billing-worker"}
    notes = summary.read_text()
    assert notes.startswith("## Release shop: `abc123` failed (exit 1)")
    assert "| api | abc123 | 1.0.0 | already pushed | refused: 1 at or above the threshold | - |" in notes


def test_a_lower_threshold_blocks_high_findings_too(tmp_path):
    world = World(tmp_path, pushed=PUSHED, scans={"shop-dev-api": [complete(OPENSSL_HIGH)]},
                  config={"webstack:image_scanning": {"block_severity": "HIGH"}})  # fmt: skip
    assert releaser(world).release("shop", tag="abc123", yes=True) == 1


def test_a_named_exception_lets_its_finding_through_until_it_expires(tmp_path, capsys):
    config = {"webstack:image_scanning": {"exceptions": [EXCEPTION]}}
    world = World(tmp_path, pushed=PUSHED, scans={"shop-dev-api": [complete(XZ)]}, config=config)
    assert releaser(world, today="2026-12-20").release("shop", tag="abc123", yes=True) == 0
    out = capsys.readouterr().out
    assert (
        "excepted: CRITICAL CVE-2024-3094 in xz-utils 5.6.0: liblzma is not loaded by the API process (no sshd "
        "in the image) (approved by security@shop.example.com, until 2026-12-31; expires soon)"
    ) in out
    assert "up" in world.names()
    assert "shop-dev-billing-worker:abc123: ECR scan passed (0 findings)" in out
    later = World(tmp_path, pushed=PUSHED, scans={"shop-dev-api": [complete(XZ)]}, config=config)
    assert releaser(later, today="2027-01-01").release("shop", tag="abc123", yes=True) == 1
    assert "exception CVE-2024-3094 (approved by security@shop.example.com) expired on 2026-12-31" in (
        capsys.readouterr().out
    )


def test_an_exception_scoped_to_other_services_does_not_cover_this_one(tmp_path):
    scoped = {**EXCEPTION, "services": ["billing-worker"]}
    world = World(tmp_path, pushed=PUSHED, scans={"shop-dev-api": [complete(XZ)]},
                  config={"webstack:image_scanning": {"exceptions": [scoped]}})  # fmt: skip
    assert releaser(world).release("shop", tag="abc123", yes=True) == 1


def test_a_scan_in_progress_is_awaited_then_the_release_proceeds(tmp_path):
    answers = [status("IN_PROGRESS"), status("IN_PROGRESS"), complete()]
    world = World(tmp_path, pushed=PUSHED, scans={"shop-dev-api": answers})
    assert releaser(world).release("shop", tag="abc123", services=["api"], yes=True) == 0
    names = world.names()
    assert names.count("ecr.describe_image_scan_findings") == 3
    assert [e for e in world.log if e[0] == "sleep"][:2] == [("sleep", POLL_SECONDS)] * 2
    assert names.index("sleep") < names.index("ecs.run_task") < names.index("up")


def test_a_scan_that_never_finishes_is_refused_after_the_bounded_wait(tmp_path, capsys):
    world = World(tmp_path, pushed=PUSHED, scans={"shop-dev-api": [status("IN_PROGRESS")]},
                  config={"webstack:image_scanning": {"wait_minutes": 1}})  # fmt: skip
    assert releaser(world).release("shop", tag="abc123", services=["api"], yes=True) == 1
    assert world.names().count("sleep") == 60 // POLL_SECONDS
    assert "no usable scan (TIMED_OUT (still IN_PROGRESS after 60 s)); refused" in capsys.readouterr().out


@pytest.mark.parametrize("state", ["FAILED", "UNSUPPORTED_IMAGE", "SCAN_ELIGIBILITY_EXPIRED"])
def test_a_failed_or_unsupported_scan_is_refused_unless_unscanned_images_are_allowed(tmp_path, state):
    scans = {"shop-dev-api": [status(state, "layer format")]}
    assert releaser(World(tmp_path, pushed=PUSHED, scans=scans)).release("shop", tag="abc123", yes=True) == 1
    allowed = World(tmp_path, pushed=PUSHED, scans={"shop-dev-api": [status(state)]},
                    config={"webstack:image_scanning": {"allow_unscanned": True}})  # fmt: skip
    assert releaser(allowed).release("shop", tag="abc123", yes=True) == 0


def test_an_image_never_scanned_is_scanned_once_then_judged(tmp_path):
    not_found = type("ScanNotFoundException", (Exception,), {})("no scan found for the image")
    world = World(tmp_path, pushed=PUSHED, scans={"shop-dev-api": [not_found, not_found, complete(XZ)]})
    assert releaser(world).release("shop", tag="abc123", services=["api"], yes=True) == 1
    assert world.names().count("ecr.start_image_scan") == 1


def test_inspector_findings_are_read_across_pages_and_suppressed_ones_do_not_block(tmp_path, capsys):
    def inspector(cve: str, severity: str, state: str = "ACTIVE") -> dict[str, Any]:
        package = {"name": "glibc", "version": "2.36", "fixedInVersion": "2.36-9"}
        details = {"vulnerabilityId": cve, "vulnerablePackages": [package]}
        return {"severity": severity, "status": state, "title": cve, "packageVulnerabilityDetails": details}

    pages = [
        complete(inspector("CVE-2023-4911", "CRITICAL", "SUPPRESSED"), enhanced=True, token="page-2"),
        complete(inspector("CVE-2024-2961", "CRITICAL"), enhanced=True),
    ]
    pages[0]["imageScanStatus"]["status"] = "ACTIVE"
    world = World(tmp_path, pushed=PUSHED, scans={"shop-dev-api": pages})
    assert releaser(world).release("shop", tag="abc123", services=["api"], yes=True) == 1
    out = capsys.readouterr().out
    assert "in its enhanced (Amazon Inspector) scan; refused:" in out
    assert "  CRITICAL CVE-2024-2961 in glibc 2.36 (fixed in 2.36-9)" in out
    assert "CVE-2023-4911" not in out
    assert [e[3] for e in world.log if e[0] == "ecr.describe_image_scan_findings"] == [None, "page-2"]


def test_findings_without_a_severity_count_as_medium():
    settings = ImageScanningConfig(block_severity="MEDIUM")
    untriaged = finding_of({"severity": "UNTRIAGED", "title": "GHSA-x"}, enhanced=True)
    assert not judge("api", "img", Scan("COMPLETE", findings=(untriaged,)), settings, datetime.date(2026, 1, 1)).passed
    settings = ImageScanningConfig(block_severity="HIGH")
    assert judge("api", "img", Scan("COMPLETE", findings=(untriaged,)), settings, datetime.date(2026, 1, 1)).passed


def test_the_exception_list_refuses_what_a_reviewer_would_send_back():
    vague = {**STACK, "webstack:image_scanning": {"exceptions": [{**EXCEPTION, "reason": "ok"}]}}
    with pytest.raises(ConfigError, match=r"exceptions\[0\]\.reason: String should have at least 20 characters"):
        parse_stack_config(vague, "shop", "Pulumi.shop.yaml")
    twice = {**STACK, "webstack:image_scanning": {"exceptions": [EXCEPTION, {**EXCEPTION, "id": "cve-2024-3094"}]}}
    with pytest.raises(ConfigError, match=r"one entry per finding id \(repeated: CVE-2024-3094\)"):
        parse_stack_config(twice, "shop", "Pulumi.shop.yaml")
    missing = {**STACK, "webstack:image_scanning": {"exceptions": [{"id": "CVE-2024-3094", "reason": "x" * 30}]}}
    with pytest.raises(ConfigError, match=r"exceptions\[0\]\.(approved_by|expires)"):
        parse_stack_config(missing, "shop", "Pulumi.shop.yaml")
    stranger = {**STACK, "webstack:image_scanning": {"exceptions": [{**EXCEPTION, "services": ["nope"]}]}}
    with pytest.raises(ConfigError, match=r"exceptions\[0\]\.services.*api, billing-worker"):
        parse_stack_config(stranger, "shop", "Pulumi.shop.yaml")


def test_the_summary_names_stack_tags_scan_and_result_with_the_cost_line_when_given(tmp_path):
    world = World(tmp_path, pushed=PUSHED)
    summary, cost = tmp_path / "release.md", tmp_path / "cost.md"
    cost.write_text("+$12.40 a month against the running stack (webstack cost --compare)\n")
    assert releaser(world).release("shop", tag="abc123", yes=True, summary_md=summary, cost_note=cost) == 0
    notes = summary.read_text()
    assert notes.splitlines()[0] == "## Release shop: `abc123` succeeded"
    assert "| service | tag | from | image | scan | migration | rollout | smoke |" in notes
    assert "| billing-worker | abc123 | 1.0.0 | already pushed | passed (0 findings) | - | COMPLETED | - |" in notes
    assert "**Cost:** +$12.40 a month against the running stack (webstack cost --compare)" in notes
    assert "Cost" not in render("shop", "abc123", 0, {})  # no comparison handed over: no cost line


def test_a_release_stopped_by_an_error_still_writes_its_summary(tmp_path):
    summary = tmp_path / "release.md"
    with pytest.raises(Exception, match="not in the repository"):
        releaser(World(tmp_path)).release("shop", tag="abc123", yes=True, summary_md=summary)
    assert summary.read_text().startswith("## Release shop: `abc123` failed (exit 2)\n\nStopped: shop-dev-api:abc123")


def test_the_job_summary_step_prints_the_file_or_says_the_release_never_got_there(tmp_path, capsys):
    summary = tmp_path / "release.md"
    assert notes_main(["markdown", str(summary), "--stack", "prod"], env={}) == 0
    assert capsys.readouterr().out.startswith("## Release prod: did not run to its summary")
    summary.write_text(render("prod", "abc123", 0, {"api": {"tag": "abc123", "scan": "passed (0 findings)"}}))
    assert notes_main(["markdown", str(summary), "--stack", "prod"], env={}) == 0
    assert "| api | abc123 | - | - | passed (0 findings) |" in capsys.readouterr().out


def test_slack_gets_the_summary_from_the_secret_url_which_is_never_printed(tmp_path, capsys):
    summary = tmp_path / "release.md"
    summary.write_text(render("prod", "abc123", 1, {"api": {"tag": "abc123", "scan": "refused: 1 at or above"}}))
    url = "https://hooks.slack.com/services/T000/B000/secret-part"
    sent: list[tuple[str, Any]] = []

    def post(target: str, body: bytes) -> int:
        sent.append((target, json.loads(body)))
        return 200

    env = {"SLACK_WEBHOOK_URL": url, "RUN_URL": "https://github.com/o/r/actions/runs/1"}
    assert notes_main(["slack", str(summary), "--stack", "prod"], env=env, post=post) == 0
    ((target, payload),) = sent
    assert target == url
    header = "| service | tag | from | image | scan | migration | rollout | smoke |"
    assert payload["text"].splitlines()[:3] == ["*Release prod: abc123 failed (exit 1)*", "```", header]
    assert payload["text"].endswith("<https://github.com/o/r/actions/runs/1|The run>")
    out = capsys.readouterr().out
    assert "posted the release summary to Slack (HTTP 200)" in out and "secret-part" not in out
    assert post_to_slack("x", {}, post) == (False, "SLACK_WEBHOOK_URL is not set: nothing posted")
    assert post_to_slack("x", {"SLACK_WEBHOOK_URL": "http://plain"}, post)[0] is False
    failed = post_to_slack("x", {"SLACK_WEBHOOK_URL": url}, lambda _u, _b: 404)
    assert failed == (False, "Slack answered HTTP 404: the summary was not posted") and "secret" not in failed[1]
    assert len(slack_text("| a |\n" * 2000)) < 3600


def test_the_cost_line_says_how_the_estimate_moved_from_the_previous_stack_config(tmp_path, capsys):
    """The deploy workflow prices the commit's stack config beside the previous commit's
    (`cost --compare --json`) and hands `release --cost-note` this line."""
    compared = tmp_path / "cost.json"
    compared.write_text(json.dumps({
        "base": {"label": "previous-prod", "region": "me-south-1", "total_monthly": 180.0, "unknown_lines": 37},
        "compared": {"label": "prod", "region": "me-south-1", "total_monthly": 182.55, "unknown_lines": 37},
    }))  # fmt: skip
    assert notes_main(["cost-line", str(compared), "--stack", "prod"]) == 0
    assert capsys.readouterr().out.strip() == (
        "prod: $182.55 a month (me-south-1, partial: 37 lines without a price), +2.55 a month from the previous "
        "commit's stack config ($180.00)"
    )
    # The first release has no previous commit, so no comparison: the line says so.
    assert notes_main(["cost-line", str(tmp_path / "missing.json"), "--stack", "prod"]) == 0
    assert capsys.readouterr().out.strip() == "prod: no cost comparison"
