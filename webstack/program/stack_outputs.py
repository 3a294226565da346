"""The stack outputs of the services: one entry per service of webstack:api and webstack:services,
for the deploy tooling (`webstack outputs --json`, CI) to push images and watch rollouts."""

from __future__ import annotations

import pulumi

from components import FargateApi, ManagedPostgres, RedisCache
from components.api_settings import CONTAINER_NAME, LOG_STREAM_PREFIX
from components.fargate_service import log_group_name


def export_services(
    api: FargateApi, prefix: str, database: ManagedPostgres, cache: RedisCache, *, routed: bool
) -> None:
    """`services`: {name: {repositoryUrl, serviceName, taskDefinitionArn, container, logGroup,
    logStreamPrefix, exec}} (what `release`, `run` and `tunnel` read); `databasePort` and
    `cachePort` (the addresses a tunnel forwards to); `loadBalancerDnsName` when a service is
    routed (the ALB's own name: CloudFront's origin, and what a CNAME would point at). The API's
    single outputs (apiRepositoryUrl, ...) stay for existing users."""
    pulumi.export(
        "services",
        {
            name: {
                "repositoryUrl": running.built.repository_url,
                "serviceName": running.service.name,
                "taskDefinitionArn": running.service.task_definition,
                "container": CONTAINER_NAME,
                "logGroup": log_group_name(prefix, name),
                "logStreamPrefix": LOG_STREAM_PREFIX,
                "exec": running.spec.exec_enabled,
            }
            for name, running in api.services.items()
        },
    )
    pulumi.export("databasePort", database.port)
    pulumi.export("cachePort", cache.port)
    if routed:
        pulumi.export("loadBalancerDnsName", api.load_balancer_dns_name)
