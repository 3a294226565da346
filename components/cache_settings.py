"""Pure settings of RedisCache: names, log delivery, alarm thresholds."""

from __future__ import annotations

from .alarms import AlarmSpec
from .time_windows import pair_problems

PORT = 6379
LOG_TYPES = ("slow-log", "engine-log")
# ElastiCache AUTH tokens: 16-128 printable characters without @, " or /. Letters and digits
# only keeps the token safe in a redis:// URL as well.
AUTH_TOKEN_LENGTH = 64


def default_parameter_group(engine: str, engine_version: str) -> str:
    """AWS's default parameter group of the engine family (cluster mode disabled). Named
    explicitly so that switching engine (redis -> valkey) or major version in place moves the
    group to the new family instead of failing on the old one."""
    major = engine_version.split(".", maxsplit=1)[0]
    if engine == "redis" and major == "6":
        return "default.redis6.x"
    return f"default.{engine}{major}"


def member_cluster_ids(replication_group_id: str, node_count: int) -> tuple[str, ...]:
    """ElastiCache names the clusters of a (cluster-mode disabled) group <id>-001, -002, ..."""
    return tuple(f"{replication_group_id}-{i:03d}" for i in range(1, node_count + 1))


def log_group_name(replication_group_id: str, log_type: str) -> str:
    return f"/aws/elasticache/{replication_group_id}/{log_type}"


def cache_alarm_specs(cluster_id: str, memory_percent: float = 80) -> tuple[AlarmSpec, ...]:
    dims = {"CacheClusterId": cluster_id}
    return (
        AlarmSpec(
            "engine-cpu-high",
            f"{cluster_id}: engine CPU above 80 % for 15 minutes",
            "AWS/ElastiCache", "EngineCPUUtilization", dims, "GreaterThanThreshold", 80,
        ),
        AlarmSpec(
            "memory-high",
            f"{cluster_id}: more than {memory_percent:g} % of the memory for data in use",
            "AWS/ElastiCache", "DatabaseMemoryUsagePercentage", dims, "GreaterThanThreshold", memory_percent,
        ),
    )  # fmt: skip


# ElastiCache: maintenance and snapshot windows at least 60 minutes (CreateReplicationGroup).
CACHE_WINDOW_MINUTES = 60


def cache_window_problems(snapshot_window: str, maintenance_window: str) -> list[str]:
    """Why ElastiCache would refuse the pair: a malformed or short window, or the two overlapping."""
    names = {"daily": "snapshot_window", "weekly": "maintenance_window", "overlap": "snapshot_window"}
    return [
        f"{names[which]} {why}"
        for which, why in pair_problems(
            snapshot_window,
            maintenance_window,
            daily_minimum=CACHE_WINDOW_MINUTES,
            weekly_minimum=CACHE_WINDOW_MINUTES,
        )
    ]
