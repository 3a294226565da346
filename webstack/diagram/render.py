"""The architecture drawn the way AWS architecture diagrams look, with AWS's icons (the
`diagrams` package, over Graphviz): the edge (viewers, Route 53, CloudFront, WAF), then the
region (buckets, alarms, the serverless API and its functions, tables, user pools and secrets)
with the VPC, if the plan has one, and in each AZ its public, private and isolated subnets. Writes
the PNG and the DOT source beside it, and nothing else."""

from __future__ import annotations

import os
import string
from pathlib import Path
from typing import Any

import diagrams
from diagrams import Cluster, Diagram, Edge, Node
from diagrams.aws.compute import EC2Instance, Fargate, Lambda
from diagrams.aws.cost import Budgets
from diagrams.aws.database import Dynamodb, ElasticacheForRedis, RDSPostgresqlInstance
from diagrams.aws.devtools import XRay
from diagrams.aws.general import Users
from diagrams.aws.integration import SNS, EventbridgeScheduler
from diagrams.aws.management import Cloudtrail, Cloudwatch, CloudwatchAlarm, CloudwatchLogs, Config
from diagrams.aws.network import ALB, APIGateway, CloudFront, NATGateway, PrivateSubnet, PublicSubnet, Route53
from diagrams.aws.security import WAF, Cognito, Guardduty, IAMAccessAnalyzer, SecretsManager, SecurityHub
from diagrams.aws.storage import S3, Backup
from diagrams.saas.alerting import Pagerduty
from diagrams.saas.chat import Slack

from webstack.diagram.model import TIERS, Architecture, Place

# site-packages, which holds resources/: made absolute as `diagrams` makes its icons' paths, symlinks
# kept (a virtualenv reached through a symlink would not match its resolved path).
ICON_ROOT = Path(os.path.abspath(diagrams.__file__)).parent.parent
ICONS: dict[str, type[Node]] = {
    "users": Users,
    "route53": Route53,
    "cloudfront": CloudFront,
    "waf": WAF,
    "alb": ALB,
    "nat_gateway": NATGateway,
    "nat_instance": EC2Instance,
    "fargate": Fargate,
    "rds": RDSPostgresqlInstance,
    "elasticache": ElasticacheForRedis,
    "s3": S3,
    "sns": SNS,
    "alarms": CloudwatchAlarm,
    "apigateway": APIGateway,
    "lambda": Lambda,
    "dynamodb": Dynamodb,
    "cognito": Cognito,
    "secrets": SecretsManager,
    "scheduler": EventbridgeScheduler,
    "backup": Backup,
    "dashboard": Cloudwatch,
    "logs": CloudwatchLogs,
    "slack": Slack,
    "pagerduty": Pagerduty,
    "xray": XRay,
    "cloudtrail": Cloudtrail,
    "guardduty": Guardduty,
    "config": Config,
    "securityhub": SecurityHub,
    "access_analyzer": IAMAccessAnalyzer,
    "budget": Budgets,
}
TIER_ICONS: dict[str, type[Node]] = {"public": PublicSubnet, "private": PrivateSubnet, "isolated": PrivateSubnet}
TIER_TITLES = {"public": "Public subnet", "private": "Private subnet", "isolated": "Isolated subnet (no route out)"}
GRAPH = {"fontsize": "20", "pad": "0.4", "nodesep": "0.5", "ranksep": "1.1", "splines": "spline"}
# A row of functions' labels (name, runtime, concurrency) is wider than their icons: space them.
FUNCTION_ROW = {"nodesep": "1.0"}


def _draw(architecture: Architecture, place: Place, drawn: dict[str, Node]) -> None:
    for node in architecture.in_place(place):
        icon = TIER_ICONS[node.place.tier or "private"] if node.kind == "subnet" else ICONS[node.kind]
        # diagrams annotates **attrs as Dict; Graphviz attributes are strings.
        drawn[node.id] = icon(node.label, nodeid=node.id, fontsize="11")  # pyright: ignore[reportArgumentType]


def _draw_vpc(architecture: Architecture, label: str, drawn: dict[str, Node]) -> None:
    """The VPC: the ALB across the AZs, then each AZ's public, private and isolated subnets."""
    with Cluster(label):
        _draw(architecture, Place("vpc"), drawn)
        for az in range(architecture.az_count):
            with Cluster(f"Availability zone {string.ascii_lowercase[az]}"):
                for tier in TIERS:
                    if architecture.in_place(Place("subnet", az, tier)):
                        with Cluster(TIER_TITLES[tier]):
                            _draw(architecture, Place("subnet", az, tier), drawn)


def write_diagram(architecture: Architecture, out: Path) -> tuple[Path, Path]:
    """``out`` (PNG) and the DOT source beside it (same name, .dot)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    base = out.with_suffix("")
    drawn: dict[str, Node] = {}
    with Diagram(
        architecture.title, filename=str(base), outformat=["png", "dot"], show=False, direction="TB",
        graph_attr=GRAPH | (FUNCTION_ROW if any(n.kind == "lambda" for n in architecture.nodes) else {}),
    ):  # fmt: skip
        with Cluster("Edge (global)"):
            _draw(architecture, Place("edge"), drawn)
        with Cluster(f"AWS Cloud: {architecture.region}" if architecture.region else "AWS Cloud"):
            _draw(architecture, Place("region"), drawn)
            if architecture.vpc_label is not None:
                _draw_vpc(architecture, architecture.vpc_label, drawn)
        if architecture.copy_region is not None:
            with Cluster(f"AWS Cloud: {architecture.copy_region} (copies and replicas)"):
                _draw(architecture, Place("copy_region"), drawn)
        for edge in architecture.edges:
            attributes: dict[str, Any] = {"label": edge.label, "fontsize": "10"}
            if edge.label in ("protects", "request logs"):
                attributes["style"] = "dashed"
            _ = drawn[edge.source] >> Edge(**attributes) >> drawn[edge.target]
    dot = base.with_suffix(".dot")
    # The icons' absolute paths are this machine's: keep them relative to the package folder
    # (render elsewhere with `dot -Gimagepath=<site-packages> -Tpng`).
    dot.write_text(dot.read_text().replace(f"{ICON_ROOT}/", ""))
    return out, dot
