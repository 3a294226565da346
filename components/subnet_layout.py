"""Pure planning of a VPC's subnets: which CIDR each tier gets in each AZ, and where NATs go."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Literal

Tier = Literal["public", "private", "isolated"]
TIERS: tuple[Tier, ...] = ("public", "private", "isolated")
NatStrategy = Literal["none", "single", "per_az"]


class SubnetLayoutError(ValueError):
    """The VPC CIDR cannot hold the requested subnets."""


@dataclass(frozen=True)
class PlannedSubnet:
    tier: Tier
    az_index: int
    cidr: str


@dataclass(frozen=True)
class TierPrefixes:
    public: int = 24
    """Prefix length of each public subnet (the ALB, NAT): /24 is 251 usable addresses. Example: 26."""
    private: int = 20
    """Prefix length of each private subnet (Fargate tasks, one address each, and interface endpoints): /20 is
    4091 addresses. Example: 22.
    """
    isolated: int = 24
    """Prefix length of each isolated subnet (database, cache; no route out). Example: 26."""

    def of(self, tier: Tier) -> int:
        return {"public": self.public, "private": self.private, "isolated": self.isolated}[tier]


def plan_subnets(vpc_cidr: str, az_count: int, prefixes: TierPrefixes) -> tuple[PlannedSubnet, ...]:
    """One subnet per tier and AZ, packed from the start of the VPC range without overlap.

    Blocks are handed out largest first, so every block lands on its natural boundary; the result
    is ordered by tier (public, private, isolated) and then AZ.
    """
    vpc = ipaddress.IPv4Network(vpc_cidr)
    if az_count < 1:
        raise SubnetLayoutError("az_count must be at least 1")
    for tier in TIERS:
        if prefixes.of(tier) <= vpc.prefixlen:
            raise SubnetLayoutError(
                f"the {tier} subnet prefix /{prefixes.of(tier)} must be longer than the VPC's /{vpc.prefixlen}"
            )
    needed = sum(az_count * 2 ** (32 - prefixes.of(t)) for t in TIERS)
    if needed > vpc.num_addresses:
        shape = " + ".join(f"{t} /{prefixes.of(t)}" for t in TIERS)
        raise SubnetLayoutError(
            f"{vpc} holds {vpc.num_addresses} addresses but {az_count} AZs x ({shape}) need "
            f"{needed}; use a larger VPC CIDR or longer subnet prefixes"
        )
    slots: list[tuple[Tier, int]] = [(tier, az) for tier in TIERS for az in range(az_count)]
    by_size = sorted(
        slots,
        key=lambda item: (prefixes.of(item[0]), TIERS.index(item[0]), item[1]),
    )
    cursor = int(vpc.network_address)
    allocated: dict[tuple[Tier, int], str] = {}
    for tier, az in by_size:
        block = ipaddress.IPv4Network((cursor, prefixes.of(tier)))
        allocated[(tier, az)] = str(block)
        cursor += block.num_addresses
    return tuple(PlannedSubnet(tier, az, allocated[(tier, az)]) for tier in TIERS for az in range(az_count))


def nat_az_indexes(strategy: NatStrategy, az_count: int) -> tuple[int, ...]:
    """The AZs (by index) whose public subnet gets a NAT gateway."""
    if strategy == "none":
        return ()
    if strategy == "single":
        return (0,)
    return tuple(range(az_count))


def nat_for_private_subnet(strategy: NatStrategy, az_index: int) -> int | None:
    """Index of the NAT gateway a private subnet routes through (None: no internet route)."""
    if strategy == "none":
        return None
    if strategy == "single":
        return 0
    return az_index
