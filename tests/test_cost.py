"""The cost model against hand-computed expectations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from webstack.commands.cli import main
from webstack.cost.estimate import FREE_TIER, compare, estimate, ratio
from webstack.cost.model import Context, scheduled_hours
from webstack.cost.report import difference, money
from webstack.cost.tables import Price, PriceTable, load_usage
from webstack.offline.plan_json import plan_document

from .helpers import ROOT, readme_figure, render_stack_file, shipped_stack

PRICES = PriceTable(
    [
        Price("nat.hour", "us-east-1", "hour", 0.045, "t", "2026"),
        Price("nat.gb", "us-east-1", "GB", 0.045, "t", "2026"),
        Price("ipv4.hour", "us-east-1", "address-hour", 0.005, "t", "2026"),
        Price("rds.postgres.db.t4g.micro.single", "us-east-1", "instance-hour", 0.016, "t", "2026"),
        Price("rds.postgres.db.t4g.micro.multi", "us-east-1", "instance-hour", 0.032, "t", "2026"),
        Price("rds.gp3.single", "us-east-1", "GB-month", 0.115, "t", "2026"),
        Price("rds.gp3.multi", "us-east-1", "GB-month", 0.23, "t", "2026"),
        Price("secretsmanager.secret", "us-east-1", "secret-month", 0.40, "t", "2026"),
        Price("elasticache.cache.t4g.micro", "us-east-1", "node-hour", 0.016, "t", "2026"),
        Price("elasticache.valkey_factor", "us-east-1", "ratio", 0.8, "t", "2026"),
        Price("kms.key", "us-east-1", "key-month", 1.0, "t", "2026"),
        Price("kms.requests", "us-east-1", "10k requests", 0.03, "t", "2026"),
        Price("waf.web_acl", "global", "web ACL-month", 5.0, "t", "2026"),
        Price("waf.rule", "global", "rule-month", 1.0, "t", "2026"),
        Price("waf.requests", "global", "million requests", 0.6, "t", "2026"),
    ]
)
USAGE = {
    "hours_per_month": 730,
    "nat_gb_per_month": 100,
    "kms_requests_10k_per_key": 0,
    "waf_requests_millions": 10,
}


def step(urn_name, resource_type, inputs, parent="urn:pulumi:s::p::webstack:network:SecureVpc::network"):
    urn = f"urn:pulumi:s::p::{resource_type}::{urn_name}"
    return {"op": "create", "urn": urn, "newState": {
        "urn": urn, "type": resource_type, "custom": True, "parent": parent, "inputs": inputs}}  # fmt: skip


def small_plan(multi_az=False, engine="redis"):
    component = {
        "urn": "urn:pulumi:s::p::webstack:network:SecureVpc::network",
        "type": "webstack:network:SecureVpc",
        "custom": False,
        "parent": "",
        "inputs": {},
    }
    provider = {"urn": "urn:pulumi:s::p::pulumi:providers:aws::aws", "type": "pulumi:providers:aws", "custom": True,
                "parent": "", "inputs": {"region": "us-east-1"}}  # fmt: skip
    return {
        "steps": [
            {"op": "create", "urn": component["urn"], "newState": component},
            {"op": "create", "urn": provider["urn"], "newState": provider},
            step("nat", "aws:ec2/natGateway:NatGateway", {}),
            step("eip", "aws:ec2/eip:Eip", {"domain": "vpc"}),
            step("db", "aws:rds/instance:Instance",
                 {"instanceClass": "db.t4g.micro", "multiAz": multi_az, "allocatedStorage": 20,
                  "manageMasterUserPassword": True}),
            step("cache", "aws:elasticache/replicationGroup:ReplicationGroup",
                 {"nodeType": "cache.t4g.micro", "numCacheClusters": 2, "engine": engine}),
            step("key", "aws:kms/key:Key", {}),
            step("vpc", "aws:ec2/vpc:Vpc", {}),
            step("waf", "aws:wafv2/webAcl:WebAcl", {"rules": [{}, {}, {}, {}], "region": "us-east-1"}),
        ]
    }  # fmt: skip


def test_hand_computed_small_plan():
    result = estimate(small_plan(), PRICES, USAGE, "small")
    expected = {
        "nat": 730 * 0.045 + 100 * 0.045,  # 32.85 + 4.50
        "eip": 730 * 0.005,  # 3.65
        "db": 730 * 0.016 + 20 * 0.115 + 0.40,  # 11.68 + 2.30 + 0.40
        "cache": 2 * 730 * 0.016,  # 23.36
        "key": 1.0,
        "vpc": 0.0,
        "waf": 5 + 4 * 1 + 10 * 0.6,  # 15.00
    }
    by_resource: dict[str, float] = {}
    for _, item in result.lines:
        name = item.resource.rsplit("::", 1)[-1]
        by_resource[name] = by_resource.get(name, 0.0) + (item.monthly or 0.0)
    for name, value in expected.items():
        assert by_resource.get(name, 0.0) == pytest.approx(value), name
    assert result.total == pytest.approx(sum(expected.values()))
    assert result.total == pytest.approx(94.74)
    assert result.unknown == []
    assert set(result.components()) == {"SecureVpc network"}


def test_multi_az_doubles_instance_and_storage_prices():
    single = estimate(small_plan(False), PRICES, USAGE, "a").components()["SecureVpc network"].known
    multi = estimate(small_plan(True), PRICES, USAGE, "b").components()["SecureVpc network"].known
    assert multi - single == pytest.approx(730 * 0.016 + 20 * 0.115)


def test_valkey_nodes_cost_080_of_redis():
    redis = estimate(small_plan(engine="redis"), PRICES, USAGE, "r")
    valkey = estimate(small_plan(engine="valkey"), PRICES, USAGE, "v")
    assert redis.total - valkey.total == pytest.approx(2 * 730 * 0.016 * 0.2)


def test_unknown_price_is_unknown_never_zero_and_the_total_says_so():
    table = PriceTable([p for p in PRICES._prices.values() if p.key != "nat.hour"])
    result = estimate(small_plan(), table, USAGE, "gap")
    (unknown,) = result.unknown
    assert unknown.monthly is None and "nat.hour not in the price table" in unknown.description
    document = result.to_json()
    assert document["complete"] is False and document["unknown_lines"] == 1
    assert document["total_monthly"] == pytest.approx(94.74 - 32.85)
    line = next(r for r in document["resources"] if r["unit_price"] is None)
    assert line["monthly"] is None


def test_unpriced_resource_type_is_reported_as_unknown():
    plan = small_plan()
    plan["steps"].append(step("stream", "aws:kinesis/stream:Stream", {}))
    assert any("aws:kinesis/stream:Stream" in item.description for item in estimate(plan, PRICES, USAGE, "x").unknown)


def test_compare_gives_the_per_component_difference():
    rows = compare(estimate(small_plan(False), PRICES, USAGE, "dev"), estimate(small_plan(True), PRICES, USAGE, "prod"))
    ((name, dev, prod, diff),) = rows
    assert name == "SecureVpc network" and diff == pytest.approx(prod - dev) == pytest.approx(13.98)


def test_usage_overrides_apply_per_stack(tmp_path: Path):
    usage = tmp_path / "usage.yaml"
    usage.write_text(
        "defaults:\n  nat_gb_per_month: 10\n  s3_gb_by_bucket: {uploads: 5, logs: 1}\n"
        "stacks:\n  prod:\n    nat_gb_per_month: 500\n    s3_gb_by_bucket: {uploads: 50}\n"
    )
    assert load_usage("dev", usage)["nat_gb_per_month"] == 10
    prod = load_usage("prod", usage)
    assert prod["nat_gb_per_month"] == 500
    assert prod["s3_gb_by_bucket"] == {"uploads": 50, "logs": 1}
    with_override = estimate(small_plan(), PRICES, {**USAGE, "nat_gb_per_month": 500}, "o")
    assert with_override.total - estimate(small_plan(), PRICES, USAGE, "b").total == pytest.approx(400 * 0.045)


def test_regional_resources_use_their_own_region_and_missing_regions_are_unknown():
    plan = small_plan()
    plan["steps"][1]["newState"]["inputs"]["region"] = "me-south-1"
    result = estimate(plan, PRICES, USAGE, "me")
    unknown = {item.resource.rsplit("::", 1)[-1] for item in result.unknown}
    assert unknown == {"nat", "eip", "db", "cache", "key"}  # the WAF is priced (global, us-east-1)


def test_cli_json_and_compare_for_the_shipped_stacks(capsys):
    assert main(["cost", "prod", "--json", "--price-region", "us-east-1"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["total_monthly"] > 0 and document["currency"] == "USD"
    assert "FargateApi api" in document["components"]
    assert any(r["component"] == "ManagedPostgres database" for r in document["resources"])
    assert main(["cost", "prod", "--compare", "dev"]) == 0
    out = capsys.readouterr().out
    assert "prod compared with dev" in out and "SecureVpc network" in out


def test_cli_refuses_an_unknown_price_region(capsys):
    assert main(["cost", "dev", "--price-region", "mars-1"]) == 2
    assert "the price table has" in capsys.readouterr().err


def test_shipped_dev_runs_its_api_12_hours_on_weekdays_on_spot():
    dev = estimate(plan_document(shipped_stack("dev")), PriceTable.load(), load_usage("dev"), "dev", "us-east-1")
    fargate = [item for _, item in dev.lines if item.description.startswith("Fargate arm vCPU")]
    (vcpu,) = fargate
    assert "60 h a week (weekdays 06:00-18:00 UTC)" in vcpu.description and "Fargate Spot" in vcpu.description
    assert vcpu.quantity == pytest.approx(0.5 * 1 * 12 * 5 * 52 / 12 * (1 - 0.6))


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_readme_cost_figures_match_the_model(stack):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    plan = plan_document(shipped_stack(stack))
    row = next(line for line in readme.splitlines() if line.startswith(f"| {stack} | $"))
    for region in (None, "us-east-1"):
        figures = estimate(plan, PriceTable.load(), load_usage(stack), stack, region)
        assert readme_figure(figures) in row, (region, row)
    # The seed's bases: without public IPv4 and LCUs; and also without request charges.
    cells = [cell.strip() for cell in row.split("|")]
    alone = estimate(plan, PriceTable.load(), load_usage(stack) | {"account_free_tier": False}, stack, "us-east-1")
    assert cells[4] == readme_figure(alone) and alone.total > figures.total  # sharing an account costs more
    for cell, left_out in (
        (cells[5], ("ipv4.hour", "alb.lcu")),
        (cells[6], ("ipv4.hour", "alb.lcu", "cloudfront.https.", "free.cloudfront.https.", "waf.requests")),
    ):
        kept = figures.total - sum(item.monthly or 0 for _, item in figures.lines if item.key.startswith(left_out))
        assert cell == f"${kept:,.2f}", (cell, left_out)
    # Seed 000's own architecture with the same usage at us-east-1, and the ratio (`cost --compare`).
    seed = plan_document(render_stack_file(ROOT / "examples" / f"seed-000-{stack}.yaml", f"seed-000-{stack}"))
    seed_cost = estimate(seed, PriceTable.load(), load_usage(stack), f"seed-000-{stack}", "us-east-1")
    # Complete but for the copies' storage in eu-central-1, which both sides keep alike (no source
    # for Frankfurt's backup storage price: README "Cost").
    assert {(i.key, i.resource.rsplit("::", 1)[-1]) for i in seed_cost.unknown} <= {
        ("backup.storage.rds", "backup-copy-vault")
    }
    assert cells[7] == readme_figure(seed_cost)
    assert cells[8] == f"{ratio(seed_cost, figures):.2f}x"


EDGE_PRICES = PriceTable(
    [
        Price("cloudfront.out.north_america", "global", "GB", 0.085, "t", "2026"),
        Price("cloudfront.https.north_america", "global", "10k requests", 0.01, "t", "2026"),
        Price("cloudfront.function", "global", "million invocations", 0.10, "t", "2026"),
        Price("free.cloudfront.out.", "global", "free GB a month", 1000, "t", "2026"),
        Price("free.cloudfront.https.", "global", "free 10k requests a month", 1000, "t", "2026"),
        Price("free.cloudfront.function", "global", "free million invocations a month", 2, "t", "2026"),
        Price("ec2.t4g.nano", "us-east-1", "instance-hour", 0.0042, "t", "2026"),
        Price("ebs.gp3", "us-east-1", "GB-month", 0.08, "t", "2026"),
        *PRICES._prices.values(),
    ]
)


def edge_plan():
    plan = small_plan()
    redirect = {"functionAssociations": [{"eventType": "viewer-request", "functionArn": "arn:fn"}]}
    plan["steps"] += [
        step("site", "aws:cloudfront/distribution:Distribution", {"defaultCacheBehavior": redirect}),
        step("api", "aws:cloudfront/distribution:Distribution", {"defaultCacheBehavior": {}}),
        step("redirect", "aws:cloudfront/function:Function", {}),
        step("unused", "aws:cloudfront/function:Function", {}),  # associated with no distribution
    ]
    site, function = plan["steps"][-4]["newState"], plan["steps"][-2]["newState"]
    site["propertyDependencies"] = {"defaultCacheBehavior": [function["urn"]]}
    return plan


def test_always_free_allowances_come_off_the_stack_once_and_only_when_it_gets_them():
    # 1,500 GB and 15 M requests over two distributions; the function runs on one (7.5 M calls).
    usage = USAGE | {"cloudfront_gb_out": 1500, "cloudfront_requests_10k": 1500}
    paid = estimate(edge_plan(), EDGE_PRICES, usage | {"account_free_tier": False}, "paid")
    free = estimate(edge_plan(), EDGE_PRICES, usage | {"account_free_tier": True}, "free")
    gross = 1500 * 0.085 + 1500 * 0.01 + 7.5 * 0.10
    edge = ("::site", "::api", "::redirect")
    assert sum(i.monthly or 0 for _, i in paid.lines if i.resource.endswith(edge)) == pytest.approx(gross)
    assert FREE_TIER not in paid.components()
    credit = free.components()[FREE_TIER].known
    assert credit == pytest.approx(-(1000 * 0.085 + 1000 * 0.01 + 2 * 0.10))  # 1 TB, 10 M requests, 2 M calls
    assert free.total == pytest.approx(paid.total + credit)


def test_allowance_larger_than_usage_leaves_nothing_to_pay():
    usage = USAGE | {"cloudfront_gb_out": 50, "cloudfront_requests_10k": 300, "account_free_tier": True}
    result = estimate(edge_plan(), EDGE_PRICES, usage, "edge")
    edge = sum(i.monthly or 0 for _, i in result.lines if i.key.startswith("cloudfront") or i.key.startswith("free.cl"))
    assert edge == pytest.approx(0)
    # CloudFront's allowance never offsets other services.
    assert all(i.key.startswith("free.cloudfront") for c, i in result.lines if c == FREE_TIER)


def test_nat_instance_costs_its_hours_root_volume_and_public_address():
    plan = small_plan()
    plan["steps"].append(
        step("nat-instance", "aws:ec2/instance:Instance", {
            "instanceType": "t4g.nano", "associatePublicIpAddress": True,
            "rootBlockDevice": {"volumeType": "gp3", "volumeSize": 8}})
    )  # fmt: skip
    result = estimate(plan, EDGE_PRICES, USAGE, "nat")
    lines = [item for _, item in result.lines if item.resource.endswith("::nat-instance")]
    assert [round(item.monthly or 0, 4) for item in lines] == [730 * 0.0042, 8 * 0.08, 730 * 0.005]


def test_database_stopped_out_of_hours_bills_only_its_running_hours():
    plan = small_plan()
    plan["steps"][4]["newState"]["inputs"]["identifier"] = "acme-db"
    for action, hour in (("start", 5), ("stop", 18)):
        plan["steps"].append(
            step(f"db-{action}", "aws:scheduler/schedule:Schedule", {
                "scheduleExpression": f"cron(0 {hour} ? * MON-FRI *)",
                "target": {"arn": f"arn:aws:scheduler:::aws-sdk:rds:{action}DBInstance",
                           "input": json.dumps({"DbInstanceIdentifier": "acme-db"})}})
        )  # fmt: skip
    result = estimate(plan, PRICES, USAGE, "scheduled")
    (instance,) = [item for _, item in result.lines if item.unit == "instance-hour"]
    assert instance.quantity == pytest.approx(13 * 5 * 52 / 12)
    assert "65 h a week (weekdays 05:00-18:00 UTC)" in instance.description
    storage = [item for _, item in result.lines if item.description.startswith("gp3 storage")]
    assert storage[0].quantity == 20  # storage bills while stopped


@pytest.mark.parametrize(
    ("days", "start", "stop", "weekly"),
    [
        ("MON-FRI", 6, 18, 60),
        ("*", 6, 18, 84),
        ("*", 20, 4, 56),  # overnight, every night
        ("MON-FRI", 20, 4, 5 * 8),  # weekday nights: stops Tuesday to Saturday mornings
    ],
)
def test_scheduled_hours_follow_the_cron_events(days, start, stop, weekly):
    ctx = Context("us-east-1", PRICES, USAGE, {})
    stop_days = "TUE-SAT" if days == "MON-FRI" and stop < start else days  # as webstack writes them
    hours, label = scheduled_hours(ctx, f"cron(0 {start} ? * {days} *)", f"cron(0 {stop} ? * {stop_days} *)")
    assert hours == pytest.approx(weekly * 52 / 12) and f"{weekly} h a week" in label


def test_money_and_differences_carry_their_sign_before_the_dollar():
    assert (money(-15.85), money(1234.5)) == ("-$15.85", "$1,234.50")
    assert (difference(318.88), difference(-43.35), difference(0)) == ("+$318.88", "-$43.35", "+$0.00")


def test_a_weekday_stop_after_a_friday_night_start_runs_the_weekend():
    # A Friday-night start with a MON-FRI stop would run until Monday: 88 h, not 40.
    ctx0 = Context("us-east-1", PRICES, USAGE, {})
    assert scheduled_hours(ctx0, "cron(0 20 ? * MON-FRI *)", "cron(0 4 ? * MON-FRI *)")[0] == pytest.approx(
        88 * 52 / 12
    )


SERVERLESS_PRICES = PriceTable(
    [
        Price("lambda.requests", "us-east-1", "million requests", 0.20, "t", "2026"),
        Price("lambda.duration.arm", "us-east-1", "GB-second", 0.0000133334, "t", "2026"),
        Price("lambda.duration.x86", "us-east-1", "GB-second", 0.0000166667, "t", "2026"),
        Price("lambda.provisioned.requests", "us-east-1", "million requests", 0.20, "t", "2026"),
        Price("lambda.provisioned.duration.arm", "us-east-1", "GB-second", 0.0000077778, "t", "2026"),
        Price("lambda.provisioned.concurrency.arm", "us-east-1", "GB-second", 0.0000033334, "t", "2026"),
        Price("free.lambda.requests", "global", "free million requests a month", 1, "t", "2026"),
        Price("free.lambda.duration.", "global", "free GB-seconds a month", 400000, "t", "2026"),
        Price("apigateway.rest.requests", "us-east-1", "million requests", 3.50, "t", "2026"),
        Price("apigateway.cache.0.5", "us-east-1", "hour", 0.020, "t", "2026"),
        Price("xray.traces", "us-east-1", "million traces recorded", 5.00, "t", "2026"),
        Price("free.xray.traces", "global", "free million traces recorded a month", 0.1, "t", "2026"),
        Price("dynamodb.ondemand.write", "us-east-1", "million write request units", 0.625, "t", "2026"),
        Price("dynamodb.ondemand.read", "us-east-1", "million read request units", 0.125, "t", "2026"),
        Price("dynamodb.storage", "us-east-1", "GB-month", 0.25, "t", "2026"),
        Price("dynamodb.pitr", "us-east-1", "GB-month", 0.20, "t", "2026"),
        Price("dynamodb.stream_reads", "us-east-1", "million stream read request units", 0.20, "t", "2026"),
        Price("free.dynamodb.storage", "global", "free GB-month a month", 25, "t", "2026"),
        Price("cognito.mau.essentials", "us-east-1", "monthly active user", 0.015, "t", "2026"),
        Price("cognito.plus_mau", "us-east-1", "monthly active user", 0.020, "t", "2026"),
        Price("free.cognito.mau.", "global", "free monthly active users a month", 10000, "t", "2026"),
        Price("sqs.standard.requests", "us-east-1", "million requests", 0.40, "t", "2026"),
        Price("free.sqs.", "global", "free million requests a month", 1, "t", "2026"),
        Price("cloudwatch.metric", "us-east-1", "metric-month", 0.30, "t", "2026"),
    ]
)
SERVERLESS_USAGE = {
    "hours_per_month": 730,
    "lambda_requests_millions": 4,
    "lambda_average_ms": 100,
    "api_requests_millions": 3,
    "dynamodb_reads_millions": 8,
    "dynamodb_writes_millions": 1,
    "dynamodb_gb": 40,
    "dynamodb_stream_reads_millions": 2,
    "cognito_mau": 15000,
    "sqs_requests_millions": 3,
    "api_method_metric_hours_share": 0.5,
}
APP = "urn:pulumi:s::p::webstack:serverless:LambdaFunction::app"


def serverless_plan(*steps):
    """A us-east-1 plan of these steps under one component (its name is the component's)."""
    component = {"urn": APP, "type": "webstack:serverless:LambdaFunction", "custom": False, "parent": "", "inputs": {}}
    provider = {"urn": "urn:pulumi:s::p::pulumi:providers:aws::aws", "type": "pulumi:providers:aws", "custom": True,
                "parent": "", "inputs": {"region": "us-east-1"}}  # fmt: skip
    return {"steps": [{"op": "create", "urn": s["urn"], "newState": s} for s in (component, provider)] + list(steps)}


def function_step(name, memory=None, arch="arm64", traced=False):
    inputs = {"name": f"shop-{name}", "architectures": [arch]} | ({"memorySize": memory} if memory else {})
    inputs |= {"tracingConfig": {"mode": "Active"}} if traced else {}
    return step(name, "aws:lambda/function:Function", inputs, parent=APP)


def warm_step(name, function, executions, by_dependency=True):
    """A provisioned concurrency config naming the function by dependency (as a plan does) or by name."""
    config = step(name, "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
                  {"functionName": function["newState"]["inputs"]["name"], "qualifier": "live",
                   "provisionedConcurrentExecutions": executions}, parent=APP)  # fmt: skip
    if by_dependency:
        config["newState"]["inputs"]["functionName"] = "[unknown]"
        config["newState"]["propertyDependencies"] = {"functionName": [function["urn"]]}
    return config


def lines_of(result, name):
    """The resource's own lines by price key (not the allowances credited to it)."""
    return {item.key: item for c, item in result.lines if item.resource.endswith(f"::{name}") and c != FREE_TIER}


def test_a_function_bills_its_share_of_requests_and_gb_seconds_at_its_architectures_price():
    plan = serverless_plan(function_step("catalog", memory=512), function_step("legacy", arch="x86_64"))
    result = estimate(plan, SERVERLESS_PRICES, SERVERLESS_USAGE, "fn")
    catalog, legacy = lines_of(result, "catalog"), lines_of(result, "legacy")
    assert set(catalog) == {"lambda.requests", "lambda.duration.arm"}
    assert catalog["lambda.requests"].quantity == 2  # 4 M invocations over two functions
    assert catalog["lambda.duration.arm"].quantity == pytest.approx(2e6 * 0.1 * 0.5)  # 100,000 GB-s
    assert legacy["lambda.duration.x86"].quantity == pytest.approx(2e6 * 0.1 * 128 / 1024)  # Lambda's 128 MB
    assert result.total == pytest.approx(4 * 0.20 + 100_000 * 0.0000133334 + 25_000 * 0.0000166667)
    assert result.unknown == [] and set(result.components()) == {"LambdaFunction app"}


@pytest.mark.parametrize("by_dependency", [True, False])
def test_provisioned_concurrency_keeps_environments_of_the_functions_memory_warm_all_month(by_dependency):
    checkout = function_step("checkout", memory=1024)
    plan = serverless_plan(checkout, step("live", "aws:lambda/alias:Alias", {"name": "live"}, parent=APP),
                           warm_step("warm", checkout, 2, by_dependency))  # fmt: skip
    result = estimate(plan, SERVERLESS_PRICES, SERVERLESS_USAGE | {"account_free_tier": True}, "warm")
    (concurrency,) = lines_of(result, "warm").values()
    assert concurrency.key == "lambda.provisioned.concurrency.arm"
    assert concurrency.quantity == 2 * 1 * 730 * 3600 and concurrency.monthly == pytest.approx(17.52, abs=0.01)
    # Its invocations bill at provisioned-concurrency rates, which the always-free allowance leaves alone.
    function = lines_of(result, "checkout")
    assert set(function) == {"lambda.provisioned.requests", "lambda.provisioned.duration.arm"}
    assert function["lambda.provisioned.duration.arm"].quantity == pytest.approx(4e6 * 0.1 * 1)
    assert FREE_TIER not in result.components() and lines_of(result, "live") == {}


def test_provisioned_concurrency_without_its_function_in_the_plan_is_unknown():
    orphan = warm_step("warm", function_step("gone"), 2, by_dependency=False)
    (line,) = estimate(serverless_plan(orphan), SERVERLESS_PRICES, SERVERLESS_USAGE, "x").unknown
    assert "function not in the plan" in line.description


def test_lambdas_always_free_allowance_covers_1m_requests_and_400000_gb_seconds_per_account():
    plan = serverless_plan(function_step("catalog", memory=1024), function_step("legacy", 1024, "x86_64"))
    paid = estimate(plan, SERVERLESS_PRICES, SERVERLESS_USAGE | {"account_free_tier": False}, "paid")
    free = estimate(plan, SERVERLESS_PRICES, SERVERLESS_USAGE | {"account_free_tier": True}, "free")
    credits = [item for component, item in free.lines if component == FREE_TIER]
    assert [(c.key, c.quantity, c.resource.rsplit("::", 1)[-1]) for c in credits] == [
        ("free.lambda.requests", -1, "catalog"),
        ("free.lambda.duration.", -200_000, "catalog"),  # arm first (plan order): its 200,000 GB-s
        ("free.lambda.duration.", -200_000, "legacy"),  # the rest of the 400,000 from the x86 one
    ]
    assert free.total == pytest.approx(paid.total - 0.20 - 200_000 * (0.0000133334 + 0.0000166667))


def api_steps(cache=False, size="0.5", traced=True):
    return [
        step("api", "aws:apigateway/restApi:RestApi", {"name": "shop"}, parent=APP),
        step("stage", "aws:apigateway/stage:Stage",
             {"stageName": "v1", "xrayTracingEnabled": traced, "cacheClusterEnabled": cache,
              "cacheClusterSize": size}, parent=APP),
        step("route", "aws:apigateway/method:Method", {"httpMethod": "GET"}, parent=APP),
        step("deployment", "aws:apigateway/deployment:Deployment", {}, parent=APP),
    ]  # fmt: skip


def test_a_rest_api_bills_its_requests_and_its_stage_the_cache_only_while_enabled():
    plain = estimate(serverless_plan(*api_steps(cache=False)), SERVERLESS_PRICES, SERVERLESS_USAGE, "plain")
    assert lines_of(plain, "api")["apigateway.rest.requests"].monthly == pytest.approx(3 * 3.50)
    assert set(lines_of(plain, "stage")) == {"xray.traces"}  # a size but no cache: nothing billed for it
    cached = estimate(serverless_plan(*api_steps(cache=True)), SERVERLESS_PRICES, SERVERLESS_USAGE, "cached")
    cache = lines_of(cached, "stage")["apigateway.cache.0.5"]
    assert (cache.quantity, cache.monthly) == (730, pytest.approx(14.60))
    assert lines_of(cached, "route") == lines_of(cached, "deployment") == {}
    # A size the price table lacks is unknown, never 0.
    bigger = estimate(serverless_plan(*api_steps(cache=True, size="6.1")), SERVERLESS_PRICES, SERVERLESS_USAGE, "6.1")
    (unknown,) = bigger.unknown
    assert "apigateway.cache.6.1 not in the price table" in unknown.description


def test_xray_traces_are_the_traced_stages_sampled_by_the_default_rule_not_the_functions():
    traced = function_step("catalog", traced=True)
    result = estimate(serverless_plan(traced, *api_steps()), SERVERLESS_PRICES, SERVERLESS_USAGE, "traced")
    trace = lines_of(result, "stage")["xray.traces"]
    # 3 M requests a month against one reservoir request a second (2.628 M s) and 5 % of the rest.
    assert trace.quantity == pytest.approx(2.628 + 0.05 * (3 - 2.628))
    assert "xray.traces" not in lines_of(result, "catalog")  # its segments join the stage's traces
    # Without a traced stage, the function's own invocations are sampled (4 M this time).
    alone = estimate(serverless_plan(traced, *api_steps(traced=False)), SERVERLESS_PRICES, SERVERLESS_USAGE, "alone")
    assert lines_of(alone, "catalog")["xray.traces"].quantity == pytest.approx(2.628 + 0.05 * (4 - 2.628))
    assert "xray.traces" not in lines_of(alone, "stage")
    # A quiet month is all reservoir, and the first 100,000 traces are free.
    quiet = SERVERLESS_USAGE | {"api_requests_millions": 0.08, "account_free_tier": True}
    free = estimate(serverless_plan(*api_steps()), SERVERLESS_PRICES, quiet, "quiet")
    assert lines_of(free, "stage")["xray.traces"].quantity == pytest.approx(0.08)
    assert sum(i.monthly or 0 for _, i in free.lines if "xray" in i.key) == pytest.approx(0)


def table_step(name="table", billing="PAY_PER_REQUEST", pitr=True, stream=False, indexes=1):
    """A table as ItemTable plans it (pulumi-aws v7 inputs)."""
    return step(name, "aws:dynamodb/table:Table", {
        "name": f"shop-{name}", "billingMode": billing, "hashKey": "PK", "rangeKey": "SK",
        "globalSecondaryIndexes": [{"name": f"GSI{i + 1}", "projectionType": "ALL"} for i in range(indexes)],
        "pointInTimeRecovery": {"enabled": pitr, "recoveryPeriodInDays": 35},
        "streamEnabled": stream} | ({"streamViewType": "NEW_IMAGE"} if stream else {}), parent=APP)  # fmt: skip


def test_an_on_demand_table_bills_request_units_storage_with_its_indexes_recovery_and_stream_reads():
    result = estimate(serverless_plan(table_step(stream=True)), SERVERLESS_PRICES, SERVERLESS_USAGE, "table")
    lines = lines_of(result, "table")
    assert {key: line.quantity for key, line in lines.items()} == {
        "dynamodb.ondemand.write": 2,  # 1 M writes, each also written to GSI1
        "dynamodb.ondemand.read": 8,
        "dynamodb.storage": 80,  # 40 GB and GSI1's copy
        "dynamodb.pitr": 40,  # the table's own size
        "dynamodb.stream_reads": 2,
    }
    # Post-November-2024 on-demand prices: $0.625 per million writes, $0.125 per million reads.
    assert result.total == pytest.approx(2 * 0.625 + 8 * 0.125 + 80 * 0.25 + 40 * 0.20 + 2 * 0.20)
    # Without recovery or a stream, neither is billed; the always-free 25 GB come off the storage.
    bare = estimate(serverless_plan(table_step(pitr=False, indexes=0)), SERVERLESS_PRICES,
                    SERVERLESS_USAGE | {"account_free_tier": True}, "bare")  # fmt: skip
    assert set(lines_of(bare, "table")) == {"dynamodb.ondemand.write", "dynamodb.ondemand.read", "dynamodb.storage"}
    assert bare.components()[FREE_TIER].known == pytest.approx(-25 * 0.25)


def test_a_provisioned_tables_capacity_is_unknown_and_its_storage_priced():
    result = estimate(serverless_plan(table_step(billing="PROVISIONED")), SERVERLESS_PRICES, SERVERLESS_USAGE, "p")
    (unknown,) = result.unknown
    assert "provisioned read and write capacity" in unknown.description
    lines = lines_of(result, "table")
    assert "dynamodb.ondemand.write" not in lines and "dynamodb.storage" in lines


@pytest.mark.parametrize(
    ("plan", "key", "credited"),
    [(None, "cognito.mau.essentials", 10000), ("ESSENTIALS", "cognito.mau.essentials", 10000),
     ("PLUS", "cognito.plus_mau", 0)],
)  # fmt: skip
def test_a_user_pool_bills_monthly_active_users_of_its_plan_after_the_free_10000_on_essentials(plan, key, credited):
    pool = step("pool", "aws:cognito/userPool:UserPool", {"name": "shop"} | ({"userPoolTier": plan} if plan else {}),
                parent=APP)  # fmt: skip
    web = step("web", "aws:cognito/userPoolClient:UserPoolClient", {"explicitAuthFlows": ["ALLOW_USER_SRP_AUTH"]},
               parent=APP)  # fmt: skip
    group = step("admins", "aws:cognito/userGroup:UserGroup", {"name": "admin"}, parent=APP)
    usage = SERVERLESS_USAGE | {"account_free_tier": True}
    result = estimate(serverless_plan(pool, web, group), SERVERLESS_PRICES, usage, "users")
    (users,) = lines_of(result, "pool").values()
    assert (users.key, users.quantity) == (key, 15000)
    assert result.unknown == [] and lines_of(result, "web") == lines_of(result, "admins") == {}
    assert result.total == pytest.approx((15000 - credited) * users.unit_price)


def test_a_machine_to_machine_app_client_is_unknown():
    m2m = step("m2m", "aws:cognito/userPoolClient:UserPoolClient", {"allowedOauthFlows": ["client_credentials"]},
               parent=APP)  # fmt: skip
    (line,) = estimate(serverless_plan(m2m), SERVERLESS_PRICES, SERVERLESS_USAGE, "m2m").unknown
    assert "machine-to-machine app client" in line.description


def test_queues_share_the_request_usage_and_the_free_million():
    queues = [step(n, "aws:sqs/queue:Queue", {"name": f"shop-{n}-dlq"}, parent=APP) for n in ("a", "b")]
    free = estimate(serverless_plan(*queues), SERVERLESS_PRICES, SERVERLESS_USAGE | {"account_free_tier": True}, "q")
    assert [lines_of(free, n)["sqs.standard.requests"].quantity for n in ("a", "b")] == [1.5, 1.5]
    assert free.total == pytest.approx((3 - 1) * 0.40)


def settings_step(name, path, metrics=True, caching=False):
    """Method settings of the stage v1 as ServerlessApi plans them (stage and API by dependency)."""
    settings = step(name, "aws:apigateway/methodSettings:MethodSettings",
                    {"restApi": "[unknown]", "stageName": "v1", "methodPath": path,
                     "settings": {"metricsEnabled": metrics, "cachingEnabled": caching}}, parent=APP)  # fmt: skip
    settings["newState"]["propertyDependencies"] = {
        "restApi": ["urn:pulumi:s::p::aws:apigateway/restApi:RestApi::api"],
        "stageName": ["urn:pulumi:s::p::aws:apigateway/stage:Stage::stage"],
    }
    return settings


def methods_plan(*settings, cache=False):
    """The API of api_steps with two more methods (three in all), its parts naming it by dependency."""
    api, *parts = api_steps(cache=cache)
    method = "aws:apigateway/method:Method"
    parts += [step(f"route-{verb}", method, {"httpMethod": verb}, parent=APP) for verb in ("PUT", "PATCH")]
    for part in parts:
        part["newState"]["propertyDependencies"] = {"restApi": [api["urn"]]}
    return serverless_plan(api, *parts, *settings)


@pytest.mark.parametrize(("cache", "metrics"), [(False, 5), (True, 7)])
def test_detailed_method_metrics_bill_as_custom_metrics_once_per_method_for_the_hours_called(cache, metrics):
    plan = methods_plan(settings_step("all", "*/*"), settings_step("cached", "route/GET", caching=True), cache=cache)
    result = estimate(plan, SERVERLESS_PRICES, SERVERLESS_USAGE, "metrics")
    line = lines_of(result, "all")["cloudwatch.metric"]
    assert line.quantity == 3 * metrics * 0.5  # GET, PUT and PATCH, published half the hours
    assert lines_of(result, "cached") == {}  # its method is counted under */*


def test_method_settings_without_metrics_cost_nothing_and_one_path_meters_one_method():
    quiet = estimate(methods_plan(settings_step("all", "*/*", metrics=False)), SERVERLESS_PRICES, SERVERLESS_USAGE, "q")
    assert lines_of(quiet, "all") == {} and quiet.unknown == []
    one = estimate(methods_plan(settings_step("get", "route/GET")), SERVERLESS_PRICES, SERVERLESS_USAGE, "one")
    assert lines_of(one, "get")["cloudwatch.metric"].quantity == 1 * 5 * 0.5


@pytest.mark.parametrize("stack", ["usarakhi-dev", "usarakhi-staging", "usarakhi"])
def test_seed_002s_system_is_priced_completely_with_its_stacks_usage(stack):
    """Each of seed 002's example stacks (examples/usarakhi*.yaml) with its own usage."""
    plan = plan_document(render_stack_file(ROOT / "examples" / f"{stack}.yaml", stack))
    result = estimate(plan, PriceTable.load(), load_usage(stack), stack)
    assert result.region == "us-east-1" and result.unknown == []
    assert not any("not priced" in item.description for _, item in result.lines)
    if stack == "usarakhi-dev":  # usage-driven lines inside the always-free allowances
        free = ("lambda.requests", "lambda.duration.", "dynamodb.storage", "cognito.mau.", "sqs.", "xray.")
        covered = [i for _, i in result.lines if i.key.removeprefix("free.").startswith(free)]
        assert len(covered) > 10 and sum(i.monthly or 0 for i in covered) == pytest.approx(0)


def test_basic_registry_scanning_is_free_and_inspector_bills_pushed_images_and_continuous_rescans():
    registry = "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration"
    table = PriceTable([*PRICES._prices.values(),
                        Price("inspector.ecr_image", "us-east-1", "image", 0.09, "t", "2026"),
                        Price("inspector.ecr_rescan", "us-east-1", "rescan", 0.01, "t", "2026")])  # fmt: skip
    usage = USAGE | {"inspector_images_pushed": 20, "inspector_rescans": 100}
    base = estimate(small_plan(), table, usage, "x").total

    def scanning(scan_type: str, frequency: str) -> float:
        plan = small_plan()
        rule = {"scanFrequency": frequency, "repositoryFilters": [{"filter": "*", "filterType": "WILDCARD"}]}
        plan["steps"].append(step("registry", registry, {"scanType": scan_type, "rules": [rule]}))
        result = estimate(plan, table, usage, "x")
        assert not result.unknown
        return result.total - base

    assert scanning("BASIC", "SCAN_ON_PUSH") == 0
    assert scanning("ENHANCED", "SCAN_ON_PUSH") == pytest.approx(20 * 0.09)
    assert scanning("ENHANCED", "CONTINUOUS_SCAN") == pytest.approx(20 * 0.09 + 100 * 0.01)
