"""Pure planning for ItemTable: the single-table key layout, and the names DynamoDB accepts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

# botocore's dynamodb model: TableName and IndexName are 3-255 of these characters.
_TABLE_OR_INDEX_NAME = re.compile(r"[a-zA-Z0-9_.-]{3,255}")
# KeySchemaAttributeName and TimeToLiveAttributeName: 1-255 characters (any).
MAX_ATTRIBUTE_NAME = 255
# RecoveryPeriodInDays: 1-35 (35 is DynamoDB's default and most).
RECOVERY_DAYS = range(1, 36)
STREAM_VIEW_TYPES = ("NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY")
PARTITION_KEY, SORT_KEY = "PK", "SK"


def checked_name(kind: str, name: str) -> str:
    """``name`` if DynamoDB accepts it as a table or index name, else ValueError naming ``kind``."""
    if not _TABLE_OR_INDEX_NAME.fullmatch(name):
        raise ValueError(f"DynamoDB refuses the {kind} name {name!r}: 3-255 of a-z A-Z 0-9 _ . -")
    return name


def index_keys(index: str) -> tuple[str, str]:
    """The partition and sort key attributes of a global secondary index: GSI1 -> GSI1PK, GSI1SK."""
    return f"{index}{PARTITION_KEY}", f"{index}{SORT_KEY}"


def key_attributes(indexes: Sequence[str]) -> list[dict[str, str]]:
    """Every key attribute the table and its indexes name, all strings (DynamoDB wants exactly the
    attributes some key uses declared, no more)."""
    names = [PARTITION_KEY, SORT_KEY, *(key for index in indexes for key in index_keys(index))]
    return [{"name": name, "type": "S"} for name in names]


def global_indexes(indexes: Sequence[str]) -> list[dict[str, Any]]:
    """One global secondary index per name, keyed by its own PK/SK pair, projecting every attribute
    (an item read through the index needs no second read of the table)."""
    if len(set(indexes)) != len(indexes):
        raise ValueError(f"index names repeat: {list(indexes)}")
    planned = []
    for index in indexes:
        partition, sort = index_keys(checked_name("index", index))
        planned.append(
            {
                "name": index,
                "key_schemas": [
                    {"attribute_name": partition, "key_type": "HASH"},
                    {"attribute_name": sort, "key_type": "RANGE"},
                ],
                "projection_type": "ALL",
            }
        )
    return planned


def checked_settings(recovery_days: int, stream_view_type: str | None, ttl_attribute: str | None) -> None:
    """ValueError for a setting DynamoDB would refuse on the first deploy."""
    if recovery_days not in RECOVERY_DAYS:
        raise ValueError(f"point_in_time_recovery_days must be 1-35, not {recovery_days}")
    if stream_view_type is not None and stream_view_type not in STREAM_VIEW_TYPES:
        raise ValueError(f"stream_view_type must be one of {', '.join(STREAM_VIEW_TYPES)}, not {stream_view_type!r}")
    if ttl_attribute is not None and not 1 <= len(ttl_attribute) <= MAX_ATTRIBUTE_NAME:
        raise ValueError(f"ttl_attribute must be 1-{MAX_ATTRIBUTE_NAME} characters")
