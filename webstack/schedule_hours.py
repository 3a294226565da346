"""Which hours of the week a start/stop pair of daily cron schedules leaves a resource running."""

from __future__ import annotations

WEEKDAYS = {"MON-FRI": range(5), "*": range(7)}


def weekly_hours(days: str, start: int, stop: int) -> frozenset[int]:
    """Hours of the week (0 = Monday 00:00 UTC) in which a start/stop pair of cron schedules
    leaves the resource running. Overnight windows (start after stop) run past midnight, and
    with MON-FRI a Friday start runs until the next stop, on Monday."""
    if start == stop:
        raise ValueError("start and stop hour must differ")
    events = {d * 24 + start: True for d in WEEKDAYS[days]} | {d * 24 + stop: False for d in WEEKDAYS[days]}
    running, hours = events[max(events)], set()  # the state the previous week ended in
    for hour in range(168):
        running = events.get(hour, running)
        if running:
            hours.add(hour)
    return frozenset(hours)
