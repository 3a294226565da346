"""Wires the components of one stack from its validated config, and exports what users need."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components import (
    AlertTopic,
    EdgeDomain,
    FargateApi,
    ManagedPostgres,
    ManagedPostgresArgs,
    RedisCache,
    RedisCacheArgs,
    RegistryScanning,
    RegistryScanningArgs,
    SecureVpc,
    SecureVpcArgs,
    TierPrefixes,
)
from webstack.program.compose_backup import build_backup, build_replicas
from webstack.program.compose_jobs import build_jobs
from webstack.program.compose_observe import alert_topic_args, build_dashboard
from webstack.program.compose_rotation import build_cache_rotation, build_service_secret_rotations
from webstack.program.compose_serverless import build_serverless, export_serverless
from webstack.program.compose_web import (
    build_api,
    build_buckets,
    build_edge_domain,
    build_log_bucket,
    build_sites,
    keeps_data,
)
from webstack.program.config import StackConfig, StackIdentity
from webstack.program.dns_handoff import DnsHandoff
from webstack.program.stack_outputs import export_services


@dataclass
class DataTier:
    """The container data tier: each part is None when the stack's config says it has none."""

    alerts: AlertTopic
    vpc: SecureVpc | None = None
    database: ManagedPostgres | None = None
    cache: RedisCache | None = None


def stack_tags(config: StackIdentity, project: str) -> dict[str, str]:
    """Tags every resource carries through the provider's default_tags; config tags win."""
    return {
        "Project": project,
        "Environment": config.environment,
        "ManagedBy": "pulumi",
        **config.tags,
    }


def provider_options(config: StackIdentity) -> pulumi.ResourceOptions:
    """The one explicit AWS provider every resource of a stack (workload or account baseline) is
    made with: its region, the account it may touch, and the stack's tags as default_tags."""
    provider = aws.Provider(
        "aws",
        region=config.region,
        allowed_account_ids=[config.account_id] if config.account_id else None,
        default_tags=aws.ProviderDefaultTagsArgs(tags=stack_tags(config, pulumi.get_project())),
    )
    return pulumi.ResourceOptions(providers=[provider])


def build_data_tier(config: StackConfig, opts: pulumi.ResourceOptions) -> DataTier:
    prefix = config.name_prefix
    alerts = AlertTopic("alerts", alert_topic_args(config), opts)
    tier = DataTier(alerts)
    net = config.network
    if net is None:
        return tier
    tier.vpc = vpc = SecureVpc(
        "network",
        SecureVpcArgs(
            name_prefix=prefix,
            cidr=str(net.cidr),
            az_count=net.az_count,
            nat=net.nat,
            nat_type=net.nat_type,
            nat_instance_type=net.nat_instance_type,
            alarm_actions=[alerts.topic_arn],
            interface_endpoints=tuple(net.interface_endpoints),
            subnet_prefixes=TierPrefixes(**net.subnet_prefixes.model_dump()),
            flow_log_retention_days=config.log_retention_days,
            flow_log_traffic=net.flow_log_traffic,
            flow_log_aggregation_seconds=net.flow_log_aggregation_seconds,
        ),
        opts,
    )
    db = config.database
    if db is not None:
        tier.database = ManagedPostgres(
            "database",
            ManagedPostgresArgs(
                identifier=f"{prefix}-db",
                vpc_id=vpc.vpc_id,
                subnet_ids=vpc.isolated_subnet_ids,
                engine_version=db.engine_version,
                instance_class=db.instance_class,
                allocated_storage_gb=db.allocated_storage_gb,
                max_allocated_storage_gb=db.max_allocated_storage_gb,
                multi_az=db.multi_az,
                backup_retention_days=db.backup_retention_days,
                deletion_protection=db.deletion_protection,
                final_snapshot=db.final_snapshot,
                performance_insights=db.performance_insights,
                monitoring_interval_seconds=db.monitoring_interval_seconds,
                performance_insights_retention_days=db.performance_insights_retention_days,
                read_replicas=db.read_replicas,
                database_name=db.database_name,
                master_username=db.master_username,
                log_retention_days=config.log_retention_days,
                alarm_actions=[alerts.topic_arn],
                max_connections_alarm=db.max_connections_alarm,
                schedule=db.schedule.working_hours() if db.schedule else None,
                # Services log in as the app user with IAM authentication (compose_web.build_api).
                iam_users=[db.app_username] if config.api is not None or config.services else [],
                users_task_image=db.users_task_image,
                backup_window=db.backup_window,
                maintenance_window=db.maintenance_window,
            ),
            opts,
        )
    cache_config = config.cache
    if cache_config is not None:
        tier.cache = RedisCache(
            "cache",
            RedisCacheArgs(
                keep_data_on_destroy=keeps_data(config),
                replication_group_id=f"{prefix}-cache",
                secret_name=f"{prefix}/cache/auth",
                vpc_id=vpc.vpc_id,
                subnet_ids=vpc.isolated_subnet_ids,
                engine=cache_config.engine,
                engine_version=cache_config.engine_version,
                node_type=cache_config.node_type,
                replicas=cache_config.replicas,
                automatic_failover=cache_config.automatic_failover,
                snapshot_retention_days=cache_config.snapshot_retention_days,
                snapshot_window=cache_config.snapshot_window,
                maintenance_window=cache_config.maintenance_window,
                memory_alarm_percent=cache_config.memory_alarm_percent,
                log_retention_days=config.log_retention_days,
                alarm_actions=[alerts.topic_arn],
            ),
            opts,
        )
    return tier


def export_data_tier(data: DataTier) -> None:
    pulumi.export("alertTopicArn", data.alerts.topic_arn)
    if data.vpc is not None:
        pulumi.export("vpcId", data.vpc.vpc_id)
        pulumi.export("privateSubnetIds", data.vpc.private_subnet_ids)
    if data.database is not None:
        pulumi.export("databaseAddress", data.database.address)
        pulumi.export("databaseMasterSecretArn", data.database.master_secret_arn)
    if data.cache is not None:
        pulumi.export("cacheEndpoint", data.cache.primary_endpoint)
        pulumi.export("cacheAuthSecretArn", data.cache.auth_secret_arn)


def export_api(config: StackConfig, api: FargateApi, database: ManagedPostgres, cache: RedisCache) -> None:
    """The first service's names (kept for scripts written against them), every service's, and the
    database users task that `up` runs."""
    pulumi.export("apiRepositoryUrl", api.repository_url)
    pulumi.export("apiServiceName", api.service_name)
    pulumi.export("apiClusterName", api.cluster_name)
    pulumi.export("apiTaskSecurityGroupId", api.task_security_group_id)
    routed = config.api is not None or any(not s.worker for s in config.services.values())
    export_services(api, config.name_prefix, database, cache, routed=routed)
    if database.users_task is not None:
        pulumi.export("databaseUsersTaskDefinition", database.users_task.task_definition_arn)


def build_registry_scanning(config: StackConfig, opts: pulumi.ResourceOptions) -> None:
    """The registry's scanning setting, for a stack whose services push images (one setting per
    account and region: `image_scanning.registry: null` leaves it to an account baseline)."""
    scanning = config.image_scanning
    if scanning.registry is None:
        return
    RegistryScanning(
        "registry-scanning",
        RegistryScanningArgs(scan_type="ENHANCED" if scanning.registry == "enhanced" else "BASIC",
                             continuous=scanning.continuous),
        opts,
    )  # fmt: skip


def build_stack(config: StackConfig) -> None:
    opts = provider_options(config)
    data = build_data_tier(config, opts)
    pulumi.export("region", config.region)
    export_data_tier(data)

    has_services = config.api is not None or bool(config.services)
    if not has_services:
        build_cache_rotation(config, data, None, opts)
    edge = build_edge_domain(config, opts)
    serverless = build_serverless(config, edge=edge, alert_topic_arn=data.alerts.topic_arn, opts=opts)
    export_serverless(serverless)
    build_backup(
        config, database=data.database, table=serverless.table, alert_topic_arn=data.alerts.topic_arn, opts=opts
    )
    handoff = DnsHandoff.of(config, edge, serverless.api)
    web = build_web_tier(config, data, edge, handoff, opts)
    served = web.served
    if serverless.api_host is not None:
        served.append((serverless.api_host, "API Gateway (REST, regional) -> Lambda"))
    if served:
        pulumi.export("hosts", pulumi.Output.all(*(pulumi.Output.all(h, what) for h, what in served)).apply(dict))
    handoff.export()
    build_dashboard(
        config, data, api=web.api, edge=edge, distributions=web.distributions, serverless=serverless, opts=opts
    )


@dataclass
class WebTier:
    """What the web tier built that the stack's outputs and dashboard need."""

    served: list[tuple[pulumi.Input[str], str]] = field(default_factory=list)
    api: FargateApi | None = None
    distributions: dict[str, pulumi.Output[str]] = field(default_factory=dict)


def build_web_tier(
    config: StackConfig, data: DataTier, edge: EdgeDomain | None, handoff: DnsHandoff, opts: pulumi.ResourceOptions
) -> WebTier:
    """The log and data buckets, the services and their jobs, the sites and distributions."""
    has_services = config.api is not None or bool(config.services)
    if not (has_services or config.sites or config.buckets):
        return WebTier()
    log_bucket = build_log_bucket(config, opts)
    buckets = build_buckets(config, log_bucket, opts)
    build_replicas(config, buckets, data.alerts.topic_arn, opts)
    pulumi.export("logBucket", log_bucket.bucket_name)
    pulumi.export("buckets", {name: site.bucket_name for name, site in buckets.items()})
    api = None
    if has_services:
        # The config checks refuse services without the VPC, database and cache.
        assert data.vpc is not None and data.database is not None and data.cache is not None
        api = build_api(
            config,
            edge=edge,
            vpc=data.vpc,
            database=data.database,
            cache=data.cache,
            alert_topic_arn=data.alerts.topic_arn,
            buckets=buckets,
            log_bucket=log_bucket,
            opts=opts,
        )
        build_jobs(config, api=api, vpc=data.vpc, alert_topic_arn=data.alerts.topic_arn, opts=opts)
        build_registry_scanning(config, opts)
        export_api(config, api, data.database, data.cache)
        handoff.load_balancer(config, api.load_balancer_dns_name)
        build_cache_rotation(config, data, api, opts)
        build_service_secret_rotations(config, api, opts)
    if edge is None:
        return WebTier(api=api)
    served, distributions = build_sites(config, edge=edge, api=api, log_bucket=log_bucket, opts=opts, handoff=handoff)
    return WebTier(served, api, distributions)
