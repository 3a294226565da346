"""Reading resource properties the way the engine hands them over (camelCase, read-only proxies,
numbers as floats, JSON documents as strings)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any


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
