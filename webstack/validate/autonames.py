"""The names pulumi-aws makes up for resources that do not set one (autonaming).

The provider fills the name input from the logical name, a "-" and 7 random hex characters,
and refuses (at Check, before anything is created) a name longer than the field's maximum.
The maximum is 255 for every resource with a ``name`` input, except the overrides below
(pulumi-aws v7 provider/autonaming.go, aliases.go and resource_overrides.go;
pulumi/pulumi sdk/go/common/resource/resource_id.go NewUniqueName).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

SUFFIX_LENGTH = 7


@dataclass(frozen=True)
class AutoName:
    field: str = "name"
    max_length: int = 255
    lowercase: bool = False
    separator: str = "-"


# Pulumi type -> how the provider names it when the program does not (types not listed here
# have no auto-named input: VPCs, routes, listeners, task definitions, subscriptions ...).
AUTONAMED: dict[str, AutoName] = {
    **{
        resource_type: AutoName()
        for resource_type in (
            "aws:appautoscaling/policy:Policy",
            "aws:appautoscaling/scheduledAction:ScheduledAction",
            "aws:cloudfront/cachePolicy:CachePolicy",
            "aws:cloudfront/function:Function",
            "aws:cloudfront/originAccessControl:OriginAccessControl",
            "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
            "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
            "aws:cloudwatch/logDeliverySource:LogDeliverySource",
            "aws:cloudwatch/logGroup:LogGroup",
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            "aws:ec2/securityGroup:SecurityGroup",
            "aws:ecr/repository:Repository",
            "aws:ecs/cluster:Cluster",
            "aws:ecs/service:Service",
            "aws:elasticache/subnetGroup:SubnetGroup",
            "aws:iam/rolePolicy:RolePolicy",
            "aws:lb/loadBalancer:LoadBalancer",
            "aws:rds/parameterGroup:ParameterGroup",
            "aws:rds/subnetGroup:SubnetGroup",
            "aws:scheduler/schedule:Schedule",
            "aws:scheduler/scheduleGroup:ScheduleGroup",
            "aws:secretsmanager/secret:Secret",
            "aws:wafv2/webAcl:WebAcl",
        )
    },
    "aws:lb/targetGroup:TargetGroup": AutoName(max_length=32),
    "aws:iam/role:Role": AutoName(max_length=64),
    "aws:elasticache/replicationGroup:ReplicationGroup": AutoName("replicationGroupId", 40, lowercase=True),
    "aws:rds/instance:Instance": AutoName("identifier", separator=""),
    "aws:s3/bucket:Bucket": AutoName("bucket", 63, lowercase=True),
    "aws:sns/topic:Topic": AutoName(max_length=80),
    "aws:kms/alias:Alias": AutoName(max_length=238),
}

# Types whose auto-name conflicts with another input: set, it suppresses the auto-name.
SUPPRESSED_BY = {"aws:s3/bucket:Bucket": "bucketPrefix"}


def autoname(resource_type: str, inputs: dict[str, object], logical_name: str, urn: str) -> tuple[str, str] | None:
    """(field, the name the provider would make up), or None when the resource names itself,
    has no such field, or another input (a bucket prefix) takes its place."""
    spec = AUTONAMED.get(resource_type)
    if spec is None or spec.field in inputs or SUPPRESSED_BY.get(resource_type) in inputs:
        return None
    base = logical_name.lower() if spec.lowercase else logical_name
    suffix = hashlib.sha256(urn.encode()).hexdigest()[:SUFFIX_LENGTH]
    return spec.field, f"{base}{spec.separator}{suffix}"


def autoname_problem(resource_type: str, name: str) -> str | None:
    spec = AUTONAMED[resource_type]
    if len(name) > spec.max_length:
        return (
            f"the provider's made-up name ({len(name) - SUFFIX_LENGTH} characters of logical name, "
            f"separator and {SUFFIX_LENGTH} random) is longer than {spec.max_length}: Check fails; "
            "shorten the logical name or set the name"
        )
    return None
