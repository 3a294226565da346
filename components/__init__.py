"""webstack's ComponentResources. They know nothing of stack config: each takes a name, one
typed args object and ResourceOptions, and parents every child to itself."""

from .alert_topic import AlertTopic, AlertTopicArgs
from .api_routes import Route as ApiRoute
from .api_settings import BucketGrant
from .app_secret import AppSecret, AppSecretArgs
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
from .secure_vpc import SecureVpc, SecureVpcArgs
from .serverless_api import ServerlessApi, ServerlessApiArgs
from .static_site import CorsRule, LifecycleRule, LogTargets, StaticSite, StaticSiteArgs
from .subnet_layout import TierPrefixes
from .user_directory import UserDirectory, UserDirectoryArgs

__all__ = [
    "AlertTopic",
    "AlertTopicArgs",
    "ApiRoute",
    "ApiTarget",
    "AppSecret",
    "AppSecretArgs",
    "BucketGrant",
    "CorsRule",
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
    "RegistryScanning",
    "RegistryScanningArgs",
    "Route",
    "S3Origin",
    "ScheduledJob",
    "ScheduledJobArgs",
    "SecureVpc",
    "SecureVpcArgs",
    "ServerlessApi",
    "ServerlessApiArgs",
    "ServiceSpec",
    "StaticSite",
    "StaticSiteArgs",
    "TierPrefixes",
    "UserDirectory",
    "UserDirectoryArgs",
]
