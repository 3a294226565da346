"""Which hours of the week a start/stop pair of daily cron schedules leaves a resource running."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

# Day-of-week fields of the cron expressions webstack writes, as weekday numbers (0 = Monday).
CRON_DAYS = {"MON-FRI": range(5), "TUE-SAT": range(1, 6), "*": range(7)}


def running_hours(start_days: Iterable[int], start: int, stop_days: Iterable[int], stop: int) -> frozenset[int]:
    """Hours of the week (0 = Monday 00:00 UTC) in which starts at ``start`` on ``start_days``
    and stops at ``stop`` on ``stop_days`` leave the resource running."""
    events = {d * 24 + start: True for d in start_days} | {d * 24 + stop: False for d in stop_days}
    running, hours = events[max(events)], set()  # the state the previous week ended in
    for hour in range(168):
        running = events.get(hour, running)
        if running:
            hours.add(hour)
    return frozenset(hours)


def weekly_hours(days: str, start: int, stop: int) -> frozenset[int]:
    """The hours a working-hours schedule runs, as webstack writes its crons: an overnight
    window (start after stop) stops the morning after each start day."""
    if start == stop:
        raise ValueError("start and stop hour must differ")
    start_days = list(CRON_DAYS[days])
    stop_days = [(d + 1) % 7 for d in start_days] if stop < start else start_days
    return running_hours(start_days, start, stop_days, stop)


def _instance_of(target_input: object) -> str | None:
    """The DbInstanceIdentifier a schedule's JSON input names (exactly: not any JSON that happens to
    contain the identifier as a string)."""
    try:
        document = json.loads(str(target_input))
    except ValueError:
        return None
    return str(document.get("DbInstanceIdentifier")) if isinstance(document, dict) else None


def database_schedules(states: Iterable[Mapping[str, Any]], identifier: str) -> dict[str, list[str]]:
    """ "start"/"stop" -> expressions of the EventBridge Scheduler schedules in a plan that start
    or stop the DB instance ``identifier`` (ManagedPostgres's universal rds targets)."""
    found: dict[str, list[str]] = {"start": [], "stop": []}
    for state in states:
        target = state["inputs"].get("target") or {}
        if state["type"] != "aws:scheduler/schedule:Schedule" or _instance_of(target.get("input")) != identifier:
            continue
        for action, expressions in found.items():
            if str(target.get("arn", "")).endswith(f":rds:{action}DBInstance"):
                expressions.append(str(state["inputs"].get("scheduleExpression", "")))
    return found
