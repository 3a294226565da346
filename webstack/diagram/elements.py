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
]  # fmt: skip
Tier = Literal["public", "private", "isolated"]
TIERS: tuple[Tier, ...] = ("public", "private", "isolated")


@dataclass(frozen=True)
class Place:
    """Where a node is drawn: outside AWS's regions ("edge": users, Route 53, CloudFront, WAF),
    in the region outside the VPC, in the VPC across AZs (the ALB), or in one AZ's tier."""

    area: Literal["edge", "region", "vpc", "subnet"]
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
