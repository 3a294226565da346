"""Network exposure: nothing reachable from the internet but CloudFront and the ALB's 443."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource, Severity

from . import types as t
from .iam import allows, principals, statements
from .props import UNKNOWN, as_list, get, is_set, peek
from .registry import joined, resource_rule, resources_of, stack_rule

WORLD = ("0.0.0.0/0", "::/0")
LOAD_BALANCER_PORTS = {80, 443}
# The protocols a rule's ports bound: with -1 (every protocol) or any other protocol number, a
# rule admits every port whatever ports it names (EC2 API, IpPermission.IpProtocol).
PORTED_PROTOCOLS = {"tcp", "udp", "icmp", "icmpv6", "6", "17", "1", "58"}


def _world_rules(
    resources: list[PolicyResource],
) -> Iterator[tuple[PolicyResource, Mapping[str, Any], list[PolicyResource]]]:
    """(resource, rule, groups) for every ingress rule open to 0.0.0.0/0 or ::/0."""
    for rule in resources_of(resources, t.INGRESS_RULE):
        if get(rule.props, "cidrIpv4") in WORLD or get(rule.props, "cidrIpv6") in WORLD:
            yield rule, rule.props, joined(rule, "securityGroupId")
    for rule in resources_of(resources, t.LEGACY_SG_RULE):
        cidrs = as_list(get(rule.props, "cidrBlocks")) + as_list(get(rule.props, "ipv6CidrBlocks"))
        if get(rule.props, "type") == "ingress" and set(map(str, cidrs)) & set(WORLD):
            yield rule, rule.props, joined(rule, "securityGroupId")
    for group in resources_of(resources, t.SECURITY_GROUP):
        for inline in as_list(get(group.props, "ingress")):
            cidrs = set(map(str, as_list(get(inline, "cidrBlocks")) + as_list(get(inline, "ipv6CidrBlocks"))))
            if cidrs & set(WORLD):
                yield group, inline, [group]


@stack_rule(
    "security-groups-closed-to-the-world",
    concern="network-exposure",
    severity=Severity.CRITICAL,
    description="No security group admits 0.0.0.0/0 or ::/0, except ports 80/443 on a load balancer's group.",
    remediation="Admit clients by security group or prefix list; FargateApi admits only CloudFront's prefix list.",
    fsbp="EC2.18, EC2.19",
    cdk_nag="AwsSolutions-EC23, AwsSolutions-RDS8",
)
def closed_to_world(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    balancer_groups = {
        group.urn
        for balancer in resources_of(resources, t.LOAD_BALANCER)
        for group in joined(balancer, "securityGroups")
    }
    for resource, rule, groups in _world_rules(resources):
        ports = {get(rule, "fromPort"), get(rule, "toPort")}
        protocol = str(get(rule, "ipProtocol", default=get(rule, "protocol"))).lower()
        web_port = ports <= LOAD_BALANCER_PORTS and len(ports) == 1 and protocol in PORTED_PROTOCOLS
        if web_port and groups and all(g.urn in balancer_groups for g in groups):
            continue
        shown = sorted(str(int(p)) if isinstance(p, float) and p.is_integer() else str(p) for p in ports)
        yield f"ingress from the whole internet on {shown}", resource.urn  # the engine sends 22 as 22.0


@resource_rule(
    "rds-not-publicly-accessible",
    concern="network-exposure",
    severity=Severity.CRITICAL,
    types=[t.RDS_INSTANCE],
    description="RDS instances are not publicly accessible.",
    remediation="ManagedPostgres sets publicly_accessible false and places the database in isolated subnets.",
    fsbp="RDS.2",
    awsguard="rds-instance-public-access",
)
def rds_private(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "publiclyAccessible") is True:
        yield "publiclyAccessible is true"


@resource_rule(
    "elasticache-in-vpc-subnets",
    concern="network-exposure",
    severity=Severity.HIGH,
    types=[t.REPLICATION_GROUP],
    description="ElastiCache runs in the VPC's subnets behind its own security group.",
    remediation="RedisCache places the group in the isolated subnets with its own security group.",
    cdk_nag="AwsSolutions-AEC1",
)
def cache_in_vpc(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if not is_set(props, "subnetGroupName") or not is_set(props, "securityGroupIds"):
        yield "no subnet group or no security group: the cache is not confined to the VPC's subnets"


@resource_rule(
    "ecs-service-without-public-ip",
    concern="network-exposure",
    severity=Severity.HIGH,
    types=[t.ECS_SERVICE],
    description="ECS services run in private subnets without public IP addresses.",
    remediation="FargateApi sets assign_public_ip false and uses the private subnets.",
    fsbp="ECS.2",
)
def ecs_no_public_ip(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "networkConfiguration", "assignPublicIp") is True:
        yield "assignPublicIp is true"


@resource_rule(
    "scheduler-ecs-tasks-without-public-ip",
    concern="network-exposure",
    severity=Severity.HIGH,
    types=[t.SCHEDULER_SCHEDULE],
    description="Tasks an EventBridge Scheduler schedule starts on ECS get no public IP address.",
    remediation="ScheduledJob runs the task in the service's private subnets with assign_public_ip false.",
)
def scheduler_ecs_no_public_ip(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "target", "ecsParameters", "networkConfiguration", "assignPublicIp") is True:
        yield "target.ecsParameters.networkConfiguration.assignPublicIp is true"


@stack_rule(
    "default-security-group-has-no-rules",
    concern="network-exposure",
    severity=Severity.HIGH,
    description=(
        "Every VPC's default security group allows no traffic: it is adopted with no rules (left alone, "
        "AWS's default group admits all traffic from its members and lets everything out)."
    ),
    remediation="SecureVpc adopts the default security group with no ingress and no egress rules.",
    fsbp="EC2.2",
)
def default_sg_empty(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    adopted = list(resources_of(resources, t.DEFAULT_SECURITY_GROUP))
    for group in adopted:
        if as_list(get(group.props, "ingress")) or as_list(get(group.props, "egress")):
            yield "the default security group has rules", group.urn
    for vpc in resources_of(resources, t.VPC):
        if not any(vpc in joined(group, "vpcId") for group in adopted):
            yield (
                "the VPC's default security group is not adopted (aws.ec2.DefaultSecurityGroup with no rules): "
                "it keeps AWS's allow-all rules",
                vpc.urn,
            )


@resource_rule(
    "subnets-without-public-ip-on-launch",
    concern="network-exposure",
    severity=Severity.MEDIUM,
    types=[t.SUBNET],
    description="Only public subnets may assign public IPs on launch.",
    remediation=(
        "SecureVpc never sets map_public_ip_on_launch; NAT gateways and the ALB get their addresses explicitly."
    ),
    fsbp="EC2.15",
)
def subnet_no_public_ip(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "mapPublicIpOnLaunch") is True and get(props, "tags", "Tier") != "public":
        yield "a non-public subnet assigns public IPs on launch"


@stack_rule(
    "s3-bucket-public-access-blocked",
    concern="network-exposure",
    severity=Severity.CRITICAL,
    description="Every bucket has all four S3 public-access blocks.",
    remediation="Create buckets with the StaticSite component, which always adds the public-access block.",
    fsbp="S3.8",
    cdk_nag="AwsSolutions-S2",
)
def s3_public_access_blocked(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    for bucket in resources_of(resources, t.BUCKET):
        blocks = [b for b in resources_of(resources, t.BUCKET_PUBLIC_ACCESS_BLOCK) if bucket in joined(b, "bucket")]
        if not any(all(get(b.props, flag) is True for flag in flags) for b in blocks):
            yield "bucket lacks a public-access block with all four settings true", bucket.urn


@resource_rule(
    "s3-bucket-policy-grants-no-public-access",
    concern="network-exposure",
    severity=Severity.CRITICAL,
    types=[t.BUCKET_POLICY, t.ECR_REPOSITORY_POLICY, t.BUCKET, t.BUCKET_ACL],
    description=(
        "Bucket and repository policies allow no anonymous principal unless a condition pins the caller "
        "(S3's own test of 'public'), and no canned ACL or grant opens a bucket to all or authenticated users."
    ),
    remediation="Grant a service principal with an aws:SourceArn condition (StaticSite's OAC statement does).",
    fsbp="S3.2, S3.3",
    cdk_nag="AwsSolutions-S5, AwsSolutions-ECR1",
)
def policy_not_public(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    for statement in statements(get(props, "policy")):  # a BucketPolicy's, or a Bucket's inline one
        anyone = {("*", "*"), ("AWS", "*")} & set(principals(statement))
        if allows(statement) and anyone and not _pins_the_caller(statement):
            yield f"statement {statement.get('Sid', '?')} allows anyone"
    acl = get(props, "acl")
    if acl in PUBLIC_ACLS:
        yield f"the canned ACL {acl} opens the bucket"
    for grant in as_list(get(props, "accessControlPolicy", "grants")):
        if get(grant, "grantee", "uri") in PUBLIC_GRANTEES:
            yield f"an ACL grant gives {get(grant, 'permission')} to {get(grant, 'grantee', 'uri')}"
    for grant in as_list(get(props, "grants")):  # a Bucket's own (deprecated) grants
        if get(grant, "uri") in PUBLIC_GRANTEES:
            yield f"an ACL grant gives {', '.join(map(str, as_list(get(grant, 'permissions'))))} to {get(grant, 'uri')}"


PUBLIC_ACLS = ("public-read", "public-read-write", "authenticated-read")
PUBLIC_GRANTEES = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)
# Condition keys that S3 Block Public Access accepts as making a grant to "*" non-public, when
# they are given fixed values (Amazon S3 User Guide, "The meaning of 'public'").
PINNING_KEYS = frozenset(
    {
        "aws:sourcearn",
        "aws:sourceaccount",
        "aws:sourceowner",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:sourceip",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalservicename",
        "aws:userid",
        "s3:dataaccesspointarn",
        "s3:dataaccesspointaccount",
    }
)
# S3 holds a value "fixed" only if it has no wildcard and no policy variable, and an aws:SourceIp
# range only if it is no wider than an IPv4 /8 (IPv6 /32).
WILDCARDS = ("*", "?", "${")
WIDEST_PREFIX = {4: 8, 6: 32}


def _fixed(key: str, value: Any) -> bool:
    if value is UNKNOWN:
        return True  # an output of the stack (an ARN, an account id) is one value, never a pattern
    text = str(value)
    if any(mark in text for mark in WILDCARDS):
        return False
    if key == "aws:sourceip":
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            return False
        return network.prefixlen >= WIDEST_PREFIX[network.version]
    return True


def _pins_the_caller(statement: Mapping[str, Any]) -> bool:
    """Whether a condition restricts who may call to fixed values: a pinning key under a positive
    operator (StringEquals, ArnLike, IpAddress...; not a Not..., ...IfExists or ForAllValues: one,
    which an empty request satisfies), every value fixed (no `*`, `?` or `${...}`; an IP range no
    wider than /8). Any other condition (aws:SecureTransport, s3:prefix) leaves it public."""
    condition = statement.get("Condition")
    if not isinstance(condition, Mapping):
        return False
    for operator, block in condition.items():
        name = str(operator)
        negative = "Not" in name or name.endswith("IfExists") or name == "Null"
        if negative or name.startswith("ForAllValues:") or not isinstance(block, Mapping):
            continue
        for key in block:
            lowered = str(key).lower()
            values = as_list(peek(block, str(key)))
            if lowered in PINNING_KEYS and values and all(_fixed(lowered, v) for v in values):
                return True
    return False


@resource_rule(
    "lambda-not-publicly-invokable",
    concern="network-exposure",
    severity=Severity.CRITICAL,
    types=[t.LAMBDA_PERMISSION],
    description=(
        "Lambda permissions grant no anonymous principal unless a fixed source account, ARN or organization pins "
        "the caller, and grant a service principal only with the source that may call (the confused deputy)."
    ),
    remediation="Give the permission a source_arn (ServerlessApi names each route's execute-api ARN).",
    fsbp="Lambda.1",
)
def lambda_not_public(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    principal = peek(props, "principal", default="")
    if principal is UNKNOWN:
        return  # an account or role of the stack, never "*"
    if principal == "*":
        pins = {key: peek(props, key) for key in ("sourceArn", "sourceAccount", "principalOrgId")}
        if not any(value is not None and _fixed(key.lower(), value) for key, value in pins.items()):
            yield "principal '*' lets anyone invoke the function"
    elif str(principal).endswith(".amazonaws.com") and not (
        is_set(props, "sourceArn") or is_set(props, "sourceAccount")
    ):
        yield f"{principal} may invoke the function for any account's resources: no sourceArn or sourceAccount"
    elif principal == "s3.amazonaws.com" and not is_set(props, "sourceAccount"):
        # A bucket's ARN names no account: once deleted, its name is anyone's (FSBP Lambda.1 asks this).
        yield "s3.amazonaws.com without sourceAccount: a bucket ARN names no account, and a freed name is anyone's"


@resource_rule(
    "secret-policy-blocks-public-policies",
    concern="network-exposure",
    severity=Severity.HIGH,
    types=[t.SECRET_POLICY],
    description=(
        "Secret resource policies are put with BlockPublicPolicy, so Secrets Manager refuses one that grants broad "
        "access (a wildcard principal)."
    ),
    remediation="Set block_public_policy on every SecretPolicy (AppSecret does).",
)
def secret_policy_blocks_public(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "blockPublicPolicy") is not True:
        yield "blockPublicPolicy is not true: Secrets Manager accepts a public policy (its default)"


@resource_rule(
    "cloudfront-s3-origins-use-oac",
    concern="network-exposure",
    severity=Severity.HIGH,
    types=[t.DISTRIBUTION],
    description="S3 origins are read through Origin Access Control, not an OAI or a public bucket.",
    remediation="EdgeDistribution creates an OriginAccessControl for every S3 origin.",
    fsbp="CloudFront.13",
    cdk_nag="AwsSolutions-CFR7",
)
def s3_origin_oac(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    for origin in as_list(get(props, "origins")):
        domain = peek(origin, "domainName", default="")
        if domain is UNKNOWN:
            # Not known yet (a bucket of the stack, say): an origin with OAC, or with a custom or
            # VPC origin config, is fine whatever it is; anything else may be a bare bucket.
            if is_set(origin, "originAccessControlId") or is_set(origin, "customOriginConfig"):
                continue
            if is_set(origin, "vpcOriginConfig"):
                continue
            domain = str(get(origin, "domainName"))  # raises: the engine reports it undecided
        domain = str(domain)
        if ".s3-website" in domain:  # bucket.s3-website-<region>... or bucket.s3-website.<region>...
            yield f"origin {get(origin, 'originId')} is a public S3 website endpoint (no OAC can protect it)"
            continue
        if ".s3." not in domain and not domain.endswith(".s3.amazonaws.com"):
            continue
        if get(origin, "s3OriginConfig", "originAccessIdentity"):
            yield f"origin {get(origin, 'originId')} uses a legacy origin access identity"
        elif not get(origin, "originAccessControlId"):
            yield f"origin {get(origin, 'originId')} reads the bucket without Origin Access Control"


@resource_rule(
    "ec2-imdsv2-required",
    concern="network-exposure",
    severity=Severity.HIGH,
    types=[t.EC2_INSTANCE, t.LAUNCH_TEMPLATE],
    description="Instances accept only IMDSv2 (session tokens) with a hop limit of 1.",
    remediation="SecureVpc's NAT instance sets metadata_options http_tokens required and hop limit 1.",
    fsbp="EC2.8",
)
def imdsv2_required(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    options = get(props, "metadataOptions")
    if options is None and is_set(props, "launchTemplate"):
        return  # an instance launched from a template takes its metadata options (the template is judged)
    options = options or {}
    if get(options, "httpEndpoint") == "disabled":
        return
    if get(options, "httpTokens") != "required":
        yield "metadataOptions.httpTokens is not required: IMDSv1 answers unauthenticated requests"
    hops = get(options, "httpPutResponseHopLimit")
    if hops is None:
        # Left out, the limit comes from the AMI or the account's defaults: 2 for AMIs marked
        # ImdsSupport v2.0 (Amazon Linux 2023), which lets containers on the host reach the tokens.
        yield "metadataOptions.httpPutResponseHopLimit is not set: the AMI's default may be 2"
    elif float(hops) > 1:
        yield f"metadataOptions.httpPutResponseHopLimit is {float(hops):g}: tokens reach containers and forwarded hosts"


def _interfaces_associate(template: PolicyResource, value: str) -> bool:
    """Whether a launch template's network interfaces set associatePublicIpAddress to ``value``."""
    interfaces = as_list(get(template.props, "networkInterfaces"))
    return any(str(get(i, "associatePublicIpAddress")).lower() == value for i in interfaces)


def _public_address_sources(instance: PolicyResource, resources: list[PolicyResource]) -> list[str]:
    """How an instance gets a public IPv4 address, if it does."""
    props = instance.props
    sources = []
    if get(props, "associatePublicIpAddress") is True:
        sources.append("associatePublicIpAddress")
    elif get(props, "associatePublicIpAddress") is None:
        placed = ("subnetId", "launchTemplate", "networkInterfaces", "primaryNetworkInterface")
        if not any(is_set(props, key) for key in placed):
            sources.append("the default VPC's subnet (no subnetId), which maps public IPs on launch")
        if any(get(s.props, "mapPublicIpOnLaunch") is True for s in joined(instance, "subnetId")):
            sources.append("its subnet's mapPublicIpOnLaunch")
        for template in joined(instance, "launchTemplate"):
            if _interfaces_associate(template, "true"):
                sources.append("its launch template's network interface")
            elif any(
                s.resource_type == t.SUBNET and get(s.props, "mapPublicIpOnLaunch") is True
                for s in joined(template, "networkInterfaces")
            ) and not _interfaces_associate(template, "false"):
                sources.append("its launch template's subnet's mapPublicIpOnLaunch")
    for eip in resources_of(resources, t.EIP, t.EIP_ASSOCIATION):
        # By instance id, or by its network interface (the ENI id comes from the instance).
        owners = [*joined(eip, "instance"), *joined(eip, "instanceId")]
        owners += [*joined(eip, "networkInterface"), *joined(eip, "networkInterfaceId")]
        if instance in owners:
            sources.append("an Elastic IP")
    return sources


@stack_rule(
    "ec2-public-ip-only-on-nat-instances",
    concern="network-exposure",
    severity=Severity.CRITICAL,
    description=(
        "Only a NAT instance (source/destination check off) has a public IP, however it gets one (at launch, "
        "from its subnet or launch template, or an Elastic IP), and it carries no SSH key and no instance profile."
    ),
    remediation="Run workloads on Fargate in the private subnets; SecureVpc's NAT instance is the only exception.",
    fsbp="EC2.9",
)
def public_ip_only_on_nat(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for template in resources_of(resources, t.LAUNCH_TEMPLATE):
        if _interfaces_associate(template, "true"):
            yield "gives its instances public IPs (an Auto Scaling group's instances are never the NAT)", template.urn
    for instance in resources_of(resources, t.EC2_INSTANCE):
        sources = _public_address_sources(instance, resources)
        if not sources:
            continue
        props, how = instance.props, " and ".join(sources)
        if get(props, "sourceDestCheck") is not False:
            yield f"has a public IP ({how}) but is not a NAT instance (sourceDestCheck is on)", instance.urn
        if get(props, "keyName"):
            yield f"has a public IP ({how}) and the SSH key pair {get(props, 'keyName')}", instance.urn
        if get(props, "iamInstanceProfile"):
            yield (
                f"has a public IP ({how}) and an instance profile: its credentials sit on an internet-facing host",
                (instance.urn),
            )
