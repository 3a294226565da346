"""SecureVpc: public, private and isolated subnets over several AZs, NAT by strategy, flow logs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi
import pulumi_aws as aws

from .aws_context import aws_context
from .encryption_key import customer_managed_key
from .iam_documents import log_delivery_policy, logs_key_statement
from .log_groups import encrypted_log_group
from .nat_instance import nat_instance, nat_security_group
from .restricted_security_group import Peer, tcp_rule
from .service_role import service_role
from .subnet_layout import (
    NatStrategy,
    TierPrefixes,
    nat_az_indexes,
    nat_for_private_subnet,
    plan_subnets,
)


@dataclass(frozen=True)
class SecureVpcArgs:
    name_prefix: str
    cidr: str = "10.0.0.0/16"
    az_count: int = 2
    nat: NatStrategy = "single"
    interface_endpoints: Sequence[str] = ()
    subnet_prefixes: TierPrefixes = field(default_factory=TierPrefixes)
    flow_log_retention_days: int = 30
    flow_log_traffic: str = "ALL"
    # gateway: managed NAT gateways; instance: NAT instances of nat_instance_type (cheaper).
    nat_type: Literal["gateway", "instance"] = "gateway"
    nat_instance_type: str = "t4g.nano"
    alarm_actions: Sequence[pulumi.Input[str]] = ()  # SNS topics told about NAT instance failures


class SecureVpc(pulumi.ComponentResource):
    """A VPC whose defaults are the safe ones: no public IPs on launch, an empty default security
    group, data subnets without any route out, and every flow recorded in an encrypted log."""

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
        context = aws_context(self)
        azs = aws.get_availability_zones_output(
            state="available",
            filters=[{"name": "opt-in-status", "values": ["opt-in-not-required"]}],
            opts=pulumi.InvokeOutputOptions(parent=self),
        )

        vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=args.cidr,
            enable_dns_support=True,
            enable_dns_hostnames=True,
            tags={"Name": f"{args.name_prefix}-vpc"},
            opts=child,
        )
        # Adopting the default group with no rules strips its allow-all rules (cdk-nag EC2 / FSBP EC2.2).
        aws.ec2.DefaultSecurityGroup(f"{name}-default-sg", vpc_id=vpc.id, opts=child)
        igw = aws.ec2.InternetGateway(f"{name}-igw", vpc_id=vpc.id, opts=child)

        subnets: dict[str, list[aws.ec2.Subnet]] = {"public": [], "private": [], "isolated": []}
        for planned in layout:
            subnets[planned.tier].append(
                aws.ec2.Subnet(
                    f"{name}-{planned.tier}-{planned.az_index}",
                    vpc_id=vpc.id,
                    cidr_block=planned.cidr,
                    availability_zone=azs.names.apply(lambda n, i=planned.az_index: n[i]),
                    map_public_ip_on_launch=False,
                    tags={
                        "Name": f"{args.name_prefix}-{planned.tier}-{planned.az_index}",
                        "Tier": planned.tier,
                    },
                    opts=child,
                )
            )

        public_rt = aws.ec2.RouteTable(
            f"{name}-public-rt", vpc_id=vpc.id, tags={"Name": f"{args.name_prefix}-public"}, opts=child
        )
        public_default = aws.ec2.Route(
            f"{name}-public-default",
            route_table_id=public_rt.id,
            destination_cidr_block="0.0.0.0/0",
            gateway_id=igw.id,
            opts=child,
        )
        public_routes: list[pulumi.Resource] = [public_default]
        for index, subnet in enumerate(subnets["public"]):
            public_routes.append(
                aws.ec2.RouteTableAssociation(
                    f"{name}-public-rta-{index}", subnet_id=subnet.id, route_table_id=public_rt.id, opts=child
                )
            )

        flow_log_group_name = f"/{args.name_prefix}/vpc/flow-logs"
        key = customer_managed_key(
            f"{name}-key",
            description=f"{args.name_prefix} VPC flow logs"
            + (" and NAT instance volumes" if args.nat_type == "instance" else ""),
            alias=f"{args.name_prefix}/network",
            context=context,
            parent=self,
            service_statements=lambda region, account: [logs_key_statement(region, account, flow_log_group_name)],
        )

        # The way out of each AZ that has one: a NAT gateway's id or a NAT instance's interface.
        exits: dict[int, dict[str, pulumi.Output[str]]] = {}
        nat_azs = nat_az_indexes(args.nat, args.az_count)
        private_cidrs = [p.cidr for p in layout if p.tier == "private"]
        nat_sg = (
            nat_security_group(f"{name}-nat-sg", vpc_id=vpc.id, private_cidrs=private_cidrs, parent=self)
            if nat_azs and args.nat_type == "instance"
            else None
        )
        for az in nat_azs:
            if nat_sg is not None:
                instance = nat_instance(
                    f"{name}-nat-instance-{az}",
                    instance_type=args.nat_instance_type,
                    subnet_id=subnets["public"][az].id,
                    security_group_id=nat_sg.id,
                    private_cidrs=private_cidrs,
                    kms_key_arn=key.arn,
                    region=context.region,
                    alarm_actions=args.alarm_actions,
                    tag_name=f"{args.name_prefix}-nat-{az}",
                    parent=self,
                    depends_on=public_routes,
                )
                exits[az] = {"network_interface_id": instance.primary_network_interface_id}
                continue
            eip = aws.ec2.Eip(
                f"{name}-nat-eip-{az}",
                domain="vpc",
                tags={"Name": f"{args.name_prefix}-nat-{az}"},
                opts=child,
            )
            gateway = aws.ec2.NatGateway(
                f"{name}-nat-{az}",
                allocation_id=eip.allocation_id,
                subnet_id=subnets["public"][az].id,
                connectivity_type="public",
                tags={"Name": f"{args.name_prefix}-nat-{az}"},
                opts=pulumi.ResourceOptions(parent=self, depends_on=[igw]),
            )
            exits[az] = {"nat_gateway_id": gateway.id}

        data_route_tables: list[aws.ec2.RouteTable] = []
        for index, subnet in enumerate(subnets["private"]):
            rt = aws.ec2.RouteTable(
                f"{name}-private-rt-{index}",
                vpc_id=vpc.id,
                tags={"Name": f"{args.name_prefix}-private-{index}"},
                opts=child,
            )
            nat_index = nat_for_private_subnet(args.nat, index)
            if nat_index is not None:
                aws.ec2.Route(
                    f"{name}-private-default-{index}",
                    route_table_id=rt.id,
                    destination_cidr_block="0.0.0.0/0",
                    **exits[nat_index],
                    opts=child,
                )
            aws.ec2.RouteTableAssociation(
                f"{name}-private-rta-{index}", subnet_id=subnet.id, route_table_id=rt.id, opts=child
            )
            data_route_tables.append(rt)

        # Isolated (data) subnets share one route table that has only the local route.
        isolated_rt = aws.ec2.RouteTable(
            f"{name}-isolated-rt", vpc_id=vpc.id, tags={"Name": f"{args.name_prefix}-isolated"}, opts=child
        )
        for index, subnet in enumerate(subnets["isolated"]):
            aws.ec2.RouteTableAssociation(
                f"{name}-isolated-rta-{index}", subnet_id=subnet.id, route_table_id=isolated_rt.id, opts=child
            )
        data_route_tables.append(isolated_rt)

        # S3 through the gateway endpoint: free, and image layers from ECR never cross a NAT.
        aws.ec2.VpcEndpoint(
            f"{name}-s3",
            vpc_id=vpc.id,
            service_name=context.region.apply(lambda r: f"com.amazonaws.{r}.s3"),
            vpc_endpoint_type="Gateway",
            route_table_ids=[rt.id for rt in data_route_tables],
            tags={"Name": f"{args.name_prefix}-s3"},
            opts=child,
        )

        self.endpoint_security_group_id = None
        if args.interface_endpoints:
            endpoint_sg = aws.ec2.SecurityGroup(
                f"{name}-endpoints-sg",
                vpc_id=vpc.id,
                description="Interface endpoints: HTTPS from inside the VPC",
                opts=child,
            )
            tcp_rule(
                f"{name}-endpoints-https",
                direction="ingress",
                group_id=endpoint_sg.id,
                port=443,
                peer=Peer(cidr=args.cidr),
                description="HTTPS to AWS APIs from the VPC",
                parent=self,
            )
            for service in args.interface_endpoints:
                aws.ec2.VpcEndpoint(
                    f"{name}-{service.replace('.', '-')}",
                    vpc_id=vpc.id,
                    service_name=context.region.apply(lambda r, s=service: f"com.amazonaws.{r}.{s}"),
                    vpc_endpoint_type="Interface",
                    private_dns_enabled=True,
                    subnet_ids=[s.id for s in subnets["private"]],
                    security_group_ids=[endpoint_sg.id],
                    tags={"Name": f"{args.name_prefix}-{service}"},
                    opts=child,
                )
            self.endpoint_security_group_id = endpoint_sg.id

        log_group = encrypted_log_group(
            f"{name}-flow-logs",
            log_group_name=flow_log_group_name,
            key=key,
            retention_days=args.flow_log_retention_days,
            parent=self,
        )
        role = service_role(
            f"{name}-flow-logs-role",
            service="vpc-flow-logs.amazonaws.com",
            description=f"VPC flow log delivery for {args.name_prefix}",
            source_arn=lambda region, account: f"arn:aws:ec2:{region}:{account}:vpc-flow-log/*",
            policy=lambda region, account: log_delivery_policy(region, account, [flow_log_group_name]),
            context=context,
            parent=self,
        )
        aws.ec2.FlowLog(
            f"{name}-flow-log",
            vpc_id=vpc.id,
            traffic_type=args.flow_log_traffic,
            log_destination_type="cloud-watch-logs",
            log_destination=log_group.arn,
            iam_role_arn=role.arn,
            max_aggregation_interval=60,
            opts=child,
        )

        self.vpc_id = vpc.id
        self.cidr = args.cidr
        self.public_subnet_ids = [s.id for s in subnets["public"]]
        self.private_subnet_ids = [s.id for s in subnets["private"]]
        self.isolated_subnet_ids = [s.id for s in subnets["isolated"]]
        self.register_outputs(
            {
                "vpcId": self.vpc_id,
                "publicSubnetIds": self.public_subnet_ids,
                "privateSubnetIds": self.private_subnet_ids,
                "isolatedSubnetIds": self.isolated_subnet_ids,
            }
        )
