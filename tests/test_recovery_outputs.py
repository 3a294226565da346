"""The backups in `webstack cost` and `webstack diagram`, from the shipped prod plan (rendered once)
and from small plans made here."""

from __future__ import annotations

from typing import Any

import pytest

from webstack.cost.estimate import estimate
from webstack.cost.model import Context
from webstack.cost.recovery import Rule, interval_hours, stored_gb
from webstack.cost.tables import PriceTable, load_usage
from webstack.diagram import build_architecture
from webstack.diagram.elements import Edge, Place
from webstack.offline.plan_json import plan_document

from .helpers import shipped_stack


@pytest.fixture(scope="module")
def prod_plan() -> dict[str, Any]:
    return plan_document(shipped_stack("prod"))


def test_schedules_give_the_interval_between_points():
    assert [interval_hours(s) for s in ("cron(0 * * * ? *)", "cron(0 5 * * ? *)", "cron(0 5 ? * SUN *)")] == [
        1,
        24,
        168,
    ]


def test_incremental_points_keep_the_data_once_and_full_points_each_time():
    ctx = Context(
        "us-east-1", PriceTable.load(), {"database_gb": 10, "dynamodb_gb": 2, "backup_daily_change_share": 0.1}, {}
    )
    daily = [Rule(24, 7, (), "v")]
    assert stored_gb({"type": "aws:rds/instance:Instance"}, daily, ctx) == ("rds", 10, pytest.approx(10 + 7 * 0.1 * 10))
    assert stored_gb({"type": "aws:dynamodb/table:Table"}, daily, ctx) == ("dynamodb", 2, 14)


def test_prod_prices_recovery_points_in_each_vault_and_the_copies_transfer(prod_plan):
    cost = estimate(prod_plan, PriceTable.load(), load_usage("prod"), "prod", "us-east-1")
    lines = {(c, i.description.split(" (")[0].split(":")[0], i.key): i for c, i in cost.lines}
    # 15 GB of data, 5 % a day changing: 7 dailies add 5.25 GB, 30 days of weeklies 22.5 GB.
    kept = lines[("StackBackup backup", "recovery points of database-primary", "backup.storage.rds")]
    copied = lines[("StackBackup backup", "copies of database-primary", "backup.storage.rds")]
    assert kept.quantity == copied.quantity == pytest.approx(42.75)
    assert kept.monthly == pytest.approx(42.75 * 0.095)
    transfer = [i for c, i in cost.lines if c == "StackBackup backup" and i.key == "transfer.inter_region"]
    assert sum(i.quantity for i in transfer) == pytest.approx(2 * 730 / 24 * 15 * 0.05)
    replication = {i.key: i for c, i in cost.lines if c == "BucketReplication uploads-replication"}
    assert (replication["transfer.inter_region"].quantity, replication["s3.rtc"].quantity) == (10, 10)
    assert replication["cloudwatch.metric"].quantity == 4


def test_prod_in_its_own_regions_leaves_the_missing_prices_unknown(prod_plan):
    cost = estimate(prod_plan, PriceTable.load(), load_usage("prod"), "prod")
    vault_lines = [i for c, i in cost.lines if i.key == "backup.storage.rds"]
    assert len(vault_lines) == 2 and all(i.unit_price is None for i in vault_lines)  # me-south-1, eu-central-1
    replica = [i for c, i in cost.lines if c == "StaticSite uploads-replica" and i.key == "s3.standard"]
    assert replica[0].unit_price == 0.0245  # priced in eu-central-1, its own region


def test_prod_diagram_draws_the_vault_the_copy_region_and_the_arrows(prod_plan):
    picture = build_architecture(prod_plan, "prod")
    assert picture.copy_region == "eu-central-1"
    copies = {n.id for n in picture.in_place(Place("copy_region"))}
    assert copies == {"backup-copy-vault", "uploads-replica-bucket", "replica-logs-bucket"}
    assert picture.node("backup-vault").label.splitlines()[2:] == ["daily 7 d, weekly 30 d", "vault lock"]
    assert {
        Edge("database-primary", "backup-vault", "AWS Backup"),
        Edge("backup-vault", "backup-copy-vault", "copy of every point"),
        Edge("uploads-bucket", "uploads-replica-bucket", "replication, 15 min (RTC)"),
    } <= set(picture.edges)
