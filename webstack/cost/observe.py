"""The price of a stack's dashboard (the WAF logs' volume and a traced service's X-Ray traces are
priced with their log group and service, from observe_usage)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from components.dashboard_settings import FREE_TIER_METRICS, metric_count
from webstack.cost.model import Context, LineItem, prices

DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"


@prices(DASHBOARD)
def dashboard(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    """$3 a month; the account's first 3 dashboards of up to 50 metrics each are free, so a larger
    one is priced under a key the free allowance does not cover."""
    try:
        metrics = metric_count(json.loads(str(inputs.get("dashboardBody", ""))))
    except ValueError:
        metrics = FREE_TIER_METRICS + 1  # a body not known yet: assume it is no free one
    small = metrics <= FREE_TIER_METRICS
    yield ctx.item(
        urn,
        f"dashboard of {metrics} metrics ({'within' if small else 'above'} the free tier's {FREE_TIER_METRICS})",
        1,
        "cloudwatch.dashboard" if small else "cloudwatch.large_dashboard",
    )
