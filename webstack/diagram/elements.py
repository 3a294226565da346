"""What a picture is made of (nodes, where each sits, labelled arrows) and the few ways of reading
a plan's states that every part of the model shares. Pure: no Graphviz."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

State = Mapping[str, Any]
Kind = Literal[
    "users", "route53", "cloudfront", "waf", "alb", "nat_gateway", "nat_instance", "subnet",
    "fargate", "rds", "elasticache", "s3", "sns", "alarms",
    "apigateway", "lambda", "dynamodb", "cognito", "secrets", "scheduler", "backup",
    "dashboard", "logs", "slack", "pagerduty", "xray",
    "cloudtrail", "guardduty", "config", "securityhub", "access_analyzer", "budget",
]  # fmt: skip
Tier = Literal["public", "private", "isolated"]
TIERS: tuple[Tier, ...] = ("public", "private", "isolated")


@dataclass(frozen=True)
class Place:
    """Where a node is drawn: outside AWS's regions ("edge": users, Route 53, CloudFront and its
    WAF), in the region outside any VPC (buckets, alarms, the serverless API and what it calls), in
    the VPC across AZs (the ALB), in one AZ's tier, or in the second region that keeps the
    backups' copies and the buckets' replicas ("copy_region")."""

    area: Literal["edge", "region", "vpc", "subnet", "copy_region"]
    az: int | None = None
    tier: Tier | None = None


@dataclass(frozen=True)
class Node:
    id: str
    kind: Kind
    label: str
    place: Place


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str = ""


def name_of(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def of_type(states: Mapping[str, State], resource_type: str) -> list[State]:
    return [s for s in states.values() if s["type"] == resource_type]


def deps(state: State, key: str) -> set[str]:
    """The resources an input's value came from (the plan's propertyDependencies)."""
    return set(state.get("propertyDependencies", {}).get(key, []))


def deps_of_type(states: Mapping[str, State], state: State, key: str, resource_type: str) -> set[str]:
    """The resources of one type an input's value came from."""
    return {urn for urn in deps(state, key) if states.get(urn, {}).get("type") == resource_type}


def reach(states: Mapping[str, State], urn: str, key: str, resource_type: str) -> str | None:
    """The resource of ``resource_type`` that ``urn`` is or leads to through its ``key`` inputs:
    a Lambda alias to its function ("functionName"), a stage or method to its REST API ("restApi")."""
    state = states.get(urn)
    if state is None:
        return None
    if state["type"] == resource_type:
        return urn
    return next((found for d in sorted(deps(state, key)) if (found := reach(states, d, key, resource_type))), None)


def role_policies(states: Mapping[str, State], roles: set[str]) -> list[State]:
    """The inline policies of these roles."""
    return [p for p in of_type(states, "aws:iam/rolePolicy:RolePolicy") if deps(p, "role") & roles]
