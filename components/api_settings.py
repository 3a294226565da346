"""Pure settings of FargateApi: the container definition, ECR lifecycle, IAM documents, alarms."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .alarms import AlarmSpec
from .iam_documents import Document, Statement, log_group_arn, policy_document
from .log_groups import awslogs_configuration
from .tracing_settings import COLLECTOR_NAME, collector_container, tracing_environment

CONTAINER_NAME = "app"
CONTAINER_USER = "1000:1000"  # no root in the container; the image must not need it
TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
SCRATCH_VOLUME = "tmp"  # writable /tmp beside the read-only root file system
# awslogs names each task's stream <prefix>/<container>/<task id>.
LOG_STREAM_PREFIX = "ecs"


@dataclass(frozen=True)
class BucketGrant:
    """What the task role may do in one bucket, under one prefix (ARNs may be Outputs until the
    component resolves them for ``task_role_policy``)."""

    bucket_arn: Any
    """ARN of the bucket. Example: uploads.bucket_arn."""
    prefix: str = ""
    """Only objects under this key prefix (ending in "/"); "": the whole bucket. Example: "invoices/"."""
    access: Literal["read", "read_write"] = "read"
    """What the role may do: "read" is s3:GetObject (and s3:ListBucket under the prefix); "read_write": get,
    put and delete. Example: "read_write".
    """
    kms_key_arn: Any = None
    """The bucket's CMK, which the role may use through S3 only; None: an SSE-S3 bucket. Example:
    uploads.kms_key_arn.
    """


def ecr_lifecycle_policy(keep_tagged: int = 10, untagged_days: int = 7, running_tag: str | None = None) -> Document:
    """Untagged images go after ``untagged_days``, tagged ones beyond the last ``keep_tagged``;
    the tag the service runs is never expired, however many releases follow it (a task that
    starts later, or a rollback, must still find it). ECR: "An image that matches the tagging
    requirements of a rule cannot be expired by a rule with a lower priority", so a first rule
    selects that tag alone and, with one image per immutable tag, expires nothing."""
    rules: list[dict[str, Any]] = []
    if running_tag is not None:
        rules.append(
            {
                "description": "keep the tag the service runs",
                "selection": {
                    "tagStatus": "tagged",
                    "tagPatternList": [running_tag],
                    "countType": "imageCountMoreThan",
                    "countNumber": 1,
                },
                "action": {"type": "expire"},
            }
        )
    rules += [
        {
            "description": f"expire untagged images after {untagged_days} days",
            "selection": {
                "tagStatus": "untagged",
                "countType": "sinceImagePushed",
                "countUnit": "days",
                "countNumber": untagged_days,
            },
            "action": {"type": "expire"},
        },
        {
            "description": f"keep the last {keep_tagged} tagged images",
            "selection": {
                "tagStatus": "tagged",
                "tagPatternList": ["*"],
                "countType": "imageCountMoreThan",
                "countNumber": keep_tagged,
            },
            "action": {"type": "expire"},
        },
    ]
    return {"rules": [{"rulePriority": index + 1, **rule} for index, rule in enumerate(rules)]}


def running_tag(image: str) -> str | None:
    """The tag a "{repository}:TAG" image runs from the service's own repository (None for an
    image elsewhere, or one named by digest, which no lifecycle rule can select)."""
    prefix = "{repository}:"
    return image[len(prefix) :] if image.startswith(prefix) and "@" not in image else None


def build_tag(context: Path, dockerfile: str) -> str:
    """An image tag for a build that changes exactly when the build context does. The
    repository's tags are immutable: a fixed tag would fail the push of every rebuild."""
    digest = hashlib.sha256(dockerfile.encode())
    if context.is_dir():
        for path in sorted(p for p in context.rglob("*") if p.is_file() and ".git" not in p.parts):
            digest.update(str(path.relative_to(context)).encode() + b"\0" + path.read_bytes())
    return f"build-{digest.hexdigest()[:16]}"


def container_definitions(
    *,
    image: str,
    port: int,
    region: str,
    log_group: str,
    environment: Mapping[str, str],
    secrets: Mapping[str, str],
    writable_paths: Mapping[str, str] | None = None,
    traced_as: str | None = None,
) -> list[dict[str, Any]]:
    """One essential container: non-root, read-only root file system, secrets only via ``secrets``;
    ``writable_paths`` (volume name -> path) mounts more writable task volumes beside /tmp.
    ``traced_as`` (the service's name) adds the ADOT collector beside it, started first, and the
    OpenTelemetry variables that send its traces there."""
    if traced_as is not None:
        environment = {**environment, **tracing_environment(traced_as)}
    app: dict[str, Any] = {
        "name": CONTAINER_NAME,
        "image": image,
        "essential": True,
        "user": CONTAINER_USER,
        "readonlyRootFilesystem": True,
        "portMappings": [{"containerPort": port, "protocol": "tcp", "name": "http"}],
        "environment": [{"name": k, "value": v} for k, v in sorted(environment.items())],
        "secrets": [{"name": k, "valueFrom": v} for k, v in sorted(secrets.items())],
        "mountPoints": [
            {"sourceVolume": SCRATCH_VOLUME, "containerPath": "/tmp", "readOnly": False},
            *(
                {"sourceVolume": volume, "containerPath": path, "readOnly": False}
                for volume, path in (writable_paths or {}).items()
            ),
        ],
        "linuxParameters": {"initProcessEnabled": True},
        "logConfiguration": awslogs_configuration(log_group, region, LOG_STREAM_PREFIX),
    }
    if traced_as is None:
        return [app]
    app["dependsOn"] = [{"containerName": COLLECTOR_NAME, "condition": "START"}]
    return [app, collector_container(region=region, log_group=log_group)]


def secret_arn_of(value_from: str) -> str:
    """valueFrom may pick a JSON key (arn:...:secret:name-AbCdEf:username::); IAM wants the ARN."""
    parts = value_from.split(":")
    return ":".join(parts[:7])


def execution_role_policy(
    *,
    region: str,
    account_id: str,
    repository_arn: str | None,
    log_group: str,
    secret_value_froms: Sequence[str],
    kms_key_arns: Sequence[str],
    sidecar_repository_arns: Sequence[str] = (),
) -> Document:
    """Pull from the task's own repository (None: a public image, nothing to pull with IAM) and
    from the repositories of the sidecars ECS adds (GuardDuty's agent), write its own log group,
    read the secrets it injects."""
    statements: list[Statement] = []
    if repository_arn is not None or sidecar_repository_arns:
        statements.append(
            {
                # GetAuthorizationToken has no resource type: AWS accepts only "*" for it.
                "Sid": "EcrLogin",
                "Effect": "Allow",
                "Action": "ecr:GetAuthorizationToken",
                "Resource": "*",
            }
        )
    if repository_arn is not None:
        statements += [
            {
                "Sid": "PullOwnImages",
                "Effect": "Allow",
                "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                "Resource": repository_arn,
            },
        ]
    if sidecar_repository_arns:
        statements.append(
            {
                "Sid": "PullSidecarImages",
                "Effect": "Allow",
                "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                "Resource": list(sidecar_repository_arns),
            }
        )
    statements.append(
        {
            "Sid": "WriteOwnLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"{log_group_arn(region, account_id, log_group)}:log-stream:*",
        }
    )
    secret_arns = sorted({secret_arn_of(v) for v in secret_value_froms})
    if secret_arns:
        statements.append(
            {
                "Sid": "ReadInjectedSecrets",
                "Effect": "Allow",
                "Action": "secretsmanager:GetSecretValue",
                "Resource": secret_arns,
            }
        )
    if kms_key_arns:
        statements.append(
            {
                "Sid": "DecryptInjectedSecrets",
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": sorted(set(kms_key_arns)),
                "Condition": {"StringEquals": {"kms:ViaService": f"secretsmanager.{region}.amazonaws.com"}},
            }
        )
    return policy_document(statements)


def task_role_policy(region: str, grants: Sequence[BucketGrant], database_users: Sequence[str] = ()) -> Document | None:
    """Only what config grants: objects under one prefix per bucket, and IAM authentication as
    the named database users (``rds-db:connect`` on arn:aws:rds-db:...:dbuser:<resource id>/<user>).
    None when nothing is granted."""
    statements: list[Statement] = []
    if database_users:
        statements.append(
            {
                "Sid": "ConnectToTheDatabase",
                "Effect": "Allow",
                "Action": "rds-db:connect",
                "Resource": sorted(database_users),
            }
        )
    for index, grant in enumerate(grants):
        actions = ["s3:GetObject"]
        if grant.access == "read_write":
            actions += ["s3:PutObject", "s3:DeleteObject"]
        statements.append(
            {
                "Sid": f"Objects{index}",
                "Effect": "Allow",
                "Action": actions,
                "Resource": f"{grant.bucket_arn}/{grant.prefix}*",
            }
        )
        listing: Statement = {
            "Sid": f"List{index}",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": grant.bucket_arn,
        }
        if grant.prefix:
            # A listing without a prefix carries no s3:prefix key, so a whole-bucket grant has no
            # condition at all (StringLike "*" would deny exactly those listings).
            listing["Condition"] = {"StringLike": {"s3:prefix": [f"{grant.prefix}*"]}}
        statements.append(listing)
        if grant.kms_key_arn:
            kms_actions = ["kms:Decrypt"] + (["kms:GenerateDataKey"] if grant.access == "read_write" else [])
            statements.append(
                {
                    "Sid": f"BucketKey{index}",
                    "Effect": "Allow",
                    "Action": kms_actions,
                    "Resource": grant.kms_key_arn,
                    "Condition": {"StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"}},
                }
            )
    return policy_document(statements) if statements else None


def load_balancer_alarm_specs(
    *, name: str, load_balancer: Any, error_rate_percent: float, latency_seconds: float
) -> tuple[AlarmSpec, ...]:
    dims = {"LoadBalancer": load_balancer}
    return (
        AlarmSpec(
            "5xx-rate",
            f"{name}: more than {error_rate_percent} % of requests answered 5xx by the targets",
            "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "GreaterThanThreshold",
            error_rate_percent, statistic="Sum", ratio_denominator="RequestCount",
            treat_missing_data="notBreaching",
        ),
        AlarmSpec(
            "latency-p95",
            f"{name}: p95 target response time above {latency_seconds} s",
            "AWS/ApplicationELB", "TargetResponseTime", dims, "GreaterThanThreshold",
            latency_seconds, statistic="p95", treat_missing_data="notBreaching",
        ),
    )  # fmt: skip


def service_alarm_specs(
    *, cluster: str, service: str, cpu_percent: float = 80, memory_percent: float = 80
) -> tuple[AlarmSpec, ...]:
    dims = {"ClusterName": cluster, "ServiceName": service}
    return (
        AlarmSpec(
            "cpu-high", f"{service}: CPU above {cpu_percent:g} % for 15 minutes",
            "AWS/ECS", "CPUUtilization", dims, "GreaterThanThreshold", cpu_percent,
        ),
        AlarmSpec(
            "memory-high", f"{service}: memory above {memory_percent:g} % for 15 minutes",
            "AWS/ECS", "MemoryUtilization", dims, "GreaterThanThreshold", memory_percent,
        ),
    )  # fmt: skip
