"""Checks between the parts a stack has: what needs the VPC, database and cache, and how the
serverless sections (table, users, secrets, functions, function API) refer to each other."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from components import ApiRoute
from components.api_routes import checked_routes
from components.function_settings import refused_variable
from webstack.program.config_problems import Problem, collision_problems
from webstack.program.config_serverless import FunctionApiConfig, FunctionConfig, RouteConfig

TABLE_VARIABLE = "TABLE_NAME"
CORS_VARIABLE = "CORS_ORIGIN"


def secret_variable(secret: str) -> str:
    """STRIPE_SECRET_KEY -> STRIPE_SECRET_KEY_SECRET_ARN: where a function finds a secret to read."""
    return f"{secret}_SECRET_ARN"


def function_variables(function: FunctionConfig, *, table: bool, cors: bool) -> tuple[str, ...]:
    """The variables webstack sets on a function (compose sets them; users may not)."""
    return (
        *((TABLE_VARIABLE,) if table else ()),
        *((CORS_VARIABLE,) if cors else ()),
        *(secret_variable(s) for s in function.secrets),
    )


def api_routes(api: FunctionApiConfig) -> list[ApiRoute]:
    """The function API's routes as the component takes them (a bare function name is public)."""
    return [
        ApiRoute(spec, route.function, route.access, route.cached, route.rate_limit_per_second, route.burst_limit)
        if isinstance(route, RouteConfig)
        else ApiRoute(spec, route)
        for spec, route in api.routes.items()
    ]


def function_api_problems(api: FunctionApiConfig) -> list[Problem]:
    try:
        checked_routes(api_routes(api))
    except ValueError as error:
        return [Problem("webstack:function_api.routes", str(error))]
    if not api.routes:
        return [Problem("webstack:function_api.routes", "name at least one route")]
    return []


def functions_problems(functions: Mapping[str, FunctionConfig]) -> list[Problem]:
    refused = [
        Problem(
            f"webstack:functions.{name}.environment.{variable}",
            "Lambda refuses it: AWS_* names and the ones Lambda sets itself (_HANDLER, LAMBDA_TASK_ROOT, TZ, ...) "
            "are reserved",
        )
        for name, function in functions.items()
        for variable in function.environment
        if refused_variable(variable)
    ]
    return refused + [
        Problem(
            f"webstack:functions.{name}.provisioned_concurrency",
            f"{function.provisioned_concurrency} is more than reserved_concurrency ({function.reserved_concurrency}): "
            "Lambda keeps warm at most what the function may run",
        )
        for name, function in functions.items()
        if function.reserved_concurrency is not None
        and function.provisioned_concurrency > function.reserved_concurrency
    ]


# (part, config key) -> the parts it cannot run without.
_NEEDS = {
    "database": ("network",),
    "cache": ("network",),
    "services": ("network", "database", "cache"),
}


def missing_part_problems(sections: Mapping[str, Any]) -> list[Problem]:
    """A part that needs another the stack says it has none of (`network: false`)."""
    services = [key for key in ("api", "services") if sections.get(key)]
    present = {
        "database": ["database"] if sections.get("database") is not None else [],
        "cache": ["cache"] if sections.get("cache") is not None else [],
        "services": services,
    }
    problems = []
    for part, needs in _NEEDS.items():
        if not present[part]:
            continue
        who = " and ".join(f"webstack:{key}" for key in present[part])
        for needed in needs:
            if needed in sections and sections[needed] is None:
                problems.append(
                    Problem(
                        f"webstack:{needed}",
                        f"is false, but {who} need{'' if len(present[part]) > 1 else 's'} it: "
                        f"set webstack:{needed}, or leave out {who}",
                    )
                )
    return problems


def serverless_problems(sections: Mapping[str, Any]) -> list[Problem]:
    """How the functions, their API, the table, the users and the secrets refer to each other."""
    functions: Mapping[str, FunctionConfig] = sections.get("functions") or {}
    api = sections.get("function_api")
    problems: list[Problem] = []
    if isinstance(api, FunctionApiConfig):
        problems += _route_problems(api, functions, has_users="users" in sections and sections["users"] is not None)
    if "secrets" in sections:
        problems += _secret_problems(sections["secrets"], functions)
    has_table = "table" in sections and sections["table"] is not None
    domain_name = getattr(sections.get("domain"), "name", None)
    cors = isinstance(api, FunctionApiConfig) and (api.cors_origin is not None or domain_name is not None)
    for name, function in functions.items():
        key = f"webstack:functions.{name}"
        if function.table_actions and "table" in sections and not has_table:
            problems.append(Problem(f"{key}.table_actions", "the stack has no webstack:table to grant them on"))
        problems += collision_problems(
            ((f"{key}.environment.{v}", v) for v in function.environment),
            function_variables(function, table=has_table, cors=cors),
        )
    return problems


def _route_problems(api: FunctionApiConfig, functions: Mapping[str, FunctionConfig], has_users: bool) -> list[Problem]:
    problems = []
    known = ", ".join(sorted(functions)) or "none defined under webstack:functions"
    for route in api_routes(api):
        key = f"webstack:function_api.routes.{route.spec}"
        if route.function not in functions:
            problems.append(Problem(key, f"names the function {route.function!r}; webstack:functions has {known}"))
        if route.access != "public" and not has_users:
            problems.append(
                Problem(key, f"is for {route.access}s: add webstack:users (the Cognito pool that signs them in)")
            )
    return problems


def _secret_problems(secrets: tuple[str, ...], functions: Mapping[str, FunctionConfig]) -> list[Problem]:
    problems = []
    if len(set(secrets)) != len(secrets):
        problems.append(Problem("webstack:secrets", "names a secret twice"))
    for name, function in functions.items():
        for index, secret in enumerate(function.secrets):
            if secret not in secrets:
                problems.append(
                    Problem(
                        f"webstack:functions.{name}.secrets[{index}]",
                        f"{secret} is not one of webstack:secrets ({', '.join(secrets) or 'none'})",
                    )
                )
    readers = {secret for function in functions.values() for secret in function.secrets}
    for index, secret in enumerate(secrets):
        if secret not in readers:
            problems.append(
                Problem(
                    f"webstack:secrets[{index}]",
                    f"no function reads {secret}: list it under a function's secrets, or remove it",
                )
            )
    return problems
