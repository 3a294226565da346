"""A security group that admits one TCP port from named security groups and nothing else."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_aws as aws

from .aws_text import ec2_description


def restricted_security_group(
    name: str,
    *,
    vpc_id: pulumi.Input[str],
    description: str,
    port: int,
    source_security_group_ids: Sequence[pulumi.Input[str]],
    parent: pulumi.Resource,
) -> aws.ec2.SecurityGroup:
    """Ingress only on ``port`` from each source group; no egress rule at all.

    The group has no inline rules (the provider removes AWS's default allow-all egress on
    create) and every rule is its own ``aws.vpc.SecurityGroupIngressRule``, so nothing manages
    the group's rules twice.
    """
    group = aws.ec2.SecurityGroup(
        name,
        vpc_id=vpc_id,
        description=ec2_description(description),
        opts=pulumi.ResourceOptions(parent=parent),
    )
    for index, source in enumerate(source_security_group_ids):
        admit_from(
            f"{name}-from-{index}",
            group=group,
            port=port,
            source_security_group_id=source,
            description=description,
            parent=parent,
        )
    return group


@dataclass(frozen=True)
class Peer:
    """The other side of a TCP rule: a security group, a managed prefix list or a CIDR."""

    group: pulumi.Input[str] | None = None
    prefix_list: pulumi.Input[str] | None = None
    cidr: str | None = None


def tcp_rule(
    name: str,
    *,
    direction: Literal["ingress", "egress"],
    group_id: pulumi.Input[str],
    port: int,
    peer: Peer,
    description: str,
    parent: pulumi.Resource,
) -> pulumi.CustomResource:
    """One TCP port to or from one peer, as its own rule resource (never inline rules)."""
    rule_type = aws.vpc.SecurityGroupIngressRule if direction == "ingress" else aws.vpc.SecurityGroupEgressRule
    return rule_type(
        name,
        security_group_id=group_id,
        referenced_security_group_id=peer.group,
        prefix_list_id=peer.prefix_list,
        cidr_ipv4=peer.cidr,
        ip_protocol="tcp",
        from_port=port,
        to_port=port,
        description=ec2_description(description),
        opts=pulumi.ResourceOptions(parent=parent),
    )


def admit_from(
    name: str,
    *,
    group: aws.ec2.SecurityGroup,
    port: int,
    source_security_group_id: pulumi.Input[str],
    description: str,
    parent: pulumi.Resource,
) -> pulumi.CustomResource:
    """One more client group may reach ``port`` of ``group``."""
    return tcp_rule(
        name,
        direction="ingress",
        group_id=group.id,
        port=port,
        peer=Peer(group=source_security_group_id),
        description=f"{description}: port {port} from an allowed client group",
        parent=parent,
    )


class AdmitsClients(pulumi.ComponentResource):
    """A component guarding one port with one security group; clients are admitted later
    (an API created after its database), as children of the component."""

    _security_group: aws.ec2.SecurityGroup
    _port: int
    _service: str
    _name: str

    def admit(self, client: str, security_group_id: pulumi.Input[str]) -> None:
        """Let one more client security group (e.g. an API's tasks) reach the port."""
        admit_from(
            f"{self._name}-sg-from-{client}",
            group=self._security_group,
            port=self._port,
            source_security_group_id=security_group_id,
            description=f"{client} to {self._service}",
            parent=self,
        )
