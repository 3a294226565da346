"""The body of a stack's CloudWatch dashboard, computed from a description of the stack's parts.

Pure: a plain dict that ``json.dumps`` sends as PutDashboard's DashboardBody. Each graph names the
region its metrics live in, so one dashboard shows the stack's region beside CloudFront's and the
CLOUDFRONT-scope WAF's metrics, which AWS publishes in us-east-1 only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi

# CloudFront and its web ACLs publish their metrics in us-east-1 (CloudFront's dimension Region is
# "Global"; a CLOUDFRONT-scope web ACL's metrics carry no Region dimension).
GLOBAL_METRICS_REGION = "us-east-1"
GRID_WIDTH = 24  # a dashboard is 24 units wide; widgets are 1-24 wide and 1-1000 high
GRAPH_WIDTH, GRAPH_HEIGHT = 8, 6  # three graphs a row
# PutDashboard: "The maximum length is 255, and valid characters are A-Z, a-z, 0-9, "-", and "_"".
DASHBOARD_NAME = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
# Dashboard Body Structure and Syntax: "an array of between 0 and 500 widget objects".
MOST_WIDGETS = 500
# A graph is one GetMetricData call, which takes at most 500 metric data queries (botocore
# cloudwatch GetMetricData.MetricDataQueries).
MOST_QUERIES_PER_GRAPH = 500
# CloudWatch's always-free tier covers 3 dashboards of up to 50 metrics each (CloudWatch pricing).
FREE_TIER_METRICS = 50
PERIOD_SECONDS = 60


@dataclass(frozen=True)
class DashboardParts:
    """What the stack runs, by the names and ids its metrics are published under. Every part is
    optional; the dashboard has a section for each part given."""

    load_balancer: pulumi.Input[str] | None = None
    """The ALB's ARN suffix (app/<name>/<id>), its metrics' LoadBalancer dimension. Example: alb.arn_suffix."""
    target_groups: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """Service -> its target group's ARN suffix (healthy targets per service). Example: {"api": tg.arn_suffix}."""
    cluster: str | None = None
    """The ECS cluster's name. Example: "acme-prod-api"."""
    services: Sequence[str] = ()
    """ECS service names on that cluster. Example: ("acme-prod-api", "acme-prod-worker")."""
    databases: Sequence[str] = ()
    """RDS DB instance identifiers (primary first, then replicas). Example: ("acme-prod-db",)."""
    cache_nodes: Sequence[str] = ()
    """ElastiCache cluster ids of the replication group's nodes. Example: ("acme-prod-cache-001",)."""
    distributions: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """Host name -> CloudFront distribution id. Example: {"example.com": site.distribution_id}."""
    edge_web_acl: str | None = None
    """The CLOUDFRONT-scope web ACL's metric name. Example: "acme-prod-edge"."""
    regional_web_acl: str | None = None
    """A REGIONAL web ACL's metric name (the serverless API's). Example: "acme-prod-api"."""
    functions: Sequence[str] = ()
    """Lambda function names. Example: ("acme-prod-catalog",)."""
    rest_api: str | None = None
    """The REST API's name (API Gateway's ApiName dimension). Example: "acme-prod"."""
    rest_api_stage: str = "v1"
    """The REST API stage whose metrics are shown. Example: "prod"."""
    table: str | None = None
    """The DynamoDB table's name. Example: "acme-prod"."""


@dataclass(frozen=True)
class Graph:
    title: str
    metrics: list[list[Any]]
    region: str
    stat: str = "Sum"
    unit_label: str = ""


def _metric(namespace: str, name: str, dimensions: Mapping[str, str], **options: Any) -> list[Any]:
    row: list[Any] = [namespace, name]
    for key, value in dimensions.items():
        row += [key, value]
    return [*row, options] if options else row


def _lines(
    title: str, namespace: str, dimensions: Mapping[str, str], region: str, *metrics: tuple[str, str], stat: str = "Sum"
) -> Graph:
    """One graph of several metrics of the same dimensions: (metric name, label) each."""
    return Graph(title, [_metric(namespace, name, dimensions, label=label) for name, label in metrics], region, stat)


def _percentiles(title: str, namespace: str, name: str, dimensions: Mapping[str, str], region: str) -> Graph:
    """The median and the 99th percentile of one metric."""
    return Graph(
        title, [_metric(namespace, name, dimensions, stat=p, label=p) for p in ("p50", "p99")], region, stat="p50"
    )


def _waf(title: str, dimensions: Mapping[str, str], region: str) -> Graph:
    return _lines(
        title, "AWS/WAFV2", dimensions, region, ("BlockedRequests", "blocked"), ("AllowedRequests", "allowed")
    )


def _per(namespace: str, name: str, key: str, values: Sequence[str], **options: Any) -> list[list[Any]]:
    return [_metric(namespace, name, {key: v}, label=v, **options) for v in values]


def _load_balancer_graphs(parts: DashboardParts, region: str) -> list[Graph]:
    if parts.load_balancer is None:
        return []
    lb = {"LoadBalancer": str(parts.load_balancer)}
    namespace = "AWS/ApplicationELB"
    return [
        Graph("ALB requests", [_metric(namespace, "RequestCount", lb, label="requests")], region),
        _lines(
            "ALB 5xx (load balancer and targets)",
            namespace,
            lb,
            region,
            ("HTTPCode_ELB_5XX_Count", "ELB 5xx"),
            ("HTTPCode_Target_5XX_Count", "target 5xx"),
        ),
        _percentiles("Target response time (s)", namespace, "TargetResponseTime", lb, region),
        *(
            [
                Graph(
                    "Healthy targets per service",
                    [
                        _metric(namespace, "HealthyHostCount", {"TargetGroup": str(tg), **lb}, label=service)
                        for service, tg in parts.target_groups.items()
                    ],
                    region,
                    stat="Minimum",
                )
            ]
            if parts.target_groups
            else []
        ),
    ]


def _service_graphs(parts: DashboardParts, region: str) -> list[Graph]:
    if parts.cluster is None or not parts.services:
        return []

    def per_service(namespace: str, name: str) -> list[list[Any]]:
        return [
            _metric(namespace, name, {"ClusterName": str(parts.cluster), "ServiceName": s}, label=s)
            for s in parts.services
        ]

    return [
        Graph("ECS CPU (%)", per_service("AWS/ECS", "CPUUtilization"), region, stat="Average"),
        Graph("ECS memory (%)", per_service("AWS/ECS", "MemoryUtilization"), region, stat="Average"),
        # Container Insights (on in FargateApi's cluster) publishes the running task count.
        Graph("Running tasks", per_service("ECS/ContainerInsights", "RunningTaskCount"), region, stat="Average"),
    ]


def _database_graphs(parts: DashboardParts, region: str) -> list[Graph]:
    if not parts.databases:
        return []
    key, namespace = "DBInstanceIdentifier", "AWS/RDS"
    return [
        Graph("RDS CPU (%)", _per(namespace, "CPUUtilization", key, parts.databases), region, stat="Average"),
        Graph("RDS connections", _per(namespace, "DatabaseConnections", key, parts.databases), region, stat="Maximum"),
        Graph(
            "RDS free storage (bytes)",
            _per(namespace, "FreeStorageSpace", key, parts.databases),
            region,
            stat="Minimum",
        ),
    ]


def _cache_graphs(parts: DashboardParts, region: str) -> list[Graph]:
    if not parts.cache_nodes:
        return []
    key, namespace = "CacheClusterId", "AWS/ElastiCache"
    hit_rate: list[list[Any]] = []
    for index, node in enumerate(parts.cache_nodes):
        hit_rate += [
            _metric(namespace, "CacheHits", {key: node}, id=f"hits{index}", visible=False),
            _metric(namespace, "CacheMisses", {key: node}, id=f"misses{index}", visible=False),
            [{"expression": f"100 * hits{index} / (hits{index} + misses{index})", "label": node, "id": f"rate{index}"}],
        ]
    return [
        Graph("Cache hit rate (%)", hit_rate, region),
        Graph(
            "Cache memory used (% of maxmemory)",
            _per(namespace, "DatabaseMemoryUsagePercentage", key, parts.cache_nodes),
            region,
            stat="Maximum",
        ),
        Graph("Cache evictions", _per(namespace, "Evictions", key, parts.cache_nodes), region),
    ]


def _edge_graphs(parts: DashboardParts) -> list[Graph]:
    graphs = []
    if parts.distributions:

        def per_distribution(name: str) -> list[list[Any]]:
            return [
                _metric("AWS/CloudFront", name, {"DistributionId": str(d), "Region": "Global"}, label=host)
                for host, d in parts.distributions.items()
            ]

        graphs += [
            Graph("CloudFront requests", per_distribution("Requests"), GLOBAL_METRICS_REGION),
            Graph("CloudFront 4xx error rate (%)", per_distribution("4xxErrorRate"), GLOBAL_METRICS_REGION, "Average"),
            Graph("CloudFront 5xx error rate (%)", per_distribution("5xxErrorRate"), GLOBAL_METRICS_REGION, "Average"),
        ]
    if parts.edge_web_acl is not None:
        graphs.append(
            _waf("WAF (CloudFront) requests", {"WebACL": parts.edge_web_acl, "Rule": "ALL"}, GLOBAL_METRICS_REGION)
        )
    return graphs


def _serverless_graphs(parts: DashboardParts, region: str) -> list[Graph]:
    graphs: list[Graph] = []
    if parts.functions:
        key, namespace = "FunctionName", "AWS/Lambda"
        graphs += [
            Graph("Lambda invocations", _per(namespace, "Invocations", key, parts.functions), region),
            Graph("Lambda errors", _per(namespace, "Errors", key, parts.functions), region),
            Graph("Lambda p99 duration (ms)", _per(namespace, "Duration", key, parts.functions), region, stat="p99"),
            Graph("Lambda throttles", _per(namespace, "Throttles", key, parts.functions), region),
        ]
    if parts.rest_api is not None:
        api = {"ApiName": parts.rest_api, "Stage": parts.rest_api_stage}
        graphs += [
            _lines(
                "API requests and errors",
                "AWS/ApiGateway",
                api,
                region,
                ("Count", "requests"),
                ("4XXError", "4xx"),
                ("5XXError", "5xx"),
            ),
            _percentiles("API latency (ms)", "AWS/ApiGateway", "Latency", api, region),
        ]
    if parts.table is not None:
        table = {"TableName": parts.table}
        graphs += [
            _lines(
                "DynamoDB consumed capacity units",
                "AWS/DynamoDB",
                table,
                region,
                ("ConsumedReadCapacityUnits", "read"),
                ("ConsumedWriteCapacityUnits", "write"),
            ),
            _lines(
                "DynamoDB throttled events",
                "AWS/DynamoDB",
                table,
                region,
                ("ReadThrottleEvents", "read"),
                ("WriteThrottleEvents", "write"),
            ),
        ]
    if parts.regional_web_acl is not None:
        acl = {"WebACL": parts.regional_web_acl, "Region": region, "Rule": "ALL"}
        graphs.append(_waf("WAF (API) requests", acl, region))
    return graphs


def dashboard_sections(parts: DashboardParts, region: str) -> list[tuple[str, list[Graph]]]:
    """(section title, graphs) in the order a reader follows a request: edge, load balancer,
    services, data stores, then the serverless parts. Empty sections are left out."""
    sections = [
        ("Edge: CloudFront and WAF", _edge_graphs(parts)),
        ("Load balancer", _load_balancer_graphs(parts, region)),
        ("ECS services", _service_graphs(parts, region)),
        ("Database", _database_graphs(parts, region)),
        ("Cache", _cache_graphs(parts, region)),
        ("Serverless", _serverless_graphs(parts, region)),
    ]
    return [(title, graphs) for title, graphs in sections if graphs]


def _graph_widget(graph: Graph, x: int, y: int) -> dict[str, Any]:
    return {
        "type": "metric",
        "x": x,
        "y": y,
        "width": GRAPH_WIDTH,
        "height": GRAPH_HEIGHT,
        "properties": {
            "title": graph.title,
            "view": "timeSeries",
            "stacked": False,
            "region": graph.region,
            "stat": graph.stat,
            "period": PERIOD_SECONDS,
            "metrics": graph.metrics,
        },
    }


def _text_widget(markdown: str, y: int) -> dict[str, Any]:
    return {"type": "text", "x": 0, "y": y, "width": GRID_WIDTH, "height": 1, "properties": {"markdown": markdown}}


def dashboard_body(parts: DashboardParts, region: str, name: str) -> dict[str, Any]:
    """The DashboardBody: a header, then per section a title row and its graphs, three a row.
    Raises ValueError for what PutDashboard would refuse (name, widget and query counts)."""
    if not DASHBOARD_NAME.match(name):
        raise ValueError(f"dashboard name {name!r}: 1-255 of A-Z, a-z, 0-9, '-' and '_' (PutDashboard)")
    widgets = [_text_widget(f"# {name}\nManaged by Pulumi (webstack): changes made in the console are lost at the "
                            "next `up`.", 0)]  # fmt: skip
    widgets[0]["height"] = 2
    y = 2
    for title, graphs in dashboard_sections(parts, region):
        widgets.append(_text_widget(f"## {title}", y))
        y += 1
        for index, graph in enumerate(graphs):
            if len(graph.metrics) > MOST_QUERIES_PER_GRAPH:
                raise ValueError(
                    f"graph {graph.title!r}: {len(graph.metrics)} metrics, at most {MOST_QUERIES_PER_GRAPH}"
                )
            per_row = GRID_WIDTH // GRAPH_WIDTH
            widgets.append(_graph_widget(graph, (index % per_row) * GRAPH_WIDTH, y + (index // per_row) * GRAPH_HEIGHT))
        y += -(-len(graphs) // (GRID_WIDTH // GRAPH_WIDTH)) * GRAPH_HEIGHT
    if len(widgets) > MOST_WIDGETS:
        raise ValueError(f"{len(widgets)} widgets, at most {MOST_WIDGETS} on one dashboard")
    return {"start": "-PT6H", "periodOverride": "inherit", "widgets": widgets}


def metric_count(body: Mapping[str, Any]) -> int:
    """Metrics a dashboard graphs (expressions excluded): what CloudWatch's free tier counts."""
    return sum(
        1
        for widget in body.get("widgets", [])
        for row in (widget.get("properties") or {}).get("metrics") or []
        if row and isinstance(row[0], str)
    )
