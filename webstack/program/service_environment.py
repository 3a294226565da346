"""The environment variables webstack gives every service, named in one place (compose sets
them; the config checks refuse user variables that would collide with them)."""

from __future__ import annotations

from collections.abc import Iterable

from components.tracing_settings import TRACING_VARIABLES

# Where the database and cache are, and how to log in (IAM authentication as DB_USER).
DATA_VARIABLES = ("DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_IAM_AUTH", "REDIS_URL")

# The same as one URL, for a service that asks for it (`database_url: true`): no password in it.
DATABASE_URL = "DATABASE_URL"


def database_url(user: str, host: str, port: int | str, database: str) -> str:
    """postgresql://<user>@<host>:<port>/<db>?sslmode=require: the app adds an IAM authentication
    token as the password when it connects (the instance refuses anything but TLS)."""
    return f"postgresql://{user}@{host}:{port}/{database}?sslmode=require"


def bucket_variable(bucket: str) -> str:
    """uploads -> UPLOADS_BUCKET: the name of a webstack:buckets bucket."""
    return f"{bucket.upper().replace('-', '_')}_BUCKET"


def injected_variables(
    buckets: Iterable[str], *, with_database_url: bool = False, with_tracing: bool = False
) -> tuple[str, ...]:
    return (
        *DATA_VARIABLES,
        *((DATABASE_URL,) if with_database_url else ()),
        *(bucket_variable(b) for b in buckets),
        *(TRACING_VARIABLES if with_tracing else ()),
    )
