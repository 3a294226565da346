"""What the architecture picture shows, derived from a plan alone (no Graphviz): the nodes, where
each sits (the edge, the region, the VPC, or one AZ's public, private or isolated tier) and the
arrows between them, labelled with the facts a reviewer checks."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from webstack.diagram.account import account_edges, account_nodes
from webstack.diagram.elements import (
    TIERS,
    Edge,
    Node,
    Place,
    State,
    deps,
    deps_of_type,
    name_of,
    of_type,
    role_policies,
)
from webstack.diagram.observe import observe_edges, observe_nodes
from webstack.diagram.recovery import copy_region, recovery_edges, recovery_nodes
from webstack.diagram.serverless import serverless_edges, serverless_nodes
from webstack.program.schedule_hours import database_schedules

__all__ = ["TIERS", "Architecture", "Edge", "Node", "Place", "build_architecture"]


# What runs in a VPC: a plan holding none of these (a serverless one) is drawn without a VPC.
IN_A_VPC = (
    "aws:ec2/vpc:Vpc",
    "aws:ec2/subnet:Subnet",
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:ecs/service:Service",
    "aws:rds/instance:Instance",
    "aws:elasticache/replicationGroup:ReplicationGroup",
)


@dataclass
class Architecture:
    """The picture: ``vpc_label`` is None and ``az_count`` 0 for a plan with nothing in a VPC."""

    title: str
    region: str
    vpc_label: str | None
    az_count: int
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    copy_region: str | None = None  # the second region of the backups' copies and the replicas

    def node(self, node_id: str) -> Node:
        return next(n for n in self.nodes if n.id == node_id)

    def in_place(self, place: Place) -> list[Node]:
        return [n for n in self.nodes if n.place == place]


def _az_of_subnet(urn: str) -> int:
    """SecureVpc names subnets <name>-<tier>-<az index>."""
    found = re.search(r"-(\d+)$", name_of(urn))
    return int(found.group(1)) if found else 0


def _region(states: Mapping[str, State]) -> str:
    providers = of_type(states, "pulumi:providers:aws")
    return str(providers[0]["inputs"].get("region", "")) if providers else ""


def _vpc_label(states: Mapping[str, State]) -> str | None:
    """The VPC cluster's title: its CIDR, just "VPC" for one the plan uses but does not create, or
    None when nothing of the plan runs in a VPC."""
    vpcs = of_type(states, "aws:ec2/vpc:Vpc")
    if vpcs:
        return f"VPC {vpcs[0]['inputs'].get('cidrBlock', '')}"
    return "VPC" if any(of_type(states, t) for t in IN_A_VPC) else None


def _subnets(states: Mapping[str, State]) -> Iterator[Node]:
    for subnet in of_type(states, "aws:ec2/subnet:Subnet"):
        tier = (subnet["inputs"].get("tags") or {}).get("Tier")
        if tier in TIERS:
            az = _az_of_subnet(subnet["urn"])
            yield Node(
                name_of(subnet["urn"]), "subnet", str(subnet["inputs"].get("cidrBlock", "")), Place("subnet", az, tier)
            )


def _nats(states: Mapping[str, State]) -> Iterator[Node]:
    for gateway in of_type(states, "aws:ec2/natGateway:NatGateway"):
        az = min((_az_of_subnet(u) for u in deps(gateway, "subnetId")), default=0)
        yield Node(name_of(gateway["urn"]), "nat_gateway", "NAT gateway", Place("subnet", az, "public"))
    for instance in of_type(states, "aws:ec2/instance:Instance"):
        if instance["inputs"].get("sourceDestCheck") is False:
            az = min((_az_of_subnet(u) for u in deps(instance, "subnetId")), default=0)
            label = f"NAT instance\n{instance['inputs'].get('instanceType', '')}"
            yield Node(name_of(instance["urn"]), "nat_instance", label, Place("subnet", az, "public"))


def _task_size(service: State, states: Mapping[str, State]) -> str:
    reference = deps(service, "taskDefinition")
    task = next((s["inputs"] for urn, s in states.items() if urn in reference), {})
    arch = (task.get("runtimePlatform") or {}).get("cpuArchitecture", "")
    return f"{float(task.get('cpu', 0)) / 1024:g} vCPU / {float(task.get('memory', 0)) / 1024:g} GB {arch}"


def _scaling(service: State, states: Mapping[str, State]) -> str:
    name = str(service["inputs"].get("name", ""))
    target = next(
        (
            s["inputs"]
            for s in of_type(states, "aws:appautoscaling/target:Target")
            if str(s["inputs"].get("resourceId", "")).endswith(f"/{name}")
        ),
        {},
    )
    return f"{target.get('minCapacity', 0):g}-{target.get('maxCapacity', 0):g} tasks"


def _spot_label(strategies: list[Mapping[str, object]]) -> str:
    """ " Spot" for a service on Fargate Spot, " (Spot above N)" with an on-demand base of N tasks."""
    if not strategies:
        return ""
    base = sum(float(s.get("base") or 0) for s in strategies if s.get("capacityProvider") == "FARGATE")  # type: ignore[arg-type]
    return f" (Spot above {base:g})" if base else " Spot"


def _services(states: Mapping[str, State], az_count: int) -> Iterator[Node]:
    """Each service's tasks, drawn in the private tier of every AZ they spread over."""
    for service in of_type(states, "aws:ecs/service:Service"):
        spot = _spot_label(service["inputs"].get("capacityProviderStrategies") or [])
        worker = "" if service["inputs"].get("loadBalancers") else " (worker)"
        label = (
            f"{service['inputs'].get('name', '')}{worker}\nFargate{spot} {_task_size(service, states)}\n"
            f"{_scaling(service, states)}"
        )
        for az in range(az_count):
            yield Node(f"{name_of(service['urn'])}@{az}", "fargate", label, Place("subnet", az, "private"))


def _database_label(state: State, states: Mapping[str, State], role: str) -> str:
    inputs = state["inputs"]
    stopped = database_schedules(states.values(), str(inputs.get("identifier", "")))["stop"]
    schedule = "\nstopped out of hours" if stopped else ""
    version = f" {inputs['engineVersion']}" if inputs.get("engineVersion") else ""
    return f"RDS PostgreSQL{version}\n{inputs.get('instanceClass', '')} {role}{schedule}"


def _databases(states: Mapping[str, State], az_count: int) -> Iterator[Node]:
    """The primary in the first AZ, its Multi-AZ standby in the second, replicas after."""
    instances = of_type(states, "aws:rds/instance:Instance")
    replica_index = 1
    for instance in instances:
        inputs = instance["inputs"]
        if inputs.get("replicateSourceDb"):
            az, role = replica_index % az_count, "read replica"
            replica_index += 1
        else:
            az, role = 0, "primary (Multi-AZ)" if inputs.get("multiAz") else "primary"
        yield Node(
            name_of(instance["urn"]), "rds", _database_label(instance, states, role), Place("subnet", az, "isolated")
        )
        if not inputs.get("replicateSourceDb") and inputs.get("multiAz") and az_count > 1:
            label = _database_label(instance, states, "standby")
            yield Node(f"{name_of(instance['urn'])}-standby", "rds", label, Place("subnet", 1, "isolated"))


def _token_rotation(group: State, states: Mapping[str, State]) -> str:
    """ "AUTH token rotated every N days" when a rotation schedule names a secret of the cache's component."""
    for rotation in of_type(states, "aws:secretsmanager/secretRotation:SecretRotation"):
        secrets = [states[urn] for urn in deps(rotation, "secretId") if urn in states]
        if any(secret.get("parent") == group.get("parent") for secret in secrets):
            days = (rotation["inputs"].get("rotationRules") or {}).get("automaticallyAfterDays")
            return (
                f"\nAUTH token rotated every {days:g} days"
                if isinstance(days, (int, float))
                else "\nAUTH token rotated"
            )
    return ""


def _caches(states: Mapping[str, State], az_count: int) -> Iterator[Node]:
    for group in of_type(states, "aws:elasticache/replicationGroup:ReplicationGroup"):
        inputs = group["inputs"]
        nodes = int(inputs.get("numCacheClusters", 1))
        base = f"ElastiCache {inputs.get('engine', '')} {inputs.get('engineVersion', '')}\n{inputs.get('nodeType', '')}"
        rotation = _token_rotation(group, states)
        for index in range(nodes):
            role = "primary" + rotation if index == 0 else "replica"
            node_id = name_of(group["urn"]) if index == 0 else f"{name_of(group['urn'])}-replica-{index}"
            yield Node(node_id, "elasticache", f"{base} {role}", Place("subnet", index % az_count, "isolated"))


def _is_global(acl: State) -> bool:
    """A web ACL for CloudFront (drawn at the edge); a REGIONAL one guards a regional resource."""
    return acl["inputs"].get("scope", "CLOUDFRONT") == "CLOUDFRONT"


def _web_acls(states: Mapping[str, State]) -> Iterator[Node]:
    for acl in of_type(states, "aws:wafv2/webAcl:WebAcl"):
        rules = len(acl["inputs"].get("rules") or [])
        if _is_global(acl):
            yield Node(name_of(acl["urn"]), "waf", f"WAF ({rules} rules)", Place("edge"))
        else:
            yield Node(name_of(acl["urn"]), "waf", f"WAF regional ({rules} rules)", Place("region"))


def _edge_nodes(states: Mapping[str, State]) -> Iterator[Node]:
    if not of_type(states, "aws:cloudtrail/trail:Trail"):  # an account baseline serves nobody
        default = any(
            (d["inputs"].get("viewerCertificate") or {}).get("cloudfrontDefaultCertificate")
            for d in of_type(states, "aws:cloudfront/distribution:Distribution")
        )
        label = "Viewers (HTTPS, *.cloudfront.net)" if default else "Viewers (HTTPS)"
        yield Node("users", "users", label, Place("edge"))
    for zone in of_type(states, "aws:route53/zone:Zone"):
        yield Node(name_of(zone["urn"]), "route53", f"Route 53\n{zone['inputs'].get('name', '')}", Place("edge"))
    if not of_type(states, "aws:route53/zone:Zone") and of_type(states, "aws:route53/record:Record"):
        yield Node("zone", "route53", "Route 53\n(existing zone)", Place("edge"))
    for distribution in of_type(states, "aws:cloudfront/distribution:Distribution"):
        hosts = "\n".join(distribution["inputs"].get("aliases") or [])
        yield Node(name_of(distribution["urn"]), "cloudfront", f"CloudFront\n{hosts}", Place("edge"))


def _regional_nodes(states: Mapping[str, State]) -> Iterator[Node]:
    for bucket in of_type(states, "aws:s3/bucket:Bucket"):
        if bucket["inputs"].get("region"):
            continue  # a replica: drawn in the copy region (recovery.py)
        data_class = (bucket["inputs"].get("tags") or {}).get("DataClass", "")
        label = f"S3 {name_of(bucket['urn']).removesuffix('-bucket')}\n{data_class}"
        yield Node(name_of(bucket["urn"]), "s3", label, Place("region"))
    alarms = of_type(states, "aws:cloudwatch/metricAlarm:MetricAlarm")
    if alarms:
        yield Node("alarms", "alarms", f"CloudWatch\n{len(alarms)} alarms", Place("region"))
    for topic in of_type(states, "aws:sns/topic:Topic"):
        yield Node(name_of(topic["urn"]), "sns", "SNS alert topic (KMS)", Place("region"))


def _load_balancers(states: Mapping[str, State]) -> Iterator[Node]:
    listeners = of_type(states, "aws:lb/listener:Listener")
    for balancer in of_type(states, "aws:lb/loadBalancer:LoadBalancer"):
        scheme = "internal, private subnets" if balancer["inputs"].get("internal") else "public subnets"
        # What CloudFront reaches: HTTPS 443, or HTTP 80 for a stack without a custom domain.
        secure = any(
            listener["inputs"].get("protocol") == "HTTPS"
            for listener in listeners
            if balancer["urn"] in deps(listener, "loadBalancerArn")
        )
        front = "HTTPS 443" if secure else "HTTP 80"
        yield Node(name_of(balancer["urn"]), "alb", f"ALB ({scheme})\n{front} from CloudFront only", Place("vpc"))


def _cloudfront_edges(states: Mapping[str, State], zone: str | None) -> Iterator[Edge]:
    records = of_type(states, "aws:route53/record:Record")
    for distribution in of_type(states, "aws:cloudfront/distribution:Distribution"):
        source = name_of(distribution["urn"])
        if zone is not None:
            yield Edge(zone, source, "alias A/AAAA")
        if distribution["inputs"].get("webAclId"):
            named = deps(distribution, "webAclId")
            for acl in of_type(states, "aws:wafv2/webAcl:WebAcl"):
                if acl["urn"] in named or (not named and _is_global(acl)):
                    yield Edge(name_of(acl["urn"]), source, "protects")
        for origin in deps(distribution, "origins"):
            kind = states.get(origin, {}).get("type")
            if kind == "aws:s3/bucket:Bucket":
                yield Edge(source, name_of(origin), "OAC")
            elif kind == "aws:cloudfront/vpcOrigin:VpcOrigin":
                endpoint = states[origin]["inputs"].get("vpcOriginEndpointConfig") or {}
                protocol = "HTTP" if endpoint.get("originProtocolPolicy") == "http-only" else "HTTPS"
                for target in deps(states[origin], "vpcOriginEndpointConfig"):
                    yield Edge(source, name_of(target), f"VPC origin, {protocol} + secret header")
        custom = {
            o.get("domainName") for o in distribution["inputs"].get("origins") or [] if o.get("customOriginConfig")
        }
        for record in records:
            if record["inputs"].get("name") in custom:
                for target in deps(record, "aliases"):
                    yield Edge(source, name_of(target), "HTTPS + secret header")


def _buckets_of(service: State, states: Mapping[str, State]) -> set[str]:
    """The buckets a service's task role may use: its task definition's task role, that role's
    policies, and the buckets those policies were written from."""
    definitions = deps(service, "taskDefinition")
    roles = {r for urn in definitions if urn in states for r in deps(states[urn], "taskRoleArn")}
    return {
        urn for p in role_policies(states, roles) for urn in deps_of_type(states, p, "policy", "aws:s3/bucket:Bucket")
    }


def _service_edges(states: Mapping[str, State], az_count: int) -> Iterator[Edge]:
    stores = [
        (store, deps(store, key))
        for store_type, key in (
            ("aws:rds/instance:Instance", "vpcSecurityGroupIds"),
            ("aws:elasticache/replicationGroup:ReplicationGroup", "securityGroupIds"),
        )
        for store in of_type(states, store_type)
        if not store["inputs"].get("replicateSourceDb")
    ]
    rules = of_type(states, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    for service in of_type(states, "aws:ecs/service:Service"):
        first = f"{name_of(service['urn'])}@0"
        if service["inputs"].get("loadBalancers"):
            for balancer in of_type(states, "aws:lb/loadBalancer:LoadBalancer"):
                for az in range(az_count):
                    yield Edge(
                        name_of(balancer["urn"]), f"{name_of(service['urn'])}@{az}", "container port" if az == 0 else ""
                    )
        task_groups = deps(service, "networkConfiguration")
        for rule in rules:
            if deps(rule, "referencedSecurityGroupId") & task_groups:
                for store, groups in stores:
                    if deps(rule, "securityGroupId") & groups:
                        yield Edge(first, name_of(store["urn"]), f"TLS :{rule['inputs'].get('fromPort', 0):g}")
        for bucket in sorted(_buckets_of(service, states)):
            yield Edge(first, name_of(bucket), "task role")


def _ecs_schedules(states: Mapping[str, State]) -> list[State]:
    """Schedules that start ECS tasks (scheduled jobs), not those that stop and start a database."""
    return [s for s in of_type(states, "aws:scheduler/schedule:Schedule") if (s["inputs"].get("target") or {}).get(
        "ecsParameters")]  # fmt: skip


def _jobs(states: Mapping[str, State]) -> Iterator[Node]:
    for schedule in _ecs_schedules(states):
        inputs = schedule["inputs"]
        when = f"{inputs.get('scheduleExpression', '')} {inputs.get('scheduleExpressionTimezone', 'UTC')}"
        label = f"Scheduler {name_of(schedule['urn']).removesuffix('-job-schedule')}\n{when}"
        yield Node(name_of(schedule["urn"]), "scheduler", label, Place("region"))


def _job_edges(states: Mapping[str, State]) -> Iterator[Edge]:
    """Each scheduled job to the first task of the service whose task definition it runs."""
    for schedule in _ecs_schedules(states):
        runs = deps(schedule, "target")
        for service in of_type(states, "aws:ecs/service:Service"):
            if deps(service, "taskDefinition") & runs:
                yield Edge(name_of(schedule["urn"]), f"{name_of(service['urn'])}@0", "RunTask")


def build_architecture(plan: Mapping[str, Any], title: str) -> Architecture:
    """The picture's content for one plan (`webstack plan` output or `pulumi preview --json`)."""
    states = {s["newState"]["urn"]: s["newState"] for s in plan["steps"] if "newState" in s}
    vpc_label = _vpc_label(states)
    subnets = list(_subnets(states))
    az_count = max((n.place.az or 0 for n in subnets), default=0) + 1 if vpc_label else 0
    architecture = Architecture(title, _region(states), vpc_label, az_count, copy_region=copy_region(states))
    architecture.nodes = [
        *_edge_nodes(states),
        *_web_acls(states),
        *_regional_nodes(states),
        *observe_nodes(states),
        *_jobs(states),
        *serverless_nodes(states),
        *account_nodes(states),
        *_load_balancers(states),
        *subnets,
        *_nats(states),
        *_services(states, az_count),
        *_databases(states, az_count),
        *_caches(states, az_count),
        *recovery_nodes(states),
    ]
    zone = next((n.id for n in architecture.nodes if n.kind == "route53"), None)
    edges = [Edge("users", zone or "users", "DNS")] if zone else []
    edges += [Edge("users", n.id, "HTTPS") for n in architecture.nodes if n.kind == "cloudfront" and zone is None]
    edges += list(_cloudfront_edges(states, zone))
    edges += list(_service_edges(states, az_count))
    edges += list(_job_edges(states))
    edges += list(serverless_edges(states, zone))
    edges += list(recovery_edges(states))
    edges += list(observe_edges(states))
    edges += list(account_edges(states))
    edges += [Edge("alarms", n.id, "notify") for n in architecture.nodes if n.kind == "sns" and any(
        m.kind == "alarms" for m in architecture.nodes)]  # fmt: skip
    known = {n.id for n in architecture.nodes}
    architecture.edges = [e for e in dict.fromkeys(edges) if e.source in known and e.target in known]
    return architecture
