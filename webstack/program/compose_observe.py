"""Wiring of what watches a stack: where its alarms go (webstack:alerts) and its dashboard
(webstack:observability), drawn from the parts the stack built."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pulumi

from components import (
    AlertTopicArgs,
    DashboardParts,
    EdgeDomain,
    FargateApi,
    SlackChannel,
    StackDashboard,
    StackDashboardArgs,
)
from webstack.program.config import StackConfig

if TYPE_CHECKING:
    from webstack.program.compose import DataTier
    from webstack.program.compose_serverless import Serverless


def alert_topic_args(config: StackConfig) -> AlertTopicArgs:
    """The alert topic's subscribers. The PagerDuty URL is wrapped as a secret here, the moment it
    leaves the config: it carries the integration key."""
    alerts = config.alerts
    slack = alerts.slack
    return AlertTopicArgs(
        name_prefix=config.name_prefix,
        emails=alerts.emails,
        https_endpoints=alerts.https_endpoints,
        slack=SlackChannel(slack.workspace_id, slack.channel_id) if slack is not None else None,
        pagerduty_url=pulumi.Output.secret(alerts.pagerduty_url) if alerts.pagerduty_url is not None else None,
    )


def dashboard_name(config: StackConfig) -> str:
    return f"{config.name_prefix}-overview"


def build_dashboard(
    config: StackConfig,
    data: DataTier,
    *,
    edge: EdgeDomain | None,
    serverless: Serverless,
    api: FargateApi | None = None,
    distributions: dict[str, pulumi.Output[str]] | None = None,
    opts: pulumi.ResourceOptions,
) -> StackDashboard | None:
    """The stack's dashboard (webstack:observability.dashboard), with a section per part it built."""
    if not config.observability.dashboard:
        return None
    prefix = config.name_prefix
    function_api = config.function_api
    parts = DashboardParts(
        load_balancer=api.load_balancer_arn_suffix if api is not None else None,
        target_groups=api.target_group_arn_suffixes if api is not None else {},
        cluster=f"{prefix}-api" if api is not None else None,
        services=[f"{prefix}-{service}" for service in api.services] if api is not None else (),
        databases=data.database.identifiers if data.database is not None else (),
        cache_nodes=data.cache.node_ids if data.cache is not None else (),
        distributions=distributions or {},
        edge_web_acl=edge.web_acl_name if edge is not None else None,
        regional_web_acl=f"{prefix}-api"
        if function_api is not None and function_api.waf_rate_limit_per_5_minutes is not None
        else None,
        functions=[f"{prefix}-{name}" for name in config.functions],
        rest_api=prefix if serverless.api is not None else None,
        rest_api_stage=function_api.stage_name if function_api is not None else "v1",
        table=prefix if serverless.table is not None else None,
    )
    return StackDashboard("dashboard", StackDashboardArgs(name=dashboard_name(config), parts=parts), opts)
