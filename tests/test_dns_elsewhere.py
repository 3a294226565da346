"""DNS elsewhere (`hosted_zone: external`): nothing in Route 53, certificates that wait a bounded
time for records the user creates, and those records listed by the stack, `plan` and `up`."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from pulumi.automation import CommandResult, OutputValue
from pulumi.automation.errors import CommandError
from rich.console import Console

from components import EdgeDistribution, EdgeDistributionArgs, EdgeDomain, EdgeDomainArgs, S3Origin
from components.dns_certificate import validation_records
from components.dns_records import DnsRecord
from webstack.commands.plan import print_dns_records
from webstack.deployment.deploy import Deployer
from webstack.deployment.dns_wait import ValidationWatch
from webstack.offline import aws_mocks
from webstack.offline.plan_json import plan_document
from webstack.program.dns_handoff import target_record

from .helpers import ROOT, one, refusal, render, render_stack_file

VALIDATION = "aws:acm/certificateValidation:CertificateValidation"
TOKEN = "_3f1a.billing.example.com."
ACM_VALUE = "_9c2e.xlfgrmvvlj.acm-validations.aws."


def invokes_during(monkeypatch: pytest.MonkeyPatch, build: Any) -> tuple[Any, list[str]]:
    """The run of ``build`` and the invoke tokens the mocks answered meanwhile."""
    tokens: list[str] = []
    answer = aws_mocks.AwsMocks.call

    def recording(self: aws_mocks.AwsMocks, args: Any) -> Any:
        tokens.append(args.token)
        return answer(self, args)

    monkeypatch.setattr(aws_mocks.AwsMocks, "call", recording)
    return render(build), tokens


def test_an_external_domain_reads_and_writes_nothing_in_route53_and_waits_a_bounded_time(monkeypatch):
    run, tokens = invokes_during(
        monkeypatch,
        lambda: EdgeDomain(
            "edge",
            EdgeDomainArgs(
                domain="billing.example.com",
                name_prefix="billing",
                hosted_zone="external",
                validation_timeout_minutes=30,
            ),
        ),
    )
    assert [r.type for r in run.registrations if r.type.startswith("aws:route53")] == []
    assert "aws:route53/getZone:getZone" not in tokens
    certificates = run.of_type("aws:acm/certificate:Certificate")
    assert len(certificates) == 2 and {c.inputs["validationMethod"] for c in certificates} == {"DNS"}
    validations = run.of_type(VALIDATION)
    assert len(validations) == 2
    for validation in validations:
        assert "validationRecordFqdns" not in validation.inputs  # ACM's own status decides
        assert validation.custom_timeouts == {"create": "30m"}
    # `pulumi up` shows the record beside each pending certificate.
    told = [message for severity, message in run.logs if severity == "info" and "DNS provider" in message]
    assert len(told) == 2 and all(".billing.example.com -> _" in m and "acm-validations.aws" in m for m in told)

    looked_up, tokens = invokes_during(
        monkeypatch, lambda: EdgeDomain("edge", EdgeDomainArgs(domain="example.com", name_prefix="a"))
    )
    assert "aws:route53/getZone:getZone" in tokens
    assert {v.custom_timeouts["create"] for v in looked_up.of_type(VALIDATION)} == {"60m"}


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"records": [DnsRecord("", "CAA", ['0 issue "amazon.com"'])]}, "create them at your provider"),
        ({"validation_timeout_minutes": 4321}, "5-4320"),
    ],
)
def test_what_an_external_domain_cannot_do_is_refused(overrides, words):
    args = EdgeDomainArgs(domain="example.com", name_prefix="a", hosted_zone="external", **overrides)
    assert words in refusal(lambda: EdgeDomain("edge", args))


def test_a_distribution_without_a_zone_gets_no_alias_records():
    def program() -> None:
        EdgeDistribution(
            "site",
            EdgeDistributionArgs(
                hostname="app.example.com",
                zone_id=None,
                certificate_arn="arn:aws:acm:us-east-1:123456789012:certificate/x",
                origin=S3Origin("b.s3.us-east-1.amazonaws.com", lambda _arn: None),
                response_headers_policy_id="rhp",
            ),
        )

    run = render(program)
    assert run.of_type("aws:route53/record:Record") == []
    assert one(run, "aws:cloudfront/distribution:Distribution").inputs["aliases"] == ["app.example.com"]


def test_acm_validation_options_become_one_record_each_without_trailing_dots():
    """The wildcard shares its base domain's record, and so does the regional certificate."""
    edge = [("example.com", TOKEN, "CNAME", ACM_VALUE), ("*.example.com", TOKEN, "CNAME", ACM_VALUE)]
    other = [("app.example.com", "_77.app.example.com.", "CNAME", "_88.acm-validations.aws.")]
    assert validation_records([*edge, *edge, *other]) == [
        {
            "name": TOKEN.rstrip("."),
            "type": "CNAME",
            "value": ACM_VALUE.rstrip("."),
            "purpose": "ACM certificate validation: example.com, *.example.com",
        },
        {
            "name": "_77.app.example.com",
            "type": "CNAME",
            "value": "_88.acm-validations.aws",
            "purpose": "ACM certificate validation: app.example.com",
        },
    ]
    assert validation_records([("example.com", "", "", "")]) == []  # not returned by ACM yet


def test_a_zone_apex_is_an_alias_a_name_that_may_be_one_says_so_and_a_host_is_a_cname():
    apex = target_record("example.com", "example.com", "d1.cloudfront.net", "site")
    assert apex.type == "ALIAS" and "ALIAS, ANAME or CNAME flattening" in apex.purpose
    maybe = target_record("billing.example.com", "billing.example.com", "d1.cloudfront.net", "site")
    assert maybe.type == "CNAME" and "if this name is your zone's apex" in maybe.purpose
    host = target_record("app.billing.example.com", "billing.example.com", "d1.cloudfront.net", "site")
    assert (host.type, host.purpose) == ("CNAME", "site")


def billing_run() -> Any:
    return render_stack_file(ROOT / "examples" / "billing.yaml", "billing")


def test_the_billing_example_exports_every_record_to_create_and_registers_none():
    run = billing_run()
    assert [r.name for r in run.registrations if r.type.startswith("aws:route53")] == []
    assert {v.custom_timeouts.get("create") for v in run.of_type(VALIDATION)} == {"60m"}
    states = {r.type: run.states[r.urn] for r in run.custom()}
    records = {r["name"]: r for r in run.outputs["dnsRecords"]}
    (validation,) = [r for r in records.values() if r["purpose"].startswith("ACM certificate validation")]
    assert validation["type"] == "CNAME" and validation["value"].endswith(".acm-validations.aws")
    assert validation["name"].endswith(".billing.example.com")
    origin = records["origin-api.billing.example.com"]
    assert (origin["type"], origin["value"]) == ("CNAME", states["aws:lb/loadBalancer:LoadBalancer"]["dnsName"])
    api = records["api.billing.example.com"]
    assert (api["type"], api["value"]) == ("CNAME", states["aws:cloudfront/distribution:Distribution"]["domainName"])
    assert len(records) == 3


def test_a_serverless_stack_with_dns_elsewhere_lists_its_api_and_site_names(tmp_path):
    """Seed 002's dev stack with its DNS elsewhere: the API's regional domain, the apex site (which
    may be the zone's apex) and its www name, and the assets site."""
    config = tmp_path / "usarakhi-dev.yaml"
    config.write_text((ROOT / "examples" / "usarakhi-dev.yaml").read_text().replace("lookup", "external"))
    run = render_stack_file(config, "usarakhi-dev")
    assert [r.name for r in run.registrations if r.type.startswith("aws:route53")] == []
    records = {r["name"]: r for r in run.outputs["dnsRecords"]}
    domain = one(run, "aws:apigateway/domainName:DomainName")
    assert records["api.dev.usarakhi.com"]["value"] == run.states[domain.urn]["regionalDomainName"]
    assert records["dev.usarakhi.com"]["value"] == records["www.dev.usarakhi.com"]["value"]
    assert "if this name is your zone's apex" in records["dev.usarakhi.com"]["purpose"]
    assert records["assets.dev.usarakhi.com"]["value"].endswith(".cloudfront.net")
    assert len(records) == 5  # and one validation record


def test_plan_lists_the_records_with_what_is_known_only_after_apply():
    out = io.StringIO()
    print_dns_records(plan_document(billing_run()), Console(file=out, width=250))
    text = " ".join(out.getvalue().split())
    assert "origin-api.billing.example.com │ CNAME │ <known after apply>.us-east-1.elb.amazonaws.com" in text
    assert "│ api.billing.example.com │ CNAME │ <known after apply>.cloudfront.net" in text
    assert "<known after apply>.billing.example.com │ CNAME │ <known after apply>.acm-validations.aws" in text
    assert "not supported" in text  # proxied records
    for value in (r["value"] for r in billing_run().outputs["dnsRecords"]):
        assert value not in text  # the mocks' values are never shown as if real
    quiet = io.StringIO()
    print_dns_records(plan_document(render_stack_file(ROOT / "Pulumi.prod.yaml", "prod")), Console(file=quiet))
    assert quiet.getvalue() == ""  # Route 53 holds every record


# -- `up` through the Automation API seam ---------------------------------------------------------

CERTIFICATE_EVENT = SimpleNamespace(
    res_outputs_event=SimpleNamespace(
        metadata=SimpleNamespace(
            type="aws:acm/certificate:Certificate",
            op="create",
            old=None,
            new=SimpleNamespace(
                inputs={},
                outputs={
                    "status": "PENDING_VALIDATION",
                    "domainValidationOptions": [
                        {"domainName": d, "resourceRecordName": TOKEN, "resourceRecordType": "CNAME",
                         "resourceRecordValue": ACM_VALUE}
                        for d in ("billing.example.com", "*.billing.example.com")
                    ],
                },
            ),
        )
    )
)  # fmt: skip
TIMED_OUT = SimpleNamespace(
    diagnostic_event=SimpleNamespace(
        severity="error",
        urn="urn:pulumi:billing::webstack::webstack:edge:EdgeDomain$aws:acm/certificateValidation:"
        "CertificateValidation::edge-edge-cert-issued",
        message="waiting for ACM Certificate to be issued: timeout while waiting for state to become 'ISSUED'",
    )
)


class ValidatingStack:
    """An up that reports a new certificate, streams a line while its validation waits, then either
    times out (the provider's error) or finishes with the stack's outputs."""

    def __init__(self, times_out: bool) -> None:
        self.times_out = times_out

    def up(self, **kwargs: Any) -> Any:
        kwargs["on_event"](CERTIFICATE_EVENT)
        kwargs["on_event"](CERTIFICATE_EVENT)  # the regional certificate: the same record
        kwargs["on_output"]("edge-edge-cert-issued creating (1800s)")
        if self.times_out:
            kwargs["on_event"](TIMED_OUT)
            raise CommandError(CommandResult(stdout="", stderr=TIMED_OUT.diagnostic_event.message, code=255))
        records = [{"name": "api.billing.example.com", "type": "CNAME", "value": "d1.cloudfront.net", "purpose": "p"}]
        outputs = {"dnsRecords": OutputValue(records, False)}
        return SimpleNamespace(summary=SimpleNamespace(resource_changes={"create": 153}), outputs=outputs)


def deployer(tmp_path: Path, stack: ValidatingStack) -> tuple[Deployer, io.StringIO]:
    shutil.copy(ROOT / "examples" / "billing.yaml", tmp_path / "Pulumi.billing.yaml")
    out = io.StringIO()
    return (
        Deployer(
            console=Console(file=out, width=250),
            root=tmp_path,
            opener=lambda _stack, _root: stack,
            which=lambda _name: "/usr/local/bin/pulumi",
            env={"AWS_PROFILE": "billing"},
        ),
        out,
    )


def test_up_prints_the_validation_records_before_it_waits_and_the_whole_list_after(tmp_path):
    deploy, out = deployer(tmp_path, ValidatingStack(times_out=False))
    assert deploy.up("billing", yes=True) == 0
    text = " ".join(out.getvalue().split())
    shown = text.index("_3f1a.billing.example.com │ CNAME │ _9c2e.xlfgrmvvlj.acm-validations.aws")
    assert shown < text.index("edge-edge-cert-issued creating")
    assert text.count("_3f1a.billing.example.com │") == 1  # both certificates, one record
    assert "waits up to 60 minutes (webstack:domain.validation_timeout_minutes)" in text
    assert "api.billing.example.com │ CNAME │ d1.cloudfront.net" in text.split("up finished")[1]


def test_a_validation_that_times_out_stops_up_with_the_records_to_create(tmp_path):
    deploy, out = deployer(tmp_path, ValidatingStack(times_out=True))
    with pytest.raises(CommandError):
        deploy.up("billing", yes=True)
    told = " ".join(out.getvalue().split("edge-edge-cert-issued creating")[1].split())
    assert "ACM did not issue the certificates of billing.example.com within 60 minutes" in told
    assert "webstack up billing` again" in told and "_3f1a.billing.example.com │ CNAME │ _9c2e" in told


def test_a_certificate_acm_refuses_is_not_blamed_on_missing_records():
    out = io.StringIO()
    watch = ValidationWatch("billing", "billing.example.com", 60, Console(file=out, width=250))
    refused = SimpleNamespace(
        diagnostic_event=SimpleNamespace(
            severity="error",
            urn=TIMED_OUT.diagnostic_event.urn,
            message="waiting for ACM Certificate to be issued: unexpected state 'FAILED': CAA_ERROR",
        )
    )
    watch.see(refused)
    watch.explain(CommandError(CommandResult(stdout="", stderr="update failed", code=255)))
    told = " ".join(out.getvalue().split())
    assert "ACM refused to issue the certificates of billing.example.com" in told and "--replace" in told
    assert "within 60 minutes" not in told
    quiet = io.StringIO()
    ValidationWatch("billing", "billing.example.com", 60, Console(file=quiet)).explain(
        CommandError(CommandResult(stdout="", stderr="policy violation: rds-multi-az", code=255))
    )
    assert quiet.getvalue() == ""  # other failures are the engine's to report
