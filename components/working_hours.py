"""Working-hours schedules shared by services (scale to zero) and databases (stop and start)."""

from __future__ import annotations

import json

# (days, start_hour_utc, stop_hour_utc); days is "MON-FRI" or "*" (every day).
WorkingHours = tuple[str, int, int]


def cron(days: str, hour: int) -> str:
    """The six-field AWS cron expression (Application Auto Scaling and EventBridge Scheduler)."""
    return f"cron(0 {hour} ? * {days} *)"


def start_cron(hours: WorkingHours) -> str:
    days, start, _stop = hours
    return cron(days, start)


def stop_cron(hours: WorkingHours) -> str:
    """An overnight weekday window (start after stop) stops the morning after: Tuesday to
    Saturday, so Friday night's run ends on Saturday rather than on Monday."""
    days, start, stop = hours
    return cron("TUE-SAT" if days == "MON-FRI" and stop < start else days, stop)


def rds_start_stop_targets(identifier: str) -> dict[str, tuple[str, str]]:
    """action -> (EventBridge Scheduler universal target ARN, its JSON input) for one instance."""
    payload = json.dumps({"DbInstanceIdentifier": identifier})
    return {
        "start": ("arn:aws:scheduler:::aws-sdk:rds:startDBInstance", payload),
        "stop": ("arn:aws:scheduler:::aws-sdk:rds:stopDBInstance", payload),
    }
