"""How much the observability parts of a stack send, from the plan and the usage assumptions:
the WAF logs' volume (priced by model.log_group) and a traced service's X-Ray traces (priced by
model.ecs_service)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from components.tracing_settings import COLLECTOR_NAME

if TYPE_CHECKING:
    from webstack.cost.model import Context

WAF_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"


def waf_log_gb(group_urn: str, ctx: Context) -> float | None:
    """GB a month the WAF logging configuration writing to this log group delivers: usage
    waf_requests_millions (each web ACL sees the stack's) x waf_log_kb_per_request, times
    waf_log_blocked_share when its filter keeps only blocked and counted requests. None: no WAF
    logging configuration writes there."""
    for state in ctx.states.values():
        if state["type"] != WAF_LOGGING:
            continue
        if group_urn not in (state.get("propertyDependencies") or {}).get("logDestinationConfigs", []):
            continue
        gb = float(ctx.usage["waf_requests_millions"]) * float(ctx.usage["waf_log_kb_per_request"])
        filtered = (state["inputs"].get("loggingFilter") or {}).get("defaultBehavior") == "DROP"
        return gb * float(ctx.usage["waf_log_blocked_share"]) if filtered else gb
    return None


def traced_requests(task: Mapping[str, Any], ctx: Context) -> tuple[float, str] | None:
    """(traces in millions, why) a month for a task definition with the ADOT collector: its app
    container samples usage traced_requests_millions_per_service at its OTEL_TRACES_SAMPLER_ARG."""
    try:
        containers = json.loads(str(task.get("containerDefinitions", "")))
    except ValueError:
        return None
    if not any(c.get("name") == COLLECTOR_NAME for c in containers if isinstance(c, dict)):
        return None
    environment = {e.get("name"): e.get("value") for c in containers for e in c.get("environment") or []}
    ratio = float(environment.get("OTEL_TRACES_SAMPLER_ARG") or 1)
    requests = float(ctx.usage["traced_requests_millions_per_service"])
    return requests * ratio, f"{ratio:g} of usage traced_requests_millions_per_service={requests:g}"
