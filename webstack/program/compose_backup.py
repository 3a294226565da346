"""Wiring of the backups that survive a region: StackBackup over the database and the table, and a
replica in `backup.copy_region` for each bucket with `replicate: true`."""

from __future__ import annotations

import pulumi

from components import (
    BucketReplication,
    BucketReplicationArgs,
    LogTargets,
    ManagedPostgres,
    StackBackup,
    StackBackupArgs,
    StaticSite,
    StaticSiteArgs,
)
from components.item_table import ItemTable
from webstack.program.compose_web import keeps_data
from webstack.program.config import StackConfig

REPLICA_LOG_PREFIX = "s3/"


def build_backup(
    config: StackConfig,
    *,
    database: ManagedPostgres | None,
    table: ItemTable | None,
    alert_topic_arn: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> StackBackup | None:
    """The stack's backup plan, when `webstack:backup` is set and the stack holds a data store
    AWS Backup protects (the cache keeps ElastiCache's own snapshots)."""
    backup = config.backup
    stores = [store.arn for store in (database,) if store is not None]
    stores += [table.table_arn] if table is not None else []
    if backup is None or not stores:
        return None
    built = StackBackup(
        "backup",
        StackBackupArgs(
            name_prefix=config.name_prefix,
            copy_region=backup.copy_region,
            resource_arns=stores,
            daily_retention_days=backup.daily_retention_days,
            weekly_retention_days=backup.weekly_retention_days,
            hourly_retention_days=backup.hourly_retention_days,
            hour_utc=backup.hour_utc,
            vault_lock=backup.vault_lock,
            vault_lock_cooling_off_days=backup.vault_lock_cooling_off_days,
            alarm_actions=[alert_topic_arn],
            keep_data_on_destroy=keeps_data(config),
        ),
        opts,
    )
    pulumi.export("backupVaultName", built.vault_name)
    pulumi.export("backupCopyVaultArn", built.copy_vault_arn)
    return built


def build_replicas(
    config: StackConfig,
    buckets: dict[str, StaticSite],
    alert_topic_arn: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> dict[str, StaticSite]:
    """A replica (and the replicas' own access-log bucket: S3 logs only within a region) in the copy
    region for each bucket that asks for one."""
    wanted = [name for name, bucket in config.buckets.items() if bucket.replicate]
    if not wanted or config.backup is None:
        return {}
    region = config.backup.copy_region
    keep = keeps_data(config)
    logs = StaticSite(
        "replica-logs",
        StaticSiteArgs(
            keep_data_on_destroy=keep,
            purpose=f"access logs of the replicas in {region}",
            bucket_prefix=f"{config.name_prefix}-replica-logs",
            data_class="logs",
            encryption="s3",
            receives_logs=LogTargets(server_access_prefix=REPLICA_LOG_PREFIX.rstrip("/")),
            region=region,
        ),
        opts,
    )
    replicas = {}
    for name in wanted:
        replicas[name] = replica = StaticSite(
            f"{name}-replica",
            StaticSiteArgs(
                keep_data_on_destroy=keep,
                purpose=f"replica of {name}",
                bucket_prefix=f"{config.name_prefix}-{name}-replica",
                data_class="private",
                encryption="kms",
                versioning=True,
                lifecycle_rules=buckets[name].args.lifecycle_rules,
                access_log_bucket=logs.bucket_name,
                access_log_prefix=REPLICA_LOG_PREFIX,
                region=region,
            ),
            opts,
        )
        BucketReplication(
            f"{name}-replication",
            BucketReplicationArgs(
                source=buckets[name],
                replica=replica,
                replica_region=region,
                name_prefix=f"{config.name_prefix}-{name}",
                alarm_actions=[alert_topic_arn],
            ),
            opts,
        )
    pulumi.export("replicaBuckets", {name: replica.bucket_name for name, replica in replicas.items()})
    return replicas
