"""RedisCache under mocks."""

from __future__ import annotations

import json
import re

import pulumi
import pulumi_aws as aws
import pytest

from components import RedisCache, RedisCacheArgs
from webstack.offline.plan_json import plan_document

from .helpers import ancestors, one, refusal, render

GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"


def cache_run(export: bool = False, **overrides):
    def program():
        app = aws.ec2.SecurityGroup("app", vpc_id="vpc-1", description="app tasks")
        cache = RedisCache(
            "cache",
            RedisCacheArgs(
                replication_group_id="acme-prod-cache",
                secret_name="acme-prod/cache/auth",
                vpc_id="vpc-1",
                subnet_ids=["subnet-a", "subnet-b"],
                client_security_group_ids=[app.id],
                **overrides,
            ),
        )
        if export:
            pulumi.export("endpoint", cache.primary_endpoint)
            pulumi.export("secretArn", cache.auth_secret_arn)

    return render(program, region="me-south-1")


def test_encrypted_at_rest_with_cmk_and_in_transit_required():
    run = cache_run()
    group = one(run, GROUP).inputs
    key = one(run, "aws:kms/key:Key")
    assert group["atRestEncryptionEnabled"] is True
    assert group["kmsKeyId"] == f"arn:aws:kms:me-south-1:123456789012:key/{key.id}"
    assert group["transitEncryptionEnabled"] is True
    assert group["transitEncryptionMode"] == "required"
    assert key.inputs["enableKeyRotation"] is True


def test_auth_token_is_generated_secret_and_stored_in_secrets_manager_with_the_cmk():
    run = cache_run()
    group = one(run, GROUP)
    assert "authToken" in group.secret_inputs
    assert group.inputs["authToken"] == "[secret]"
    assert group.inputs["authTokenUpdateStrategy"] == "ROTATE"
    token = one(run, "random:index/randomPassword:RandomPassword")
    assert token.inputs["length"] == 64 and token.inputs["special"] is False
    secret = one(run, "aws:secretsmanager/secret:Secret")
    assert secret.inputs["name"] == "acme-prod/cache/auth"
    assert secret.inputs["kmsKeyId"].endswith(one(run, "aws:kms/key:Key").id)
    version = one(run, "aws:secretsmanager/secretVersion:SecretVersion")
    assert version.inputs["secretId"] == secret.id
    assert version.secret_inputs == ["secretString"]


def test_token_value_never_reaches_outputs_or_the_plan():
    run = cache_run(export=True)
    token_value = run.states[one(run, "random:index/randomPassword:RandomPassword").urn]["result"]
    plan_text = json.dumps(plan_document(run)) + json.dumps(run.outputs)
    assert len(token_value) == 64
    assert token_value not in plan_text
    assert run.outputs["secretArn"].startswith("arn:aws:secretsmanager:me-south-1:123456789012:secret:")


def test_security_group_admits_6379_only_from_given_groups():
    run = cache_run()
    (rule,) = run.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert rule.inputs["referencedSecurityGroupId"] == run.named("app").id
    assert (rule.inputs["fromPort"], rule.inputs["toPort"]) == (6379, 6379)
    assert one(run, GROUP).inputs["securityGroupIds"] == [run.named("cache-sg").id]


def test_dev_single_node_without_failover():
    group = one(cache_run(), GROUP).inputs
    assert group["numCacheClusters"] == 1
    assert group["automaticFailoverEnabled"] is False
    assert group["multiAzEnabled"] is False


def test_prod_replica_with_failover_and_multi_az_and_snapshots():
    run = cache_run(replicas=1, automatic_failover=True, snapshot_retention_days=7, node_type="cache.t4g.small")
    group = one(run, GROUP).inputs
    assert group["numCacheClusters"] == 2
    assert group["automaticFailoverEnabled"] is True
    assert group["multiAzEnabled"] is True
    assert group["snapshotRetentionLimit"] == 7
    alarms = run.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    clusters = {a.inputs["dimensions"]["CacheClusterId"] for a in alarms}
    assert clusters == {"acme-prod-cache-001", "acme-prod-cache-002"}


def test_valkey_engine_option():
    group = one(cache_run(engine="valkey", engine_version="8.0"), GROUP).inputs
    assert (group["engine"], group["engineVersion"]) == ("valkey", "8.0")
    # The parameter group follows the engine family, so redis -> valkey upgrades in place.
    assert group["parameterGroupName"] == "default.valkey8"
    assert one(cache_run(), GROUP).inputs["parameterGroupName"] == "default.redis7"


def test_slow_and_engine_logs_go_to_encrypted_log_groups():
    run = cache_run(log_retention_days=14)
    delivery = one(run, GROUP).inputs["logDeliveryConfigurations"]
    groups = {g.inputs["name"]: g.inputs for g in run.of_type("aws:cloudwatch/logGroup:LogGroup")}
    assert {d["logType"] for d in delivery} == {"slow-log", "engine-log"}
    for d in delivery:
        assert d["destinationType"] == "cloudwatch-logs"
        assert groups[d["destination"]]["kmsKeyId"].startswith("arn:aws:kms:")
        assert groups[d["destination"]]["retentionInDays"] == 14


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"replicas": 1}, "replicas need automatic_failover"),
        ({"automatic_failover": True}, "at least one replica"),
    ],
)
def test_inconsistent_failover_is_refused(overrides, message):
    with pytest.raises(Exception, match=message):
        cache_run(**overrides)


def test_every_child_is_parented_to_the_component():
    run = cache_run()
    component = one(run, "webstack:data:RedisCache")
    for reg in run.registrations:
        if reg.custom and reg.name != "app":
            assert component in ancestors(run, reg), reg.urn


def test_snapshot_and_maintenance_windows_and_memory_alarm_threshold():
    # Seed 003: Redis snapshots 03:00-05:00 UTC; seed 004: alarm on Redis memory above 75 %.
    run = cache_run(snapshot_window="03:00-05:00", maintenance_window="mon:05:00-mon:06:00", memory_alarm_percent=75)
    group = one(run, GROUP).inputs
    assert (group["snapshotWindow"], group["maintenanceWindow"]) == ("03:00-05:00", "mon:05:00-mon:06:00")
    memory = [
        a.inputs
        for a in run.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
        if a.inputs["metricName"] == "DatabaseMemoryUsagePercentage"
    ]
    assert [m["threshold"] for m in memory] == [75]
    assert "75 %" in memory[0]["alarmDescription"]
    defaults = one(cache_run(), GROUP).inputs
    assert (defaults["snapshotWindow"], defaults["maintenanceWindow"]) == ("02:00-03:00", "sun:03:30-sun:04:30")


@pytest.mark.parametrize(
    ("windows", "message"),
    [
        ({"snapshot_window": "03:00-03:30"}, r"snapshot_window must be at least 60 minutes long \(got 30"),
        ({"maintenance_window": "sun:03:30-sun:04:00"}, r"maintenance_window must be at least 60 minutes"),
        ({"maintenance_window": "sunday 03:30"}, r"maintenance_window must be ddd:hh24:mi-ddd:hh24:mi"),
        ({"snapshot_window": "03:00-05:00"}, r"snapshot_window 03:00-05:00 overlaps sun:03:30-sun:04:30 on sun"),
    ],
)
def test_windows_elasticache_would_refuse_are_refused_before_anything_is_registered(windows, message):
    def build():
        RedisCache(
            "cache",
            RedisCacheArgs(
                replication_group_id="x-cache", secret_name="x/cache", vpc_id="v", subnet_ids=["a"], **windows
            ),
        )

    assert re.search(message, refusal(build))
