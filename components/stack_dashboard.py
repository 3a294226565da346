"""StackDashboard: one CloudWatch dashboard with the metrics of every part of a stack."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

import pulumi
import pulumi_aws as aws

from .aws_context import aws_context
from .dashboard_settings import DashboardParts, dashboard_body


@dataclass(frozen=True)
class StackDashboardArgs:
    name: str
    """The dashboard's name, unique in the account (dashboards are global): 1-255 of A-Z, a-z, 0-9, - and _.
    Example: "acme-prod-overview".
    """
    parts: DashboardParts = field(default_factory=DashboardParts)
    """What the stack runs: the load balancer, services, database, cache nodes, distributions, web ACLs,
    functions, REST API and table whose metrics it graphs. Example: DashboardParts(databases=("acme-prod-db",)).
    """


def _shape(parts: DashboardParts) -> DashboardParts:
    """The parts with a stand-in for each output value: enough to count widgets and metrics."""
    return replace(
        parts,
        load_balancer="-" if parts.load_balancer is not None else None,
        target_groups=dict.fromkeys(parts.target_groups, "-"),
        distributions=dict.fromkeys(parts.distributions, "-"),
    )


def _resolved(parts: DashboardParts) -> pulumi.Output[DashboardParts]:
    """The parts with every output value (ARN suffixes, distribution ids) known."""

    def mapping(values: dict[str, pulumi.Input[str]]) -> pulumi.Output[dict[str, str]]:
        return pulumi.Output.all(**values) if values else pulumi.Output.from_input({})  # type: ignore[return-value]

    return pulumi.Output.all(
        pulumi.Output.from_input(parts.load_balancer or ""),
        mapping(dict(parts.target_groups)),
        mapping(dict(parts.distributions)),
    ).apply(
        lambda v: replace(
            parts,
            load_balancer=v[0] if parts.load_balancer is not None else None,
            target_groups=v[1],
            distributions=v[2],
        )
    )


class StackDashboard(pulumi.ComponentResource):
    """A CloudWatch dashboard for one stack, in the stack's region: CloudFront requests and 4xx/5xx
    rates per distribution and the edge WAF's blocked requests (both read from us-east-1, where AWS
    publishes them); ALB requests, 5xx of the balancer and the targets, p50/p99 response time and
    healthy targets per service; ECS CPU, memory and running tasks per service; RDS CPU,
    connections and free storage; cache hit rate, memory and evictions per node; Lambda
    invocations, errors, p99 duration and throttles; API Gateway requests, 4xx/5xx and p50/p99
    latency; DynamoDB consumed capacity and throttles. Sections without parts are left out.

    Example::

        StackDashboard("dashboard", StackDashboardArgs(name="acme-prod-overview",
                       parts=DashboardParts(databases=("acme-prod-db",), cache_nodes=("acme-prod-cache-001",))))

    Cost (cost/prices.csv): $3 a month, or nothing for the account's first 3 dashboards of up to 50
    metrics each (CloudWatch's always-free tier); the AWS metrics it reads are free.
    """

    dashboard_name: pulumi.Output[str]

    def __init__(self, name: str, args: StackDashboardArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        # Fails here, before anything is registered, on a name or body PutDashboard would refuse.
        dashboard_body(_shape(args.parts), "us-east-1", args.name)
        super().__init__("webstack:observability:StackDashboard", name, None, opts)
        region = aws_context(self).region
        body = pulumi.Output.all(_resolved(args.parts), region).apply(
            lambda v: json.dumps(dashboard_body(v[0], v[1], args.name))
        )
        dashboard = aws.cloudwatch.Dashboard(
            f"{name}-dashboard",
            dashboard_name=args.name,
            dashboard_body=body,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.dashboard_name = dashboard.dashboard_name
        self.register_outputs({"dashboardName": self.dashboard_name})
