"""The stack configuration: every decision a stack makes, validated before any resource exists.

The models mirror the keys of ``Pulumi.<stack>.yaml``: ``aws:region`` and one ``webstack:<section>``
key per section. Field validation is pydantic's (types, ranges, allowed values); the checks that
involve several fields (``semantic_problems``) run on every section that validated, so that one
message can list every problem at once.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Literal

import regex
from pydantic import BeforeValidator, StringConstraints, field_validator

from components import (
    AlertTopicArgs,
    BucketGrant,
    DnsRecord,
    EdgeDistributionArgs,
    EdgeDomainArgs,
    FargateApiArgs,
    ImageBuild,
    LifecycleRule,
    ManagedPostgresArgs,
    RedisCacheArgs,
    SecureVpcArgs,
    ServiceSpec,
    StaticSiteArgs,
    TierPrefixes,
)
from components.cache_settings import CACHE_WINDOW_MINUTES
from components.dns_records import RECORD_NAME
from components.log_groups import DEFAULT_RETENTION_DAYS, LOG_RETENTION_DAYS
from components.postgres_settings import RDS_WINDOW_MINUTES
from components.time_windows import DAILY_FORMAT, WEEKLY_FORMAT, window_problem
from webstack.program.config_backup import BACKUP_DESCRIPTION, BackupConfig
from webstack.program.config_fields import Section, from_arg, own
from webstack.program.config_jobs import JOBS_DESCRIPTION, JobConfig, JobName
from webstack.program.config_observe import ObservabilityConfig, SlackConfig, checked_pagerduty_url
from webstack.program.config_release import ReleaseConfig
from webstack.program.config_rotation import SECRET_ROTATION_DESCRIPTION, SecretKey, SecretRotationConfig
from webstack.program.config_scanning import ImageScanningConfig
from webstack.program.config_serverless import (
    FunctionApiConfig,
    FunctionConfig,
    TableConfig,
    UpperName,
    UsersConfig,
)
from webstack.program.schedule_hours import weekly_hours

# Regions where every service of the architecture (ECS Fargate, RDS, ElastiCache, ACM, CloudFront
# origins) is offered. Opt-in regions are listed too; the account must have them enabled.
AWS_REGIONS = (
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1",
    "sa-east-1", "mx-central-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1",
    "eu-south-1", "eu-south-2",
    "me-south-1", "me-central-1", "il-central-1", "af-south-1",
    "ap-south-1", "ap-south-2", "ap-east-1", "ap-northeast-1", "ap-northeast-2",
    "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
    "ap-southeast-5", "ap-southeast-7",
)  # fmt: skip


# Interface endpoints a NAT-free private subnet needs for Fargate: image pull (ECR api + dkr,
# layers come through the S3 gateway endpoint), logs, and secrets injection.
FARGATE_ENDPOINTS = ("ecr.api", "ecr.dkr", "logs", "secretsmanager")
INTERFACE_ENDPOINTS = (*FARGATE_ENDPOINTS, "sts", "kms", "ssm", "ssmmessages", "monitoring", "elasticache", "ecs")
# What the cache AUTH rotation function calls from the private subnets (CacheTokenRotation).
ROTATION_ENDPOINTS = ("secretsmanager", "elasticache", "ecs")

# Performance Insights keeps 7 days free, or whole months of 31 days (1-23), or two years.
PERFORMANCE_INSIGHTS_RETENTION_DAYS = (7, *(31 * months for months in range(1, 24)), 731)

# What an ALB target group's matcher accepts: HTTP codes 200-499, as a list or a range.
HTTP_CODES = r"^[2-4]\d\d(-[2-4]\d\d)?(,[2-4]\d\d(-[2-4]\d\d)?)*$"

POSTGRES_MAJOR_VERSIONS = ("13", "14", "15", "16", "17")
CACHE_ENGINE_VERSIONS = {"redis": ("6.2", "7.0", "7.1"), "valkey": ("7.2", "8.0", "8.1")}

# Fargate task sizes: cpu units -> (smallest memory MiB, largest, step).
FARGATE_MEMORY_MIB = {
    256: (512, 2048, 0),  # 512, 1024, 2048 only
    512: (1024, 4096, 1024),
    1024: (2048, 8192, 1024),
    2048: (4096, 16384, 1024),
    4096: (8192, 30720, 1024),
    8192: (16384, 61440, 4096),
    16384: (32768, 122880, 8192),
}

# Tag keys and values: letters, digits, spaces and _ . : / = + - @ (S3 and most services refuse
# anything else; botocore s3control S3Tag pattern).
TAG_CHARACTERS = regex.compile(r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$")


def _false_is_none(value: object) -> object:
    """`network: false` (or null) says the stack has no such part."""
    return None if value is False else value


# A part a stack may leave out with `false`; absent, it is built with its defaults.
FALSE_IS_NONE = BeforeValidator(_false_is_none)


NamePrefix = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,22}[a-z0-9]$")]


class SubnetPrefixes(Section):
    """Prefix length of each subnet tier (one subnet per tier and AZ)."""

    public: int = from_arg(TierPrefixes, "public", ge=16, le=28)
    private: int = from_arg(TierPrefixes, "private", ge=16, le=28)
    isolated: int = from_arg(TierPrefixes, "isolated", ge=16, le=28)


class NetworkConfig(Section):
    """The VPC (SecureVpc)."""

    cidr: ipaddress.IPv4Network = from_arg(SecureVpcArgs, "cidr", validate_default=True)
    az_count: int = from_arg(SecureVpcArgs, "az_count", ge=2, le=3)
    nat: Literal["none", "single", "per_az"] = from_arg(SecureVpcArgs, "nat")
    nat_type: Literal["gateway", "instance"] = from_arg(
        SecureVpcArgs,
        "nat_type",
        also="A NAT instance: Amazon Linux 2023 (arm64) from AWS's public SSM parameter, IMDSv2, "
        "CMK-encrypted root volume, no SSH key or role, iptables forwarding only the private subnets, "
        "auto-recovery and a reboot alarm.",
    )
    nat_instance_type: Annotated[
        str,
        StringConstraints(
            pattern=r"^(t4g\.(nano|micro|small|medium|large|xlarge)|(c6g|c6gn|c7g|c7gn|m6g|m7g)\.(medium|large|xlarge))$"
        ),
    ] = from_arg(
        SecureVpcArgs,
        "nat_instance_type",
        allowed="Graviton: `t4g.nano` to `t4g.xlarge`; `c6g`, `c6gn`, `c7g`, `c7gn`, `m6g`, `m7g` in "
        "`medium`, `large`, `xlarge`",
    )
    interface_endpoints: tuple[Literal[INTERFACE_ENDPOINTS], ...] = from_arg(  # type: ignore[valid-type]
        SecureVpcArgs, "interface_endpoints"
    )
    subnet_prefixes: SubnetPrefixes = own(
        SubnetPrefixes(), "Prefix length of each tier's subnets; each must be longer than the VPC's."
    )
    flow_log_traffic: Literal["ALL", "REJECT", "ACCEPT"] = from_arg(SecureVpcArgs, "flow_log_traffic")
    flow_log_aggregation_seconds: Literal[60, 600] = from_arg(SecureVpcArgs, "flow_log_aggregation_seconds")

    @field_validator("cidr")
    @classmethod
    def _private_vpc_range(cls, cidr: ipaddress.IPv4Network) -> ipaddress.IPv4Network:
        if not 16 <= cidr.prefixlen <= 28:
            raise ValueError(f"a VPC CIDR must be /16 to /28 (got /{cidr.prefixlen})")
        if not (cidr.is_private or cidr.subnet_of(ipaddress.IPv4Network("100.64.0.0/10"))):
            raise ValueError(
                "must be a private range inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10"
            )
        return cidr

    @field_validator("interface_endpoints")
    @classmethod
    def _no_repeats(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(names)) != len(names):
            raise ValueError("lists an endpoint twice")
        return names


class ScheduleConfig(Section):
    """Run only in working hours: scale to zero at stop_hour_utc, back at start_hour_utc."""

    days: Literal["MON-FRI", "daily"] = own(
        "MON-FRI",
        "Days the window opens; a start after the stop runs overnight (Tuesday to Saturday mornings for MON-FRI).",
    )
    start_hour_utc: int = own(6, "Hour (UTC) the window opens.", ge=0, le=23)
    stop_hour_utc: int = own(18, "Hour (UTC) the window closes; not the start hour.", ge=0, le=23)

    def working_hours(self) -> tuple[str, int, int]:
        """(cron days, start hour, stop hour) for the components."""
        return ("MON-FRI" if self.days == "MON-FRI" else "*", self.start_hour_utc, self.stop_hour_utc)

    def hours_of_week(self) -> frozenset[int]:
        return weekly_hours(*self.working_hours())

    def covers(self, other: ScheduleConfig) -> bool:
        """Whether every hour ``other`` runs, these run too (overnight windows included)."""
        return other.hours_of_week() <= self.hours_of_week()


def _checked_window(window: str | None, *, weekly: bool, minimum_minutes: int) -> str | None:
    """A backup, snapshot or maintenance window as AWS accepts it (format and length)."""
    problem = None if window is None else window_problem(window, weekly=weekly, minimum_minutes=minimum_minutes)
    if problem is not None:
        raise ValueError(problem)
    return window


class DatabaseConfig(Section):
    """The database (ManagedPostgres)."""

    engine_version: Literal[POSTGRES_MAJOR_VERSIONS] = from_arg(  # type: ignore[valid-type]
        ManagedPostgresArgs, "engine_version", also='Quote it in YAML ("16").'
    )
    instance_class: Annotated[str, StringConstraints(pattern=r"^db\.[a-z0-9]+\.[a-z0-9]+$")] = from_arg(
        ManagedPostgresArgs,
        "instance_class",
        allowed="a class RDS for PostgreSQL offers (`components/instance_classes.csv`, each row with its source; "
        'a typo gets a "did you mean")',
    )
    allocated_storage_gb: int = from_arg(ManagedPostgresArgs, "allocated_storage_gb", ge=20, le=65536)
    max_allocated_storage_gb: int = from_arg(ManagedPostgresArgs, "max_allocated_storage_gb", ge=20, le=65536)
    multi_az: bool = from_arg(ManagedPostgresArgs, "multi_az")
    backup_retention_days: int = from_arg(ManagedPostgresArgs, "backup_retention_days", ge=1, le=35)
    deletion_protection: bool = from_arg(ManagedPostgresArgs, "deletion_protection")
    final_snapshot: bool = from_arg(ManagedPostgresArgs, "final_snapshot")
    performance_insights: bool = from_arg(ManagedPostgresArgs, "performance_insights")
    monitoring_interval_seconds: Literal[0, 1, 5, 10, 15, 30, 60] = from_arg(
        ManagedPostgresArgs, "monitoring_interval_seconds"
    )
    performance_insights_retention_days: Literal[PERFORMANCE_INSIGHTS_RETENTION_DAYS] = from_arg(  # type: ignore[valid-type]
        ManagedPostgresArgs, "performance_insights_retention_days", allowed="7, 31 x months (31-713), 731"
    )
    read_replicas: int = from_arg(ManagedPostgresArgs, "read_replicas", ge=0, le=5)
    database_name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,62}$")] = from_arg(
        ManagedPostgresArgs, "database_name"
    )
    master_username: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,15}$")] = from_arg(
        ManagedPostgresArgs, "master_username"
    )
    app_username: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,62}$")] = own(
        "app",
        "The user every service logs in as, with IAM authentication (no password to rotate); not the master "
        'user. The database\'s users task creates it (see "Database credentials").',
    )
    users_task_image: Annotated[str, StringConstraints(pattern=r"^\S+$")] | None = from_arg(
        ManagedPostgresArgs,
        "users_task_image",
        also="With `network.nat: none`, name a copy in a private ECR repository.",
        allowed="an image reference",
        shown_default="`public.ecr.aws/docker/library/postgres:<major>-alpine`",
    )
    max_connections_alarm: int | None = from_arg(
        ManagedPostgresArgs,
        "max_connections_alarm",
        ge=1,
        shown_default="RDS's formula over the class's memory (`components/instance_classes.csv`)",
    )
    schedule: ScheduleConfig | None = own(
        None,
        "Stop the instance outside these hours with EventBridge Scheduler (storage and backups still bill). "
        "Every service's schedule must lie inside it (same days or daily, start no later, stop no "
        "earlier); not with read replicas. The backup and maintenance windows move into the running hours "
        "unless set: then they must lie inside them (config error).",
        shown_default="none (always on)",
    )
    backup_window: str | None = from_arg(
        ManagedPostgresArgs,
        "backup_window",
        allowed=DAILY_FORMAT,
        shown_default="`02:00-03:00`; with `schedule`, 30 minutes from an hour after its start",
    )
    maintenance_window: str | None = from_arg(
        ManagedPostgresArgs,
        "maintenance_window",
        allowed=WEEKLY_FORMAT,
        shown_default="`sun:03:30-sun:04:30`; with `schedule`, 30 minutes on Wednesday two hours after its start",
    )

    @field_validator("backup_window")
    @classmethod
    def _rds_backup_window(cls, window: str | None) -> str | None:
        return _checked_window(window, weekly=False, minimum_minutes=RDS_WINDOW_MINUTES)

    @field_validator("maintenance_window")
    @classmethod
    def _rds_maintenance_window(cls, window: str | None) -> str | None:
        return _checked_window(window, weekly=True, minimum_minutes=RDS_WINDOW_MINUTES)


class CacheConfig(Section):
    """The cache (RedisCache)."""

    engine: Literal["redis", "valkey"] = from_arg(
        RedisCacheArgs,
        "engine",
        also="Switching a deployed cache from redis to valkey is an in-place engine upgrade of the "
        "replication group: run `webstack preview` and read the diff first.",
    )
    engine_version: str = from_arg(
        RedisCacheArgs,
        "engine_version",
        also='Quote it in YAML ("8.0").',
        allowed="redis: 6.2, 7.0, 7.1; valkey: 7.2, 8.0, 8.1",
    )
    node_type: Annotated[str, StringConstraints(pattern=r"^cache\.[a-z0-9]+\.[a-z0-9]+$")] = from_arg(
        RedisCacheArgs, "node_type", allowed="a node type ElastiCache offers (`components/instance_classes.csv`)"
    )
    replicas: int = from_arg(RedisCacheArgs, "replicas", ge=0, le=5)
    automatic_failover: bool = from_arg(RedisCacheArgs, "automatic_failover")
    snapshot_retention_days: int = from_arg(RedisCacheArgs, "snapshot_retention_days", ge=0, le=35)
    snapshot_window: str = from_arg(RedisCacheArgs, "snapshot_window", allowed=DAILY_FORMAT)
    maintenance_window: str = from_arg(RedisCacheArgs, "maintenance_window", allowed=WEEKLY_FORMAT)
    memory_alarm_percent: float = from_arg(RedisCacheArgs, "memory_alarm_percent", gt=0, le=100)
    auth_token_rotation_days: int | None = own(
        30,
        "Secrets Manager rotates the AUTH token every this many days with webstack's rotation function (in the "
        "private subnets; ElastiCache accepts the old and the new token until the next rotation), then redeploys "
        "the services so their tasks read the new one. `null`: the token never changes.",
        ge=1,
        le=1000,
    )

    @field_validator("snapshot_window")
    @classmethod
    def _snapshot_window(cls, window: str) -> str:
        return _checked_window(window, weekly=False, minimum_minutes=CACHE_WINDOW_MINUTES) or window

    @field_validator("maintenance_window")
    @classmethod
    def _maintenance_window(cls, window: str) -> str:
        return _checked_window(window, weekly=True, minimum_minutes=CACHE_WINDOW_MINUTES) or window


DnsLabel = Annotated[str, StringConstraints(pattern=r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)?$")]


class ImageBuildConfig(Section):
    """Build the service's image at deploy time (awsx.ecr.Image; needs Docker)."""

    context: str = from_arg(ImageBuild, "context")
    dockerfile: str = from_arg(ImageBuild, "dockerfile")


class BucketAccessConfig(Section):
    """What the service's task role may do in one bucket of `webstack:buckets`."""

    bucket: str = own(..., "A key of `webstack:buckets`.")
    prefix: Annotated[str, StringConstraints(pattern=r"^([A-Za-z0-9!_.*'()-]+/)*$")] = from_arg(BucketGrant, "prefix")
    access: Literal["read", "read_write"] = from_arg(BucketGrant, "access")


class ApiConfig(Section):
    """The containerised API (a service of FargateApi)."""

    cpu: Literal[256, 512, 1024, 2048, 4096, 8192, 16384] = from_arg(ServiceSpec, "cpu")
    memory_mib: int = from_arg(ServiceSpec, "memory_mib", allowed="what Fargate allows for the CPU")
    architecture: Literal["ARM64", "X86_64"] = from_arg(ServiceSpec, "architecture")
    desired_count: int = from_arg(ServiceSpec, "desired_count", ge=0, le=100)
    min_count: int = from_arg(ServiceSpec, "min_count", ge=0, le=100)
    max_count: int = from_arg(ServiceSpec, "max_count", ge=1, le=100)
    container_port: int = from_arg(ServiceSpec, "container_port", ge=1, le=65535)
    health_check_path: Annotated[str, StringConstraints(pattern=r"^/\S*$")] = from_arg(ServiceSpec, "health_check_path")
    health_check_grace_seconds: int = from_arg(ServiceSpec, "health_check_grace_seconds", ge=0, le=2147483647)
    health_check_interval_seconds: int = from_arg(ServiceSpec, "health_check_interval_seconds", ge=5, le=300)
    health_check_timeout_seconds: int = from_arg(
        ServiceSpec, "health_check_timeout_seconds", ge=2, le=120, also="Less than health_check_interval_seconds."
    )
    healthy_threshold: int = from_arg(ServiceSpec, "healthy_threshold", ge=2, le=10)
    unhealthy_threshold: int = from_arg(ServiceSpec, "unhealthy_threshold", ge=2, le=10)
    health_check_matcher: Annotated[str, StringConstraints(pattern=HTTP_CODES)] = from_arg(
        ServiceSpec, "health_check_matcher"
    )
    deregistration_delay_seconds: int = from_arg(ServiceSpec, "deregistration_delay_seconds", ge=0, le=3600)
    deployment_minimum_healthy_percent: int = from_arg(ServiceSpec, "deployment_minimum_healthy_percent", ge=0, le=100)
    deployment_maximum_percent: int = from_arg(ServiceSpec, "deployment_maximum_percent", ge=100, le=200)
    scale_in_cooldown_seconds: int = from_arg(ServiceSpec, "scale_in_cooldown_seconds", ge=0, le=3600)
    scale_out_cooldown_seconds: int = from_arg(ServiceSpec, "scale_out_cooldown_seconds", ge=0, le=3600)
    image: Annotated[str, StringConstraints(min_length=3)] | None = own(
        None,
        "Prebuilt image to run: `{repository}:TAG` is the service's own ECR repository, or a full image URI. "
        "Exactly one of `image` and `build`.",
    )
    build: ImageBuildConfig | None = own(None, "Build the image from a Docker context instead of `image`.")
    cpu_target_percent: float = from_arg(ServiceSpec, "cpu_target_percent", gt=0, le=100)
    memory_target_percent: float = from_arg(ServiceSpec, "memory_target_percent", gt=0, le=100)
    requests_per_target: int | None = from_arg(ServiceSpec, "requests_per_target", ge=1)
    environment: dict[Annotated[str, StringConstraints(pattern=r"^[A-Z_][A-Z0-9_]*$")], str] = from_arg(
        ServiceSpec,
        "environment",
        also="webstack sets DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_IAM_AUTH (DATABASE_URL too with "
        "`database_url`) and <BUCKET>_BUCKET for each of `webstack:buckets` (and the OTEL_ variables with "
        "`tracing`), and injects REDIS_URL from Secrets Manager; a name that collides with one of these is a "
        "config error.",
        allowed="`UPPER_CASE` names",
    )
    bucket_access: tuple[BucketAccessConfig, ...] = own((), "Buckets (and prefixes) the task role may use.")
    database_url: bool = own(
        False,
        "Also set DATABASE_URL=`postgresql://<app_username>@<host>:5432/<database_name>?sslmode=require` (with "
        "DB_HOST and the rest) for apps that read one URL. It holds no password: the service logs in with IAM "
        "authentication, so the app makes a token (`generate-db-auth-token`, valid 15 minutes) from its task "
        "role when it opens a connection and passes it as the password.",
    )
    cpu_alarm_percent: float = from_arg(ServiceSpec, "cpu_alarm_percent", gt=0, le=100)
    memory_alarm_percent: float = from_arg(ServiceSpec, "memory_alarm_percent", gt=0, le=100)
    app_secrets: tuple[Annotated[str, StringConstraints(pattern=r"^[A-Z_][A-Z0-9_]*$")], ...] = from_arg(
        ServiceSpec,
        "app_secrets",
        also="Secrets are named `<prefix>/<service>/<NAME>` and encrypted with the API's CMK; set each with "
        "`aws secretsmanager put-secret-value`.",
        allowed="`UPPER_CASE` names, not the injected ones",
    )
    capacity: Literal["on_demand", "spot", "spot_above_min"] = own(
        "on_demand",
        "Fargate capacity: `spot` for non-production services (two-minute interruption notice); "
        "`spot_above_min` keeps min_count tasks on demand and runs only the tasks autoscaling adds above them on "
        "Fargate Spot (production: a Spot reclaim or shortage never takes the service below min_count).",
    )
    release: ReleaseConfig | None = own(
        None, "What `webstack release` builds, migrates and checks for this service.", shown_default="none"
    )
    schedule: ScheduleConfig | None = own(
        None,
        "Scale the service to zero outside these hours; it must lie inside `database.schedule` if the database "
        "has one.",
        shown_default="none (always on)",
    )
    deployment: Literal["rolling", "blue_green"] = from_arg(
        ServiceSpec, "deployment", also="`blue_green` on a worker (no load balancer) is a config error."
    )
    bake_time_minutes: int = from_arg(ServiceSpec, "bake_time_minutes", ge=0, le=1440)
    exec: bool = from_arg(
        ServiceSpec,
        "exec_enabled",
        also="`webstack tunnel` reaches the database and cache through a task of a service with exec on.",
    )
    tracing: bool = from_arg(ServiceSpec, "tracing", also="Needs `network.nat` single or per_az.")


class LoadBalancerConfig(Section):
    """The one ALB that every routed service of the stack shares."""

    scheme: Literal["internet-facing", "internal"] | None = from_arg(
        FargateApiArgs,
        "load_balancer_scheme",
        also="Without `domain.name` the ALB can have no certificate, so it must be internal (listening on HTTP "
        "80 for CloudFront's VPC origin only). Switching a deployed stack's scheme replaces the ALB: turn "
        "deletion_protection off for that `up` and expect a short API outage.",
        shown_default="`internet-facing` with `domain.name`, `internal` without",
        default=None,
    )

    def resolved_scheme(self, custom_domain: bool) -> Literal["internet-facing", "internal"]:
        return self.scheme or ("internet-facing" if custom_domain else "internal")

    deletion_protection: bool = from_arg(FargateApiArgs, "load_balancer_deletion_protection")
    error_rate_alarm_percent: float = from_arg(FargateApiArgs, "error_rate_alarm_percent", gt=0, le=100)
    latency_alarm_seconds: float = from_arg(FargateApiArgs, "latency_alarm_seconds", gt=0)
    idle_timeout_seconds: int = from_arg(FargateApiArgs, "idle_timeout_seconds", ge=1, le=4000)


# Keys of webstack:api (and webstack:services.<name>) that belong to the shared ALB: set on one
# service they were honoured only from the first; they now live in webstack:load_balancer.
MOVED_TO_LOAD_BALANCER = {
    "load_balancer_scheme": "scheme",
    "load_balancer_deletion_protection": "deletion_protection",
    "error_rate_alarm_percent": "error_rate_alarm_percent",
    "latency_alarm_seconds": "latency_alarm_seconds",
}


class DnsRecordConfig(Section):
    """One record set of the domain's zone (mail, verification, CAA, a CNAME to another service)."""

    name: Annotated[str, StringConstraints(pattern=RECORD_NAME.pattern)] = from_arg(
        DnsRecord, "name", allowed='lower-case DNS labels (letters, digits, `-`, `_`), `""` for the apex'
    )
    type: Literal["MX", "TXT", "CAA", "CNAME"] = from_arg(DnsRecord, "type")
    values: tuple[str, ...] = from_arg(DnsRecord, "values", min_length=1, allowed="a list of text")
    ttl: int = from_arg(DnsRecord, "ttl", ge=60, le=172800)


class DomainConfig(Section):
    """The domain, its certificates, zone and web ACL (EdgeDomain)."""

    name: Annotated[str, StringConstraints(pattern=r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")] | None = (
        from_arg(
            EdgeDomainArgs,
            "domain",
            also="Leaving out all of `webstack:domain` does the same; see `accept_no_custom_domain` and "
            'README "Domains and DNS".',
            allowed="a DNS name",
            shown_default="`null` (no custom domain)",
            default=None,
        )
    )
    accept_no_custom_domain: bool = own(
        False,
        "Without `name`, viewers reach CloudFront's default `*.cloudfront.net` certificate, on which CloudFront "
        "still negotiates TLSv1 and TLSv1.1 whatever the distribution asks, and CloudFront reaches the API's "
        "internal ALB over HTTP through its VPC origin, inside AWS's network (no public certificate can name a "
        "load balancer without a domain). The policy pack's rule `no-custom-domain` judges that: advisory in "
        "dev and staging, mandatory in a stack judged by `prod.json` unless this is `true`, which tags those "
        "resources `AcceptedRisk: no-custom-domain` and lists them as advisories on every preview.",
    )
    hosted_zone: Literal["lookup", "create", "external"] = from_arg(
        EdgeDomainArgs,
        "hosted_zone",
        also="With `external`, `plan`, `up` and the `dnsRecords` output list the records to create there (see "
        '"DNS elsewhere"); a proxied (Cloudflare orange-cloud) record in front of CloudFront is not supported.',
    )
    validation_timeout_minutes: int = from_arg(EdgeDomainArgs, "validation_timeout_minutes", ge=5, le=4320)
    api_host: DnsLabel = own(
        "api",
        "Host of the API under the domain; an internet-facing ALB answers at `origin-<api_host>.<domain>` "
        '(`origin.<domain>` with `""`, the API at the apex).',
    )
    waf: bool = from_arg(EdgeDomainArgs, "waf")
    rate_limit_per_5_minutes: int = from_arg(EdgeDomainArgs, "rate_limit_per_5_minutes", ge=10, le=2000000000)
    api_max_body_kb: int | None = from_arg(
        EdgeDomainArgs,
        "api_max_body_kb",
        also="The sites keep the Common Rule Set's 8 KB (its SizeRestrictions_BODY rule only counts, and a rule "
        "of ours blocks its label on every other host). `null` leaves API bodies to the application.",
        ge=1,
        le=64,
    )
    records: tuple[DnsRecordConfig, ...] = from_arg(
        EdgeDomainArgs,
        "records",
        also="Only in a zone webstack manages (`hosted_zone` lookup or create); a CNAME may not take a name "
        "webstack serves.",
    )

    @property
    def origin_label(self) -> str:
        """The ALB's origin host under the domain: origin-<api_host>, or origin for an API at the apex."""
        return f"origin-{self.api_host}" if self.api_host else "origin"

    price_class: Literal["PriceClass_100", "PriceClass_200", "PriceClass_All"] | None = own(
        None,
        "CloudFront edge locations used: the users' continent must be in it (100 has no Middle East edge).",
        shown_default="from `aws:region`: `PriceClass_100` for North America, Europe and Israel; `PriceClass_200` "
        "for the Middle East, Africa and Asia; `PriceClass_All` for South America and Australia/New Zealand",
    )


class SiteConfig(Section):
    """A static site: a private bucket served by its own distribution at <host>.<domain> (or on
    the distribution's *.cloudfront.net name without a custom domain)."""

    host: DnsLabel | None = own(
        None,
        'The site answers at `<host>.<domain>`; `""` is the apex. Required with `domain.name`; without one the '
        "site answers on its distribution's `*.cloudfront.net` name.",
        shown_default="required with `domain.name`",
    )
    cache: Literal["marketing", "dashboard", "assets"] = own(
        "marketing", "Default TTL profile: marketing (1 day), dashboard (1 hour), assets (30 days)."
    )
    spa: bool = from_arg(EdgeDistributionArgs, "spa")
    redirect_www: bool = own(False, "`www.<domain>` redirects (301) to the apex; apex sites only.")
    versioning: bool = from_arg(StaticSiteArgs, "versioning")
    content_dir: str | None = from_arg(StaticSiteArgs, "content_dir")
    build_command: tuple[str, ...] = own(
        (),
        "Command `webstack release` runs in the project directory before updating the stack, to build the "
        '`content_dir` that `up` uploads (and invalidates in CloudFront). Example: ["npm", "run", "build"].',
        allowed="a list of strings (no shell)",
    )


class LifecycleConfig(Section):
    """Transitions and expirations of a data bucket's objects."""

    transition_days: int | None = from_arg(LifecycleRule, "transition_days", ge=1)
    storage_class: Literal[
        "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"
    ] = from_arg(LifecycleRule, "storage_class")
    expiration_days: int | None = from_arg(LifecycleRule, "expiration_days", ge=1)
    noncurrent_expiration_days: int | None = from_arg(LifecycleRule, "noncurrent_expiration_days", ge=1)


class BucketConfig(Section):
    """A private data bucket (uploads, backups): never served, encrypted with its own CMK."""

    versioning: bool = own(True, "Bucket versioning: data buckets keep every version unless told not to.")
    cors_origins: tuple[Annotated[str, StringConstraints(pattern=r"^https://\S+$")], ...] = own(
        (), "`https://` origins allowed by CORS (browser uploads with signed URLs)."
    )
    cors_methods: tuple[Literal["GET", "PUT", "POST", "DELETE", "HEAD"], ...] = own(
        ("GET", "PUT"), "Methods allowed by CORS."
    )
    lifecycle: LifecycleConfig | None = own(None, "Transitions and expirations; none by default.")
    replicate: bool = own(
        False,
        "Replicate every new object version (S3 cross-region replication with Replication Time Control: 99.99 % "
        "within 15 minutes) into a replica bucket in `backup.copy_region`, versioned, under its own key there, "
        "with the source's public-access blocks, TLS-only policy, ownership and lifecycle. Needs `versioning` and "
        "`webstack:backup`.",
    )


class ServiceConfig(ApiConfig):
    """One more service on the API's cluster: routed by host and/or path on the shared ALB, or a
    worker without a load balancer."""

    hosts: tuple[Annotated[str, StringConstraints(pattern=r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")], ...] = own(
        (),
        "Host names (DNS labels under the domain) the service answers: a CloudFront distribution each; "
        "the ALB matches the Host header.",
    )
    paths: tuple[Annotated[str, StringConstraints(pattern=r"^/[A-Za-z0-9_./*?-]*$")], ...] = own(
        (), "ALB path patterns (`/api/*`) the service answers, on its hosts or on any host."
    )
    worker: bool = own(False, "No load balancer: a background worker (no hosts, no paths).")


class AlertsConfig(Section):
    """Who hears the alarms: each address or endpoint is subscribed to the stack's alert topic."""

    emails: tuple[Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")], ...] = from_arg(
        AlertTopicArgs,
        "emails",
        also="A stack judged by `policy/config/prod.json` must name at least one subscriber here, in "
        "`https_endpoints`, `slack` or `pagerduty_url` (config error); others get a warning.",
    )
    https_endpoints: tuple[Annotated[str, StringConstraints(pattern=r"^https://\S+$")], ...] = from_arg(
        AlertTopicArgs, "https_endpoints"
    )
    slack: SlackConfig | None = from_arg(
        AlertTopicArgs,
        "slack",
        also="The ids are not secrets; authorise the workspace in the AWS Chatbot console first.",
        allowed="`workspace_id` and `channel_id`, or `null`",
    )
    pagerduty_url: str | None = from_arg(
        AlertTopicArgs,
        "pagerduty_url",
        also="Only as a secret: `pulumi config set --secret --path webstack:alerts.pagerduty_url` (it asks for the "
        "URL); a plain value in the stack file is a config error.",
        allowed="`https://events.pagerduty.com/integration/<key>/enqueue` (or `events.eu.`), set as a secret",
    )

    @field_validator("pagerduty_url")
    @classmethod
    def _pagerduty(cls, value: str | None) -> str | None:
        return checked_pagerduty_url(value)

    def subscribers(self) -> int:
        routes = (self.slack, self.pagerduty_url)
        return len(self.emails) + len(self.https_endpoints) + sum(route is not None for route in routes)


class StackIdentity(Section):
    """What every kind of stack states: where it deploys, to which account, how it is judged,
    named and tagged. Keys are those of Pulumi.<stack>.yaml without the namespace."""

    region: Literal[AWS_REGIONS] = own(  # type: ignore[valid-type]
        ..., "Region of every regional resource.", allowed="AWS commercial regions"
    )
    account_id: Annotated[str, StringConstraints(pattern=r"^\d{12}$")] | None = own(
        None,
        "The only account the stack may deploy to: the provider's `allowed_account_ids`, and `webstack up/preview` "
        "check the credentials against it first.",
        allowed="12 digits",
    )
    environment: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,15}$")] = own(
        ...,
        "The `Environment` tag, and which `policy/config/<environment>.json` judges the stack.",
        shown_default="the stack name",
    )
    name_prefix: NamePrefix = own(
        ...,
        "Prefix of physical names (`<prefix>-db`, `<prefix>-cache`, ...).",
        allowed="lower-case letters, digits, single hyphens, 3-24 characters",
    )
    tags: dict[
        Annotated[str, StringConstraints(min_length=1, max_length=128)],
        Annotated[str, StringConstraints(max_length=256)],
    ] = own(
        {},
        "Extra tags on every resource (with Project, Environment, ManagedBy), through the provider's default_tags.",
        allowed="keys 1-128 characters, not `aws:`; values up to 256; letters, digits, spaces and `_ . : / = + - @` "
        "(S3 accepts no others)",
    )

    @field_validator("account_id", mode="before")
    @classmethod
    def _account_as_text(cls, value: object) -> object:
        # An unquoted account id in YAML is a number; AWS account ids are 12 digits.
        return f"{value:012d}" if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("tags")
    @classmethod
    def _tags_every_service_accepts(cls, tags: dict[str, str]) -> dict[str, str]:
        reserved = sorted(k for k in tags if k.lower().startswith("aws:"))
        if reserved:
            raise ValueError(f"tag keys starting with 'aws:' are reserved by AWS: {', '.join(reserved)}")
        refused = [text for pair in tags.items() for text in pair if not TAG_CHARACTERS.match(text)]
        if refused:
            shown = ", ".join(repr(text) for text in refused)
            raise ValueError(
                f"tags reach every resource, and S3 accepts only letters, digits, spaces and _ . : / = + - @ "
                f"in tag keys and values (got {shown})"
            )
        return tags


class StackConfig(StackIdentity):
    """Everything one stack decides. Keys are those of Pulumi.<stack>.yaml without the namespace."""

    log_retention_days: Literal[LOG_RETENTION_DAYS] = own(  # type: ignore[valid-type]
        DEFAULT_RETENTION_DAYS,
        "Retention of every log group of the stack.",
        allowed="CloudWatch values (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)",
    )
    alerts: AlertsConfig = own(AlertsConfig(), "Who hears the alarms.")
    observability: ObservabilityConfig = own(
        ObservabilityConfig(), "The stack's dashboard and WAF logs (alarms are always on)."
    )
    network: Annotated[NetworkConfig | None, FALSE_IS_NONE] = own(
        NetworkConfig(), "The VPC; `false`: none (a serverless stack). The database, cache and services need it."
    )
    database: Annotated[DatabaseConfig | None, FALSE_IS_NONE] = own(
        DatabaseConfig(), "The database; `false`: none. Every service needs it."
    )
    cache: Annotated[CacheConfig | None, FALSE_IS_NONE] = own(
        CacheConfig(), "The cache; `false`: none. Every service needs it."
    )
    api: ApiConfig | None = own(None, "The containerised API.")
    load_balancer: LoadBalancerConfig = own(LoadBalancerConfig(), "The ALB the routed services share.")
    services: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,20}$")], ServiceConfig] = own(
        {},
        "More services on the API's cluster and ALB, each with its own repository, roles, task, scaling and "
        "alarms, and the database, cache and secrets the API gets.",
        allowed="every key of `webstack:api`, plus `hosts`, `paths`, `worker`",
    )
    jobs: dict[JobName, JobConfig] = own(
        {}, JOBS_DESCRIPTION, allowed="keys of lower-case letters, digits and `-` (at most 31)"
    )
    domain: DomainConfig | None = own(
        None, "The domain every host lives under, and the CloudFront settings (WAF, price class) with or without one."
    )

    @property
    def custom_domain(self) -> str | None:
        """The domain the hosts live under; None: they answer on their *.cloudfront.net names."""
        return self.domain.name if self.domain is not None else None

    @property
    def edge(self) -> DomainConfig:
        """The CloudFront settings, the defaults when webstack:domain is left out."""
        return self.domain if self.domain is not None else DomainConfig()

    sites: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,30}$")], SiteConfig] = own(
        {}, "Static sites."
    )
    buckets: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,30}$")], BucketConfig] = own(
        {}, "Private data buckets."
    )
    table: TableConfig | None = own(None, "The DynamoDB table of the serverless functions.")
    backup: Annotated[BackupConfig | None, FALSE_IS_NONE] = own(
        None, BACKUP_DESCRIPTION, shown_default="none (no backup plan, no replicas)"
    )
    users: UsersConfig | None = own(None, "The Cognito user pool that signs in the API's users and admins.")
    secrets: tuple[UpperName, ...] = own(
        (),
        "Secrets the functions read (a payment provider's key): each is `<name_prefix>/<NAME>` under its own CMK, "
        "its value set once with `aws secretsmanager put-secret-value`, never in config; readable only by the "
        "functions that list it.",
        allowed="`UPPER_CASE` names",
    )
    guardduty_agent_repository: (
        Annotated[
            str, StringConstraints(pattern=r"^arn:aws:ecr:[a-z0-9-]+:\d{12}:repository/aws-guardduty-agent-fargate$")
        ]
        | None
    ) = own(
        None,
        "The ECR repository (of an AWS account, one per region) hosting GuardDuty's Fargate security agent: the "
        "services' execution roles may pull it. Needed before the account baseline's "
        "`guardduty.ecs_fargate_runtime` is on, since GuardDuty then adds the agent to every task (a task whose "
        "role cannot pull it does not start). Take the ARN for the stack's region from GuardDuty's user guide, "
        '"Repository for GuardDuty agent on AWS Fargate (Amazon ECS only)".',
        allowed="`arn:aws:ecr:<region>:<account>:repository/aws-guardduty-agent-fargate`",
        shown_default="none",
    )
    secret_rotation: dict[SecretKey, SecretRotationConfig] = own(
        {}, SECRET_ROTATION_DESCRIPTION, allowed="`NAME` or `<service>/NAME` of a declared secret"
    )
    functions: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,20}$")], FunctionConfig] = own(
        {}, "Lambda functions, each `<name_prefix>-<key>`.", allowed="keys of lower-case letters, digits and `-`"
    )
    function_api: FunctionApiConfig | None = own(None, "The REST API routing requests to `webstack:functions`.")
    access_log_expiration_days: int = own(365, "How long the log bucket keeps ALB, S3 and CloudFront logs.", ge=1)
    image_scanning: ImageScanningConfig = own(
        ImageScanningConfig(),
        "How the account's ECR registry scans images, and which findings stop `webstack release` (README "
        '"Supply chain").',
    )
    keep_data_on_destroy: bool | None = own(
        None,
        "`true`: secrets wait 7 days before deletion (their names stay taken) and buckets and image repositories "
        "that hold objects stop `destroy`; `false`: `destroy` deletes them with their data, so a dev stack can be "
        "destroyed and created again at once (the database's own protection is `database.deletion_protection`).",
        shown_default="`true` for a stack judged by `policy/config/prod.json`, else `false`",
    )


PriceClass = Literal["PriceClass_100", "PriceClass_200", "PriceClass_All"]

# CloudFront price classes by where the users are (CloudFront Developer Guide, "Price classes"):
# 100 covers North America, Europe and Israel; 200 adds the Middle East, Africa, India, Japan
# and the rest of Asia; only All reaches South America and Australia/New Zealand.
_PRICE_CLASS_200 = ("me-", "af-", "ap-south-", "ap-east-", "ap-northeast-", "ap-southeast-1", "ap-southeast-3",
                    "ap-southeast-5", "ap-southeast-7")  # fmt: skip
_PRICE_CLASS_ALL = ("sa-", "ap-southeast-2", "ap-southeast-4", "ap-southeast-6")


def price_class_for_region(region: str) -> PriceClass:
    """The cheapest price class whose edge locations include the users of a stack in ``region``
    (a stack serves the users near where it runs; set domain.price_class when they are elsewhere)."""
    if region.startswith(_PRICE_CLASS_ALL):
        return "PriceClass_All"
    if region.startswith(_PRICE_CLASS_200):
        return "PriceClass_200"
    return "PriceClass_100"


def fargate_memory_choices(cpu: int) -> list[int]:
    low, high, step = FARGATE_MEMORY_MIB[cpu]
    if step == 0:
        return [512, 1024, 2048]
    return list(range(low, high + 1, step))
