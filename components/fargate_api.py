"""FargateApi: a containerised API on ECS Fargate behind an ALB that only CloudFront can reach."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from .alarms import create_alarms
from .api_settings import (
    CONTAINER_NAME,
    SCRATCH_VOLUME,
    TLS_POLICY,
    BucketGrant,
    api_alarm_specs,
    container_definitions,
    ecr_lifecycle_policy,
    execution_role_policy,
    task_role_policy,
)
from .aws_context import aws_context
from .edge_settings import ORIGIN_VERIFY_HEADER
from .encryption_key import customer_managed_key
from .iam_documents import logs_key_statement, service_trust_policy
from .log_groups import encrypted_log_group
from .restricted_security_group import Peer, tcp_rule

CLOUDFRONT_ORIGIN_FACING = "com.amazonaws.global.cloudfront.origin-facing"


@dataclass(frozen=True)
class ImageBuild:
    """Build the image from a Dockerfile and push it to the service's repository (needs Docker)."""

    context: str
    dockerfile: str = "Dockerfile"


@dataclass(frozen=True)
class FargateApiArgs:
    name_prefix: str
    vpc_id: pulumi.Input[str]
    public_subnet_ids: Sequence[pulumi.Input[str]]
    private_subnet_ids: Sequence[pulumi.Input[str]]
    certificate_arn: pulumi.Input[str]
    log_bucket_name: pulumi.Input[str]
    # "{repository}:1.2.3" pulls from the service's own repository; an ImageBuild builds it.
    image: str | ImageBuild = "{repository}:latest"
    cpu: int = 512
    memory_mib: int = 1024
    architecture: Literal["ARM64", "X86_64"] = "ARM64"
    container_port: int = 8000
    desired_count: int = 2
    min_count: int = 2
    max_count: int = 10
    health_check_path: str = "/health"
    health_check_grace_seconds: int = 60
    cpu_target_percent: float = 70
    memory_target_percent: float = 80
    requests_per_target: int | None = None
    environment: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    # Environment variable -> secret ARN (optionally ":json-key::"), injected by ECS at start.
    secrets: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    secret_kms_key_arns: Sequence[pulumi.Input[str]] = ()
    # Application secrets (e.g. JWT_SECRET, STRIPE_SECRET_KEY): each an empty Secrets Manager
    # secret under <prefix>/<name>/, whose value is set out of band and injected at start.
    app_secrets: Sequence[str] = ()
    bucket_grants: Sequence[BucketGrant] = ()
    # (port, security group) pairs the tasks may open connections to, e.g. the database.
    egress_to: Sequence[tuple[int, pulumi.Input[str]]] = ()
    load_balancer_deletion_protection: bool = True
    log_retention_days: int = 30
    alarm_actions: Sequence[pulumi.Input[str]] = ()
    error_rate_alarm_percent: float = 5
    latency_alarm_seconds: float = 2
    origin_hostname: str | None = None
    zone_id: pulumi.Input[str] | None = None
    # Fargate Spot: ~70 % cheaper, tasks may be stopped with two minutes' notice (non-prod).
    spot: bool = False
    # Scale to zero outside working hours: (days, start hour UTC, stop hour UTC), days as in
    # cron ("MON-FRI" or "*").
    schedule: tuple[str, int, int] | None = None


class FargateApi(pulumi.ComponentResource):
    task_security_group_id: pulumi.Output[str]
    origin_verify_value: pulumi.Output[str]
    load_balancer_dns_name: pulumi.Output[str]
    repository_url: pulumi.Output[str]
    service_name: pulumi.Output[str]
    cluster_name: pulumi.Output[str]

    def __init__(self, name: str, args: FargateApiArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("webstack:compute:FargateApi", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        context = aws_context(self)
        prefix = args.name_prefix
        log_group_name = f"/ecs/{prefix}-{name}"

        key = customer_managed_key(
            f"{name}-key",
            description=f"{prefix} {name}: images and container logs",
            alias=f"{prefix}/{name}",
            context=context,
            parent=self,
            service_statements=lambda region, account: [logs_key_statement(region, account, log_group_name)],
        )
        app_secrets = {
            variable: aws.secretsmanager.Secret(
                f"{name}-secret-{variable.lower().replace('_', '-')}",
                name=f"{prefix}/{name}/{variable.lower()}",
                description=(
                    f"{variable} of {prefix} {name}; set its value out of band: "
                    "aws secretsmanager put-secret-value --secret-id <arn> --secret-string ..."
                ),
                kms_key_id=key.arn,
                recovery_window_in_days=7,
                opts=child,
            ).arn
            for variable in args.app_secrets
        }
        secrets: dict[str, pulumi.Input[str]] = {**args.secrets, **app_secrets}
        secret_keys = [*args.secret_kms_key_arns, *([key.arn] if app_secrets else [])]
        repository = aws.ecr.Repository(
            f"{name}-repository",
            name=f"{prefix}-{name}",
            image_tag_mutability="IMMUTABLE",
            image_scanning_configuration={"scan_on_push": True},
            encryption_configurations=[{"encryption_type": "KMS", "kms_key": key.arn}],
            force_delete=False,
            opts=child,
        )
        aws.ecr.LifecyclePolicy(
            f"{name}-repository-lifecycle",
            repository=repository.name,
            policy=json.dumps(ecr_lifecycle_policy()),
            opts=child,
        )
        image_uri = self._image(name, args, repository)
        log_group = encrypted_log_group(
            f"{name}-logs",
            log_group_name=log_group_name,
            key=key,
            retention_days=args.log_retention_days,
            parent=self,
        )
        cluster = aws.ecs.Cluster(
            f"{name}-cluster",
            name=f"{prefix}-{name}",
            settings=[{"name": "containerInsights", "value": "enabled"}],
            opts=child,
        )
        capacity = None
        if args.spot:
            capacity = aws.ecs.ClusterCapacityProviders(
                f"{name}-capacity",
                cluster_name=cluster.name,
                capacity_providers=["FARGATE", "FARGATE_SPOT"],
                default_capacity_provider_strategies=[{"capacity_provider": "FARGATE_SPOT", "weight": 1}],
                opts=child,
            )

        where = pulumi.Output.all(context.region, context.account_id)
        trust = where.apply(
            lambda ra: json.dumps(
                service_trust_policy("ecs-tasks.amazonaws.com", ra[1], source_arn=f"arn:aws:ecs:{ra[0]}:{ra[1]}:*")
            )
        )
        execution_role = aws.iam.Role(
            f"{name}-execution-role",
            description=f"{prefix} {name}: pull the image, write logs, read injected secrets",
            assume_role_policy=trust,
            opts=child,
        )
        secret_refs = list(secrets.values())
        aws.iam.RolePolicy(
            f"{name}-execution-policy",
            role=execution_role.id,
            policy=pulumi.Output.all(
                context.region,
                context.account_id,
                repository.arn,
                pulumi.Output.all(*secret_refs),
                pulumi.Output.all(*secret_keys),
            ).apply(
                lambda v: json.dumps(
                    execution_role_policy(
                        region=v[0],
                        account_id=v[1],
                        repository_arn=v[2],
                        log_group=log_group_name,
                        secret_value_froms=v[3],
                        kms_key_arns=v[4],
                    )
                )
            ),
            opts=child,
        )
        task_role = aws.iam.Role(
            f"{name}-task-role",
            description=f"{prefix} {name}: what the application itself may do",
            assume_role_policy=trust,
            opts=child,
        )
        if args.bucket_grants:
            grants = args.bucket_grants
            resolved = pulumi.Output.all(*[pulumi.Output.all(g.bucket_arn, g.kms_key_arn or "") for g in grants]).apply(
                lambda values: [
                    replace(grant, bucket_arn=arn, kms_key_arn=key or None)
                    for grant, (arn, key) in zip(grants, values, strict=True)
                ]
            )
            aws.iam.RolePolicy(
                f"{name}-task-policy",
                role=task_role.id,
                policy=pulumi.Output.all(context.region, resolved).apply(
                    lambda v: json.dumps(task_role_policy(v[0], v[1]))
                ),
                opts=child,
            )

        # The header CloudFront adds to every origin request; the listener forwards nothing else.
        origin_verify = random.RandomPassword(f"{name}-origin-verify", length=48, special=False, opts=child)
        prefix_list = aws.ec2.get_managed_prefix_list_output(
            name=CLOUDFRONT_ORIGIN_FACING, opts=pulumi.InvokeOutputOptions(parent=self)
        )
        alb_sg = aws.ec2.SecurityGroup(
            f"{name}-alb-sg",
            vpc_id=args.vpc_id,
            description=f"{prefix} {name} ALB: HTTPS from CloudFront only",
            opts=child,
        )
        task_sg = aws.ec2.SecurityGroup(
            f"{name}-task-sg",
            vpc_id=args.vpc_id,
            description=f"{prefix} {name} tasks: from the ALB only",
            opts=child,
        )
        port = args.container_port
        rules: list[tuple[str, Literal["ingress", "egress"], Any, int, Peer, str]] = [
            ("alb-from-cloudfront", "ingress", alb_sg.id, 443, Peer(prefix_list=prefix_list.id),
             "HTTPS from CloudFront origin-facing addresses"),
            ("alb-to-tasks", "egress", alb_sg.id, port, Peer(group=task_sg.id), "to the tasks' container port"),
            ("tasks-from-alb", "ingress", task_sg.id, port, Peer(group=alb_sg.id), "container port from the ALB"),
            ("tasks-https-out", "egress", task_sg.id, 443, Peer(cidr="0.0.0.0/0"),
             "HTTPS to AWS APIs (ECR, logs, Secrets Manager) via NAT or endpoints"),
            *(
                (f"tasks-out-{index}", "egress", task_sg.id, store_port, Peer(group=group),
                 f"port {store_port} to a data store")
                for index, (store_port, group) in enumerate(args.egress_to)
            ),
        ]  # fmt: skip
        for rule_name, direction, group_id, rule_port, peer, description in rules:
            tcp_rule(
                f"{name}-{rule_name}",
                direction=direction,
                group_id=group_id,
                port=rule_port,
                peer=peer,
                description=description,
                parent=self,
            )

        load_balancer = aws.lb.LoadBalancer(
            f"{name}-alb",
            name=f"{prefix}-{name}"[:32],
            load_balancer_type="application",
            internal=False,
            subnets=list(args.public_subnet_ids),
            security_groups=[alb_sg.id],
            drop_invalid_header_fields=True,
            desync_mitigation_mode="defensive",
            enable_deletion_protection=args.load_balancer_deletion_protection,
            idle_timeout=60,
            access_logs={"bucket": args.log_bucket_name, "prefix": "alb", "enabled": True},
            opts=child,
        )
        target_group = aws.lb.TargetGroup(
            f"{name}-targets",
            port=args.container_port,
            protocol="HTTP",
            target_type="ip",
            vpc_id=args.vpc_id,
            deregistration_delay=30,
            health_check={
                "path": args.health_check_path,
                "protocol": "HTTP",
                "matcher": "200-399",
                "interval": 30,
                "timeout": 5,
                "healthy_threshold": 2,
                "unhealthy_threshold": 3,
            },
            opts=child,
        )
        https = aws.lb.Listener(
            f"{name}-https",
            load_balancer_arn=load_balancer.arn,
            port=443,
            protocol="HTTPS",
            ssl_policy=TLS_POLICY,
            certificate_arn=args.certificate_arn,
            # Only requests that carry CloudFront's secret header reach the service.
            default_actions=[
                {
                    "type": "fixed-response",
                    "fixed_response": {
                        "content_type": "text/plain",
                        "message_body": "Forbidden",
                        "status_code": "403",
                    },
                }
            ],
            opts=child,
        )
        verified = aws.lb.ListenerRule(
            f"{name}-from-cloudfront",
            listener_arn=https.arn,
            priority=10,
            conditions=[
                {
                    "http_header": {
                        "http_header_name": ORIGIN_VERIFY_HEADER,
                        "values": [pulumi.Output.secret(origin_verify.result)],
                    }
                }
            ],
            actions=[{"type": "forward", "target_group_arn": target_group.arn}],
            opts=child,
        )
        aws.lb.Listener(
            f"{name}-http",
            load_balancer_arn=load_balancer.arn,
            port=80,
            protocol="HTTP",
            default_actions=[
                {
                    "type": "redirect",
                    "redirect": {"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"},
                }
            ],
            opts=child,
        )
        if args.origin_hostname is not None and args.zone_id is not None:
            aws.route53.Record(
                f"{name}-origin-record",
                zone_id=args.zone_id,
                name=args.origin_hostname,
                type="A",
                aliases=[
                    {
                        "name": load_balancer.dns_name,
                        "zone_id": load_balancer.zone_id,
                        "evaluate_target_health": True,
                    }
                ],
                opts=child,
            )

        task_definition = aws.ecs.TaskDefinition(
            f"{name}-task",
            family=f"{prefix}-{name}",
            network_mode="awsvpc",
            requires_compatibilities=["FARGATE"],
            cpu=str(args.cpu),
            memory=str(args.memory_mib),
            runtime_platform={"cpu_architecture": args.architecture, "operating_system_family": "LINUX"},
            execution_role_arn=execution_role.arn,
            task_role_arn=task_role.arn,
            volumes=[{"name": SCRATCH_VOLUME}],
            container_definitions=pulumi.Output.all(
                image_uri,
                context.region,
                pulumi.Output.from_input(dict(args.environment)),
                pulumi.Output.from_input(secrets),
            ).apply(
                lambda v: json.dumps(
                    container_definitions(
                        image=v[0],
                        port=args.container_port,
                        region=v[1],
                        log_group=log_group_name,
                        environment=v[2],
                        secrets=v[3],
                    )
                )
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[log_group]),
        )
        service = aws.ecs.Service(
            f"{name}-service",
            name=f"{prefix}-{name}",
            cluster=cluster.arn,
            task_definition=task_definition.arn,
            desired_count=args.desired_count,
            launch_type=None if args.spot else "FARGATE",
            capacity_provider_strategies=[{"capacity_provider": "FARGATE_SPOT", "weight": 1}] if args.spot else None,
            platform_version="LATEST",
            network_configuration={
                "subnets": list(args.private_subnet_ids),
                "security_groups": [task_sg.id],
                "assign_public_ip": False,
            },
            load_balancers=[
                {
                    "target_group_arn": target_group.arn,
                    "container_name": CONTAINER_NAME,
                    "container_port": args.container_port,
                }
            ],
            health_check_grace_period_seconds=args.health_check_grace_seconds,
            deployment_circuit_breaker={"enable": True, "rollback": True},
            deployment_minimum_healthy_percent=100,
            deployment_maximum_percent=200,
            propagate_tags="SERVICE",
            enable_ecs_managed_tags=True,
            enable_execute_command=False,
            wait_for_steady_state=False,
            # Autoscaling owns the task count once the service runs.
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[verified, *([capacity] if capacity else [])], ignore_changes=["desiredCount"]
            ),
        )
        self._autoscaling(
            name,
            args=args,
            cluster=cluster,
            service=service,
            load_balancer=load_balancer,
            target_group=target_group,
        )
        create_alarms(
            f"{name}-alarm",
            api_alarm_specs(
                cluster=f"{prefix}-{name}",
                service=f"{prefix}-{name}",
                load_balancer=load_balancer.arn_suffix,
                target_group=target_group.arn_suffix,
                error_rate_percent=args.error_rate_alarm_percent,
                latency_seconds=args.latency_alarm_seconds,
            ),
            args.alarm_actions,
            self,
        )

        self.task_security_group_id = task_sg.id
        self.origin_verify_value = pulumi.Output.secret(origin_verify.result)
        self.load_balancer_dns_name = load_balancer.dns_name
        self.repository_url = repository.repository_url
        self.service_name = service.name
        self.cluster_name = cluster.name
        self.register_outputs(
            {
                "repositoryUrl": self.repository_url,
                "serviceName": self.service_name,
                "loadBalancerDnsName": self.load_balancer_dns_name,
            }
        )

    def _image(self, name: str, args: FargateApiArgs, repository: aws.ecr.Repository) -> pulumi.Output[str]:
        if isinstance(args.image, ImageBuild):
            # Imported here: pulumi_awsx brings Docker build plumbing a prebuilt image does not need.
            import pulumi_awsx as awsx  # noqa: PLC0415

            platform = "linux/arm64" if args.architecture == "ARM64" else "linux/amd64"
            image = awsx.ecr.Image(
                f"{name}-image",
                repository_url=repository.repository_url,
                context=args.image.context,
                dockerfile=args.image.dockerfile,
                platform=platform,
                opts=pulumi.ResourceOptions(parent=self),
            )
            return image.image_uri
        template = args.image
        return repository.repository_url.apply(lambda url: template.replace("{repository}", url))

    def _autoscaling(
        self,
        name: str,
        *,
        args: FargateApiArgs,
        cluster: aws.ecs.Cluster,
        service: aws.ecs.Service,
        load_balancer: aws.lb.LoadBalancer,
        target_group: aws.lb.TargetGroup,
    ) -> None:
        child = pulumi.ResourceOptions(parent=self)
        target = aws.appautoscaling.Target(
            f"{name}-scaling",
            service_namespace="ecs",
            scalable_dimension="ecs:service:DesiredCount",
            resource_id=pulumi.Output.concat("service/", cluster.name, "/", service.name),
            min_capacity=args.min_count,
            max_capacity=args.max_count,
            opts=child,
        )
        metrics: list[tuple[str, float, pulumi.Input[str] | None]] = [
            ("ECSServiceAverageCPUUtilization", args.cpu_target_percent, None),
            ("ECSServiceAverageMemoryUtilization", args.memory_target_percent, None),
        ]
        if args.requests_per_target is not None:
            label = pulumi.Output.concat(load_balancer.arn_suffix, "/", target_group.arn_suffix)
            metrics.append(("ALBRequestCountPerTarget", args.requests_per_target, label))
        if args.schedule is not None:
            days, start, stop = args.schedule
            for action, hour, low, high in (("start", start, args.min_count, args.max_count), ("stop", stop, 0, 0)):
                aws.appautoscaling.ScheduledAction(
                    f"{name}-{action}",
                    name=f"{args.name_prefix}-{name}-{action}",
                    service_namespace=target.service_namespace,
                    scalable_dimension=target.scalable_dimension,
                    resource_id=target.resource_id,
                    schedule=f"cron(0 {hour} ? * {days} *)",
                    timezone="UTC",
                    scalable_target_action={"min_capacity": low, "max_capacity": high},
                    opts=child,
                )
        for metric, value, label in metrics:
            predefined: dict = {"predefined_metric_type": metric}
            if label is not None:
                predefined["resource_label"] = label
            aws.appautoscaling.Policy(
                f"{name}-scale-{metric}",
                policy_type="TargetTrackingScaling",
                service_namespace=target.service_namespace,
                scalable_dimension=target.scalable_dimension,
                resource_id=target.resource_id,
                target_tracking_scaling_policy_configuration={
                    "predefined_metric_specification": predefined,  # type: ignore[typeddict-item]
                    "target_value": value,
                    "scale_in_cooldown": 300,
                    "scale_out_cooldown": 60,
                },
                opts=child,
            )
