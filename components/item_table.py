"""ItemTable: a DynamoDB single table (PK/SK and GSIn keys), on demand, CMK-encrypted, recoverable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .aws_context import aws_context
from .encryption_key import customer_managed_key
from .table_settings import (
    PARTITION_KEY,
    SORT_KEY,
    checked_name,
    checked_settings,
    global_indexes,
    key_attributes,
)


@dataclass(frozen=True)
class ItemTableArgs:
    name: str
    """The table's name: 3-255 of a-z A-Z 0-9 _ . - (DynamoDB's rule). Example: "usarakhi-prod"."""
    indexes: Sequence[str] = ("GSI1",)
    """Global secondary indexes, each keyed by its own string attributes <name>PK and <name>SK and projecting
    every attribute: the single-table pattern's second access path (orders by user, active products). Each
    index is billed for the writes it receives. Example: ("GSI1", "GSI2").
    """
    point_in_time_recovery_days: int = 35
    """Days of continuous backup to restore from, to the second (1-35; 35 is DynamoDB's most). Costs per
    GB-month of table size whatever the period (cost/prices.csv). Example: 7.
    """
    deletion_protection: bool = True
    """Refuse DeleteTable until this is turned off (FSBP DynamoDB.6): a `pulumi destroy` or a replacement
    cannot take the data with it. Turn off for a throwaway dev stack. Example: False.
    """
    stream_view_type: str | None = None
    """Turn on a DynamoDB stream with this view (NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY) for a
    function that reacts to changes; None: no stream (its reads are billed per request). Example:
    "NEW_AND_OLD_IMAGES".
    """
    ttl_attribute: str | None = None
    """Attribute holding an epoch-seconds expiry after which DynamoDB deletes the item for free (abandoned
    carts); None: items never expire. Example: "expiresAt".
    """


class ItemTable(pulumi.ComponentResource):
    """The data of a serverless API in one DynamoDB table: items keyed by ``PK`` and ``SK`` (strings),
    with global secondary indexes ``GSI1`` (``GSI1PK``/``GSI1SK``) and more, billed on demand, encrypted
    with its own CMK (rotated yearly), point-in-time recovery on, and protected from deletion.

    Example::

        table = ItemTable("table", ItemTableArgs(name="usarakhi-prod", ttl_attribute="expiresAt"))
        # grant a function its actions on table.table_arn and table.index_arns

    Cost (cost/prices.csv): on demand, per million read and write request units and per GB-month
    stored, point-in-time recovery per GB-month; $1 a month for the CMK. Nothing while idle beyond
    storage.
    """

    table_name: pulumi.Output[str]
    table_arn: pulumi.Output[str]
    index_arns: pulumi.Output[str]
    stream_arn: pulumi.Output[str] | None
    key_arn: pulumi.Output[str]

    def __init__(self, name: str, args: ItemTableArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        checked_name("table", args.name)
        checked_settings(args.point_in_time_recovery_days, args.stream_view_type, args.ttl_attribute)
        indexes = global_indexes(args.indexes)
        super().__init__("webstack:data:ItemTable", name, None, opts)
        key = customer_managed_key(
            f"{name}-key",
            description=f"{args.name} DynamoDB table",
            alias=f"{args.name}/table",
            context=aws_context(self),
            parent=self,
        )
        table = aws.dynamodb.Table(
            f"{name}-table",
            name=args.name,
            billing_mode="PAY_PER_REQUEST",
            hash_key=PARTITION_KEY,
            range_key=SORT_KEY,
            attributes=key_attributes(args.indexes),  # type: ignore[arg-type]
            global_secondary_indexes=indexes,  # type: ignore[arg-type]
            server_side_encryption={"enabled": True, "kms_key_arn": key.arn},
            point_in_time_recovery={"enabled": True, "recovery_period_in_days": args.point_in_time_recovery_days},
            deletion_protection_enabled=args.deletion_protection,
            stream_enabled=args.stream_view_type is not None,
            stream_view_type=args.stream_view_type,
            ttl={"enabled": True, "attribute_name": args.ttl_attribute} if args.ttl_attribute else None,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.table_name = table.name
        self.table_arn = table.arn
        self.index_arns = table.arn.apply(lambda arn: f"{arn}/index/*")
        self.stream_arn = table.stream_arn if args.stream_view_type else None
        self.key_arn = key.arn
        self.register_outputs({"tableName": table.name, "tableArn": table.arn, "keyArn": key.arn})
