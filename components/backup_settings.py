"""Pure settings of StackBackup and BucketReplication: the plan's rules, the vault lock, names and
alarms, computed from plain values and tested without Pulumi."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pulumi

from .alarms import AlarmSpec

VaultLock = Literal["none", "governance", "compliance"]

# AWS Backup names (vaults, plans, rules, selections): letters, digits, hyphens and underscores
# (dots too, but not for vaults), 2-50 characters for a vault and 1-50 for the others
# (botocore backup CreateBackupVault / CreateBackupPlan / CreateBackupSelection).
BACKUP_NAME_LENGTH = 50
# A compliance-mode lock can be changed or removed for at least 3 days after it is set
# (PutBackupVaultLockConfiguration ChangeableForDays: minimum 3); then no one, the root user
# included, can shorten it or delete the vault while it holds recovery points.
MINIMUM_COOLING_OFF_DAYS = 3
# Start a job within an hour of its time, or count it as failed (the alarm then says so);
# AWS needs the completion window 60 minutes longer than the start window at least.
START_WINDOW_MINUTES = 60
COMPLETION_WINDOW_MINUTES = {"hourly": 120, "daily": 1440, "weekly": 1440}
# S3 Replication Time Control replicates 99.99 % of objects within 15 minutes (its SLA).
REPLICATION_TIME_MINUTES = 15


@dataclass(frozen=True)
class BackupRule:
    """One rule of the plan: when it runs, how long its recovery points (and their copies) live."""

    name: str
    schedule: str  # AWS Backup cron (UTC)
    retention_days: int
    interval_hours: int  # between two recovery points of the rule

    @property
    def points_kept(self) -> float:
        """Recovery points of one resource the rule keeps at any time."""
        return self.retention_days * 24 / self.interval_hours


def backup_rules(
    *, daily_days: int, weekly_days: int, hourly_days: int = 0, hour_utc: int = 5
) -> tuple[BackupRule, ...]:
    """Seed 000's schedule: a daily recovery point kept ``daily_days`` and a weekly one (Sundays)
    kept ``weekly_days``; with ``hourly_days`` one every hour too (seed 004's "automated backups
    every hour"). Where two rules fall on the same hour AWS Backup takes one recovery point and
    keeps it for the longer retention."""
    problems = backup_rule_problems(daily_days, weekly_days, hourly_days, hour_utc)
    if problems:
        raise ValueError("; ".join(problems))
    rules = [
        BackupRule("daily", f"cron(0 {hour_utc} * * ? *)", daily_days, 24),
        BackupRule("weekly", f"cron(0 {hour_utc} ? * SUN *)", weekly_days, 24 * 7),
    ]
    if hourly_days:
        rules.insert(0, BackupRule("hourly", "cron(0 * * * ? *)", hourly_days, 1))
    return tuple(rules)


def backup_rule_problems(daily_days: int, weekly_days: int, hourly_days: int, hour_utc: int) -> list[str]:
    problems = []
    if daily_days < 1:
        problems.append(f"daily_retention_days must be at least 1 (got {daily_days})")
    if weekly_days < 7:
        problems.append(
            f"weekly_retention_days must be at least 7, a weekly point would vanish first (got {weekly_days})"
        )
    if hourly_days < 0:
        problems.append(f"hourly_retention_days must be 0 (no hourly rule) or more (got {hourly_days})")
    if not 0 <= hour_utc <= 23:
        problems.append(f"hour_utc must be 0-23 (got {hour_utc})")
    return problems


@dataclass(frozen=True)
class LockSettings:
    """What PutBackupVaultLockConfiguration receives for both vaults."""

    min_retention_days: int
    max_retention_days: int
    changeable_for_days: int | None  # None: governance mode


def vault_lock_settings(
    mode: VaultLock, rules: Sequence[BackupRule], cooling_off_days: int = MINIMUM_COOLING_OFF_DAYS
) -> LockSettings | None:
    """The lock that fits the rules: no recovery point may be kept shorter than the shortest rule
    nor longer than the longest (a job asking otherwise fails). Governance mode: users with
    backup:DeleteBackupVaultLockConfiguration may still lift it. Compliance mode: after
    ``cooling_off_days`` nobody can, and each recovery point lives its full retention."""
    if mode == "none":
        return None
    if mode == "compliance" and cooling_off_days < MINIMUM_COOLING_OFF_DAYS:
        raise ValueError(
            f"vault_lock_cooling_off_days must be at least {MINIMUM_COOLING_OFF_DAYS} (got {cooling_off_days})"
        )
    days = [rule.retention_days for rule in rules]
    return LockSettings(min(days), max(days), cooling_off_days if mode == "compliance" else None)


def backup_names(name_prefix: str) -> dict[str, str]:
    """Physical names of the stack's backup resources (at most 50 characters each)."""
    names = {
        "vault": f"{name_prefix}-backups",
        "copy_vault": f"{name_prefix}-backup-copies",
        "plan": f"{name_prefix}-backups",
        "selection": f"{name_prefix}-data",
        "role": f"{name_prefix}-backup",
    }
    too_long = [n for n in names.values() if len(n) > BACKUP_NAME_LENGTH]
    if too_long:
        raise ValueError(f"backup names longer than {BACKUP_NAME_LENGTH} characters: {', '.join(too_long)}")
    return names


def backup_alarm_specs(vault_name: str, rules: Sequence[BackupRule], copies: bool) -> tuple[AlarmSpec, ...]:
    """Failed backup jobs, failed copy jobs (AWS/Backup, counted under the vault the job started
    from), and no completed backup for longer than the rules' longest gap between two points."""
    dims = {"BackupVaultName": vault_name}
    quiet_hours = min(rule.interval_hours for rule in rules) + 2
    specs = [
        AlarmSpec(
            "backup-jobs-failed",
            f"{vault_name}: an AWS Backup job failed (see the vault's jobs)",
            "AWS/Backup", "NumberOfBackupJobsFailed", dims, "GreaterThanOrEqualToThreshold", 1,
            statistic="Sum", period_seconds=3600, evaluation_periods=1, treat_missing_data="notBreaching",
        ),
        AlarmSpec(
            "no-backup-completed",
            f"{vault_name}: no backup job completed for {quiet_hours} hours",
            "AWS/Backup", "NumberOfBackupJobsCompleted", dims, "LessThanThreshold", 1,
            statistic="Sum", period_seconds=3600, evaluation_periods=quiet_hours, treat_missing_data="breaching",
        ),
    ]  # fmt: skip
    if copies:
        specs.append(
            AlarmSpec(
                "copy-jobs-failed",
                f"{vault_name}: a cross-region copy job failed (the copy region has no fresh recovery point)",
                "AWS/Backup",
                "NumberOfCopyJobsFailed",
                dims,
                "GreaterThanOrEqualToThreshold",
                1,
                statistic="Sum",
                period_seconds=3600,
                evaluation_periods=1,
                treat_missing_data="notBreaching",
            )
        )
    return tuple(specs)


def replication_alarm_specs(
    label: str, source_bucket: pulumi.Input[str], replica_bucket: pulumi.Input[str], rule_id: str
) -> tuple[AlarmSpec, ...]:
    """Replication Time Control's metrics (AWS/S3 in the source region): an object waiting longer
    than the 15-minute SLA, and operations that failed (a key or permission problem)."""
    dims = {"SourceBucket": source_bucket, "DestinationBucket": replica_bucket, "RuleId": rule_id}
    return (
        AlarmSpec(
            "replication-latency",
            f"{label}: replication to the replica is more than {REPLICATION_TIME_MINUTES} minutes behind",
            "AWS/S3", "ReplicationLatency", dims, "GreaterThanThreshold", REPLICATION_TIME_MINUTES * 60,
            statistic="Maximum", period_seconds=300, evaluation_periods=3, treat_missing_data="notBreaching",
        ),
        AlarmSpec(
            "replication-failed",
            f"{label}: objects failed to replicate to the replica",
            "AWS/S3", "OperationsFailedReplication", dims, "GreaterThanOrEqualToThreshold", 1,
            statistic="Sum", period_seconds=300, evaluation_periods=1, treat_missing_data="notBreaching",
        ),
    )  # fmt: skip
