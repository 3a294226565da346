"""ManagedPostgres under mocks."""

from __future__ import annotations

import json
import re

import pulumi
import pulumi_aws as aws
import pytest

from components import ManagedPostgres, ManagedPostgresArgs

from .helpers import ancestors, as_list, document, one, refusal, render, statements

INSTANCE = "aws:rds/instance:Instance"


def postgres_run(**overrides):
    def program():
        app = pulumi_aws_sg("app")
        worker = pulumi_aws_sg("worker")
        args = ManagedPostgresArgs(
            identifier="acme-prod-db",
            vpc_id="vpc-123",
            subnet_ids=["subnet-a", "subnet-b"],
            client_security_group_ids=[app.id, worker.id],
            **overrides,
        )
        ManagedPostgres("database", args)

    return render(program, region="me-south-1")


def pulumi_aws_sg(name):
    return aws.ec2.SecurityGroup(name, vpc_id="vpc-123", description=f"{name} tasks")


def primary(run):
    return run.named("database-primary")


def test_security_group_admits_5432_only_from_the_given_groups():
    run = postgres_run()
    db_sg = run.named("database-sg")
    sources = {run.named("app").id, run.named("worker").id}
    rules = [r for r in run.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")]
    assert {r.inputs["referencedSecurityGroupId"] for r in rules} == sources
    for rule in rules:
        assert rule.inputs["securityGroupId"] == db_sg.id
        assert (rule.inputs["ipProtocol"], rule.inputs["fromPort"], rule.inputs["toPort"]) == (
            "tcp",
            5432,
            5432,
        )
        assert "cidrIpv4" not in rule.inputs and "cidrIpv6" not in rule.inputs
    assert "ingress" not in db_sg.inputs and "egress" not in db_sg.inputs
    assert run.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule") == []
    assert primary(run).inputs["vpcSecurityGroupIds"] == [db_sg.id]


def test_storage_is_gp3_encrypted_with_the_components_rotating_cmk_and_autoscales():
    run = postgres_run()
    key = one(run, "aws:kms/key:Key")
    key_arn = f"arn:aws:kms:me-south-1:123456789012:key/{key.id}"
    db = primary(run).inputs
    assert db["storageEncrypted"] is True
    assert db["kmsKeyId"] == key_arn
    assert db["storageType"] == "gp3"
    assert (db["allocatedStorage"], db["maxAllocatedStorage"]) == (20, 100)
    assert key.inputs["enableKeyRotation"] is True
    assert db["performanceInsightsEnabled"] is True
    assert db["performanceInsightsKmsKeyId"] == key_arn


def test_master_password_is_managed_by_rds_in_secrets_manager_with_the_cmk():
    run = postgres_run()
    db = primary(run).inputs
    assert db["manageMasterUserPassword"] is True
    assert db["masterUserSecretKmsKeyId"].endswith(one(run, "aws:kms/key:Key").id)
    assert "password" not in db and "passwordWo" not in db


def test_private_tls_only_with_iam_auth_monitoring_and_log_exports():
    run = postgres_run()
    db = primary(run).inputs
    assert db["publiclyAccessible"] is False
    assert db["iamDatabaseAuthenticationEnabled"] is True
    assert db["monitoringInterval"] == 60
    assert db["enabledCloudwatchLogsExports"] == ["postgresql", "upgrade"]
    assert db["engine"] == "postgres" and db["engineVersion"] == "15"
    params = one(run, "aws:rds/parameterGroup:ParameterGroup")
    assert params.inputs["family"] == "postgres15"
    values = {p["name"]: p["value"] for p in params.inputs["parameters"]}
    assert values["rds.force_ssl"] == "1"
    assert values["log_min_duration_statement"] == "1000"
    assert db["parameterGroupName"] == params.id
    subnets = one(run, "aws:rds/subnetGroup:SubnetGroup")
    assert subnets.inputs["subnetIds"] == ["subnet-a", "subnet-b"]
    assert db["dbSubnetGroupName"] == subnets.id


def test_log_groups_exist_before_rds_creates_them_encrypted_and_retained():
    run = postgres_run(log_retention_days=90)
    groups = {g.inputs["name"]: g for g in run.of_type("aws:cloudwatch/logGroup:LogGroup")}
    assert set(groups) == {
        "/aws/rds/instance/acme-prod-db/postgresql",
        "/aws/rds/instance/acme-prod-db/upgrade",
    }
    for group in groups.values():
        assert group.inputs["retentionInDays"] == 90
        assert group.inputs["kmsKeyId"].startswith("arn:aws:kms:me-south-1:")
        assert group.urn in primary(run).dependencies


def test_monitoring_role_is_inline_least_privilege_not_an_aws_managed_policy():
    run = postgres_run()
    role = one(run, "aws:iam/role:Role")
    (trust,) = statements(document(role, "assumeRolePolicy"))
    assert trust["Principal"] == {"Service": "monitoring.rds.amazonaws.com"}
    assert trust["Condition"]["ArnLike"]["aws:SourceArn"] == "arn:aws:rds:me-south-1:123456789012:db:acme-prod-db*"
    assert run.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment") == []
    assert "managedPolicyArns" not in role.inputs
    policy = one(run, "aws:iam/rolePolicy:RolePolicy")
    for statement in statements(document(policy, "policy")):
        assert all(":*:" not in r for r in as_list(statement["Resource"]))
        assert all(not a.endswith(":*") for a in as_list(statement["Action"]))


def test_dev_defaults_single_az_short_backups_no_protection():
    run = postgres_run(multi_az=False, backup_retention_days=7, deletion_protection=False, final_snapshot=False)
    db = primary(run)
    assert db.inputs["multiAz"] is False
    assert db.inputs["backupRetentionPeriod"] == 7
    assert db.inputs["deletionProtection"] is False
    assert db.inputs["skipFinalSnapshot"] is True
    assert db.protect is False


def test_prod_settings_multi_az_30_day_backups_protection_and_final_snapshot():
    run = postgres_run(multi_az=True, backup_retention_days=30, deletion_protection=True, final_snapshot=True)
    db = primary(run)
    assert db.inputs["multiAz"] is True
    assert db.inputs["backupRetentionPeriod"] == 30
    assert db.inputs["deletionProtection"] is True
    assert db.inputs["skipFinalSnapshot"] is False
    assert db.inputs["finalSnapshotIdentifier"] == "acme-prod-db-final"
    assert db.inputs["copyTagsToSnapshot"] is True
    assert db.protect is True


def test_read_replica_follows_the_primary_and_is_encrypted_and_private():
    run = postgres_run(read_replicas=1)
    replica = run.named("database-replica-0")
    assert replica.inputs["replicateSourceDb"] == "acme-prod-db"
    assert replica.inputs["identifier"] == "acme-prod-db-replica-1"
    assert replica.inputs["storageEncrypted"] is True
    assert replica.inputs["publiclyAccessible"] is False
    assert "manageMasterUserPassword" not in replica.inputs
    names = {g.inputs["name"] for g in run.of_type("aws:cloudwatch/logGroup:LogGroup")}
    assert "/aws/rds/instance/acme-prod-db-replica-1/postgresql" in names


def test_alarms_cpu_storage_connections_to_the_given_topic():
    topic = "arn:aws:sns:me-south-1:123456789012:alerts"
    run = postgres_run(instance_class="db.t4g.small", alarm_actions=[topic])
    alarms = {a.inputs["metricName"]: a.inputs for a in run.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")}
    assert set(alarms) == {"CPUUtilization", "FreeStorageSpace", "DatabaseConnections"}
    assert alarms["CPUUtilization"]["threshold"] == 80
    assert alarms["FreeStorageSpace"]["threshold"] == pytest.approx(0.2 * 20 * 1024**3)
    assert alarms["DatabaseConnections"]["threshold"] == int(int(2 * 0.9 * 2**30 / 9531392) * 0.8)
    for alarm in alarms.values():
        assert alarm["dimensions"] == {"DBInstanceIdentifier": "acme-prod-db"}
        assert alarm["alarmActions"] == [topic]


def test_unknown_instance_class_without_connection_threshold_is_refused():
    with pytest.raises(Exception, match=r"max_connections_alarm is required for db\.q9\.large"):
        postgres_run(instance_class="db.q9.large")


def test_every_child_is_parented_to_the_component():
    run = postgres_run(read_replicas=1)
    component = one(run, "webstack:data:ManagedPostgres")
    for reg in run.registrations:
        if reg.custom and reg.name not in ("app", "worker"):
            assert component in ancestors(run, reg), reg.urn


def test_master_secret_arn_comes_from_rds():
    def program():
        db = ManagedPostgres("database", ManagedPostgresArgs(identifier="x-db", vpc_id="vpc-1", subnet_ids=["a", "b"]))
        pulumi.export("arn", db.master_secret_arn)

    run = render(program)
    assert run.outputs["arn"].startswith("arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-")


def test_schedule_stops_and_starts_the_instance_with_a_role_for_that_instance_only():
    run = postgres_run(schedule=("MON-FRI", 5, 18))
    registered = run.of_type("aws:scheduler/schedule:Schedule")
    schedules = {s.inputs["name"]: s.inputs for s in registered}
    assert set(schedules) == {"acme-prod-db-start", "acme-prod-db-stop"}
    start, stop = schedules["acme-prod-db-start"], schedules["acme-prod-db-stop"]
    assert start["scheduleExpression"] == "cron(0 5 ? * MON-FRI *)"
    assert stop["scheduleExpression"] == "cron(0 18 ? * MON-FRI *)"
    assert start["scheduleExpressionTimezone"] == stop["scheduleExpressionTimezone"] == "UTC"
    assert start["target"]["arn"] == "arn:aws:scheduler:::aws-sdk:rds:startDBInstance"
    assert stop["target"]["arn"] == "arn:aws:scheduler:::aws-sdk:rds:stopDBInstance"
    assert json.loads(start["target"]["input"]) == {"DbInstanceIdentifier": "acme-prod-db"}
    role = run.named("database-scheduler-role")
    assert all(s.property_dependencies["target"] == [role.urn] for s in registered)
    (trust,) = statements(document(role, "assumeRolePolicy"))
    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
    # Scheduler presents the schedule group as the source (never the schedule).
    group = one(run, "aws:scheduler/scheduleGroup:ScheduleGroup")
    assert group.inputs["name"] == "acme-prod-db"
    assert {s.inputs["groupName"] for s in registered} == {"acme-prod-db"}
    assert trust["Condition"]["ArnLike"]["aws:SourceArn"] == (
        "arn:aws:scheduler:me-south-1:123456789012:schedule-group/acme-prod-db"
    )
    grant, decrypt = statements(document(run.named("database-scheduler-role-policy"), "policy"))
    assert sorted(grant["Action"]) == ["rds:StartDBInstance", "rds:StopDBInstance"]
    assert grant["Resource"] == "arn:aws:rds:me-south-1:123456789012:db:acme-prod-db"
    # The schedules are encrypted with the database's own key, which only this role decrypts.
    key = one(run, "aws:kms/key:Key")
    key_arn = run.states[key.urn]["arn"]
    assert {s.inputs["kmsKeyArn"] for s in registered} == {key_arn}
    assert (decrypt["Action"], decrypt["Resource"]) == ("kms:Decrypt", key_arn)


def test_a_scheduled_instance_backs_up_and_is_maintained_while_it_runs_and_reports_failed_schedules():
    topic = "arn:aws:sns:me-south-1:123456789012:alerts"
    run = postgres_run(schedule=("MON-FRI", 5, 18), alarm_actions=[topic])
    db = primary(run).inputs
    assert db["backupWindow"] == "06:00-06:30"
    assert db["maintenanceWindow"] == "wed:07:00-wed:07:30"
    alarms = {a.inputs["metricName"]: a.inputs for a in run.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")}
    dropped = alarms["InvocationDroppedCount"]
    assert dropped["namespace"] == "AWS/Scheduler" and dropped["dimensions"] == {"ScheduleGroup": "acme-prod-db"}
    assert dropped["alarmActions"] == [topic] and dropped["comparisonOperator"] == "GreaterThanThreshold"
    always_on = primary(postgres_run()).inputs
    assert (always_on["backupWindow"], always_on["maintenanceWindow"]) == ("02:00-03:00", "sun:03:30-sun:04:30")


def test_no_schedule_no_scheduler_resources():
    run = postgres_run()
    assert run.of_type("aws:scheduler/schedule:Schedule") == []
    assert [r.name for r in run.of_type("aws:iam/role:Role") if "scheduler" in r.name] == []


@pytest.mark.parametrize(("schedule", "missing"), [(None, "missing"), (("MON-FRI", 5, 18), "ignore")])
def test_alarms_of_a_scheduled_instance_keep_their_state_while_it_is_stopped(schedule, missing):
    run = postgres_run(schedule=schedule)
    alarms = [a for a in run.of_type("aws:cloudwatch/metricAlarm:MetricAlarm") if a.inputs["namespace"] == "AWS/RDS"]
    assert alarms and {a.inputs["treatMissingData"] for a in alarms} == {missing}


def test_iam_users_get_a_one_off_task_that_reads_only_the_master_secret():
    run = postgres_run(iam_users=["app"])
    (definition,) = run.of_type("aws:ecs/taskDefinition:TaskDefinition")
    assert definition.inputs["family"] == "acme-prod-db-users"
    assert "taskRoleArn" not in definition.inputs  # psql calls no AWS API
    (container,) = json.loads(definition.inputs["containerDefinitions"])
    assert container["image"] == "public.ecr.aws/docker/library/postgres:15-alpine"
    assert container["user"] == "70:70" and container["readonlyRootFilesystem"] is True
    master = run.states[primary(run).urn]["masterUserSecrets"][0]["secretArn"]
    assert container["secrets"] == [
        {"name": "PGUSER", "valueFrom": f"{master}:username::"},
        {"name": "PGPASSWORD", "valueFrom": f"{master}:password::"},
    ]
    environment = {e["name"]: e["value"] for e in container["environment"]}
    assert environment["PGSSLMODE"] == "require" and environment["PGDATABASE"] == "app"
    assert 'GRANT rds_iam TO "app"' in container["command"][-1]
    assert container["logConfiguration"]["options"]["awslogs-group"] == "/ecs/acme-prod-db-users"
    policy = {s["Sid"]: s for s in statements(document(run.named("database-users-execution-policy"), "policy"))}
    assert set(policy) == {"WriteOwnLogs", "ReadInjectedSecrets", "DecryptInjectedSecrets"}
    assert policy["ReadInjectedSecrets"]["Resource"] == [master]
    key_arn = run.states[one(run, "aws:kms/key:Key").urn]["arn"]
    assert policy["DecryptInjectedSecrets"]["Resource"] == [key_arn]
    # Its log group is encrypted with the database key, whose policy lets CloudWatch Logs use it.
    logs = run.named("database-users-logs").inputs
    assert logs["name"] == "/ecs/acme-prod-db-users" and logs["kmsKeyId"] == key_arn
    logs_grant = next(s for s in statements(document(one(run, "aws:kms/key:Key"), "policy")) if "Service" in str(s))
    assert any(a.endswith(":log-group:/ecs/acme-prod-db-users") for a in as_list(
        logs_grant["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]
    ))  # fmt: skip


def test_no_iam_users_no_task():
    assert postgres_run().of_type("aws:ecs/taskDefinition:TaskDefinition") == []


def test_performance_insights_keeps_the_free_week_unless_told_longer():
    assert primary(postgres_run()).inputs["performanceInsightsRetentionPeriod"] == 7
    longer = primary(postgres_run(performance_insights_retention_days=31)).inputs
    assert longer["performanceInsightsRetentionPeriod"] == 31
    off = primary(postgres_run(performance_insights=False)).inputs
    assert "performanceInsightsRetentionPeriod" not in off


def test_backup_and_maintenance_windows_given_are_sent_as_given():
    # Seed 003: backups 03:00-04:00 UTC, maintenance Monday 04:00-05:00 UTC (touching, not overlapping).
    run = postgres_run(backup_window="03:00-04:00", maintenance_window="mon:04:00-mon:05:00", read_replicas=1)
    for name in ("database-primary", "database-replica-0"):
        db = run.named(name).inputs
        assert (db["backupWindow"], db["maintenanceWindow"]) == ("03:00-04:00", "mon:04:00-mon:05:00")
    # One window given: the other is still the computed one.
    db = primary(postgres_run(maintenance_window="tue:22:00-tue:23:00", schedule=None)).inputs
    assert (db["backupWindow"], db["maintenanceWindow"]) == ("02:00-03:00", "tue:22:00-tue:23:00")


@pytest.mark.parametrize(
    ("windows", "message"),
    [
        ({"backup_window": "3:00-4:00"}, r"backup_window must be hh24:mi-hh24:mi"),
        ({"backup_window": "03:00-03:15"}, r"backup_window must be at least 30 minutes long \(got 15"),
        ({"maintenance_window": "Mon:04:00-Mon:05:00"}, r"maintenance_window must be ddd:hh24:mi-ddd:hh24:mi"),
        ({"maintenance_window": "mon:04:00-mon:04:20"}, r"maintenance_window must be at least 30 minutes"),
        # The default maintenance window (sun:03:30-sun:04:30) meets a 03:00-04:00 backup on Sunday.
        ({"backup_window": "03:00-04:00"}, r"backup_window 03:00-04:00 overlaps sun:03:30-sun:04:30 on sun"),
        (
            {"backup_window": "23:30-00:30", "maintenance_window": "sun:00:00-sun:01:00"},
            r"overlaps sun:00:00-sun:01:00 on sat",
        ),
    ],
)
def test_windows_rds_would_refuse_are_refused_before_anything_is_registered(windows, message):
    def build():
        ManagedPostgres(
            "database", ManagedPostgresArgs(identifier="x-db", vpc_id="v", subnet_ids=["a", "b"], **windows)
        )

    assert re.search(message, refusal(build))
