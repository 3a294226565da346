"""FargateApi: containerised services on ECS Fargate behind one ALB that only CloudFront can reach."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from .alarms import create_alarms
from .api_settings import TLS_POLICY, load_balancer_alarm_specs
from .aws_context import AwsContext, aws_context
from .aws_text import ec2_description
from .edge_settings import ORIGIN_VERIFY_HEADER, no_custom_domain_tags
from .encryption_key import customer_managed_key
from .exec_sessions import cluster_exec_configuration, exec_log_group, exec_log_group_name
from .fargate_service import (
    BuiltService,
    ImageBuild,
    Route,
    RunningService,
    ServiceSpec,
    Shared,
    autoscale,
    prepare_service,
    run_service,
)
from .iam_documents import logs_key_statement
from .log_groups import DEFAULT_RETENTION_DAYS
from .restricted_security_group import Peer, tcp_rule
from .rollout import BlueGreen, Rollout, production_forward_action, rollback_alarm_specs, traffic_shift_role

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
    certificate_arn: pulumi.Input[str] | None
    """ACM certificate (in the stack's region) of the HTTPS listener; it must cover origin_hostname and, for
    host routing, the viewer host names. None (a stack without a custom domain, or workers only): no public
    certificate can name the ALB, so an internal ALB listens on HTTP 80 and CloudFront reaches it through
    its VPC origin over HTTP inside AWS's network (listener and VPC origin tagged CustomDomain=none for the
    policy pack). Example: domain.regional_certificate_arn.
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
    sidecar_repository_arns: Sequence[str] = ()
    """ECR repositories of other accounts the execution roles may pull from besides the services' own: the
    one hosting GuardDuty's Fargate security agent, which GuardDuty adds to every task when Runtime
    Monitoring manages it. Example: ["arn:aws:ecr:us-east-1:593207742271:repository/aws-guardduty-agent-fargate"].
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
    accept_no_custom_domain: bool = False
    """Without a certificate: the stack accepts the HTTP leg from CloudFront to the internal ALB (tag
    AcceptedRisk=no-custom-domain, listed by the policy pack as an advisory instead of a violation).
    Example: True.
    """
    keep_data_on_destroy: bool = True
    """True: repositories holding images stop `destroy` and application secrets wait 7 days; False: `destroy`
    deletes them with their contents at once. Example: False for dev.
    """


def rule_order(spec: ServiceSpec) -> tuple[int, str]:
    """Most specific first: host and path, then path, then host, then the catch-all."""
    route = spec.route or Route()
    return (0 if route.paths else 2) + (0 if route.hosts else 1), spec.name


Rule = tuple[str, Literal["ingress", "egress"], Any, int, Peer, str]


@dataclass(frozen=True)
class _Build:
    """What every step of FargateApi shares."""

    name: str
    args: FargateApiArgs
    child: pulumi.ResourceOptions
    parent: pulumi.Resource


@dataclass(frozen=True)
class FrontDoor:
    """The shared ALB and what hangs off it: the target group of each routed service, the
    listener rules the services wait for, and how CloudFront reaches it."""

    load_balancer: aws.lb.LoadBalancer
    security_group_id: pulumi.Output[str]
    target_groups: dict[str, aws.lb.TargetGroup]
    listener_rules: list[pulumi.Resource]
    origin_verify_value: pulumi.Output[str]
    vpc_origin_id: pulumi.Output[str] | None
    prefix_list_id: pulumi.Output[str]
    container_ports: list[int]
    # The listener the services' rules hang on: HTTPS 443, or HTTP 80 without a certificate.
    listener: aws.lb.Listener
    listener_port: int
    # Blue/green services only: the second target group, and the rule ECS moves between the two.
    alternate_target_groups: dict[str, aws.lb.TargetGroup]
    production_rules: dict[str, aws.lb.ListenerRule]


class FargateApi(pulumi.ComponentResource):
    """Containerised services on one ECS Fargate cluster behind one shared ALB that only
    CloudFront reaches (its origin-facing prefix list, and a secret header on every request).

    Each ServiceSpec gets its own ECR repository (scan on push, immutable tags, KMS, lifecycle),
    task definition (non-root, read-only root file system, secrets injected by ECS), roles
    (the execution role reads only its repository, log group and secrets; the task role only the
    bucket prefixes granted), target group and listener rule (by host and path), target-tracking
    scaling and alarms. Workers (``route=None``) get no load balancer.

    Example::

        api = FargateApi("api", FargateApiArgs(
            name_prefix="acme-prod", vpc_id=vpc.vpc_id,
            public_subnet_ids=vpc.public_subnet_ids, private_subnet_ids=vpc.private_subnet_ids,
            certificate_arn=domain.regional_certificate_arn, log_bucket_name=logs.bucket_name,
            services=[ServiceSpec("api", image="{repository}:1.4.2", cpu=1024, memory_mib=2048)],
        ))

    Cost (cost/prices.csv, us-east-1): the ALB $16.43 a month plus $0.008 per LCU-hour; each task
    of 0.5 vCPU and 1 GiB on ARM64 about $14.40 a month (Fargate Spot about 70 % less); the KMS key
    $1 a month; ECR storage, Container Insights metrics and logs by use.
    """

    services: dict[str, RunningService]
    task_security_group_id: pulumi.Output[str]
    origin_verify_value: pulumi.Output[str]
    load_balancer_dns_name: pulumi.Output[str]
    vpc_origin_id: pulumi.Output[str] | None
    repository_url: pulumi.Output[str]
    service_name: pulumi.Output[str]
    cluster_name: pulumi.Output[str]
    cluster_arn: pulumi.Output[str]
    load_balancer_arn_suffix: pulumi.Output[str] | None  # the ALB's metrics dimension (None: workers only)
    target_group_arn_suffixes: dict[str, pulumi.Output[str]]  # routed service -> its target group's

    def __init__(self, name: str, args: FargateApiArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("webstack:compute:FargateApi", name, None, opts)
        _check(args)
        build = _Build(name, args, pulumi.ResourceOptions(parent=self), self)
        shared = _shared(build, aws_context(self))
        capacity = _spot_capacity(build, shared.cluster)
        built = [prepare_service(spec, shared, self) for spec in args.services]
        routed = sorted((b for b in built if b.spec.route is not None), key=lambda b: rule_order(b.spec))
        front = _front_door(build, routed) if routed else None
        _security_rules(build, shared.task_security_group, front)
        depends: list[pulumi.Resource] = [*([capacity] if capacity else []), *(front.listener_rules if front else [])]
        running = [_run(build, service, shared, front, depends) for service in built]

        first = running[0]
        self.services = {r.spec.name: r for r in running}
        self.task_security_group_id = pulumi.Output.from_input(shared.task_security_group)
        self.origin_verify_value = front.origin_verify_value if front else pulumi.Output.secret("")
        self.load_balancer_dns_name = front.load_balancer.dns_name if front else pulumi.Output.from_input("")
        self.vpc_origin_id = front.vpc_origin_id if front else None
        self.repository_url = first.built.repository_url
        self.service_name = first.service.name
        self.cluster_name = shared.cluster.name
        self.cluster_arn = shared.cluster.arn
        self.load_balancer_arn_suffix = front.load_balancer.arn_suffix if front else None
        self.target_group_arn_suffixes = {n: tg.arn_suffix for n, tg in (front.target_groups if front else {}).items()}
        self.register_outputs(
            {
                "repositoryUrl": self.repository_url,
                "serviceName": self.service_name,
                "loadBalancerDnsName": self.load_balancer_dns_name,
            }
        )


def _check(args: FargateApiArgs) -> None:
    """Refuse what AWS or the component's own design cannot do, before anything registers."""
    if not args.services:
        raise ValueError("FargateApi needs at least one service")
    for spec in args.services:
        if spec.deployment == "blue_green" and spec.route is None:
            raise ValueError(f"service {spec.name!r}: a blue_green deployment needs a route (workers roll)")
        if spec.deployment == "blue_green" and spec.requests_per_target is not None:
            raise ValueError(
                f"service {spec.name!r}: requests_per_target tracks one target group, and blue_green moves "
                "production traffic between two; scale a blue/green service on CPU and memory"
            )
    routes = [spec for spec in args.services if spec.route is not None]
    if routes and args.certificate_arn is None and args.load_balancer_scheme != "internal":
        raise ValueError(
            "certificate_arn: an internet-facing ALB needs a certificate; without one (no custom domain) "
            "the ALB must be internal, reached through CloudFront's VPC origin"
        )


def _shared(b: _Build, context: AwsContext) -> Shared:
    """The key, cluster and task security group every service of the component shares."""
    prefix, name = b.args.name_prefix, b.name
    log_groups = f"/ecs/{prefix}-*"
    key = customer_managed_key(
        f"{name}-key",
        description=f"{prefix} {name}: images, container logs and application secrets",
        alias=f"{prefix}/{name}",
        context=context,
        parent=b.parent,
        service_statements=lambda region, account: [logs_key_statement(region, account, log_groups)],
    )
    exec_logs = _exec_log_group(b, key)
    cluster = aws.ecs.Cluster(
        f"{name}-cluster",
        name=f"{prefix}-{name}",
        settings=[{"name": "containerInsights", "value": "enabled"}],
        configuration=cluster_exec_configuration(key.arn, exec_logs.name) if exec_logs else None,  # type: ignore[arg-type]
        opts=b.child,
    )
    task_sg = aws.ec2.SecurityGroup(
        f"{name}-task-sg",
        vpc_id=b.args.vpc_id,
        description=ec2_description(f"{prefix} {name} tasks: from the ALB only"),
        opts=b.child,
    )
    return Shared(
        component=name,
        prefix=prefix,
        context=context,
        key=key,
        cluster=cluster,
        task_security_group=task_sg.id,
        private_subnet_ids=b.args.private_subnet_ids,
        secret_kms_key_arns=b.args.secret_kms_key_arns,
        log_retention_days=b.args.log_retention_days,
        alarm_actions=b.args.alarm_actions,
        keep_data_on_destroy=b.args.keep_data_on_destroy,
        sidecar_repository_arns=tuple(b.args.sidecar_repository_arns),
        exec_log_group=exec_log_group_name(prefix, name) if exec_logs else None,
    )


def _exec_log_group(b: _Build, key: aws.kms.Key) -> aws.cloudwatch.LogGroup | None:
    """The encrypted log group of ECS Exec sessions, when a service enables exec."""
    if not any(spec.exec_enabled for spec in b.args.services):
        return None
    return exec_log_group(
        f"{b.name}-exec-logs",
        prefix=b.args.name_prefix,
        component=b.name,
        key=key,
        retention_days=b.args.log_retention_days,
        parent=b.parent,
    )


def _spot_capacity(b: _Build, cluster: aws.ecs.Cluster) -> aws.ecs.ClusterCapacityProviders | None:
    """Fargate Spot as the cluster's default capacity when a service asks for it."""
    if not any(spec.spot for spec in b.args.services):
        return None
    return aws.ecs.ClusterCapacityProviders(
        f"{b.name}-capacity",
        cluster_name=cluster.name,
        capacity_providers=["FARGATE", "FARGATE_SPOT"],
        default_capacity_provider_strategies=[{"capacity_provider": "FARGATE_SPOT", "weight": 1}],
        opts=b.child,
    )


def _front_door(b: _Build, routed: list[BuiltService]) -> FrontDoor:
    """The ALB, its listeners, one target group and listener rule per routed service, its DNS
    record or VPC origin, and its alarms."""
    args, name = b.args, b.name
    # The header CloudFront adds to every origin request; the listener forwards nothing else.
    origin_verify = random.RandomPassword(f"{name}-origin-verify", length=48, special=False, opts=b.child)
    prefix_list = aws.ec2.get_managed_prefix_list_output(
        name=CLOUDFRONT_ORIGIN_FACING, opts=pulumi.InvokeOutputOptions(parent=b.parent)
    )
    protocol = "HTTPS" if args.certificate_arn is not None else "HTTP"
    alb_sg = aws.ec2.SecurityGroup(
        f"{name}-alb-sg",
        vpc_id=args.vpc_id,
        description=ec2_description(f"{args.name_prefix} {name} ALB: {protocol} from CloudFront only"),
        opts=b.child,
    )
    load_balancer = _load_balancer(b, alb_sg)
    https = _listeners(b, load_balancer)
    target_groups: dict[str, aws.lb.TargetGroup] = {}
    alternates: dict[str, aws.lb.TargetGroup] = {}
    listener_rules: list[pulumi.Resource] = []
    production_rules: dict[str, aws.lb.ListenerRule] = {}
    for position, service in enumerate(routed):
        name_ = service.spec.name
        target_groups[name_] = _target_group(b, service)
        if service.spec.deployment == "blue_green":
            alternates[name_] = _target_group(b, service, suffix="-alt")
        production_rules[name_] = _listener_rule(
            b,
            service,
            https=https,
            target_group=target_groups[name_],
            alternate=alternates.get(name_),
            position=position,
            origin_verify=origin_verify.result,
        )
        listener_rules.append(production_rules[name_])
    _origin_record(b, load_balancer)
    create_alarms(
        f"{name}-alarm",
        load_balancer_alarm_specs(
            name=f"{args.name_prefix}-{name}",
            load_balancer=load_balancer.arn_suffix,
            error_rate_percent=args.error_rate_alarm_percent,
            latency_seconds=args.latency_alarm_seconds,
        ),
        args.alarm_actions,
        b.parent,
    )
    return FrontDoor(
        load_balancer=load_balancer,
        security_group_id=alb_sg.id,
        target_groups=target_groups,
        listener_rules=listener_rules,
        origin_verify_value=pulumi.Output.secret(origin_verify.result),
        vpc_origin_id=_vpc_origin(b, load_balancer) if args.load_balancer_scheme == "internal" else None,
        prefix_list_id=prefix_list.id,
        container_ports=sorted({service.spec.container_port for service in routed}),
        listener=https,
        listener_port=443 if args.certificate_arn is not None else 80,
        alternate_target_groups=alternates,
        production_rules=production_rules,
    )


def _load_balancer(b: _Build, alb_sg: aws.ec2.SecurityGroup) -> aws.lb.LoadBalancer:
    args = b.args
    internal = args.load_balancer_scheme == "internal"
    return aws.lb.LoadBalancer(
        f"{b.name}-alb",
        name=f"{args.name_prefix}-{b.name}"[:32],
        load_balancer_type="application",
        internal=internal,
        subnets=list(args.private_subnet_ids if internal else args.public_subnet_ids),
        security_groups=[alb_sg.id],
        drop_invalid_header_fields=True,
        desync_mitigation_mode="defensive",
        enable_deletion_protection=args.load_balancer_deletion_protection,
        idle_timeout=args.idle_timeout_seconds,
        access_logs={"bucket": args.log_bucket_name, "prefix": "alb", "enabled": True},
        opts=b.child,
    )


FORBIDDEN: aws.lb.ListenerDefaultActionArgsDict = {
    "type": "fixed-response",
    "fixed_response": {"content_type": "text/plain", "message_body": "Forbidden", "status_code": "403"},
}


def _listeners(b: _Build, load_balancer: aws.lb.LoadBalancer) -> aws.lb.Listener:
    """HTTPS (TLS 1.3 policy) answering 403 unless a rule matches, and HTTP that only redirects;
    without a certificate, HTTP answering 403 unless a rule matches (the VPC origin's leg)."""
    if b.args.certificate_arn is None:
        return aws.lb.Listener(
            f"{b.name}-http",
            load_balancer_arn=load_balancer.arn,
            port=80,
            protocol="HTTP",
            default_actions=[FORBIDDEN],
            tags=no_custom_domain_tags(b.args.accept_no_custom_domain),
            opts=b.child,
        )
    https = aws.lb.Listener(
        f"{b.name}-https",
        load_balancer_arn=load_balancer.arn,
        port=443,
        protocol="HTTPS",
        ssl_policy=TLS_POLICY,
        certificate_arn=b.args.certificate_arn,
        # Only requests that carry CloudFront's secret header reach a service.
        default_actions=[FORBIDDEN],
        opts=b.child,
    )
    aws.lb.Listener(
        f"{b.name}-http",
        load_balancer_arn=load_balancer.arn,
        port=80,
        protocol="HTTP",
        default_actions=[
            {"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"}}
        ],
        opts=b.child,
    )
    return https


def _target_group(b: _Build, service: BuiltService, suffix: str = "") -> aws.lb.TargetGroup:
    """The service's target group (``suffix`` "-alt": the second one of a blue/green service)."""
    spec = service.spec
    return aws.lb.TargetGroup(
        f"{service.base}-targets{suffix}",
        port=spec.container_port,
        protocol="HTTP",
        target_type="ip",
        vpc_id=b.args.vpc_id,
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
        opts=b.child,
    )


def _listener_rule(
    b: _Build,
    service: BuiltService,
    *,
    https: aws.lb.Listener,
    target_group: aws.lb.TargetGroup,
    alternate: aws.lb.TargetGroup | None,
    position: int,
    origin_verify: pulumi.Output[str],
) -> aws.lb.ListenerRule:
    """Forward to the service what carries CloudFront's secret header and matches its route.

    A blue/green service's rule forwards to both its target groups (all to the primary at first);
    ECS owns the weights from then on, so the program ignores later changes to its actions (putting
    them back would send production traffic to the set ECS just drained)."""
    route = service.spec.route or Route()
    conditions: list[Any] = [
        {
            "http_header": {
                "http_header_name": ORIGIN_VERIFY_HEADER,
                "values": [pulumi.Output.secret(origin_verify)],
            }
        }
    ]
    if route.hosts:
        conditions.append({"host_header": {"values": list(route.hosts)}})
    if route.paths:
        conditions.append({"path_pattern": {"values": list(route.paths)}})
    if alternate is None:
        return aws.lb.ListenerRule(
            f"{service.base}-from-cloudfront",
            listener_arn=https.arn,
            priority=10 * (position + 1),
            conditions=conditions,
            actions=[{"type": "forward", "target_group_arn": target_group.arn}],
            opts=b.child,
        )
    return aws.lb.ListenerRule(
        f"{service.base}-from-cloudfront",
        listener_arn=https.arn,
        priority=10 * (position + 1),
        conditions=conditions,
        actions=[production_forward_action(target_group.arn, alternate.arn)],
        opts=pulumi.ResourceOptions(parent=b.parent, ignore_changes=["actions"]),
    )


def _origin_record(b: _Build, load_balancer: aws.lb.LoadBalancer) -> None:
    """The origin host name of an internet-facing ALB. An internal ALB has no public DNS record:
    CloudFront reaches it through the VPC origin (by ARN) and presents the origin host name only
    for TLS (SNI, certificate)."""
    args = b.args
    if args.origin_hostname is None or args.zone_id is None or args.load_balancer_scheme == "internal":
        return
    aws.route53.Record(
        f"{b.name}-origin-record",
        zone_id=args.zone_id,
        name=args.origin_hostname,
        type="A",
        aliases=[{"name": load_balancer.dns_name, "zone_id": load_balancer.zone_id, "evaluate_target_health": True}],
        opts=b.child,
    )


def _vpc_origin(b: _Build, load_balancer: aws.lb.LoadBalancer) -> pulumi.Output[str]:
    """CloudFront's own network interfaces in the VPC reach the private ALB; traffic still comes
    from the origin-facing prefix list the ALB's group admits. HTTPS, or HTTP without a certificate."""
    secure = b.args.certificate_arn is not None
    return aws.cloudfront.VpcOrigin(
        f"{b.name}-vpc-origin",
        vpc_origin_endpoint_config={
            "name": f"{b.args.name_prefix}-{b.name}",
            "arn": load_balancer.arn,
            "http_port": 80,
            "https_port": 443,
            "origin_protocol_policy": "https-only" if secure else "http-only",
            "origin_ssl_protocols": {"items": ["TLSv1.2"], "quantity": 1},
        },
        tags=None if secure else no_custom_domain_tags(b.args.accept_no_custom_domain),
        # Creating and deleting a VPC origin can outlast the provider's 15-minute default.
        timeouts={"create": "30m", "update": "30m", "delete": "30m"},
        # CloudFront refuses to update a VPC origin a distribution uses (409): any change creates
        # a new one, the distribution moves to it, then the old one goes.
        opts=pulumi.ResourceOptions(parent=b.parent, replace_on_changes=["*"]),
    ).id


def _security_rules(b: _Build, task_group: pulumi.Input[str], front: FrontDoor | None) -> None:
    """The chain of security-group rules: tasks out to AWS APIs and the data stores; CloudFront
    to the ALB on 443; the ALB to the tasks' container ports and nothing else."""
    rules: list[Rule] = [
        ("tasks-https-out", "egress", task_group, 443, Peer(cidr="0.0.0.0/0"),
         "HTTPS to AWS APIs (ECR, logs, Secrets Manager) via NAT or endpoints"),
        *(
            (f"tasks-out-{index}", "egress", task_group, store_port, Peer(group=group),
             f"port {store_port} to a data store")
            for index, (store_port, group) in enumerate(b.args.egress_to)
        ),
    ]  # fmt: skip
    if front is not None:
        rules += _load_balancer_rules(front, task_group)
    for rule_name, direction, group_id, rule_port, peer, description in rules:
        tcp_rule(
            f"{b.name}-{rule_name}",
            direction=direction,
            group_id=group_id,
            port=rule_port,
            peer=peer,
            description=description,
            parent=b.parent,
        )


def _load_balancer_rules(front: FrontDoor, task_group: pulumi.Input[str]) -> list[Rule]:
    ports = front.container_ports

    def suffix(port: int) -> str:
        return "" if len(ports) == 1 else f"-{port}"

    alb_sg = front.security_group_id
    return [
        ("alb-from-cloudfront", "ingress", alb_sg, front.listener_port, Peer(prefix_list=front.prefix_list_id),
         f"{'HTTPS' if front.listener_port == 443 else 'HTTP'} from CloudFront origin-facing addresses"),
        *(
            (f"alb-to-tasks{suffix(port)}", "egress", alb_sg, port, Peer(group=task_group),
             "to the task container port")
            for port in ports
        ),
        *(
            (f"tasks-from-alb{suffix(port)}", "ingress", task_group, port, Peer(group=alb_sg),
             "container port from the ALB")
            for port in ports
        ),
    ]  # fmt: skip


def _run(
    b: _Build, service: BuiltService, shared: Shared, front: FrontDoor | None, depends: list[pulumi.Resource]
) -> RunningService:
    """The ECS service, its scaling, and (when routed) the target alarms that roll back its deployments."""
    target_group = front.target_groups.get(service.spec.name) if front else None
    if front is None or target_group is None:
        running = run_service(service, shared, b.parent, None, depends)
        autoscale(running, shared, b.parent, None)
        return running
    running = run_service(service, shared, b.parent, target_group, depends, rollout=_rollout(b, service, shared, front))
    autoscale(
        running, shared, b.parent, pulumi.Output.concat(front.load_balancer.arn_suffix, "/", target_group.arn_suffix)
    )
    return running


def _rollout(b: _Build, service: BuiltService, shared: Shared, front: FrontDoor) -> Rollout:
    """The target-group alarms that fail and roll back the service's deployments (both target
    groups' for blue/green: production traffic alternates between them), and for blue/green the
    role ECS assumes to move the production rule."""
    spec = service.spec
    groups = [("", front.target_groups[spec.name])]
    alternate = front.alternate_target_groups.get(spec.name)
    if alternate is not None:
        groups.append(("-alternate", alternate))
    alarms = [
        alarm
        for suffix, group in groups
        for alarm in create_alarms(
            f"{service.base}-alarm",
            rollback_alarm_specs(
                service=f"{shared.prefix}-{spec.name}",
                load_balancer=front.load_balancer.arn_suffix,
                target_group=group.arn_suffix,
                error_rate_percent=b.args.error_rate_alarm_percent,
                key_suffix=suffix,
            ),
            b.args.alarm_actions,
            b.parent,
        )
    ]
    names = [alarm.name for alarm in alarms]
    if alternate is None:
        return Rollout(alarm_names=names)
    rule = front.production_rules[spec.name]
    role_arn = traffic_shift_role(
        f"{service.base}-traffic-role",
        description=f"{shared.prefix} {spec.name}: ECS shifts blue/green traffic on this service's rule",
        context=shared.context,
        listener_arn=front.listener.arn,
        rule_arn=rule.arn,
        target_group_arns=[front.target_groups[spec.name].arn, alternate.arn],
        parent=b.parent,
    )
    return Rollout(
        deployment="blue_green",
        bake_time_minutes=spec.bake_time_minutes,
        alarm_names=names,
        blue_green=BlueGreen(alternate.arn, rule.arn, role_arn),
    )
