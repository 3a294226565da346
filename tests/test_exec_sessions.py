"""ECS Exec, opt-in per service: the cluster's session encryption and logging, the task role's
exec permissions, and nothing of it for services that leave it off."""

from __future__ import annotations

import json

from components import ServiceSpec
from components.exec_sessions import (
    AGENT_WRITABLE_PATHS,
    SESSION_CHANNEL_ACTIONS,
    exec_log_group_name,
    exec_task_policy,
)

from .helpers import document, one, statements
from .test_fargate_api import api_run

GROUP = "/ecs/acme-prod-api/exec-sessions"


def key_of(run):
    """The component's CMK (as the service's own log group names it)."""
    return run.named("api-logs").inputs["kmsKeyId"]


def test_off_by_default_no_cluster_configuration_no_exec_policy_no_log_group():
    run = api_run()
    assert "configuration" not in one(run, "aws:ecs/cluster:Cluster").inputs
    assert one(run, "aws:ecs/service:Service").inputs["enableExecuteCommand"] is False
    assert [r.name for r in run.of_type("aws:iam/rolePolicy:RolePolicy") if r.name.endswith("exec-policy")] == []
    assert [g.inputs["name"] for g in run.of_type("aws:cloudwatch/logGroup:LogGroup")] == ["/ecs/acme-prod-api"]


def test_a_service_with_exec_gets_an_encrypted_logged_cluster_configuration():
    run = api_run(exec_enabled=True)
    key_arn = key_of(run)
    exec_config = one(run, "aws:ecs/cluster:Cluster").inputs["configuration"]["executeCommandConfiguration"]
    assert exec_config == {
        "kmsKeyId": key_arn,
        "logging": "OVERRIDE",
        "logConfiguration": {"cloudWatchLogGroupName": GROUP, "cloudWatchEncryptionEnabled": True},
    }
    group = run.named("api-exec-logs").inputs
    assert group["name"] == GROUP and group["kmsKeyId"] == key_arn and group["retentionInDays"] == 30
    assert one(run, "aws:ecs/service:Service").inputs["enableExecuteCommand"] is True


def test_the_task_role_gets_only_the_channels_the_key_and_the_session_log_group():
    run = api_run(exec_enabled=True)
    policy = {s["Sid"]: s for s in statements(document(run.named("api-exec-policy"), "policy"))}
    assert policy["ExecSessionChannels"] == {
        "Sid": "ExecSessionChannels", "Effect": "Allow", "Action": list(SESSION_CHANNEL_ACTIONS), "Resource": "*"
    }  # fmt: skip
    assert policy["ExecSessionKey"]["Action"] == "kms:Decrypt"
    assert policy["ExecSessionKey"]["Resource"] == key_of(run)
    arn = f"arn:aws:logs:me-south-1:123456789012:log-group:{GROUP}"
    assert policy["ExecWriteSessionLogs"]["Resource"] == [arn, f"{arn}:log-stream:*"]
    assert policy["ExecFindLogGroup"] == {
        "Sid": "ExecFindLogGroup", "Effect": "Allow", "Action": "logs:DescribeLogGroups", "Resource": "*"
    }  # fmt: skip
    # The application's own policy is untouched.
    assert all(not s["Sid"].startswith("Exec") for s in statements(document(run.named("api-task-policy"), "policy")))


def test_the_agent_gets_writable_volumes_and_the_root_file_system_stays_read_only():
    """AWS documents ECS Exec as unsupported with a read-only root; the reported workaround is a
    writable task volume on each path the managed agent writes."""
    run = api_run(exec_enabled=True)
    task = one(run, "aws:ecs/taskDefinition:TaskDefinition").inputs
    assert task["volumes"] == [{"name": "tmp"}, *({"name": v} for v in AGENT_WRITABLE_PATHS)]
    (container,) = json.loads(task["containerDefinitions"])
    assert container["readonlyRootFilesystem"] is True
    assert {m["containerPath"]: m["readOnly"] for m in container["mountPoints"]} == {
        "/tmp": False, "/managed-agents": False, "/var/lib/amazon/ssm": False, "/var/log/amazon/ssm": False
    }  # fmt: skip
    off = one(api_run(), "aws:ecs/taskDefinition:TaskDefinition").inputs
    assert off["volumes"] == [{"name": "tmp"}]


def test_only_the_services_that_opt_in_get_exec():
    worker = ServiceSpec(name="worker", route=None)
    run = api_run(extra_services=(worker,), exec_enabled=True)
    services = {s.inputs["name"]: s.inputs for s in run.of_type("aws:ecs/service:Service")}
    assert services["acme-prod-api"]["enableExecuteCommand"] is True
    assert services["acme-prod-worker"]["enableExecuteCommand"] is False
    policies = {r.name for r in run.of_type("aws:iam/rolePolicy:RolePolicy")}
    assert "api-exec-policy" in policies and "api-worker-exec-policy" not in policies


def test_the_key_lets_cloudwatch_logs_encrypt_the_session_log_group():
    """The component key's CloudWatch Logs grant is for /ecs/<prefix>-*, which covers the group."""
    run = api_run(exec_enabled=True)
    key_policy = json.loads(run.named("api-key").inputs["policy"])
    logs = next(s for s in key_policy["Statement"] if s.get("Sid") == "CloudWatchLogsEncryption")
    pattern = logs["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]
    import fnmatch  # noqa: PLC0415

    assert fnmatch.fnmatchcase(f"arn:aws:logs:me-south-1:123456789012:log-group:{GROUP}", pattern)


def test_session_log_group_never_collides_with_a_service_log_group():
    assert exec_log_group_name("acme", "api") == "/ecs/acme-api/exec-sessions"
    doc = exec_task_policy(region="eu-west-1", account_id="1", kms_key_arn="k", log_group="/g")
    assert [s["Sid"] for s in doc["Statement"]] == [
        "ExecSessionChannels", "ExecSessionKey", "ExecFindLogGroup", "ExecWriteSessionLogs"
    ]  # fmt: skip
