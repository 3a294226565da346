"""Wiring of the web tier: log and data buckets, the API, the sites and their distributions."""

from __future__ import annotations

import pulumi

from components import (
    BucketGrant,
    CorsRule,
    DnsRecord,
    EdgeDistribution,
    EdgeDistributionArgs,
    EdgeDomain,
    EdgeDomainArgs,
    FargateApi,
    FargateApiArgs,
    ImageBuild,
    LifecycleRule,
    LoadBalancerOrigin,
    LogTargets,
    ManagedPostgres,
    RedisCache,
    Route,
    S3Origin,
    SecureVpc,
    ServiceSpec,
    StaticSite,
    StaticSiteArgs,
)
from components.edge_settings import EVERY_HOST
from webstack.program.config import ApiConfig, DomainConfig, StackConfig, price_class_for_region
from webstack.program.dns_handoff import DnsHandoff
from webstack.program.service_environment import DATABASE_URL, bucket_variable, database_url

ALB_LOG_PREFIX = "alb"
S3_LOG_PREFIX = "s3/"


def keeps_data(config: StackConfig) -> bool:
    """Whether `destroy` must leave data alone (resolved by parse_stack_config; True if unset)."""
    return config.keep_data_on_destroy is not False


def fqdn(host: str, domain: str) -> str:
    return f"{host}.{domain}" if host else domain


def host_name(host: str | None, config: StackConfig) -> str | None:
    """``host`` under the stack's domain; None without a custom domain (a *.cloudfront.net name)."""
    domain = config.custom_domain
    return fqdn(host or "", domain) if domain is not None else None


def api_distributions(config: StackConfig, domain: DomainConfig) -> list[tuple[str | None, str, str]]:
    """(host label, resource name, what serves it) of every distribution in front of the ALB: the
    API's host, and each host the routed services answer. Without a custom domain one
    distribution (no host label) serves the API and every routed service, told apart by path."""
    routed = [name for name, service in config.services.items() if not service.worker]
    if domain.name is None:
        names = (["api"] if config.api else []) + routed
        return [(None, "api-edge", f"ALB -> ECS Fargate {' and '.join(names)} (no cache)")] if names else []
    hosts: list[tuple[str | None, str, str]] = (
        [(domain.api_host, "api-edge", "ALB -> ECS Fargate (no cache)")] if config.api else []
    )
    by_host: dict[str, list[str]] = {}
    for name, service in config.services.items():
        for host in () if service.worker else service.hosts:
            by_host.setdefault(host, []).append(name)
    return hosts + [
        (host, f"{host}-host-edge", f"ALB -> ECS Fargate {' and '.join(names)} (no cache)")
        for host, names in by_host.items()
    ]


def build_log_bucket(config: StackConfig, opts: pulumi.ResourceOptions) -> StaticSite:
    """One bucket for ALB, S3 server access and CloudFront logs (SSE-S3: ELB and S3 logging
    cannot write SSE-KMS objects)."""
    return StaticSite(
        "logs",
        StaticSiteArgs(
            keep_data_on_destroy=keeps_data(config),
            purpose="access logs of the load balancer and of buckets and distributions",
            bucket_prefix=f"{config.name_prefix}-logs",
            data_class="logs",
            encryption="s3",
            receives_logs=LogTargets(
                load_balancer_prefix=ALB_LOG_PREFIX,
                server_access_prefix=S3_LOG_PREFIX.rstrip("/"),
                vended_prefix="AWSLogs",
            ),
            lifecycle_rules=[
                LifecycleRule("expire-logs", transition_days=30, expiration_days=config.access_log_expiration_days)
            ],
        ),
        opts,
    )


def build_buckets(config: StackConfig, log_bucket: StaticSite, opts: pulumi.ResourceOptions) -> dict[str, StaticSite]:
    buckets = {}
    for name, bucket in config.buckets.items():
        lifecycle = bucket.lifecycle
        buckets[name] = StaticSite(
            name,
            StaticSiteArgs(
                keep_data_on_destroy=keeps_data(config),
                purpose=f"private data: {name}",
                bucket_prefix=f"{config.name_prefix}-{name}",
                data_class="private",
                encryption="kms",
                versioning=bucket.versioning,
                cors_rules=[CorsRule(bucket.cors_origins, bucket.cors_methods)] if bucket.cors_origins else [],
                lifecycle_rules=[
                    LifecycleRule(
                        f"{name}-lifecycle",
                        transition_days=lifecycle.transition_days,
                        storage_class=lifecycle.storage_class,
                        expiration_days=lifecycle.expiration_days,
                        noncurrent_expiration_days=lifecycle.noncurrent_expiration_days,
                    )
                ]
                if lifecycle is not None
                else [],
                access_log_bucket=log_bucket.bucket_name,
                access_log_prefix=S3_LOG_PREFIX,
            ),
            opts,
        )
    return buckets


def build_edge_domain(config: StackConfig, opts: pulumi.ResourceOptions) -> EdgeDomain | None:
    """The domain's zone and certificates and what every distribution shares; None for a stack
    that names no domain and serves nothing through CloudFront."""
    domain = config.edge
    distributions = api_distributions(config, domain)
    if domain.name is None and not (config.sites or distributions):
        return None
    return EdgeDomain(
        "edge",
        EdgeDomainArgs(
            domain=domain.name,
            name_prefix=config.name_prefix,
            hosted_zone=domain.hosted_zone,
            validation_timeout_minutes=domain.validation_timeout_minutes,
            # Every FargateApi takes one (an ALB for routed services; free from ACM either way).
            regional_certificate=config.api is not None or bool(config.services) or config.function_api is not None,
            waf=domain.waf,
            rate_limit_per_5_minutes=domain.rate_limit_per_5_minutes,
            api_hosts=[
                fqdn(host or "", domain.name) if domain.name is not None else EVERY_HOST for host, _, _ in distributions
            ],
            api_max_body_kb=domain.api_max_body_kb,
            records=[DnsRecord(r.name, r.type, r.values, r.ttl) for r in domain.records],
            waf_logging=config.observability.waf_log_settings(config.log_retention_days),
        ),
        opts,
    )


def service_spec(
    name: str,
    task: ApiConfig,
    route: Route | None,
    *,
    environment: dict[str, pulumi.Input[str]],
    secrets: dict[str, pulumi.Input[str]],
    buckets: dict[str, StaticSite],
    database_users: list[pulumi.Output[str]],
) -> ServiceSpec:
    """One service of the stack's FargateApi from its config section."""
    return ServiceSpec(
        name=name,
        image=ImageBuild(task.build.context, task.build.dockerfile) if task.build else (task.image or ""),
        cpu=task.cpu,
        memory_mib=task.memory_mib,
        architecture=task.architecture,
        container_port=task.container_port,
        desired_count=task.desired_count,
        min_count=task.min_count,
        max_count=task.max_count,
        health_check_path=task.health_check_path,
        health_check_grace_seconds=task.health_check_grace_seconds,
        health_check_interval_seconds=task.health_check_interval_seconds,
        health_check_timeout_seconds=task.health_check_timeout_seconds,
        healthy_threshold=task.healthy_threshold,
        unhealthy_threshold=task.unhealthy_threshold,
        health_check_matcher=task.health_check_matcher,
        deregistration_delay_seconds=task.deregistration_delay_seconds,
        deployment_minimum_healthy_percent=task.deployment_minimum_healthy_percent,
        deployment_maximum_percent=task.deployment_maximum_percent,
        scale_in_cooldown_seconds=task.scale_in_cooldown_seconds,
        scale_out_cooldown_seconds=task.scale_out_cooldown_seconds,
        cpu_target_percent=task.cpu_target_percent,
        memory_target_percent=task.memory_target_percent,
        requests_per_target=task.requests_per_target,
        cpu_alarm_percent=task.cpu_alarm_percent,
        memory_alarm_percent=task.memory_alarm_percent,
        environment={**task.environment, **environment},
        secrets=secrets,
        app_secrets=task.app_secrets,
        bucket_grants=[
            BucketGrant(buckets[a.bucket].bucket_arn, a.prefix, a.access, buckets[a.bucket].kms_key_arn)
            for a in task.bucket_access
        ],
        database_users=database_users,
        spot=task.capacity in ("spot", "spot_above_min"),
        on_demand_base=task.min_count if task.capacity == "spot_above_min" else 0,
        schedule=task.schedule.working_hours() if task.schedule else None,
        route=route,
        deployment=task.deployment,
        bake_time_minutes=task.bake_time_minutes,
        exec_enabled=task.exec,
        tracing=task.tracing,
    )


def build_api(
    config: StackConfig,
    *,
    edge: EdgeDomain | None,
    vpc: SecureVpc,
    database: ManagedPostgres,
    cache: RedisCache,
    alert_topic_arn: pulumi.Input[str],
    buckets: dict[str, StaticSite],
    log_bucket: StaticSite,
    opts: pulumi.ResourceOptions,
) -> FargateApi:
    """The stack's services (webstack:api and webstack:services) on one cluster and one ALB (with
    the domain's regional certificate, or without a custom domain internal and on HTTP)."""
    assert config.database is not None
    domain = config.edge
    # The services log in with IAM authentication as the app user: a token made when a
    # connection opens, never a password that RDS rotates under running tasks.
    environment: dict[str, pulumi.Input[str]] = {
        "DB_HOST": database.address,
        "DB_PORT": str(database.port),
        "DB_NAME": config.database.database_name,
        "DB_USER": config.database.app_username,
        "DB_IAM_AUTH": "true",
        **{bucket_variable(name): site.bucket_name for name, site in buckets.items()},
    }
    secrets: dict[str, pulumi.Input[str]] = {
        "REDIS_URL": pulumi.Output.concat(cache.auth_secret_arn, ":url::"),
    }
    db_user, db_name = config.database.app_username, config.database.database_name
    url = database.address.apply(lambda host: database_url(db_user, host, database.port, db_name))
    database_users = [database.connect_arn(config.database.app_username)]
    tasks: list[tuple[str, ApiConfig, Route | None]] = []
    if config.api is not None:
        tasks.append(("api", config.api, Route()))
    for name, service in config.services.items():
        hosts = tuple(fqdn(h, domain.name) for h in service.hosts) if domain.name is not None else ()
        route = None if service.worker else Route(hosts, service.paths)
        tasks.append((name, service, route))
    alb = config.load_balancer
    api = FargateApi(
        "api",
        FargateApiArgs(
            keep_data_on_destroy=keeps_data(config),
            name_prefix=config.name_prefix,
            vpc_id=vpc.vpc_id,
            public_subnet_ids=vpc.public_subnet_ids,
            private_subnet_ids=vpc.private_subnet_ids,
            certificate_arn=edge.regional_certificate_arn if edge is not None else None,
            log_bucket_name=log_bucket.bucket_name,
            services=[
                service_spec(
                    name,
                    task,
                    route,
                    environment={**environment, DATABASE_URL: url} if task.database_url else environment,
                    secrets=secrets,
                    buckets=buckets,
                    database_users=database_users,
                )
                for name, task, route in tasks
            ],
            secret_kms_key_arns=[cache.kms_key_arn],
            egress_to=[(database.port, database.security_group_id), (cache.port, cache.security_group_id)],
            load_balancer_deletion_protection=alb.deletion_protection,
            idle_timeout_seconds=alb.idle_timeout_seconds,
            log_retention_days=config.log_retention_days,
            alarm_actions=[alert_topic_arn],
            sidecar_repository_arns=[config.guardduty_agent_repository] if config.guardduty_agent_repository else [],
            error_rate_alarm_percent=alb.error_rate_alarm_percent,
            latency_alarm_seconds=alb.latency_alarm_seconds,
            origin_hostname=host_name(domain.origin_label, config),
            zone_id=edge.zone_id if edge is not None else None,
            load_balancer_scheme=alb.resolved_scheme(custom_domain=domain.name is not None),
            accept_no_custom_domain=domain.accept_no_custom_domain,
        ),
        pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[log_bucket])),
    )
    database.admit("api", api.task_security_group_id)
    cache.admit("api", api.task_security_group_id)
    return api


def build_sites(
    config: StackConfig,
    *,
    edge: EdgeDomain,
    api: FargateApi | None,
    log_bucket: StaticSite,
    opts: pulumi.ResourceOptions,
    handoff: DnsHandoff | None = None,
) -> tuple[list[tuple[pulumi.Input[str], str]], dict[str, pulumi.Output[str]]]:
    """One StaticSite and one EdgeDistribution per site, and one distribution for the API.
    Returns (host name, what serves it) pairs and each distribution's id by host (the site's or
    the API's name without a custom domain, whose host names are the *.cloudfront.net ones), and
    exports bucket name -> distribution id (for invalidations). With DNS elsewhere, ``handoff``
    gets each distribution's CNAMEs."""
    domain = config.edge
    served: list[tuple[pulumi.Input[str], str]] = []
    by_host: dict[str, pulumi.Output[str]] = {}
    distributions: dict[pulumi.Output[str], pulumi.Output[str]] = {}
    common = dict(
        zone_id=edge.zone_id,
        certificate_arn=edge.certificate_arn,
        response_headers_policy_id=edge.response_headers_policy_id,
        web_acl_arn=edge.web_acl_arn,
        log_bucket_arn=log_bucket.bucket_arn,
        price_class=domain.price_class or price_class_for_region(config.region),
        accept_no_custom_domain=domain.accept_no_custom_domain,
    )
    for name, site in config.sites.items():
        hostname = host_name(site.host, config)
        bucket = StaticSite(
            name,
            StaticSiteArgs(
                keep_data_on_destroy=keeps_data(config),
                purpose=f"static site {hostname or name}",
                bucket_prefix=f"{config.name_prefix}-{name}",
                data_class="public-content",
                # Content that CloudFront serves to anyone gains nothing from a CMK but KMS costs.
                encryption="s3",
                versioning=site.versioning,
                served_by_cloudfront=True,
                access_log_bucket=log_bucket.bucket_name,
                access_log_prefix=S3_LOG_PREFIX,
                content_dir=site.content_dir,
            ),
            opts,
        )
        www = host_name("www", config) if site.redirect_www else None
        edge_distribution = EdgeDistribution(
            f"{name}-edge",
            EdgeDistributionArgs(
                hostname=hostname,
                origin=S3Origin(bucket.regional_domain_name, bucket.allow_distribution),
                cache_policy_id=edge.cache_policy_ids[site.cache],
                extra_aliases=[www] if www else [],
                viewer_request_function_arn=edge.www_redirect_function_arn if www else None,
                spa=site.spa,
                **common,  # type: ignore[arg-type]
            ),
            opts,
        )
        distributions[bucket.bucket_name] = edge_distribution.distribution_id
        by_host[hostname or name] = edge_distribution.distribution_id
        served.append((hostname or edge_distribution.domain_name, f"S3 bucket {name} ({site.cache})"))
        if handoff is not None:
            handoff.distribution(edge_distribution, f"S3 bucket {name} ({site.cache})")
        if www:
            served.append((www, f"redirect to {hostname}"))
    if api is not None:
        # Host-routed services need the viewer's Host at the ALB; the catch-all API does not.
        forward_host = any(service.hosts for service in config.services.values() if not service.worker)
        # The ALB's certificate covers origin-<api_host>; without a domain its own name (VPC origin, HTTP).
        origin_name = host_name(domain.origin_label, config) or api.load_balancer_dns_name
        for host, resource_name, description in api_distributions(config, domain):
            hostname = host_name(host, config) if host is not None else None
            api_distribution = EdgeDistribution(
                resource_name,
                EdgeDistributionArgs(
                    hostname=hostname,
                    origin=LoadBalancerOrigin(
                        domain_name=origin_name,
                        verify_header_value=api.origin_verify_value,
                        forward_host=forward_host,
                        vpc_origin_id=api.vpc_origin_id,
                    ),
                    **common,  # type: ignore[arg-type]
                ),
                opts,
            )
            by_host[hostname or resource_name.removesuffix("-edge")] = api_distribution.distribution_id
            served.append((hostname or api_distribution.domain_name, description))
            if handoff is not None:
                handoff.distribution(api_distribution, description)
            if resource_name == "api-edge":
                # Where `webstack release` sends its smoke check.
                pulumi.export("apiHost", hostname or api_distribution.domain_name)
    pulumi.export(
        "siteDistributions",
        pulumi.Output.all(*[pulumi.Output.all(k, v) for k, v in distributions.items()]).apply(dict),
    )
    return served, by_host
