"""StackBackup: AWS Backup for a stack's data stores, with every recovery point copied to a vault
in a second region."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .alarms import create_alarms
from .aws_context import aws_context
from .backup_settings import (
    COMPLETION_WINDOW_MINUTES,
    START_WINDOW_MINUTES,
    VaultLock,
    backup_alarm_specs,
    backup_names,
    backup_rules,
    vault_lock_settings,
)
from .encryption_key import customer_managed_key
from .iam_documents import service_trust_policy

# AWS's service-role policies for AWS Backup: what its jobs need per resource type (advanced
# DynamoDB backup, RDS snapshot copies across regions, restores), kept current by AWS as the
# services change. AWS Backup's guide names them for a custom role ("or their equivalent").
BACKUP_SERVICE_POLICIES = (
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
)


@dataclass(frozen=True)
class StackBackupArgs:
    name_prefix: str
    """Start of the vaults', plan's, selection's and role's names (at most 34 characters). Example: "acme-prod"."""
    copy_region: str
    """The second region every recovery point is copied to, into a vault under its own key there: the copy
    that survives the loss of the stack's region. Pick it for its distance and for where the data may live
    (data residency). Example: "eu-central-1".
    """
    resource_arns: Sequence[pulumi.Input[str]]
    """ARNs of the data stores to back up: RDS instances, DynamoDB tables, EFS file systems (AWS Backup does
    not protect ElastiCache: the cache keeps its own snapshots). Example: [database.arn, table.table_arn].
    """
    daily_retention_days: int = 7
    """Days a daily recovery point is kept (seed 000: RDS daily, 7 days). Example: 14."""
    weekly_retention_days: int = 30
    """Days a weekly (Sunday) recovery point is kept (seed 000: weekly, 30 days). Example: 90."""
    hourly_retention_days: int = 0
    """Days an hourly recovery point is kept; 0: no hourly rule. Hourly points (and their copies) bound the
    loss after a regional disaster to about an hour (seed 004's RPO), at 24 times the copies. Example: 1.
    """
    hour_utc: int = 5
    """Hour (UTC) the daily and weekly backups start, clear of RDS's default backup (02:00) and maintenance
    (Sunday 03:30) windows. Example: 22.
    """
    vault_lock: VaultLock = "none"
    """AWS Backup Vault Lock on both vaults: "none"; "governance" (recovery points cannot be deleted or
    shortened early, except by a principal allowed backup:DeleteBackupVaultLockConfiguration); "compliance"
    (after vault_lock_cooling_off_days nobody can, not even the root user or AWS Support, and the vaults cannot
    be deleted while they hold recovery points: a `destroy` leaves them until the last point expires).
    Example: "governance".
    """
    vault_lock_cooling_off_days: int = 3
    """With "compliance": days during which the lock can still be changed or removed (3 at least) before it
    becomes permanent. Example: 7.
    """
    alarm_actions: Sequence[pulumi.Input[str]] = ()
    """SNS topics told of failed backup jobs, failed copy jobs and a day without a completed backup. Example:
    [alert_topic.arn].
    """
    keep_data_on_destroy: bool = True
    """True: a vault holding recovery points stops `destroy`; False: `destroy` deletes the recovery points
    with the vaults (a throwaway stack). Example: False for dev.
    """


class StackBackup(pulumi.ComponentResource):
    """A backup vault under its own CMK, a backup plan (daily points kept 7 days, weekly ones 30,
    optionally hourly) whose every rule copies its recovery point to a vault in ``copy_region``
    under a CMK of that region, a selection of the stack's data stores with a role only AWS
    Backup of this account may assume, an optional vault lock on both vaults, and alarms on
    failed backup and copy jobs and on backups that stop happening.

    Example::

        backup = StackBackup("backup", StackBackupArgs(
            name_prefix="acme-prod", copy_region="eu-central-1",
            resource_arns=[database.arn], alarm_actions=[alerts.topic_arn],
        ))

    Cost (cost/prices.csv): $1 a month for each of the two keys; recovery points per GB-month at the
    protected service's backup price in each region (RDS snapshots: incremental; DynamoDB: a full copy
    each); the copies' transfer between regions per GB; alarms $0.10 each.
    """

    vault_name: pulumi.Output[str]
    copy_vault_arn: pulumi.Output[str]
    plan_id: pulumi.Output[str]
    role_arn: pulumi.Output[str]

    def __init__(self, name: str, args: StackBackupArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        rules = backup_rules(
            daily_days=args.daily_retention_days,
            weekly_days=args.weekly_retention_days,
            hourly_days=args.hourly_retention_days,
            hour_utc=args.hour_utc,
        )
        lock = vault_lock_settings(args.vault_lock, rules, args.vault_lock_cooling_off_days)
        names = backup_names(args.name_prefix)
        if not args.resource_arns:
            raise ValueError("resource_arns: name at least one data store to back up")
        super().__init__("webstack:data:StackBackup", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        context = aws_context(self)
        vaults = {}
        for key, region, what in (("vault", None, "recovery points"), ("copy_vault", args.copy_region, "copies")):
            vault_key = customer_managed_key(
                f"{name}-{key.replace('_', '-')}-key",
                description=f"{args.name_prefix} AWS Backup {what}",
                alias=f"{args.name_prefix}/{key.replace('_', '-')}",
                context=context,
                parent=self,
                region=region,
            )
            vaults[key] = aws.backup.Vault(
                f"{name}-{key.replace('_', '-')}",
                name=names[key],
                kms_key_arn=vault_key.arn,
                force_destroy=not args.keep_data_on_destroy,
                region=region,
                opts=child,
            )
            if lock is not None:
                aws.backup.VaultLockConfiguration(
                    f"{name}-{key.replace('_', '-')}-lock",
                    backup_vault_name=vaults[key].name,
                    min_retention_days=lock.min_retention_days,
                    max_retention_days=lock.max_retention_days,
                    changeable_for_days=lock.changeable_for_days,
                    region=region,
                    opts=child,
                )
        vault, copy_vault = vaults["vault"], vaults["copy_vault"]
        plan = aws.backup.Plan(
            f"{name}-plan",
            name=names["plan"],
            rules=[
                {
                    "rule_name": rule.name,
                    "target_vault_name": vault.name,
                    "schedule": rule.schedule,
                    "start_window": START_WINDOW_MINUTES,
                    "completion_window": COMPLETION_WINDOW_MINUTES[rule.name],
                    "lifecycle": {"delete_after": rule.retention_days},
                    "copy_actions": [
                        {
                            "destination_vault_arn": copy_vault.arn,
                            "lifecycle": {"delete_after": rule.retention_days},
                        }
                    ],
                    "recovery_point_tags": {"BackupRule": rule.name},
                }
                for rule in rules
            ],
            opts=child,
        )
        role = aws.iam.Role(
            f"{name}-role",
            name=names["role"],
            description=f"{args.name_prefix}: AWS Backup backs up, copies and restores the stack's data stores",
            assume_role_policy=context.account_id.apply(
                lambda account: json.dumps(service_trust_policy("backup.amazonaws.com", account))
            ),
            opts=child,
        )
        attachments = [
            aws.iam.RolePolicyAttachment(
                f"{name}-role-{arn.rsplit('For', 1)[-1].lower()}", role=role.name, policy_arn=arn, opts=child
            )
            for arn in BACKUP_SERVICE_POLICIES
        ]
        aws.backup.Selection(
            f"{name}-selection",
            name=names["selection"],
            plan_id=plan.id,
            iam_role_arn=role.arn,
            resources=list(args.resource_arns),
            opts=pulumi.ResourceOptions(parent=self, depends_on=attachments),
        )
        create_alarms(f"{name}-alarm", backup_alarm_specs(names["vault"], rules, copies=True), args.alarm_actions, self)
        self.vault_name = vault.name
        self.copy_vault_arn = copy_vault.arn
        self.plan_id = plan.id
        self.role_arn = role.arn
        self.register_outputs({"vaultName": vault.name, "copyVaultArn": copy_vault.arn, "planId": plan.id})
