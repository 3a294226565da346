"""One ECS Fargate service of a FargateApi: its repository, roles, task, scaling and alarms."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import pulumi
import pulumi_aws as aws

from .alarms import create_alarms, quiet_while_stopped
from .api_settings import (
    CONTAINER_NAME,
    SCRATCH_VOLUME,
    BucketGrant,
    build_tag,
    container_definitions,
    ecr_lifecycle_policy,
    execution_role_policy,
    running_tag,
    service_alarm_specs,
    task_role_policy,
)
from .aws_context import AwsContext
from .encryption_key import secret_recovery_window_days
from .exec_sessions import AGENT_WRITABLE_PATHS, exec_role_policy
from .iam_documents import policy_document
from .log_groups import encrypted_log_group
from .rollout import Deployment, Rollout, service_deployment_args
from .service_role import ecs_task_trust_policy
from .tracing_settings import xray_statement
from .working_hours import WorkingHours, start_cron, stop_cron


@dataclass(frozen=True)
class ImageBuild:
    """Build the image from a Dockerfile and push it to the service's repository (needs Docker)."""

    context: str
    """The Docker build context: a folder, relative to the Pulumi project. Example: "app"."""
    dockerfile: str = "Dockerfile"
    """The Dockerfile, relative to the context. Example: "docker/api.Dockerfile"."""


@dataclass(frozen=True)
class Route:
    """Which requests of the shared ALB reach the service: Host headers and path patterns
    (both empty: every request no other rule takes)."""

    hosts: Sequence[str] = ()
    """Host headers the service answers (full names); empty: any host. Example: ("pay.example.com",)."""
    paths: Sequence[str] = ()
    """ALB path patterns the service answers (`*` and `?` wildcards); empty: any path. Example: ("/api/*",)."""


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    """The service's name: part of its resources' names and of its secrets' path (lower-case letters, digits,
    hyphens). Example: "worker".
    """
    image: str | ImageBuild = "{repository}:latest"
    """The image to run: "{repository}:TAG" runs a tag of the service's own ECR repository; a full image URI
    runs that image; an ImageBuild builds and pushes one (needs Docker at deploy). Example:
    "{repository}:1.4.2".
    """
    cpu: int = 512
    """Task CPU units (256, 512, 1024, 2048, 4096, 8192 or 16384); 1024 is one vCPU. 512 on ARM64 with 1 GiB
    is about $14 a month per task in us-east-1. Example: 1024.
    """
    memory_mib: int = 1024
    """Task memory in MiB, one of the values Fargate allows for the CPU (512 CPU: 1024-4096). Example: 2048."""
    architecture: Literal["ARM64", "X86_64"] = "ARM64"
    """CPU architecture: "ARM64" (Graviton, 20 % cheaper) or "X86_64"; the image must be built for it.
    Example: "X86_64".
    """
    container_port: int = 8000
    """Port the container listens on (the target group's and the task group's ingress port). Example: 3000."""
    desired_count: int = 2
    """Tasks at the first deploy, between min_count and max_count; autoscaling owns the count afterwards. Example: 3."""
    min_count: int = 2
    """Autoscaling floor; two spreads the service over two AZs. Example: 3."""
    max_count: int = 10
    """Autoscaling ceiling: the most tasks a spike can bill. Example: 20."""
    health_check_path: str = "/health"
    """Path the ALB's target group checks: 200-399 is healthy. Example: "/healthz"."""
    health_check_grace_seconds: int = 60
    """Seconds ECS ignores failing health checks after a task starts (slow boots, migrations). Example: 120."""
    health_check_interval_seconds: int = 30
    """Seconds between the target group's health checks (5-300); with unhealthy_threshold it sets how long a
    broken task keeps traffic (3 x 30 s). Example: 10.
    """
    health_check_timeout_seconds: int = 5
    """Seconds a health check may take before it counts as failed (2-120, less than the interval). Example: 3."""
    healthy_threshold: int = 2
    """Consecutive passing checks before a new task gets traffic (2-10). Example: 3."""
    unhealthy_threshold: int = 3
    """Consecutive failing checks before a task stops getting traffic (2-10). Example: 2."""
    health_check_matcher: str = "200-399"
    """HTTP codes that count as healthy: a code, a list or a range ("200", "200,204", "200-299"). Example: "200"."""
    deregistration_delay_seconds: int = 30
    """Seconds the ALB lets in-flight requests of a stopping task finish (0-3600); the ALB's default of 300
    slows every deploy for requests that last a second. Example: 120 for long uploads.
    """
    deployment_minimum_healthy_percent: int = 100
    """Share of desired_count that must stay running during a deploy: 100 never drops capacity. Example: 50."""
    deployment_maximum_percent: int = 200
    """Most tasks a deploy may run at once, as a share of desired_count: 200 starts a full new set beside the
    old. Example: 150.
    """
    scale_in_cooldown_seconds: int = 300
    """Seconds after a scale-in before another: slow to give capacity back. Example: 600."""
    scale_out_cooldown_seconds: int = 60
    """Seconds after a scale-out before another: quick to add capacity. Example: 30."""
    cpu_target_percent: float = 70
    """Target tracking keeps average CPU near this percentage. Example: 60."""
    memory_target_percent: float = 80
    """Target tracking keeps average memory near this percentage. Example: 75."""
    requests_per_target: int | None = None
    """Optional third target-tracking policy: ALB requests per task per minute; None: off. Example: 1000."""
    cpu_alarm_percent: float = 80
    """Alarm when average CPU stays above this percentage. Example: 90."""
    memory_alarm_percent: float = 80
    """Alarm when average memory stays above this percentage. Example: 90."""
    environment: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """Plain (non-secret) environment variables of the container. Example: {"LOG_LEVEL": "info"}."""
    secrets: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """Environment variable -> Secrets Manager secret ARN (optionally ":json-key::"), injected by ECS at
    start. Example: {"REDIS_URL": cache.secret_arn + ":url::"}.
    """
    app_secrets: Sequence[str] = ()
    """Application secrets: an empty Secrets Manager secret each under <prefix>/<service>/, injected as that
    variable; set the value out of band before the first task starts. Example: ("JWT_SECRET",).
    """
    bucket_grants: Sequence[BucketGrant] = ()
    """What the task role may do in which buckets, under which prefixes. Example: [BucketGrant(uploads.arn,
    "avatars/", "read_write")].
    """
    database_users: Sequence[pulumi.Input[str]] = ()
    """rds-db:connect ARNs of the database users the task may log in as with IAM authentication
    (ManagedPostgres.connect_arn). Example: [database.connect_arn("app")].
    """
    spot: bool = False
    """Run on Fargate Spot: about 70 % cheaper, tasks may be stopped with two minutes' notice
    (non-production, unless on_demand_base keeps the service's floor on demand). Example: True for dev.
    """
    on_demand_base: int = 0
    """With spot: the first N tasks run on Fargate on demand (the ECS capacity provider base) and only the
    tasks above them on Fargate Spot, so a Spot reclaim or shortage never takes the service below N. 0: every
    task on Spot. Example: 2 (the service's min_count) for production.
    """
    schedule: WorkingHours | None = None
    """Scale to zero outside working hours: (cron days, start hour UTC, stop hour UTC), days "MON-FRI" or "*";
    a start after the stop runs overnight. None: always on. Example: ("MON-FRI", 6, 18).
    """
    route: Route | None = field(default_factory=Route)
    """Which requests of the shared ALB reach the service (Route of hosts and paths; both empty: every request
    no other rule takes); None: a worker with no load balancer. Example: Route(paths=("/api/*",)).
    """
    deployment: Deployment = "rolling"
    """How a new task definition rolls out: "rolling" replaces tasks in place; "blue_green" (ECS's own
    BLUE_GREEN strategy, routed services only) starts a full new set on a second target group, moves the
    production listener rule to it, and keeps the old set for bake_time_minutes. Both roll back when the
    circuit breaker trips or the service's 5xx-rate or unhealthy-host alarm fires. blue_green does not go with
    requests_per_target (which counts one target group's requests). Example: "blue_green".
    """
    bake_time_minutes: int = 10
    """Blue/green only: minutes both sets run after production traffic moved (0-1440); an alarm in that
    time rolls traffic straight back to the old set. Example: 30.
    """
    exec_enabled: bool = False
    """ECS Exec into the service's tasks (`aws ecs execute-command`, `webstack tunnel`): sessions encrypted
    with the component's CMK and logged to an encrypted log group; the task role gets only the Session
    Manager channel, key and log-writing permissions. Off: no way into a running container. Tasks started
    before it was turned on need a new deployment. Costs nothing but the session logs. Example: True for dev.
    """
    tracing: bool = False
    """Run the AWS Distro for OpenTelemetry collector (pinned image from ECR Public, non-root, read-only root,
    not essential, 64 MiB reserved within the task's memory) beside the container, which gets
    OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4317, OTEL_SERVICE_NAME and a 5 % trace sampler; the collector
    sends the traces to X-Ray with the task role (PutTraceSegments and PutTelemetryRecords, which AWS grants only
    on "*"). The image comes from ECR Public: the private subnets need a NAT. X-Ray bills $5 per million traces
    beyond 100,000 a month. Example: True.
    """


@dataclass(frozen=True)
class Shared:
    """What the services of one FargateApi share."""

    component: str
    prefix: str
    context: AwsContext
    key: aws.kms.Key
    cluster: aws.ecs.Cluster
    task_security_group: pulumi.Input[str]
    private_subnet_ids: Sequence[pulumi.Input[str]]
    secret_kms_key_arns: Sequence[pulumi.Input[str]]
    log_retention_days: int
    alarm_actions: Sequence[pulumi.Input[str]]
    keep_data_on_destroy: bool
    exec_log_group: str | None = None  # where exec sessions are logged (None: no service enables exec)
    sidecar_repository_arns: tuple[str, ...] = ()  # other accounts' images ECS adds to tasks (GuardDuty's agent)


@dataclass(frozen=True)
class BuiltService:
    """A service prepared before the load balancer exists: its spec, the prefix of its logical
    names, and its repository."""

    spec: ServiceSpec
    base: str  # prefix of the service's logical names
    repository: aws.ecr.Repository

    @property
    def repository_url(self) -> pulumi.Output[str]:
        return self.repository.repository_url


@dataclass(frozen=True)
class RunningService:
    """A service once it runs: what was prepared, its ECS service, and the task definition and
    roles a one-off run of it (a scheduled job) needs."""

    built: BuiltService
    service: aws.ecs.Service
    task_definition: aws.ecs.TaskDefinition
    execution_role: aws.iam.Role
    task_role: aws.iam.Role
    # Each application secret's ARN by variable (a rotation schedule names it).
    app_secret_arns: dict[str, pulumi.Output[str]] = field(default_factory=dict)

    @property
    def spec(self) -> ServiceSpec:
        return self.built.spec


@dataclass(frozen=True)
class Injected:
    """What ECS injects into the container: variable -> secret ARN, and the keys that decrypt them."""

    secrets: dict[str, pulumi.Input[str]]
    kms_key_arns: list[pulumi.Input[str]]
    app_secret_arns: dict[str, pulumi.Output[str]] = field(default_factory=dict)


def log_group_name(prefix: str, service: str) -> str:
    return f"/ecs/{prefix}-{service}"


def prepare_service(spec: ServiceSpec, shared: Shared, parent: pulumi.Resource) -> BuiltService:
    """Repository, image and roles: what exists before the load balancer does."""
    child = pulumi.ResourceOptions(parent=parent)
    base = spec.name if spec.name == shared.component else f"{shared.component}-{spec.name}"
    repository = aws.ecr.Repository(
        f"{base}-repository",
        name=f"{shared.prefix}-{spec.name}",
        image_tag_mutability="IMMUTABLE",
        image_scanning_configuration={"scan_on_push": True},
        encryption_configurations=[{"encryption_type": "KMS", "kms_key": shared.key.arn}],
        # False keeps a repository that holds images from being deleted by `destroy`.
        force_delete=not shared.keep_data_on_destroy,
        opts=child,
    )
    aws.ecr.LifecyclePolicy(
        f"{base}-repository-lifecycle",
        repository=repository.name,
        policy=json.dumps(ecr_lifecycle_policy(running_tag=image_tag(spec))),
        opts=child,
    )
    return BuiltService(spec, base, repository)


def image_tag(spec: ServiceSpec) -> str | None:
    """The tag of the service's own repository that it runs (None: an image from elsewhere)."""
    if isinstance(spec.image, ImageBuild):
        return build_tag(Path(spec.image.context), spec.image.dockerfile)
    return running_tag(spec.image)


def _image(built: BuiltService, parent: pulumi.Resource) -> pulumi.Output[str]:
    spec = built.spec
    if isinstance(spec.image, ImageBuild):
        # Imported here: pulumi_awsx brings Docker build plumbing a prebuilt image does not need.
        import pulumi_awsx as awsx  # noqa: PLC0415

        return awsx.ecr.Image(
            f"{built.base}-image",
            repository_url=built.repository_url,
            context=spec.image.context,
            dockerfile=spec.image.dockerfile,
            image_tag=image_tag(spec),
            platform="linux/arm64" if spec.architecture == "ARM64" else "linux/amd64",
            opts=pulumi.ResourceOptions(parent=parent),
        ).image_uri
    template = spec.image
    return built.repository_url.apply(lambda url: template.replace("{repository}", url))


def run_service(
    built: BuiltService,
    shared: Shared,
    parent: pulumi.Resource,
    target_group: aws.lb.TargetGroup | None,
    depends_on: Sequence[pulumi.Resource],
    *,
    rollout: Rollout | None = None,
) -> RunningService:
    """Secrets, logs, roles, task definition, the ECS service and its alarms."""
    injected = _injected_secrets(built, shared, parent)
    log_group = encrypted_log_group(
        f"{built.base}-logs",
        log_group_name=log_group_name(shared.prefix, built.spec.name),
        key=shared.key,
        retention_days=shared.log_retention_days,
        parent=parent,
    )
    execution_role = _execution_role(built, shared, injected, parent)
    task_role = _task_role(built, shared, parent)
    task_definition = _task_definition(
        built, shared, injected, roles=(execution_role, task_role), log_group=log_group, parent=parent
    )
    service = _ecs_service(
        built,
        shared,
        task_definition,
        target_group=target_group,
        depends_on=depends_on,
        parent=parent,
        rollout=rollout or Rollout(),
    )
    specs = service_alarm_specs(
        cluster=f"{shared.prefix}-{shared.component}",
        service=f"{shared.prefix}-{built.spec.name}",
        cpu_percent=built.spec.cpu_alarm_percent,
        memory_percent=built.spec.memory_alarm_percent,
    )
    quiet = quiet_while_stopped(specs) if built.spec.schedule else specs
    create_alarms(f"{built.base}-alarm", quiet, shared.alarm_actions, parent)
    return RunningService(built, service, task_definition, execution_role, task_role, injected.app_secret_arns)


def _injected_secrets(built: BuiltService, shared: Shared, parent: pulumi.Resource) -> Injected:
    """The secrets the spec names, plus an empty Secrets Manager secret for each application
    secret (its value is set out of band), encrypted with the component's key."""
    spec, prefix = built.spec, shared.prefix
    app_secrets = {
        variable: aws.secretsmanager.Secret(
            f"{built.base}-secret-{variable.lower().replace('_', '-')}",
            name=f"{prefix}/{spec.name}/{variable.lower()}",
            description=(
                f"{variable} of {prefix} {spec.name}; set its value out of band: "
                "aws secretsmanager put-secret-value --secret-id <arn> --secret-string ..."
            ),
            kms_key_id=shared.key.arn,
            recovery_window_in_days=secret_recovery_window_days(shared.keep_data_on_destroy),
            opts=pulumi.ResourceOptions(parent=parent),
        ).arn
        for variable in spec.app_secrets
    }
    keys = [*shared.secret_kms_key_arns, *([shared.key.arn] if app_secrets else [])]
    return Injected({**spec.secrets, **app_secrets}, keys, app_secrets)


def _execution_role(built: BuiltService, shared: Shared, injected: Injected, parent: pulumi.Resource) -> aws.iam.Role:
    """What ECS itself needs: pull from the service's repository, write its log group, read the
    injected secrets (and decrypt them through Secrets Manager only)."""
    spec, context = built.spec, shared.context
    child = pulumi.ResourceOptions(parent=parent)
    role = aws.iam.Role(
        f"{built.base}-execution-role",
        description=f"{shared.prefix} {spec.name}: pull the image, write logs, read injected secrets",
        assume_role_policy=ecs_task_trust_policy(context),
        opts=child,
    )
    aws.iam.RolePolicy(
        f"{built.base}-execution-policy",
        role=role.id,
        policy=pulumi.Output.all(
            context.region,
            context.account_id,
            built.repository.arn,
            pulumi.Output.all(*injected.secrets.values()),
            pulumi.Output.all(*injected.kms_key_arns),
        ).apply(
            lambda v: json.dumps(
                execution_role_policy(
                    region=v[0],
                    account_id=v[1],
                    repository_arn=v[2],
                    log_group=log_group_name(shared.prefix, spec.name),
                    secret_value_froms=v[3],
                    kms_key_arns=v[4],
                    sidecar_repository_arns=shared.sidecar_repository_arns,
                )
            )
        ),
        opts=child,
    )
    return role


def _task_role(built: BuiltService, shared: Shared, parent: pulumi.Resource) -> aws.iam.Role:
    """What the application may do: only the bucket prefixes granted and the database users named (and
    X-Ray, when traced)."""
    spec = built.spec
    child = pulumi.ResourceOptions(parent=parent)
    role = aws.iam.Role(
        f"{built.base}-task-role",
        description=f"{shared.prefix} {spec.name}: what the application itself may do",
        assume_role_policy=ecs_task_trust_policy(shared.context),
        opts=child,
    )
    if spec.exec_enabled and shared.exec_log_group is not None:
        exec_role_policy(
            f"{built.base}-exec-policy",
            role=role,
            context=shared.context,
            key=shared.key,
            log_group=shared.exec_log_group,
            parent=parent,
        )
    if spec.tracing:
        aws.iam.RolePolicy(
            f"{built.base}-tracing-policy",
            role=role.id,
            policy=json.dumps(policy_document([xray_statement()])),
            opts=child,
        )
    if spec.bucket_grants or spec.database_users:
        grants = spec.bucket_grants
        resolved = pulumi.Output.all(*[pulumi.Output.all(g.bucket_arn, g.kms_key_arn or "") for g in grants]).apply(
            lambda values: [
                replace(grant, bucket_arn=arn, kms_key_arn=key or None)
                for grant, (arn, key) in zip(grants, values, strict=True)
            ]
        )
        aws.iam.RolePolicy(
            f"{built.base}-task-policy",
            role=role.id,
            policy=pulumi.Output.all(shared.context.region, resolved, pulumi.Output.all(*spec.database_users)).apply(
                lambda v: json.dumps(task_role_policy(v[0], v[1], v[2]))
            ),
            opts=child,
        )
    return role


def _task_definition(
    built: BuiltService,
    shared: Shared,
    injected: Injected,
    *,
    roles: tuple[aws.iam.Role, aws.iam.Role],
    log_group: aws.cloudwatch.LogGroup,
    parent: pulumi.Resource,
) -> aws.ecs.TaskDefinition:
    """awsvpc on Fargate, the spec's size and architecture, one hardened container."""
    spec = built.spec
    execution_role, task_role = roles
    logs = log_group_name(shared.prefix, spec.name)
    writable = AGENT_WRITABLE_PATHS if spec.exec_enabled else {}
    return aws.ecs.TaskDefinition(
        f"{built.base}-task",
        family=f"{shared.prefix}-{spec.name}",
        network_mode="awsvpc",
        requires_compatibilities=["FARGATE"],
        cpu=str(spec.cpu),
        memory=str(spec.memory_mib),
        runtime_platform={"cpu_architecture": spec.architecture, "operating_system_family": "LINUX"},
        execution_role_arn=execution_role.arn,
        task_role_arn=task_role.arn,
        volumes=[{"name": SCRATCH_VOLUME}, *({"name": volume} for volume in writable)],
        container_definitions=pulumi.Output.all(
            _image(built, parent),
            shared.context.region,
            pulumi.Output.from_input(dict(spec.environment)),
            pulumi.Output.from_input(injected.secrets),
        ).apply(
            lambda v: json.dumps(
                container_definitions(
                    image=v[0],
                    port=spec.container_port,
                    region=v[1],
                    log_group=logs,
                    environment=v[2],
                    secrets=v[3],
                    writable_paths=writable,
                    traced_as=spec.name if spec.tracing else None,
                )
            )
        ),
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[log_group]),
    )


def capacity_strategies(
    spot: bool, on_demand_base: int
) -> list[aws.ecs.ServiceCapacityProviderStrategyArgsDict] | None:
    """The service's capacity provider strategy: None (the FARGATE launch type) without Spot; else
    Spot by weight, above an on-demand base of ``on_demand_base`` tasks when there is one."""
    if not spot:
        return None
    spot_weight: aws.ecs.ServiceCapacityProviderStrategyArgsDict = {"capacity_provider": "FARGATE_SPOT", "weight": 1}
    if on_demand_base < 1:
        return [spot_weight]
    return [{"capacity_provider": "FARGATE", "base": on_demand_base, "weight": 0}, spot_weight]


def _ecs_service(
    built: BuiltService,
    shared: Shared,
    task_definition: aws.ecs.TaskDefinition,
    *,
    target_group: aws.lb.TargetGroup | None,
    depends_on: Sequence[pulumi.Resource],
    parent: pulumi.Resource,
    rollout: Rollout,
) -> aws.ecs.Service:
    """In the private subnets without a public IP, rolling back a failed deployment (components/rollout.py)."""
    spec = built.spec
    return aws.ecs.Service(
        f"{built.base}-service",
        name=f"{shared.prefix}-{spec.name}",
        cluster=shared.cluster.arn,
        task_definition=task_definition.arn,
        desired_count=spec.desired_count,
        launch_type=None if spec.spot else "FARGATE",
        capacity_provider_strategies=capacity_strategies(spec.spot, spec.on_demand_base),
        platform_version="LATEST",
        network_configuration={
            "subnets": list(shared.private_subnet_ids),
            "security_groups": [shared.task_security_group],
            "assign_public_ip": False,
        },
        health_check_grace_period_seconds=spec.health_check_grace_seconds if target_group is not None else None,
        **service_deployment_args(
            rollout,
            target_group_arn=target_group.arn if target_group is not None else None,
            container_name=CONTAINER_NAME,
            container_port=spec.container_port,
        ),
        deployment_minimum_healthy_percent=spec.deployment_minimum_healthy_percent,
        deployment_maximum_percent=spec.deployment_maximum_percent,
        propagate_tags="SERVICE",
        enable_ecs_managed_tags=True,
        enable_execute_command=spec.exec_enabled,
        wait_for_steady_state=False,
        # Autoscaling owns the task count once the service runs.
        opts=pulumi.ResourceOptions(parent=parent, depends_on=list(depends_on), ignore_changes=["desiredCount"]),
    )


def autoscale(
    running: RunningService,
    shared: Shared,
    parent: pulumi.Resource,
    request_label: pulumi.Input[str] | None,
) -> None:
    """Target tracking on CPU and memory (and requests per target), and the optional schedule."""
    spec, base = running.spec, running.built.base
    child = pulumi.ResourceOptions(parent=parent)
    target = aws.appautoscaling.Target(
        f"{base}-scaling",
        service_namespace="ecs",
        scalable_dimension="ecs:service:DesiredCount",
        resource_id=pulumi.Output.concat("service/", shared.cluster.name, "/", running.service.name),
        min_capacity=spec.min_count,
        max_capacity=spec.max_count,
        opts=child,
    )
    metrics: list[tuple[str, float, pulumi.Input[str] | None]] = [
        ("ECSServiceAverageCPUUtilization", spec.cpu_target_percent, None),
        ("ECSServiceAverageMemoryUtilization", spec.memory_target_percent, None),
    ]
    if spec.requests_per_target is not None and request_label is not None:
        metrics.append(("ALBRequestCountPerTarget", spec.requests_per_target, request_label))
    if spec.schedule is not None:
        for action, schedule, low, high in (
            ("start", start_cron(spec.schedule), spec.min_count, spec.max_count),
            ("stop", stop_cron(spec.schedule), 0, 0),
        ):
            aws.appautoscaling.ScheduledAction(
                f"{base}-{action}",
                name=f"{shared.prefix}-{spec.name}-{action}",
                service_namespace=target.service_namespace,
                scalable_dimension=target.scalable_dimension,
                resource_id=target.resource_id,
                schedule=schedule,
                timezone="UTC",
                scalable_target_action={"min_capacity": low, "max_capacity": high},
                opts=child,
            )
    for metric, value, label in metrics:
        predefined: dict[str, Any] = {"predefined_metric_type": metric}
        if label is not None:
            predefined["resource_label"] = label
        aws.appautoscaling.Policy(
            f"{base}-scale-{metric}",
            policy_type="TargetTrackingScaling",
            service_namespace=target.service_namespace,
            scalable_dimension=target.scalable_dimension,
            resource_id=target.resource_id,
            target_tracking_scaling_policy_configuration={
                "predefined_metric_specification": predefined,  # type: ignore[typeddict-item]
                "target_value": value,
                "scale_in_cooldown": spec.scale_in_cooldown_seconds,
                "scale_out_cooldown": spec.scale_out_cooldown_seconds,
            },
            opts=child,
        )
