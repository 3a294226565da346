"""FargateApi: containerised services on ECS Fargate behind one ALB that only CloudFront can reach."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from .alarms import create_alarms
from .api_settings import TLS_POLICY, load_balancer_alarm_specs, target_alarm_specs
from .aws_context import aws_context
from .aws_text import ec2_description
from .edge_settings import ORIGIN_VERIFY_HEADER
from .encryption_key import customer_managed_key
from .fargate_service import (
    BuiltService,
    ImageBuild,
    Route,
    ServiceSpec,
    Shared,
    autoscale,
    prepare_service,
    run_service,
)
from .iam_documents import logs_key_statement
from .log_groups import DEFAULT_RETENTION_DAYS
from .restricted_security_group import Peer, tcp_rule

CLOUDFRONT_ORIGIN_FACING = "com.amazonaws.global.cloudfront.origin-facing"

__all__ = ["FargateApi", "FargateApiArgs", "ImageBuild", "Route", "ServiceSpec"]


@dataclass(frozen=True)
class FargateApiArgs:
    name_prefix: str
    """Start of every physical name (cluster, ALB, repositories, log groups). Example: "acme-prod"."""
    vpc_id: pulumi.Input[str]
    """The VPC of the ALB and the tasks. Example: vpc.vpc_id."""
    public_subnet_ids: Sequence[pulumi.Input[str]]
    """Subnets of an internet-facing ALB (one per AZ). Example: vpc.public_subnet_ids."""
    private_subnet_ids: Sequence[pulumi.Input[str]]
    """Subnets of the tasks (no public IP), and of an internal ALB. Example: vpc.private_subnet_ids."""
    certificate_arn: pulumi.Input[str]
    """ACM certificate (in the stack's region) of the HTTPS listener; it must cover origin_hostname and, for
    host routing, the viewer host names. Example: domain.regional_certificate_arn.
    """
    log_bucket_name: pulumi.Input[str]
    """Bucket that receives the ALB's access logs (SSE-S3, as ELB requires). Example: logs.bucket_name."""
    services: Sequence[ServiceSpec]
    """The services on the cluster: each a ServiceSpec (its own repository, roles, task, scaling and alarms),
    all behind the one ALB unless a worker. Example: [ServiceSpec("api")].
    """
    secret_kms_key_arns: Sequence[pulumi.Input[str]] = ()
    """KMS keys of the secrets the services inject (the execution role may decrypt with them only through
    Secrets Manager). Example: [database.kms_key_arn].
    """
    egress_to: Sequence[tuple[int, pulumi.Input[str]]] = ()
    """(port, security group) pairs the tasks may open connections to, besides 443 anywhere. Example: [(5432,
    database.security_group_id)].
    """
    idle_timeout_seconds: int = 60
    """Seconds the ALB keeps an idle connection open (1-4000); CloudFront's origin keep-alive is 5 s by
    default, so 60 never cuts a connection CloudFront still uses. Example: 120 for long polls.
    """
    load_balancer_deletion_protection: bool = True
    """ALB deletion protection: `destroy` and a replacement stop until it is turned off. Example: False for dev."""
    log_retention_days: int = DEFAULT_RETENTION_DAYS
    """Days the container logs are kept (a CloudWatch Logs retention value). Example: 90."""
    alarm_actions: Sequence[pulumi.Input[str]] = ()
    """SNS topic ARNs told when an alarm (5xx rate, latency, unhealthy hosts, CPU, memory) fires. Example:
    [alert_topic.arn].
    """
    error_rate_alarm_percent: float = 5
    """Alarm when more than this percentage of requests get a 5xx from the targets over 5 minutes. Example: 1."""
    latency_alarm_seconds: float = 2
    """Alarm when the p95 target response time exceeds this many seconds. Example: 0.5."""
    origin_hostname: str | None = None
    """Host name CloudFront uses for the ALB (its DNS record and TLS name); None: no record. Example:
    "origin-api.example.com".
    """
    zone_id: pulumi.Input[str] | None = None
    """Route 53 zone of origin_hostname's record. Example: domain.zone_id."""
    load_balancer_scheme: Literal["internet-facing", "internal"] = "internet-facing"
    """Where the ALB sits. "internet-facing": the ALB in the public subnets, 443 admitted from CloudFront's
    origin-facing prefix list only; "internal": the private subnets with no public address, reached through a
    CloudFront VPC origin (saves the ALB's public IPv4 charge; no WebSockets or gRPC). Example: "internal".
    """
    keep_data_on_destroy: bool = True
    """True: repositories holding images stop `destroy` and application secrets wait 7 days; False: `destroy`
    deletes them with their contents at once. Example: False for dev.
    """


def rule_order(spec: ServiceSpec) -> tuple[int, str]:
    """Most specific first: host and path, then path, then host, then the catch-all."""
    route = spec.route or Route()
    return (0 if route.paths else 2) + (0 if route.hosts else 1), spec.name


class FargateApi(pulumi.ComponentResource):
    services: dict[str, BuiltService]
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
        if not args.services:
            raise ValueError("FargateApi needs at least one service")
        log_groups = f"/ecs/{prefix}-*"
        key = customer_managed_key(
            f"{name}-key",
            description=f"{prefix} {name}: images, container logs and application secrets",
            alias=f"{prefix}/{name}",
            context=context,
            parent=self,
            service_statements=lambda region, account: [logs_key_statement(region, account, log_groups)],
        )
        cluster = aws.ecs.Cluster(
            f"{name}-cluster",
            name=f"{prefix}-{name}",
            settings=[{"name": "containerInsights", "value": "enabled"}],
            opts=child,
        )
        capacity = None
        if any(spec.spot for spec in args.services):
            capacity = aws.ecs.ClusterCapacityProviders(
                f"{name}-capacity",
                cluster_name=cluster.name,
                capacity_providers=["FARGATE", "FARGATE_SPOT"],
                default_capacity_provider_strategies=[{"capacity_provider": "FARGATE_SPOT", "weight": 1}],
                opts=child,
            )
        task_sg = aws.ec2.SecurityGroup(
            f"{name}-task-sg",
            vpc_id=args.vpc_id,
            description=ec2_description(f"{prefix} {name} tasks: from the ALB only"),
            opts=child,
        )
        shared = Shared(
            component=name,
            prefix=prefix,
            context=context,
            key=key,
            cluster=cluster,
            task_security_group=task_sg.id,
            private_subnet_ids=args.private_subnet_ids,
            secret_kms_key_arns=args.secret_kms_key_arns,
            log_retention_days=args.log_retention_days,
            alarm_actions=args.alarm_actions,
            keep_data_on_destroy=args.keep_data_on_destroy,
        )
        built = [prepare_service(spec, shared, self) for spec in args.services]
        routed = sorted((b for b in built if b.spec.route is not None), key=lambda b: rule_order(b.spec))

        rules: list[tuple[str, Literal["ingress", "egress"], Any, int, Peer, str]] = [
            ("tasks-https-out", "egress", task_sg.id, 443, Peer(cidr="0.0.0.0/0"),
             "HTTPS to AWS APIs (ECR, logs, Secrets Manager) via NAT or endpoints"),
            *(
                (f"tasks-out-{index}", "egress", task_sg.id, store_port, Peer(group=group),
                 f"port {store_port} to a data store")
                for index, (store_port, group) in enumerate(args.egress_to)
            ),
        ]  # fmt: skip
        self.origin_verify_value = pulumi.Output.secret("")
        self.load_balancer_dns_name = pulumi.Output.from_input("")
        self.vpc_origin_id: pulumi.Output[str] | None = None
        target_groups: dict[str, aws.lb.TargetGroup] = {}
        depends: list[pulumi.Resource] = [capacity] if capacity else []
        load_balancer = None
        if routed:
            load_balancer, listener_rules, target_groups, alb_rules = self._load_balancer(name, args, routed)
            rules += alb_rules(task_sg.id)
            depends += listener_rules
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
        for service in built:
            target_group = target_groups.get(service.spec.name)
            run_service(service, shared, self, target_group, depends)
            label = (
                pulumi.Output.concat(load_balancer.arn_suffix, "/", target_group.arn_suffix)
                if load_balancer is not None and target_group is not None
                else None
            )
            autoscale(service, shared, self, label)
            if load_balancer is not None and target_group is not None:
                create_alarms(
                    f"{service.base}-alarm",
                    target_alarm_specs(
                        service=f"{prefix}-{service.spec.name}",
                        load_balancer=load_balancer.arn_suffix,
                        target_group=target_group.arn_suffix,
                    ),
                    args.alarm_actions,
                    self,
                )

        first = built[0]
        assert first.service is not None
        self.services = {b.spec.name: b for b in built}
        self.task_security_group_id = task_sg.id
        self.repository_url = first.repository_url
        self.service_name = first.service.name
        self.cluster_name = cluster.name
        self.register_outputs(
            {
                "repositoryUrl": self.repository_url,
                "serviceName": self.service_name,
                "loadBalancerDnsName": self.load_balancer_dns_name,
            }
        )

    def _load_balancer(
        self, name: str, args: FargateApiArgs, routed: list[BuiltService]
    ) -> tuple[Any, list[pulumi.Resource], dict[str, aws.lb.TargetGroup], Any]:
        """The ALB, its listeners, one target group and listener rule per routed service."""
        child = pulumi.ResourceOptions(parent=self)
        prefix = args.name_prefix
        # The header CloudFront adds to every origin request; the listener forwards nothing else.
        origin_verify = random.RandomPassword(f"{name}-origin-verify", length=48, special=False, opts=child)
        internal = args.load_balancer_scheme == "internal"
        prefix_list = aws.ec2.get_managed_prefix_list_output(
            name=CLOUDFRONT_ORIGIN_FACING, opts=pulumi.InvokeOutputOptions(parent=self)
        )
        alb_sg = aws.ec2.SecurityGroup(
            f"{name}-alb-sg",
            vpc_id=args.vpc_id,
            description=ec2_description(f"{prefix} {name} ALB: HTTPS from CloudFront only"),
            opts=child,
        )
        load_balancer = aws.lb.LoadBalancer(
            f"{name}-alb",
            name=f"{prefix}-{name}"[:32],
            load_balancer_type="application",
            internal=internal,
            subnets=list(args.private_subnet_ids if internal else args.public_subnet_ids),
            security_groups=[alb_sg.id],
            drop_invalid_header_fields=True,
            desync_mitigation_mode="defensive",
            enable_deletion_protection=args.load_balancer_deletion_protection,
            idle_timeout=args.idle_timeout_seconds,
            access_logs={"bucket": args.log_bucket_name, "prefix": "alb", "enabled": True},
            opts=child,
        )
        https = aws.lb.Listener(
            f"{name}-https",
            load_balancer_arn=load_balancer.arn,
            port=443,
            protocol="HTTPS",
            ssl_policy=TLS_POLICY,
            certificate_arn=args.certificate_arn,
            # Only requests that carry CloudFront's secret header reach a service.
            default_actions=[
                {
                    "type": "fixed-response",
                    "fixed_response": {"content_type": "text/plain", "message_body": "Forbidden", "status_code": "403"},
                }
            ],
            opts=child,
        )
        aws.lb.Listener(
            f"{name}-http",
            load_balancer_arn=load_balancer.arn,
            port=80,
            protocol="HTTP",
            default_actions=[
                {"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"}}
            ],
            opts=child,
        )
        target_groups: dict[str, aws.lb.TargetGroup] = {}
        listener_rules: list[pulumi.Resource] = []
        for position, service in enumerate(routed):
            spec, route = service.spec, service.spec.route or Route()
            target_groups[spec.name] = target_group = aws.lb.TargetGroup(
                f"{service.base}-targets",
                port=spec.container_port,
                protocol="HTTP",
                target_type="ip",
                vpc_id=args.vpc_id,
                deregistration_delay=spec.deregistration_delay_seconds,
                health_check={
                    "path": spec.health_check_path,
                    "protocol": "HTTP",
                    "matcher": spec.health_check_matcher,
                    "interval": spec.health_check_interval_seconds,
                    "timeout": spec.health_check_timeout_seconds,
                    "healthy_threshold": spec.healthy_threshold,
                    "unhealthy_threshold": spec.unhealthy_threshold,
                },
                opts=child,
            )
            conditions: list[Any] = [
                {
                    "http_header": {
                        "http_header_name": ORIGIN_VERIFY_HEADER,
                        "values": [pulumi.Output.secret(origin_verify.result)],
                    }
                }
            ]
            if route.hosts:
                conditions.append({"host_header": {"values": list(route.hosts)}})
            if route.paths:
                conditions.append({"path_pattern": {"values": list(route.paths)}})
            listener_rules.append(
                aws.lb.ListenerRule(
                    f"{service.base}-from-cloudfront",
                    listener_arn=https.arn,
                    priority=10 * (position + 1),
                    conditions=conditions,
                    actions=[{"type": "forward", "target_group_arn": target_group.arn}],
                    opts=child,
                )
            )
        if args.origin_hostname is not None and args.zone_id is not None and not internal:
            # An internal ALB has no public DNS record: CloudFront reaches it through the VPC
            # origin (by ARN) and presents the origin host name only for TLS (SNI, certificate).
            aws.route53.Record(
                f"{name}-origin-record",
                zone_id=args.zone_id,
                name=args.origin_hostname,
                type="A",
                aliases=[
                    {"name": load_balancer.dns_name, "zone_id": load_balancer.zone_id, "evaluate_target_health": True}
                ],
                opts=child,
            )
        create_alarms(
            f"{name}-alarm",
            load_balancer_alarm_specs(
                name=f"{prefix}-{name}",
                load_balancer=load_balancer.arn_suffix,
                error_rate_percent=args.error_rate_alarm_percent,
                latency_seconds=args.latency_alarm_seconds,
            ),
            args.alarm_actions,
            self,
        )
        if internal:
            # CloudFront's own network interfaces in the VPC reach the private ALB; traffic
            # still comes from the origin-facing prefix list the ALB's group admits.
            self.vpc_origin_id = aws.cloudfront.VpcOrigin(
                f"{name}-vpc-origin",
                vpc_origin_endpoint_config={
                    "name": f"{prefix}-{name}",
                    "arn": load_balancer.arn,
                    "http_port": 80,
                    "https_port": 443,
                    "origin_protocol_policy": "https-only",
                    "origin_ssl_protocols": {"items": ["TLSv1.2"], "quantity": 1},
                },
                # Creating and deleting a VPC origin can outlast the provider's 15-minute default.
                timeouts={"create": "30m", "update": "30m", "delete": "30m"},
                # CloudFront refuses to update a VPC origin a distribution uses (409): any change
                # creates a new one, the distribution moves to it, then the old one goes.
                opts=pulumi.ResourceOptions(parent=self, replace_on_changes=["*"]),
            ).id
        self.origin_verify_value = pulumi.Output.secret(origin_verify.result)
        self.load_balancer_dns_name = load_balancer.dns_name
        ports = sorted({service.spec.container_port for service in routed})

        def alb_rules(task_group: Any) -> list[tuple[str, Literal["ingress", "egress"], Any, int, Peer, str]]:
            def suffix(port: int) -> str:
                return "" if len(ports) == 1 else f"-{port}"

            return [
                ("alb-from-cloudfront", "ingress", alb_sg.id, 443, Peer(prefix_list=prefix_list.id),
                 "HTTPS from CloudFront origin-facing addresses"),
                *(
                    (f"alb-to-tasks{suffix(port)}", "egress", alb_sg.id, port, Peer(group=task_group),
                     "to the task container port")
                    for port in ports
                ),
                *(
                    (f"tasks-from-alb{suffix(port)}", "ingress", task_group, port, Peer(group=alb_sg.id),
                     "container port from the ALB")
                    for port in ports
                ),
            ]  # fmt: skip

        return load_balancer, listener_rules, target_groups, alb_rules
