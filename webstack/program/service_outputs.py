"""Stack outputs the day-2 commands read: what `webstack run` needs to start a service's task
definition with another command and follow its log stream, and what `webstack tunnel` needs to
find an exec-enabled task and the address behind it."""

from __future__ import annotations

from typing import Any

import pulumi

from components import FargateApi, ManagedPostgres, RedisCache
from components.api_settings import CONTAINER_NAME, LOG_STREAM_PREFIX
from components.fargate_service import log_group_name


def service_tasks(api: FargateApi, prefix: str) -> dict[str, dict[str, Any]]:
    """Per service (by its config name): the ECS service, the task definition it runs (ARN with
    revision), its container, log group and stream prefix, and whether ECS Exec is on."""
    return {
        name: {
            "service": running.service.name,
            "taskDefinition": running.service.task_definition,
            "container": CONTAINER_NAME,
            "logGroup": log_group_name(prefix, name),
            "logStreamPrefix": LOG_STREAM_PREFIX,
            "exec": running.spec.exec_enabled,
        }
        for name, running in api.services.items()
    }


def export_operations(api: FargateApi, prefix: str, database: ManagedPostgres, cache: RedisCache) -> None:
    pulumi.export("serviceTasks", service_tasks(api, prefix))
    pulumi.export("databasePort", database.port)
    pulumi.export("cachePort", cache.port)
