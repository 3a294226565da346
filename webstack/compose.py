"""Wires the components of one stack from its validated config, and exports what users need."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components import (
    AlertTopic,
    AlertTopicArgs,
    ManagedPostgres,
    ManagedPostgresArgs,
    RedisCache,
    RedisCacheArgs,
    SecureVpc,
    SecureVpcArgs,
    TierPrefixes,
)

from .config import StackConfig


def stack_tags(config: StackConfig, project: str) -> dict[str, str]:
    """Tags every resource carries through the provider's default_tags; config tags win."""
    return {
        "Project": project,
        "Environment": config.environment,
        "ManagedBy": "pulumi",
        **config.tags,
    }


def build_stack(config: StackConfig) -> None:
    provider = aws.Provider(
        "aws",
        region=config.region,
        default_tags=aws.ProviderDefaultTagsArgs(tags=stack_tags(config, pulumi.get_project())),
    )
    opts = pulumi.ResourceOptions(providers=[provider])
    prefix = config.name_prefix

    alerts = AlertTopic("alerts", AlertTopicArgs(name_prefix=prefix, email=config.alerts.email), opts)
    net = config.network
    vpc = SecureVpc(
        "network",
        SecureVpcArgs(
            name_prefix=prefix,
            cidr=str(net.cidr),
            az_count=net.az_count,
            nat=net.nat,
            interface_endpoints=tuple(net.interface_endpoints),
            subnet_prefixes=TierPrefixes(**net.subnet_prefixes.model_dump()),
            flow_log_retention_days=config.log_retention_days,
            flow_log_traffic=net.flow_log_traffic,
        ),
        opts,
    )
    # Application security groups join client_security_group_ids when the API tier lands.
    db = config.database
    database = ManagedPostgres(
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
            read_replicas=db.read_replicas,
            database_name=db.database_name,
            master_username=db.master_username,
            log_retention_days=config.log_retention_days,
            alarm_actions=[alerts.topic_arn],
            max_connections_alarm=db.max_connections_alarm,
        ),
        opts,
    )
    cache_config = config.cache
    cache = RedisCache(
        "cache",
        RedisCacheArgs(
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
            log_retention_days=config.log_retention_days,
            alarm_actions=[alerts.topic_arn],
        ),
        opts,
    )

    pulumi.export("vpcId", vpc.vpc_id)
    pulumi.export("privateSubnetIds", vpc.private_subnet_ids)
    pulumi.export("databaseAddress", database.address)
    pulumi.export("databaseMasterSecretArn", database.master_secret_arn)
    pulumi.export("cacheEndpoint", cache.primary_endpoint)
    pulumi.export("cacheAuthSecretArn", cache.auth_secret_arn)
    pulumi.export("alertTopicArn", alerts.topic_arn)
