"""What `webstack up` does after the engine: invalidate CloudFront for sites whose files changed,
and wait for the API service to reach a steady state, reporting the rollout."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
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
        cluster=cluster, services=[service], WaiterConfig={"Delay": 15, "MaxAttempts": 80}
    )
    described = ecs.describe_services(cluster=cluster, services=[service])["services"][0]
    primary = next((d for d in described.get("deployments", []) if d.get("status") == "PRIMARY"), {})
    state = primary.get("rolloutState", "COMPLETED")
    console.print(
        f"{service}: rollout {state}, {described.get('runningCount', 0)}/{described.get('desiredCount', 0)} "
        f"tasks running, task definition {str(primary.get('taskDefinition', '?')).rsplit('/', 1)[-1]}"
    )
    return state


class UsersTaskFailed(Exception):
    """The one-off task that creates the database's IAM users did not finish with exit code 0."""


def run_users_task(
    *,
    cluster: str,
    task_definition: str,
    subnets: list[str],
    security_group: str,
    region: str,
    clients: ClientFactory,
    console: Console,
) -> None:
    """Run the database's users task (idempotent SQL as the master user) and wait for it: the
    services log in as those users with IAM authentication, so they must exist."""
    ecs = clients("ecs", region)
    family = family_of(task_definition)
    console.print(f"Creating the database's IAM users ({family}) ...")
    try:
        task_arn = start_task(
            ecs, TaskNetwork(cluster, subnets, security_group), task_definition, started_by="webstack-up"
        )
    except TaskDidNotStart as error:
        raise UsersTaskFailed(str(error)) from None
    ecs.get_waiter("tasks_stopped").wait(
        cluster=cluster, tasks=[task_arn], WaiterConfig={"Delay": 6, "MaxAttempts": 100}
    )
    task = describe_task(ecs, cluster, task_arn)
    codes = exit_codes(task)
    if codes != [0]:
        raise UsersTaskFailed(
            f"{family} stopped with exit code {codes} ({task.get('stoppedReason', 'no reason given')}); "
            f"its output is in the log group /ecs/{family}"
        )
    console.print(f"{family}: database users ready")
