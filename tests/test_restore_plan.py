"""`webstack restore-plan`: offline on the shipped prod stack (what each store restores from, the
commands, the RPO/RTO verdicts), the hourly copies of seed 004's Monay, and --live through fake
boto3 clients that answer like AWS."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from webstack.commands.cli import main
from webstack.offline.plan_json import plan_document
from webstack.recovery.model import recovery_plan

from .helpers import ROOT, render_stack_file, shipped_stack

ACCOUNT = "210987654321"


@pytest.fixture(scope="module")
def prod_plan() -> dict[str, Any]:
    return plan_document(shipped_stack("prod"))


def test_prod_offline_names_each_source_the_commands_and_the_verdicts(capsys):
    assert main(["restore-plan", "prod"]) == 0
    out = capsys.readouterr().out
    text = " ".join(out.split())
    assert "Restore plan for prod (me-south-1), copies in eu-central-1 (vault exiuscart-prod-backup-copies)" in text
    assert (
        "aws rds restore-db-instance-to-point-in-time --region me-south-1 --source-db-instance-identifier "
        "exiuscart-prod-db --target-db-instance-identifier exiuscart-prod-db-restored --use-latest-restorable-time"
    ) in text
    assert "--new-db-instance-identifier exiuscart-prod-db-old --apply-immediately" in text
    assert (
        "aws backup list-recovery-points-by-backup-vault --region eu-central-1 --backup-vault-name "
        "exiuscart-prod-backup-copies --by-resource-arn arn:aws:rds:me-south-1:<account>:db:exiuscart-prod-db"
    ) in text
    assert "--target-db-snapshot-identifier exiuscart-prod-db-dr --kms-key-id alias/exiuscart-prod-db" in text
    assert "the replica exiuscart-prod-uploads-replica-... in eu-central-1" in text
    assert "region lost: none: ElastiCache snapshots stay in the region" in text
    rows = [line for line in out.splitlines() if line.startswith("│")]
    assert any("in the region" in r and "5 min" in r and "~45 min" in r and "RPO met; RTO met" in r for r in rows)
    region_lost = next(r for r in rows if "region lost" in r)
    assert "24 h 15 min" in region_lost and "~1 h 45 min" in region_lost and "RPO missed; RTO met" in region_lost
    assert "hourly_retention_days adds an hourly rule" in text
    assert "30 min: creating an instance from a snapshot" in text  # every estimate says its basis


def test_monay_copies_every_hour_and_misses_one_hour_only_by_the_copy_time():
    plan = plan_document(render_stack_file(ROOT / "examples" / "monay.yaml", "monay"))
    restore = recovery_plan(plan, "monay")
    rpo, rto, lost = restore.worst("region lost")
    assert (rpo, rto) == (75, 105)  # an hour between copies + 15 min to copy; RTO 45 + 15 + 30 + 15
    assert [s.kind for s in lost] == ["cache"]
    assert restore.worst("in the region")[:2] == (5, 45)
    assert restore.notes == []


def test_a_stack_without_backup_says_nothing_survives_the_region(prod_plan):
    plan = json.loads(json.dumps(prod_plan))
    plan["steps"] = [s for s in plan["steps"] if "backup" not in s["newState"]["type"]
                     and s["newState"]["inputs"].get("region") != "eu-central-1"]  # fmt: skip
    restore = recovery_plan(plan, "prod")
    assert restore.notes == ["no webstack:backup.copy_region: nothing of this stack survives the loss of its region"]
    database = next(s for s in restore.stores if s.kind == "database")
    assert [sc.rpo_minutes for sc in database.scenarios] == [5, None]


class FakeClient:
    """Answers the calls restore-plan --live makes, and records them."""

    def __init__(self, service: str, region: str, calls: list[tuple[str, str, str, dict[str, Any]]]) -> None:
        self.service, self.region, self.calls = service, region, calls

    def __getattr__(self, operation: str) -> Any:
        def call(**kwargs: Any) -> dict[str, Any]:
            self.calls.append((self.service, self.region, operation, kwargs))
            return ANSWERS[(self.service, operation)](self.region, kwargs)

        return call


WHEN = datetime(2026, 12, 1, 5, 20, tzinfo=UTC)
ANSWERS = {
    ("sts", "get_caller_identity"): lambda r, k: {"Account": ACCOUNT},
    ("rds", "describe_db_instances"): lambda r, k: {"DBInstances": [{"LatestRestorableTime": WHEN}]},
    ("backup", "list_recovery_points_by_backup_vault"): lambda r, k: {"RecoveryPoints": [
        {"RecoveryPointArn": f"arn:aws:rds:{r}:{ACCOUNT}:snapshot:awsbackup:job-old", "Status": "COMPLETED",
         "CreationDate": datetime(2026, 11, 30, 5, 0, tzinfo=UTC)},
        {"RecoveryPointArn": f"arn:aws:rds:{r}:{ACCOUNT}:snapshot:awsbackup:job-new", "Status": "COMPLETED",
         "CreationDate": datetime(2026, 12, 1, 5, 0, tzinfo=UTC)},
        {"RecoveryPointArn": f"arn:aws:rds:{r}:{ACCOUNT}:snapshot:awsbackup:job-running", "Status": "CREATING",
         "CreationDate": datetime(2026, 12, 2, 5, 0, tzinfo=UTC)},
    ]},
    ("s3", "list_buckets"): lambda r, k: {"Buckets": [{"Name": f"{k['Prefix']}abc"}]},
    ("s3", "get_bucket_replication"): lambda r, k: {"ReplicationConfiguration": {"Rules": [
        {"Status": "Enabled", "Destination": {"Bucket": "arn:aws:s3:::exiuscart-prod-uploads-replica-xyz"}}]}},
    ("elasticache", "describe_snapshots"): lambda r, k: {"Snapshots": [
        {"SnapshotName": "automatic.exiuscart-prod-cache-2026-12-01-02-00",
         "NodeSnapshots": [{"SnapshotCreateTime": datetime(2026, 12, 1, 2, 5, tzinfo=UTC)}]}]},
}  # fmt: skip


def test_live_names_the_newest_completed_recovery_point_in_each_vault(capsys):
    calls: list[tuple[str, str, str, dict[str, Any]]] = []
    assert main(["restore-plan", "prod", "--live"], restore_clients=lambda s, r: FakeClient(s, r, calls)) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "now: point-in-time: latest restorable time 2026-12-01T05:20+00:00" in text
    assert (
        f"now: exiuscart-prod-backup-copies: arn:aws:rds:eu-central-1:{ACCOUNT}:snapshot:awsbackup:job-new "
        "(2026-12-01T05:00+00:00)"
    ) in text
    assert "now: replica: arn:aws:s3:::exiuscart-prod-uploads-replica-xyz (Enabled)" in text
    assert "now: snapshot: automatic.exiuscart-prod-cache-2026-12-01-02-00" in text
    assert f"--by-resource-arn arn:aws:rds:me-south-1:{ACCOUNT}:db:exiuscart-prod-db" in text
    vaults = {
        (region, k["BackupVaultName"]) for _, region, op, k in calls if op == "list_recovery_points_by_backup_vault"
    }
    assert vaults == {("me-south-1", "exiuscart-prod-backups"), ("eu-central-1", "exiuscart-prod-backup-copies")}


def test_live_without_credentials_is_one_line_and_exit_2(capsys):
    from botocore.exceptions import NoCredentialsError  # noqa: PLC0415

    class NoCredentials:
        def get_caller_identity(self) -> None:
            raise NoCredentialsError

    assert main(["restore-plan", "prod", "--live"], restore_clients=lambda s, r: NoCredentials()) == 2
    assert "--live needs AWS credentials for the stack's account" in capsys.readouterr().err
