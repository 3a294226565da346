"""Backup, snapshot and maintenance windows as RDS and ElastiCache accept them, checked before
anything is sent (pure: no Pulumi).

A daily window is ``hh24:mi-hh24:mi`` and a weekly one ``ddd:hh24:mi-ddd:hh24:mi`` (``ddd`` one
of mon, tue, wed, thu, fri, sat, sun), both in UTC; a window may run past midnight (or from
Sunday into Monday). RDS wants both of an instance's windows at least 30 minutes long and not
overlapping (CreateDBInstance, PreferredBackupWindow and PreferredMaintenanceWindow);
ElastiCache wants its maintenance window and its snapshot window at least 60 minutes
(CreateReplicationGroup) and not overlapping either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY

_TIME = r"([01]\d|2[0-3]):([0-5]\d)"
_DAY = f"({'|'.join(DAYS)})"
_DAILY = re.compile(f"^{_TIME}-{_TIME}$")
_WEEKLY = re.compile(f"^{_DAY}:{_TIME}-{_DAY}:{_TIME}$")

DAILY_FORMAT = "hh24:mi-hh24:mi in UTC (e.g. 03:00-04:00)"
WEEKLY_FORMAT = (
    "ddd:hh24:mi-ddd:hh24:mi in UTC, ddd one of mon, tue, wed, thu, fri, sat, sun (e.g. mon:04:00-mon:05:00)"
)


def _span(start: int, end: int, period: int) -> tuple[int, int]:
    return start, (end - start) % period


def daily_span(window: str) -> tuple[int, int] | None:
    """(start minute of the day, length in minutes) of ``hh24:mi-hh24:mi``; None if malformed."""
    match = _DAILY.match(window)
    if match is None:
        return None
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    return _span(h1 * 60 + m1, h2 * 60 + m2, MINUTES_PER_DAY)


def weekly_span(window: str) -> tuple[int, int] | None:
    """(start minute of the week from Monday 00:00, length in minutes) of
    ``ddd:hh24:mi-ddd:hh24:mi``; None if malformed."""
    match = _WEEKLY.match(window)
    if match is None:
        return None
    d1, h1, m1, d2, h2, m2 = match.groups()
    start = DAYS.index(d1) * MINUTES_PER_DAY + int(h1) * 60 + int(m1)
    end = DAYS.index(d2) * MINUTES_PER_DAY + int(h2) * 60 + int(m2)
    return _span(start, end, MINUTES_PER_WEEK)


def window_problem(window: str, *, weekly: bool, minimum_minutes: int) -> str | None:
    """Why AWS would refuse ``window`` (its format or its length), or None."""
    span = weekly_span(window) if weekly else daily_span(window)
    if span is None:
        return f"must be {WEEKLY_FORMAT if weekly else DAILY_FORMAT}, lower case (got {window!r})"
    if span[1] < minimum_minutes:
        return f"must be at least {minimum_minutes} minutes long (got {span[1]} in {window!r})"
    return None


def _minutes(start: int, length: int) -> frozenset[int]:
    return frozenset((start + offset) % MINUTES_PER_WEEK for offset in range(length))


def daily_minutes_on(window: str, day: int) -> frozenset[int]:
    """Minutes of the week (0 = Monday 00:00 UTC) of a daily window opening on ``day`` (0 = Monday)."""
    span = daily_span(window)
    assert span is not None, window
    return _minutes(day * MINUTES_PER_DAY + span[0], span[1])


def weekly_minutes(window: str) -> frozenset[int]:
    span = weekly_span(window)
    assert span is not None, window
    return _minutes(*span)


def overlap_day(daily: str, weekly: str) -> str | None:
    """The day (mon..sun) on which daily window ``daily`` overlaps weekly window ``weekly``, or
    None when they never meet (windows that only touch, 04:00 ending as 04:00 begins, do not)."""
    week = weekly_minutes(weekly)
    for day, name in enumerate(DAYS):
        if daily_minutes_on(daily, day) & week:
            return name
    return None


def running_minutes(hours_of_week: Iterable[int]) -> frozenset[int]:
    """Minutes of the week in the given hours of the week (0 = Monday 00:00-01:00 UTC)."""
    return frozenset(hour * 60 + minute for hour in hours_of_week for minute in range(60))


def days_inside(daily: str, running: frozenset[int]) -> int:
    """On how many days of the week the daily window lies wholly inside ``running``."""
    return sum(daily_minutes_on(daily, day) <= running for day in range(7))


def pair_problems(daily: str, weekly: str, *, daily_minimum: int, weekly_minimum: int) -> list[tuple[str, str]]:
    """(which, why) for a daily and a weekly window of one resource: "daily" or "weekly" for a
    window AWS refuses alone, "overlap" when they overlap."""
    problems = [
        (which, problem)
        for which, problem in (
            ("daily", window_problem(daily, weekly=False, minimum_minutes=daily_minimum)),
            ("weekly", window_problem(weekly, weekly=True, minimum_minutes=weekly_minimum)),
        )
        if problem is not None
    ]
    if not problems:
        day = overlap_day(daily, weekly)
        if day is not None:
            problems.append(("overlap", f"{daily} overlaps {weekly} on {day}"))
    return problems
