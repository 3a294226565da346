"""One-off ECS tasks: start a task definition once in the services' private subnets and security
group (no public IP), and read how its container ended. Shared by the database's users task that
`webstack up` runs and by `webstack run`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


class TaskDidNotStart(Exception):
    """ECS refused to place the task (RunTask answered with failures or no task)."""


@dataclass(frozen=True)
class TaskNetwork:
    """Where a one-off task runs: the services' cluster, private subnets and task security group."""

    cluster: str
    subnets: Sequence[str]
    security_group: str


def network_of(outputs: Mapping[str, Any]) -> TaskNetwork:
    """The services' network, from the stack's outputs."""
    return TaskNetwork(
        cluster=str(outputs["apiClusterName"]),
        subnets=[str(s) for s in outputs.get("privateSubnetIds") or []],
        security_group=str(outputs["apiTaskSecurityGroupId"]),
    )


def family_of(task_definition: str) -> str:
    """arn:aws:ecs:...:task-definition/acme-prod-api:7 -> acme-prod-api."""
    return task_definition.rsplit("/", 1)[-1].split(":", 1)[0]


def task_id_of(task_arn: str) -> str:
    """arn:aws:ecs:...:task/<cluster>/<id> -> <id>."""
    return task_arn.rsplit("/", 1)[-1]


def start_task(
    ecs: Any,
    network: TaskNetwork,
    task_definition: str,
    *,
    started_by: str,
    container: str | None = None,
    command: Sequence[str] | None = None,
) -> str:
    """RunTask on Fargate, once; with ``command`` the container's command is overridden. Returns the
    task's ARN."""
    request: dict[str, Any] = {
        "cluster": network.cluster,
        "taskDefinition": task_definition,
        "launchType": "FARGATE",
        "count": 1,
        "networkConfiguration": {
            "awsvpcConfiguration": {
                "subnets": list(network.subnets),
                "securityGroups": [network.security_group],
                "assignPublicIp": "DISABLED",
            }
        },
        "startedBy": started_by,
    }
    if command is not None:
        request["overrides"] = {"containerOverrides": [{"name": container, "command": list(command)}]}
    started = ecs.run_task(**request)
    if started.get("failures") or not started.get("tasks"):
        raise TaskDidNotStart(f"{family_of(task_definition)} did not start: {started.get('failures')}")
    return started["tasks"][0]["taskArn"]


def describe_task(ecs: Any, cluster: str, task_arn: str) -> Mapping[str, Any]:
    return ecs.describe_tasks(cluster=cluster, tasks=[task_arn])["tasks"][0]


def exit_codes(task: Mapping[str, Any]) -> list[int | None]:
    return [c.get("exitCode") for c in task.get("containers", [])]


def exit_code_of(task: Mapping[str, Any], container: str) -> int | None:
    """The named container's exit code (None: it never ran, or ECS does not know)."""
    return next((c.get("exitCode") for c in task.get("containers", []) if c.get("name") == container), None)
