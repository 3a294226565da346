"""Which resource of a plan another one names, by exact identifiers only.

A reference is followed through the plan's property dependencies (the URNs an input was computed
from: our plans and `pulumi preview --json` both carry them), else by value: an ARN or name that
equals the target's name, never one that merely contains it (a service named like its cluster,
``<prefix>-api``, would otherwise take the scheduled actions of every service of that cluster).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Protocol

SERVICE = "aws:ecs/service:Service"
CLUSTER = "aws:ecs/cluster:Cluster"
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
SCHEDULED_ACTION = "aws:appautoscaling/scheduledAction:ScheduledAction"
SCALABLE_TARGET = "aws:appautoscaling/target:Target"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
STATIC_SITE = "webstack:storage:StaticSite"


class Plan(Protocol):
    """What the lookups need of a pricing context: every resource of the plan by URN."""

    @property
    def states(self) -> Mapping[str, Mapping[str, Any]]: ...


def of_type(ctx: Plan, resource_type: str) -> list[Mapping[str, Any]]:
    return [s for s in ctx.states.values() if s["type"] == resource_type]


def state_of(urn: str, inputs: Mapping[str, Any], ctx: Plan) -> Mapping[str, Any]:
    return ctx.states.get(urn) or {"urn": urn, "inputs": inputs}


def dependencies(state: Mapping[str, Any], key: str) -> list[str]:
    return (state.get("propertyDependencies") or {}).get(key) or []


def refers_to(state: Mapping[str, Any], key: str, target: Mapping[str, Any], name_key: str = "name") -> bool:
    """Whether the input ``key`` of ``state`` names ``target``: through a property dependency on
    its URN, else by value (its input ``name_key``, or an ARN ending in ``:<that>``)."""
    if target["urn"] in dependencies(state, key):
        return True
    name, value = str(target["inputs"].get(name_key) or ""), str(state["inputs"].get(key) or "")
    return bool(name) and (value == name or value.endswith(f":{name}"))


def same_input(a: Mapping[str, Any], b: Mapping[str, Any], key: str) -> bool:
    """Whether two resources' input ``key`` names the same thing: the same dependencies, else equal values."""
    if dependencies(a, key) and dependencies(b, key):
        return set(dependencies(a, key)) == set(dependencies(b, key))
    return a["inputs"].get(key) == b["inputs"].get(key)


def arn_resource(value: object, kind: str) -> str:
    """The name in an ECS-style ARN ``arn:...:<kind>/<name>[:<revision>]``, or the value itself
    when it is a bare name (``<name>`` or ``<name>:<revision>``); "" for anything else."""
    text = str(value or "")
    if text.startswith("arn:"):
        resource = text.split(":", 5)[-1]
        if not resource.startswith(f"{kind}/"):
            return ""
        text = resource.removeprefix(f"{kind}/")
    name = text.split(":", 1)[0] if kind == "task-definition" else text
    return "" if "/" in name else name


def referenced(state: Mapping[str, Any], key: str, target: tuple[str, str, str], ctx: Plan) -> Mapping[str, Any] | None:
    """The resource that input ``key`` names, ``target`` being (its type, its name input, its ARN
    kind): by dependency, else the one whose name input equals the name in the value's ARN."""
    resource_type, name_key, kind = target
    for urn in dependencies(state, key):
        found = ctx.states.get(urn)
        if found is not None and found["type"] == resource_type:
            return found
    name = arn_resource(state["inputs"].get(key), kind)
    if not name:
        return None
    return next((s for s in of_type(ctx, resource_type) if str(s["inputs"].get(name_key) or "") == name), None)


def task_definition_of(service: Mapping[str, Any], ctx: Plan) -> Mapping[str, Any] | None:
    """The task definition an ECS service runs (its family, never a family it merely starts with)."""
    return referenced(service, "taskDefinition", (TASK_DEFINITION, "family", "task-definition"), ctx)


def cluster_name_of(service: Mapping[str, Any], ctx: Plan) -> str:
    cluster = referenced(service, "cluster", (CLUSTER, "name", "cluster"), ctx)
    if cluster is not None:
        return str(cluster["inputs"].get("name") or "")
    return arn_resource(service["inputs"].get("cluster"), "cluster")


def runs_on(service: Mapping[str, Any], cluster: Mapping[str, Any], ctx: Plan) -> bool:
    if cluster["urn"] in dependencies(service, "cluster"):
        return True
    name = str(cluster["inputs"].get("name") or "")
    return bool(name) and cluster_name_of(service, ctx) == name


def service_resource_id(service: Mapping[str, Any], ctx: Plan) -> str:
    """``service/<cluster>/<service>``: how Application Auto Scaling names the service's desired count."""
    return f"service/{cluster_name_of(service, ctx)}/{service['inputs'].get('name', '')}"


def scaling_of(service: Mapping[str, Any], resource_type: str, ctx: Plan) -> list[Mapping[str, Any]]:
    """The scalable targets or scheduled actions of exactly this service (same cluster, same name)."""
    resource_id = service_resource_id(service, ctx)
    return [s for s in of_type(ctx, resource_type) if str(s["inputs"].get("resourceId", "")) == resource_id]


def _container_log_groups(task: Mapping[str, Any]) -> set[str]:
    """The awslogs groups a task definition's containers write to (its dependencies when the
    container definitions are not known yet)."""
    try:
        containers = json.loads(str(task["inputs"].get("containerDefinitions") or "[]"))
    except ValueError:
        containers = []
    groups = {
        str(((c.get("logConfiguration") or {}).get("options") or {}).get("awslogs-group", ""))
        for c in containers
        if isinstance(c, dict)
    }
    return (groups | set(dependencies(task, "containerDefinitions"))) - {""}


def _exec_log_groups(cluster: Mapping[str, Any]) -> set[str]:
    command = ((cluster["inputs"].get("configuration") or {}).get("executeCommandConfiguration")) or {}
    name = (command.get("logConfiguration") or {}).get("cloudWatchLogGroupName")
    return {str(name)} if name else set()


def log_group_kind(group: Mapping[str, Any], ctx: Plan) -> str:
    """What writes to a log group, from what names it in the plan: ``service`` (the containers of a
    task definition an ECS service runs), ``task`` (of one no service runs: migrations, one-off and
    scheduled tasks), ``exec_sessions`` (a cluster's ECS Exec output), ``flow_logs``, else ``other``."""
    name, urn = str(group["inputs"].get("name") or ""), group["urn"]
    names = {name, urn} - {""}
    if any(names & _exec_log_groups(c) for c in of_type(ctx, CLUSTER)):
        return "exec_sessions"
    for flow in of_type(ctx, FLOW_LOG):
        destination = str(flow["inputs"].get("logDestination") or flow["inputs"].get("logGroupName") or "")
        if urn in dependencies(flow, "logDestination") or (name and destination.endswith(f":log-group:{name}")):
            return "flow_logs"
    served = [t for t in of_type(ctx, TASK_DEFINITION) if names & _container_log_groups(t)]
    if not served:
        return "other"
    running = {task["urn"] for s in of_type(ctx, SERVICE) if (task := task_definition_of(s, ctx)) is not None}
    return "service" if any(t["urn"] in running for t in served) else "task"


def bucket_key(bucket: Mapping[str, Any], ctx: Plan) -> str:
    """The name a bucket has in the stack config: its StaticSite's (a key of `webstack:sites` or
    `webstack:buckets`, or `logs`), else its own `bucket` name, else its resource name."""
    parent = ctx.states.get(str(bucket.get("parent") or ""))
    if parent is not None and parent["type"] == STATIC_SITE:
        return parent["urn"].rsplit("::", 1)[-1]
    return str(bucket["inputs"].get("bucket") or bucket["urn"].rsplit("::", 1)[-1])
