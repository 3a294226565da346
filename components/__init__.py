"""webstack's ComponentResources. They know nothing of stack config: each takes a name, one
typed args object and ResourceOptions, and parents every child to itself."""

from .account_trail import AccountTrail, AccountTrailArgs
from .alert_topic import AlertTopic, AlertTopicArgs, SlackChannel
from .api_routes import Route as ApiRoute
from .api_settings import BucketGrant
from .app_secret import AppSecret, AppSecretArgs
from .bucket_replication import BucketReplication, BucketReplicationArgs
from .cache_token_rotation import CacheService, CacheTokenRotation, CacheTokenRotationArgs
from .config_recording import ConfigRecording, ConfigRecordingArgs
from .config_rules import ManagedRule
from .cost_budget import CostBudget, CostBudgetArgs
from .dashboard_settings import DashboardParts
from .dns_records import DnsRecord
from .edge_distribution import EdgeDistribution, EdgeDistributionArgs, LoadBalancerOrigin, S3Origin
from .edge_domain import EdgeDomain, EdgeDomainArgs
from .fargate_api import FargateApi, FargateApiArgs, ImageBuild, Route, ServiceSpec
from .item_table import ItemTable, ItemTableArgs
from .lambda_function import ApiTarget, LambdaFunction, LambdaFunctionArgs
from .managed_postgres import ManagedPostgres, ManagedPostgresArgs
from .redis_cache import RedisCache, RedisCacheArgs
from .registry_scanning import RegistryScanning, RegistryScanningArgs
from .scheduled_job import JobRetries, ScheduledJob, ScheduledJobArgs
from .secret_rotation import SecretRotationSchedule
from .secure_vpc import SecureVpc, SecureVpcArgs
from .security_findings import SecurityFindings, SecurityFindingsArgs
from .serverless_api import ServerlessApi, ServerlessApiArgs
from .stack_backup import StackBackup, StackBackupArgs
from .stack_dashboard import StackDashboard, StackDashboardArgs
from .static_site import CorsRule, LifecycleRule, LogTargets, ObjectLock, StaticSite, StaticSiteArgs
from .subnet_layout import TierPrefixes
from .threat_detection import ThreatDetection, ThreatDetectionArgs
from .user_directory import UserDirectory, UserDirectoryArgs
from .waf_logging import WafLogSettings

__all__ = [
    "AccountTrail",
    "AccountTrailArgs",
    "AlertTopic",
    "AlertTopicArgs",
    "ApiRoute",
    "ApiTarget",
    "AppSecret",
    "AppSecretArgs",
    "BucketGrant",
    "BucketReplication",
    "BucketReplicationArgs",
    "CacheService",
    "CacheTokenRotation",
    "CacheTokenRotationArgs",
    "ConfigRecording",
    "ConfigRecordingArgs",
    "CorsRule",
    "CostBudget",
    "CostBudgetArgs",
    "DashboardParts",
    "DnsRecord",
    "EdgeDistribution",
    "EdgeDistributionArgs",
    "EdgeDomain",
    "EdgeDomainArgs",
    "FargateApi",
    "FargateApiArgs",
    "ImageBuild",
    "ItemTable",
    "ItemTableArgs",
    "JobRetries",
    "LambdaFunction",
    "LambdaFunctionArgs",
    "LifecycleRule",
    "LoadBalancerOrigin",
    "LogTargets",
    "ManagedPostgres",
    "ManagedPostgresArgs",
    "ManagedRule",
    "ObjectLock",
    "RedisCache",
    "RedisCacheArgs",
    "RegistryScanning",
    "RegistryScanningArgs",
    "Route",
    "S3Origin",
    "ScheduledJob",
    "ScheduledJobArgs",
    "SecretRotationSchedule",
    "SecureVpc",
    "SecureVpcArgs",
    "SecurityFindings",
    "SecurityFindingsArgs",
    "ServerlessApi",
    "ServerlessApiArgs",
    "ServiceSpec",
    "SlackChannel",
    "StackBackup",
    "StackBackupArgs",
    "StackDashboard",
    "StackDashboardArgs",
    "StaticSite",
    "StaticSiteArgs",
    "ThreatDetection",
    "ThreatDetectionArgs",
    "TierPrefixes",
    "UserDirectory",
    "UserDirectoryArgs",
    "WafLogSettings",
]
