"""Line items of the backups that survive a region: recovery points in each AWS Backup vault, the
copies' transfer between regions, and S3 cross-region replication. Estimates from usage.yaml:
the size of each protected store and the share of it that changes between two recovery points."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from webstack.cost.model import Context, LineItem, prices

PLAN = "aws:backup/plan:Plan"
SELECTION = "aws:backup/selection:Selection"
HOURLY = re.compile(r"^cron\(\S+ \* ")  # every hour of the day
WEEKLY = re.compile(r"\? \* [A-Z]{3}(,[A-Z]{3})* \*\)$")  # one day of the week
# Replication Time Control turns on S3 replication metrics, billed as CloudWatch custom metrics:
# ReplicationLatency, BytesPendingReplication, OperationsPendingReplication, OperationsFailedReplication.
REPLICATION_METRICS = 4
# How each protected type stores its recovery points: RDS and EFS backups are incremental (each
# point keeps the blocks changed since the one before), DynamoDB backups are full copies.
STORES = {
    "aws:rds/instance:Instance": ("rds", "database_gb", True),
    "aws:dynamodb/table:Table": ("dynamodb", "dynamodb_gb", False),
    "aws:efs/fileSystem:FileSystem": ("efs", "efs_gb", True),
}


@dataclass(frozen=True)
class Rule:
    interval_hours: int
    retention_days: float
    copies_to: tuple[str, ...]  # destination vault ARNs
    vault: str  # target vault name


def interval_hours(schedule: str) -> int:
    if HOURLY.match(schedule):
        return 1
    return 24 * 7 if WEEKLY.search(schedule) else 24


def plan_rules(inputs: Mapping[str, Any]) -> list[Rule]:
    return [
        Rule(
            interval_hours(str(rule.get("schedule", ""))),
            float((rule.get("lifecycle") or {}).get("deleteAfter") or 35),
            tuple(str(a.get("destinationVaultArn", "")) for a in rule.get("copyActions") or []),
            str(rule.get("targetVaultName", "")),
        )
        for rule in inputs.get("rules") or []
    ]


def protected_stores(plan_urn: str, ctx: Context) -> list[Mapping[str, Any]]:
    """The data stores the plan's selections name (through their property dependencies)."""
    found = []
    for state in ctx.states.values():
        dependencies = state.get("propertyDependencies") or {}
        if state["type"] == SELECTION and plan_urn in dependencies.get("planId", []):
            found += [ctx.states[u] for u in dependencies.get("resources", []) if u in ctx.states]
    return [s for s in found if s["type"] in STORES]


def _changed_share(ctx: Context, rule: Rule) -> float:
    return min(1.0, float(ctx.usage.get("backup_daily_change_share", 0.05)) * rule.interval_hours / 24)


def stored_gb(store: Mapping[str, Any], rules: list[Rule], ctx: Context) -> tuple[str, float, float]:
    """(type key, data GB, GB its recovery points take under these rules)."""
    kind, usage_key, incremental = STORES[store["type"]]
    gb = float(ctx.usage.get(usage_key, 1))
    points = sum(rule.retention_days * 24 / rule.interval_hours for rule in rules)
    if not incremental:
        return kind, gb, gb * points
    changed = sum(rule.retention_days * 24 / rule.interval_hours * _changed_share(ctx, rule) * gb for rule in rules)
    return kind, gb, gb + changed


@prices("aws:backup/vault:Vault")
def vault(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    """The recovery points (or copies) kept in this vault, priced in the vault's region."""
    name = str(inputs.get("name", ""))
    for plan_urn, plan in ((u, s) for u, s in ctx.states.items() if s["type"] == PLAN):
        rules = plan_rules(plan["inputs"])
        mine = [r for r in rules if r.vault == name] or [
            r for r in rules if any(a.endswith(f":backup-vault:{name}") for a in r.copies_to)
        ]
        if not mine:
            continue
        what = "recovery points" if mine[0].vault == name else "copies"
        for store in protected_stores(plan_urn, ctx):
            kind, gb, kept = stored_gb(store, mine, ctx)
            label = store["urn"].rsplit("::", 1)[-1]
            yield ctx.item(
                urn,
                f"{what} of {label} ({gb:g} GB of data, usage; {kind} backups "
                f"{'incremental' if STORES[store['type']][2] else 'full'}): {kept:.1f} GB kept",
                kept,
                f"backup.storage.{kind}",
            )


@prices(PLAN)
def backup_plan(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    """The copies' transfer out of the stack's region each month (the first full copy left out)."""
    for rule in plan_rules(inputs):
        if not rule.copies_to:
            continue
        copies = ctx.hours / rule.interval_hours
        for store in protected_stores(urn, ctx):
            _, gb, _ = stored_gb(store, [], ctx)
            incremental = STORES[store["type"]][2]
            moved = copies * gb * (_changed_share(ctx, rule) if incremental else 1)
            label = store["urn"].rsplit("::", 1)[-1]
            yield ctx.item(
                urn,
                f"copies of {label} to another region every {rule.interval_hours} h: {moved:.1f} GB a month",
                moved,
                "transfer.inter_region",
            )


@prices("aws:s3/bucketReplicationConfig:BucketReplicationConfig")
def replication(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    gb = float(ctx.usage.get("s3_replicated_gb_per_month", 1))
    rules = inputs.get("rules") or []
    timed = [r for r in rules if ((r.get("destination") or {}).get("replicationTime") or {}).get("status") == "Enabled"]
    yield ctx.item(
        urn, f"replication to another region: {gb:g} GB written a month (usage)", gb, "transfer.inter_region"
    )
    if timed:
        yield ctx.item(urn, f"Replication Time Control on {gb:g} GB", gb, "s3.rtc")
        yield ctx.item(
            urn, f"replication metrics ({REPLICATION_METRICS} per rule)", REPLICATION_METRICS * len(timed),
            "cloudwatch.metric",
        )  # fmt: skip
