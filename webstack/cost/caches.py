"""ElastiCache Serverless: billed per GB-hour of data stored (at least 100 MB for Valkey, 1 GB for the
other engines) and per ECPU (a request's vCPU time and each KB it moves), and where it crosses
the price of provisioned nodes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from webstack.cost.model import Context, LineItem, prices
from webstack.cost.tables import PriceTable

# AWS's metered minimum of data stored per serverless cache (GB): ElastiCache pricing page.
MINIMUM_GB = {"valkey": 0.1, "redis": 1.0, "memcached": 1.0}


@prices("aws:elasticache/serverlessCache:ServerlessCache")
def serverless_cache(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    engine = str(inputs.get("engine") or "valkey")
    minimum = MINIMUM_GB.get(engine, 1.0)
    gb = max(float(ctx.usage.get("cache_gb_stored", 0)), minimum)
    yield ctx.item(
        urn,
        f"{engine} serverless data stored: {gb:g} GB (usage cache_gb_stored, at least {minimum:g} GB)",
        gb * ctx.hours,
        f"elasticache.serverless.{engine}.gb",
    )
    yield ctx.item(
        urn,
        "ECPUs (usage cache_ecpu_millions)",
        float(ctx.usage.get("cache_ecpu_millions", 0)),
        f"elasticache.serverless.{engine}.ecpu",
    )


def serverless_crossover_gb(
    provisioned_monthly: float, ecpu_millions: float, prices: PriceTable, region: str, hours: float = 730
) -> float | None:
    """The data size (GB) above which a Valkey serverless cache costs more a month than
    ``provisioned_monthly`` at the same requests; None when the table lacks either price."""
    stored = prices.get("elasticache.serverless.valkey.gb", region)
    requests = prices.get("elasticache.serverless.valkey.ecpu", region)
    if stored is None or requests is None:
        return None
    return (provisioned_monthly - ecpu_millions * requests.unit_price) / (stored.unit_price * hours)
