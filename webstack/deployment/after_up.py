"""What `webstack up` does after the engine: invalidate CloudFront for sites whose files changed,
and wait for the API service to reach a steady state, reporting the rollout."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from rich.console import Console

from webstack.deployment.one_off import (
    TaskDidNotStart,
    TaskNetwork,
    describe_task,
    exit_codes,
    family_of,
    start_task,
)

OBJECT_TYPES = ("aws:s3/bucketObjectv2:BucketObjectv2", "aws:s3/bucketObject:BucketObject")
CHANGED = ("create", "update", "replace", "create-replacement", "delete")
ClientFactory = Callable[[str, str], Any]  # (service, region) -> boto3 client


def boto3_client(service: str, region: str) -> Any:
    import boto3  # noqa: PLC0415 - only real deployments talk to AWS directly

    return boto3.client(service, region_name=region)


def changed_buckets(events: Iterable[Any]) -> set[str]:
    """Buckets (by name) whose objects this `up` created, updated or deleted."""
    buckets = set()
    for event in events:
        outputs = getattr(event, "res_outputs_event", None)
        metadata = getattr(outputs, "metadata", None)
        if metadata is None or metadata.type not in OBJECT_TYPES:
            continue
        if str(getattr(metadata.op, "value", metadata.op)) in CHANGED:
            state = metadata.new or metadata.old
            bucket = (getattr(state, "inputs", None) or {}).get("bucket")
            if bucket:
                buckets.add(str(bucket))
    return buckets


def invalidate(
    buckets: set[str], distributions: Mapping[str, str], clients: ClientFactory, console: Console
) -> list[str]:
    """One "/*" invalidation per distribution whose bucket changed; returns the invalidation ids."""
    ids = []
    cloudfront = clients("cloudfront", "us-east-1") if buckets else None
    for bucket in sorted(buckets):
        distribution = distributions.get(bucket)
        if distribution is None or cloudfront is None:
            continue
        answer = cloudfront.create_invalidation(
            DistributionId=distribution,
            InvalidationBatch={
                "Paths": {"Quantity": 1, "Items": ["/*"]},
                "CallerReference": f"webstack-{bucket}-{time.time_ns()}",
            },
        )
        ids.append(answer["Invalidation"]["Id"])
        console.print(f"CloudFront {distribution}: invalidated /* (content of {bucket} changed)")
    return ids


def wait_for_service(cluster: str, service: str, region: str, clients: ClientFactory, console: Console) -> str:
    """Block until ECS reports the service stable; returns and prints the rollout state."""
    ecs = clients("ecs", region)
    console.print(f"Waiting for {service} to reach a steady state ...")
    ecs.get_waiter("services_stable").wait(
        cluster=cluster, services=[service], WaiterConfig={"Delay": 15, "MaxAttempts": _attempts(ecs, cluster, service)}
    )
    described = ecs.describe_services(cluster=cluster, services=[service])["services"][0]
    primary = primary_deployment(described)
    state = primary.get("rolloutState", "COMPLETED")
    console.print(
        f"{service}: rollout {state}, {described.get('runningCount', 0)}/{described.get('desiredCount', 0)} "
        f"tasks running, task definition {str(primary.get('taskDefinition', '?')).rsplit('/', 1)[-1]}"
    )
    if (described.get("deploymentConfiguration") or {}).get("strategy") == "BLUE_GREEN":
        report_service_deployment(ecs, cluster, service, console)
    return state


def primary_deployment(described: Mapping[str, Any]) -> Mapping[str, Any]:
    """The deployment ECS is rolling out (or has rolled out) of a described service."""
    return next((d for d in described.get("deployments", []) if d.get("status") == "PRIMARY"), {})


def _attempts(ecs: Any, cluster: str, service: str) -> int:
    """20 minutes of 15-second polls, plus a blue/green service's bake time: both sets run (and
    the service is not stable) until it ends."""
    found = ecs.describe_services(cluster=cluster, services=[service]).get("services") or [{}]
    bake = (found[0].get("deploymentConfiguration") or {}).get("bakeTimeInMinutes") or 0
    return 80 + 4 * int(bake)


def report_service_deployment(ecs: Any, cluster: str, service: str, console: Console) -> dict[str, Any] | None:
    """Print the latest service deployment's status and lifecycle stage (blue/green: SCALE_UP,
    PRODUCTION_TRAFFIC_SHIFT, BAKE_TIME, CLEAN_UP ...) and whether it rolled back; None when
    the SDK has no ListServiceDeployments (boto3 before 1.36) or ECS lists none."""
    if not (hasattr(ecs, "list_service_deployments") and hasattr(ecs, "describe_service_deployments")):
        return None
    briefs = ecs.list_service_deployments(cluster=cluster, service=service).get("serviceDeployments") or []
    if not briefs:
        return None
    latest = max(briefs, key=lambda brief: str(brief.get("createdAt", "")))
    found = ecs.describe_service_deployments(serviceDeploymentArns=[latest["serviceDeploymentArn"]])
    deployment = (found.get("serviceDeployments") or [latest])[0]
    line = (
        f"{service}: blue/green deployment {deployment.get('status', '?')}, "
        f"stage {deployment.get('lifecycleStage', '?')}"
    )
    rollback = deployment.get("rollback") or {}
    if rollback:
        line += f"; rolled back ({rollback.get('reason', 'no reason given')})"
    elif deployment.get("statusReason"):
        line += f" ({deployment['statusReason']})"
    console.print(line, highlight=False)
    return deployment


class UsersTaskFailed(Exception):
    """The one-off task that creates the database's IAM users did not finish with exit code 0."""


class TaskFailed(Exception):
    """A one-off task did not start, or stopped with a non-zero exit code."""


def run_task_to_completion(
    network: TaskNetwork,
    region: str,
    task_definition: str,
    clients: ClientFactory,
    *,
    started_by: str,
    container: str | None = None,
    command: Sequence[str] | None = None,
) -> str:
    """Run one task in the service's private subnets and wait until it stops: its ARN when every
    container exited 0, else TaskFailed saying why and where its output is."""
    ecs = clients("ecs", region)
    family = family_of(task_definition)
    try:
        task_arn = start_task(
            ecs, network, task_definition, started_by=started_by, container=container, command=command
        )
    except TaskDidNotStart as error:
        raise TaskFailed(str(error)) from None
    ecs.get_waiter("tasks_stopped").wait(
        cluster=network.cluster, tasks=[task_arn], WaiterConfig={"Delay": 6, "MaxAttempts": 100}
    )
    task = describe_task(ecs, network.cluster, task_arn)
    codes = exit_codes(task)
    if codes != [0]:
        raise TaskFailed(
            f"{family} stopped with exit code {codes} ({task.get('stoppedReason', 'no reason given')}); "
            f"its output is in the log group /ecs/{family}"
        )
    return str(task_arn)


def run_users_task(
    network: TaskNetwork, region: str, task_definition: str, clients: ClientFactory, console: Console
) -> None:
    """Run the database's users task (idempotent SQL as the master user) and wait for it: the
    services log in as those users with IAM authentication, so they must exist."""
    family = family_of(task_definition)
    console.print(f"Creating the database's IAM users ({family}) ...")
    try:
        run_task_to_completion(network, region, task_definition, clients, started_by="webstack-up")
    except TaskFailed as error:
        raise UsersTaskFailed(str(error)) from None
    console.print(f"{family}: database users ready")
