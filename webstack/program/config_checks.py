"""Checks that involve several keys. Each returns Problems; none raises."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from components import DnsRecord
from components.dns_records import checked_record, record_label
from components.instance_classes import unknown_class_message
from components.postgres_settings import estimated_max_connections, maintenance_windows
from components.subnet_layout import SubnetLayoutError, TierPrefixes, plan_subnets
from components.time_windows import days_inside, overlap_day, running_minutes, weekly_minutes
from webstack.program.config import (
    CACHE_ENGINE_VERSIONS,
    FARGATE_ENDPOINTS,
    ROTATION_ENDPOINTS,
    ApiConfig,
    CacheConfig,
    DatabaseConfig,
    DomainConfig,
    LoadBalancerConfig,
    NetworkConfig,
    ServiceConfig,
    SiteConfig,
    fargate_memory_choices,
)
from webstack.program.config_checks_backup import backup_problems
from webstack.program.config_checks_jobs import jobs_problems, jobs_service_problems, scan_exception_problems
from webstack.program.config_checks_parts import (
    function_api_problems,
    functions_problems,
    missing_part_problems,
    serverless_problems,
)
from webstack.program.config_checks_rotation import declared_service_secrets, secret_rotation_problems
from webstack.program.config_problems import Problem, collision_problems
from webstack.program.config_serverless import FunctionApiConfig
from webstack.program.service_environment import injected_variables


def network_problems(network: NetworkConfig) -> list[Problem]:
    prefixes = TierPrefixes(**network.subnet_prefixes.model_dump())
    try:
        plan_subnets(str(network.cidr), network.az_count, prefixes)
    except SubnetLayoutError as error:
        prefixes_now = network.subnet_prefixes
        return [
            Problem(
                "webstack:network.cidr",
                f"{str(error).replace('longer subnet prefixes', 'longer webstack:network.subnet_prefixes')} "
                f"(subnet_prefixes now: public /{prefixes_now.public}, private /{prefixes_now.private}, "
                f"isolated /{prefixes_now.isolated})",
            )
        ]
    if network.nat_type == "instance" and network.nat == "none":
        return [Problem("webstack:network.nat_type", "'instance' needs nat: single or per_az (nat is 'none')")]
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
    unknown = unknown_class_message("rds-postgres", database.instance_class)
    if unknown is not None:
        problems.append(Problem("webstack:database.instance_class", unknown))
    elif database.max_connections_alarm is None and estimated_max_connections(database.instance_class) is None:
        problems.append(
            Problem(
                "webstack:database.max_connections_alarm",
                f"required for {database.instance_class}: webstack knows the memory of db.t*, "
                "db.m* and db.r* classes only, so set the connection count to alarm at",
            )
        )
    if database.app_username == database.master_username:
        problems.append(
            Problem(
                "webstack:database.app_username",
                f"must differ from master_username ({database.master_username}): services log in as their "
                "own user with IAM authentication; the master user is for administrators",
            )
        )
    if database.read_replicas and database.backup_retention_days < 1:
        problems.append(
            Problem("webstack:database.read_replicas", "read replicas need backups (backup_retention_days >= 1)")
        )
    return problems + _database_window_problems(database)


def _database_window_problems(database: DatabaseConfig) -> list[Problem]:
    """RDS refuses overlapping backup and maintenance windows; on a schedule, a window set by
    hand must fall in the hours the instance runs (RDS backs up and patches only a running one)."""
    schedule = database.schedule
    computed = maintenance_windows(schedule.working_hours() if schedule else None)
    backup = database.backup_window or computed.backup
    maintenance = database.maintenance_window or computed.maintenance
    problems = []
    day = overlap_day(backup, maintenance)
    if day is not None:
        key = "maintenance_window" if database.maintenance_window else "backup_window"
        shown = {
            "backup_window": backup + ("" if database.backup_window else " (the default)"),
            "maintenance_window": maintenance + ("" if database.maintenance_window else " (the default)"),
        }
        other = "backup_window" if key == "maintenance_window" else "maintenance_window"
        problems.append(
            Problem(
                f"webstack:database.{key}",
                f"{shown[key]} overlaps {other} {shown[other]} on {day}: RDS refuses overlapping windows",
            )
        )
    if schedule is None or schedule.start_hour_utc == schedule.stop_hour_utc:
        return problems
    running = running_minutes(schedule.hours_of_week())
    days = 5 if schedule.days == "MON-FRI" else 7
    window = f"{schedule.days} {schedule.start_hour_utc:02d}:00-{schedule.stop_hour_utc:02d}:00 UTC"
    if database.backup_window and days_inside(database.backup_window, running) < days:
        problems.append(
            Problem(
                "webstack:database.backup_window",
                f"must lie inside the running hours of webstack:database.schedule ({window}): RDS takes no "
                "backup of a stopped instance (or leave it unset to have one chosen)",
            )
        )
    if database.maintenance_window and not weekly_minutes(database.maintenance_window) <= running:
        problems.append(
            Problem(
                "webstack:database.maintenance_window",
                f"must lie inside the running hours of webstack:database.schedule ({window}) (or leave it "
                "unset to have one chosen)",
            )
        )
    return problems


def cache_problems(cache: CacheConfig) -> list[Problem]:
    problems = []
    unknown = unknown_class_message("elasticache", cache.node_type)
    if unknown is not None:
        problems.append(Problem("webstack:cache.node_type", unknown))
    versions = CACHE_ENGINE_VERSIONS[cache.engine]
    if cache.engine_version not in versions:
        problems.append(
            Problem(
                "webstack:cache.engine_version",
                f"must be one of: {', '.join(versions)} for engine {cache.engine} (got {cache.engine_version!r})",
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
        problems.append(Problem("webstack:cache.replicas", "must be 1 or more when automatic_failover is true (got 0)"))
    day = overlap_day(cache.snapshot_window, cache.maintenance_window)
    if day is not None:
        problems.append(
            Problem(
                "webstack:cache.snapshot_window",
                f"{cache.snapshot_window} overlaps maintenance_window {cache.maintenance_window} on {day}: "
                "ElastiCache refuses overlapping windows (move one of them)",
            )
        )
    return problems


def api_problems(api: ApiConfig, key: str = "webstack:api") -> list[Problem]:
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
                f"{key}.memory_mib",
                f"Fargate cpu {api.cpu} allows memory_mib {shown} (got {api.memory_mib})",
            )
        )
    if (api.image is None) == (api.build is None):
        problems.append(
            Problem(
                f"{key}.image",
                "set exactly one of image (a URI; '{repository}:TAG' means the service's own ECR "
                "repository) and build (a Dockerfile to build and push)",
            )
        )
    if api.schedule is not None and api.schedule.start_hour_utc == api.schedule.stop_hour_utc:
        problems.append(Problem(f"{key}.schedule.stop_hour_utc", "must differ from start_hour_utc (got the same hour)"))
    for index, variable in enumerate(api.app_secrets):
        if variable in api.environment:
            problems.append(
                Problem(f"{key}.app_secrets[{index}]", f"{variable} is also set in {key}.environment: pick one")
            )
    if not api.min_count <= api.desired_count <= api.max_count:
        problems.append(
            Problem(
                f"{key}.desired_count",
                f"must lie between min_count and max_count ({api.min_count}..{api.max_count}); got {api.desired_count}",
            )
        )
    if api.capacity == "spot_above_min" and not 1 <= api.min_count < api.max_count:
        problems.append(
            Problem(
                f"{key}.capacity",
                "spot_above_min keeps min_count tasks on demand and puts those above it on Spot: it needs "
                f"1 <= min_count < max_count (got {api.min_count}..{api.max_count}); use spot or on_demand",
            )
        )
    if api.deployment == "blue_green" and api.requests_per_target is not None:
        problems.append(
            Problem(
                f"{key}.requests_per_target",
                "tracks one target group's requests, and blue_green moves production traffic between two: drop it "
                "(CPU and memory still scale the service) or deploy rolling",
            )
        )
    if api.health_check_timeout_seconds >= api.health_check_interval_seconds:
        problems.append(
            Problem(
                f"{key}.health_check_timeout_seconds",
                f"must be less than health_check_interval_seconds ({api.health_check_interval_seconds}); the ALB "
                f"refuses a target group whose check outlasts its interval (got {api.health_check_timeout_seconds})",
            )
        )
    return problems


def services_problems(services: Mapping[str, ServiceConfig]) -> list[Problem]:
    problems = []
    for name, service in services.items():
        key = f"webstack:services.{name}"
        problems += api_problems(service, key)
        if service.worker and (service.hosts or service.paths):
            problems.append(Problem(f"{key}.worker", "a worker has no load balancer: drop hosts and paths"))
        if service.worker and service.deployment == "blue_green":
            problems.append(
                Problem(
                    f"{key}.deployment",
                    "blue_green shifts traffic between two target groups of the load balancer; a worker has none: "
                    "use rolling",
                )
            )
    if "api" in services:
        problems.append(Problem("webstack:services.api", "'api' is the service of webstack:api; pick another name"))
    return problems


def domain_problems(domain: DomainConfig) -> list[Problem]:
    """Each record as Route 53 and its type would take it, each name and type once."""
    problems = []
    seen: set[tuple[str, str]] = set()
    for index, record in enumerate(domain.records):
        key = f"webstack:domain.records[{index}]"
        try:
            checked_record(DnsRecord(record.name, record.type, record.values, record.ttl))
        except ValueError as error:
            problems.append(Problem(key, str(error)))
        if (record_label(record.name), record.type) in seen:
            problems.append(Problem(key, f"{record.type} {record.name or '(apex)'!r} again: list all its values once"))
        seen.add((record_label(record.name), record.type))
    for index, record in enumerate(domain.records):
        others = [r.type for r in domain.records if r.name == record.name and r is not record]
        if record.type == "CNAME" and others:
            problems.append(
                Problem(
                    f"webstack:domain.records[{index}]",
                    f"a CNAME is the only record of its name ({', '.join(others)} too)",
                )
            )
    if domain.records and domain.hosted_zone == "external":
        problems.append(
            Problem(
                "webstack:domain.records",
                "only in a zone webstack manages (hosted_zone lookup or create): with webstack:domain.hosted_zone "
                "'external' webstack writes no DNS records, so create these at your DNS provider and remove them here",
            )
        )
    if domain.name is None:
        problems += [
            Problem(f"webstack:domain.{key}", "needs webstack:domain.name (without a domain there is no zone or host)")
            for key in ("hosted_zone", "api_host", "records")
            if key in domain.model_fields_set
        ]
    elif domain.accept_no_custom_domain:
        problems.append(
            Problem("webstack:domain.accept_no_custom_domain", "only without webstack:domain.name: remove one of them")
        )
    return problems


SECTION_CHECKS: Mapping[str, Callable[[Any], list[Problem]]] = {
    "domain": domain_problems,
    "services": services_problems,
    "network": network_problems,
    "database": database_problems,
    "cache": cache_problems,
    "api": api_problems,
    "function_api": function_api_problems,
    "functions": functions_problems,
    "jobs": jobs_problems,
}


def tasks_of(api: Any, services: Mapping[str, ServiceConfig]) -> dict[str, ApiConfig]:
    """Config key -> settings of every ECS service the stack runs."""
    tasks: dict[str, ApiConfig] = {"webstack:api": api} if isinstance(api, ApiConfig) else {}
    return tasks | {f"webstack:services.{n}": s for n, s in services.items()}


def _database_schedule_problems(database: Any, tasks: Mapping[str, ApiConfig]) -> list[Problem]:
    """A stopped database must not strand a running service."""
    if not isinstance(database, DatabaseConfig) or database.schedule is None:
        return []
    hours = database.schedule
    window = f"{hours.days} {hours.start_hour_utc}-{hours.stop_hour_utc} UTC"
    problems = []
    if (hours.stop_hour_utc - hours.start_hour_utc) % 24 < 3:
        return [
            Problem(
                "webstack:database.schedule",
                f"runs {window}: give it at least 3 hours a day (backups and maintenance run in its first hours)",
            )
        ]
    if database.read_replicas:
        problems.append(
            Problem(
                "webstack:database.schedule", "RDS cannot stop an instance that has read replicas: set read_replicas 0"
            )
        )
    for key, task in tasks.items():
        if task.schedule is None:
            problems.append(
                Problem(
                    "webstack:database.schedule", f"{key} runs around the clock; give it a schedule inside {window}"
                )
            )
        elif task.schedule.start_hour_utc != task.schedule.stop_hour_utc and not hours.covers(task.schedule):
            problems.append(Problem(f"{key}.schedule", f"must lie inside webstack:database.schedule ({window})"))
    return problems


def _rotation_endpoint_problems(network: object, cache: object) -> list[Problem]:
    """The AUTH rotation function calls Secrets Manager, ElastiCache and ECS from the private subnets."""
    if not (isinstance(network, NetworkConfig) and isinstance(cache, CacheConfig)):
        return []
    if network.nat != "none" or cache.auth_token_rotation_days is None:
        return []
    missing = [e for e in ROTATION_ENDPOINTS if e not in network.interface_endpoints]
    if not missing:
        return []
    return [
        Problem(
            "webstack:cache.auth_token_rotation_days",
            f"the rotation function runs in the private subnets, which network.nat: none leaves without a way to "
            f"Secrets Manager, ElastiCache and ECS: add interface_endpoints {', '.join(missing)}, or set null",
        )
    ]


def _secret_problems(
    sections: Mapping[str, Any], network: object, api: object, services: Mapping[str, Any]
) -> list[Problem]:
    """The cache token's rotation endpoints, application secret rotations, GuardDuty's agent repository."""
    problems = _rotation_endpoint_problems(network, sections.get("cache"))
    rotations, region = sections.get("secret_rotation"), sections.get("region")
    agent = sections.get("guardduty_agent_repository")
    if isinstance(agent, str) and isinstance(region, str) and agent.split(":")[3] != region:
        problems.append(
            Problem("webstack:guardduty_agent_repository", f"is in {agent.split(':')[3]}: tasks pull the agent from "
                    f"the repository of their own region ({region})")
        )  # fmt: skip
    if rotations and isinstance(region, str) and isinstance(sections.get("secrets"), tuple):
        declared = declared_service_secrets(api if isinstance(api, ApiConfig) else None, services)
        problems += secret_rotation_problems(rotations, region, sections["secrets"], declared)
    return problems


def cross_section_problems(sections: Mapping[str, Any]) -> list[Problem]:
    """Checks between keys; each runs only when the keys it reads are valid (present in
    ``sections``)."""
    problems: list[Problem] = missing_part_problems(sections) + serverless_problems(sections)
    problems += jobs_service_problems(sections) + backup_problems(sections) + scan_exception_problems(sections)
    network, api, domain = sections.get("network"), sections.get("api"), sections.get("domain")
    sites: Mapping[str, SiteConfig] | None = sections.get("sites")
    buckets: Mapping[str, Any] | None = sections.get("buckets")
    services: Mapping[str, ServiceConfig] = sections.get("services") or {}
    has_tasks = isinstance(api, ApiConfig) or bool(services)
    if isinstance(network, NetworkConfig) and has_tasks and network.nat == "none":
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
    problems += _exec_endpoint_problems(network, api, services)
    problems += _tracing_problems(network, api, services)
    problems += _secret_problems(sections, network, api, services)
    problems += _database_schedule_problems(sections.get("database"), tasks_of(api, services))
    if "domain" in sections and (domain is None or (isinstance(domain, DomainConfig) and domain.name is None)):
        problems += _no_domain_problems(sites, services, sections.get("load_balancer"))
    catch_all = (["webstack:api"] if isinstance(api, ApiConfig) else []) + [
        f"webstack:services.{n}" for n, s in services.items() if not (s.worker or s.hosts or s.paths)
    ]
    for extra in catch_all[1:]:
        problems.append(
            Problem(extra, f"takes every request, like {catch_all[0]}: give it hosts or paths, or make it a worker")
        )
    if sites is not None:
        function_api = sections.get("function_api")
        problems += _site_problems(
            sites,
            domain if isinstance(domain, DomainConfig) else None,
            api,
            services,
            function_api if isinstance(function_api, FunctionApiConfig) else None,
        )
    tasks = tasks_of(api, services)
    problems += _collision_problems(tasks, buckets)
    for key, task in tasks.items():
        if buckets is None:
            break
        for index, grant in enumerate(task.bucket_access):
            if grant.bucket not in buckets:
                known = ", ".join(sorted(buckets)) or "none defined under webstack:buckets"
                problems.append(
                    Problem(
                        f"{key}.bucket_access[{index}].bucket",
                        f"must name a bucket of webstack:buckets ({known}); got {grant.bucket!r}",
                    )
                )
    return problems


def _exec_endpoint_problems(network: Any, api: Any, services: Mapping[str, ServiceConfig]) -> list[Problem]:
    """ECS Exec's agent talks to Session Manager (ssmmessages) and decrypts with KMS: without a NAT
    the private subnets need those endpoints too."""
    with_exec = [key for key, task in tasks_of(api, services).items() if task.exec]
    if not with_exec or not isinstance(network, NetworkConfig) or network.nat != "none":
        return []
    missing = [e for e in ("ssmmessages", "kms") if e not in network.interface_endpoints]
    if not missing:
        return []
    return [
        Problem(
            "webstack:network.interface_endpoints",
            f"ECS Exec ({', '.join(with_exec)}) without a NAT needs the interface endpoints {', '.join(missing)} "
            "(Session Manager's channels and the session key)",
        )
    ]


def _tracing_problems(network: Any, api: Any, services: Mapping[str, ServiceConfig]) -> list[Problem]:
    """The collector's image comes from ECR Public, which no VPC endpoint serves."""
    if not isinstance(network, NetworkConfig) or network.nat != "none":
        return []
    return [
        Problem(
            f"{key}.tracing",
            "the OpenTelemetry collector's image comes from ECR Public, which no VPC endpoint reaches: "
            "use network.nat single or per_az, or turn tracing off",
        )
        for key, task in tasks_of(api, services).items()
        if task.tracing
    ]


def _no_domain_problems(
    sites: Mapping[str, SiteConfig] | None, services: Mapping[str, ServiceConfig], load_balancer: Any
) -> list[Problem]:
    """What needs a custom domain: host names, the www redirect, an internet-facing ALB (whose
    listener needs a certificate)."""
    problems = [
        Problem(
            f"webstack:services.{name}.hosts",
            "needs webstack:domain.name: without a domain every routed service shares the API's CloudFront "
            "name; route by paths",
        )
        for name, service in services.items()
        if service.hosts
    ]
    for name, site in (sites or {}).items():
        if site.host is not None:
            problems.append(Problem(f"webstack:sites.{name}.host", "needs webstack:domain.name: leave it out"))
        if site.redirect_www:
            problems.append(Problem(f"webstack:sites.{name}.redirect_www", "needs webstack:domain.name"))
    if isinstance(load_balancer, LoadBalancerConfig) and load_balancer.scheme == "internet-facing":
        problems.append(
            Problem(
                "webstack:load_balancer.scheme",
                "must be internal without webstack:domain.name: no certificate can name the ALB, so CloudFront "
                "reaches it through its VPC origin",
            )
        )
    return problems


def _collision_problems(tasks: Mapping[str, ApiConfig], buckets: Mapping[str, Any] | None) -> list[Problem]:
    """A user variable or secret named like one webstack sets would be overwritten (or overwrite
    it) without a word: refuse it."""
    problems = []
    for key, task in tasks.items():
        named = [
            *((f"{key}.environment.{v}", v) for v in task.environment),
            *((f"{key}.app_secrets[{i}]", v) for i, v in enumerate(task.app_secrets)),
        ]
        injected = injected_variables(buckets or (), with_database_url=task.database_url, with_tracing=task.tracing)
        problems += collision_problems(named, injected)
    return problems


def _api_hosts(
    domain: DomainConfig | None,
    api: ApiConfig | None,
    services: Mapping[str, ServiceConfig],
    function_api: FunctionApiConfig | None,
) -> tuple[dict[str, str], list[Problem]]:
    """The hosts the APIs and routed services answer (host -> the key that names it), and any
    host two of them claim."""
    problems = []
    hosts: dict[str, str] = {}
    if domain is not None and isinstance(api, ApiConfig):
        hosts[domain.api_host] = "webstack:domain.api_host"
    if domain is not None and function_api is not None:
        if function_api.host in hosts:
            problems.append(
                Problem(
                    "webstack:function_api.host", f"{function_api.host} is already served by {hosts[function_api.host]}"
                )
            )
        hosts.setdefault(function_api.host, "webstack:function_api.host")
    for name, service in services.items():
        for index, host in enumerate(service.hosts):
            key = f"webstack:services.{name}.hosts[{index}]"
            if host in hosts and not hosts[host].startswith("webstack:services."):
                problems.append(Problem(key, f"{host} is already served by {hosts[host]}"))
            hosts.setdefault(host, key)
    return hosts, problems


def _site_problems(
    sites: Mapping[str, SiteConfig],
    domain: DomainConfig | None,
    api: ApiConfig | None,
    services: Mapping[str, ServiceConfig],
    function_api: FunctionApiConfig | None,
) -> list[Problem]:
    if domain is None or domain.name is None:
        return []  # no host names: _no_domain_problems refuses those given
    hosts, problems = _api_hosts(domain, api, services, function_api)
    for name, site in sites.items():
        key = f"webstack:sites.{name}.host"
        if site.host is None:
            problems.append(Problem(key, 'required with webstack:domain.name (`""` for the apex)'))
            continue
        if site.host in hosts:
            shown = site.host or "(apex)"
            problems.append(Problem(key, f"{shown} is already served by {hosts[site.host]}"))
        hosts.setdefault(site.host, key)
        if site.redirect_www and site.host != "":
            problems.append(
                Problem(f"webstack:sites.{name}.redirect_www", "only the apex site (host: '') can answer for www")
            )
        if site.host == "www":
            problems.append(Problem(key, "'www' is reserved for the redirect to the apex (redirect_www: true)"))
        if site.redirect_www:
            hosts.setdefault("www", f"webstack:sites.{name}.redirect_www")
    return problems + _record_clashes(domain, hosts)


def _record_clashes(domain: DomainConfig | None, hosts: dict[str, str]) -> list[Problem]:
    """A CNAME cannot share its name with the aliases webstack creates for the hosts it serves."""
    if domain is None:
        return []
    if "webstack:domain.api_host" in hosts.values():
        hosts.setdefault(domain.origin_label, "the ALB's origin name")
    return [
        Problem(f"webstack:domain.records[{index}]", f"CNAME {record.name!r} would clash with {hosts[record.name]}")
        for index, record in enumerate(domain.records)
        if record.type == "CNAME" and record.name in hosts
    ]
