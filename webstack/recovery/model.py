"""What `webstack restore-plan` says, computed from a plan alone: each data store, the recovery
point it would restore from (in the region, and after the loss of the region), the commands that
restore it into a new resource and put it back under the stack, and the RPO and RTO the stack's
configuration achieves against a target. Times are estimates with their basis, not measurements."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

State = Mapping[str, Any]

# Seed 004 (Monay): "RTO: 2 hours, RPO: 1 hour" (the strictest seed with both; seed 003 asks 1 h /
# 5 min and seed 001 15 min / 5 min in the region, which point-in-time recovery meets for the data).
TARGET_RPO_MINUTES = 60
TARGET_RTO_MINUTES = 120
# RDS and DynamoDB point-in-time recovery: the latest restorable time trails the present by about
# five minutes (RDS User Guide, "Restoring a DB instance to a specified time"; DynamoDB's
# LatestRestorableDateTime likewise).
PITR_MINUTES = 5
# Estimates (no AWS SLA), each with its basis, used to add up an RTO:
ESTIMATES = {
    "copy_lag": (15, "a copy job starts when its backup completes; an incremental copy of a small database "
                     "takes minutes (no SLA)"),
    "rds_restore": (30, "creating an instance from a snapshot or a point in time: about 20-40 minutes for a small "
                        "gp3 instance, longer Multi-AZ and with size"),
    "rds_swap": (15, "rename the old and the restored instance (a minute each, DNS follows the identifier), "
                     "`pulumi refresh` and `up`"),
    "snapshot_reencrypt": (15, "copy-db-snapshot within the copy region under the new stack's key: minutes for "
                               "a small incremental snapshot"),
    "dynamodb_restore": (30, "a table restore: minutes to hours by size, under an hour for a few GB"),
    "stack_in_copy_region": (45, "`webstack up` of the stack in the copy region: RDS, ElastiCache and CloudFront "
                                 "create in parallel, about 30-45 minutes"),
    "s3_sync": (20, "`aws s3 sync` between buckets of one region: tens of GB in minutes"),
}  # fmt: skip
REPLICATION_MINUTES = 15  # S3 Replication Time Control: 99.99 % of objects within 15 minutes


@dataclass(frozen=True)
class Scenario:
    """One way back for one store: where the data comes from, what is lost, how long it takes."""

    name: str  # "in the region" or "region lost"
    source: str  # the recovery point (or its kind, offline)
    rpo_minutes: float | None  # None: the data does not come back
    rto_minutes: float | None
    rto_basis: tuple[str, ...]
    commands: tuple[str, ...]


@dataclass
class Store:
    kind: str  # database, table, bucket, cache
    name: str  # physical name or prefix
    region: str
    resource_arn: str | None
    details: str
    scenarios: list[Scenario] = field(default_factory=list)
    latest: dict[str, str] = field(default_factory=dict)  # filled by --live: source -> recovery point


@dataclass
class RecoveryPlan:
    stack: str
    region: str
    copy_region: str | None
    vault: str | None
    copy_vault: str | None
    role_arn: str | None
    stores: list[Store]
    target_rpo_minutes: float = TARGET_RPO_MINUTES
    target_rto_minutes: float = TARGET_RTO_MINUTES
    notes: list[str] = field(default_factory=list)

    def worst(self, scenario: str) -> tuple[float | None, float | None, list[Store]]:
        """The stack's RPO and RTO in a scenario, the worst over the stores whose data comes back
        (None when none does), and the stores whose data does not (a cache is rebuilt empty)."""
        cases = [(store, s) for store in self.stores for s in store.scenarios if s.name == scenario]
        back = [s for store, s in cases if s.rpo_minutes is not None and store.kind != "cache"]
        lost = [store for store, s in cases if s.rpo_minutes is None]
        rpo = max((s.rpo_minutes or 0 for s in back), default=None)
        rto = max((s.rto_minutes or 0 for s in back), default=None)
        return rpo, rto, lost


def _of_type(states: Mapping[str, State], resource_type: str) -> list[State]:
    return [s for s in states.values() if s["type"] == resource_type]


def _deps(state: State, key: str) -> set[str]:
    return set((state.get("propertyDependencies") or {}).get(key, []))


def _basis(key: str) -> str:
    return f"{ESTIMATES[key][0]} min: {ESTIMATES[key][1]}"


def _minutes(*keys: str) -> tuple[float, tuple[str, ...]]:
    return float(sum(ESTIMATES[k][0] for k in keys)), tuple(_basis(k) for k in keys)


@dataclass(frozen=True)
class _Backup:
    vault: str | None
    copy_vault: str | None
    copy_region: str | None
    interval_hours: float | None  # of the most frequent rule that copies
    protected: frozenset[str]  # URNs of the stores a selection names
    role_name: str | None


def _backup_of(states: Mapping[str, State]) -> _Backup:
    vaults = _of_type(states, "aws:backup/vault:Vault")
    home = next((str(v["inputs"].get("name")) for v in vaults if not v["inputs"].get("region")), None)
    copy = next((v for v in vaults if v["inputs"].get("region")), None)
    intervals = []
    for plan in _of_type(states, "aws:backup/plan:Plan"):
        for rule in plan["inputs"].get("rules") or []:
            if rule.get("copyActions"):
                schedule = str(rule.get("schedule", ""))
                intervals.append(1 if re.match(r"^cron\(\S+ \* ", schedule) else 168 if "? * SUN" in schedule else 24)
    selections = _of_type(states, "aws:backup/selection:Selection")
    protected = frozenset(u for s in selections for u in _deps(s, "resources"))
    roles = [s for s in _of_type(states, "aws:iam/role:Role") if "backup.amazonaws.com" in str(s["inputs"].get(
        "assumeRolePolicy", ""))]  # fmt: skip
    return _Backup(
        home,
        str(copy["inputs"].get("name")) if copy else None,
        str(copy["inputs"].get("region")) if copy else None,
        min(intervals) if intervals else None,
        protected,
        str(roles[0]["inputs"].get("name")) if roles and roles[0]["inputs"].get("name") else None,
    )


def _database(state: State, region: str, backup: _Backup, account: str) -> Store:
    inputs = state["inputs"]
    ident = str(inputs.get("identifier", ""))
    arn = f"arn:aws:rds:{region}:{account}:db:{ident}"
    store = Store(
        "database",
        ident,
        region,
        arn,
        f"RDS PostgreSQL {inputs.get('engineVersion', '')} {inputs.get('instanceClass', '')}, "
        f"{inputs.get('backupRetentionPeriod', 1):g} days of automated backups",
    )
    describe = (
        f"aws rds describe-db-instances --region {{region}} --db-instance-identifier {ident} "
        f"--query 'DBInstances[0].[DBSubnetGroup.DBSubnetGroupName,VpcSecurityGroups[0].VpcSecurityGroupId,"
        f"DBParameterGroups[0].DBParameterGroupName]' --output text  # SUBNETS SG PARAMS for the commands below"
    )
    place = (
        '--db-subnet-group-name "$SUBNETS" --vpc-security-group-ids "$SG" --db-parameter-group-name "$PARAMS" '
        f"--db-instance-class {inputs.get('instanceClass', '')}{' --multi-az' if inputs.get('multiAz') else ''} "
        "--enable-iam-database-authentication --deletion-protection --copy-tags-to-snapshot"
    )
    swap = (
        f"aws rds modify-db-instance --region {{region}} --db-instance-identifier {ident} "
        f"--new-db-instance-identifier {ident}-old --apply-immediately",
        f"aws rds wait db-instance-available --region {{region}} --db-instance-identifier {ident}-restored",
        f"aws rds modify-db-instance --region {{region}} --db-instance-identifier {ident}-restored "
        f"--new-db-instance-identifier {ident} --apply-immediately",
        "pulumi refresh --yes && webstack up <stack>   # the stack reads the restored instance under its identifier",
    )
    rto, basis = _minutes("rds_restore", "rds_swap")
    store.scenarios.append(
        Scenario(
            "in the region",
            f"point-in-time recovery of {ident} (latest restorable time, about {PITR_MINUTES} minutes ago)"
            + (f"; or a recovery point of vault {backup.vault}" if backup.vault else ""),
            PITR_MINUTES,
            rto,
            basis,
            (
                describe.format(region=region),
                f"aws rds restore-db-instance-to-point-in-time --region {region} --source-db-instance-identifier "
                f"{ident} --target-db-instance-identifier {ident}-restored --use-latest-restorable-time {place}",
                *(command.format(region=region) for command in swap),
            ),
        )
    )
    store.scenarios.append(_region_lost(store, backup, ident, place, swap))
    return store


def _region_lost(store: Store, backup: _Backup, ident: str, place: str, swap: Sequence[str]) -> Scenario:
    if not (backup.copy_vault and backup.copy_region and backup.interval_hours):
        return Scenario("region lost", "none: no copy outside the region", None, None, (), ())
    region = backup.copy_region
    rto, basis = _minutes("stack_in_copy_region", "snapshot_reencrypt", "rds_restore", "rds_swap")
    latest = (
        f"aws backup list-recovery-points-by-backup-vault --region {region} --backup-vault-name {backup.copy_vault} "
        f"--by-resource-arn {store.resource_arn} --query 'reverse(sort_by(RecoveryPoints,&CreationDate))[0]"
        ".RecoveryPointArn' --output text  # COPY: an RDS snapshot ARN (snapshot:awsbackup:...)"
    )
    return Scenario(
        "region lost",
        f"the latest copy in vault {backup.copy_vault} ({region}), one every {backup.interval_hours:g} h",
        backup.interval_hours * 60 + ESTIMATES["copy_lag"][0],
        rto,
        (f"RPO: {backup.interval_hours:g} h between copies + {_basis('copy_lag')}", *basis),
        (
            f"# a copy of the stack file with aws:region: {region} (and backup.copy_region: another region), then "
            "webstack up <stack>-dr",
            latest,
            f'aws rds copy-db-snapshot --region {region} --source-db-snapshot-identifier "$COPY" '
            f"--target-db-snapshot-identifier {ident}-dr --kms-key-id alias/{ident}  # under the new stack's key",
            f"aws rds wait db-snapshot-available --region {region} --db-snapshot-identifier {ident}-dr",
            f"aws rds describe-db-instances --region {region} --db-instance-identifier {ident} --query "
            "'DBInstances[0].[DBSubnetGroup.DBSubnetGroupName,VpcSecurityGroups[0].VpcSecurityGroupId,"
            "DBParameterGroups[0].DBParameterGroupName]' --output text  # SUBNETS SG PARAMS of the new stack",
            f"aws rds restore-db-instance-from-db-snapshot --region {region} --db-snapshot-identifier {ident}-dr "
            f"--db-instance-identifier {ident}-restored {place}",
            *(command.format(region=region).replace("<stack>", "<stack>-dr") for command in swap),
        ),
    )


def _table(state: State, region: str, backup: _Backup, account: str) -> Store:
    inputs = state["inputs"]
    name = str(inputs.get("name", ""))
    arn = f"arn:aws:dynamodb:{region}:{account}:table/{name}"
    days = (inputs.get("pointInTimeRecovery") or {}).get("recoveryPeriodInDays", 35)
    store = Store("table", name, region, arn, f"DynamoDB, {days:g} days of point-in-time recovery")
    key = f"--sse-specification-override Enabled=true,SSEType=KMS,KMSMasterKeyId=alias/{name}/table"
    rto, basis = _minutes("dynamodb_restore", "dynamodb_restore")
    store.scenarios.append(
        Scenario(
            "in the region",
            f"point-in-time recovery of {name} (to the second, latest about {PITR_MINUTES} minutes ago)",
            PITR_MINUTES,
            rto,
            ("tables cannot be renamed: restore beside it to check, then again under its own name", *basis),
            (
                f"aws dynamodb restore-table-to-point-in-time --region {region} --source-table-name {name} "
                f"--target-table-name {name}-restored --use-latest-restorable-time {key}",
                f"aws dynamodb update-table --region {region} --table-name {name} --no-deletion-protection-enabled",
                f"aws dynamodb delete-table --region {region} --table-name {name}   # keeps a system backup 35 days",
                f"aws dynamodb restore-table-to-point-in-time --region {region} --source-table-name {name}-restored "
                f"--target-table-name {name} --use-latest-restorable-time {key}",
                "pulumi refresh --yes && webstack up <stack>   # deletion protection and PITR back on",
            ),
        )
    )
    if backup.copy_vault and backup.copy_region and backup.interval_hours:
        region2 = backup.copy_region
        rto2, basis2 = _minutes("stack_in_copy_region", "dynamodb_restore")
        store.scenarios.append(
            Scenario(
                "region lost",
                f"the latest copy in vault {backup.copy_vault} ({region2}), one every {backup.interval_hours:g} h",
                backup.interval_hours * 60 + ESTIMATES["copy_lag"][0],
                rto2,
                basis2,
                (
                    f"aws backup list-recovery-points-by-backup-vault --region {region2} --backup-vault-name "
                    f"{backup.copy_vault} --by-resource-arn {arn} --query "
                    "'reverse(sort_by(RecoveryPoints,&CreationDate))[0].RecoveryPointArn' --output text  # COPY",
                    f"aws backup get-recovery-point-restore-metadata --region {region2} --backup-vault-name "
                    f'{backup.copy_vault} --recovery-point-arn "$COPY" --query RestoreMetadata > restore.json',
                    f"# in restore.json: TargetTableName {name}, and the new stack's key (alias/{name}/table)",
                    f'aws backup start-restore-job --region {region2} --recovery-point-arn "$COPY" --iam-role-arn '
                    f"arn:aws:iam::{account}:role/{backup.role_name or '<backup role>'} --metadata file://restore.json",
                    "# the copy-region stack (webstack up <stack>-dr) then adopts the table: pulumi import "
                    f"aws:dynamodb/table:Table table-table {name}",
                ),
            )
        )
    else:
        store.scenarios.append(Scenario("region lost", "none: no copy outside the region", None, None, (), ()))
    return store


def _buckets(states: Mapping[str, State], region: str, backup: _Backup) -> list[Store]:
    stores = []
    replications = _of_type(states, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")
    for bucket in _of_type(states, "aws:s3/bucket:Bucket"):
        inputs = bucket["inputs"]
        tags = inputs.get("tags") or {}
        if inputs.get("region") or tags.get("DataClass") != "private":
            continue  # replicas, logs and site content (rebuilt by `release` from the repository)
        prefix = str(inputs.get("bucketPrefix", "")).rstrip("-")
        replicated = [r for r in replications if bucket["urn"] in _deps(r, "bucket")]
        versioned = any(
            bucket["urn"] in _deps(v, "bucket") for v in _of_type(states, "aws:s3/bucketVersioning:BucketVersioning")
        )
        store = Store(
            "bucket", prefix, region, None, ("versioned" if versioned else "unversioned") +
            (", replicated" if replicated else ""),
        )  # fmt: skip
        store.scenarios.append(
            Scenario(
                "in the region",
                "the object's previous version" if versioned else "none: the bucket is not versioned",
                0 if versioned else None,
                5 if versioned else None,
                ("5 min: copy the version back over the current one",) if versioned else (),
                (
                    f"aws s3api list-object-versions --region {region} --bucket <{prefix}-...> --prefix <key>",
                    f"aws s3api copy-object --region {region} --bucket <{prefix}-...> --key <key> "
                    f"--copy-source '<{prefix}-...>/<key>?versionId=<version>'",
                )
                if versioned
                else (),
            )
        )
        if replicated and backup.copy_region:
            rto, basis = _minutes("stack_in_copy_region", "s3_sync")
            store.scenarios.append(
                Scenario(
                    "region lost",
                    f"the replica {prefix}-replica-... in {backup.copy_region} "
                    "(every version, deletions not replicated)",
                    REPLICATION_MINUTES,
                    rto,
                    (f"RPO: Replication Time Control, 99.99 % of objects within {REPLICATION_MINUTES} minutes", *basis),
                    (
                        f"aws s3 sync --region {backup.copy_region} s3://<{prefix}-replica-...> "
                        "s3://<the copy-region stack's bucket>   # or read the replica directly",
                    ),
                )
            )
        else:
            store.scenarios.append(Scenario("region lost", "none: the bucket is not replicated", None, None, (), ()))
        stores.append(store)
    return stores


def _caches(states: Mapping[str, State], region: str) -> list[Store]:
    stores = []
    for group in _of_type(states, "aws:elasticache/replicationGroup:ReplicationGroup"):
        inputs = group["inputs"]
        group_id = str(inputs.get("replicationGroupId", ""))
        days = inputs.get("snapshotRetentionLimit", 0)
        store = Store(
            "cache", group_id, region, None, f"ElastiCache {inputs.get('engine', '')}, {days:g} daily snapshots"
        )
        store.scenarios.append(
            Scenario(
                "in the region",
                f"the latest daily snapshot of {group_id} (window {inputs.get('snapshotWindow', '?')} UTC)"
                if days
                else "none: snapshots are off",
                24 * 60 if days else None,
                30 if days else None,
                (
                    "30 min: a replication group from a snapshot (estimate); sessions and cached pages can also "
                    "start empty",
                )
                if days
                else (),
                (
                    f"aws elasticache describe-snapshots --region {region} --replication-group-id {group_id} "
                    "--query 'reverse(sort_by(Snapshots,&NodeSnapshots[0].SnapshotCreateTime))[0].SnapshotName'",
                    f"aws elasticache create-replication-group --region {region} --replication-group-id "
                    f"{group_id}-restored --snapshot-name <snapshot> --replication-group-description restored "
                    "--engine <engine> --cache-node-type <type> --transit-encryption-enabled "
                    "--at-rest-encryption-enabled "
                    "--cache-subnet-group-name <the cache's> --security-group-ids <the cache's>",
                    "# then point the cache secret (webstack:cache) at it, or let `webstack up` keep the empty cache",
                )
                if days
                else (),
            )
        )
        store.scenarios.append(
            Scenario(
                "region lost",
                "none: ElastiCache snapshots stay in the region; the copy-region stack starts with an empty cache",
                None,
                None,
                (),
                (),
            )
        )
        stores.append(store)
    return stores


def recovery_plan(
    plan: Mapping[str, Any],
    stack: str,
    *,
    account: str = "<account>",
    target_rpo_minutes: float = TARGET_RPO_MINUTES,
    target_rto_minutes: float = TARGET_RTO_MINUTES,
) -> RecoveryPlan:
    states = {s["newState"]["urn"]: s["newState"] for s in plan["steps"] if "newState" in s}
    providers = _of_type(states, "pulumi:providers:aws")
    region = str(providers[0]["inputs"].get("region", "")) if providers else ""
    backup = _backup_of(states)
    stores: list[Store] = []
    for instance in _of_type(states, "aws:rds/instance:Instance"):
        if instance["inputs"].get("replicateSourceDb"):
            continue
        store = _database(instance, region, backup if instance["urn"] in backup.protected else _no(backup), account)
        stores.append(store)
    for table in _of_type(states, "aws:dynamodb/table:Table"):
        stores.append(_table(table, region, backup if table["urn"] in backup.protected else _no(backup), account))
    stores += _buckets(states, region, backup)
    stores += _caches(states, region)
    result = RecoveryPlan(
        stack, region, backup.copy_region, backup.vault, backup.copy_vault,
        f"arn:aws:iam::{account}:role/{backup.role_name}" if backup.role_name else None,
        stores, target_rpo_minutes, target_rto_minutes,
    )  # fmt: skip
    if backup.copy_region is None:
        result.notes.append("no webstack:backup.copy_region: nothing of this stack survives the loss of its region")
    elif backup.interval_hours is not None and backup.interval_hours > 1:
        result.notes.append(
            f"copies leave the region every {backup.interval_hours:g} h: webstack:backup.hourly_retention_days "
            "adds an hourly rule, each point copied (about an hour plus the copy's time lost)"
        )
    return result


def _no(backup: _Backup) -> _Backup:
    """The same backup settings for a store no selection names (no copies of it)."""
    return _Backup(backup.vault, None, None, None, backup.protected, backup.role_name)
