"""SecureVpc: public, private and isolated subnets over several AZs, NAT by strategy, flow logs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi
import pulumi_aws as aws

from .aws_context import AwsContext, aws_context
from .encryption_key import customer_managed_key
from .iam_documents import log_delivery_policy, logs_key_statement
from .log_groups import DEFAULT_RETENTION_DAYS, encrypted_log_group
from .nat_instance import nat_instance, nat_security_group
from .restricted_security_group import Peer, tcp_rule
from .service_role import service_role
from .subnet_layout import (
    NatStrategy,
    PlannedSubnet,
    TierPrefixes,
    nat_az_indexes,
    nat_for_private_subnet,
    plan_subnets,
)


@dataclass(frozen=True)
class SecureVpcArgs:
    name_prefix: str
    """Start of every physical name and Name tag (lower-case letters, digits, hyphens). Example: "acme-prod"."""
    cidr: str = "10.0.0.0/16"
    """The VPC's IPv4 range: a private range (RFC 1918 or 100.64.0.0/10), /16 to /28, large enough for
    az_count subnets of every tier. Example: "10.20.0.0/16".
    """
    az_count: int = 2
    """Availability zones used by every subnet tier: 2 or 3. Two keeps a multi-AZ database and ALB possible at
    the lowest NAT cost; three survives the loss of a zone with capacity to spare. Example: 3.
    """
    nat: NatStrategy = "single"
    """Ways out to the internet for the private subnets: "none" (only VPC endpoints: list the Fargate
    interface endpoints), "single" (one NAT for the VPC: a gateway is $32.85 a month in us-east-1 before data;
    an AZ outage cuts egress), "per_az" (one per AZ, no cross-AZ dependency). Example: "per_az".
    """
    interface_endpoints: Sequence[str] = ()
    """Interface endpoints (PrivateLink) in the private subnets, by service name ("ecr.api", "ecr.dkr",
    "logs", "secretsmanager", "sts", "kms", "ssm", "ssmmessages", "monitoring"). Each costs $7.30 a month per
    AZ in us-east-1 plus $0.01 per GB; the S3 gateway endpoint is always there and free. Example: ("ecr.api",
    "ecr.dkr", "logs", "secretsmanager").
    """
    subnet_prefixes: TierPrefixes = field(default_factory=TierPrefixes)
    """Prefix length of each tier's subnets (one subnet per tier and AZ). The private tier is the largest
    because Fargate tasks take an address each. Example: TierPrefixes(public=26, private=22, isolated=26).
    """
    flow_log_retention_days: int = DEFAULT_RETENTION_DAYS
    """Days the VPC flow logs are kept (a CloudWatch Logs retention value: 1, 3, 5, 7, 14, 30, ...). Example: 90."""
    flow_log_aggregation_seconds: int = 60
    """Seconds over which flow logs aggregate a flow before writing it: 60 or 600 (ten times fewer records,
    ten minutes late). Example: 600.
    """
    flow_log_traffic: str = "ALL"
    """What flow logs record: "ALL", "REJECT" (only refused traffic, cheaper) or "ACCEPT". ALL answers both
    "who got in" and "what was blocked". Example: "REJECT".
    """
    nat_type: Literal["gateway", "instance"] = "gateway"
    """Kind of NAT. "gateway": managed NAT gateways ($32.85 a month each in us-east-1, $38.54 in me-south-1,
    before data; 5-100 Gbps); "instance": a Graviton EC2 NAT instance per NAT (a t4g.nano with its public IPv4
    and root volume is about $7.40 a month in us-east-1; burstable bandwidth; replaced rather than patched).
    Example: "instance" for dev.
    """
    nat_instance_type: str = "t4g.nano"
    """EC2 type of each NAT instance (with nat_type "instance"): a Graviton type such as t4g.nano (burstable
    up to 5 Gbps). Example: "t4g.small".
    """
    alarm_actions: Sequence[pulumi.Input[str]] = ()
    """SNS topic ARNs told when a NAT instance fails its status check (the alarm also reboots it). Example:
    [alert_topic.arn].
    """


@dataclass(frozen=True)
class _Build:
    """What every step of SecureVpc shares: the component's name and args, the options that
    parent a child to it, the account and region, and the VPC once it exists."""

    name: str
    args: SecureVpcArgs
    child: pulumi.ResourceOptions
    context: AwsContext
    vpc: aws.ec2.Vpc


@dataclass(frozen=True)
class Subnets:
    """The subnets of each tier, one per AZ in AZ order."""

    public: list[aws.ec2.Subnet]
    private: list[aws.ec2.Subnet]
    isolated: list[aws.ec2.Subnet]


class SecureVpc(pulumi.ComponentResource):
    """A VPC whose defaults are the safe ones: no public IPs on launch, an empty default security
    group, data subnets without any route out, and every flow recorded in an encrypted log.

    Three tiers of subnets in each of ``az_count`` AZs, packed from the VPC range without overlap:
    public (the ALB, NAT), private (tasks; out through NAT or only VPC endpoints) and isolated
    (databases; the local route only). S3 is reached through a free gateway endpoint.

    Example::

        vpc = SecureVpc("network", SecureVpcArgs(name_prefix="acme-prod", az_count=3, nat="per_az"))
        database_subnets = vpc.isolated_subnet_ids

    Cost (cost/prices.csv, us-east-1): the VPC, subnets, routes and the S3 endpoint are free; each
    NAT gateway is $32.85 a month plus $0.045 per GB (a t4g.nano NAT instance about $7.40 with its
    IPv4); each interface endpoint $7.30 a month per AZ; the flow-log group's KMS key $1 a month
    plus CloudWatch Logs ingestion.
    """

    vpc_id: pulumi.Output[str]
    cidr: str
    public_subnet_ids: list[pulumi.Output[str]]
    private_subnet_ids: list[pulumi.Output[str]]
    isolated_subnet_ids: list[pulumi.Output[str]]
    endpoint_security_group_id: pulumi.Output[str] | None

    def __init__(self, name: str, args: SecureVpcArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("webstack:network:SecureVpc", name, None, opts)
        layout = plan_subnets(args.cidr, args.az_count, args.subnet_prefixes)
        child = pulumi.ResourceOptions(parent=self)
        vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=args.cidr,
            enable_dns_support=True,
            enable_dns_hostnames=True,
            tags={"Name": f"{args.name_prefix}-vpc"},
            opts=child,
        )
        build = _Build(name, args, child, aws_context(self), vpc)
        # Adopting the default group with no rules strips its allow-all rules (cdk-nag EC2 / FSBP EC2.2).
        aws.ec2.DefaultSecurityGroup(f"{name}-default-sg", vpc_id=vpc.id, opts=child)
        igw = aws.ec2.InternetGateway(f"{name}-igw", vpc_id=vpc.id, opts=child)
        subnets = _subnets(build, layout, self)
        public_routes = _public_routes(build, igw, subnets)
        key = _network_key(build, self)
        exits = _nat_exits(
            build, layout=layout, subnets=subnets, igw=igw, key=key, public_routes=public_routes, parent=self
        )
        data_route_tables = [*_private_routes(build, subnets, exits), _isolated_routes(build, subnets)]
        _s3_gateway_endpoint(build, data_route_tables)
        self.endpoint_security_group_id = _interface_endpoints(build, subnets, self)
        _flow_logs(build, key, self)

        self.vpc_id = vpc.id
        self.cidr = args.cidr
        self.public_subnet_ids = [s.id for s in subnets.public]
        self.private_subnet_ids = [s.id for s in subnets.private]
        self.isolated_subnet_ids = [s.id for s in subnets.isolated]
        self.register_outputs(
            {
                "vpcId": self.vpc_id,
                "publicSubnetIds": self.public_subnet_ids,
                "privateSubnetIds": self.private_subnet_ids,
                "isolatedSubnetIds": self.isolated_subnet_ids,
            }
        )


def _flow_log_group_name(args: SecureVpcArgs) -> str:
    return f"/{args.name_prefix}/vpc/flow-logs"


def _subnets(b: _Build, layout: Sequence[PlannedSubnet], parent: pulumi.Resource) -> Subnets:
    """One subnet per tier and AZ, none of which maps public IPs on launch."""
    azs = aws.get_availability_zones_output(
        state="available",
        filters=[{"name": "opt-in-status", "values": ["opt-in-not-required"]}],
        opts=pulumi.InvokeOutputOptions(parent=parent),
    )
    tiers: dict[str, list[aws.ec2.Subnet]] = {"public": [], "private": [], "isolated": []}
    for planned in layout:
        tiers[planned.tier].append(
            aws.ec2.Subnet(
                f"{b.name}-{planned.tier}-{planned.az_index}",
                vpc_id=b.vpc.id,
                cidr_block=planned.cidr,
                availability_zone=azs.names.apply(lambda n, i=planned.az_index: n[i]),
                map_public_ip_on_launch=False,
                tags={
                    "Name": f"{b.args.name_prefix}-{planned.tier}-{planned.az_index}",
                    "Tier": planned.tier,
                },
                opts=b.child,
            )
        )
    return Subnets(tiers["public"], tiers["private"], tiers["isolated"])


def _public_routes(b: _Build, igw: aws.ec2.InternetGateway, subnets: Subnets) -> list[pulumi.Resource]:
    """The public route table: the internet gateway for 0.0.0.0/0, shared by the public subnets.
    Returned so that a NAT instance boots only once it can reach the internet."""
    public_rt = aws.ec2.RouteTable(
        f"{b.name}-public-rt", vpc_id=b.vpc.id, tags={"Name": f"{b.args.name_prefix}-public"}, opts=b.child
    )
    public_default = aws.ec2.Route(
        f"{b.name}-public-default",
        route_table_id=public_rt.id,
        destination_cidr_block="0.0.0.0/0",
        gateway_id=igw.id,
        opts=b.child,
    )
    associations = [
        aws.ec2.RouteTableAssociation(
            f"{b.name}-public-rta-{index}", subnet_id=subnet.id, route_table_id=public_rt.id, opts=b.child
        )
        for index, subnet in enumerate(subnets.public)
    ]
    return [public_default, *associations]


def _network_key(b: _Build, parent: pulumi.Resource) -> aws.kms.Key:
    """The CMK of the flow-log group (and of NAT instance volumes)."""
    return customer_managed_key(
        f"{b.name}-key",
        description=f"{b.args.name_prefix} VPC flow logs"
        + (" and NAT instance volumes" if b.args.nat_type == "instance" else ""),
        alias=f"{b.args.name_prefix}/network",
        context=b.context,
        parent=parent,
        service_statements=lambda region, account: [logs_key_statement(region, account, _flow_log_group_name(b.args))],
    )


def _nat_exits(
    b: _Build,
    *,
    layout: Sequence[PlannedSubnet],
    subnets: Subnets,
    igw: aws.ec2.InternetGateway,
    key: aws.kms.Key,
    public_routes: list[pulumi.Resource],
    parent: pulumi.Resource,
) -> dict[int, dict[str, pulumi.Output[str]]]:
    """The way out of each AZ that has one: a NAT gateway's id or a NAT instance's interface."""
    args = b.args
    exits: dict[int, dict[str, pulumi.Output[str]]] = {}
    nat_azs = nat_az_indexes(args.nat, args.az_count)
    private_cidrs = [p.cidr for p in layout if p.tier == "private"]
    nat_sg = (
        nat_security_group(f"{b.name}-nat-sg", vpc_id=b.vpc.id, private_cidrs=private_cidrs, parent=parent)
        if nat_azs and args.nat_type == "instance"
        else None
    )
    for az in nat_azs:
        if nat_sg is not None:
            instance = nat_instance(
                f"{b.name}-nat-instance-{az}",
                instance_type=args.nat_instance_type,
                subnet_id=subnets.public[az].id,
                security_group_id=nat_sg.id,
                private_cidrs=private_cidrs,
                kms_key_arn=key.arn,
                region=b.context.region,
                alarm_actions=args.alarm_actions,
                tag_name=f"{args.name_prefix}-nat-{az}",
                parent=parent,
                depends_on=public_routes,
            )
            exits[az] = {"network_interface_id": instance.primary_network_interface_id}
        else:
            exits[az] = {"nat_gateway_id": _nat_gateway(b, az, subnets, igw, parent).id}
    return exits


def _nat_gateway(
    b: _Build, az: int, subnets: Subnets, igw: aws.ec2.InternetGateway, parent: pulumi.Resource
) -> aws.ec2.NatGateway:
    eip = aws.ec2.Eip(
        f"{b.name}-nat-eip-{az}",
        domain="vpc",
        tags={"Name": f"{b.args.name_prefix}-nat-{az}"},
        opts=b.child,
    )
    return aws.ec2.NatGateway(
        f"{b.name}-nat-{az}",
        allocation_id=eip.allocation_id,
        subnet_id=subnets.public[az].id,
        connectivity_type="public",
        tags={"Name": f"{b.args.name_prefix}-nat-{az}"},
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[igw]),
    )


def _private_routes(
    b: _Build, subnets: Subnets, exits: dict[int, dict[str, pulumi.Output[str]]]
) -> list[aws.ec2.RouteTable]:
    """A route table per private subnet, with 0.0.0.0/0 to its NAT when it has one."""
    tables = []
    for index, subnet in enumerate(subnets.private):
        rt = aws.ec2.RouteTable(
            f"{b.name}-private-rt-{index}",
            vpc_id=b.vpc.id,
            tags={"Name": f"{b.args.name_prefix}-private-{index}"},
            opts=b.child,
        )
        nat_index = nat_for_private_subnet(b.args.nat, index)
        if nat_index is not None:
            aws.ec2.Route(
                f"{b.name}-private-default-{index}",
                route_table_id=rt.id,
                destination_cidr_block="0.0.0.0/0",
                **exits[nat_index],
                opts=b.child,
            )
        aws.ec2.RouteTableAssociation(
            f"{b.name}-private-rta-{index}", subnet_id=subnet.id, route_table_id=rt.id, opts=b.child
        )
        tables.append(rt)
    return tables


def _isolated_routes(b: _Build, subnets: Subnets) -> aws.ec2.RouteTable:
    """Isolated (data) subnets share one route table that has only the local route."""
    isolated_rt = aws.ec2.RouteTable(
        f"{b.name}-isolated-rt", vpc_id=b.vpc.id, tags={"Name": f"{b.args.name_prefix}-isolated"}, opts=b.child
    )
    for index, subnet in enumerate(subnets.isolated):
        aws.ec2.RouteTableAssociation(
            f"{b.name}-isolated-rta-{index}", subnet_id=subnet.id, route_table_id=isolated_rt.id, opts=b.child
        )
    return isolated_rt


def _s3_gateway_endpoint(b: _Build, route_tables: list[aws.ec2.RouteTable]) -> None:
    """S3 through the gateway endpoint: free, and image layers from ECR never cross a NAT."""
    aws.ec2.VpcEndpoint(
        f"{b.name}-s3",
        vpc_id=b.vpc.id,
        service_name=b.context.region.apply(lambda r: f"com.amazonaws.{r}.s3"),
        vpc_endpoint_type="Gateway",
        route_table_ids=[rt.id for rt in route_tables],
        tags={"Name": f"{b.args.name_prefix}-s3"},
        opts=b.child,
    )


def _interface_endpoints(b: _Build, subnets: Subnets, parent: pulumi.Resource) -> pulumi.Output[str] | None:
    """The interface endpoints asked for, with private DNS, behind a group that admits only HTTPS
    from the VPC; the group's id, or None without endpoints."""
    if not b.args.interface_endpoints:
        return None
    endpoint_sg = aws.ec2.SecurityGroup(
        f"{b.name}-endpoints-sg",
        vpc_id=b.vpc.id,
        description="Interface endpoints: HTTPS from inside the VPC",
        opts=b.child,
    )
    tcp_rule(
        f"{b.name}-endpoints-https",
        direction="ingress",
        group_id=endpoint_sg.id,
        port=443,
        peer=Peer(cidr=b.args.cidr),
        description="HTTPS to AWS APIs from the VPC",
        parent=parent,
    )
    for service in b.args.interface_endpoints:
        aws.ec2.VpcEndpoint(
            f"{b.name}-{service.replace('.', '-')}",
            vpc_id=b.vpc.id,
            service_name=b.context.region.apply(lambda r, s=service: f"com.amazonaws.{r}.{s}"),
            vpc_endpoint_type="Interface",
            private_dns_enabled=True,
            subnet_ids=[s.id for s in subnets.private],
            security_group_ids=[endpoint_sg.id],
            tags={"Name": f"{b.args.name_prefix}-{service}"},
            opts=b.child,
        )
    return endpoint_sg.id


def _flow_logs(b: _Build, key: aws.kms.Key, parent: pulumi.Resource) -> None:
    """Every flow into a KMS-encrypted log group with retention, delivered by a role that only
    this account's VPC flow logs may assume."""
    log_group_name = _flow_log_group_name(b.args)
    log_group = encrypted_log_group(
        f"{b.name}-flow-logs",
        log_group_name=log_group_name,
        key=key,
        retention_days=b.args.flow_log_retention_days,
        parent=parent,
    )
    role = service_role(
        f"{b.name}-flow-logs-role",
        service="vpc-flow-logs.amazonaws.com",
        description=f"VPC flow log delivery for {b.args.name_prefix}",
        source_arn=lambda region, account: f"arn:aws:ec2:{region}:{account}:vpc-flow-log/*",
        policy=lambda region, account: log_delivery_policy(region, account, [log_group_name]),
        context=b.context,
        parent=parent,
    )
    aws.ec2.FlowLog(
        f"{b.name}-flow-log",
        vpc_id=b.vpc.id,
        traffic_type=b.args.flow_log_traffic,
        log_destination_type="cloud-watch-logs",
        log_destination=log_group.arn,
        iam_role_arn=role.arn,
        max_aggregation_interval=b.args.flow_log_aggregation_seconds,
        opts=b.child,
    )
