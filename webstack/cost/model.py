"""Pure pricing: each resource of a plan becomes line items (quantity x unit price)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from webstack.cost.observe_usage import traced_requests, waf_log_gb
from webstack.cost.references import (
    SCALABLE_TARGET,
    SCHEDULED_ACTION,
    SERVICE,
    bucket_key,
    log_group_kind,
    of_type,
    runs_on,
    scaling_of,
    state_of,
    task_definition_of,
)
from webstack.cost.tables import PriceTable
from webstack.program.schedule_hours import CRON_DAYS, database_schedules
from webstack.program.schedule_hours import running_hours as hours_between

# Deprecated pulumi-aws names of resources the model prices under their current names.
LEGACY_NAMES = {"aws:s3/bucketV2:BucketV2": "aws:s3/bucket:Bucket"}

# Resources without a charge of their own (billed through another line, or free by nature).
NO_CHARGE = {
    "aws:ec2/vpc:Vpc": "VPCs are free",
    "aws:ec2/subnet:Subnet": "free",
    "aws:ec2/routeTable:RouteTable": "free",
    "aws:ec2/route:Route": "free",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "free",
    "aws:ec2/internetGateway:InternetGateway": "free (traffic is billed as data transfer)",
    "aws:ec2/securityGroup:SecurityGroup": "free",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "free",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "free",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "free",
    "aws:ec2/flowLog:FlowLog": "billed as log ingestion of its log group",
    "aws:iam/role:Role": "IAM is free",
    "aws:iam/rolePolicy:RolePolicy": "IAM is free",
    "aws:iam/policy:Policy": "IAM is free",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "IAM is free",
    "aws:iam/policyAttachment:PolicyAttachment": "IAM is free",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": "IAM is free",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "IAM is free",
    "aws:lambda/permission:Permission": "free (the invocations it allows are billed with the function)",
    "aws:lambda/alias:Alias": "free (billed through its provisioned concurrency config and its function)",
    "aws:apigateway/resource:Resource": "free (requests are billed with the REST API)",
    "aws:apigateway/method:Method": "free (requests are billed with the REST API)",
    "aws:apigateway/integration:Integration": "free (the function it invokes bills its invocations)",
    "aws:apigateway/methodResponse:MethodResponse": "free",
    "aws:apigateway/integrationResponse:IntegrationResponse": "free",
    "aws:apigateway/gatewayResponse:GatewayResponse": "free",
    "aws:apigateway/deployment:Deployment": "free (a snapshot of the routes; its stage bills)",
    "aws:apigateway/authorizer:Authorizer": "free for Cognito user pools (the pool bills per user; a Lambda authorizer "
    "would bill as its function's invocations)",
    "aws:apigateway/domainName:DomainName": "no charge of its own (its certificate and alias record bill as usual)",
    "aws:apigateway/basePathMapping:BasePathMapping": "free",
    "aws:cognito/userGroup:UserGroup": "free (its members bill as the pool's users)",
    "aws:wafv2/webAclAssociation:WebAclAssociation": "free (billed with the web ACL)",
    "aws:secretsmanager/secretPolicy:SecretPolicy": "billed with its secret",
    "aws:s3/bucketNotification:BucketNotification": "free (the notified function or queue bills)",
    "aws:kms/alias:Alias": "free",
    "aws:rds/subnetGroup:SubnetGroup": "free",
    "aws:rds/parameterGroup:ParameterGroup": "free",
    "aws:elasticache/subnetGroup:SubnetGroup": "free",
    "aws:secretsmanager/secretVersion:SecretVersion": "billed with its secret",
    "aws:secretsmanager/secretRotation:SecretRotation": "free (its rotation function bills its invocations)",
    "aws:ecs/taskDefinition:TaskDefinition": "free (tasks are billed)",
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": "free",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": "free",
    "aws:lb/targetGroup:TargetGroup": "billed with the load balancer",
    "aws:lb/listener:Listener": "billed with the load balancer",
    "aws:lb/listenerRule:ListenerRule": "billed with the load balancer",
    "aws:appautoscaling/target:Target": "free",
    "aws:appautoscaling/policy:Policy": "free (its alarms are managed by AWS)",
    "aws:appautoscaling/scheduledAction:ScheduledAction": "free",
    "aws:scheduler/scheduleGroup:ScheduleGroup": "free",
    "aws:scheduler/schedule:Schedule": "a few dozen invocations a month, inside Scheduler's 14 M free ones",
    "aws:acm/certificateValidation:CertificateValidation": "free",
    "aws:route53/record:Record": "billed as hosted-zone queries",
    "aws:cloudfront/originAccessControl:OriginAccessControl": "free",
    "aws:cloudfront/vpcOrigin:VpcOrigin": "no charge for VPC origins (the ALB and CloudFront bill as usual)",
    "aws:cloudfront/cachePolicy:CachePolicy": "free",
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": "free",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "free",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "free",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "free",
    "aws:s3/bucketVersioning:BucketVersioning": "billed as storage of old versions",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "free",
    "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration": "free",
    "aws:s3/bucketPolicy:BucketPolicy": "free",
    "aws:s3/bucketLogging:BucketLogging": "billed as storage in the log bucket",
    "aws:sns/topicPolicy:TopicPolicy": "free",
    "aws:sns/topic:Topic": "alarm notifications: a few a month, inside SNS's free 1 M publishes and 1,000 e-mails",
    "aws:sns/topicSubscription:TopicSubscription": "billed with the topic (HTTPS deliveries: 100,000 free a month, "
    "then $0.60 per million; alarms send a few)",
    "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration": "AWS Chatbot has no charge (the SNS "
    "notifications it receives bill with the topic)",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "free",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": "billed as ingestion and storage of its log "
    "group (usage waf_log_kb_per_request)",
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": "billed with the delivery",
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": "billed with the delivery",
    "random:index/randomPassword:RandomPassword": "generated by Pulumi",
    "aws:backup/selection:Selection": "free (its recovery points bill in the vaults)",
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": "free",
}


@dataclass(frozen=True)
class LineItem:
    resource: str  # URN
    description: str
    quantity: float
    unit: str
    unit_price: float | None  # None: the price table has no row for it
    source: str = ""
    key: str = ""  # the price table key it was priced with

    @property
    def monthly(self) -> float | None:
        return None if self.unit_price is None else self.quantity * self.unit_price


@dataclass(frozen=True)
class Context:
    region: str
    prices: PriceTable
    usage: Mapping[str, Any]
    states: Mapping[str, Mapping[str, Any]]  # every resource of the plan by URN

    @property
    def hours(self) -> float:
        return float(self.usage.get("hours_per_month", 730))

    def item(self, urn: str, description: str, quantity: float, key: str, unit: str = "") -> LineItem:
        price = self.prices.get(key, self.region)
        if price is None:
            return LineItem(urn, f"{description} [{key} not in the price table]", quantity, unit, None, key=key)
        return LineItem(
            urn, description, quantity, price.unit, price.unit_price, f"{price.source} ({price.date})", key=key
        )


Pricer = Callable[[str, Mapping[str, Any], Context], Iterator[LineItem]]
PRICERS: dict[str, Pricer] = {}


def prices(resource_type: str) -> Callable[[Pricer], Pricer]:
    def register(pricer: Pricer) -> Pricer:
        PRICERS[resource_type] = pricer
        return pricer

    return register


def count_of(inputs: Mapping[str, Any], key: str) -> int:
    return len(inputs.get(key) or [])


@prices("aws:ec2/natGateway:NatGateway")
def nat_gateway(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    nats = max(1, sum(1 for s in ctx.states.values() if s["type"] == "aws:ec2/natGateway:NatGateway"))
    yield ctx.item(urn, "NAT gateway hours", ctx.hours, "nat.hour")
    yield ctx.item(
        urn, "NAT data processed (share of usage nat_gb_per_month)", ctx.usage["nat_gb_per_month"] / nats, "nat.gb"
    )


@prices("aws:ec2/eip:Eip")
def elastic_ip(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    yield ctx.item(urn, "public IPv4 address", ctx.hours, "ipv4.hour")


@prices("aws:ec2/instance:Instance")
def ec2_instance(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    instance_type = inputs.get("instanceType", "?")
    yield ctx.item(urn, f"{instance_type} instance hours", ctx.hours, f"ec2.{instance_type}")
    root = inputs.get("rootBlockDevice") or {}
    if root.get("volumeSize"):
        gb = float(root["volumeSize"])
        volume_type = root.get("volumeType", "gp3")
        yield ctx.item(urn, f"{volume_type} root volume {gb:g} GB", gb, f"ebs.{volume_type}")
    if inputs.get("associatePublicIpAddress"):
        yield ctx.item(urn, "public IPv4 address", ctx.hours, "ipv4.hour")


@prices("aws:lb/loadBalancer:LoadBalancer")
def load_balancer(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    yield ctx.item(urn, "ALB hours", ctx.hours, "alb.hour")
    yield ctx.item(urn, f"ALB LCUs (usage alb_lcu={ctx.usage['alb_lcu']})", ctx.usage["alb_lcu"] * ctx.hours, "alb.lcu")
    if not inputs.get("internal"):
        addresses = count_of(inputs, "subnets") or 2
        yield ctx.item(
            urn, f"public IPv4 addresses of the ALB (one per AZ: {addresses})", addresses * ctx.hours, "ipv4.hour"
        )


@prices("aws:ec2/vpcEndpoint:VpcEndpoint")
def vpc_endpoint(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    if inputs.get("vpcEndpointType") == "Gateway":
        yield ctx.item(urn, "gateway endpoint", 1, "vpce.gateway")
        return
    azs = count_of(inputs, "subnetIds") or 1
    yield ctx.item(urn, f"interface endpoint in {azs} AZs", azs * ctx.hours, "vpce.interface.az_hour")


_CRON = re.compile(r"cron\((\d+) (\d+) \? \* (MON-FRI|TUE-SAT|\*) \*\)")


def scheduled_hours(ctx: Context, start: object, stop: object) -> tuple[float, str]:
    """Hours a month between a daily start and stop cron expression (weeks of 52/12 a month)."""
    started, stopped = _CRON.match(str(start)), _CRON.match(str(stop))
    if not started or not stopped or started[2] == stopped[2]:
        return ctx.hours, "always on (schedule not understood)"
    weekly = len(hours_between(CRON_DAYS[started[3]], int(started[2]), CRON_DAYS[stopped[3]], int(stopped[2])))
    days = {"MON-FRI": "weekdays", "*": "every day"}.get(started[3], started[3])
    return weekly * 52 / 12, f"{weekly} h a week ({days} {int(started[2]):02d}:00-{int(stopped[2]):02d}:00 UTC)"


def active_hours(ctx: Context, service: Mapping[str, Any]) -> tuple[float, str]:
    """Hours a month the service runs: all of them, unless scheduled actions of this very service
    (its cluster and name, not a service whose name contains it) stop it."""
    actions = [s["inputs"] for s in scaling_of(service, SCHEDULED_ACTION, ctx)]
    starts = [a for a in actions if (a.get("scalableTargetAction") or {}).get("maxCapacity", 0) > 0]
    stops = [a for a in actions if (a.get("scalableTargetAction") or {}).get("maxCapacity", 1) == 0]
    if len(starts) != 1 or len(stops) != 1:
        return ctx.hours, "always on"
    return scheduled_hours(ctx, starts[0].get("schedule"), stops[0].get("schedule"))


def database_hours(ctx: Context, identifier: str) -> tuple[float, str]:
    """Hours a month a DB instance runs: all of them, unless schedules stop and start it."""
    by_action = database_schedules(ctx.states.values(), identifier)
    if len(by_action["start"]) != 1 or len(by_action["stop"]) != 1:
        return ctx.hours, "always on"
    return scheduled_hours(ctx, by_action["start"][0], by_action["stop"][0])


def average_tasks(service: Mapping[str, Any], ctx: Context) -> tuple[float, str]:
    """The service's desired count, plus usage ``fargate_tasks_above_desired`` (the average of the
    tasks its autoscaling adds) up to its scalable target's maximum."""
    desired = float(service["inputs"].get("desiredCount", 1))
    targets = [t["inputs"] for t in scaling_of(service, SCALABLE_TARGET, ctx)]
    room = max((float(t.get("maxCapacity", 0)) for t in targets), default=desired) - desired
    extra = min(max(room, 0.0), float(ctx.usage.get("fargate_tasks_above_desired", 0)))
    label = f"{desired:g} task(s)" + (f" + {extra:g} scaled out (usage fargate_tasks_above_desired)" if extra else "")
    return desired + extra, label


def spot_tasks(strategies: list[Mapping[str, Any]], tasks: float) -> float:
    """How many of ``tasks`` ECS places on FARGATE_SPOT: the providers' bases first, then the rest
    by weight (ECS's capacity provider strategy)."""
    if not any(s.get("capacityProvider") == "FARGATE_SPOT" for s in strategies):
        return 0.0
    bases = {s.get("capacityProvider"): float(s.get("base") or 0) for s in strategies}
    weights = {s.get("capacityProvider"): float(s.get("weight") or 0) for s in strategies}
    placed = min(tasks, sum(bases.values()))
    spot = min(placed, bases.get("FARGATE_SPOT", 0.0))
    total_weight = sum(weights.values())
    rest = tasks - placed
    return spot + (rest * weights.get("FARGATE_SPOT", 0.0) / total_weight if total_weight else 0.0)


@prices("aws:ecs/service:Service")
def ecs_service(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    service = state_of(urn, inputs, ctx)
    task = task_definition_of(service, ctx)
    if task is None:
        yield LineItem(urn, "Fargate tasks [task definition not in the plan]", 0, "task-hour", None)
        return
    task_inputs = task["inputs"]
    arch = "arm" if (task_inputs.get("runtimePlatform") or {}).get("cpuArchitecture") == "ARM64" else "x86"
    vcpu = float(task_inputs.get("cpu", 0)) / 1024
    memory_gb = float(task_inputs.get("memory", 0)) / 1024
    tasks, label = average_tasks(service, ctx)
    hours, schedule = active_hours(ctx, service)
    spot = spot_tasks(list(inputs.get("capacityProviderStrategies") or []), tasks)
    discount = float(ctx.usage.get("fargate_spot_discount", 0))
    if spot >= tasks:
        label += ", Fargate Spot (usage fargate_spot_discount)"
    elif spot:
        label += f", {spot:g} of them on Fargate Spot (usage fargate_spot_discount)"
    billed = (tasks - spot * discount) * hours
    yield ctx.item(urn, f"Fargate {arch} vCPU: {vcpu:g} x {label}, {schedule}", vcpu * billed, f"fargate.{arch}.vcpu")
    yield ctx.item(
        urn, f"Fargate {arch} memory: {memory_gb:g} GB x {label}, {schedule}", memory_gb * billed, f"fargate.{arch}.gb"
    )
    traced = traced_requests(task_inputs, ctx)
    if traced is not None:
        yield ctx.item(urn, f"X-Ray traces sent by its OpenTelemetry collector ({traced[1]})", traced[0], "xray.traces")


# Standard Container Insights on Fargate publishes custom metrics per cluster, per service and
# per task-definition family (AWS's Container Insights ECS metrics table); metrics bill by the
# hour they are published, so a service's metrics cost nothing while it is scaled to zero.
INSIGHTS_METRICS = {"cluster": 11, "service": 13, "family": 8}


@prices("aws:ecs/cluster:Cluster")
def ecs_cluster(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    settings = {s.get("name"): s.get("value") for s in inputs.get("settings") or []}
    if settings.get("containerInsights") not in ("enabled", "enhanced"):
        return
    cluster = state_of(urn, inputs, ctx)
    services = [s for s in of_type(ctx, SERVICE) if runs_on(s, cluster, ctx)]
    per_task = INSIGHTS_METRICS["service"] + INSIGHTS_METRICS["family"]
    metric_hours = INSIGHTS_METRICS["cluster"] * ctx.hours + sum(
        per_task * active_hours(ctx, service)[0] for service in services
    )
    yield ctx.item(
        urn,
        f"Container Insights metrics: {INSIGHTS_METRICS['cluster']} for the cluster + {per_task} for each of "
        f"{len(services)} service(s), while they run",
        metric_hours / ctx.hours,
        "cloudwatch.metric",
    )


@prices("aws:rds/instance:Instance")
def rds_instance(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    az = "multi" if inputs.get("multiAz") else "single"
    cls = inputs.get("instanceClass", "?")
    hours, schedule = database_hours(ctx, str(inputs.get("identifier", "")))
    yield ctx.item(urn, f"{cls} ({az}-AZ), {schedule}", hours, f"rds.postgres.{cls}.{az}")
    storage = float(inputs.get("allocatedStorage") or 0)
    if storage:
        yield ctx.item(urn, f"gp3 storage {storage:g} GB ({az}-AZ)", storage, f"rds.gp3.{az}")
    if inputs.get("manageMasterUserPassword"):
        yield ctx.item(urn, "master password secret (created by RDS)", 1, "secretsmanager.secret")


@prices("aws:elasticache/replicationGroup:ReplicationGroup")
def cache(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    nodes = float(inputs.get("numCacheClusters") or 1)
    node_type = inputs.get("nodeType", "?")
    engine = inputs.get("engine", "redis")
    key = f"elasticache.{node_type}"
    price = ctx.prices.get(key, ctx.region)
    if engine == "valkey" and price is not None:
        factor = ctx.prices.get("elasticache.valkey_factor", ctx.region)
        if factor is None:
            yield LineItem(
                urn,
                f"{nodes:g} x {node_type} valkey [valkey factor not in the price table]",
                nodes * ctx.hours,
                "node-hour",
                None,
            )
            return
        yield LineItem(
            urn, f"{nodes:g} x {node_type} (valkey, {factor.unit_price:g} x redis price)", nodes * ctx.hours,
            price.unit, price.unit_price * factor.unit_price, f"{price.source}; {factor.source}", key=key,
        )  # fmt: skip
        return
    yield ctx.item(urn, f"{nodes:g} x {node_type} ({engine})", nodes * ctx.hours, key)


@prices("aws:kms/key:Key")
def kms_key(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    yield ctx.item(urn, "customer-managed key", 1, "kms.key")
    yield ctx.item(urn, "key requests (usage)", ctx.usage["kms_requests_10k_per_key"], "kms.requests")


@prices("aws:secretsmanager/secret:Secret")
def secret(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    yield ctx.item(urn, "secret", 1, "secretsmanager.secret")
    yield ctx.item(urn, "API calls (usage)", ctx.usage["secrets_api_calls_10k"], "secretsmanager.api")


@prices("aws:cloudwatch/metricAlarm:MetricAlarm")
def alarm(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    metrics = sum(1 for q in inputs.get("metricQueries") or [] if q.get("metric")) or 1
    yield ctx.item(urn, f"alarm on {metrics} metric(s)", metrics, "cloudwatch.alarm_metric")


@prices("aws:cloudwatch/logGroup:LogGroup")
def log_group(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    """GB ingested a month: usage ``log_gb_ingested_by_name`` for this exact group name, else
    ``log_gb_ingested_by_kind`` for what writes to it (references.log_group_kind), else
    ``log_gb_ingested_per_group``."""
    name = str(inputs.get("name", ""))
    kind = log_group_kind(state_of(urn, inputs, ctx), ctx)
    by_name = ctx.usage.get("log_gb_ingested_by_name") or {}
    waf_gb = waf_log_gb(urn, ctx)
    by_kind = ctx.usage.get("log_gb_ingested_by_kind") or {}
    gb = (
        waf_gb
        if waf_gb is not None
        else float(by_name.get(name, by_kind.get(kind, ctx.usage["log_gb_ingested_per_group"])))
    )
    retained = min(float(ctx.usage["log_retained_months"]), float(inputs.get("retentionInDays") or 3653) / 30)
    yield ctx.item(urn, f"log ingestion {gb:g} GB ({name}, {kind.replace('_', ' ')})", gb, "logs.ingest")
    yield ctx.item(urn, f"log storage {gb * retained:g} GB", gb * retained, "logs.storage")


@prices("aws:s3/bucket:Bucket")
def bucket(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    """GB stored: usage ``s3_gb_by_bucket`` for the bucket's name in the stack config, else ``s3_gb_default``."""
    key = bucket_key(state_of(urn, inputs, ctx), ctx)
    gb = float((ctx.usage.get("s3_gb_by_bucket") or {}).get(key, ctx.usage["s3_gb_default"]))
    yield ctx.item(urn, f"S3 Standard {gb:g} GB ({key})", gb, "s3.standard")


@prices("aws:ecr/repository:Repository")
def repository(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    yield ctx.item(urn, f"image storage {ctx.usage['ecr_gb']:g} GB", ctx.usage["ecr_gb"], "ecr.storage")


@prices("aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration")
def registry_scanning(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    """Basic scanning is free; enhanced scanning is Amazon Inspector's, per image pushed and rescan."""
    if inputs.get("scanType") != "ENHANCED":
        return
    pushed, rescans = ctx.usage["inspector_images_pushed"], ctx.usage["inspector_rescans"]
    yield ctx.item(urn, f"Inspector scans of {pushed:g} pushed images (usage)", pushed, "inspector.ecr_image")
    if any(rule.get("scanFrequency") == "CONTINUOUS_SCAN" for rule in inputs.get("rules") or []):
        yield ctx.item(urn, f"Inspector continuous rescans {rescans:g} (usage)", rescans, "inspector.ecr_rescan")


def _distributions(ctx: Context) -> int:
    return max(1, sum(1 for s in ctx.states.values() if s["type"] == "aws:cloudfront/distribution:Distribution"))


@prices("aws:cloudfront/distribution:Distribution")
def distribution(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    share = 1 / _distributions(ctx)
    zone = ctx.usage.get("cloudfront_viewer_region", "north_america")
    yield ctx.item(
        urn,
        f"data out to {zone} (share of cloudfront_gb_out)",
        ctx.usage["cloudfront_gb_out"] * share,
        f"cloudfront.out.{zone}",
    )
    yield ctx.item(
        urn, "HTTPS requests (share of usage)", ctx.usage["cloudfront_requests_10k"] * share, f"cloudfront.https.{zone}"
    )


@prices("aws:cloudfront/function:Function")
def cloudfront_function(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    """Invoked on every request of the distributions that associate this function."""
    users = sum(
        1
        for s in ctx.states.values()
        if s["type"] == "aws:cloudfront/distribution:Distribution"
        and any(
            urn in (s.get("propertyDependencies") or {}).get(key, [])
            for key in ("defaultCacheBehavior", "orderedCacheBehaviors")
        )
    )
    millions = float(ctx.usage["cloudfront_requests_10k"]) / 100 * users / _distributions(ctx)
    yield ctx.item(urn, f"CloudFront Function invocations ({users} distribution(s))", millions, "cloudfront.function")


@prices("aws:wafv2/webAcl:WebAcl")
def web_acl(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    rules = len(inputs.get("rules") or [])
    yield ctx.item(urn, "web ACL", 1, "waf.web_acl")
    yield ctx.item(urn, f"{rules} rules (managed groups count as rules)", rules, "waf.rule")
    yield ctx.item(urn, "requests (usage)", ctx.usage["waf_requests_millions"], "waf.requests")


@prices("aws:route53/zone:Zone")
def hosted_zone(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    yield ctx.item(urn, "hosted zone", 1, "route53.zone")
    yield ctx.item(urn, "queries (usage)", ctx.usage["route53_queries_millions"], "route53.queries")


@prices("aws:acm/certificate:Certificate")
def certificate(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    yield ctx.item(urn, "public certificate", 1, "acm.public_certificate")


@prices("aws:cloudwatch/logDelivery:LogDelivery")
def log_delivery(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    gb = float(ctx.usage["cloudfront_log_gb"]) / _distributions(ctx)
    yield ctx.item(urn, f"CloudFront standard logs delivered to S3 ({gb:g} GB, share of usage)", gb, "logs.vended_s3")


def always_free_credits(items: list[LineItem], ctx: Context) -> list[LineItem]:
    """Negative lines for the account's always-free allowances (usage ``account_free_tier``):
    each ``free.<prefix>`` row of the price table covers that many units of the lines whose
    price key starts with ``<prefix>``, in plan order."""
    if not ctx.usage.get("account_free_tier", False):
        return []
    credits = []
    for allowance in ctx.prices.allowances(ctx.region):
        prefix = allowance.key.removeprefix("free.")
        covered = [i for i in items if i.key.startswith(prefix) and i.unit_price is not None and i.quantity > 0]
        left = allowance.unit_price
        for item in covered:
            take = min(left, item.quantity)
            if take <= 0:
                break
            left -= take
            credits.append(
                LineItem(
                    item.resource,
                    f"always-free allowance: {take:g} {item.unit} of {prefix} ({allowance.unit})",
                    -take,
                    item.unit,
                    item.unit_price,
                    f"{allowance.source} ({allowance.date})",
                    key=allowance.key,
                )
            )
    return credits


def line_items(state: Mapping[str, Any], ctx: Context) -> list[LineItem]:
    """The line items of one resource; [] for components, providers and free resources; one
    unknown line for a type the model does not know."""
    resource_type = state["type"]
    if not state.get("custom") or resource_type.startswith("pulumi:") or resource_type in NO_CHARGE:
        return []
    pricer = PRICERS.get(LEGACY_NAMES.get(resource_type) or resource_type)
    if pricer is None:
        return [LineItem(state["urn"], f"{resource_type} [not priced by the cost model]", 1, "resource", None)]
    inputs = state.get("inputs", {})
    # A resource placed in another region (CloudFront's logs and WAF in us-east-1) bills there.
    region = inputs.get("region")
    return list(
        pricer(state["urn"], inputs, replace(ctx, region=region) if isinstance(region, str) and region else ctx)
    )


def provider_region(plan: Mapping[str, Any]) -> str:
    for step in plan["steps"]:
        state = step.get("newState", {})
        if state.get("type") == "pulumi:providers:aws" and state.get("inputs", {}).get("region"):
            return str(state["inputs"]["region"])
    return "us-east-1"
