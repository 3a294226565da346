"""Wires the rotation of secrets: the cache AUTH token webstack owns (CacheTokenRotation), and the
application secrets whose rotation function the user supplies (webstack:secret_rotation)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pulumi

from components import CacheService, CacheTokenRotation, CacheTokenRotationArgs, FargateApi, SecretRotationSchedule
from webstack.program.config import StackConfig
from webstack.program.config_rotation import SecretRotationConfig

if TYPE_CHECKING:
    from webstack.program.compose import DataTier


def build_cache_rotation(
    config: StackConfig, data: DataTier, api: FargateApi | None, opts: pulumi.ResourceOptions
) -> CacheTokenRotation | None:
    """The cache's AUTH token rotated every cache.auth_token_rotation_days, the services that inject
    it redeployed after each rotation; None without a cache or with rotation off."""
    cache, vpc, settings = data.cache, data.vpc, config.cache
    if cache is None or vpc is None or settings is None or settings.auth_token_rotation_days is None:
        return None
    services = (
        [CacheService(api.cluster_name, running.service.name) for running in api.services.values()] if api else []
    )
    rotation = CacheTokenRotation(
        "cache-rotation",
        CacheTokenRotationArgs(
            name=f"{config.name_prefix}-cache-rotation",
            secret_arn=cache.auth_secret_arn,
            secret_key_arn=cache.kms_key_arn,
            replication_group_id=f"{config.name_prefix}-cache",
            vpc_id=vpc.vpc_id,
            subnet_ids=vpc.private_subnet_ids,
            cache_security_group_id=cache.security_group_id,
            services=services,
            every_days=settings.auth_token_rotation_days,
            log_retention_days=config.log_retention_days,
            alarm_actions=[data.alerts.topic_arn],
        ),
        opts,
    )
    cache.admit("rotation", rotation.security_group_id)
    return rotation


def schedule_rotation(
    name: str, secret_arn: pulumi.Input[str], rotation: SecretRotationConfig, opts: pulumi.ResourceOptions
) -> SecretRotationSchedule:
    return SecretRotationSchedule(
        f"{name}-rotation",
        secret_arn=secret_arn,
        function_arn=rotation.function_arn,
        every_days=rotation.every_days,
        opts=opts,
    )


def build_service_secret_rotations(config: StackConfig, api: FargateApi, opts: pulumi.ResourceOptions) -> None:
    """The rotations of services' app_secrets (keys `<service>/NAME`; the config checks that each exists)."""
    for key, rotation in config.secret_rotation.items():
        if "/" not in key:
            continue
        service, variable = key.split("/", 1)
        arn = api.services[service].app_secret_arns[variable]
        schedule_rotation(f"{service}-secret-{variable.lower().replace('_', '-')}", arn, rotation, opts)
