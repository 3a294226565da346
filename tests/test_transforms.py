"""Pulumi's `transforms` resource option changes any child's inputs, as SST's `transform` does:
set on a component (or on anything above it), it reaches every resource the component makes.
The offline engine runs the transforms as the engine does (through the SDK's callback server,
the resource's own first, then its ancestors'), so a plan shows what `pulumi up` would create."""

from __future__ import annotations

from typing import Any

import pulumi

from components import ManagedPostgres, ManagedPostgresArgs, SecureVpc, SecureVpcArgs

from .helpers import render

ELB_ROLE = {"kubernetes.io/role/internal-elb": "1"}


def tag_subnets(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
    if args.type_ != "aws:ec2/subnet:Subnet":
        return None
    tags: Any = args.props["tags"]  # a plain dict in the transform: the inputs are resolved
    return pulumi.ResourceTransformResult({**args.props, "tags": {**tags, **ELB_ROLE}}, args.opts)


def test_a_transform_on_a_component_changes_its_children_and_nothing_else():
    run = render(
        lambda: SecureVpc(
            "net", SecureVpcArgs(name_prefix="acme", nat="none"), pulumi.ResourceOptions(transforms=[tag_subnets])
        )
    )
    subnets = run.of_type("aws:ec2/subnet:Subnet")
    assert len(subnets) == 6
    assert all(s.inputs["tags"]["kubernetes.io/role/internal-elb"] == "1" for s in subnets)
    assert all(s.inputs["tags"]["Tier"] in ("public", "private", "isolated") for s in subnets)  # kept
    assert run.of_type("aws:ec2/vpc:Vpc")[0].inputs["tags"] == {"Name": "acme-vpc"}


class Platform(pulumi.ComponentResource):
    """A user's own component around webstack's: transforms set on it reach the grandchildren."""

    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("acme:index:Platform", name, None, opts)
        vpc = SecureVpc("net", SecureVpcArgs(name_prefix="acme", nat="none"), pulumi.ResourceOptions(parent=self))
        ManagedPostgres(
            "db",
            ManagedPostgresArgs(identifier="acme-db", vpc_id=vpc.vpc_id, subnet_ids=vpc.isolated_subnet_ids),
            pulumi.ResourceOptions(parent=self),
        )


def bigger_database(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
    if args.type_ != "aws:rds/instance:Instance":
        return None
    props: dict[str, Any] = {**args.props, "instanceClass": "db.m7g.large", "allocatedStorage": 100}
    return pulumi.ResourceTransformResult(props, args.opts)


def test_transforms_of_an_ancestor_reach_every_descendant_after_the_resources_own():
    run = render(lambda: Platform("platform", pulumi.ResourceOptions(transforms=[tag_subnets, bigger_database])))
    database = run.of_type("aws:rds/instance:Instance")[0].inputs
    assert (database["instanceClass"], database["allocatedStorage"]) == ("db.m7g.large", 100)
    assert database["storageEncrypted"] is True  # what the transform did not touch stays the component's
    assert all("kubernetes.io/role/internal-elb" in s.inputs["tags"] for s in run.of_type("aws:ec2/subnet:Subnet"))
