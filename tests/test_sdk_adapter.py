"""The offline engine's hold on Pulumi SDK internals: one adapter (webstack/pulumi_sdk.py), a
version check, and a smoke test of each internal it uses against the SDK installed."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pulumi
import pulumi_aws as aws
import pytest

from webstack import pulumi_sdk as sdk
from webstack.commands.cli import main
from webstack.offline.aws_mocks import _INVOKES, AwsMocks
from webstack.offline.capture import engine_value
from webstack.offline.program import ProgramError, run_program
from webstack.pulumi_sdk import SIG_KEY, SIG_SECRET

ROOT = Path(__file__).resolve().parent.parent
INTERNAL_IMPORT = re.compile(
    r"^\s*(from pulumi\.runtime\.\w+|from pulumi\.runtime import|import pulumi\.runtime\.)", re.M
)


def test_the_installed_sdk_is_in_the_supported_range_and_others_are_refused_by_name():
    sdk.check_version(metadata.version("pulumi"))  # what requirements.txt pins
    for version in ("3.199.0", "4.0.0", "2.25.2"):
        with pytest.raises(sdk.UnsupportedSdk, match=rf"pulumi {re.escape(version)} is installed"):
            sdk.check_version(version)


def test_plan_on_an_unsupported_sdk_says_so_and_exits_2(monkeypatch, capsys, tmp_path: Path):
    monkeypatch.setattr(sdk.metadata, "version", lambda name: "4.1.0")
    config = tmp_path / "sdk-check.yaml"  # a config no other test renders (renders are cached)
    config.write_text(
        (ROOT / "Pulumi.dev.yaml").read_text().replace("webstack:tags:", "webstack:tags:\n    Sdk: check")
    )
    assert main(["plan", "sdk-check", "--config", str(config), "--no-policy", "--out", str(tmp_path / "p.json")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "pulumi 4.1.0 is installed" in err and "requirements.txt" in err


def test_no_module_but_the_adapter_imports_sdk_internals():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("webstack", "policy", "components")
        for path in (ROOT / folder).rglob("*.py")
        if path.name != "pulumi_sdk.py" and INTERNAL_IMPORT.search(path.read_text())
    ]
    assert offenders == []


def test_the_wire_format_round_trips_values_and_the_secret_marker_the_capture_relies_on():
    sdk.ensure_event_loop()
    secret = {SIG_KEY: SIG_SECRET, "value": "x"}  # how the engine marks a secret output
    back = sdk.deserialize(sdk.serialize({"name": "b", "count": 2, "tags": {"a": "1"}, "token": secret}))
    assert back == {"name": "b", "count": 2.0, "tags": {"a": "1"}, "token": secret}  # numbers come back float
    assert engine_value(back["token"]) == "[secret]"


def test_a_program_runs_in_its_stack_with_config_logs_and_registrations():
    def program() -> None:
        assert sdk.config_values()["smoke:greeting"] == "hello"
        pulumi.log.warn("from the program")
        bucket = aws.s3.Bucket("b", bucket_prefix="smoke-")
        pulumi.export("bucket", bucket.bucket_prefix)

    run = run_program(program, project="smoke", stack="test", config={"smoke:greeting": "hello"})
    assert [r.type for r in run.registrations] == ["pulumi:pulumi:Stack", "aws:s3/bucket:Bucket"]
    assert run.named("b").inputs["bucketPrefix"] == "smoke-"
    assert run.named("b").parent == run.registrations[0].urn
    assert run.outputs == {"bucket": "smoke-"}
    assert run.warnings() == ["from the program"]


def test_an_invoke_the_mocks_do_not_answer_is_named():
    def program() -> None:
        aws.sns.Topic("t")
        aws.ec2.get_vpc_output(default=True).id.apply(lambda _: None)

    with pytest.raises(ProgramError) as caught:
        run_program(program, project="smoke", stack="test", config={})
    assert "aws:ec2/getVpc:getVpc" in str(caught.value)


def test_mocks_answer_every_invoke_in_their_table():
    mocks = AwsMocks(region="eu-west-1")
    for token in _INVOKES:
        answer, failures = mocks.call(pulumi.runtime.MockCallArgs(token, {"name": "example.com"}, ""))
        assert answer and failures == [], token


def test_the_offline_wait_sees_resources_made_late_inside_applies_and_their_failures():
    def program() -> None:
        first = aws.sns.Topic("first")
        second = first.arn.apply(lambda arn: aws.sns.Topic("second", display_name=arn[-10:]))
        second.apply(lambda topic: topic.arn.apply(lambda _: aws.sns.Topic("third")))

    run = run_program(program, project="smoke", stack="test", config={})
    assert {r.name for r in run.registrations} >= {"first", "second", "third"}

    def failing() -> None:
        aws.sns.Topic("t").arn.apply(lambda _: 1 / 0)

    with pytest.raises(ProgramError, match="division by zero"):
        run_program(failing, project="smoke", stack="test", config={})


def test_offline_registrations_carry_no_stack_trace_and_the_sdks_own_is_put_back():
    from pulumi.runtime import resource as sdk_resource  # noqa: PLC0415 - the internal this adapter replaces

    real = sdk_resource._get_stack_trace
    sent: list[int] = []

    def program() -> None:
        sent.append(len(sdk_resource._get_stack_trace().frames))
        aws.sns.Topic("topic")

    run_program(program, project="smoke", stack="test", config={})
    assert sent == [0]
    assert sdk_resource._get_stack_trace is real
