"""The serverless sections of a stack's config: the table, the users, the secrets, the functions
and the REST API in front of them (seed 002). Each key sets one component arg where there is one."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from components import ApiRoute, ItemTableArgs, LambdaFunctionArgs, ServerlessApiArgs, UserDirectoryArgs
from components.function_settings import RUNTIMES, TABLE_ACTIONS
from components.serverless_api import CACHE_SIZES_GB
from webstack.program.config_fields import Section, from_arg, own

UpperName = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]{0,63}$")]
# The table actions a function may be granted, as written in config (without "dynamodb:").
TableAction = Literal[tuple(sorted(action.removeprefix("dynamodb:") for action in TABLE_ACTIONS))]  # type: ignore[valid-type]
FunctionName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,20}$")]


class TableConfig(Section):
    """The stack's DynamoDB table (ItemTable), named `<name_prefix>`: PK/SK and one GSI<n>PK/GSI<n>SK pair per
    index."""

    indexes: tuple[Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{2,60}$")], ...] = from_arg(
        ItemTableArgs, "indexes", allowed="names of 3-61 letters, digits and `_`, starting with a letter"
    )
    point_in_time_recovery_days: int = from_arg(ItemTableArgs, "point_in_time_recovery_days", ge=1, le=35)
    deletion_protection: bool = from_arg(ItemTableArgs, "deletion_protection")
    stream_view_type: Literal["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"] | None = from_arg(
        ItemTableArgs, "stream_view_type"
    )
    ttl_attribute: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,254}$")] | None = from_arg(
        ItemTableArgs, "ttl_attribute"
    )


class UsersConfig(Section):
    """The Cognito user pool and the web front end's app client (UserDirectory), named `<name_prefix>`."""

    feature_plan: Literal["ESSENTIALS", "PLUS"] = from_arg(UserDirectoryArgs, "feature_plan")
    mfa: Literal["OPTIONAL", "ON"] = from_arg(UserDirectoryArgs, "mfa")
    password_minimum_length: int = from_arg(UserDirectoryArgs, "password_minimum_length", ge=6, le=99)
    admin_group: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,128}$")] = from_arg(
        UserDirectoryArgs, "admin_group"
    )
    deletion_protection: bool = from_arg(UserDirectoryArgs, "deletion_protection")


class FunctionConfig(Section):
    """One Lambda function (LambdaFunction), named `<name_prefix>-<key>`."""

    code_path: Annotated[
        str, StringConstraints(pattern=r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*/?$")
    ] = from_arg(
        LambdaFunctionArgs,
        "code_path",
        also="Relative to the project directory; it must exist when `webstack preview` or `up` runs.",
        allowed="a relative path (no part starting with `.`)",
    )
    handler: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_./-]+\.[A-Za-z0-9_$]+$")] = from_arg(
        LambdaFunctionArgs, "handler", allowed="`file.export`"
    )
    runtime: Literal[RUNTIMES] = from_arg(LambdaFunctionArgs, "runtime")  # type: ignore[valid-type]
    memory_mb: int = from_arg(LambdaFunctionArgs, "memory_mb", ge=128, le=10240)
    timeout_seconds: int = from_arg(LambdaFunctionArgs, "timeout_seconds", ge=1, le=900)
    environment: dict[Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]+$")], str] = from_arg(
        LambdaFunctionArgs,
        "environment",
        also="webstack sets TABLE_NAME (with a table), CORS_ORIGIN (when the function API has a CORS origin) and "
        "<NAME>_SECRET_ARN for each of `secrets`; a name that collides with one of these is a config error.",
        allowed="names of letters, digits and `_`, starting with a letter",
    )
    reserved_concurrency: int | None = from_arg(LambdaFunctionArgs, "reserved_concurrency", ge=1)
    provisioned_concurrency: int = from_arg(
        LambdaFunctionArgs, "provisioned_concurrency", ge=0, also="At most reserved_concurrency when that is set."
    )
    table_actions: tuple[TableAction, ...] = own(  # type: ignore[valid-type]
        (),
        "The item actions the function's role may take on `webstack:table` (Query and Scan reach its indexes "
        "too); nothing else on the table.",
        allowed=", ".join(sorted(a.removeprefix("dynamodb:") for a in TABLE_ACTIONS)),
    )
    secrets: tuple[UpperName, ...] = own(
        (),
        "Names of `webstack:secrets` the function may read (and decrypt); each secret's own policy denies "
        "every other role.",
    )
    duration_alarm_ms: float | None = from_arg(LambdaFunctionArgs, "duration_alarm_ms", gt=0)


class RouteConfig(Section):
    """Who may call one route, and whether the stage cache keeps its answers."""

    function: FunctionName = from_arg(ApiRoute, "function", also="A key of `webstack:functions`.")
    access: Literal["public", "user", "admin"] = from_arg(ApiRoute, "access")
    cached: bool = from_arg(ApiRoute, "cached")
    rate_limit_per_second: float | None = from_arg(ApiRoute, "rate_limit_per_second", gt=0, le=10000)
    burst_limit: int | None = from_arg(ApiRoute, "burst_limit", ge=0, le=5000)


class FunctionApiConfig(Section):
    """The regional REST API in front of the functions (ServerlessApi), named `<name_prefix>`."""

    routes: dict[Annotated[str, StringConstraints(pattern=r"^[A-Z]+ /\S*$")], FunctionName | RouteConfig] = own(
        ...,
        'Each endpoint, `"METHOD /path"` (`{id}` a path variable): the name of the function that serves it '
        "(public), or `{function, access, cached, rate_limit_per_second, burst_limit}`.",
        allowed="methods GET, POST, PUT, PATCH, DELETE; `user` and `admin` routes need `webstack:users`",
    )
    host: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")] = own(
        "api",
        "With `webstack:domain`, the API answers at `<host>.<domain>` only (regional certificate, Route 53 alias; "
        "the execute-api address is turned off).",
    )
    stage_name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,128}$")] = from_arg(
        ServerlessApiArgs, "stage_name"
    )
    rate_limit_per_second: float = from_arg(ServerlessApiArgs, "rate_limit_per_second", gt=0, le=10000)
    burst_limit: int = from_arg(ServerlessApiArgs, "burst_limit", ge=0, le=5000)
    cache_size_gb: Literal[CACHE_SIZES_GB] | None = from_arg(  # type: ignore[valid-type]
        ServerlessApiArgs, "cache_size_gb", also='Quote it in YAML ("0.5").'
    )
    cache_ttl_seconds: int = from_arg(ServerlessApiArgs, "cache_ttl_seconds", ge=0, le=3600)
    detailed_metrics: bool = from_arg(ServerlessApiArgs, "detailed_metrics")
    waf_rate_limit_per_5_minutes: int | None = from_arg(
        ServerlessApiArgs, "waf_rate_limit_per_5_minutes", ge=10, le=2000000000
    )
    cors_origin: Annotated[str, StringConstraints(pattern=r"^https://[a-z0-9.-]+(:[0-9]{1,5})?$")] | None = from_arg(
        ServerlessApiArgs,
        "cors_origin",
        shown_default="`https://<domain>` with `webstack:domain`, else `null`",
        allowed="an `https://` origin without a path",
    )
