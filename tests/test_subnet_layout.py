import ipaddress
import itertools

import pytest

from components.subnet_layout import (
    SubnetLayoutError,
    TierPrefixes,
    nat_az_indexes,
    nat_for_private_subnet,
    plan_subnets,
)


def test_default_layout_of_seed_vpc_over_two_azs():
    layout = plan_subnets("10.0.0.0/16", 2, TierPrefixes())
    assert [(s.tier, s.az_index, s.cidr) for s in layout] == [
        ("public", 0, "10.0.32.0/24"),
        ("public", 1, "10.0.33.0/24"),
        ("private", 0, "10.0.0.0/20"),
        ("private", 1, "10.0.16.0/20"),
        ("isolated", 0, "10.0.34.0/24"),
        ("isolated", 1, "10.0.35.0/24"),
    ]


@pytest.mark.parametrize(
    ("cidr", "azs", "prefixes"),
    [
        ("10.0.0.0/16", 3, TierPrefixes()),
        ("172.16.0.0/20", 2, TierPrefixes(public=26, private=23, isolated=26)),
        ("192.168.0.0/24", 3, TierPrefixes(public=28, private=27, isolated=28)),
        ("10.1.0.0/22", 2, TierPrefixes(public=25, private=24, isolated=25)),
    ],
)
def test_subnets_are_inside_the_vpc_aligned_and_disjoint(cidr, azs, prefixes):
    vpc = ipaddress.IPv4Network(cidr)
    layout = plan_subnets(cidr, azs, prefixes)
    networks = [ipaddress.IPv4Network(s.cidr) for s in layout]  # raises if misaligned
    assert len(networks) == 3 * azs
    assert all(n.subnet_of(vpc) for n in networks)
    assert not any(a.overlaps(b) for a, b in itertools.combinations(networks, 2))
    for planned, network in zip(layout, networks, strict=True):
        assert network.prefixlen == prefixes.of(planned.tier)


def test_exactly_full_vpc_fits():
    layout = plan_subnets("10.0.0.0/24", 2, TierPrefixes(public=27, private=26, isolated=27))
    assert sum(ipaddress.IPv4Network(s.cidr).num_addresses for s in layout) == 256


def test_too_small_vpc_names_the_shortfall():
    with pytest.raises(SubnetLayoutError, match=r"10.0.0.0/24 holds 256 addresses but 2 AZs .* need 512"):
        plan_subnets("10.0.0.0/24", 2, TierPrefixes(public=26, private=25, isolated=26))


def test_subnet_prefix_must_be_longer_than_the_vpc_prefix():
    with pytest.raises(SubnetLayoutError, match="private subnet prefix /20 must be longer"):
        plan_subnets("10.0.0.0/20", 2, TierPrefixes(private=20))


@pytest.mark.parametrize(
    ("strategy", "nats", "routes"),
    [("none", (), [None, None, None]), ("single", (0,), [0, 0, 0]), ("per_az", (0, 1, 2), [0, 1, 2])],
)
def test_nat_placement_and_private_routes(strategy, nats, routes):
    assert nat_az_indexes(strategy, 3) == nats
    assert [nat_for_private_subnet(strategy, az) for az in range(3)] == routes
