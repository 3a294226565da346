"""SecureVpc under mocks: the registered resources and their inputs, as the engine sees them."""

from __future__ import annotations

import pytest

from components import SecureVpc, SecureVpcArgs
from webstack.offline.aws_mocks import _hex

from .helpers import ancestors, as_list, document, one, render, statements

SUBNET = "aws:ec2/subnet:Subnet"
ROUTE = "aws:ec2/route:Route"
RTA = "aws:ec2/routeTableAssociation:RouteTableAssociation"


def vpc_run(**overrides):
    args = SecureVpcArgs(name_prefix="acme-dev", **overrides)
    return render(lambda: SecureVpc("network", args), region="eu-west-1")


def routes_by_subnet(run):
    """For each subnet (by logical name): the routes of its route table."""
    subnet_by_id = {r.id: r.name for r in run.of_type(SUBNET)}
    table_by_subnet = {subnet_by_id[a.inputs["subnetId"]]: a.inputs["routeTableId"] for a in run.of_type(RTA)}
    routes: dict[str, list[dict]] = {name: [] for name in subnet_by_id.values()}
    for subnet, table in table_by_subnet.items():
        routes[subnet] = [r.inputs for r in run.of_type(ROUTE) if r.inputs["routeTableId"] == table]
    return routes


@pytest.mark.parametrize("nat", ["none", "single", "per_az"])
def test_isolated_subnets_have_no_route_out(nat):
    run = vpc_run(nat=nat)
    for subnet, routes in routes_by_subnet(run).items():
        if "-isolated-" in subnet:
            assert routes == [], subnet


def test_private_subnets_route_through_their_nat_per_strategy():
    run = vpc_run(nat="per_az", az_count=3)
    nat_ids = {n.name: n.id for n in run.of_type("aws:ec2/natGateway:NatGateway")}
    routes = routes_by_subnet(run)
    for az in range(3):
        (route,) = routes[f"network-private-{az}"]
        assert route["destinationCidrBlock"] == "0.0.0.0/0"
        assert route["natGatewayId"] == nat_ids[f"network-nat-{az}"]
        assert "gatewayId" not in route


def test_single_nat_serves_every_private_subnet_and_sits_in_a_public_subnet():
    run = vpc_run(nat="single")
    nat = one(run, "aws:ec2/natGateway:NatGateway")
    public_ids = {s.id for s in run.of_type(SUBNET) if s.inputs["tags"]["Tier"] == "public"}
    assert nat.inputs["subnetId"] in public_ids
    assert nat.inputs["connectivityType"] == "public"
    for name, routes in routes_by_subnet(run).items():
        if "-private-" in name:
            assert [r["natGatewayId"] for r in routes] == [nat.id]


def test_nat_none_has_no_nat_and_no_private_default_route():
    run = vpc_run(nat="none")
    assert run.of_type("aws:ec2/natGateway:NatGateway") == []
    assert run.of_type("aws:ec2/eip:Eip") == []
    for name, routes in routes_by_subnet(run).items():
        if "-private-" in name:
            assert routes == []


def test_only_public_subnets_reach_the_internet_gateway():
    run = vpc_run()
    igw = one(run, "aws:ec2/internetGateway:InternetGateway")
    for name, routes in routes_by_subnet(run).items():
        via_igw = [r for r in routes if r.get("gatewayId") == igw.id]
        assert bool(via_igw) == ("-public-" in name), name


def test_subnets_never_assign_public_ips_and_span_azs():
    run = vpc_run(az_count=3)
    subnets = run.of_type(SUBNET)
    assert len(subnets) == 9
    assert all(s.inputs["mapPublicIpOnLaunch"] is False for s in subnets)
    assert {s.inputs["availabilityZone"] for s in subnets} == {"eu-west-1a", "eu-west-1b", "eu-west-1c"}


def test_vpc_has_dns_and_the_default_security_group_is_emptied():
    run = vpc_run(cidr="10.20.0.0/16")
    vpc = one(run, "aws:ec2/vpc:Vpc")
    assert vpc.inputs["cidrBlock"] == "10.20.0.0/16"
    assert vpc.inputs["enableDnsSupport"] is True
    assert vpc.inputs["enableDnsHostnames"] is True
    default_sg = one(run, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
    assert default_sg.inputs["vpcId"] == vpc.id
    assert "ingress" not in default_sg.inputs or default_sg.inputs["ingress"] == []
    assert "egress" not in default_sg.inputs or default_sg.inputs["egress"] == []


def test_s3_gateway_endpoint_serves_private_and_isolated_route_tables():
    run = vpc_run()
    endpoint = one(run, "aws:ec2/vpcEndpoint:VpcEndpoint")
    assert endpoint.inputs["serviceName"] == "com.amazonaws.eu-west-1.s3"
    assert endpoint.inputs["vpcEndpointType"] == "Gateway"
    tables = {t.name: t.id for t in run.of_type("aws:ec2/routeTable:RouteTable")}
    assert set(endpoint.inputs["routeTableIds"]) == {
        tables["network-private-rt-0"],
        tables["network-private-rt-1"],
        tables["network-isolated-rt"],
    }


def test_interface_endpoints_are_private_dns_in_private_subnets_behind_https_only_group():
    run = vpc_run(nat="none", interface_endpoints=("ecr.api", "ecr.dkr", "logs", "secretsmanager"))
    endpoints = [
        e for e in run.of_type("aws:ec2/vpcEndpoint:VpcEndpoint") if e.inputs["vpcEndpointType"] == "Interface"
    ]
    assert sorted(e.inputs["serviceName"] for e in endpoints) == [
        "com.amazonaws.eu-west-1.ecr.api",
        "com.amazonaws.eu-west-1.ecr.dkr",
        "com.amazonaws.eu-west-1.logs",
        "com.amazonaws.eu-west-1.secretsmanager",
    ]
    private_ids = {s.id for s in run.of_type(SUBNET) if s.inputs["tags"]["Tier"] == "private"}
    sg = one(run, "aws:ec2/securityGroup:SecurityGroup")
    for endpoint in endpoints:
        assert endpoint.inputs["privateDnsEnabled"] is True
        assert set(endpoint.inputs["subnetIds"]) == private_ids
        assert endpoint.inputs["securityGroupIds"] == [sg.id]
    rule = one(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert (rule.inputs["fromPort"], rule.inputs["toPort"], rule.inputs["cidrIpv4"]) == (
        443,
        443,
        "10.0.0.0/16",
    )


def test_flow_logs_go_to_a_kms_encrypted_log_group_with_retention():
    run = vpc_run(flow_log_retention_days=90)
    flow = one(run, "aws:ec2/flowLog:FlowLog")
    group = one(run, "aws:cloudwatch/logGroup:LogGroup")
    key = one(run, "aws:kms/key:Key")
    assert flow.inputs["vpcId"] == one(run, "aws:ec2/vpc:Vpc").id
    assert flow.inputs["trafficType"] == "ALL"
    assert group.inputs["name"] == "/acme-dev/vpc/flow-logs"
    assert flow.inputs["logDestination"] == "arn:aws:logs:eu-west-1:123456789012:log-group:/acme-dev/vpc/flow-logs"
    assert flow.inputs["iamRoleArn"] == one(run, "aws:iam/role:Role").id.join(["arn:aws:iam::123456789012:role/", ""])
    assert group.inputs["kmsKeyId"].startswith("arn:aws:kms:eu-west-1:123456789012:key/")
    assert group.inputs["retentionInDays"] == 90
    assert key.inputs["enableKeyRotation"] is True
    # The key lets CloudWatch Logs use it for this log group only.
    logs_grant = [s for s in statements(document(key, "policy")) if s.get("Sid") == "CloudWatchLogsEncryption"]
    assert logs_grant[0]["Principal"] == {"Service": "logs.eu-west-1.amazonaws.com"}
    assert logs_grant[0]["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"].endswith(
        ":log-group:/acme-dev/vpc/flow-logs"
    )


def test_flow_log_role_is_trusted_by_the_service_for_this_account_and_writes_one_group():
    run = vpc_run()
    role = one(run, "aws:iam/role:Role")
    (trust,) = statements(document(role, "assumeRolePolicy"))
    assert trust["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
    assert trust["Condition"]["StringEquals"]["aws:SourceAccount"] == "123456789012"
    assert trust["Condition"]["ArnLike"]["aws:SourceArn"] == "arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*"
    policy = one(run, "aws:iam/rolePolicy:RolePolicy")
    by_sid = {s["Sid"]: s for s in statements(document(policy, "policy"))}
    for statement in by_sid.values():
        for action in as_list(statement["Action"]):
            assert "*" not in action
    for resource in as_list(by_sid["WriteOwnLogGroups"]["Resource"]):
        assert resource.startswith("arn:aws:logs:eu-west-1:123456789012:log-group:/acme-dev/vpc/flow-logs")
    # DescribeLogGroups has no resource-level permissions: only "*" lets the call succeed.
    assert (by_sid["FindLogGroups"]["Action"], by_sid["FindLogGroups"]["Resource"]) == ("logs:DescribeLogGroups", "*")


def test_every_child_is_parented_to_the_component():
    run = vpc_run(nat="per_az", interface_endpoints=("logs",))
    component = one(run, "webstack:network:SecureVpc")
    for reg in run.registrations:
        if reg.custom:
            assert component in ancestors(run, reg), reg.urn


def test_nat_instances_replace_gateways_and_serve_their_az_private_subnets():
    run = vpc_run(nat="per_az", nat_type="instance", az_count=2)
    assert run.of_type("aws:ec2/natGateway:NatGateway") == []
    assert run.of_type("aws:ec2/eip:Eip") == []
    instances = {i.name: i for i in run.of_type("aws:ec2/instance:Instance")}
    assert sorted(instances) == ["network-nat-instance-0", "network-nat-instance-1"]
    public = {s.id: s.name for s in run.of_type(SUBNET) if s.inputs["tags"]["Tier"] == "public"}
    routes = routes_by_subnet(run)
    for az in range(2):
        instance = instances[f"network-nat-instance-{az}"]
        assert public[instance.inputs["subnetId"]] == f"network-public-{az}"
        (route,) = [r for r in run.of_type(ROUTE) if r.name == f"network-private-default-{az}"]
        assert route.inputs["networkInterfaceId"].startswith("eni-")
        assert route.property_dependencies["networkInterfaceId"] == [instance.urn]
        assert "natGatewayId" not in route.inputs
        assert routes[f"network-private-{az}"] == [route.inputs]
    for subnet, subnet_routes in routes.items():
        if "-isolated-" in subnet:
            assert subnet_routes == []


def test_nat_instance_is_locked_down():
    run = vpc_run(nat="single", nat_type="instance", nat_instance_type="t4g.micro")
    instance = one(run, "aws:ec2/instance:Instance")
    key = one(run, "aws:kms/key:Key")
    inputs = instance.inputs
    assert inputs["instanceType"] == "t4g.micro"
    # An image id read from AWS's AL2023 arm64 parameter (a resolve:ssm alias would break the
    # root volume settings and replace the instance on every deploy).
    parameter = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
    assert inputs["ami"] == f"ami-{_hex(parameter + 'eu-west-1', 17)}"  # what the mocked SSM parameter holds
    assert instance.dependencies and any(d.endswith("::network-public-default") for d in instance.dependencies)
    assert inputs["sourceDestCheck"] is False and inputs["associatePublicIpAddress"] is True
    metadata = {"httpTokens": "required", "httpEndpoint": "enabled", "httpPutResponseHopLimit": 1}
    assert inputs["metadataOptions"] == metadata
    root = inputs["rootBlockDevice"]
    assert root["encrypted"] is True and root["kmsKeyId"].endswith(f":key/{key.id}")
    assert "keyName" not in inputs and "iamInstanceProfile" not in inputs
    assert inputs["maintenanceOptions"] == {"autoRecovery": "default"}
    private = sorted(s.inputs["cidrBlock"] for s in run.of_type(SUBNET) if s.inputs["tags"]["Tier"] == "private")
    for cidr in private:
        assert cidr in inputs["userData"]
    (group,) = [g for g in run.of_type("aws:ec2/securityGroup:SecurityGroup") if g.name == "network-nat-sg"]
    assert inputs["vpcSecurityGroupIds"] == [group.id]
    ingress = run.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert sorted(r.inputs["cidrIpv4"] for r in ingress if r.inputs["securityGroupId"] == group.id) == private
    (egress,) = [
        r
        for r in run.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
        if r.inputs["securityGroupId"] == group.id
    ]
    assert egress.inputs["cidrIpv4"] == "0.0.0.0/0"


def test_nat_instance_status_alarm_reboots_it_and_notifies():
    run = vpc_run(nat="single", nat_type="instance", alarm_actions=["arn:aws:sns:eu-west-1:123456789012:alerts"])
    instance = one(run, "aws:ec2/instance:Instance")
    alarm = one(run, "aws:cloudwatch/metricAlarm:MetricAlarm")
    assert alarm.inputs["metricName"] == "StatusCheckFailed_Instance"
    assert alarm.inputs["dimensions"] == {"InstanceId": instance.id}
    assert alarm.inputs["alarmActions"] == [
        "arn:aws:automate:eu-west-1:ec2:reboot",
        "arn:aws:sns:eu-west-1:123456789012:alerts",
    ]
    assert alarm.inputs["okActions"] == ["arn:aws:sns:eu-west-1:123456789012:alerts"]


def test_nat_gateways_need_no_instance_resources():
    run = vpc_run(nat="single")
    assert run.of_type("aws:ec2/instance:Instance") == []
    assert [g.name for g in run.of_type("aws:ec2/securityGroup:SecurityGroup")] == []


def test_flow_log_aggregation_is_a_minute_unless_told_ten():
    assert one(vpc_run(), "aws:ec2/flowLog:FlowLog").inputs["maxAggregationInterval"] == 60
    slow = vpc_run(flow_log_aggregation_seconds=600)
    assert one(slow, "aws:ec2/flowLog:FlowLog").inputs["maxAggregationInterval"] == 600
