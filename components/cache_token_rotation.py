"""CacheTokenRotation: Secrets Manager rotates a RedisCache's AUTH token on a schedule."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pulumi
import pulumi_aws as aws

from . import cache_auth_rotation
from .aws_context import aws_context
from .cache_settings import PORT
from .iam_documents import Document, policy_document
from .lambda_function import LambdaFunction, LambdaFunctionArgs
from .restricted_security_group import Peer, tcp_rule
from .secret_rotation import ROTATION_DAYS, rotation_schedule

TIMEOUT_SECONDS = 300  # setSecret may wait up to cache_auth_rotation.WAIT_SECONDS for the group


@dataclass(frozen=True)
class CacheService:
    """An ECS service whose tasks get the cache secret injected (redeployed after each rotation)."""

    cluster: pulumi.Input[str]
    """The service's cluster name. Example: api.cluster_name."""
    service: pulumi.Input[str]
    """The service's name. Example: "acme-prod-api"."""


def rotation_policy(
    region: str,
    account_id: str,
    *,
    secret_arn: str,
    key_arn: str,
    replication_group_id: str,
    services: Sequence[tuple[str, str]],
) -> Document:
    """What the rotation needs beyond reading the secret: write its versions (with its key, through
    Secrets Manager), change the group's token, and redeploy the services that inject it."""
    statements = [
        {
            "Sid": "WriteTheSecretVersions",
            "Effect": "Allow",
            "Action": [
                "secretsmanager:DescribeSecret",
                "secretsmanager:PutSecretValue",
                "secretsmanager:UpdateSecretVersionStage",
            ],
            "Resource": secret_arn,
        },
        {
            "Sid": "EncryptTheNewVersion",
            "Effect": "Allow",
            "Action": "kms:GenerateDataKey",
            "Resource": key_arn,
            "Condition": {"StringEquals": {"kms:ViaService": f"secretsmanager.{region}.amazonaws.com"}},
        },
        {
            "Sid": "ChangeTheGroupsToken",
            "Effect": "Allow",
            "Action": ["elasticache:ModifyReplicationGroup", "elasticache:DescribeReplicationGroups"],
            "Resource": f"arn:aws:elasticache:{region}:{account_id}:replicationgroup:{replication_group_id}",
        },
    ]
    if services:
        statements.append(
            {
                "Sid": "RedeployTheServicesThatInjectIt",
                "Effect": "Allow",
                "Action": "ecs:UpdateService",
                "Resource": sorted(
                    f"arn:aws:ecs:{region}:{account_id}:service/{cluster}/{service}" for cluster, service in services
                ),
            }
        )
    return policy_document(statements)


@dataclass(frozen=True)
class CacheTokenRotationArgs:
    name: str
    """The rotation function's name (1-64 of a-z A-Z 0-9 - _). Example: "acme-prod-cache-rotation"."""
    secret_arn: pulumi.Input[str]
    """The cache's AUTH secret (RedisCache.auth_secret_arn). Example: cache.auth_secret_arn."""
    secret_key_arn: pulumi.Input[str]
    """The CMK that encrypts it (RedisCache.kms_key_arn). Example: cache.kms_key_arn."""
    replication_group_id: str
    """The replication group whose token rotates. Example: "acme-prod-cache"."""
    vpc_id: pulumi.Input[str]
    """The VPC of the function's security group. Example: vpc.vpc_id."""
    subnet_ids: Sequence[pulumi.Input[str]]
    """Subnets of the function (private: AWS APIs through NAT or the secretsmanager, elasticache and ecs
    interface endpoints). Example: vpc.private_subnet_ids.
    """
    cache_security_group_id: pulumi.Input[str]
    """The cache's security group: the function may reach its port (admit the function's group on the cache
    with RedisCache.admit). Example: cache.security_group_id.
    """
    services: Sequence[CacheService] = ()
    """ECS services whose tasks inject the secret: redeployed after each rotation. Example:
    [CacheService(api.cluster_name, "acme-prod-api")].
    """
    every_days: int = 30
    """Days between rotations (1-1000). Example: 7."""
    log_retention_days: int = 30
    """Days the function's logs are kept. Example: 90."""
    alarm_actions: Sequence[pulumi.Input[str]] = ()
    """SNS topics told when a rotation step fails (the function's error alarm). Example: [alerts.topic_arn]."""


class CacheTokenRotation(pulumi.ComponentResource):
    """Rotation of a RedisCache's AUTH token every ``every_days``: a Secrets Manager rotation
    schedule calling a Python function (``components/cache_auth_rotation.py``, inlined) that runs
    in the VPC behind its own security group (443 out for AWS APIs, the cache's port to the cache
    only), with a role that may write only this secret's versions, change only this group's token
    and redeploy only the named services, besides what every LambdaFunction has (its key, logs,
    traces, dead letters, error alarms). Secrets Manager may invoke it for this secret only.

    AWS ships rotation functions for ElastiCache RBAC users, not for AUTH tokens: this one is
    webstack's. ``rotate_immediately`` is off, so the first rotation comes ``every_days`` after the
    schedule is created (the services exist by then).

    Example::

        rotation = CacheTokenRotation("cache-rotation", CacheTokenRotationArgs(
            name="acme-prod-cache-rotation", secret_arn=cache.auth_secret_arn,
            secret_key_arn=cache.kms_key_arn, replication_group_id="acme-prod-cache",
            vpc_id=vpc.vpc_id, subnet_ids=vpc.private_subnet_ids,
            cache_security_group_id=cache.security_group_id,
            services=[CacheService(api.cluster_name, "acme-prod-api")]))
        cache.admit("rotation", rotation.security_group_id)

    Cost (cost/prices.csv): $1 a month for the function's CMK, its alarms ($0.10 each beyond
    CloudWatch's free ten), and a few invocations a month (inside Lambda's free tier).
    """

    security_group_id: pulumi.Output[str]
    function_arn: pulumi.Output[str]

    def __init__(self, name: str, args: CacheTokenRotationArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if args.every_days not in ROTATION_DAYS:
            raise ValueError(f"every_days must be 1-1000 (Secrets Manager's range), not {args.every_days}")
        super().__init__("webstack:data:CacheTokenRotation", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        context = aws_context(self)
        group = aws.ec2.SecurityGroup(
            f"{name}-sg",
            vpc_id=args.vpc_id,
            description=f"{args.name}: AWS APIs over TLS and the cache port",
            opts=child,
        )
        tcp_rule(f"{name}-https-out", direction="egress", group_id=group.id, port=443,
                 peer=Peer(cidr="0.0.0.0/0"), description=f"{args.name} to AWS APIs", parent=self)  # fmt: skip
        tcp_rule(f"{name}-cache-out", direction="egress", group_id=group.id, port=PORT,
                 peer=Peer(group=args.cache_security_group_id), description=f"{args.name} to the cache",
                 parent=self)  # fmt: skip
        services = pulumi.Output.all(*[pulumi.Output.all(s.cluster, s.service) for s in args.services])
        function = LambdaFunction(
            f"{name}-function",
            LambdaFunctionArgs(
                name=args.name,
                code_path="",
                inline_code={"index.py": Path(cache_auth_rotation.__file__).read_text()},
                handler="index.handler",
                runtime="python3.13",
                memory_mb=256,
                timeout_seconds=TIMEOUT_SECONDS,
                environment={
                    "REPLICATION_GROUP_ID": args.replication_group_id,
                    "SERVICES": services.apply(
                        lambda pairs: json.dumps([{"cluster": c, "service": s} for c, s in pairs])
                    ),
                },
                secret_arns=[args.secret_arn],
                secret_key_arns=[args.secret_key_arn],
                log_retention_days=args.log_retention_days,
                alarm_actions=args.alarm_actions,
                vpc_subnet_ids=args.subnet_ids,
                vpc_security_group_ids=[group.id],
            ),
            child,
        )
        granted = aws.iam.RolePolicy(
            f"{name}-rotation-policy",
            role=function.role_name,
            policy=pulumi.Output.all(
                context.region, context.account_id, args.secret_arn, args.secret_key_arn, services
            ).apply(
                lambda v: json.dumps(
                    rotation_policy(
                        v[0],
                        v[1],
                        secret_arn=v[2],
                        key_arn=v[3],
                        replication_group_id=args.replication_group_id,
                        services=[tuple(pair) for pair in v[4]],
                    )
                )
            ),
            opts=child,
        )
        rotation_schedule(
            name,
            secret_arn=args.secret_arn,
            function=function.function_name,
            function_arn=function.function_arn,
            every_days=args.every_days,
            parent=self,
            depends_on=[granted],
        )
        self.security_group_id = group.id
        self.function_arn = function.function_arn
        self.register_outputs({"functionArn": function.function_arn})
