"""ECS Exec for the services that opt in: sessions encrypted with the cluster's CMK and logged to
an encrypted CloudWatch log group; the task role gets only what the SSM agent in the task needs.

AWS (ECS Developer Guide, "Monitor Amazon ECS containers with ECS Exec"): the cluster's
``executeCommandConfiguration`` names the KMS key that encrypts the data channel between the client
and the container, and with ``logging: OVERRIDE`` where each session's output goes; with
``cloudWatchEncryptionEnabled`` the agent refuses to log into a group that is not encrypted.
The task role must open the Session Manager channels (``ssmmessages:*Channel``, which have no
resource-level permissions: ``"Resource": "*"`` only), decrypt with the key, find the log group
(``logs:DescribeLogGroups`` also works only on ``"*"``) and write streams into it.
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from .aws_context import AwsContext
from .iam_documents import Document, log_group_arn, policy_document
from .log_groups import encrypted_log_group

SESSION_CHANNEL_ACTIONS = (
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
)


# Where ECS's managed agent (the SSM agent) writes inside the container. AWS documents ECS Exec as
# unsupported with readonlyRootFilesystem; the workaround reported on aws/containers-roadmap#1359
# and amazon-ecs-exec-checker#71 is a writable task volume on each of these paths, which keeps the
# rest of the root file system read-only. Volume name -> path.
AGENT_WRITABLE_PATHS = {
    "exec-managed-agents": "/managed-agents",
    "exec-ssm-state": "/var/lib/amazon/ssm",
    "exec-ssm-logs": "/var/log/amazon/ssm",
}


def exec_log_group_name(prefix: str, component: str) -> str:
    """Where the sessions of a FargateApi's services are logged. Under ``/ecs/<prefix>-`` so that
    the component key's CloudWatch Logs grant covers it; a service name has no "/", so it never
    collides with a service's own ``/ecs/<prefix>-<service>``."""
    return f"/ecs/{prefix}-{component}/exec-sessions"


def cluster_exec_configuration(kms_key_arn: pulumi.Input[str], log_group_name: pulumi.Input[str]) -> dict[str, Any]:
    """The cluster's ``configuration``: sessions encrypted with the key, output logged (OVERRIDE) to
    the encrypted group."""
    return {
        "execute_command_configuration": {
            "kms_key_id": kms_key_arn,
            "logging": "OVERRIDE",
            "log_configuration": {
                "cloud_watch_log_group_name": log_group_name,
                "cloud_watch_encryption_enabled": True,
            },
        }
    }


def exec_task_policy(*, region: str, account_id: str, kms_key_arn: str, log_group: str) -> Document:
    """What the SSM agent in an exec-enabled task does with the task role's credentials."""
    group = log_group_arn(region, account_id, log_group)
    return policy_document(
        [
            {
                # The Session Manager channel actions have no resource-level permissions.
                "Sid": "ExecSessionChannels",
                "Effect": "Allow",
                "Action": list(SESSION_CHANNEL_ACTIONS),
                "Resource": "*",
            },
            {
                "Sid": "ExecSessionKey",
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": kms_key_arn,
            },
            {
                # The agent checks that the log group exists; DescribeLogGroups works on "*" only.
                "Sid": "ExecFindLogGroup",
                "Effect": "Allow",
                "Action": "logs:DescribeLogGroups",
                "Resource": "*",
            },
            {
                "Sid": "ExecWriteSessionLogs",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                "Resource": [group, f"{group}:log-stream:*"],
            },
        ]
    )


def exec_log_group(
    name: str, *, prefix: str, component: str, key: aws.kms.Key, retention_days: int, parent: pulumi.Resource
) -> aws.cloudwatch.LogGroup:
    return encrypted_log_group(
        name,
        log_group_name=exec_log_group_name(prefix, component),
        key=key,
        retention_days=retention_days,
        parent=parent,
    )


def exec_role_policy(
    name: str,
    *,
    role: aws.iam.Role,
    context: AwsContext,
    key: aws.kms.Key,
    log_group: str,
    parent: pulumi.Resource,
) -> aws.iam.RolePolicy:
    """The task role's exec permissions, as a policy of their own beside what the application may do."""
    return aws.iam.RolePolicy(
        name,
        role=role.id,
        policy=pulumi.Output.all(context.region, context.account_id, key.arn).apply(
            lambda v: json.dumps(exec_task_policy(region=v[0], account_id=v[1], kms_key_arn=v[2], log_group=log_group))
        ),
        opts=pulumi.ResourceOptions(parent=parent),
    )
