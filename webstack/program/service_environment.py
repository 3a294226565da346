"""The environment variables webstack gives every service, named in one place (compose sets
them; the config checks refuse user variables that would collide with them)."""

from __future__ import annotations

from collections.abc import Iterable

# Where the database and cache are, and how to log in (IAM authentication as DB_USER).
DATA_VARIABLES = ("DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_IAM_AUTH", "REDIS_URL")


def bucket_variable(bucket: str) -> str:
    """uploads -> UPLOADS_BUCKET: the name of a webstack:buckets bucket."""
    return f"{bucket.upper().replace('-', '_')}_BUCKET"


def injected_variables(buckets: Iterable[str]) -> tuple[str, ...]:
    return (*DATA_VARIABLES, *(bucket_variable(b) for b in buckets))
