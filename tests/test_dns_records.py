"""Records a domain needs beside webstack's aliases: what Route 53 is sent, and what is refused
before anything is registered (by the component, and by the config with the key named)."""

from __future__ import annotations

import pytest

from components import DnsRecord, EdgeDomain, EdgeDomainArgs
from components.dns_records import route53_value
from webstack.program.config_problems import ConfigError
from webstack.program.stack_settings import parse_stack_config, read_config_file

from .helpers import ROOT, refusal, render, shipped_stack


def test_a_long_txt_value_is_sent_as_255_character_strings_with_its_quotes_escaped():
    dkim = "v=DKIM1; k=rsa; p=" + "A" * 400
    sent = route53_value("TXT", dkim)
    first, second = sent.split('""')
    assert (len(first), len(second)) == (255, len(dkim) - 255) and first + second == dkim
    assert route53_value("TXT", 'say "hi"') == 'say \\"hi\\"' and route53_value("MX", "1 smtp.google.com") == (
        "1 smtp.google.com"
    )


def test_the_prod_stack_publishes_seed_000s_mail_and_caa_records_in_its_zone():
    records = {
        r.name: r.inputs for r in shipped_stack("prod").of_type("aws:route53/record:Record") if "records" in r.inputs
    }
    assert records["edge-record-mx-apex"]["records"] == ["1 smtp.google.com"]
    assert records["edge-record-txt--dmarc"]["name"] == "_dmarc.exiuscart.com"
    assert records["edge-record-caa-apex"]["records"] == ['0 issue "amazon.com"', '0 issuewild "amazon.com"']
    assert {r["ttl"] for name, r in records.items() if "-record-" in name} == {3600}


@pytest.mark.parametrize(
    ("record", "words"),
    [
        (DnsRecord("", "CNAME", ["x.example.com"]), "cannot be at the apex"),
        (DnsRecord("mail", "MX", ["smtp.google.com"]), "is not 'PRIORITY HOST'"),
        (DnsRecord("", "CAA", ["0 issue amazon.com"]), "FLAGS TAG"),
        (DnsRecord("Mail", "TXT", ["x"]), "lower-case DNS labels"),
        (DnsRecord("", "TXT", ["é"]), "printable ASCII"),
        (DnsRecord("", "TXT", ["x" * 4000]), "Route 53's 4000 characters"),
        (DnsRecord("", "TXT", ["x"], ttl=30), "60-172800"),
    ],
)
def test_what_route53_would_refuse_is_refused_before_anything_is_registered(record, words):
    assert words in refusal(lambda: EdgeDomain("edge", EdgeDomainArgs("example.com", "acme", records=[record])))


def test_a_name_and_type_given_twice_is_refused():
    twice = [DnsRecord("_dmarc", "TXT", ["a"]), DnsRecord("_dmarc", "TXT", ["b"])]
    assert "each name and type once" in refusal(
        lambda: EdgeDomain("e", EdgeDomainArgs("example.com", "a", records=twice))
    )


def with_records(*records: dict) -> dict:
    raw, _ = read_config_file(ROOT / "Pulumi.prod.yaml")
    return raw | {"webstack:domain": {**raw["webstack:domain"], "records": list(records)}}


@pytest.mark.parametrize(
    ("records", "key", "words"),
    [
        (({"name": "app", "type": "CNAME", "values": ["x.example.com"]},), "webstack:domain.records[0]",
         "CNAME 'app' would clash with webstack:sites.shop-dashboard.host"),
        (({"name": "www", "type": "CNAME", "values": ["x.example.com"]},), "webstack:domain.records[0]",
         "clash with webstack:sites.website.redirect_www"),
        (({"name": "mail", "type": "CNAME", "values": ["x.example.com"]},
          {"name": "mail", "type": "TXT", "values": ["x"]}), "webstack:domain.records[0]",
         "the only record of its name"),
        (({"name": "", "type": "SRV", "values": ["x"]},), "webstack:domain.records[0].type", "must be one of"),
        (({"name": "", "type": "TXT", "values": []},), "webstack:domain.records[0].values", "at least 1 item"),
    ],
)  # fmt: skip
def test_config_names_the_record_that_clashes_or_is_refused(records, key, words):
    with pytest.raises(ConfigError) as error:
        parse_stack_config(with_records(*records), "prod", "Pulumi.prod.yaml")
    assert any(p.key == key and words in p.message for p in error.value.problems), error.value.problems


def test_a_record_is_registered_under_its_full_name_in_the_zone():
    run = render(
        lambda: EdgeDomain("edge", EdgeDomainArgs("example.com", "acme", records=[DnsRecord("_x", "TXT", ["v"])]))
    )
    (record,) = [r for r in run.of_type("aws:route53/record:Record") if r.name.startswith("edge-record-")]
    assert (record.name, record.inputs["name"], record.inputs["type"]) == (
        "edge-record-txt--x",
        "_x.example.com",
        "TXT",
    )
