"""Logging: flow logs, access logs, container logs, retention."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource, Severity

from . import types as t
from .props import UNKNOWN, as_list, get, is_set, json_document, peek
from .registry import joined, resource_rule, resources_of, stack_rule
from .types import canonical


@stack_rule(
    "vpc-flow-logs-enabled",
    concern="logging",
    severity=Severity.MEDIUM,
    description="Every VPC records its traffic in flow logs.",
    remediation="SecureVpc always adds a flow log to its KMS-encrypted log group.",
    fsbp="EC2.6",
    cdk_nag="AwsSolutions-VPC7",
)
def vpc_flow_logs(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for vpc in resources_of(resources, t.VPC):
        if not any(vpc in joined(flow, "vpcId") for flow in resources_of(resources, t.FLOW_LOG)):
            yield "VPC has no flow log", vpc.urn


@resource_rule(
    "log-group-retention-set",
    concern="logging",
    severity=Severity.LOW,
    types=[t.LOG_GROUP],
    description="Log groups expire their events (retention set).",
    remediation="Set webstack:log_retention_days; every component passes it to its log groups.",
    cdk_nag="NIST CloudWatchLogGroupRetentionPeriod",
)
def log_retention(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if not get(props, "retentionInDays"):
        yield f"log group {get(props, 'name', default='?')} keeps events for ever"


@resource_rule(
    "alb-access-logs-enabled",
    concern="logging",
    severity=Severity.MEDIUM,
    types=[t.LOAD_BALANCER],
    description="Load balancers write access logs.",
    remediation="FargateApi writes ALB access logs to the stack's log bucket.",
    fsbp="ELB.5",
    awsguard="elb-logging-enabled",
    cdk_nag="AwsSolutions-ELB2",
)
def alb_access_logs(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "accessLogs", "enabled") is not True or not is_set(props, "accessLogs", "bucket"):
        yield "access logs are off"


@stack_rule(
    "cloudfront-access-logging",
    concern="logging",
    severity=Severity.MEDIUM,
    description="Every distribution logs its requests (standard logging v2 or legacy).",
    remediation="EdgeDistribution delivers standard logs (v2) to the log bucket.",
    fsbp="CloudFront.5",
    cdk_nag="AwsSolutions-CFR3",
)
def cloudfront_logging(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for distribution in resources_of(resources, t.DISTRIBUTION):
        legacy = get(distribution.props, "loggingConfig", "bucket")
        v2 = any(
            distribution in joined(source, "resourceArn") for source in resources_of(resources, t.LOG_DELIVERY_SOURCE)
        )
        if not legacy and not v2:
            yield "distribution has no access logging", distribution.urn


@stack_rule(
    "s3-bucket-access-logging",
    concern="logging",
    severity=Severity.LOW,
    description="Buckets log requests to the log bucket (log buckets themselves excepted).",
    remediation="StaticSite takes access_log_bucket; compose passes the stack's log bucket.",
    fsbp="S3.9",
    awsguard="s3-bucket-logging-enabled",
    cdk_nag="AwsSolutions-S1",
)
def s3_access_logging(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for bucket in resources_of(resources, t.BUCKET):
        if get(bucket.props, "tags", "DataClass") == "logs":
            continue
        # The bucket's own (deprecated) input: logging on a Bucket, loggings on a v6 BucketV2.
        inline = [get(bucket.props, "logging"), *as_list(get(bucket.props, "loggings"))]
        if any(is_set(block, "targetBucket") for block in inline if block):
            continue
        if not any(bucket in joined(log, "bucket") for log in resources_of(resources, t.BUCKET_LOGGING)):
            yield "bucket has no server access logging", bucket.urn


@resource_rule(
    "ecs-container-insights",
    concern="logging",
    severity=Severity.LOW,
    types=[t.ECS_CLUSTER],
    description="ECS clusters have Container Insights.",
    remediation="FargateApi's cluster sets containerInsights to enabled.",
    fsbp="ECS.12",
    cdk_nag="AwsSolutions-ECS4",
)
def container_insights(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    values = [get(s, "value") for s in as_list(get(props, "settings")) if get(s, "name") == "containerInsights"]
    if not any(v in ("enabled", "enhanced") for v in values):
        yield "Container Insights is off"


@resource_rule(
    "ecs-container-logging",
    concern="logging",
    severity=Severity.MEDIUM,
    types=[t.TASK_DEFINITION],
    description="Every container sends its output to a log driver.",
    remediation="FargateApi configures awslogs into the service's log group.",
    fsbp="ECS.9",
    cdk_nag="AwsSolutions-ECS7",
)
def container_logging(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    for container in as_list(json_document(get(props, "containerDefinitions"))):
        if not get(container, "logConfiguration", "logDriver"):
            yield f"container {get(container, 'name', default='?')} has no logConfiguration"


@stack_rule(
    "ecs-exec-sessions-encrypted-and-logged",
    concern="logging",
    severity=Severity.HIGH,
    description=(
        "ECS Exec only with encrypted, logged sessions: a service that enables execute-command runs on a cluster "
        "whose executeCommandConfiguration names a KMS key and logs every session (OVERRIDE) to an encrypted "
        "CloudWatch log group or S3 bucket."
    ),
    remediation="Turn exec on with webstack:api.exec (or a service's exec): FargateApi then configures the cluster.",
)
def ecs_exec_sessions(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for service in resources_of(resources, t.ECS_SERVICE):
        if get(service.props, "enableExecuteCommand") is not True:
            continue
        clusters = [c for c in joined(service, "cluster") if canonical(c.resource_type) == t.ECS_CLUSTER]
        if not clusters:
            yield (
                (
                    "execute-command is on, but the service's cluster is not in the stack to show that its sessions "
                    "are encrypted and logged"
                ),
                service.urn,
            )
            continue
        for problem in _exec_session_problems(clusters[0].props):
            yield f"execute-command is on, but {problem}", service.urn


def _exec_session_problems(cluster: Any) -> Iterator[str]:
    exec_config = ("configuration", "executeCommandConfiguration")
    if not is_set(cluster, *exec_config, "kmsKeyId"):
        yield "the cluster names no KMS key for exec sessions (executeCommandConfiguration.kmsKeyId)"
    logging = peek(cluster, *exec_config, "logging", default="DEFAULT")
    if logging is UNKNOWN:
        return
    if logging != "OVERRIDE":
        yield f"exec sessions are not logged to a log group or bucket of their own (logging {logging}, not OVERRIDE)"
        return
    log = (*exec_config, "logConfiguration")
    to_logs = is_set(cluster, *log, "cloudWatchLogGroupName") and peek(cluster, *log, "cloudWatchEncryptionEnabled")
    to_s3 = is_set(cluster, *log, "s3BucketName") and peek(cluster, *log, "s3EncryptionEnabled")
    if not (to_logs or to_s3):
        yield "exec sessions are not logged to an encrypted log group or bucket (cloudWatchEncryptionEnabled)"


@stack_rule(
    "alarm-topics-have-subscribers",
    concern="logging",
    severity=Severity.HIGH,
    description="Every SNS topic that alarms notify has a subscriber: an alarm nobody receives is no alarm.",
    remediation="Set webstack:alerts.emails or webstack:alerts.https_endpoints; AlertTopic subscribes each.",
    relaxable=True,
)
def alarm_topics_have_subscribers(
    resources: list[PolicyResource], config: Mapping[str, Any]
) -> Iterator[tuple[str, str]]:
    alarms = list(resources_of(resources, t.METRIC_ALARM))
    subscriptions = list(resources_of(resources, t.SNS_SUBSCRIPTION))
    for topic in resources_of(resources, t.SNS_TOPIC):
        notifying = [a for a in alarms if topic in joined(a, "alarmActions") + joined(a, "okActions")]
        if notifying and not any(topic in joined(s, "topic") for s in subscriptions):
            yield f"{len(notifying)} alarms notify this topic and nobody is subscribed to it", topic.urn


@resource_rule(
    "lambda-tracing-active",
    concern="logging",
    severity=Severity.LOW,
    types=[t.LAMBDA_FUNCTION],
    description="Lambda functions trace their invocations with X-Ray (active tracing).",
    remediation="LambdaFunction sets tracing_config mode Active; do not override it.",
)
def lambda_tracing(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    mode = get(props, "tracingConfig", "mode")
    if mode != "Active":
        yield f"tracingConfig.mode is {mode or 'not set'}, not Active: only requests sampled upstream are traced"


@resource_rule(
    "apigateway-stage-access-logging",
    concern="logging",
    severity=Severity.MEDIUM,
    types=[t.API_STAGE, t.API_V2_STAGE],
    description="API Gateway stages write access logs (who called what, and the answer).",
    remediation="ServerlessApi writes JSON access logs to its own CMK-encrypted log group; do not override them.",
    fsbp="APIGateway.9",
    cdk_nag="AwsSolutions-APIG1",
)
def api_access_logs(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if not is_set(props, "accessLogSettings", "destinationArn"):
        yield "access logs are off (no accessLogSettings.destinationArn)"


@resource_rule(
    "apigateway-stage-xray-tracing",
    concern="logging",
    severity=Severity.LOW,
    types=[t.API_STAGE],
    description="API Gateway REST stages trace requests with X-Ray.",
    remediation="ServerlessApi sets xray_tracing_enabled on its stage; do not override it.",
    fsbp="APIGateway.3",
    cdk_nag="HIPAA APIGWXrayEnabled",
)
def api_xray(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "xrayTracingEnabled") is not True:
        yield "xrayTracingEnabled is not true"


@resource_rule(
    "apigateway-no-full-request-logging",
    concern="logging",
    severity=Severity.MEDIUM,
    types=[t.API_METHOD_SETTINGS],
    description=(
        "API Gateway never logs full requests and responses (data trace): AWS advises against it for production, "
        "as tokens and personal data would land in the logs."
    ),
    remediation="Leave data_trace_enabled off in method settings (as ServerlessApi does); use access logs instead.",
)
def api_no_data_trace(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "settings", "dataTraceEnabled") is True:
        yield f"{get(props, 'methodPath', default='?')} logs full requests and responses (dataTraceEnabled)"


@stack_rule(
    "waf-web-acl-logging-enabled",
    concern="logging",
    severity=Severity.MEDIUM,
    description="Every WAF web ACL logs the requests it inspects (a logging configuration with a destination).",
    remediation="Keep webstack:observability.waf_logs at all or blocked: EdgeDomain and ServerlessApi then log to "
    "an encrypted aws-waf-logs- log group.",
    fsbp="WAF.11",
    cdk_nag="NIST.800.53.R5-WAFv2LoggingEnabled",
)
def waf_logging(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    # Destinations not known yet (a first preview) came from the stack's log group: they are set.
    configurations = [c for c in resources_of(resources, t.WAF_LOGGING) if is_set(c.props, "logDestinationConfigs")]
    for acl in resources_of(resources, t.WEB_ACL):
        if not any(acl in joined(c, "resourceArn") for c in configurations):
            yield "web ACL has no logging configuration with a destination: blocked attacks leave no trace", acl.urn
