"""`webstack diagram`: the architecture of a plan as Graphviz DOT and PNG, one cluster per component."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import graphviz

from webstack.program.schedule_hours import database_schedules

State = Mapping[str, Any]

# Resource types drawn as nodes (the rest of a component is summarised in its cluster label).
DRAWN = {
    "aws:ec2/vpc:Vpc",
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/instance:Instance",
    "aws:rds/instance:Instance",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:ecs/service:Service",
    "aws:ecr/repository:Repository",
    "aws:s3/bucket:Bucket",
    "aws:cloudfront/distribution:Distribution",
    "aws:wafv2/webAcl:WebAcl",
    "aws:sns/topic:Topic",
}
COLORS = {
    "SecureVpc": "#e8f0fe",
    "ManagedPostgres": "#e6f4ea",
    "RedisCache": "#fce8e6",
    "FargateApi": "#fef7e0",
    "StaticSite": "#f3e8fd",
    "EdgeDomain": "#e4f7fb",
    "EdgeDistribution": "#e4f7fb",
    "AlertTopic": "#f1f3f4",
}


@dataclass(frozen=True)
class Diagram:
    dot: str
    graph: graphviz.Digraph


def _node_id(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def _outermost_component(urn: str, states: Mapping[str, State]) -> State | None:
    state, found = states.get(urn), None
    while state is not None and state["type"] != "pulumi:pulumi:Stack":
        if not state.get("custom"):
            found = state
        state = states.get(state.get("parent", ""))
    return found


def _vpc(i: State, states: Mapping[str, State]) -> str:
    tiers: dict[str, list[str]] = {}
    for s in states.values():
        if s["type"] == "aws:ec2/subnet:Subnet":
            tier = (s["inputs"].get("tags") or {}).get("Tier", "?")
            tiers.setdefault(tier, []).append(str(s["inputs"].get("cidrBlock", "")).split("/")[-1])
    lines = [f"{tier}: {len(sizes)} x /{sizes[0]}" for tier, sizes in sorted(tiers.items())]
    return "VPC " + str(i.get("cidrBlock", "")) + "\n" + "\n".join(lines)


def _database(i: State, states: Mapping[str, State]) -> str:
    role = "read replica" if i.get("replicateSourceDb") else ("Multi-AZ" if i.get("multiAz") else "single-AZ")
    storage = ""
    if i.get("allocatedStorage"):
        storage = f"\n{i.get('allocatedStorage', 0):g}-{i.get('maxAllocatedStorage', 0):g} GB gp3"
    stopped = database_schedules(states.values(), str(i.get("identifier", "")))["stop"]
    schedule = "\nstopped out of hours" if stopped else ""
    return f"RDS PostgreSQL {i.get('engineVersion', '')}\n{i.get('instanceClass', '')} {role}{storage}{schedule}"


def _cache(i: State, states: Mapping[str, State]) -> str:
    failover = " failover" if i.get("automaticFailoverEnabled") else ""
    return (
        f"ElastiCache {i.get('engine', '')} {i.get('engineVersion', '')}\n"
        f"{i.get('nodeType', '')} x {i.get('numCacheClusters', 1):g}{failover}"
    )


def _service(i: State, states: Mapping[str, State]) -> str:
    name = str(i.get("name", ""))
    reference = str(i.get("taskDefinition", ""))
    task = next(
        (
            s["inputs"]
            for s in states.values()
            if s["type"] == "aws:ecs/taskDefinition:TaskDefinition" and f"/{s['inputs'].get('family')}:" in reference
        ),
        {},
    )
    scaling = next(
        (
            s["inputs"]
            for s in states.values()
            if s["type"] == "aws:appautoscaling/target:Target"
            and str(s["inputs"].get("resourceId", "")).endswith(f"/{name}")
        ),
        {},
    )
    arch = (task.get("runtimePlatform") or {}).get("cpuArchitecture", "")
    size = f"{float(task.get('cpu', 0)) / 1024:g} vCPU / {float(task.get('memory', 0)) / 1024:g} GB {arch}"
    spot = " Spot" if i.get("capacityProviderStrategies") else ""
    kind = "worker" if not i.get("loadBalancers") else "service"
    tasks = f"{scaling.get('minCapacity', 0):g}-{scaling.get('maxCapacity', 0):g} tasks"
    return f"ECS Fargate{spot} {kind}\n{name}\n{size}\n{tasks}"


LABELS = {
    "aws:ec2/vpc:Vpc": _vpc,
    "aws:ec2/natGateway:NatGateway": lambda i, s: "NAT gateway",
    "aws:ec2/instance:Instance": lambda i, s: (
        f"NAT instance\n{i.get('instanceType', '')}"
        if i.get("sourceDestCheck") is False
        else f"EC2 {i.get('instanceType')}"
    ),
    "aws:rds/instance:Instance": _database,
    "aws:elasticache/replicationGroup:ReplicationGroup": _cache,
    "aws:lb/loadBalancer:LoadBalancer": lambda i, s: (
        "ALB (internal, private subnets)\nHTTPS 443 from CloudFront only"
        if i.get("internal")
        else "ALB\nHTTPS 443 from CloudFront only"
    ),
    "aws:ecs/service:Service": _service,
    "aws:ecr/repository:Repository": lambda i, s: f"ECR {i.get('name', '')}",
    "aws:cloudfront/distribution:Distribution": lambda i, s: "CloudFront\n" + "\n".join(i.get("aliases") or []),
    "aws:wafv2/webAcl:WebAcl": lambda i, s: f"WAF ({len(i.get('rules') or [])} rules)",
    "aws:sns/topic:Topic": lambda i, s: "SNS alarms (KMS)",
}


def label(state: State, states: Mapping[str, State]) -> str:
    """What a reader needs to know of one resource: kind, size, key settings."""
    if state["type"] == "aws:s3/bucket:Bucket":
        tags = state.get("inputs", {}).get("tags") or {}
        return f"S3 {_node_id(state['urn']).removesuffix('-bucket')}\n{tags.get('DataClass', '')}"
    describe = LABELS.get(state["type"])
    return describe(state.get("inputs", {}), states) if describe else state["type"].split(":")[-1]


def _of_type(states: Mapping[str, State], resource_type: str) -> list[State]:
    return [s for s in states.values() if s["type"] == resource_type]


def _deps(state: State, key: str) -> set[str]:
    return set(state.get("propertyDependencies", {}).get(key, []))


def _edge_edges(states: Mapping[str, State]) -> Iterator[tuple[str, str, str]]:
    """CloudFront to its S3 origins (OAC) and to the ALB (through the origin record); WAF."""
    records = _of_type(states, "aws:route53/record:Record")
    for dist in _of_type(states, "aws:cloudfront/distribution:Distribution"):
        for origin_urn in _deps(dist, "origins"):
            if states.get(origin_urn, {}).get("type") == "aws:s3/bucket:Bucket":
                yield dist["urn"], origin_urn, "OAC"
        custom = {o.get("domainName") for o in dist["inputs"].get("origins") or [] if o.get("customOriginConfig")}
        for record in records:
            if record["inputs"].get("name") in custom:
                for target in _deps(record, "aliases"):
                    yield dist["urn"], target, "HTTPS + secret header"
        # An internal ALB: through the VPC origin that names its ARN.
        for vpc_origin_urn in _deps(dist, "origins"):
            if states.get(vpc_origin_urn, {}).get("type") == "aws:cloudfront/vpcOrigin:VpcOrigin":
                for target in _deps(states[vpc_origin_urn], "vpcOriginEndpointConfig"):
                    yield dist["urn"], target, "VPC origin, HTTPS + secret header"
        if dist["inputs"].get("webAclId"):
            for acl in _of_type(states, "aws:wafv2/webAcl:WebAcl"):
                yield acl["urn"], dist["urn"], "protects"


def _data_edges(states: Mapping[str, State]) -> Iterator[tuple[str, str, str]]:
    """ALB to the service; the service to each data store whose group admits the service's."""
    services = _of_type(states, "aws:ecs/service:Service")
    for balancer in _of_type(states, "aws:lb/loadBalancer:LoadBalancer"):
        for service in services:
            if service["inputs"].get("loadBalancers"):
                yield balancer["urn"], service["urn"], "container port"
    stores = [
        (store, _deps(store, key))
        for store_type, key in (
            ("aws:rds/instance:Instance", "vpcSecurityGroupIds"),
            ("aws:elasticache/replicationGroup:ReplicationGroup", "securityGroupIds"),
        )
        for store in _of_type(states, store_type)
    ]
    for service in services:
        task_groups = _deps(service, "networkConfiguration")
        for rule in _of_type(states, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"):
            if _deps(rule, "referencedSecurityGroupId") & task_groups:
                for store, groups in stores:
                    if _deps(rule, "securityGroupId") & groups:
                        yield service["urn"], store["urn"], f"TLS :{rule['inputs'].get('fromPort', 0):g}"


def _edges(states: Mapping[str, State]) -> Iterator[tuple[str, str, str]]:
    yield from _edge_edges(states)
    yield from _data_edges(states)


def build_diagram(plan: Mapping[str, Any], title: str) -> Diagram:
    states = {s["newState"]["urn"]: s["newState"] for s in plan["steps"] if "newState" in s}
    graph = graphviz.Digraph(
        name=title,
        graph_attr={"rankdir": "LR", "label": title, "fontname": "Helvetica", "labelloc": "t", "fontsize": "20"},
    )
    graph.attr("node", shape="box", style="rounded,filled", fillcolor="white", fontname="Helvetica", fontsize="11")
    graph.attr("edge", fontname="Helvetica", fontsize="9", color="#5f6368")
    graph.node("viewers", "Viewers\n(HTTPS)", shape="ellipse", fillcolor="#ffffff")
    clusters: dict[str, list[State]] = {}
    for state in states.values():
        if state["type"] in DRAWN:
            component = _outermost_component(state["urn"], states)
            key = component["urn"] if component else ""
            clusters.setdefault(key, []).append(state)
    for component_urn, members in sorted(clusters.items()):
        component = states.get(component_urn)
        kind = component["type"].split(":")[-1] if component else "stack"
        name = _node_id(component_urn) if component else "stack"
        count = sum(
            1
            for s in states.values()
            if component and _outermost_component(s["urn"], states) is component and s.get("custom")
        )
        cluster = graphviz.Digraph(name=f"cluster_{name}")
        cluster.attr(label=f"{kind} {name} ({count} resources)", style="rounded,filled",
                     fillcolor=COLORS.get(kind, "#ffffff"), color="#9aa0a6")  # fmt: skip
        for state in members:
            cluster.node(_node_id(state["urn"]), label(state, states))
        graph.subgraph(cluster)
    for dist in (s for s in states.values() if s["type"] == "aws:cloudfront/distribution:Distribution"):
        graph.edge("viewers", _node_id(dist["urn"]))
    for source, target, text in dict.fromkeys(_edges(states)):
        if source in states and target in states:
            graph.edge(_node_id(source), _node_id(target), label=text)
    return Diagram(graph.source, graph)


def write_diagram(diagram: Diagram, out: Path) -> tuple[Path, Path]:
    """``out`` (PNG) and the DOT source beside it (same name, .dot)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    dot_path = out.with_suffix(".dot")
    dot_path.write_text(diagram.dot)
    png = diagram.graph.pipe(format="png")
    out.write_bytes(png)
    return out, dot_path
