"""RedisCache: an ElastiCache (Redis OSS or Valkey) replication group, encrypted, TLS and AUTH only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from .alarms import create_alarms
from .aws_context import aws_context
from .cache_settings import (
    AUTH_TOKEN_LENGTH,
    LOG_TYPES,
    PORT,
    cache_alarm_specs,
    cache_window_problems,
    default_parameter_group,
    log_group_name,
    member_cluster_ids,
)
from .encryption_key import customer_managed_key, secret_recovery_window_days
from .iam_documents import logs_key_statement
from .log_groups import DEFAULT_RETENTION_DAYS, encrypted_log_group
from .restricted_security_group import AdmitsClients, restricted_security_group


@dataclass(frozen=True)
class RedisCacheArgs:
    replication_group_id: str
    """The ElastiCache replication group id: 1-40 lower-case letters, digits or hyphens, starting with a
    letter. Example: "acme-prod-cache".
    """
    secret_name: str
    """Name of the Secrets Manager secret holding the AUTH token and connection URL (JSON: auth_token, host,
    port, tls, url). Example: "acme-prod/cache".
    """
    vpc_id: pulumi.Input[str]
    """The VPC of the cache's security group. Example: vpc.vpc_id."""
    subnet_ids: Sequence[pulumi.Input[str]]
    """Subnets of the cache subnet group: the isolated ones. Example: vpc.isolated_subnet_ids."""
    client_security_group_ids: Sequence[pulumi.Input[str]] = ()
    """Security groups admitted on 6379 (one ingress rule each). Example: [api.task_security_group_id]."""
    engine: Literal["redis", "valkey"] = "redis"
    """The engine: "redis" (Redis OSS) or "valkey" (its open-source fork, 20 % cheaper nodes, encrypted at
    rest by default). Example: "valkey".
    """
    engine_version: str = "7.1"
    """Engine version: redis 6.2, 7.0 or 7.1; valkey 7.2, 8.0 or 8.1. Example: "8.0"."""
    node_type: str = "cache.t4g.micro"
    """A node type ElastiCache offers (components/instance_classes.csv). cache.t4g.micro is $11.68 a month per
    node in us-east-1. Example: "cache.m7g.large".
    """
    replicas: int = 0
    """Read replicas of the primary node (0-5); with automatic_failover they take over when it fails. Example: 1."""
    automatic_failover: bool = False
    """Automatic failover and Multi-AZ: needs at least one replica. Example: True for production."""
    snapshot_retention_days: int = 1
    """Daily snapshots kept (0 turns them off; 1-35). Example: 7."""
    snapshot_window: str = "02:00-03:00"
    """Daily window (UTC, "hh24:mi-hh24:mi", at least 60 minutes) in which ElastiCache begins the snapshot; it
    must not overlap maintenance_window. Example: "03:00-05:00".
    """
    maintenance_window: str = "sun:03:30-sun:04:30"
    """Weekly window (UTC, "ddd:hh24:mi-ddd:hh24:mi", ddd mon to sun, at least 60 minutes) in which ElastiCache
    patches and upgrades the nodes (a failover with replicas). Example: "mon:05:00-mon:06:00".
    """
    memory_alarm_percent: float = 80
    """Alarm when a node's DatabaseMemoryUsagePercentage (memory for data, of maxmemory) stays above this
    percentage. Example: 75.
    """
    log_retention_days: int = DEFAULT_RETENTION_DAYS
    """Days the slow and engine logs are kept (a CloudWatch Logs retention value). Example: 90."""
    alarm_actions: Sequence[pulumi.Input[str]] = ()
    """SNS topic ARNs told when an alarm (engine CPU, memory) fires. Example: [alert_topic.arn]."""
    keep_data_on_destroy: bool = True
    """True: the AUTH secret waits 7 days before deletion (its name stays taken); False: `destroy` deletes it
    at once so the same name can be created again straight away. Example: False for dev.
    """


def _refuse_bad_args(args: RedisCacheArgs) -> None:
    """What ElastiCache would refuse, or a replica nobody promotes: refused before anything exists."""
    if args.replicas > 0 and not args.automatic_failover:
        raise ValueError("replicas need automatic_failover: a replica nobody promotes is dead weight")
    if args.automatic_failover and args.replicas < 1:
        raise ValueError("automatic_failover needs at least one replica")
    window_problems = cache_window_problems(args.snapshot_window, args.maintenance_window)
    if window_problems:
        raise ValueError("; ".join(window_problems))


class RedisCache(AdmitsClients):
    """A cache reachable only from the given groups, over TLS, with an AUTH token kept in Secrets Manager.

    An ElastiCache replication group (Redis OSS or Valkey) in the isolated subnets behind its own
    security group; at-rest encryption with the component's CMK; in-transit encryption
    ``required``; a 64-character AUTH token stored with the connection URL as JSON in a secret
    (``auth_token``, ``host``, ``port``, ``tls``, ``url``); slow and engine logs to KMS log groups;
    alarms on engine CPU and memory per node.

    Example::

        cache = RedisCache("cache", RedisCacheArgs(
            replication_group_id="acme-prod-cache", secret_name="acme-prod/cache",
            vpc_id=vpc.vpc_id, subnet_ids=vpc.isolated_subnet_ids,
            engine="valkey", engine_version="8.0", replicas=1, automatic_failover=True,
        ))
        cache.admit("api", api.task_security_group_id)

    Cost (cost/prices.csv, us-east-1): cache.t4g.micro $11.68 a month per node (Valkey 20 %
    less), the CMK $1 and the secret $0.40 a month; snapshots beyond one node's size by use.
    """

    primary_endpoint: pulumi.Output[str]
    reader_endpoint: pulumi.Output[str]
    port: int
    auth_secret_arn: pulumi.Output[str]
    security_group_id: pulumi.Output[str]
    kms_key_arn: pulumi.Output[str]
    node_ids: tuple[str, ...]  # each node's cluster id (its metrics' CacheClusterId)

    def __init__(self, name: str, args: RedisCacheArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _refuse_bad_args(args)
        super().__init__("webstack:data:RedisCache", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        context = aws_context(self)
        group_id = args.replication_group_id
        key = customer_managed_key(
            f"{name}-key",
            description=f"{group_id}: data at rest, snapshots, AUTH secret, logs",
            alias=group_id,
            context=context,
            parent=self,
            service_statements=lambda region, account: [
                logs_key_statement(region, account, f"/aws/elasticache/{group_id}/*")
            ],
        )
        log_groups = {
            log_type: encrypted_log_group(
                f"{name}-{log_type}",
                log_group_name=log_group_name(group_id, log_type),
                key=key,
                retention_days=args.log_retention_days,
                parent=self,
            )
            for log_type in LOG_TYPES
        }
        security_group = restricted_security_group(
            f"{name}-sg",
            vpc_id=args.vpc_id,
            description=f"{group_id}: {args.engine} from application groups only",
            port=PORT,
            source_security_group_ids=args.client_security_group_ids,
            parent=self,
        )
        subnet_group = aws.elasticache.SubnetGroup(
            f"{name}-subnets",
            description=f"{group_id}: isolated subnets",
            subnet_ids=list(args.subnet_ids),
            opts=child,
        )
        token = random.RandomPassword(f"{name}-auth-token", length=AUTH_TOKEN_LENGTH, special=False, opts=child)
        group = aws.elasticache.ReplicationGroup(
            f"{name}-group",
            replication_group_id=group_id,
            description=f"{group_id} ({args.engine})",
            engine=args.engine,
            engine_version=args.engine_version,
            parameter_group_name=default_parameter_group(args.engine, args.engine_version),
            node_type=args.node_type,
            port=PORT,
            num_cache_clusters=1 + args.replicas,
            automatic_failover_enabled=args.automatic_failover,
            multi_az_enabled=args.automatic_failover,
            subnet_group_name=subnet_group.name,
            security_group_ids=[security_group.id],
            at_rest_encryption_enabled=True,
            kms_key_id=key.arn,
            transit_encryption_enabled=True,
            transit_encryption_mode="required",
            auth_token=token.result,
            auth_token_update_strategy="ROTATE",
            snapshot_retention_limit=args.snapshot_retention_days,
            snapshot_window=args.snapshot_window,
            maintenance_window=args.maintenance_window,
            auto_minor_version_upgrade=True,
            log_delivery_configurations=[
                aws.elasticache.ReplicationGroupLogDeliveryConfigurationArgs(
                    destination=log_group.name,
                    destination_type="cloudwatch-logs",
                    log_format="json",
                    log_type=log_type,
                )
                for log_type, log_group in log_groups.items()
            ],
            opts=child,
        )
        secret = aws.secretsmanager.Secret(
            f"{name}-auth-secret",
            name=args.secret_name,
            description=f"AUTH token and TLS endpoint of {group_id}",
            kms_key_id=key.arn,
            recovery_window_in_days=secret_recovery_window_days(args.keep_data_on_destroy),
            opts=child,
        )
        aws.secretsmanager.SecretVersion(
            f"{name}-auth-secret-value",
            secret_id=secret.id,
            secret_string=pulumi.Output.secret(
                pulumi.Output.json_dumps(
                    {
                        "auth_token": token.result,
                        "host": group.primary_endpoint_address,
                        "port": PORT,
                        "tls": True,
                        "url": pulumi.Output.concat(
                            "rediss://:", token.result, "@", group.primary_endpoint_address, f":{PORT}"
                        ),
                    }
                )
            ),
            opts=child,
        )
        self.node_ids = member_cluster_ids(group_id, 1 + args.replicas)
        for cluster_id in self.node_ids:
            create_alarms(
                f"{name}-{cluster_id}",
                cache_alarm_specs(cluster_id, args.memory_alarm_percent),
                args.alarm_actions,
                self,
            )

        self.primary_endpoint = group.primary_endpoint_address
        self.reader_endpoint = group.reader_endpoint_address
        self.port = PORT
        self.auth_secret_arn = secret.arn
        self.security_group_id = security_group.id
        self._security_group = security_group
        self.kms_key_arn = key.arn
        self._name = name
        self._port = PORT
        self._service = "cache"
        self.register_outputs(
            {
                "primaryEndpoint": self.primary_endpoint,
                "authSecretArn": self.auth_secret_arn,
                "securityGroupId": self.security_group_id,
            }
        )
