"""webstack's ComponentResources. They know nothing of stack config: each takes a name, one
typed args object and ResourceOptions, and parents every child to itself."""

from .alert_topic import AlertTopic, AlertTopicArgs, SlackChannel
from .api_routes import Route as ApiRoute
from .api_settings import BucketGrant
from .app_secret import AppSecret, AppSecretArgs
from .bucket_replication import BucketReplication, BucketReplicationArgs
from .dashboard_settings import DashboardParts
from .dns_records import DnsRecord
from .edge_distribution import EdgeDistribution, EdgeDistributionArgs, LoadBalancerOrigin, S3Origin
from .edge_domain import EdgeDomain, EdgeDomainArgs
from .fargate_api import FargateApi, FargateApiArgs, ImageBuild, Route, ServiceSpec
from .item_table import ItemTable, ItemTableArgs
from .lambda_function import ApiTarget, LambdaFunction, LambdaFunctionArgs
from .managed_postgres import ManagedPostgres, ManagedPostgresArgs
from .redis_cache import RedisCache, RedisCacheArgs
from .scheduled_job import JobRetries, ScheduledJob, ScheduledJobArgs
from .secure_vpc import SecureVpc, SecureVpcArgs
from .serverless_api import ServerlessApi, ServerlessApiArgs
from .stack_backup import StackBackup, StackBackupArgs
from .stack_dashboard import StackDashboard, StackDashboardArgs
from .static_site import CorsRule, LifecycleRule, LogTargets, StaticSite, StaticSiteArgs
from .subnet_layout import TierPrefixes
from .user_directory import UserDirectory, UserDirectoryArgs
from .waf_logging import WafLogSettings

__all__ = [
    "AlertTopic",
    "AlertTopicArgs",
    "ApiRoute",
    "ApiTarget",
    "AppSecret",
    "AppSecretArgs",
    "BucketGrant",
    "BucketReplication",
    "BucketReplicationArgs",
    "CorsRule",
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
    "RedisCache",
    "RedisCacheArgs",
    "Route",
    "S3Origin",
    "ScheduledJob",
    "ScheduledJobArgs",
    "SecureVpc",
    "SecureVpcArgs",
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
    "TierPrefixes",
    "UserDirectory",
    "UserDirectoryArgs",
    "WafLogSettings",
]
