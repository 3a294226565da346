"""The database users services log in as with IAM authentication, and the one-off ECS task that
creates them (the master user is the only one RDS creates, and nothing else reaches the isolated
subnets to run SQL).

The services never see a password: RDS rotates the master secret (every 7 days by default) and
ECS reads secrets only when a task starts, so an injected password stops working under running
tasks. An IAM authentication token is made per connection instead (valid 15 minutes to open one).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from .api_settings import execution_role_policy
from .aws_context import AwsContext
from .log_groups import awslogs_configuration, encrypted_log_group
from .service_role import ecs_task_trust_policy

CONTAINER = "psql"
# The postgres image's own postgres user (uid 70 in the Alpine images): psql needs no root.
CONTAINER_USER = "70:70"


def bootstrap_image(engine_version: str) -> str:
    """The official PostgreSQL client of the engine's major version, from ECR Public (through the
    NAT; with nat: none, push a copy to a private repository and name it instead)."""
    return f"public.ecr.aws/docker/library/postgres:{engine_version.split('.', maxsplit=1)[0]}-alpine"


# PostgreSQL identifiers the SQL below may quote as they are (no quotes, no case folding).
SAFE_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def iam_user_sql(database: str, users: Sequence[str]) -> str:
    """Idempotent SQL that lets each user log in with IAM authentication (membership of rds_iam)
    and own what it creates in ``database``: safe to run after every deploy."""
    for identifier in (database, *users):
        if not SAFE_IDENTIFIER.fullmatch(identifier):
            raise ValueError(f"{identifier!r} is not a plain PostgreSQL name ({SAFE_IDENTIFIER.pattern})")
    statements = []
    for user in users:
        statements += [
            f"DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{user}') "
            f'THEN CREATE ROLE "{user}" LOGIN; END IF; END$$;',
            f'GRANT rds_iam TO "{user}";',
            f'GRANT CONNECT, CREATE, TEMPORARY ON DATABASE "{database}" TO "{user}";',
            f'GRANT USAGE, CREATE ON SCHEMA public TO "{user}";',
        ]
    return " ".join(statements)


def bootstrap_container(
    *, image: str, host: str, port: int, database: str, master_secret_arn: str, users: Sequence[str], region: str,
    log_group: str,
) -> list[dict[str, Any]]:  # fmt: skip
    """psql as the master user (credentials injected from the RDS-managed secret), over TLS."""
    return [
        {
            "name": CONTAINER,
            "image": image,
            "essential": True,
            "user": CONTAINER_USER,
            "readonlyRootFilesystem": True,
            "command": ["psql", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "-c", iam_user_sql(database, users)],
            "environment": [
                {"name": "PGHOST", "value": host},
                {"name": "PGPORT", "value": str(port)},
                {"name": "PGDATABASE", "value": database},
                {"name": "PGSSLMODE", "value": "require"},
            ],
            "secrets": [
                {"name": "PGUSER", "valueFrom": f"{master_secret_arn}:username::"},
                {"name": "PGPASSWORD", "valueFrom": f"{master_secret_arn}:password::"},
            ],
            "logConfiguration": awslogs_configuration(log_group, region, "ecs"),
        }
    ]


def bootstrap_log_group(identifier: str) -> str:
    return f"/ecs/{identifier}-users"


@dataclass(frozen=True)
class UsersTask:
    """Where the database's one-off task lives; run it in subnets and a security group the
    database admits (the API's tasks)."""

    task_definition_arn: pulumi.Output[str]
    family: str


def users_task(
    name: str,
    *,
    identifier: str,
    engine_version: str,
    image: str | None,
    host: pulumi.Input[str],
    port: int,
    database: str,
    users: Sequence[str],
    master_secret_arn: pulumi.Input[str],
    key: aws.kms.Key,
    log_retention_days: int,
    context: AwsContext,
    parent: pulumi.Resource,
) -> UsersTask:
    """The task definition, its execution role (the master secret, its key and its own log group,
    nothing else) and its encrypted log group. It has no task role: psql calls no AWS API."""
    child = pulumi.ResourceOptions(parent=parent)
    family = f"{identifier}-users"
    logs = bootstrap_log_group(identifier)
    log_group = encrypted_log_group(
        f"{name}-logs", log_group_name=logs, key=key, retention_days=log_retention_days, parent=parent
    )
    role = aws.iam.Role(
        f"{name}-execution-role",
        description=f"{identifier}: create the IAM-authenticated users with the master secret",
        assume_role_policy=ecs_task_trust_policy(context),
        opts=child,
    )
    aws.iam.RolePolicy(
        f"{name}-execution-policy",
        role=role.id,
        policy=pulumi.Output.all(context.region, context.account_id, master_secret_arn, key.arn).apply(
            lambda v: json.dumps(
                execution_role_policy(
                    region=v[0],
                    account_id=v[1],
                    repository_arn=None,
                    log_group=logs,
                    secret_value_froms=[v[2]],
                    kms_key_arns=[v[3]],
                )
            )
        ),
        opts=child,
    )
    definition = aws.ecs.TaskDefinition(
        f"{name}-task",
        family=family,
        network_mode="awsvpc",
        requires_compatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        runtime_platform={"cpu_architecture": "ARM64", "operating_system_family": "LINUX"},
        execution_role_arn=role.arn,
        container_definitions=pulumi.Output.all(host, master_secret_arn, context.region).apply(
            lambda v: json.dumps(
                bootstrap_container(
                    image=image or bootstrap_image(engine_version),
                    host=v[0],
                    port=port,
                    database=database,
                    master_secret_arn=v[1],
                    users=users,
                    region=v[2],
                    log_group=logs,
                )
            )
        ),
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[log_group]),
    )
    return UsersTask(definition.arn, family)
