"""Data protection and operations: backups, deletion protection, Multi-AZ, safe deployments."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource, Severity

from . import types as t
from .props import UNKNOWN, as_list, get, is_set, json_document, peek
from .registry import joined, resource_rule, resources_of, stack_rule
from .types import canonical

BACKUP_SCHEMA = {"minimumDays": {"type": "integer", "minimum": 1, "maximum": 35, "default": 7}}
# Runtimes in Lambda's standard support into 2027 and beyond (AWS Lambda Developer Guide, "Lambda
# runtimes"; endoflife.date/aws-lambda): python3.11 until 2026-06-30. nodejs18.x left support on
# 2025-09-01. A stack that needs another runtime lists it in its config.
RUNTIMES_SCHEMA = {
    "allowedRuntimes": {
        "type": "array",
        "items": {"type": "string"},
        "default": [
            "nodejs22.x",
            "nodejs24.x",
            "python3.11",
            "python3.12",
            "python3.13",
            "python3.14",
            "java25",
            "dotnet10",
            "ruby3.4",
        ],
    }
}
CLASSES_SCHEMA = {
    "allowedDatabaseClasses": {
        "type": "array",
        "items": {"type": "string"},
        "default": ["db.t4g.*", "db.t3.*", "db.m7g.*", "db.m6g.*", "db.r7g.*", "db.r6g.*"],
    },
    "allowedCacheNodeTypes": {
        "type": "array",
        "items": {"type": "string"},
        "default": ["cache.t4g.*", "cache.t3.*", "cache.m7g.*", "cache.r7g.*"],
    },
}


def _primary(props: Mapping[str, Any]) -> bool:
    return not is_set(props, "replicateSourceDb")


@resource_rule(
    "rds-backup-retention-minimum",
    concern="data-protection",
    severity=Severity.HIGH,
    types=[t.RDS_INSTANCE],
    description="RDS automated backups are kept at least the stack's minimum number of days.",
    remediation="Raise webstack:database.backup_retention_days (prod: 30).",
    fsbp="RDS.11",
    awsguard="rds-instance-backup-enabled",
    cdk_nag="AwsSolutions-RDS13",
    config_schema=BACKUP_SCHEMA,
)
def rds_backups(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    days = get(props, "backupRetentionPeriod", default=1)  # CreateDBInstance's default is 1 day
    if _primary(props) and days < config["minimumDays"]:
        yield f"backupRetentionPeriod is {int(days)} days; the minimum is {config['minimumDays']}"


@resource_rule(
    "rds-deletion-protection",
    concern="data-protection",
    severity=Severity.HIGH,
    types=[t.RDS_INSTANCE],
    description="RDS primaries have deletion protection.",
    remediation="Set webstack:database.deletion_protection: true.",
    relaxable=True,
    fsbp="RDS.8",
    cdk_nag="AwsSolutions-RDS10",
)
def rds_deletion_protection(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if _primary(props) and get(props, "deletionProtection") is not True:
        yield "deletionProtection is not true"


@resource_rule(
    "rds-final-snapshot",
    concern="data-protection",
    severity=Severity.HIGH,
    types=[t.RDS_INSTANCE],
    description="Deleting an RDS primary leaves a final snapshot, and snapshots carry the instance's tags.",
    remediation="Set webstack:database.final_snapshot: true (ManagedPostgres always copies tags to snapshots).",
    relaxable=True,
    fsbp="RDS.17",
)
def rds_final_snapshot(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if not _primary(props):
        return
    if get(props, "skipFinalSnapshot") is True:
        yield "skipFinalSnapshot is true"
    if get(props, "copyTagsToSnapshot") is not True:
        yield "copyTagsToSnapshot is not true"


@resource_rule(
    "rds-multi-az",
    concern="data-protection",
    severity=Severity.HIGH,
    types=[t.RDS_INSTANCE],
    description="RDS primaries run Multi-AZ.",
    remediation="Set webstack:database.multi_az: true.",
    relaxable=True,
    fsbp="RDS.5",
    awsguard="rds-instance-multi-az-enabled",
    cdk_nag="AwsSolutions-RDS3",
)
def rds_multi_az(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if _primary(props) and get(props, "multiAz") is not True:
        yield "multiAz is not true"


@resource_rule(
    "rds-operational-defaults",
    concern="data-protection",
    severity=Severity.MEDIUM,
    types=[t.RDS_INSTANCE],
    description="RDS uses IAM authentication, minor-version auto upgrades and enhanced monitoring.",
    remediation=(
        "ManagedPostgres sets iam_database_authentication_enabled, auto_minor_version_upgrade and monitoring_interval."
    ),
    fsbp="RDS.10, RDS.13, RDS.6",
)
def rds_operations(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "iamDatabaseAuthenticationEnabled") is not True:
        yield "IAM database authentication is off"
    if get(props, "autoMinorVersionUpgrade") is False:
        yield "autoMinorVersionUpgrade is false"
    if not get(props, "monitoringInterval"):
        yield "enhanced monitoring is off (monitoringInterval 0)"


@resource_rule(
    "elasticache-automatic-failover",
    concern="data-protection",
    severity=Severity.HIGH,
    types=[t.REPLICATION_GROUP],
    description="ElastiCache replication groups fail over automatically across AZs.",
    remediation="Set webstack:cache.replicas: 1 and automatic_failover: true.",
    relaxable=True,
    fsbp="ElastiCache.3",
    cdk_nag="AwsSolutions-AEC4",
)
def cache_failover(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "automaticFailoverEnabled") is not True:
        yield "automaticFailoverEnabled is not true"
    elif get(props, "multiAzEnabled") is not True:
        yield "multiAzEnabled is not true"


@resource_rule(
    "elasticache-backups",
    concern="data-protection",
    severity=Severity.MEDIUM,
    types=[t.REPLICATION_GROUP],
    description="ElastiCache keeps automatic snapshots.",
    remediation="Set webstack:cache.snapshot_retention_days to 1 or more.",
    fsbp="ElastiCache.1",
)
def cache_backups(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "snapshotRetentionLimit", default=0) < 1:
        yield "snapshotRetentionLimit is 0"


@resource_rule(
    "instance-classes-allowed",
    concern="data-protection",
    severity=Severity.LOW,
    types=[t.RDS_INSTANCE, t.REPLICATION_GROUP],
    description="Database and cache sizes come from the stack's allowed list (cost and Graviton guard rail).",
    remediation="Pick a class from the allowed list or extend the list in policy/config/<stack>.json.",
    config_schema=CLASSES_SCHEMA,
)
def classes_allowed(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if "instanceClass" in props:
        value, allowed = get(props, "instanceClass"), config["allowedDatabaseClasses"]
    else:
        value, allowed = get(props, "nodeType"), config["allowedCacheNodeTypes"]
    if value and not any(fnmatch.fnmatch(str(value), pattern) for pattern in allowed):
        yield f"{value} is not in the allowed list {', '.join(allowed)}"


@resource_rule(
    "alb-deletion-protection",
    concern="data-protection",
    severity=Severity.MEDIUM,
    types=[t.LOAD_BALANCER],
    description="Load balancers have deletion protection.",
    remediation="Set webstack:load_balancer.deletion_protection: true.",
    relaxable=True,
    fsbp="ELB.6",
    awsguard="elb-deletion-protection-enabled",
)
def alb_deletion_protection(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "enableDeletionProtection") is not True:
        yield "enableDeletionProtection is not true"


@resource_rule(
    "alb-drops-invalid-headers",
    concern="data-protection",
    severity=Severity.MEDIUM,
    types=[t.LOAD_BALANCER],
    description="Application load balancers drop invalid HTTP headers (request smuggling).",
    remediation="FargateApi sets drop_invalid_header_fields.",
    fsbp="ELB.4",
)
def alb_invalid_headers(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "loadBalancerType", default="application") == "application" and (
        get(props, "dropInvalidHeaderFields") is not True
    ):
        yield "dropInvalidHeaderFields is not true"


@resource_rule(
    "ecs-deployment-circuit-breaker",
    concern="data-protection",
    severity=Severity.MEDIUM,
    types=[t.ECS_SERVICE],
    description="ECS deployments roll back automatically when new tasks fail.",
    remediation="FargateApi enables the deployment circuit breaker with rollback.",
)
def ecs_circuit_breaker(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    breaker = get(props, "deploymentCircuitBreaker", default={})
    if get(breaker, "enable") is not True or get(breaker, "rollback") is not True:
        yield "the deployment circuit breaker with rollback is off"


@resource_rule(
    "ecs-rollback-alarms",
    concern="data-protection",
    severity=Severity.MEDIUM,
    types=[t.ECS_SERVICE],
    description="ECS services behind a load balancer fail and roll back a deployment when a CloudWatch alarm "
    "(the target group's error rate or health) fires, not only when tasks fail to start.",
    remediation="FargateApi wires each routed service's target-group 5xx-rate and unhealthy-host alarms to "
    "deploymentConfiguration.alarms with rollback.",
)
def ecs_rollback_alarms(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if not is_set(props, "loadBalancers"):
        return  # a worker: the circuit breaker is its only signal
    if peek(props, "alarms", "enable") is not True or peek(props, "alarms", "rollback") is not True:
        yield "deployments do not roll back on CloudWatch alarms (alarms.enable and alarms.rollback)"
    elif not is_set(props, "alarms", "alarmNames"):
        # Names not known yet (a first preview) are the stack's own alarms: set.
        yield "alarms.alarmNames is empty: no alarm can fail a deployment"


@resource_rule(
    "ecs-spot-keeps-on-demand-base",
    concern="data-protection",
    severity=Severity.MEDIUM,
    types=[t.ECS_SERVICE],
    description="A service on Fargate Spot keeps an on-demand base (a FARGATE capacity provider with a base of at "
    "least one task): a Spot reclaim or shortage never takes every task at once.",
    remediation="Set webstack:api.capacity (or a service's capacity) to spot_above_min, or on_demand.",
    relaxable=True,
)
def ecs_spot_base(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    strategies = as_list(get(props, "capacityProviderStrategies", default=[]))
    if not any(get(s, "capacityProvider") == "FARGATE_SPOT" and get(s, "weight", default=0) > 0 for s in strategies):
        return
    base = sum(get(s, "base", default=0) or 0 for s in strategies if get(s, "capacityProvider") == "FARGATE")
    if base < 1:
        yield "every task runs on Fargate Spot: no FARGATE capacity provider with a base of at least one task"


def _nat_az(route: PolicyResource) -> tuple[str, object] | None:
    """(what the route sends its traffic to, the AZ of that NAT's subnet) for a route through a NAT
    gateway or a NAT instance's interface; None for any other route."""
    for key, kinds in (("natGatewayId", (t.NAT_GATEWAY,)), ("networkInterfaceId", (t.EC2_INSTANCE,))):
        nats = [n for n in joined(route, key) if canonical(n.resource_type) in kinds]
        if nats:
            subnets = [s for s in joined(nats[0], "subnetId") if canonical(s.resource_type) == t.SUBNET]
            return nats[0].name, peek(subnets[0].props, "availabilityZone") if subnets else UNKNOWN
    return None


@stack_rule(
    "nat-per-az",
    concern="data-protection",
    severity=Severity.MEDIUM,
    description="Each subnet that reaches the internet through a NAT (gateway or instance) uses one in its own AZ: "
    "an AZ outage never cuts the other AZs off.",
    remediation="Set webstack:network.nat: per_az (with nat_type gateway or instance).",
    relaxable=True,
)
def nat_per_az(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    associations = list(resources_of(resources, t.ROUTE_TABLE_ASSOCIATION))
    for route in resources_of(resources, t.ROUTE):
        found = _nat_az(route)
        if found is None:
            continue
        nat, nat_az = found
        tables = {r.urn for r in joined(route, "routeTableId")}
        for association in associations:
            if not tables & {r.urn for r in joined(association, "routeTableId")}:
                continue
            for subnet in joined(association, "subnetId"):
                subnet_az = peek(subnet.props, "availabilityZone")
                if UNKNOWN in (nat_az, subnet_az) or subnet_az == nat_az:
                    continue
                yield f"subnet {subnet.name} ({subnet_az}) goes out through {nat} in {nat_az}", route.urn


@resource_rule(
    "ecs-container-hardening",
    concern="data-protection",
    severity=Severity.HIGH,
    types=[t.TASK_DEFINITION],
    description="Containers run as a non-root user on a read-only root file system, and are not privileged.",
    remediation="FargateApi's container definition sets user 1000:1000 and readonlyRootFilesystem.",
    fsbp="ECS.4, ECS.5",
)
def ecs_hardening(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    for container in as_list(json_document(get(props, "containerDefinitions"))):
        name = get(container, "name", default="?")
        if get(container, "readonlyRootFilesystem") is not True:
            yield f"container {name} has a writable root file system"
        if str(get(container, "user", default="root")).split(":")[0] in ("root", "0", ""):
            yield f"container {name} runs as root"
        if get(container, "privileged") is True:
            yield f"container {name} is privileged"


@resource_rule(
    "ecr-image-scanning-and-immutable-tags",
    concern="data-protection",
    severity=Severity.MEDIUM,
    types=[t.ECR_REPOSITORY],
    description="ECR scans images on push and tags are immutable.",
    remediation="FargateApi's repository sets scan_on_push and image_tag_mutability IMMUTABLE.",
    fsbp="ECR.1, ECR.2",
)
def ecr_scanning(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "imageScanningConfiguration", "scanOnPush") is not True:
        yield "scanOnPush is not true"
    if get(props, "imageTagMutability") not in ("IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"):
        yield "image tags are mutable"


@resource_rule(
    "ecr-registry-scans-every-push",
    concern="data-protection",
    severity=Severity.MEDIUM,
    types=[t.ECR_REGISTRY_SCANNING],
    description="The registry's scanning configuration scans images automatically (on push or continuously).",
    remediation="RegistryScanning sets one rule, SCAN_ON_PUSH (BASIC) or CONTINUOUS_SCAN (ENHANCED), over '*'.",
)
def registry_scanning(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    rules = as_list(get(props, "rules"))
    if not rules:
        yield "no scanning rule: images are scanned only when someone asks"
    for index, rule in enumerate(rules):
        frequency = get(rule, "scanFrequency")
        if frequency not in ("SCAN_ON_PUSH", "CONTINUOUS_SCAN"):
            yield f"rules[{index}] scans {frequency or 'MANUAL'}: images are scanned only when someone asks"
        if not as_list(get(rule, "repositoryFilters")):
            yield f"rules[{index}] has no repository filter: it covers no repository"


@stack_rule(
    "ecr-repository-lifecycle-policy",
    concern="data-protection",
    severity=Severity.LOW,
    description="Every ECR repository has a lifecycle policy.",
    remediation="FargateApi adds one: untagged images expire after 7 days, the last 10 tagged are kept.",
    fsbp="ECR.3",
)
def ecr_lifecycle(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for repository in resources_of(resources, t.ECR_REPOSITORY):
        if not any(repository in joined(p, "repository") for p in resources_of(resources, t.ECR_LIFECYCLE)):
            yield "repository has no lifecycle policy", repository.urn


@resource_rule(
    "cloudfront-waf-attached",
    concern="data-protection",
    severity=Severity.MEDIUM,
    types=[t.DISTRIBUTION],
    description="Distributions are protected by a WAF web ACL.",
    remediation="Set webstack:domain.waf: true.",
    relaxable=True,
    fsbp="CloudFront.6",
    cdk_nag="AwsSolutions-CFR2",
)
def cloudfront_waf(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if not is_set(props, "webAclId"):
        yield "no webAclId"


@stack_rule(
    "data-kept-on-destroy",
    concern="data-protection",
    severity=Severity.HIGH,
    description="A destroy keeps the data: buckets and repositories that hold objects are not emptied, "
    "secrets keep a recovery window.",
    remediation="Set webstack:keep_data_on_destroy: true (the default of a stack judged by prod.json).",
    relaxable=True,
)
def data_kept_on_destroy(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    doomed = [r for r in resources_of(resources, t.BUCKET) if get(r.props, "forceDestroy") is True]
    doomed += [r for r in resources_of(resources, t.ECR_REPOSITORY) if get(r.props, "forceDelete") is True]
    doomed += [r for r in resources_of(resources, t.SECRET) if get(r.props, "recoveryWindowInDays") == 0]
    if doomed:
        kinds = sorted({r.resource_type.rsplit(":", 1)[-1] for r in doomed})
        yield f"destroy deletes {len(doomed)} resources with their data ({', '.join(kinds)})", doomed[0].urn


@resource_rule(
    "lambda-runtime-supported",
    concern="data-protection",
    severity=Severity.MEDIUM,
    types=[t.LAMBDA_FUNCTION],
    description="Lambda functions run a runtime Lambda still patches (the stack's allowed list).",
    remediation="Set LambdaFunction's runtime to nodejs24.x or nodejs22.x, or extend allowedRuntimes in the config.",
    fsbp="Lambda.2",
    cdk_nag="AwsSolutions-L1 (the latest runtime only; webstack allows any supported one)",
    config_schema=RUNTIMES_SCHEMA,
)
def lambda_runtime(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    runtime = get(props, "runtime")  # none for a container image, whose base image is its runtime
    if runtime is not None and runtime not in config["allowedRuntimes"]:
        yield f"runtime {runtime} is not one of {', '.join(config['allowedRuntimes'])}"


@stack_rule(
    "lambda-failed-async-events-kept",
    concern="data-protection",
    severity=Severity.LOW,
    description=(
        "Asynchronous events a function fails on every retry are kept: a dead-letter queue, or an on-failure "
        "destination in its event invoke config."
    ),
    remediation="LambdaFunction always adds an encrypted dead-letter queue; do not remove dead_letter_config.",
    cdk_nag="HIPAA LambdaDLQ",
)
def lambda_failures_kept(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    configs = list(resources_of(resources, t.LAMBDA_EVENT_INVOKE_CONFIG))
    for function in resources_of(resources, t.LAMBDA_FUNCTION):
        if is_set(function.props, "deadLetterConfig", "targetArn"):
            continue
        if any(
            function in joined(c, "functionName") and is_set(c.props, "destinationConfig", "onFailure", "destination")
            for c in configs
        ):
            continue
        yield "failed asynchronous events are dropped: no dead-letter queue, no on-failure destination", function.urn


@stack_rule(
    "apigateway-waf-attached",
    concern="data-protection",
    severity=Severity.MEDIUM,
    description="API Gateway REST stages are protected by a WAF web ACL.",
    remediation="Keep ServerlessApi's waf_rate_limit_per_5_minutes (default 2000): it associates a web ACL.",
    relaxable=True,
    fsbp="APIGateway.4",
    cdk_nag="AwsSolutions-APIG3",
)
def api_waf(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    associations = list(resources_of(resources, t.WAF_ASSOCIATION))
    for stage in resources_of(resources, t.API_STAGE):
        if not any(stage in joined(a, "resourceArn") for a in associations):
            yield "no WAF web ACL is associated with the stage", stage.urn


@resource_rule(
    "dynamodb-point-in-time-recovery",
    concern="data-protection",
    severity=Severity.MEDIUM,
    types=[t.DYNAMODB_TABLE],
    description="DynamoDB tables have point-in-time recovery (continuous backups to restore to the second).",
    remediation="ItemTable turns point-in-time recovery on (point_in_time_recovery_days, 35 by default).",
    fsbp="DynamoDB.2",
    cdk_nag="AwsSolutions-DDB3",
)
def dynamodb_pitr(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "pointInTimeRecovery", "enabled") is not True:
        yield "pointInTimeRecovery.enabled is not true"


@resource_rule(
    "dynamodb-deletion-protection",
    concern="data-protection",
    severity=Severity.HIGH,
    types=[t.DYNAMODB_TABLE],
    description="DynamoDB tables have deletion protection.",
    remediation="Keep ItemTable's deletion_protection true (its default).",
    relaxable=True,
    fsbp="DynamoDB.6",
)
def dynamodb_deletion_protection(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "deletionProtectionEnabled") is not True:
        yield "deletionProtectionEnabled is not true"


@resource_rule(
    "cognito-deletion-protection",
    concern="data-protection",
    severity=Severity.HIGH,
    types=[t.USER_POOL],
    description="Cognito user pools have deletion protection (deleting a pool deletes every account in it).",
    remediation="Keep UserDirectory's deletion_protection true (its default).",
    relaxable=True,
    fsbp="Cognito.6",
)
def cognito_deletion_protection(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "deletionProtection") != "ACTIVE":
        yield "deletionProtection is not ACTIVE"


# Request headers that carry credentials: a bearer token or Basic password, a session cookie.
CREDENTIAL_HEADERS = ("authorization", "cookie")


@resource_rule(
    "waf-logs-redact-credentials",
    concern="data-protection",
    severity=Severity.HIGH,
    types=[t.WAF_LOGGING],
    description="WAF logs redact the Authorization and Cookie headers: a log reader must not get users' tokens "
    "and sessions.",
    remediation="components.waf_logging.web_acl_logging redacts both (redacted_fields single_header); keep them.",
)
def waf_logs_redacted(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    redacted = {
        str(get(field, "singleHeader", "name", default="")).lower() for field in as_list(get(props, "redactedFields"))
    }
    for header in CREDENTIAL_HEADERS:
        if header not in redacted:
            yield f"the {header} header is logged in clear (redactedFields lacks singleHeader {header})"


_RATE = re.compile(r"^rate\((\d+) (hour|hours|day|days)\)$")


def _rotation_days(rotation: PolicyResource) -> float | None:
    """Days between rotations of a schedule, None when it cannot be read (a cron expression)."""
    days = peek(rotation.props, "rotationRules", "automaticallyAfterDays")
    if isinstance(days, (int, float)) and not isinstance(days, bool):
        return float(days)
    match = _RATE.match(str(peek(rotation.props, "rotationRules", "scheduleExpression", default="")))
    if match is None:
        return None
    return float(match[1]) / (24 if match[2].startswith("hour") else 1)


@stack_rule(
    "secrets-rotate",
    concern="data-protection",
    severity=Severity.MEDIUM,
    description=(
        "Every Secrets Manager secret has a rotation schedule (a rotation function), at most maximumDays apart: "
        "none keeps its value for ever. Advisory in every shipped config: a secret set out of band rotates only "
        "where its owner supplies a function."
    ),
    remediation="The cache token rotates by itself (webstack:cache.auth_token_rotation_days); give application "
    "secrets a function with webstack:secret_rotation.",
    relaxable=True,
    fsbp="SecretsManager.1, SecretsManager.4",
    cdk_nag="AwsSolutions-SMG4",
    config_schema={"maximumDays": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 90}},
)
def secrets_rotate(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    rotations = list(resources_of(resources, t.SECRET_ROTATION))
    for secret in resources_of(resources, t.SECRET):
        schedules = [r for r in rotations if secret in joined(r, "secretId")]
        if not schedules:
            yield "the secret never rotates: no rotation schedule (SecretRotation) names it", secret.urn
            continue
        days = [_rotation_days(r) for r in schedules]
        if any(d is not None and d > config["maximumDays"] for d in days):
            yield (
                f"rotates every {max(d for d in days if d is not None):g} days; at most {config['maximumDays']}",
                secret.urn,
            )
