"""The cost model matches usage and schedules to resources by exact identifiers, never by substring."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from webstack.cost.estimate import estimate
from webstack.cost.tables import Price, PriceTable

CLUSTER = "arn:aws:ecs:us-east-1:123456789012:cluster/shop-api"
PRICES = PriceTable(
    [
        Price("fargate.x86.vcpu", "us-east-1", "vCPU-hour", 0.04, "t", "2026"),
        Price("fargate.x86.gb", "us-east-1", "GB-hour", 0.004, "t", "2026"),
        Price("logs.ingest", "us-east-1", "GB", 0.5, "t", "2026"),
        Price("logs.storage", "us-east-1", "GB-month", 0.03, "t", "2026"),
        Price("s3.standard", "us-east-1", "GB-month", 0.023, "t", "2026"),
    ]
)
USAGE = {
    "hours_per_month": 730,
    "fargate_spot_discount": 0.6,
    "log_gb_ingested_per_group": 0.5,
    "log_gb_ingested_by_kind": {"service": 2, "task": 0.1, "exec_sessions": 0.1, "flow_logs": 3},
    "log_gb_ingested_by_name": {},
    "log_retained_months": 1,
    "s3_gb_by_bucket": {"uploads": 5, "logs": 30},
    "s3_gb_default": 1,
}


def state(name, resource_type, inputs, parent="", dependencies=None):
    urn = f"urn:pulumi:s::p::{resource_type}::{name}"
    return {"urn": urn, "type": resource_type, "custom": True, "parent": parent, "inputs": inputs,
            "propertyDependencies": dependencies or {}}  # fmt: skip


def plan(*states):
    provider = state("aws", "pulumi:providers:aws", {"region": "us-east-1"})
    return {"steps": [{"op": "create", "urn": s["urn"], "newState": s} for s in (provider, *states)]}


def task(name, family, log_group, cpu=1024, memory=2048):
    logs = {"logDriver": "awslogs", "options": {"awslogs-group": log_group}}
    inputs = {"family": family, "cpu": str(cpu), "memory": str(memory)}
    containers = json.dumps([{"name": "app", "logConfiguration": logs}])
    return state(name, "aws:ecs/taskDefinition:TaskDefinition", inputs | {"containerDefinitions": containers})


def service(name, service_name, family, count=1, strategies=None):
    inputs = {"name": service_name, "cluster": CLUSTER, "desiredCount": count,
              "taskDefinition": f"arn:aws:ecs:us-east-1:123456789012:task-definition/{family}:1"}  # fmt: skip
    if strategies:
        inputs["capacityProviderStrategies"] = strategies
    return state(name, "aws:ecs/service:Service", inputs)


def schedule(name, service_name, hour, capacity):
    return state(name, "aws:appautoscaling/scheduledAction:ScheduledAction", {
        "resourceId": f"service/shop-api/{service_name}", "schedule": f"cron(0 {hour} ? * MON-FRI *)",
        "scalableTargetAction": {"minCapacity": capacity, "maxCapacity": capacity}})  # fmt: skip


def two_services():
    """The API is named like its cluster (shop-api) and always on; the worker (shop-api-worker, a
    family that starts with the API's) runs 06:00-18:00 on weekdays."""
    return plan(
        state("cluster", "aws:ecs/cluster:Cluster", {"name": "shop-api"}),
        task("api-task", "shop-api", "/ecs/shop-api"),
        task("worker-task", "shop-api-worker", "/ecs/shop-api-worker", cpu=512, memory=1024),
        service("worker", "shop-api-worker", "shop-api-worker"),
        service("api", "shop-api", "shop-api", count=2),
        schedule("worker-start", "shop-api-worker", 6, 1),
        schedule("worker-stop", "shop-api-worker", 18, 0),
    )


def vcpu_line(result, name):
    (line,) = [i for _, i in result.lines if i.resource.endswith(f"::{name}") and i.key == "fargate.x86.vcpu"]
    return line


def test_two_services_of_one_cluster_are_each_priced_with_their_own_hours_and_task():
    result = estimate(two_services(), PRICES, USAGE, "shop")
    api, worker = vcpu_line(result, "api"), vcpu_line(result, "worker")
    # The API (its name is the cluster's and every resourceId's prefix) is always on: 1 vCPU x 2 tasks.
    assert "always on" in api.description and api.quantity == pytest.approx(1 * 2 * 730)
    # The worker runs its own 60 h a week on its own 0.5 vCPU task, not the API's family.
    assert "60 h a week" in worker.description and worker.quantity == pytest.approx(0.5 * 1 * 60 * 52 / 12)


def test_a_schedule_on_the_api_leaves_the_worker_always_on():
    swapped = two_services()
    for step in swapped["steps"]:
        if step["newState"]["type"].endswith("ScheduledAction"):
            step["newState"]["inputs"]["resourceId"] = "service/shop-api/shop-api"
    result = estimate(swapped, PRICES, USAGE, "shop")
    assert "60 h a week" in vcpu_line(result, "api").description
    assert "always on" in vcpu_line(result, "worker").description


def test_a_service_finds_its_task_definition_by_dependency_when_the_arn_is_unknown():
    services = two_services()
    api = next(s["newState"] for s in services["steps"] if s["newState"]["urn"].endswith("::api"))
    api["inputs"]["taskDefinition"] = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # Pulumi's unknown value
    task_urn = "urn:pulumi:s::p::aws:ecs/taskDefinition:TaskDefinition::api-task"
    api["propertyDependencies"] = {"taskDefinition": [task_urn]}
    assert vcpu_line(estimate(services, PRICES, USAGE, "shop"), "api").quantity == pytest.approx(2 * 730)


def test_log_groups_are_priced_by_what_writes_to_them_and_exact_names():
    one_off = task("users-task", "shop-db-users", "/ecs/shop-db-users")  # no service runs it
    groups = [state(n, "aws:cloudwatch/logGroup:LogGroup", {"name": g, "retentionInDays": 30})
              for n, g in (("api-logs", "/ecs/shop-api"), ("users-logs", "/ecs/shop-db-users"),
                           ("db-log", "/aws/rds/instance/shop-db/postgresql"))]  # fmt: skip
    base = two_services()
    base["steps"] += [{"op": "create", "urn": s["urn"], "newState": s} for s in (one_off, *groups)]
    ingested = {i.resource.rsplit("::", 1)[-1]: i.quantity for _, i in estimate(base, PRICES, USAGE, "l").lines
                if i.key == "logs.ingest"}  # fmt: skip
    assert ingested == {"api-logs": 2, "users-logs": 0.1, "db-log": 0.5}
    named = USAGE | {"log_gb_ingested_by_name": {"/ecs/shop-db-users": 4, "/ecs/shop": 99}}
    ingested = {i.resource.rsplit("::", 1)[-1]: i.quantity for _, i in estimate(base, PRICES, named, "l").lines
                if i.key == "logs.ingest"}  # fmt: skip
    assert ingested["users-logs"] == 4 and ingested["api-logs"] == 2  # "/ecs/shop" is nobody's name


def test_buckets_take_the_size_of_their_name_in_the_stack_config_only():
    site = "webstack:storage:StaticSite"
    parents = [{"urn": f"urn:pulumi:s::p::{site}::{n}", "type": site, "custom": False, "parent": "", "inputs": {}}
               for n in ("uploads", "access-logs", "logs")]  # fmt: skip
    buckets = [state(f"{p['urn'].rsplit('::', 1)[-1]}-bucket", "aws:s3/bucket:Bucket", {}, parent=p["urn"])
               for p in parents]  # fmt: skip
    result = estimate(plan(*parents, *buckets), PRICES, USAGE, "b")
    stored = {i.resource.rsplit("::", 1)[-1]: i.quantity for _, i in result.lines if i.key == "s3.standard"}
    assert stored == {"uploads-bucket": 5, "access-logs-bucket": 1, "logs-bucket": 30}


SPOT = {"capacityProvider": "FARGATE_SPOT", "weight": 1}


@pytest.mark.parametrize(
    ("strategies", "spot"),
    [
        ([SPOT], 4),
        ([{"capacityProvider": "FARGATE", "base": 2, "weight": 0}, SPOT], 2),  # spot above an on-demand base of 2
        ([{"capacityProvider": "FARGATE", "base": 1, "weight": 1}, SPOT], 1.5),  # then half and half
        ([{"capacityProvider": "FARGATE", "base": 6, "weight": 0}, SPOT], 0),
    ],
)
def test_spot_above_an_on_demand_base_discounts_only_the_tasks_ecs_places_on_spot(strategies, spot):
    cluster = state("cluster", "aws:ecs/cluster:Cluster", {"name": "shop-api"})
    api = service("api", "shop-api", "shop-api", 4, strategies)
    tasks = plan(cluster, task("api-task", "shop-api", "/ecs/shop-api"), api)
    line = vcpu_line(estimate(tasks, PRICES, USAGE, "spot"), "api")
    assert line.quantity == pytest.approx((4 - spot * 0.6) * 730)


def test_a_function_takes_its_own_figures_only_under_its_own_name():
    """lambda_by_name "api" names shop-api, not shop-api-worker (which shares the stack's requests)."""
    from webstack.cost.serverless import named_function  # noqa: PLC0415 - the one helper under test

    context: Any = SimpleNamespace(usage={"lambda_by_name": {"api": {"invocations": 10, "average_ms": 100}}})
    assert named_function(context, {"name": "shop-api"}) == {"invocations": 10, "average_ms": 100}
    assert named_function(context, {"name": "shop-api-worker"}) is None
    assert named_function(context, {"name": "api"}) is not None
