"""How a FargateApi service rolls out a new task definition: rolling or ECS's own blue/green,
always with the deployment circuit breaker and, behind the ALB, CloudWatch alarms that roll a
failed deployment back.

Facts this module builds on (ECS Developer Guide, 2025):
- "Amazon ECS deployment failure detection": the circuit breaker and CloudWatch alarms both
  support rolling update and blue/green deployments; either can fail a deployment, and rollback
  needs a previous deployment in COMPLETED state.
- Blue/green (``deploymentConfiguration.strategy = BLUE_GREEN``) needs the ECS deployment
  controller, and per load balancer an ``advancedConfiguration``: the alternate target group,
  the production listener rule, and a role ECS assumes to shift traffic ("Required resources for
  Amazon ECS blue/green deployments", "Amazon ECS infrastructure IAM role for load balancers").
- ``bakeTimeInMinutes`` (0-1440) is how long both revisions run after production traffic moved,
  before the blue tasks stop: the window in which an alarm still rolls back at no cost.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pulumi
import pulumi_aws as aws

from .alarms import AlarmSpec
from .aws_context import AwsContext
from .iam_documents import Document, policy_document, service_trust_policy

Deployment = Literal["rolling", "blue_green"]
STRATEGIES: dict[Deployment, str] = {"rolling": "ROLLING", "blue_green": "BLUE_GREEN"}
MAX_BAKE_TIME_MINUTES = 1440  # ECS's bound on bakeTimeInMinutes
PRODUCTION_WEIGHT = 100  # the primary target group's weight in the production rule at creation


@dataclass(frozen=True)
class BlueGreen:
    """What ECS needs to shift production traffic between a service's two target groups."""

    alternate_target_group_arn: pulumi.Input[str]
    production_listener_rule_arn: pulumi.Input[str]
    role_arn: pulumi.Input[str]


@dataclass(frozen=True)
class Rollout:
    """The deployment settings of one ECS service: its strategy, the alarms that fail a
    deployment (and roll it back), and the blue/green traffic wiring when it has one."""

    deployment: Deployment = "rolling"
    bake_time_minutes: int = 0
    alarm_names: Sequence[pulumi.Input[str]] = ()
    blue_green: BlueGreen | None = None

    def __post_init__(self) -> None:
        if self.deployment == "blue_green" and self.blue_green is None:
            raise ValueError("a blue_green deployment needs a load balancer (alternate target group and listener rule)")
        if not 0 <= self.bake_time_minutes <= MAX_BAKE_TIME_MINUTES:
            raise ValueError(f"bake_time_minutes must be 0-{MAX_BAKE_TIME_MINUTES} (got {self.bake_time_minutes})")


def service_deployment_args(
    rollout: Rollout, *, target_group_arn: pulumi.Input[str] | None, container_name: str, container_port: int
) -> dict[str, Any]:
    """Keyword arguments of aws.ecs.Service (pulumi-aws v7 names) for ``rollout``.

    The circuit breaker (with rollback) stays on for both strategies: ECS documents it for rolling
    and blue/green deployments alike. pulumi-aws v7 takes the alarms as the top-level ``alarms``
    argument (the API's ``deploymentConfiguration.alarms``)."""
    args: dict[str, Any] = {
        "deployment_circuit_breaker": {"enable": True, "rollback": True},
        "alarms": {"alarm_names": list(rollout.alarm_names), "enable": True, "rollback": True}
        if rollout.alarm_names
        else None,
        "load_balancers": None,
    }
    if rollout.deployment == "blue_green":
        # Rolling services keep ECS's defaults (controller ECS, strategy ROLLING) unstated, so
        # stacks deployed before this setting existed see no change. Blue/green needs the ECS
        # controller: it is the default, and stated here because the strategy depends on it.
        args["deployment_controller"] = {"type": "ECS"}
        args["deployment_configuration"] = {
            "strategy": STRATEGIES["blue_green"],
            # The provider types bake_time_in_minutes as a string.
            "bake_time_in_minutes": str(rollout.bake_time_minutes),
        }
    if target_group_arn is not None:
        entry: dict[str, Any] = {
            "target_group_arn": target_group_arn,
            "container_name": container_name,
            "container_port": container_port,
        }
        if rollout.blue_green is not None:
            entry["advanced_configuration"] = {
                "alternate_target_group_arn": rollout.blue_green.alternate_target_group_arn,
                "production_listener_rule": rollout.blue_green.production_listener_rule_arn,
                "role_arn": rollout.blue_green.role_arn,
            }
        args["load_balancers"] = [entry]
    return args


def rollback_alarm_specs(
    *, service: str, load_balancer: Any, target_group: Any, error_rate_percent: float, key_suffix: str = ""
) -> tuple[AlarmSpec, ...]:
    """The alarms of one target group that fail (and roll back) a deployment: its targets answer
    more than ``error_rate_percent`` % of its requests with a 5xx (HTTPCode_Target_5XX_Count per
    RequestCount, metric math), or a target fails its health check for three minutes.

    ``key_suffix`` tells the alternate target group's alarms from the primary's. With no
    requests the rate has no data: ``notBreaching``, so an idle target group never rolls back."""
    dims = {"LoadBalancer": load_balancer, "TargetGroup": target_group}
    return (
        AlarmSpec(
            f"target-5xx-rate{key_suffix}",
            f"{service}: more than {error_rate_percent} % of the target group's requests answered 5xx "
            "(fails and rolls back a deployment)",
            "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "GreaterThanThreshold",
            error_rate_percent, statistic="Sum", period_seconds=60, evaluation_periods=3,
            treat_missing_data="notBreaching", ratio_denominator="RequestCount",
        ),
        AlarmSpec(
            f"unhealthy-hosts{key_suffix}",
            f"{service}: a target failed its health check",
            "AWS/ApplicationELB", "UnHealthyHostCount", dims, "GreaterThanThreshold", 0,
            statistic="Maximum", period_seconds=60, evaluation_periods=3,
            treat_missing_data="notBreaching" if key_suffix else "missing",
        ),
    )  # fmt: skip


def production_forward_action(
    primary_arn: pulumi.Input[str], alternate_arn: pulumi.Input[str]
) -> aws.lb.ListenerRuleActionArgsDict:
    """The production rule's one forward action over both target groups (all traffic to the
    primary at creation); ECS moves the weights at each blue/green deployment."""
    return {
        "type": "forward",
        "forward": {
            "target_groups": [
                {"arn": primary_arn, "weight": PRODUCTION_WEIGHT},
                {"arn": alternate_arn, "weight": 0},
            ]
        },
    }


def traffic_shift_policy(
    listener_arn: str,
    rule_arn: str,
    *target_group_arns: str,
) -> Document:
    """What ECS needs to shift one service's traffic, on that service's resources only.

    The actions are those of AmazonECSInfrastructureRolePolicyForLoadBalancers (AWS managed policy
    reference), scoped down: the ELB Describe* actions support no resource-level permissions
    (``*``); ModifyListener on the one
    HTTPS listener, ModifyRule on the service's production rule, target (de)registration on its two
    target groups."""
    return policy_document(
        [
            {
                "Sid": "DescribeLoadBalancing",
                "Effect": "Allow",
                "Action": [
                    "elasticloadbalancing:DescribeListeners",
                    "elasticloadbalancing:DescribeRules",
                    "elasticloadbalancing:DescribeTargetGroups",
                    "elasticloadbalancing:DescribeTargetHealth",
                ],
                "Resource": "*",
            },
            {
                "Sid": "RegisterTargets",
                "Effect": "Allow",
                "Action": ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
                "Resource": list(target_group_arns),
            },
            {
                "Sid": "ShiftListener",
                "Effect": "Allow",
                "Action": "elasticloadbalancing:ModifyListener",
                "Resource": listener_arn,
            },
            {
                "Sid": "ShiftProductionRule",
                "Effect": "Allow",
                "Action": "elasticloadbalancing:ModifyRule",
                "Resource": rule_arn,
            },
        ]
    )


def traffic_shift_role(
    name: str,
    *,
    description: str,
    context: AwsContext,
    listener_arn: pulumi.Input[str],
    rule_arn: pulumi.Input[str],
    target_group_arns: Sequence[pulumi.Input[str]],
    parent: pulumi.Resource,
) -> pulumi.Output[str]:
    """The role ECS assumes to shift one service's blue/green traffic: trusted by
    ecs.amazonaws.com for this account only (the ECS guide's trust policy names no source ARN),
    holding ``traffic_shift_policy`` inline. Returns its ARN once the policy is attached, so the
    service that names it waits for its permissions."""
    role = aws.iam.Role(
        name,
        description=description,
        assume_role_policy=context.account_id.apply(
            lambda account: json.dumps(service_trust_policy("ecs.amazonaws.com", account))
        ),
        opts=pulumi.ResourceOptions(parent=parent),
    )
    policy = aws.iam.RolePolicy(
        f"{name}-policy",
        role=role.id,
        policy=pulumi.Output.all(listener_arn, rule_arn, *target_group_arns).apply(
            lambda arns: json.dumps(traffic_shift_policy(arns[0], arns[1], *arns[2:]))
        ),
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return pulumi.Output.all(role.arn, policy.id).apply(lambda values: str(values[0]))
