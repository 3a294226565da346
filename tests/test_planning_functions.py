"""Pure planning functions: parameters, names, thresholds, IAM documents."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from components.aws_text import ec2_description, tag_value
from components.cache_settings import cache_alarm_specs, default_parameter_group, log_group_name, member_cluster_ids
from components.database_users import iam_user_sql
from components.iam_documents import (
    alarm_topic_policy,
    key_policy,
    log_delivery_policy,
    logs_key_statement,
    rds_enhanced_monitoring_policy,
    service_trust_policy,
)
from components.nat_instance_settings import nat_user_data
from components.postgres_settings import (
    estimated_max_connections,
    instance_memory_gib,
    log_group_names,
    parameter_family,
    postgres_alarm_specs,
    postgres_parameters,
)


@pytest.mark.parametrize(
    ("instance_class", "gib"),
    [
        ("db.t4g.micro", 1),
        ("db.t3.small", 2),
        ("db.t4g.medium", 4),
        ("db.m7g.large", 8),
        ("db.m6i.2xlarge", 32),
        ("db.r6g.large", 16),
        ("db.r7g.4xlarge", 128),
        ("db.x2g.large", 32),  # from the table of offered classes
        ("db.r8g.48xlarge", 1536),
        ("db.m9z.2xlarge", 32),  # newer than the table: worked out for the m family
        ("db.t4g.nano", None),
    ],
)
def test_instance_memory(instance_class, gib):
    assert instance_memory_gib(instance_class) == gib


def test_max_connections_follows_the_rds_formula_and_caps_at_5000():
    assert estimated_max_connections("db.t4g.micro") == 101
    assert estimated_max_connections("db.r7g.16xlarge") == 5000
    assert estimated_max_connections("db.z1d.large") is None


def test_parameters_force_tls_and_log_slow_statements():
    params = {p.name: p for p in postgres_parameters()}
    assert params["rds.force_ssl"].value == "1"
    assert params["ssl_min_protocol_version"].value == "TLSv1.2"
    # Static in some families: only pending-reboot is accepted for every parameter kind.
    for name in ("rds.force_ssl", "ssl_min_protocol_version", "shared_preload_libraries"):
        assert params[name].apply_method == "pending-reboot"
    assert parameter_family("16") == "postgres16"


def test_names():
    assert log_group_names("a-db") == ("/aws/rds/instance/a-db/postgresql", "/aws/rds/instance/a-db/upgrade")
    assert member_cluster_ids("a-cache", 2) == ("a-cache-001", "a-cache-002")
    assert log_group_name("a-cache", "slow-log") == "/aws/elasticache/a-cache/slow-log"


def test_alarm_specs():
    specs = {s.metric: s for s in postgres_alarm_specs("a-db", 50, 100)}
    assert specs["FreeStorageSpace"].threshold == 50 * 0.2 * 1024**3
    assert specs["FreeStorageSpace"].comparison == "LessThanThreshold"
    assert specs["DatabaseConnections"].threshold == 80
    assert {s.metric for s in cache_alarm_specs("c-001")} == {
        "EngineCPUUtilization",
        "DatabaseMemoryUsagePercentage",
    }


def test_trust_policy_is_one_service_for_one_account():
    doc = service_trust_policy("monitoring.rds.amazonaws.com", "111122223333", source_arn="arn:aws:rds:*")
    (st,) = doc["Statement"]
    assert st["Principal"] == {"Service": "monitoring.rds.amazonaws.com"}
    assert st["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "111122223333"},
        "ArnLike": {"aws:SourceArn": "arn:aws:rds:*"},
    }


def test_log_delivery_names_each_group_and_its_streams():
    doc = log_delivery_policy("eu-west-1", "111122223333", ["/a"])
    write, find = doc["Statement"]
    assert write["Resource"] == [
        "arn:aws:logs:eu-west-1:111122223333:log-group:/a",
        "arn:aws:logs:eu-west-1:111122223333:log-group:/a:log-stream:*",
    ]
    # DescribeLogGroups works on "*" only; an ARN there makes the call fail.
    assert find["Action"] == "logs:DescribeLogGroups" and find["Resource"] == "*"


def test_enhanced_monitoring_policy_is_scoped_to_this_account_and_region():
    doc = rds_enhanced_monitoring_policy("eu-west-1", "111122223333")
    for st in doc["Statement"]:
        assert st["Resource"].startswith("arn:aws:logs:eu-west-1:111122223333:log-group:RDS")


def test_key_policy_keeps_account_control_and_scopes_service_use():
    doc = key_policy("111122223333", [logs_key_statement("eu-west-1", "111122223333", "/a/*")])
    admin, logs = doc["Statement"]
    assert admin["Principal"] == {"AWS": "arn:aws:iam::111122223333:root"}
    assert logs["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"] == (
        "arn:aws:logs:eu-west-1:111122223333:log-group:/a/*"
    )


def test_alarm_topic_policy_denies_plain_http():
    allow, deny = alarm_topic_policy("arn:aws:sns:r:1:t", "1")["Statement"]
    assert allow["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert deny["Effect"] == "Deny" and deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_nat_user_data_forwards_only_the_private_subnets_and_is_valid_bash(tmp_path):
    script = nat_user_data(["10.0.0.0/20", "10.0.16.0/20"])
    assert "iptables -P FORWARD DROP" in script  # the forward chain refuses anything not listed
    for cidr in ("10.0.0.0/20", "10.0.16.0/20"):
        assert f'iptables -A FORWARD -i "$IFACE" -o "$IFACE" -s {cidr} -j ACCEPT' in script
        assert f'iptables -t nat -A POSTROUTING -o "$IFACE" -s {cidr} -j MASQUERADE' in script
    assert script.count("MASQUERADE") == 2 and "service iptables save" in script
    # Forwarding is on before anything can fail; the package install is retried (the public route
    # may come up after the instance); updates come from the latest AL2023 repository.
    assert script.index("net.ipv4.ip_forward = 1") < script.index("dnf install")
    assert "for attempt in $(seq 1 30)" in script and "echo latest > /etc/dnf/vars/releasever" in script
    assert "net.ipv4.ip_forward = 1" in script
    path = tmp_path / "user-data.sh"
    path.write_text(script)
    assert subprocess.run(["bash", "-n", str(path)], check=False, capture_output=True).returncode == 0
    with pytest.raises(ValueError, match="at least one private subnet"):
        nat_user_data([])


def _can_use_a_network_namespace() -> bool:
    if shutil.which("iptables") is None or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-n", "iptables", "-S"], check=False, capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_use_a_network_namespace(), reason="needs root, unshare and iptables")
def test_nat_user_data_firewall_rules_apply_in_a_network_namespace(tmp_path):
    script = nat_user_data(["10.0.0.0/20", "10.0.16.0/20"]).splitlines()
    start = next(i for i, line in enumerate(script) if line.startswith("IFACE="))
    end = max(i for i, line in enumerate(script) if "MASQUERADE" in line)
    # The interface comes from the default route, as `ip -4 route show default` prints it on EC2.
    detect = script[start].replace("ip -4 route show default", "echo 'default via 10.0.32.1 dev ens5 proto dhcp'")
    # Then the firewall part of the boot script runs as is.
    path = tmp_path / "firewall.sh"
    path.write_text(
        "\n".join(
            ["set -euo pipefail", detect, *script[start + 1 : end + 1], "iptables -S", "iptables -t nat -S POSTROUTING"]
        )
    )
    result = subprocess.run(["unshare", "-n", "bash", str(path)], check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    rules = result.stdout.splitlines()
    assert "-P FORWARD DROP" in rules
    assert "-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT" in rules
    for cidr in ("10.0.0.0/20", "10.0.16.0/20"):
        assert f"-A FORWARD -s {cidr} -i ens5 -o ens5 -j ACCEPT" in rules
        assert f"-A POSTROUTING -s {cidr} -o ens5 -j MASQUERADE" in rules
    assert sum("MASQUERADE" in rule for rule in rules) == 2  # nothing else is translated


@pytest.mark.parametrize(
    ("engine", "version", "group"),
    [("redis", "6.2", "default.redis6.x"), ("redis", "7.1", "default.redis7"), ("valkey", "7.2", "default.valkey7"),
     ("valkey", "8.0", "default.valkey8"), ("valkey", "8.1", "default.valkey8")],
)  # fmt: skip
def test_cache_parameter_group_follows_the_engine_family(engine, version, group):
    assert default_parameter_group(engine, version) == group


@pytest.mark.parametrize("text", ["to the tasks' container port", "caf\u00e9 port", "a" * 256, 'say "hi"'])
def test_ec2_descriptions_aws_refuses_are_stopped_before_registration(text):
    with pytest.raises(ValueError, match="EC2 refuses the description"):
        ec2_description(text)


def test_ec2_descriptions_in_its_character_set_pass():
    text = "HTTPS to AWS APIs (ECR, logs, Secrets Manager) via NAT: 10.0.0.0/16 #1 [a]+b=c&d;{e}!$*@"
    assert ec2_description(text) == text


@pytest.mark.parametrize("text", ["logs of the ALB, buckets", "it's", "a" * 257, "50%"])
def test_tag_values_s3_refuses_are_stopped(text):
    with pytest.raises(ValueError, match="refuses the tag value"):
        tag_value(text)


def test_tag_values_in_every_services_character_set_pass():
    assert tag_value("Ünïcode site: app.example.com/a_b+c=d-e@f") == "Ünïcode site: app.example.com/a_b+c=d-e@f"


@pytest.mark.parametrize("name", ['app"; DROP TABLE x; --', "App", "1app", "a" * 64])
def test_database_user_sql_takes_plain_names_only(name):
    with pytest.raises(ValueError, match="not a plain PostgreSQL name"):
        iam_user_sql("app", [name])
