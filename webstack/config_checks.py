"""Checks that involve several keys. Each returns Problems; none raises."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from components.postgres_settings import estimated_max_connections
from components.subnet_layout import SubnetLayoutError, TierPrefixes, plan_subnets

from .config import (
    CACHE_ENGINE_VERSIONS,
    FARGATE_ENDPOINTS,
    ApiConfig,
    CacheConfig,
    DatabaseConfig,
    NetworkConfig,
    Section,
    fargate_memory_choices,
)
from .config_problems import Problem


def network_problems(network: NetworkConfig) -> list[Problem]:
    prefixes = TierPrefixes(**network.subnet_prefixes.model_dump())
    try:
        plan_subnets(str(network.cidr), network.az_count, prefixes)
    except SubnetLayoutError as error:
        return [Problem("webstack:network.cidr", str(error))]
    return []


def database_problems(database: DatabaseConfig) -> list[Problem]:
    problems = []
    if database.max_allocated_storage_gb < database.allocated_storage_gb:
        problems.append(
            Problem(
                "webstack:database.max_allocated_storage_gb",
                f"must be at least allocated_storage_gb ({database.allocated_storage_gb}); "
                f"got {database.max_allocated_storage_gb}",
            )
        )
    if database.max_connections_alarm is None and estimated_max_connections(database.instance_class) is None:
        problems.append(
            Problem(
                "webstack:database.max_connections_alarm",
                f"required for {database.instance_class}: webstack knows the memory of db.t*, "
                "db.m* and db.r* classes only, so set the connection count to alarm at",
            )
        )
    if database.read_replicas and database.backup_retention_days < 1:
        problems.append(
            Problem(
                "webstack:database.read_replicas", "read replicas need backups (backup_retention_days >= 1)"
            )
        )
    return problems


def cache_problems(cache: CacheConfig) -> list[Problem]:
    problems = []
    versions = CACHE_ENGINE_VERSIONS[cache.engine]
    if cache.engine_version not in versions:
        problems.append(
            Problem(
                "webstack:cache.engine_version",
                f"must be one of: {', '.join(versions)} for engine {cache.engine} "
                f"(got {cache.engine_version!r})",
            )
        )
    if cache.replicas > 0 and not cache.automatic_failover:
        problems.append(
            Problem(
                "webstack:cache.automatic_failover",
                f"must be true when replicas is {cache.replicas}: a replica that is never "
                "promoted adds cost without availability (or set replicas: 0)",
            )
        )
    if cache.automatic_failover and cache.replicas == 0:
        problems.append(
            Problem("webstack:cache.replicas", "must be 1 or more when automatic_failover is true (got 0)")
        )
    return problems


def api_problems(api: ApiConfig) -> list[Problem]:
    problems = []
    choices = fargate_memory_choices(api.cpu)
    if api.memory_mib not in choices:
        shown = (
            ", ".join(map(str, choices))
            if len(choices) <= 8
            else f"{choices[0]} to {choices[-1]} in steps of {choices[1] - choices[0]}"
        )
        problems.append(
            Problem(
                "webstack:api.memory_mib",
                f"Fargate cpu {api.cpu} allows memory_mib {shown} (got {api.memory_mib})",
            )
        )
    if not api.min_count <= api.desired_count <= api.max_count:
        problems.append(
            Problem(
                "webstack:api.desired_count",
                f"must lie between min_count and max_count ({api.min_count}..{api.max_count}); "
                f"got {api.desired_count}",
            )
        )
    return problems


SECTION_CHECKS: Mapping[str, Callable[[Any], list[Problem]]] = {
    "network": network_problems,
    "database": database_problems,
    "cache": cache_problems,
    "api": api_problems,
}


def cross_section_problems(sections: Mapping[str, Section | None]) -> list[Problem]:
    """Checks between sections; each runs only when the sections it reads are valid."""
    network, api = sections.get("network"), sections.get("api")
    problems = []
    if isinstance(network, NetworkConfig) and isinstance(api, ApiConfig) and network.nat == "none":
        missing = [e for e in FARGATE_ENDPOINTS if e not in network.interface_endpoints]
        if missing:
            problems.append(
                Problem(
                    "webstack:network.nat",
                    "'none' leaves the API's private subnets without a way to pull images, "
                    f"ship logs and read secrets: add interface_endpoints {', '.join(missing)} "
                    "or use nat: single or per_az",
                )
            )
    return problems
