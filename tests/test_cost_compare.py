"""`webstack cost --compare` against seed 000's own architecture, and the levers that make the
shipped stacks cheaper than it at the same safety."""

from __future__ import annotations

import json

import pytest

from webstack.commands.cli import main
from webstack.cost.caches import serverless_crossover_gb
from webstack.cost.estimate import estimate
from webstack.cost.tables import Price, PriceTable

from .helpers import shipped_stack

SERVERLESS = PriceTable(
    [
        Price("elasticache.serverless.valkey.gb", "us-east-1", "GB-hour", 0.084, "t", "2026"),
        Price("elasticache.serverless.valkey.ecpu", "us-east-1", "million ECPUs", 0.0023, "t", "2026"),
    ]
)


def test_compare_prices_a_seed_config_file_with_the_targets_usage_and_region(capsys):
    command = ["cost", "dev", "--compare", "examples/seed-000-dev.yaml", "--price-region", "us-east-1", "--json"]
    assert main(command) == 0
    document = json.loads(capsys.readouterr().out)
    base, compared = document["base"], document["compared"]
    assert (base["label"], compared["label"]) == ("seed-000-dev", "dev")
    assert base["region"] == compared["region"] == "us-east-1" and document["complete"] is True
    assert document["ratio"] == pytest.approx(compared["total_monthly"] / base["total_monthly"], abs=1e-4)
    by_key = {row["key"]: row for row in document["by_price"]}
    # The seed's one NAT gateway against dev's NAT instance; its x86 tasks against dev's ARM ones.
    assert by_key["nat.hour"]["base"] == pytest.approx(32.85) and by_key["nat.hour"]["compared"] == 0
    assert by_key["fargate.x86.vcpu"]["compared"] == 0 and by_key["fargate.arm.vcpu"]["base"] == 0
    # The seed's side carries dev's traffic: the same CloudFront lines on both sides.
    assert by_key["cloudfront.out.north_america"]["difference"] == 0


def test_compare_prints_both_totals_the_lines_that_differ_and_the_ratio(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # the price keys in full, beside "+ 1 unknown" cells
    assert main(["cost", "prod", "--compare", "examples/seed-000-prod.yaml", "--price-region", "us-east-1"]) == 0
    out = capsys.readouterr().out
    assert "prod compared with seed-000-prod" in out and "Where the difference is (by price key)" in out
    assert "rds.postgres.db.t3.small.multi" in out and "seed-000-prod (us-east-1): $" in out
    assert "prod / seed-000-prod: 0." in out and "warning" not in out


def test_prod_keeps_its_minimum_on_demand_and_a_nat_per_az():
    run = shipped_stack("prod")
    (service,) = run.of_type("aws:ecs/service:Service")
    assert service.inputs["capacityProviderStrategies"] == [
        {"capacityProvider": "FARGATE", "base": 2, "weight": 0},
        {"capacityProvider": "FARGATE_SPOT", "weight": 1},
    ]
    assert "launchType" not in service.inputs
    nats = run.of_type("aws:ec2/instance:Instance")
    assert len(nats) == 2 and run.of_type("aws:ec2/natGateway:NatGateway") == []
    assert {nat.inputs["instanceType"] for nat in nats} == {"t4g.nano"}


def test_serverless_valkey_bills_its_data_with_a_100_mb_floor_and_its_ecpus():
    cache = "urn:pulumi:s::p::aws:elasticache/serverlessCache:ServerlessCache::cache"
    provider = {"urn": "urn:pulumi:s::p::pulumi:providers:aws::aws", "type": "pulumi:providers:aws", "custom": True,
                "inputs": {"region": "us-east-1"}}  # fmt: skip
    state = {"urn": cache, "type": cache.split("::")[2], "custom": True, "inputs": {"engine": "valkey"}}
    plan = {"steps": [{"op": "create", "urn": s["urn"], "newState": s} for s in (provider, state)]}
    usage = {"hours_per_month": 730, "cache_gb_stored": 0.02, "cache_ecpu_millions": 10}
    small = estimate(plan, SERVERLESS, usage, "s")
    stored, requests = (item for _, item in small.lines)
    assert requests.key == "elasticache.serverless.valkey.ecpu" and requests.quantity == 10
    assert stored.quantity == pytest.approx(0.1 * 730)  # the 100 MB minimum, not the 20 MB kept
    assert small.total == pytest.approx(0.1 * 730 * 0.084 + 10 * 0.0023)


@pytest.mark.parametrize(("provisioned", "ecpus", "crossover"), [(37.38, 30, 0.61), (9.34, 5, 0.15)])
def test_serverless_valkey_beats_the_nodes_only_below_the_crossover(provisioned, ecpus, crossover):
    """Prod's two cache.t4g.small Valkey nodes and dev's one cache.t4g.micro, at their request volumes."""
    gb = serverless_crossover_gb(provisioned, ecpus, SERVERLESS, "us-east-1")
    assert gb == pytest.approx(crossover, abs=0.005)
    assert serverless_crossover_gb(provisioned, ecpus, SERVERLESS, "me-south-1") is None
