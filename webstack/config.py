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
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from .schedule_hours import weekly_hours

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

# The only values CloudWatch Logs accepts for retentionInDays.
LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
    2922, 3288, 3653,
)  # fmt: skip

# Interface endpoints a NAT-free private subnet needs for Fargate: image pull (ECR api + dkr,
# layers come through the S3 gateway endpoint), logs, and secrets injection.
FARGATE_ENDPOINTS = ("ecr.api", "ecr.dkr", "logs", "secretsmanager")
INTERFACE_ENDPOINTS = (*FARGATE_ENDPOINTS, "sts", "kms", "ssm", "ssmmessages", "monitoring")

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

NamePrefix = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,22}[a-z0-9]$")]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SubnetPrefixes(Section):
    """Prefix length of each subnet tier (one subnet per tier and AZ)."""

    public: int = Field(default=24, ge=16, le=28)
    private: int = Field(default=20, ge=16, le=28)
    isolated: int = Field(default=24, ge=16, le=28)


class NetworkConfig(Section):
    cidr: ipaddress.IPv4Network = ipaddress.IPv4Network("10.0.0.0/16")
    az_count: int = Field(default=2, ge=2, le=3)
    nat: Literal["none", "single", "per_az"] = "single"
    # gateway: managed NAT gateways; instance: one small Graviton EC2 NAT instance per NAT
    # (a tenth of the price, burstable bandwidth, replaced rather than patched in place).
    nat_type: Literal["gateway", "instance"] = "gateway"
    nat_instance_type: Annotated[
        str,
        StringConstraints(
            pattern=r"^(t4g\.(nano|micro|small|medium|large|xlarge)|(c6g|c6gn|c7g|c7gn|m6g|m7g)\.(medium|large|xlarge))$"
        ),
    ] = "t4g.nano"
    interface_endpoints: tuple[Literal[INTERFACE_ENDPOINTS], ...] = ()  # type: ignore[valid-type]
    subnet_prefixes: SubnetPrefixes = SubnetPrefixes()
    flow_log_traffic: Literal["ALL", "REJECT", "ACCEPT"] = "ALL"

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

    days: Literal["MON-FRI", "daily"] = "MON-FRI"
    start_hour_utc: int = Field(default=6, ge=0, le=23)
    stop_hour_utc: int = Field(default=18, ge=0, le=23)

    def working_hours(self) -> tuple[str, int, int]:
        """(cron days, start hour, stop hour) for the components."""
        return ("MON-FRI" if self.days == "MON-FRI" else "*", self.start_hour_utc, self.stop_hour_utc)

    def hours_of_week(self) -> frozenset[int]:
        return weekly_hours(*self.working_hours())

    def covers(self, other: ScheduleConfig) -> bool:
        """Whether every hour ``other`` runs, these run too (overnight windows included)."""
        return other.hours_of_week() <= self.hours_of_week()


class DatabaseConfig(Section):
    engine_version: Literal[POSTGRES_MAJOR_VERSIONS] = "15"  # type: ignore[valid-type]
    instance_class: Annotated[str, StringConstraints(pattern=r"^db\.[a-z0-9]+\.[a-z0-9]+$")] = "db.t4g.micro"
    allocated_storage_gb: int = Field(default=20, ge=20, le=65536)
    max_allocated_storage_gb: int = Field(default=100, ge=20, le=65536)
    multi_az: bool = False
    backup_retention_days: int = Field(default=7, ge=1, le=35)
    deletion_protection: bool = True
    final_snapshot: bool = True
    performance_insights: bool = True
    monitoring_interval_seconds: Literal[0, 1, 5, 10, 15, 30, 60] = 60
    read_replicas: int = Field(default=0, ge=0, le=5)
    database_name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,62}$")] = "app"
    master_username: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,15}$")] = "app_admin"
    # The user the services log in as, with IAM authentication (no password to rotate).
    app_username: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,62}$")] = "app"
    # psql image of the one-off task that creates app_username (default: ECR Public's postgres).
    users_task_image: Annotated[str, StringConstraints(pattern=r"^\S+$")] | None = None
    max_connections_alarm: int | None = Field(default=None, ge=1)
    # Stopped out of these hours; every service's schedule must lie inside them.
    schedule: ScheduleConfig | None = None


class CacheConfig(Section):
    engine: Literal["redis", "valkey"] = "redis"
    engine_version: str = "7.1"
    node_type: Annotated[str, StringConstraints(pattern=r"^cache\.[a-z0-9]+\.[a-z0-9]+$")] = "cache.t4g.micro"
    replicas: int = Field(default=0, ge=0, le=5)
    automatic_failover: bool = False
    snapshot_retention_days: int = Field(default=1, ge=0, le=35)


DnsLabel = Annotated[str, StringConstraints(pattern=r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)?$")]


class ImageBuildConfig(Section):
    context: str
    dockerfile: str = "Dockerfile"


class BucketAccessConfig(Section):
    bucket: str
    prefix: Annotated[str, StringConstraints(pattern=r"^([A-Za-z0-9!_.*'()-]+/)*$")] = ""
    access: Literal["read", "read_write"] = "read"


class ApiConfig(Section):
    """The containerised API (FargateApi)."""

    cpu: Literal[256, 512, 1024, 2048, 4096, 8192, 16384] = 512
    memory_mib: int = 1024
    architecture: Literal["ARM64", "X86_64"] = "ARM64"
    desired_count: int = Field(default=2, ge=0, le=100)
    min_count: int = Field(default=2, ge=0, le=100)
    max_count: int = Field(default=10, ge=1, le=100)
    container_port: int = Field(default=8000, ge=1, le=65535)
    health_check_path: Annotated[str, StringConstraints(pattern=r"^/\S*$")] = "/health"
    health_check_grace_seconds: int = Field(default=60, ge=0, le=2147483647)
    image: Annotated[str, StringConstraints(min_length=3)] | None = None
    build: ImageBuildConfig | None = None
    cpu_target_percent: float = Field(default=70, gt=0, le=100)
    memory_target_percent: float = Field(default=80, gt=0, le=100)
    requests_per_target: int | None = Field(default=None, ge=1)
    environment: dict[Annotated[str, StringConstraints(pattern=r"^[A-Z_][A-Z0-9_]*$")], str] = {}
    bucket_access: tuple[BucketAccessConfig, ...] = ()
    cpu_alarm_percent: float = Field(default=80, gt=0, le=100)
    memory_alarm_percent: float = Field(default=80, gt=0, le=100)
    app_secrets: tuple[Annotated[str, StringConstraints(pattern=r"^[A-Z_][A-Z0-9_]*$")], ...] = ()
    capacity: Literal["on_demand", "spot"] = "on_demand"
    schedule: ScheduleConfig | None = None


class LoadBalancerConfig(Section):
    """The one ALB that every routed service of the stack shares."""

    # internal: in the private subnets, reached by CloudFront through a VPC origin.
    scheme: Literal["internet-facing", "internal"] = "internet-facing"
    deletion_protection: bool = True
    error_rate_alarm_percent: float = Field(default=5, gt=0, le=100)
    latency_alarm_seconds: float = Field(default=2, gt=0)


# Keys of webstack:api (and webstack:services.<name>) that belong to the shared ALB: set on one
# service they were honoured only from the first; they now live in webstack:load_balancer.
MOVED_TO_LOAD_BALANCER = {
    "load_balancer_scheme": "scheme",
    "load_balancer_deletion_protection": "deletion_protection",
    "error_rate_alarm_percent": "error_rate_alarm_percent",
    "latency_alarm_seconds": "latency_alarm_seconds",
}


class DomainConfig(Section):
    name: Annotated[str, StringConstraints(pattern=r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")]
    hosted_zone: Literal["lookup", "create"] = "lookup"
    api_host: DnsLabel = "api"
    waf: bool = True
    rate_limit_per_5_minutes: int = Field(default=2000, ge=10, le=2000000000)
    # Largest request body (KB) the WAF lets through to the API and its services (the sites keep
    # the Common Rule Set's 8 KB). Above 16 KB, CloudFront sends WAF more of each body, billed
    # per request larger than 16 KB. null: no WAF body limit on the API (the application's own).
    api_max_body_kb: int | None = Field(default=16, ge=1, le=64)
    # None: the edge locations nearest the stack's region (price_class_for_region).
    price_class: Literal["PriceClass_100", "PriceClass_200", "PriceClass_All"] | None = None


class SiteConfig(Section):
    """A static site: a private bucket served by its own distribution at <host>.<domain>."""

    host: DnsLabel  # "" is the apex
    cache: Literal["marketing", "dashboard", "assets"] = "marketing"
    spa: bool = False
    redirect_www: bool = False
    versioning: bool = False
    content_dir: str | None = None


class LifecycleConfig(Section):
    transition_days: int | None = Field(default=None, ge=1)
    storage_class: Literal[
        "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"
    ] = "STANDARD_IA"
    expiration_days: int | None = Field(default=None, ge=1)
    noncurrent_expiration_days: int | None = Field(default=None, ge=1)


class BucketConfig(Section):
    """A private data bucket (uploads, backups): never served, encrypted with its own CMK."""

    versioning: bool = True
    cors_origins: tuple[Annotated[str, StringConstraints(pattern=r"^https://\S+$")], ...] = ()
    cors_methods: tuple[Literal["GET", "PUT", "POST", "DELETE", "HEAD"], ...] = ("GET", "PUT")
    lifecycle: LifecycleConfig | None = None


class ServiceConfig(ApiConfig):
    """One more service on the API's cluster: routed by host and/or path on the shared ALB, or a
    worker without a load balancer."""

    hosts: tuple[Annotated[str, StringConstraints(pattern=r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")], ...] = ()
    paths: tuple[Annotated[str, StringConstraints(pattern=r"^/[A-Za-z0-9_./*?-]*$")], ...] = ()
    worker: bool = False


class AlertsConfig(Section):
    """Who hears the alarms: each address or endpoint is subscribed to the stack's alert topic."""

    # E-mail addresses; each confirms its subscription from the mail SNS sends.
    emails: tuple[Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")], ...] = ()
    # HTTPS endpoints that accept SNS notifications (PagerDuty, Opsgenie, an incident webhook).
    https_endpoints: tuple[Annotated[str, StringConstraints(pattern=r"^https://\S+$")], ...] = ()

    def subscribers(self) -> int:
        return len(self.emails) + len(self.https_endpoints)


class StackConfig(Section):
    """Everything one stack decides. Keys are those of Pulumi.<stack>.yaml without the namespace."""

    region: Literal[AWS_REGIONS]  # type: ignore[valid-type]
    # The only account this stack may deploy to (provider allowed_account_ids; checked before `up`).
    account_id: Annotated[str, StringConstraints(pattern=r"^\d{12}$")] | None = None
    environment: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,15}$")]
    name_prefix: NamePrefix
    # default_tags reach every resource, S3 included: only the characters every service accepts.
    tags: dict[
        Annotated[str, StringConstraints(min_length=1, max_length=128)],
        Annotated[str, StringConstraints(max_length=256)],
    ] = {}
    log_retention_days: Literal[LOG_RETENTION_DAYS] = 30  # type: ignore[valid-type]
    alerts: AlertsConfig = AlertsConfig()
    network: NetworkConfig = NetworkConfig()
    database: DatabaseConfig = DatabaseConfig()
    cache: CacheConfig = CacheConfig()
    api: ApiConfig | None = None
    load_balancer: LoadBalancerConfig = LoadBalancerConfig()
    services: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,20}$")], ServiceConfig] = {}
    domain: DomainConfig | None = None
    sites: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,30}$")], SiteConfig] = {}
    buckets: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,30}$")], BucketConfig] = {}
    access_log_expiration_days: int = Field(default=365, ge=1)
    # true: secrets keep a 7-day recovery window and buckets or repositories that hold objects
    # stop `destroy`; false: `destroy` deletes them with their data, and the stack can be created
    # again at once. Unset: true for a stack judged by policy/config/prod.json, else false.
    keep_data_on_destroy: bool | None = None

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
