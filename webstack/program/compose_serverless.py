"""Wiring of the serverless parts: the table, the users, the secrets, the functions and the REST
API in front of them, from webstack:table, users, secrets, functions and function_api."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi

from components import (
    AppSecret,
    AppSecretArgs,
    EdgeDomain,
    ItemTable,
    ItemTableArgs,
    LambdaFunction,
    LambdaFunctionArgs,
    ServerlessApi,
    ServerlessApiArgs,
    UserDirectory,
    UserDirectoryArgs,
)
from webstack.program.compose_rotation import schedule_rotation
from webstack.program.compose_web import fqdn, keeps_data
from webstack.program.config import StackConfig
from webstack.program.config_checks_parts import CORS_VARIABLE, TABLE_VARIABLE, api_routes, secret_variable
from webstack.program.config_serverless import FunctionConfig


@dataclass
class Serverless:
    table: ItemTable | None = None
    users: UserDirectory | None = None
    secrets: dict[str, AppSecret] = field(default_factory=dict)
    functions: dict[str, LambdaFunction] = field(default_factory=dict)
    api: ServerlessApi | None = None
    api_host: str | None = None


def cors_origin(config: StackConfig) -> str | None:
    """The web origin the function API answers browsers from: as configured, else the domain's apex."""
    api = config.function_api
    if api is None:
        return None
    if api.cors_origin is not None:
        return api.cors_origin
    return f"https://{config.custom_domain}" if config.custom_domain is not None else None


def _function_args(
    config: StackConfig, name: str, function: FunctionConfig, built: Serverless, alert_topic_arn: pulumi.Input[str]
) -> LambdaFunctionArgs:
    origin = cors_origin(config)
    environment: dict[str, pulumi.Input[str]] = {
        **function.environment,
        **({TABLE_VARIABLE: built.table.table_name} if built.table is not None else {}),
        **({CORS_VARIABLE: origin} if origin is not None else {}),
        **{secret_variable(s): built.secrets[s].arn for s in function.secrets},
    }
    table_actions = tuple(f"dynamodb:{action}" for action in function.table_actions)
    return LambdaFunctionArgs(
        name=f"{config.name_prefix}-{name}",
        code_path=function.code_path,
        handler=function.handler,
        runtime=function.runtime,
        memory_mb=function.memory_mb,
        timeout_seconds=function.timeout_seconds,
        environment=environment,
        reserved_concurrency=function.reserved_concurrency,
        provisioned_concurrency=function.provisioned_concurrency,
        table_arn=built.table.table_arn if built.table is not None and table_actions else None,
        table_actions=table_actions,
        secret_arns=[built.secrets[s].arn for s in function.secrets],
        secret_key_arns=[built.secrets[s].key_arn for s in function.secrets],
        log_retention_days=config.log_retention_days,
        alarm_actions=[alert_topic_arn],
        duration_alarm_ms=function.duration_alarm_ms,
    )


def build_serverless(
    config: StackConfig, *, edge: EdgeDomain | None, alert_topic_arn: pulumi.Input[str], opts: pulumi.ResourceOptions
) -> Serverless:
    """Every serverless part the stack's config names (none: nothing is registered)."""
    prefix = config.name_prefix
    built = Serverless()
    if config.table is not None:
        table = config.table
        built.table = ItemTable(
            "table",
            ItemTableArgs(
                name=prefix,
                indexes=table.indexes,
                point_in_time_recovery_days=table.point_in_time_recovery_days,
                deletion_protection=table.deletion_protection,
                stream_view_type=table.stream_view_type,
                ttl_attribute=table.ttl_attribute,
            ),
            opts,
        )
    if config.users is not None:
        users = config.users
        built.users = UserDirectory(
            "users",
            UserDirectoryArgs(
                name=prefix,
                feature_plan=users.feature_plan,
                mfa=users.mfa,
                password_minimum_length=users.password_minimum_length,
                admin_group=users.admin_group,
                deletion_protection=users.deletion_protection,
            ),
            opts,
        )
    for secret in config.secrets:
        built.secrets[secret] = AppSecret(
            f"secret-{secret.lower().replace('_', '-')}",
            AppSecretArgs(name=f"{prefix}/{secret}", keep_data_on_destroy=keeps_data(config)),
            opts,
        )
    for name, function in config.functions.items():
        built.functions[name] = LambdaFunction(
            f"function-{name}", _function_args(config, name, function, built, alert_topic_arn), opts
        )
    for secret, resource in built.secrets.items():
        rotation = config.secret_rotation.get(secret)
        resource.allow_readers(
            [
                built.functions[name].role_arn
                for name, function in config.functions.items()
                if secret in function.secrets
            ]
            + ([rotation.role_arn] if rotation is not None and rotation.role_arn else [])
        )
        if rotation is not None:
            schedule_rotation(f"secret-{secret.lower().replace('_', '-')}", resource.arn, rotation, opts)
    if config.function_api is not None:
        built.api, built.api_host = _build_api(config, built, edge, opts)
    return built


def _build_api(
    config: StackConfig, built: Serverless, edge: EdgeDomain | None, opts: pulumi.ResourceOptions
) -> tuple[ServerlessApi, str | None]:
    api = config.function_api
    assert api is not None
    domain = config.custom_domain
    host = fqdn(api.host, domain) if domain is not None and edge is not None else None
    return (
        ServerlessApi(
            "function-api",
            ServerlessApiArgs(
                name=config.name_prefix,
                routes=api_routes(api),
                targets={name: function.api_target for name, function in built.functions.items()},
                user_pool_arn=built.users.user_pool_arn if built.users is not None else None,
                stage_name=api.stage_name,
                rate_limit_per_second=api.rate_limit_per_second,
                burst_limit=api.burst_limit,
                cache_size_gb=api.cache_size_gb,
                cache_ttl_seconds=api.cache_ttl_seconds,
                log_retention_days=config.log_retention_days,
                detailed_metrics=api.detailed_metrics,
                waf_rate_limit_per_5_minutes=api.waf_rate_limit_per_5_minutes,
                waf_logging=config.observability.waf_log_settings(config.log_retention_days),
                cors_origin=cors_origin(config),
                domain_name=host,
                certificate_arn=edge.regional_certificate_arn if host is not None and edge is not None else None,
                zone_id=edge.zone_id if host is not None and edge is not None else None,
            ),
            opts,
        ),
        host,
    )


def export_serverless(built: Serverless) -> None:
    """What the front end and the team's scripts need: names, ids and the API's address."""
    if built.table is not None:
        pulumi.export("tableName", built.table.table_name)
    if built.users is not None:
        pulumi.export("userPoolId", built.users.user_pool_id)
        pulumi.export("userPoolClientId", built.users.client_id)
        pulumi.export("userPoolIssuer", built.users.issuer)
    if built.secrets:
        pulumi.export("secretArns", {name: secret.arn for name, secret in built.secrets.items()})
    if built.functions:
        pulumi.export("functionNames", {name: f.function_name for name, f in built.functions.items()})
    if built.api is not None:
        pulumi.export("functionApiUrl", built.api.url)
