"""Pure settings of ManagedPostgres: parameters, names, alarm thresholds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .alarms import AlarmSpec
from .dead_letters import schedule_dropped_alarm
from .instance_classes import offered
from .time_windows import pair_problems
from .working_hours import WorkingHours

PORT = 5432
LOG_EXPORTS = ("postgresql", "upgrade")


@dataclass(frozen=True)
class DbParameter:
    name: str
    value: str
    apply_method: Literal["immediate", "pending-reboot"] = "immediate"


def parameter_family(engine_version: str) -> str:
    return f"postgres{engine_version.split('.', maxsplit=1)[0]}"


def postgres_parameters() -> tuple[DbParameter, ...]:
    """TLS only, and the logging an on-call engineer needs without drowning in it.

    A new instance starts with every value whatever the apply method. For later changes,
    ``immediate`` fails on a static parameter ("cannot use immediate apply method for static
    parameter") while ``pending-reboot`` is accepted for static and dynamic ones alike (RDS API
    reference, ModifyDBParameterGroup). rds.force_ssl was static in older PostgreSQL families,
    and AWS's parameter table does not list ssl_min_protocol_version, so the TLS settings use
    the method that cannot fail; the logging parameters are documented as dynamic.
    """
    return (
        DbParameter("rds.force_ssl", "1", "pending-reboot"),
        DbParameter("ssl_min_protocol_version", "TLSv1.2", "pending-reboot"),
        DbParameter("log_min_duration_statement", "1000"),  # statements slower than 1 s
        DbParameter("log_connections", "1"),
        DbParameter("log_disconnections", "1"),
        DbParameter("log_lock_waits", "1"),
        DbParameter("log_temp_files", "10240"),  # temp files above 10 MB (kB)
        DbParameter("log_statement", "ddl"),
        DbParameter("shared_preload_libraries", "pg_stat_statements", "pending-reboot"),
    )


def log_group_names(identifier: str) -> tuple[str, ...]:
    """The groups RDS writes exported logs to; created up front to own retention and KMS."""
    return tuple(f"/aws/rds/instance/{identifier}/{kind}" for kind in LOG_EXPORTS)


def replica_identifier(identifier: str, index: int) -> str:
    return f"{identifier}-replica-{index + 1}"


_CLASS = re.compile(r"^db\.(?P<family>[a-z]+)(?P<generation>\d+)[a-z]*\.(?P<size>[a-z0-9]+)$")
_BURSTABLE_GIB = {"micro": 1, "small": 2, "medium": 4, "large": 8, "xlarge": 16, "2xlarge": 32}
_PER_XLARGE_GIB = {"m": 16, "r": 32}


def instance_memory_gib(instance_class: str) -> float | None:
    """Memory of an RDS class: from the table of offered classes, else worked out for the t, m
    and r families (a class newer than the table); None when unknown."""
    listed = offered("rds-postgres").get(instance_class)
    if listed is not None:
        return listed.memory_gib
    match = _CLASS.match(instance_class)
    if not match:
        return None
    family, size = match["family"], match["size"]
    if family == "t":
        return _BURSTABLE_GIB.get(size)
    if family not in _PER_XLARGE_GIB:
        return None
    per_xlarge = _PER_XLARGE_GIB[family]
    if size == "large":
        return per_xlarge / 2
    multiple = re.fullmatch(r"(\d*)xlarge", size)
    if multiple is None:
        return None
    return per_xlarge * int(multiple[1] or 1)


def estimated_max_connections(instance_class: str) -> int | None:
    """RDS for PostgreSQL's default: LEAST(DBInstanceClassMemory / 9531392, 5000).

    DBInstanceClassMemory is the class memory less what the OS and RDS keep; 90 % is a fair
    estimate, which gives 101 for a 1 GiB class (AWS documents ~80-112 for db.t*.micro).
    """
    memory = instance_memory_gib(instance_class)
    if memory is None:
        return None
    return min(int(memory * 0.9 * 2**30 / 9531392), 5000)


def postgres_alarm_specs(identifier: str, allocated_storage_gb: int, max_connections: int) -> tuple[AlarmSpec, ...]:
    dims = {"DBInstanceIdentifier": identifier}
    return (
        AlarmSpec(
            "cpu-high",
            f"{identifier}: CPU above 80 % for 15 minutes",
            "AWS/RDS", "CPUUtilization", dims, "GreaterThanThreshold", 80,
        ),
        AlarmSpec(
            "free-storage-low",
            f"{identifier}: less than 20 % of the {allocated_storage_gb} GB allocated is free",
            "AWS/RDS", "FreeStorageSpace", dims, "LessThanThreshold",
            allocated_storage_gb * 0.2 * 1024**3, statistic="Minimum",
        ),
        AlarmSpec(
            "connections-high",
            f"{identifier}: more than 80 % of about {max_connections} connections in use",
            "AWS/RDS", "DatabaseConnections", dims, "GreaterThanThreshold",
            int(max_connections * 0.8), statistic="Maximum",
        ),
    )  # fmt: skip


@dataclass(frozen=True)
class Windows:
    backup: str
    maintenance: str


def maintenance_windows(schedule: WorkingHours | None) -> Windows:
    """Backup and maintenance windows: at night for an instance that always runs; for one
    stopped out of hours, early in its working day (RDS takes no backup of a stopped instance)."""
    if schedule is None:
        return Windows("02:00-03:00", "sun:03:30-sun:04:30")
    _days, start, _stop = schedule
    backup, maintenance = (start + 1) % 24, (start + 2) % 24
    return Windows(f"{backup:02d}:00-{backup:02d}:30", f"wed:{maintenance:02d}:00-wed:{maintenance:02d}:30")


# RDS: each window at least 30 minutes (CreateDBInstance).
RDS_WINDOW_MINUTES = 30


def instance_windows(schedule: WorkingHours | None, backup: str | None, maintenance: str | None) -> Windows:
    """The windows an instance gets: the ones given, else maintenance_windows(schedule)'s. Raises
    ValueError for a window RDS would refuse (format, under 30 minutes, the two overlapping)."""
    computed = maintenance_windows(schedule)
    windows = Windows(backup or computed.backup, maintenance or computed.maintenance)
    problems = pair_problems(
        windows.backup,
        windows.maintenance,
        daily_minimum=RDS_WINDOW_MINUTES,
        weekly_minimum=RDS_WINDOW_MINUTES,
    )
    if problems:
        names = {"daily": "backup_window", "weekly": "maintenance_window", "overlap": "backup_window"}
        raise ValueError("; ".join(f"{names[which]} {why}" for which, why in problems))
    return windows


def scheduler_alarm_specs(group: str) -> tuple[AlarmSpec, ...]:
    """Tell someone when a stop or start was given up after its retries."""
    return (
        schedule_dropped_alarm(
            "schedule-dropped", f"{group}: a scheduled stop or start of the database failed after its retries", group
        ),
    )  # fmt: skip
