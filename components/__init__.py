"""webstack's ComponentResources. They know nothing of stack config: each takes a name, one
typed args object and ResourceOptions, and parents every child to itself."""

from .alert_topic import AlertTopic, AlertTopicArgs
from .managed_postgres import ManagedPostgres, ManagedPostgresArgs
from .redis_cache import RedisCache, RedisCacheArgs
from .secure_vpc import SecureVpc, SecureVpcArgs
from .subnet_layout import TierPrefixes

__all__ = [
    "AlertTopic",
    "AlertTopicArgs",
    "ManagedPostgres",
    "ManagedPostgresArgs",
    "RedisCache",
    "RedisCacheArgs",
    "SecureVpc",
    "SecureVpcArgs",
    "TierPrefixes",
]
