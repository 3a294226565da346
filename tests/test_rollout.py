"""Rollouts under mocks: rollback alarms wired to every routed service's deployments, and ECS's
own blue/green strategy (alternate target group, production rule, the role ECS shifts it with)."""

from __future__ import annotations

import json

import pytest

from components import FargateApi, FargateApiArgs, Route, ServiceSpec
from components.rollout import Rollout, service_deployment_args, traffic_shift_policy
from webstack.offline.plan_json import plan_document
from webstack.validate import validate_plan

from .helpers import render, statements
from .test_fargate_api import api_run

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
SERVICE = "aws:ecs/service:Service"


def service_inputs(run, name="acme-prod-api"):
    return next(s.inputs for s in run.of_type(SERVICE) if s.inputs["name"] == name)


def alarm_names(run, prefix):
    """Physical alarm name (as the mocks name them) -> logical name, of the alarms under prefix."""
    return {run.states[a.urn]["name"]: a.name for a in run.of_type(ALARM) if a.name.startswith(prefix)}


@pytest.fixture(scope="module")
def rolling():
    return api_run()


@pytest.fixture(scope="module")
def blue_green():
    return api_run(deployment="blue_green", bake_time_minutes=15)


def test_rolling_service_rolls_back_on_its_target_group_alarms(rolling):
    service = service_inputs(rolling)
    assert service["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert service["alarms"]["enable"] is True and service["alarms"]["rollback"] is True
    names = alarm_names(rolling, "api-alarm-")
    wired = {names[n] for n in service["alarms"]["alarmNames"]}
    assert wired == {"api-alarm-target-5xx-rate", "api-alarm-unhealthy-hosts"}
    # Rolling keeps ECS's defaults unstated: no diff for stacks deployed before.
    assert "deploymentConfiguration" not in service and "deploymentController" not in service
    (entry,) = service["loadBalancers"]
    assert "advancedConfiguration" not in entry


def test_rollback_alarms_watch_the_target_group_rate_and_health(rolling):
    alarms = {a.name: a.inputs for a in rolling.of_type(ALARM)}
    rate = alarms["api-alarm-target-5xx-rate"]
    errors, requests, expression = rate["metricQueries"]
    assert errors["metric"]["metricName"] == "HTTPCode_Target_5XX_Count"
    assert requests["metric"]["metricName"] == "RequestCount"
    assert expression["expression"] == "100 * errors / requests" and expression["returnData"] is True
    assert set(errors["metric"]["dimensions"]) == {"LoadBalancer", "TargetGroup"}
    assert errors["metric"]["dimensions"]["TargetGroup"].startswith("targetgroup/")
    assert rate["threshold"] == 5 and rate["treatMissingData"] == "notBreaching"
    unhealthy = alarms["api-alarm-unhealthy-hosts"]
    assert unhealthy["metricName"] == "UnHealthyHostCount" and unhealthy["threshold"] == 0
    assert unhealthy["comparisonOperator"] == "GreaterThanThreshold" and unhealthy["evaluationPeriods"] == 3
    assert set(unhealthy["dimensions"]) == {"LoadBalancer", "TargetGroup"}


def test_worker_has_no_alarms_wired_but_keeps_the_circuit_breaker():
    run = api_run(extra_services=(ServiceSpec(name="worker", route=None),))
    worker = service_inputs(run, "acme-prod-worker")
    assert "alarms" not in worker
    assert worker["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}


def test_blue_green_service_strategy_bake_time_and_controller(blue_green):
    service = service_inputs(blue_green)
    assert service["deploymentController"] == {"type": "ECS"}
    assert service["deploymentConfiguration"] == {"strategy": "BLUE_GREEN", "bakeTimeInMinutes": "15"}
    # ECS documents the circuit breaker and alarms for blue/green as for rolling: both stay on.
    assert service["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    names = alarm_names(blue_green, "api-alarm-")
    assert {names[n] for n in service["alarms"]["alarmNames"]} == {
        "api-alarm-target-5xx-rate",
        "api-alarm-unhealthy-hosts",
        "api-alarm-target-5xx-rate-alternate",
        "api-alarm-unhealthy-hosts-alternate",
    }


def test_blue_green_load_balancer_entry_names_alternate_group_rule_and_role(blue_green):
    groups = {g.name: blue_green.states[g.urn]["arn"] for g in blue_green.of_type("aws:lb/targetGroup:TargetGroup")}
    assert set(groups) == {"api-targets", "api-targets-alt"}
    rule = blue_green.named("api-from-cloudfront")
    role = blue_green.named("api-traffic-role")
    (entry,) = service_inputs(blue_green)["loadBalancers"]
    assert entry["targetGroupArn"] == groups["api-targets"]
    advanced = entry["advancedConfiguration"]
    assert advanced == {
        "alternateTargetGroupArn": groups["api-targets-alt"],
        "productionListenerRule": blue_green.states[rule.urn]["arn"],
        "roleArn": blue_green.states[role.urn]["arn"],
    }
    # Both groups check health the same way.
    primary, alternate = (blue_green.named(n).inputs for n in ("api-targets", "api-targets-alt"))
    assert primary == alternate


def test_blue_green_production_rule_forwards_to_both_groups_and_leaves_weights_to_ecs(blue_green):
    rule = blue_green.named("api-from-cloudfront")
    (action,) = rule.inputs["actions"]
    assert action["type"] == "forward"
    weights = [(g["arn"].split("/")[1], g["weight"]) for g in action["forward"]["targetGroups"]]
    assert [w for _, w in weights] == [100, 0]
    assert weights[1][0].startswith("api-targets-alt")


def test_traffic_role_trusts_ecs_for_this_account_and_is_scoped(blue_green):
    role = blue_green.named("api-traffic-role")
    (trust,) = statements(json.loads(role.inputs["assumeRolePolicy"]))
    assert trust["Principal"] == {"Service": "ecs.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    policy = json.loads(blue_green.named("api-traffic-role-policy").inputs["policy"])
    by_sid = {s["Sid"]: s for s in statements(policy)}
    listener = blue_green.states[blue_green.named("api-https").urn]["arn"]
    rule = blue_green.states[blue_green.named("api-from-cloudfront").urn]["arn"]
    assert by_sid["ShiftListener"]["Resource"] == listener
    assert by_sid["ShiftProductionRule"]["Resource"] == rule
    assert len(by_sid["RegisterTargets"]["Resource"]) == 2
    # Only the Describe* actions, which take no resource-level permissions, are on "*".
    for statement in statements(policy):
        if statement["Resource"] == "*":
            assert all(action.split(":")[1].startswith("Describe") for action in statement["Action"])


def test_traffic_shift_policy_is_pure():
    policy = traffic_shift_policy("arn:listener", "arn:rule", "arn:tg1", "arn:tg2")
    assert {s["Sid"] for s in policy["Statement"]} == {
        "DescribeLoadBalancing",
        "RegisterTargets",
        "ShiftListener",
        "ShiftProductionRule",
    }


def test_blue_green_only_for_the_service_that_asks():
    other = ServiceSpec(name="web", route=Route(hosts=("app.example.com",)), container_port=3000)
    run = api_run(extra_services=(other,), deployment="blue_green")
    web = service_inputs(run, "acme-prod-web")
    assert "deploymentConfiguration" not in web
    assert len(run.of_type("aws:lb/targetGroup:TargetGroup")) == 3
    assert [r.name for r in run.of_type("aws:iam/role:Role") if "traffic" in r.name] == ["api-traffic-role"]


def test_blue_green_worker_is_refused():
    def program():
        FargateApi(
            "jobs",
            FargateApiArgs(
                name_prefix="acme",
                vpc_id="vpc-1",
                public_subnet_ids=["a", "b"],
                private_subnet_ids=["c", "d"],
                certificate_arn="arn:cert",
                log_bucket_name="logs",
                services=[ServiceSpec(name="worker", route=None, deployment="blue_green")],
            ),
        )

    with pytest.raises(Exception, match="'worker': a blue_green deployment needs a route"):
        render(program)


def test_blue_green_refuses_request_count_scaling():
    with pytest.raises(Exception, match="requests_per_target tracks one target group"):
        api_run(deployment="blue_green", requests_per_target=1000)


def test_rollout_bounds():
    with pytest.raises(ValueError, match="needs a load balancer"):
        Rollout(deployment="blue_green")
    with pytest.raises(ValueError, match="0-1440"):
        Rollout(bake_time_minutes=1441)
    args = service_deployment_args(Rollout(), target_group_arn=None, container_name="app", container_port=80)
    assert args["load_balancers"] is None and args["alarms"] is None


def test_blue_green_plan_has_nothing_aws_would_refuse_and_a_bad_strategy_is_found(blue_green):
    plan = plan_document(blue_green)
    report = validate_plan(plan)
    assert report.findings == [] and not report.unmapped
    assert report.tally.mapping_errors == [] and report.tally.unmatched == []
    by_name = {s["newState"]["urn"].rsplit("::", 1)[-1]: s["newState"]["inputs"] for s in plan["steps"]}
    by_name["api-service"]["deploymentConfiguration"] = {"strategy": "BLUEGREEN", "bakeTimeInMinutes": "soon"}
    report = validate_plan(plan)
    assert {(f.resource_name, f.path) for f in report.findings} == {("api-service", "deploymentConfiguration.strategy")}
    # Text that is no number fits no integer member: the walk reports it as not sent.
    assert report.tally.unmatched == ["api-service: deploymentConfiguration.bakeTimeInMinutes"]
