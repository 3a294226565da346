"""`webstack restore-plan --live`: the recovery point each store would restore from today, read
from AWS (RDS and DynamoDB restorable times, AWS Backup recovery points in both vaults, the latest
ElastiCache snapshot, each replicated bucket's replication rule). Clients come from an injected
factory, so the tests give it fakes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from webstack.recovery.model import RecoveryPlan, Store

ClientFactory = Callable[[str, str], Any]  # (service, region) -> boto3 client


def _when(value: Any) -> str:
    return value.isoformat(timespec="minutes") if isinstance(value, datetime) else str(value)


def _latest_point(backup: Any, vault: str, resource_arn: str) -> str:
    """The newest completed recovery point of the resource in the vault, or why there is none."""
    points = [
        p
        for p in backup.list_recovery_points_by_backup_vault(BackupVaultName=vault, ByResourceArn=resource_arn).get(
            "RecoveryPoints", []
        )
        if p.get("Status") == "COMPLETED"
    ]
    if not points:
        return f"no completed recovery point in {vault}"
    newest = max(points, key=lambda p: p["CreationDate"])
    return f"{newest['RecoveryPointArn']} ({_when(newest['CreationDate'])})"


def _database(store: Store, plan: RecoveryPlan, clients: ClientFactory) -> None:
    described = clients("rds", store.region).describe_db_instances(DBInstanceIdentifier=store.name)["DBInstances"][0]
    store.latest["point-in-time"] = f"latest restorable time {_when(described.get('LatestRestorableTime'))}"


def _table(store: Store, plan: RecoveryPlan, clients: ClientFactory) -> None:
    backups = clients("dynamodb", store.region).describe_continuous_backups(TableName=store.name)
    pitr = backups["ContinuousBackupsDescription"].get("PointInTimeRecoveryDescription", {})
    store.latest["point-in-time"] = (
        f"latest restorable time {_when(pitr.get('LatestRestorableDateTime'))}"
        if pitr.get("PointInTimeRecoveryStatus") == "ENABLED"
        else "point-in-time recovery is off"
    )


def _cache(store: Store, plan: RecoveryPlan, clients: ClientFactory) -> None:
    snapshots = clients("elasticache", store.region).describe_snapshots(ReplicationGroupId=store.name)["Snapshots"]
    dated = [
        (s["NodeSnapshots"][0]["SnapshotCreateTime"], s["SnapshotName"]) for s in snapshots if s.get("NodeSnapshots")
    ]
    store.latest["snapshot"] = f"{max(dated)[1]} ({_when(max(dated)[0])})" if dated else "no snapshot yet"


def _bucket(store: Store, plan: RecoveryPlan, clients: ClientFactory) -> None:
    s3 = clients("s3", store.region)
    names = [b["Name"] for b in s3.list_buckets(Prefix=f"{store.name}-").get("Buckets", [])]
    names = [n for n in names if not n.startswith(f"{store.name}-replica")]
    if not names:
        store.latest["bucket"] = "not found (not deployed yet?)"
        return
    store.latest["bucket"] = names[0]
    if "replicated" in store.details:
        rules = s3.get_bucket_replication(Bucket=names[0])["ReplicationConfiguration"]["Rules"]
        destinations = ", ".join(f"{r['Destination']['Bucket']} ({r['Status']})" for r in rules)
        store.latest["replica"] = destinations or "no replication rule"


LOOKUPS = {"database": _database, "table": _table, "cache": _cache, "bucket": _bucket}


def read_latest(plan: RecoveryPlan, clients: ClientFactory) -> None:
    """Fill each store's ``latest`` with what AWS says now; an AWS error is written in its place."""
    for store in plan.stores:
        try:
            LOOKUPS[store.kind](store, plan, clients)
            if store.resource_arn and plan.vault:
                store.latest[plan.vault] = _latest_point(
                    clients("backup", store.region), plan.vault, store.resource_arn
                )
            if store.resource_arn and plan.copy_vault and plan.copy_region:
                store.latest[plan.copy_vault] = _latest_point(
                    clients("backup", plan.copy_region), plan.copy_vault, store.resource_arn
                )
        except Exception as error:  # noqa: BLE001 - one store's failure must not hide the others
            store.latest["error"] = f"{type(error).__name__}: {error}"


def account_of(clients: ClientFactory, region: str) -> str:
    return str(clients("sts", region).get_caller_identity()["Account"])
