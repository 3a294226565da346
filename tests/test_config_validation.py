"""Invalid stack config fails before any resource exists, with one message naming every bad key."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

from webstack.commands.cli import main
from webstack.offline.program import ProgramError, main_program, run_program
from webstack.program.config_problems import ConfigError
from webstack.program.stack_settings import (
    as_pulumi_config,
    config_warnings,
    parse_config_value,
    parse_stack_config,
    read_config_file,
)

from .helpers import ROOT

VALID: dict[str, Any] = read_config_file(ROOT / "Pulumi.prod.yaml")[0]


def with_change(key: str, path: str | None, value: Any) -> dict[str, Any]:
    """The prod config with one key (or one nested field of it) changed; value ... deletes."""
    raw = copy.deepcopy(VALID)
    if path is None:
        if value is ...:
            raw.pop(key)
        else:
            raw[key] = value
        return raw
    target = raw.setdefault(key, {})
    *parents, leaf = path.split(".")
    for part in parents:
        target = target.setdefault(part, {})
    if value is ...:
        target.pop(leaf)
    else:
        target[leaf] = value
    return raw


def with_job(**fields: Any) -> dict[str, Any]:
    """The prod config with one job, "nightly", on the API (fields override its settings)."""
    job = {"service": "api", "command": ["python", "-m", "app.nightly"], "schedule": "cron(0 1 * * ? *)", **fields}
    return with_change("webstack:jobs", None, {"nightly": job})


# (case id, config, key named in the message, words the message must hold)
BAD_CONFIGS = [
    ("region-unknown", with_change("aws:region", None, "mars-north-1"), "aws:region", "me-south-1"),
    ("region-missing", with_change("aws:region", None, ...), "aws:region", "required"),
    ("unknown-top-key", with_change("webstack:netwrk", None, {}), "webstack:netwrk", "allowed keys"),
    ("unknown-nested-key", with_change("webstack:database", "storage", 5), "webstack:database.storage",
     "allowed keys: engine_version"),
    ("name-prefix-uppercase", with_change("webstack:name_prefix", None, "ExiusCart"), "webstack:name_prefix",
     "pattern"),
    ("name-prefix-too-long", with_change("webstack:name_prefix", None, "a" * 40), "webstack:name_prefix",
     "pattern"),
    ("tags-not-mapping", with_change("webstack:tags", None, ["a", "b"]), "webstack:tags", "dictionary"),
    ("tags-reserved-prefix", with_change("webstack:tags", None, {"aws:owner": "x"}), "webstack:tags",
     "reserved"),
    ("tag-value-with-a-comma", with_change("webstack:tags", None, {"Owner": "web, platform"}), "webstack:tags",
     "'web, platform'"),
    ("tag-key-with-a-quote", with_change("webstack:tags", None, {"Owner's": "me"}), "webstack:tags", "S3 accepts"),
    ("log-retention-not-allowed", with_change("webstack:log_retention_days", None, 10),
     "webstack:log_retention_days", "14"),
    ("cidr-not-a-network", with_change("webstack:network", "cidr", "10.0.0.300/16"), "webstack:network.cidr",
     "IPv4"),
    ("cidr-public-range", with_change("webstack:network", "cidr", "8.8.0.0/16"), "webstack:network.cidr",
     "private range"),
    ("cidr-too-large", with_change("webstack:network", "cidr", "10.0.0.0/8"), "webstack:network.cidr",
     "/16 to /28"),
    ("cidr-cannot-hold-subnets", with_change("webstack:network", "cidr", "10.0.0.0/21"),
     "webstack:network.cidr", "must be longer"),
    ("cidr-too-few-addresses", with_change("webstack:network", "subnet_prefixes",
     {"public": 24, "private": 17, "isolated": 24}), "webstack:network.cidr", "addresses"),
    ("az-count-one", with_change("webstack:network", "az_count", 1), "webstack:network.az_count",
     "greater than or equal to 2"),
    ("az-count-wrong-type", with_change("webstack:network", "az_count", "two"), "webstack:network.az_count",
     "integer"),
    ("nat-unknown", with_change("webstack:network", "nat", "double"), "webstack:network.nat",
     "'none', 'single' or 'per_az'"),
    ("nat-none-with-api-no-endpoints", with_change("webstack:network", "nat", "none"), "webstack:network.nat",
     "ecr.api, ecr.dkr, logs, secretsmanager"),
    ("exec-without-nat-or-session-endpoints",
     with_change("webstack:api", "exec", True) | {"webstack:network": {
         **VALID["webstack:network"], "nat": "none",
         "interface_endpoints": ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "kms"]}},
     "webstack:network.interface_endpoints", "ECS Exec (webstack:api) without a NAT needs the interface endpoints "
     "ssmmessages"),
    ("exec-not-a-bool", with_change("webstack:api", "exec", "sometimes"), "webstack:api.exec", "boolean"),
    ("nat-type-unknown", with_change("webstack:network", "nat_type", "fck-nat"), "webstack:network.nat_type",
     "'gateway' or 'instance'"),
    ("nat-instance-type-not-graviton", with_change("webstack:network", "nat_instance_type", "t3.nano"),
     "webstack:network.nat_instance_type", "pattern"),
    ("nat-instance-size-that-does-not-exist", with_change("webstack:network", "nat_instance_type", "c7g.nano"),
     "webstack:network.nat_instance_type", "pattern"),
    ("nat-instance-without-nat", with_change("webstack:network", "nat", "none")
     | {"webstack:network": {**VALID["webstack:network"], "nat": "none", "nat_type": "instance"}},
     "webstack:network.nat_type", "needs nat: single or per_az"),
    ("endpoint-unknown", with_change("webstack:network", "interface_endpoints", ["ecr.api", "s3"]),
     "webstack:network.interface_endpoints[1]", "'ecr.dkr'"),
    ("db-engine-version", with_change("webstack:database", "engine_version", "9.6"),
     "webstack:database.engine_version", "'15'"),
    ("db-class-pattern", with_change("webstack:database", "instance_class", "t4g.micro"),
     "webstack:database.instance_class", "pattern"),
    ("db-storage-below-minimum", with_change("webstack:database", "allocated_storage_gb", 10),
     "webstack:database.allocated_storage_gb", "greater than or equal to 20"),
    ("db-max-storage-below-allocated", with_change("webstack:database", "max_allocated_storage_gb", 20)
     | {"webstack:database": {**VALID["webstack:database"], "allocated_storage_gb": 50,
                              "max_allocated_storage_gb": 30}},
     "webstack:database.max_allocated_storage_gb", "at least allocated_storage_gb (50)"),
    ("db-backup-days-zero", with_change("webstack:database", "backup_retention_days", 0),
     "webstack:database.backup_retention_days", "greater than or equal to 1"),
    ("db-backup-days-too-many", with_change("webstack:database", "backup_retention_days", 90),
     "webstack:database.backup_retention_days", "less than or equal to 35"),
    ("db-multi-az-not-bool", with_change("webstack:database", "multi_az", "sometimes"),
     "webstack:database.multi_az", "boolean"),
    ("health-check-timeout-not-below-interval", with_change("webstack:api", "health_check_timeout_seconds", 30),
     "webstack:api.health_check_timeout_seconds", "must be less than health_check_interval_seconds (30)"),
    ("health-check-matcher", with_change("webstack:api", "health_check_matcher", "2xx"),
     "webstack:api.health_check_matcher", "does not match the pattern"),
    ("alb-idle-timeout", with_change("webstack:load_balancer", "idle_timeout_seconds", 5000),
     "webstack:load_balancer.idle_timeout_seconds", "less than or equal to 4000"),
    ("db-insights-retention", with_change("webstack:database", "performance_insights_retention_days", 30),
     "webstack:database.performance_insights_retention_days", "731"),
    ("flow-log-aggregation", with_change("webstack:network", "flow_log_aggregation_seconds", 120),
     "webstack:network.flow_log_aggregation_seconds", "600"),
    ("db-monitoring-interval", with_change("webstack:database", "monitoring_interval_seconds", 45),
     "webstack:database.monitoring_interval_seconds", "60"),
    ("db-class-not-offered", with_change("webstack:database", "instance_class", "db.q9.large"),
     "webstack:database.instance_class", "'db.q9.large' is not a class RDS for PostgreSQL offers"),
    ("db-schedule-strands-always-on-api", with_change("webstack:database", "schedule", {"start_hour_utc": 5}),
     "webstack:database.schedule", "webstack:api runs around the clock"),
    ("db-schedule-shorter-than-api", with_change("webstack:database", "schedule", {"start_hour_utc": 7})
     | {"webstack:api": {**VALID["webstack:api"], "schedule": {"start_hour_utc": 6}}},
     "webstack:api.schedule", "inside webstack:database.schedule (MON-FRI 7-18 UTC)"),
    ("db-schedule-weekdays-api-daily", with_change("webstack:database", "schedule", {})
     | {"webstack:api": {**VALID["webstack:api"], "schedule": {"days": "daily"}}},
     "webstack:api.schedule", "inside webstack:database.schedule"),
    ("db-schedule-api-overnight", with_change("webstack:database", "schedule", {})
     | {"webstack:api": {**VALID["webstack:api"], "schedule": {"start_hour_utc": 20, "stop_hour_utc": 4}}},
     "webstack:api.schedule", "inside webstack:database.schedule (MON-FRI 6-18 UTC)"),
    ("db-schedule-misses-the-apis-weekend", with_change("webstack:database", "schedule",
     {"start_hour_utc": 18, "stop_hour_utc": 10})
     | {"webstack:api": {**VALID["webstack:api"], "schedule": {"days": "daily", "start_hour_utc": 20,
                                                                "stop_hour_utc": 4}}},
     "webstack:api.schedule", "inside webstack:database.schedule"),  # the API runs weekend nights too
    ("db-schedule-too-short", with_change("webstack:database", "schedule", {"start_hour_utc": 17})
     | {"webstack:api": {**VALID["webstack:api"], "schedule": {"start_hour_utc": 17}}},
     "webstack:database.schedule", "at least 3 hours a day"),
    ("db-schedule-start-is-stop",
     with_change("webstack:database", "schedule", {"start_hour_utc": 6, "stop_hour_utc": 6}),
     "webstack:database.schedule", "at least 3 hours a day"),
    ("db-schedule-with-replicas", with_change("webstack:database", "schedule", {})
     | {"webstack:database": {**VALID["webstack:database"], "schedule": {}, "read_replicas": 1}},
     "webstack:database.schedule", "read replicas"),
    ("db-schedule-days-unknown", with_change("webstack:database", "schedule", {"days": "weekends"}),
     "webstack:database.schedule.days", "'MON-FRI' or 'daily'"),
    ("cache-engine-unknown", with_change("webstack:cache", "engine", "memcached"), "webstack:cache.engine",
     "'redis' or 'valkey'"),
    ("cache-version-for-engine", with_change("webstack:cache", "engine_version", "7.1"),
     "webstack:cache.engine_version", "7.2, 8.0, 8.1"),
    ("cache-replicas-without-failover", with_change("webstack:cache", "automatic_failover", False),
     "webstack:cache.automatic_failover", "replicas is 1"),
    ("cache-failover-without-replicas", with_change("webstack:cache", "replicas", 0),
     "webstack:cache.replicas", "1 or more"),
    ("cache-node-type-pattern", with_change("webstack:cache", "node_type", "t4g.small"),
     "webstack:cache.node_type", "pattern"),
    ("api-cpu-not-fargate", with_change("webstack:api", "cpu", 300), "webstack:api.cpu", "256"),
    ("api-memory-for-cpu", with_change("webstack:api", "memory_mib", 512), "webstack:api.memory_mib",
     "allows memory_mib 2048, 3072, 4096, 5120, 6144, 7168, 8192"),
    ("api-desired-outside-range", with_change("webstack:api", "desired_count", 20),
     "webstack:api.desired_count", "between min_count and max_count (2..10)"),
    ("api-architecture", with_change("webstack:api", "architecture", "arm"), "webstack:api.architecture",
     "'ARM64' or 'X86_64'"),
    ("alerts-email-is-now-emails", with_change("webstack:alerts", "email", "ops@example.com"),
     "webstack:alerts.email", "allowed keys: emails, https_endpoints"),
    ("api-image-and-build", with_change("webstack:api", "build", {"context": "app"}), "webstack:api.image",
     "exactly one of image"),
    ("api-neither-image-nor-build", with_change("webstack:api", "image", ...), "webstack:api.image",
     "exactly one of image"),
    ("api-env-name", with_change("webstack:api", "environment", {"db-host": "x"}),
     "webstack:api.environment.db-host.[key]", "pattern"),
    ("api-unknown-bucket", with_change("webstack:api", "bucket_access", [{"bucket": "photos"}]),
     "webstack:api.bucket_access[0].bucket", "backups, uploads"),
    ("no-domain-internet-facing-alb", with_change("webstack:domain", None, ...)
     | {"webstack:sites": {}, "webstack:load_balancer": {"scheme": "internet-facing"}},
     "webstack:load_balancer.scheme", "must be internal without webstack:domain.name"),
    ("no-domain-site-host", with_change("webstack:domain", None, ...), "webstack:sites.website.host",
     "needs webstack:domain.name"),
    ("no-domain-www-redirect", with_change("webstack:domain", None, ...), "webstack:sites.website.redirect_www",
     "needs webstack:domain.name"),
    ("no-domain-zone-mode", with_change("webstack:domain", "name", ...), "webstack:domain.hosted_zone",
     "needs webstack:domain.name"),
    ("no-domain-records", with_change("webstack:domain", "name", ...), "webstack:domain.records",
     "needs webstack:domain.name"),
    ("no-domain-accepted-with-name", with_change("webstack:domain", "accept_no_custom_domain", True),
     "webstack:domain.accept_no_custom_domain", "only without webstack:domain.name"),
    ("no-domain-service-hosts", with_change("webstack:domain", None, ...)
     | {"webstack:sites": {}, "webstack:services": {"web": {"image": "x:1", "hosts": ["shop"]}}},
     "webstack:services.web.hosts", "route by paths"),
    ("site-host-required-with-domain", with_change("webstack:sites", "admin-dashboard.host", ...),
     "webstack:sites.admin-dashboard.host", "required with webstack:domain.name"),
    ("domain-name", with_change("webstack:domain", "name", "Exius Cart"), "webstack:domain.name", "pattern"),
    ("domain-zone-mode", with_change("webstack:domain", "hosted_zone", "import"),
     "webstack:domain.hosted_zone", "'lookup', 'create' or 'external'"),
    ("domain-records-with-dns-elsewhere", with_change("webstack:domain", "hosted_zone", "external"),
     "webstack:domain.records", "create these at your DNS provider"),  # prod's MX, TXT and CAA records
    ("domain-validation-timeout", with_change("webstack:domain", "validation_timeout_minutes", 2),
     "webstack:domain.validation_timeout_minutes", "greater than or equal to 5"),
    ("site-host-taken-by-api", with_change("webstack:sites", "assets.host", "api"),
     "webstack:sites.assets.host", "already served by webstack:domain.api_host"),
    ("site-hosts-collide", with_change("webstack:sites", "assets.host", "app"),
     "webstack:sites.assets.host", "already served by webstack:sites.shop-dashboard.host"),
    ("site-www-redirect-not-apex", with_change("webstack:sites", "assets.redirect_www", True),
     "webstack:sites.assets.redirect_www", "only the apex"),
    ("site-cache-profile", with_change("webstack:sites", "assets.cache", "forever"),
     "webstack:sites.assets.cache", "'marketing', 'dashboard' or 'assets'"),
    ("bucket-cors-plain-http", with_change("webstack:buckets", "uploads.cors_origins", ["http://app.example.com"]),
     "webstack:buckets.uploads.cors_origins[0]", "pattern"),
    ("api-schedule-same-hours", with_change("webstack:api", "schedule", {"start_hour_utc": 8, "stop_hour_utc": 8}),
     "webstack:api.schedule.stop_hour_utc", "must differ"),
    ("api-capacity", with_change("webstack:api", "capacity", "reserved"), "webstack:api.capacity",
     "'on_demand', 'spot' or 'spot_above_min'"),
    ("api-spot-above-a-fixed-count", with_change("webstack:api", "max_count", 2), "webstack:api.capacity",
     "needs 1 <= min_count < max_count (got 2..2)"),
    ("api-app-secret-shadows-injected", with_change("webstack:api", "app_secrets", ["DB_HOST"]),
     "webstack:api.app_secrets[0]", "set by webstack"),
    ("api-environment-shadows-a-bucket", with_change("webstack:api", "environment", {"UPLOADS_BUCKET": "mine"}),
     "webstack:api.environment.UPLOADS_BUCKET", "set by webstack"),
    ("api-environment-shadows-the-db-user", with_change("webstack:api", "environment", {"DB_USER": "root"}),
     "webstack:api.environment.DB_USER", "DB_HOST, DB_PORT"),
    ("api-secret-and-environment-twice", with_change("webstack:api", "environment", {"JWT_SECRET": "x"}) | {
        "webstack:api": {**VALID["webstack:api"], "environment": {"JWT_SECRET": "x"}, "app_secrets": ["JWT_SECRET"]}},
     "webstack:api.app_secrets[0]", "pick one"),
    ("alb-setting-on-a-service", with_change("webstack:services", "admin", {"hosts": ["admin"], "image": "x:1",
                                             "load_balancer_scheme": "internal"}),
     "webstack:services.admin.load_balancer_scheme", "webstack:load_balancer.scheme"),
    ("alb-setting-on-the-api", with_change("webstack:api", "error_rate_alarm_percent", 1),
     "webstack:api.error_rate_alarm_percent", "webstack:load_balancer.error_rate_alarm_percent"),
    ("load-balancer-scheme-unknown", with_change("webstack:load_balancer", "scheme", "private"),
     "webstack:load_balancer.scheme", "'internal'"),
    ("prod-alerts-nobody", with_change("webstack:alerts", None, ...), "webstack:alerts", "must tell someone"),
    ("alerts-email-not-an-address", with_change("webstack:alerts", "emails", ["ops"]), "webstack:alerts.emails[0]",
     "pattern"),
    ("alerts-endpoint-not-https", with_change("webstack:alerts", "https_endpoints", ["http://x"]),
     "webstack:alerts.https_endpoints[0]", "pattern"),
    ("api-body-limit-beyond-waf", with_change("webstack:domain", "api_max_body_kb", 65),
     "webstack:domain.api_max_body_kb", "less than or equal to 64"),
    ("app-user-is-the-master", with_change("webstack:database", "app_username", "app_admin"),
     "webstack:database.app_username", "must differ from master_username"),
    ("service-worker-with-hosts", with_change("webstack:services", "jobs", {"worker": True, "hosts": ["jobs"],
     "image": "x:1"}), "webstack:services.jobs.worker", "drop hosts and paths"),
    ("service-worker-blue-green", with_change("webstack:services", "jobs", {"worker": True, "image": "x:1",
     "deployment": "blue_green"}), "webstack:services.jobs.deployment", "a worker has none: use rolling"),
    ("api-bake-time-beyond-a-day", with_change("webstack:api", "bake_time_minutes", 1441),
     "webstack:api.bake_time_minutes", "less than or equal to 1440"),
    ("service-deployment-unknown", with_change("webstack:services", "jobs", {"image": "x:1", "hosts": ["jobs"],
     "deployment": "canary"}), "webstack:services.jobs.deployment", "'rolling' or 'blue_green'"),
    ("api-blue-green-scales-on-requests", with_change("webstack:api", None, {**VALID["webstack:api"],
     "deployment": "blue_green", "requests_per_target": 1000}), "webstack:api.requests_per_target",
     "moves production traffic between two"),
    ("service-second-catch-all", with_change("webstack:services", "web", {"image": "x:1"}),
     "webstack:services.web", "takes every request, like webstack:api"),
    ("service-named-api", with_change("webstack:services", "api", {"image": "x:1", "worker": True}),
     "webstack:services.api", "pick another name"),
    ("service-host-taken-by-site", with_change("webstack:services", "web", {"image": "x:1", "hosts": ["assets"]}),
     "webstack:sites.assets.host", "already served by webstack:services.web.hosts[0]"),
    ("service-memory-for-cpu", with_change("webstack:services", "jobs", {"worker": True, "image": "x:1",
     "cpu": 256, "memory_mib": 4096}), "webstack:services.jobs.memory_mib", "allows memory_mib 512, 1024, 2048"),
    ("bucket-storage-class", with_change("webstack:buckets", "backups.lifecycle.storage_class", "TAPE"),
     "webstack:buckets.backups.lifecycle.storage_class", "'GLACIER_IR'"),
    ("job-unknown-service", with_job(service="worker"), "webstack:jobs.nightly.service",
     "must be one of: api (got 'worker')"),
    ("job-cron-two-days", with_job(schedule="cron(0 1 * * * *)"), "webstack:jobs.nightly.schedule",
     "'?' in exactly one of day-of-month and day-of-week"),
    ("job-cron-five-fields", with_job(schedule="cron(0 1 * * ?)"), "webstack:jobs.nightly.schedule",
     "cron() takes 6 fields"),
    ("job-rate-plural-one", with_job(schedule="rate(1 days)"), "webstack:jobs.nightly.schedule",
     "takes the unit in the singular"),
    ("job-plain-cron", with_job(schedule="0 1 * * *"), "webstack:jobs.nightly.schedule", "rate(N minutes|hours|days)"),
    ("job-time-zone", with_job(timezone="CEST"), "webstack:jobs.nightly.timezone", "IANA time zone name"),
    ("job-retries-too-many", with_job(retries={"maximum_attempts": 186}),
     "webstack:jobs.nightly.retries.maximum_attempts", "less than or equal to 185"),
    ("job-no-command", with_job(command=[]), "webstack:jobs.nightly.command", "at least 1 item"),
    ("job-without-services", {**with_job(), "webstack:api": None}, "webstack:jobs",
     "this stack has no services: add webstack:api or webstack:services"),
    ("backup-copies-in-the-same-region", with_change("webstack:backup", "copy_region", "me-south-1"),
     "webstack:backup.copy_region", "is me-south-1, the stack's own region (aws:region)"),
    ("backup-copy-region-unknown", with_change("webstack:backup", "copy_region", "eu-north-9"),
     "webstack:backup.copy_region", "'eu-north-9' is not an AWS commercial region webstack knows"),
    ("backup-copy-region-not-a-region", with_change("webstack:backup", "copy_region", "Frankfurt"),
     "webstack:backup.copy_region", "an AWS commercial region other than `aws:region`"),
    ("backup-weekly-shorter-than-a-week", with_change("webstack:backup", "weekly_retention_days", 3),
     "webstack:backup.weekly_retention_days", "greater than or equal to 7"),
    ("backup-lock-unknown", with_change("webstack:backup", "vault_lock", "strict"),
     "webstack:backup.vault_lock", "'governance'"),
    ("replica-without-copy-region", with_change("webstack:backup", None, ...),
     "webstack:buckets.uploads.replicate", "needs webstack:backup.copy_region, the region the replica lives in"),
    ("replica-of-an-unversioned-bucket", with_change("webstack:buckets", "uploads.versioning", False),
     "webstack:buckets.uploads.replicate", "needs versioning: true (S3 replicates only versioned buckets)"),
]  # fmt: skip


CASE_IDS = [c[0] for c in BAD_CONFIGS]


@pytest.mark.parametrize(("raw", "key", "words"), [c[1:] for c in BAD_CONFIGS], ids=CASE_IDS)
def test_bad_config_is_reported_by_key_with_allowed_values(raw, key, words):
    with pytest.raises(ConfigError) as caught:
        parse_stack_config(raw, "prod", "Pulumi.prod.yaml")
    keys = [p.key for p in caught.value.problems]
    assert key in keys, str(caught.value)
    assert words in str(caught.value)
    assert str(caught.value).startswith("Pulumi.prod.yaml: ")


def test_at_least_25_distinct_bad_configs():
    assert len({c[0] for c in BAD_CONFIGS}) >= 25


@pytest.mark.parametrize(("raw", "key"), [c[1:3] for c in BAD_CONFIGS], ids=CASE_IDS)
def test_the_program_registers_nothing_for_bad_config(raw, key):
    with pytest.raises(ProgramError) as caught:
        run_program(main_program(ROOT), project="webstack", stack="prod", config=as_pulumi_config(raw))
    assert isinstance(caught.value.cause, pulumi.RunError)
    assert key in str(caught.value.cause)
    assert [r.type for r in caught.value.registrations] == ["pulumi:pulumi:Stack"]


def test_every_problem_in_one_message():
    raw = copy.deepcopy(VALID)
    raw["aws:region"] = "nowhere-1"
    raw["webstack:network"] = {**raw["webstack:network"], "nat": "many", "cidr": "10.0.0.0/21"}
    raw["webstack:database"] = {**raw["webstack:database"], "backup_retention_days": 0}
    raw["webstack:cache"] = {**raw["webstack:cache"], "automatic_failover": False}
    raw["webstack:typo"] = 1
    with pytest.raises(ConfigError) as caught:
        parse_stack_config(raw, "prod", "Pulumi.prod.yaml")
    message = str(caught.value)
    assert message.startswith("Pulumi.prod.yaml: 5 config problems")
    for key in (
        "aws:region",
        "webstack:network.nat",
        "webstack:database.backup_retention_days",
        "webstack:cache.automatic_failover",
        "webstack:typo",
    ):
        assert f"  - {key}: " in message


def test_cli_prints_the_report_without_traceback_and_exits_2(tmp_path: Path, capsys):
    bad = tmp_path / "Pulumi.broken.yaml"
    raw = with_change("webstack:cache", "engine", "memcached")
    bad.write_text(yaml.safe_dump({"config": raw}))
    assert main(["plan", "--config", str(bad), "--out", str(tmp_path / "plan.json")]) == 2
    err = capsys.readouterr().err
    assert "webstack:cache.engine: must be one of: 'redis' or 'valkey'" in " ".join(err.split())
    assert "Traceback" not in err
    assert not (tmp_path / "plan.json").exists()


def test_shipped_stacks_are_valid():
    for stack in ("dev", "prod"):
        config = parse_stack_config(read_config_file(ROOT / f"Pulumi.{stack}.yaml")[0], stack, stack)
        assert config.environment == stack


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("14", 14),
        ("true", True),
        ('{"a": 1}', {"a": 1}),
        ("[1, 2]", [1, 2]),
        ("me-south-1", "me-south-1"),
        ("012345678901", "012345678901"),
        ("{repository}:1.0.0", "{repository}:1.0.0"),
    ],
)
def test_config_values_from_the_pulumi_cli(text, value):
    assert parse_config_value(text) == value


def test_account_id_quoted_or_not_is_twelve_digits():
    for given in ("012345678901", 111122223333):
        raw = with_change("webstack:account_id", None, given)
        assert len(parse_stack_config(raw, "prod", "Pulumi.prod.yaml").account_id or "") == 12
    with pytest.raises(ConfigError, match="webstack:account_id"):
        parse_stack_config(with_change("webstack:account_id", None, "12345"), "prod", "Pulumi.prod.yaml")


@pytest.mark.parametrize(
    ("database", "api"),
    [
        (
            {"days": "daily", "start_hour_utc": 18, "stop_hour_utc": 10},
            {"days": "daily", "start_hour_utc": 20, "stop_hour_utc": 4},
        ),
        ({"days": "daily"}, {"days": "MON-FRI"}),
        ({"start_hour_utc": 5, "stop_hour_utc": 18}, {"start_hour_utc": 6, "stop_hour_utc": 18}),
    ],
)
def test_a_database_schedule_that_covers_the_api_is_accepted(database, api):
    raw = with_change("webstack:database", "schedule", database) | {
        "webstack:api": {**VALID["webstack:api"], "schedule": api}
    }
    config = parse_stack_config(raw, "prod", "Pulumi.prod.yaml")
    assert config.api is not None and config.api.schedule is not None
    assert config.database is not None and config.database.schedule is not None
    assert config.database.schedule.covers(config.api.schedule)


def test_a_stack_judged_by_a_relaxed_policy_config_without_subscribers_is_warned_not_refused():
    raw = read_config_file(ROOT / "Pulumi.dev.yaml")[0]
    raw.pop("webstack:alerts")
    config = parse_stack_config(raw, "dev", "Pulumi.dev.yaml")
    (warning,) = config_warnings(config)
    assert "webstack:alerts names no subscriber" in warning and "nobody hears them" in warning
    assert config_warnings(parse_stack_config(read_config_file(ROOT / "Pulumi.dev.yaml")[0], "dev", "dev")) == []


def test_a_number_where_numbers_are_wanted_gets_no_advice_to_quote_it():
    raw = with_change("webstack:database", "monitoring_interval_seconds", 45)
    with pytest.raises(ConfigError) as caught:
        parse_stack_config(raw, "prod", "Pulumi.prod.yaml")
    assert "must be one of: 0, 1, 5, 10, 15, 30 or 60 (got 45)" in str(caught.value)
    assert "quotes" not in str(caught.value)


def test_a_job_may_run_the_api_or_a_worker_in_any_time_zone():
    raw = with_job(timezone="Europe/Berlin", schedule="cron(30 6 ? * MON-FRI *)", enabled=False)
    raw["webstack:services"] = {"worker": {"worker": True, "image": "x:1"}}
    raw["webstack:jobs"]["cleanup"] = {"service": "worker", "command": ["cleanup"], "schedule": "rate(6 hours)"}
    config = parse_stack_config(raw, "prod", "Pulumi.prod.yaml")
    nightly, cleanup = config.jobs["nightly"], config.jobs["cleanup"]
    assert (nightly.service, nightly.timezone, nightly.enabled) == ("api", "Europe/Berlin", False)
    assert (cleanup.service, cleanup.timezone, cleanup.enabled) == ("worker", "UTC", True)
    assert (cleanup.retries.maximum_attempts, cleanup.retries.maximum_event_age_seconds) == (3, 3600)


WINDOW_CASES = [
    ("backup-window-format", with_change("webstack:database", "backup_window", "3am-4am"),
     "webstack:database.backup_window", "hh24:mi-hh24:mi"),
    ("backup-window-short", with_change("webstack:database", "backup_window", "03:00-03:20"),
     "webstack:database.backup_window", "at least 30 minutes"),
    ("maintenance-window-capitalised", with_change("webstack:database", "maintenance_window", "Mon:04:00-Mon:05:00"),
     "webstack:database.maintenance_window", "mon, tue, wed, thu, fri, sat, sun"),
    ("backup-window-meets-default-maintenance", with_change("webstack:database", "backup_window", "03:00-04:00"),
     "webstack:database.backup_window", "overlaps maintenance_window sun:03:30-sun:04:30 (the default) on sun"),
    ("maintenance-window-meets-backup", with_change("webstack:database", "maintenance_window", "tue:02:30-tue:03:30"),
     "webstack:database.maintenance_window", "overlaps backup_window 02:00-03:00 (the default) on tue"),
    ("cache-snapshot-window-short", with_change("webstack:cache", "snapshot_window", "03:00-03:30"),
     "webstack:cache.snapshot_window", "at least 60 minutes"),
    ("cache-maintenance-window-short", with_change("webstack:cache", "maintenance_window", "sun:05:00-sun:05:30"),
     "webstack:cache.maintenance_window", "at least 60 minutes"),
    ("cache-windows-overlap", with_change("webstack:cache", "snapshot_window", "03:00-05:00"),
     "webstack:cache.snapshot_window", "overlaps maintenance_window sun:03:30-sun:04:30 on sun"),
    ("cache-memory-alarm-over-100", with_change("webstack:cache", "memory_alarm_percent", 120),
     "webstack:cache.memory_alarm_percent", "less than or equal to 100"),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "key", "words"), [c[1:] for c in WINDOW_CASES], ids=[c[0] for c in WINDOW_CASES])
def test_windows_aws_would_refuse_are_config_errors(raw, key, words):
    test_bad_config_is_reported_by_key_with_allowed_values(raw, key, words)


def test_a_scheduled_database_takes_windows_inside_its_running_hours_only():
    schedule = {"days": "MON-FRI", "start_hour_utc": 6, "stop_hour_utc": 18}
    inside = {"schedule": schedule, "backup_window": "07:00-07:30", "maintenance_window": "wed:08:00-wed:09:00"}
    database = {**VALID["webstack:database"], "multi_az": False, "read_replicas": 0}
    api = {**VALID["webstack:api"], "schedule": schedule}
    raw = with_change("webstack:database", None, database | inside) | {"webstack:api": api}
    parsed = parse_stack_config(raw, "prod", "Pulumi.prod.yaml").database
    assert parsed is not None and parsed.backup_window == "07:00-07:30"
    outside = (
        database
        | {"schedule": schedule, "backup_window": "03:00-04:00"}
        | {"maintenance_window": "sat:08:00-sat:09:00"}
    )
    with pytest.raises(ConfigError) as caught:
        parse_stack_config(with_change("webstack:database", None, outside) | {"webstack:api": api}, "prod", "x")
    problems = {p.key: p.message for p in caught.value.problems}
    assert set(problems) == {"webstack:database.backup_window", "webstack:database.maintenance_window"}
    running = "running hours of webstack:database.schedule (MON-FRI 06:00-18:00 UTC)"
    assert running in problems["webstack:database.backup_window"]
    # Overnight (20:00-06:00, stopping Tuesday to Saturday mornings): Saturday 03:00 is still running.
    overnight = {"days": "MON-FRI", "start_hour_utc": 20, "stop_hour_utc": 6}
    night = (
        database
        | {"schedule": overnight, "backup_window": "02:00-02:30"}
        | {"maintenance_window": "sat:03:00-sat:04:00"}
    )
    parse_stack_config(
        with_change("webstack:database", None, night) | {"webstack:api": {**api, "schedule": overnight}}, "prod", "x"
    )


def test_database_url_is_reserved_only_for_a_service_that_asks_for_it():
    api = {k: v for k, v in VALID["webstack:api"].items() if k != "database_url"}
    own_url = {**api, "environment": {"DATABASE_URL": "postgresql://elsewhere/db"}}
    parse_stack_config(with_change("webstack:api", None, own_url), "prod", "Pulumi.prod.yaml")
    with pytest.raises(ConfigError) as caught:
        parse_stack_config(with_change("webstack:api", None, own_url | {"database_url": True}), "prod", "x")
    (problem,) = caught.value.problems
    assert problem.key == "webstack:api.environment.DATABASE_URL"
    assert "DATABASE_URL is set by webstack" in problem.message and "DB_HOST" in problem.message


def test_an_api_at_the_apex_has_a_valid_origin_name():
    """api_host "" once made the ALB's origin `origin-.<domain>`, which no DNS accepts."""
    raw = copy.deepcopy(VALID)
    raw["webstack:domain"] = {**raw["webstack:domain"], "api_host": ""}
    raw["webstack:sites"] = {k: v for k, v in raw["webstack:sites"].items() if v.get("host") != ""}
    domain = parse_stack_config(raw, "prod", "prod").domain
    assert domain is not None and domain.origin_label == "origin"
    assert parse_stack_config(VALID, "prod", "prod").domain.origin_label == "origin-api"  # type: ignore[union-attr]
