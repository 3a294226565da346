"""Reading resource properties the way the engine hands them over (camelCase, read-only proxies,
numbers as floats, JSON documents as strings)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy.proxy import (
    UNKNOWN_ARCHIVE_VALUE,
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_ASSET_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
)

# What the engine sends for a value that is not known yet (every output on a first preview).
UNKNOWN_SENTINELS = frozenset(
    {
        UNKNOWN_ARCHIVE_VALUE,
        UNKNOWN_ARRAY_VALUE,
        UNKNOWN_ASSET_VALUE,
        UNKNOWN_BOOLEAN_VALUE,
        UNKNOWN_NUMBER_VALUE,
        UNKNOWN_OBJECT_VALUE,
        UNKNOWN_STRING_VALUE,
    }
)


class _Unknown:
    """A value that exists but is not known yet: it came from another resource's outputs."""

    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN: Any = _Unknown()


def get(props: Any, *path: str | int, default: Any = None) -> Any:
    """props["a"]["b"][0]... or ``default`` when any step is missing (never KeyError)."""
    current = props
    for step in path:
        if isinstance(step, int):
            if not is_list(current) or step >= len(current):
                return default
            current = current[step]
        else:
            if not isinstance(current, Mapping) or step not in current:
                return default
            current = current[step]
    return default if current is None else current


def _raw(value: Any) -> Any:
    """The plain value behind pulumi_policy's unknown-checking proxy (plain values as they are)."""
    if isinstance(value, (Mapping, Sequence)) and not isinstance(value, (str, bytes)):
        try:
            return value["__target"]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return value
    return value


def peek(props: Any, *path: str | int, default: Any = None) -> Any:
    """Like ``get``, but a value not known yet (a preview's unknown sentinel) comes back as UNKNOWN
    instead of raising: for rules that can decide on "set, value unknown"."""
    current: Any = _raw(props)
    for step in path:
        if isinstance(current, str) and current in UNKNOWN_SENTINELS:
            return UNKNOWN
        if isinstance(step, int):
            if not is_list(current) or step >= len(current):
                return default
        elif not isinstance(current, Mapping) or step not in current:
            return default
        container: Any = current
        current = _raw(container[step])
    if isinstance(current, str) and current in UNKNOWN_SENTINELS:
        return UNKNOWN
    return default if current is None else current


def is_set(props: Any, *path: str | int) -> bool:
    """Present and not empty; a value not known yet counts as set (it came from a resource)."""
    value = peek(props, *path)
    return value is UNKNOWN or bool(value)


def customer_managed_key(props: Any, *path: str | int) -> bool:
    """A KMS key input that names a customer-managed key. A key that is not known yet came from a
    key resource of the stack; AWS managed keys are literal aliases (alias/aws/...)."""
    value = peek(props, *path)
    if value is UNKNOWN:
        return True
    return isinstance(value, str) and bool(value) and not value.split(":")[-1].startswith("alias/aws/")


def is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if is_list(value) else [value]


def json_document(value: Any) -> Any:
    """A JSON document given as a string (policies, container definitions) or already parsed;
    None when it cannot be read (a masked secret, say)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    if isinstance(value, (Mapping, list, tuple)):
        return value
    return None


def truthy(value: Any) -> bool:
    """Booleans arrive as bools, and from provider config as the strings "true"/"false"."""
    if isinstance(value, str):
        return value.lower() == "true"
    return bool(value)
