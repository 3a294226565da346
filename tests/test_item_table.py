"""ItemTable under mocks: the single-table layout, encryption, recovery, and names AWS refuses."""

from __future__ import annotations

import pulumi
import pytest

from components import ItemTable, ItemTableArgs
from components.table_settings import global_indexes, key_attributes

from .helpers import one, refusal, render

TABLE = "aws:dynamodb/table:Table"


def table_run(**overrides):
    def program():
        table = ItemTable("table", ItemTableArgs(name="usarakhi-prod", **overrides))
        pulumi.export("indexes", table.index_arns)
        pulumi.export("stream", table.stream_arn)
        pulumi.export("key", table.key_arn)
        pulumi.export("table", table.table_arn)

    return render(program, stack="prod")


def test_single_table_keys_and_the_seeds_gsi1_billed_on_demand():
    inputs = one(table_run(), TABLE).inputs
    assert inputs["name"] == "usarakhi-prod" and inputs["billingMode"] == "PAY_PER_REQUEST"
    assert (inputs["hashKey"], inputs["rangeKey"]) == ("PK", "SK")
    assert inputs["attributes"] == [{"name": n, "type": "S"} for n in ("PK", "SK", "GSI1PK", "GSI1SK")]
    (index,) = inputs["globalSecondaryIndexes"]
    assert index["name"] == "GSI1" and index["projectionType"] == "ALL"
    assert index["keySchemas"] == [
        {"attributeName": "GSI1PK", "keyType": "HASH"},
        {"attributeName": "GSI1SK", "keyType": "RANGE"},
    ]
    assert "readCapacity" not in inputs and "writeCapacity" not in inputs


def test_encrypted_with_its_own_rotating_key_recoverable_and_protected():
    run = table_run()
    inputs = one(run, TABLE).inputs
    assert inputs["serverSideEncryption"] == {"enabled": True, "kmsKeyArn": run.outputs["key"]}
    assert one(run, "aws:kms/key:Key").inputs["enableKeyRotation"] is True
    assert one(run, "aws:kms/alias:Alias").inputs["name"] == "alias/usarakhi-prod/table"
    assert inputs["pointInTimeRecovery"] == {"enabled": True, "recoveryPeriodInDays": 35}
    assert inputs["deletionProtectionEnabled"] is True
    assert inputs["streamEnabled"] is False and "ttl" not in inputs
    assert run.outputs["table"] == "arn:aws:dynamodb:us-east-1:123456789012:table/usarakhi-prod"
    assert run.outputs["indexes"] == run.outputs["table"] + "/index/*" and run.outputs.get("stream") is None


def test_stream_ttl_more_indexes_and_a_dev_table_without_protection():
    run = table_run(
        indexes=("GSI1", "GSI2"),
        stream_view_type="NEW_AND_OLD_IMAGES",
        ttl_attribute="expiresAt",
        deletion_protection=False,
        point_in_time_recovery_days=7,
    )
    inputs = one(run, TABLE).inputs
    assert [i["name"] for i in inputs["globalSecondaryIndexes"]] == ["GSI1", "GSI2"]
    assert {"name": "GSI2SK", "type": "S"} in inputs["attributes"]
    assert (inputs["streamEnabled"], inputs["streamViewType"]) == (True, "NEW_AND_OLD_IMAGES")
    assert inputs["ttl"] == {"enabled": True, "attributeName": "expiresAt"}
    assert inputs["deletionProtectionEnabled"] is False
    assert inputs["pointInTimeRecovery"]["recoveryPeriodInDays"] == 7
    assert run.outputs["stream"].startswith(run.outputs["table"] + "/stream/")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "ab"}, "DynamoDB refuses the table name 'ab'"),
        ({"name": "usarakhi prod"}, "DynamoDB refuses the table name"),
        ({"indexes": ("GSI 1",)}, "DynamoDB refuses the index name 'GSI 1'"),
        ({"indexes": ("GSI1", "GSI1")}, "index names repeat"),
        ({"point_in_time_recovery_days": 36}, "point_in_time_recovery_days must be 1-35"),
        ({"stream_view_type": "NEW"}, "stream_view_type must be one of NEW_IMAGE"),
        ({"ttl_attribute": ""}, "ttl_attribute must be 1-255"),
    ],
)
def test_what_dynamodb_would_refuse_is_refused_before_anything_is_registered(overrides, message):
    assert message in refusal(lambda: ItemTable("table", ItemTableArgs(**{"name": "usarakhi-prod", **overrides})))


def test_the_layout_declares_exactly_the_key_attributes():
    assert [a["name"] for a in key_attributes(())] == ["PK", "SK"]
    assert global_indexes(()) == []
    assert [a["name"] for a in key_attributes(("GSI1", "Orders"))] == [
        "PK",
        "SK",
        "GSI1PK",
        "GSI1SK",
        "OrdersPK",
        "OrdersSK",
    ]
