"""StackBackup and BucketReplication: the pure settings, one render of both components under the
mocks, their refusals, and the wiring of the shipped prod stack (its cached plan)."""

from __future__ import annotations

import pytest

from components import (
    BucketReplication,
    BucketReplicationArgs,
    StackBackup,
    StackBackupArgs,
    StaticSite,
    StaticSiteArgs,
)
from components.backup_settings import backup_alarm_specs, backup_rules, vault_lock_settings
from components.bucket_replication import replication_role_policy
from components.stack_backup import BACKUP_SERVICE_POLICIES

from .helpers import document, one, raised, refusal, render, shipped_stack, statements

DB_ARN = "arn:aws:rds:us-east-1:123456789012:db:acme-prod-db"


def test_seed_000_schedule_daily_7_days_and_weekly_30():
    rules = backup_rules(daily_days=7, weekly_days=30)
    assert [(r.name, r.schedule, r.retention_days) for r in rules] == [
        ("daily", "cron(0 5 * * ? *)", 7),
        ("weekly", "cron(0 5 ? * SUN *)", 30),
    ]
    assert [round(r.points_kept, 2) for r in rules] == [7, 4.29]


def test_an_hourly_rule_comes_first_and_keeps_24_points_a_day():
    hourly = backup_rules(daily_days=7, weekly_days=30, hourly_days=1)[0]
    assert (hourly.name, hourly.schedule, hourly.points_kept) == ("hourly", "cron(0 * * * ? *)", 24)


def test_rules_aws_backup_would_keep_for_less_than_their_interval_are_refused():
    with pytest.raises(ValueError, match="weekly_retention_days must be at least 7"):
        backup_rules(daily_days=7, weekly_days=3)


def test_vault_lock_fits_the_rules_and_only_compliance_has_a_cooling_off():
    rules = backup_rules(daily_days=7, weekly_days=30, hourly_days=1)
    governance = vault_lock_settings("governance", rules)
    assert governance is not None
    assert (governance.min_retention_days, governance.max_retention_days) == (1, 30)
    assert governance.changeable_for_days is None
    compliance = vault_lock_settings("compliance", rules, 7)
    assert compliance is not None and compliance.changeable_for_days == 7
    assert vault_lock_settings("none", rules) is None
    with pytest.raises(ValueError, match="at least 3"):
        vault_lock_settings("compliance", rules, 1)


def test_the_no_backup_alarm_waits_the_longest_gap_between_points_plus_two_hours():
    daily = {s.key: s for s in backup_alarm_specs("v", backup_rules(daily_days=7, weekly_days=30), copies=True)}
    assert daily["no-backup-completed"].evaluation_periods == 26
    assert daily["copy-jobs-failed"].metric == "NumberOfCopyJobsFailed"
    assert daily["backup-jobs-failed"].dimensions == {"BackupVaultName": "v"}
    hourly = backup_alarm_specs("v", backup_rules(daily_days=7, weekly_days=30, hourly_days=1), copies=False)
    assert [s.key for s in hourly] == ["backup-jobs-failed", "no-backup-completed"]
    assert hourly[1].evaluation_periods == 3


def test_the_replication_role_names_only_two_buckets_and_two_keys():
    policy = replication_role_policy(
        "arn:aws:s3:::src", "arn:aws:s3:::dst", source_key_arn="key-a", replica_key_arn="key-b",
        source_region="me-south-1", replica_region="eu-central-1",
    )  # fmt: skip
    resources = {
        r for s in policy["Statement"] for r in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"])
    }
    assert resources == {"arn:aws:s3:::src", "arn:aws:s3:::src/*", "arn:aws:s3:::dst/*", "key-a", "key-b"}
    decrypt = next(s for s in policy["Statement"] if s["Sid"] == "DecryptTheSource")
    assert decrypt["Condition"]["StringEquals"] == {"kms:ViaService": "s3.me-south-1.amazonaws.com"}
    encrypt = next(s for s in policy["Statement"] if s["Sid"] == "EncryptTheReplicas")
    assert encrypt["Condition"]["StringLike"] == {
        "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::dst", "arn:aws:s3:::dst/*"]
    }


def _both() -> None:
    StackBackup(
        "backup",
        StackBackupArgs(
            name_prefix="acme-prod", copy_region="us-west-2", resource_arns=[DB_ARN], vault_lock="compliance",
            vault_lock_cooling_off_days=5, alarm_actions=["arn:topic"],
        ),
    )  # fmt: skip
    source = StaticSite("uploads", StaticSiteArgs(purpose="uploads", versioning=True))
    replica = StaticSite("uploads-replica", StaticSiteArgs(purpose="replica", versioning=True, region="us-west-2"))
    BucketReplication(
        "uploads-replication",
        BucketReplicationArgs(source=source, replica=replica, replica_region="us-west-2", name_prefix="acme-prod-up"),
    )


@pytest.fixture(scope="module")
def run():
    return render(_both)


def test_vaults_under_their_own_keys_in_both_regions(run):
    vaults = {r.name: r for r in run.of_type("aws:backup/vault:Vault")}
    assert vaults["backup-vault"].inputs["name"] == "acme-prod-backups"
    assert ":us-east-1:" in vaults["backup-vault"].inputs["kmsKeyArn"]
    copy = vaults["backup-copy-vault"].inputs
    assert (copy["region"], copy["name"], copy["forceDestroy"]) == ("us-west-2", "acme-prod-backup-copies", False)
    assert ":us-west-2:" in copy["kmsKeyArn"]
    locks = run.of_type("aws:backup/vaultLockConfiguration:VaultLockConfiguration")
    assert sorted((lock.inputs.get("region", "home"), lock.inputs["changeableForDays"]) for lock in locks) == [
        ("home", 5), ("us-west-2", 5)]  # fmt: skip


def test_every_rule_copies_its_point_to_the_copy_vault_for_as_long(run):
    plan = one(run, "aws:backup/plan:Plan").inputs
    for rule in plan["rules"]:
        (action,) = rule["copyActions"]
        assert (
            action["destinationVaultArn"]
            == "arn:aws:backup:us-west-2:123456789012:backup-vault:acme-prod-backup-copies"
        )
        assert action["lifecycle"]["deleteAfter"] == rule["lifecycle"]["deleteAfter"]
        assert rule["targetVaultName"] == "acme-prod-backups"
        assert (rule["startWindow"], rule["completionWindow"]) == (60, 1440)


def test_the_selection_role_is_for_aws_backup_of_this_account_with_its_service_role_policies(run):
    selection = one(run, "aws:backup/selection:Selection").inputs
    assert selection["resources"] == [DB_ARN]
    role = next(r for r in run.of_type("aws:iam/role:Role") if r.name == "backup-role")
    (trust,) = statements(document(role, "assumeRolePolicy"))
    assert trust["Principal"] == {"Service": "backup.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    attached = {a.inputs["policyArn"] for a in run.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")}
    assert attached == set(BACKUP_SERVICE_POLICIES)


def test_alarms_watch_the_vault_for_failed_backup_and_copy_jobs(run):
    alarms = {a.inputs["metricName"]: a.inputs for a in run.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")}
    for metric in ("NumberOfBackupJobsFailed", "NumberOfCopyJobsFailed", "NumberOfBackupJobsCompleted"):
        assert alarms[metric]["dimensions"] == {"BackupVaultName": "acme-prod-backups"}
        assert alarms[metric]["alarmActions"] == ["arn:topic"]
    latency = alarms["ReplicationLatency"]
    assert (latency["threshold"], latency["statistic"], latency["namespace"]) == (900, "Maximum", "AWS/S3")
    assert set(latency["dimensions"]) == {"SourceBucket", "DestinationBucket", "RuleId"}


def test_replication_re_encrypts_under_the_replica_key_with_time_control(run):
    config = one(run, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")
    (rule,) = config.inputs["rules"]
    destination = rule["destination"]
    assert ":us-west-2:" in destination["encryptionConfiguration"]["replicaKmsKeyId"]
    assert destination["replicationTime"] == {"status": "Enabled", "time": {"minutes": 15}}
    assert destination["metrics"] == {"status": "Enabled", "eventThreshold": {"minutes": 15}}
    assert rule["sourceSelectionCriteria"] == {"sseKmsEncryptedObjects": {"status": "Enabled"}}
    assert (rule["filter"], rule["deleteMarkerReplication"]) == ({"prefix": ""}, {"status": "Disabled"})
    versionings = {v.urn for v in run.of_type("aws:s3/bucketVersioning:BucketVersioning")}
    assert versionings <= set(config.dependencies)


def test_the_replica_has_the_controls_of_its_source_in_its_own_region(run):
    replica = [r for r in run.registrations if r.name.startswith("uploads-replica-") and r.type.startswith("aws:")]
    assert {r.inputs.get("region") for r in replica} == {"us-west-2"}
    kinds = {r.type.split(":")[-1] for r in replica}
    controls = {"Bucket", "BucketPublicAccessBlock", "BucketOwnershipControls", "BucketVersioning", "Key",
                "BucketServerSideEncryptionConfiguration", "BucketPolicy", "BucketLifecycleConfiguration"}  # fmt: skip
    assert controls <= kinds


def test_a_backup_of_nothing_and_a_replica_of_an_unversioned_bucket_are_refused():
    assert "name at least one data store" in refusal(
        lambda: StackBackup("b", StackBackupArgs(name_prefix="acme", copy_region="us-west-2", resource_arns=[]))
    )

    def unversioned() -> None:
        source = StaticSite("src", StaticSiteArgs(purpose="src"))
        replica = StaticSite("dst", StaticSiteArgs(purpose="dst", versioning=True, region="us-west-2"))
        BucketReplication("r", BucketReplicationArgs(source, replica, "us-west-2", "acme"))

    _, errors = raised(unversioned)
    assert errors == ["source: replication needs a versioned bucket encrypted with its own CMK"]


def test_prod_backs_up_its_database_to_eu_central_1_and_replicates_uploads():
    prod = shipped_stack("prod")
    selection = one(prod, "aws:backup/selection:Selection").inputs
    assert selection["resources"] == ["arn:aws:rds:me-south-1:123456789012:db:exiuscart-prod-db"]
    plan = one(prod, "aws:backup/plan:Plan").inputs
    assert [(r["ruleName"], r["lifecycle"]["deleteAfter"]) for r in plan["rules"]] == [("daily", 7), ("weekly", 30)]
    replica = next(r for r in prod.of_type("aws:s3/bucket:Bucket") if r.name == "uploads-replica-bucket")
    assert replica.inputs["region"] == "eu-central-1"
    assert set(prod.outputs["replicaBuckets"]) == {"uploads"}
