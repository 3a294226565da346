"""The `webstack:backup` section: AWS Backup of the stack's data stores with copies in a second
region (StackBackup), and the region where replicated buckets keep their replicas."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from components import StackBackupArgs
from webstack.program.config_fields import Section, from_arg

BACKUP_DESCRIPTION = (
    "AWS Backup of the database, the DynamoDB table (and EFS) with every recovery point copied to "
    "`copy_region`; buckets with `replicate: true` keep their replicas there. Copying data to another region is "
    "a data-residency decision, so no stack gets one without naming the region: a stack judged by "
    "`policy/config/prod.json` that holds data and has none fails the mandatory rule "
    "`data-stores-backed-up-to-another-region` (advisory in dev and staging). The cache is not an AWS Backup "
    "resource type: it keeps ElastiCache's own daily snapshots (`cache.snapshot_retention_days`)."
)


class BackupConfig(Section):
    """Backups that survive the loss of the stack's region (StackBackup)."""

    copy_region: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[a-z]+)+-\d$")] = from_arg(
        StackBackupArgs,
        "copy_region",
        also="Not `aws:region`. Replicated buckets keep their replicas there too.",
        allowed="an AWS commercial region other than `aws:region`",
    )
    daily_retention_days: int = from_arg(StackBackupArgs, "daily_retention_days", ge=1, le=36500)
    weekly_retention_days: int = from_arg(StackBackupArgs, "weekly_retention_days", ge=7, le=36500)
    hourly_retention_days: int = from_arg(StackBackupArgs, "hourly_retention_days", ge=0, le=35)
    hour_utc: int = from_arg(StackBackupArgs, "hour_utc", ge=0, le=23)
    vault_lock: Literal["none", "governance", "compliance"] = from_arg(
        StackBackupArgs,
        "vault_lock",
        also="Try governance first: compliance cannot be undone after its cooling-off days.",
    )
    vault_lock_cooling_off_days: int = from_arg(StackBackupArgs, "vault_lock_cooling_off_days", ge=3, le=36500)
