"""Pure parts of a ScheduledJob: EventBridge Scheduler's expression syntax, time zones, the
RunTask overrides, the role's policy and the alarms. No Pulumi resources here."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Sequence
from functools import cache

import pulumi

from .alarms import AlarmSpec
from .dead_letters import dead_letters_alarm, schedule_dropped_alarm
from .iam_documents import Document, policy_document

# EventBridge Scheduler, "Schedule types": rate(value unit) with a positive whole value, the unit
# singular for 1 and plural above; cron(minutes hours day-of-month month day-of-week year).
_RATE = re.compile(r"^rate\((?P<value>[1-9][0-9]*) (?P<unit>minutes?|hours?|days?)\)$")
_CRON = re.compile(r"^cron\((?P<fields>[^()]*)\)$")
_MONTHS = "JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC"
_DAYS = "SUN|MON|TUE|WED|THU|FRI|SAT"


def _number(low: int, high: int, names: str = "") -> str:
    """A regex alternative of the whole numbers low..high (and the names, if any)."""
    numbers = "|".join(str(n) for n in range(high, low - 1, -1))
    return f"(?:{numbers}{'|' + names if names else ''})"


def _field(low: int, high: int, names: str = "", *, question: bool = False, extra: str = "") -> re.Pattern[str]:
    """A comma list of values, ranges (a-b), steps (*/n, a/n, a-b/n) and *; ``extra`` for
    the day fields' L, W and #."""
    value = _number(low, high, names)
    step = _number(1, high)
    item = rf"(?:\*|{value}(?:-{value})?)(?:/{step})?"
    if extra:
        item = f"(?:{extra}|{item})"
    body = rf"{item}(?:,{item})*"
    return re.compile(rf"^(?:\?|{body})$" if question else rf"^{body}$")


_WEEKDAY = _number(1, 7, _DAYS)
_CRON_FIELDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("minutes", _field(0, 59)),
    ("hours", _field(0, 23)),
    ("day-of-month", _field(1, 31, question=True, extra=rf"L|LW|{_number(1, 31)}W")),
    ("month", _field(1, 12, _MONTHS)),
    ("day-of-week", _field(1, 7, _DAYS, question=True, extra=rf"{_WEEKDAY}?L|{_WEEKDAY}#[1-5]")),
    ("year", _field(1970, 2199)),
)

EXPRESSION_HELP = (
    "cron(minutes hours day-of-month month day-of-week year) with '?' in one of the two day fields, "
    "e.g. cron(0 2 * * ? *), or rate(N minutes|hours|days), e.g. rate(1 hour)"
)


def schedule_expression_problem(expression: str) -> str | None:
    """Why EventBridge Scheduler would refuse ``expression`` as a recurring schedule (None: it
    is a valid cron() or rate() expression). One-time at() schedules are not jobs."""
    rate = _RATE.match(expression)
    if rate is not None:
        value, unit = int(rate["value"]), rate["unit"]
        if (value == 1) == unit.endswith("s"):
            number = "singular" if value == 1 else "plural"
            return f"rate({value} ...) takes the unit in the {number} (got {expression!r})"
        return None
    cron = _CRON.match(expression)
    if cron is None:
        if expression.startswith("at("):
            return f"at() runs once; a job recurs: {EXPRESSION_HELP} (got {expression!r})"
        return f"must be {EXPRESSION_HELP} (got {expression!r})"
    fields = cron["fields"].split(" ")
    if len(fields) != len(_CRON_FIELDS):
        return f"cron() takes 6 fields separated by single spaces, {EXPRESSION_HELP} (got {expression!r})"
    for text, (name, pattern) in zip(fields, _CRON_FIELDS, strict=True):
        if not pattern.match(text):
            return f"cron() field {name} {text!r} is not valid (got {expression!r})"
    day_of_month, day_of_week = fields[2], fields[4]
    if (day_of_month == "?") == (day_of_week == "?"):
        return f"cron() needs '?' in exactly one of day-of-month and day-of-week (got {expression!r})"
    return None


@cache
def time_zones() -> frozenset[str]:
    """The IANA time zone names Python's tz database knows (Scheduler takes IANA names)."""
    return frozenset(zoneinfo.available_timezones())


def time_zone_problem(name: str) -> str | None:
    if name in time_zones():
        return None
    return f"must be an IANA time zone name such as UTC, Europe/Berlin or America/New_York (got {name!r})"


def container_overrides(container: str, command: Sequence[str]) -> dict[str, object]:
    """The RunTask overrides Scheduler sends as the target's input: the container's command."""
    return {"containerOverrides": [{"name": container, "command": list(command)}]}


def task_definition_family_arn(region: str, account_id: str, family: str) -> str:
    """Every revision of one task definition family."""
    return f"arn:aws:ecs:{region}:{account_id}:task-definition/{family}:*"


def run_task_policy(
    region: str,
    account_id: str,
    *,
    family: str,
    cluster_arn: str,
    passed_role_arns: Sequence[str],
    queue_arn: str,
    key_arn: str,
) -> Document:
    """What Scheduler may do as the job's role: run the family's tasks on one cluster, hand ECS
    exactly the task's two roles, send failed invocations to the job's dead-letter queue, and use
    the job's key (the schedule's input and the queue are encrypted with it)."""
    return policy_document(
        [
            {
                "Sid": "RunTheServiceTaskOnItsCluster",
                "Effect": "Allow",
                "Action": "ecs:RunTask",
                "Resource": task_definition_family_arn(region, account_id, family),
                "Condition": {"ArnEquals": {"ecs:cluster": cluster_arn}},
            },
            {
                "Sid": "PassTheTaskItsTwoRoles",
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": list(passed_role_arns),
                "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
            },
            {"Sid": "DeadLetters", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queue_arn},
            {
                "Sid": "TheJobKey",
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": key_arn,
            },
        ]
    )


def job_alarm_specs(job: str, group: pulumi.Input[str], queue_name: pulumi.Input[str]) -> tuple[AlarmSpec, ...]:
    """A run that could not start (each failed RunTask, and one given up after its retries), and
    what waits in the dead-letter queue. The group holds this job's schedule only."""
    return (
        AlarmSpec(
            "target-errors",
            f"{job}: ECS refused to start the scheduled task (RunTask failed; Scheduler retries it)",
            "AWS/Scheduler", "TargetErrorCount", {"ScheduleGroup": group}, "GreaterThanThreshold", 0,
            statistic="Sum", evaluation_periods=1, treat_missing_data="notBreaching",
        ),
        schedule_dropped_alarm("dropped", f"{job}: a scheduled run was given up after its retries", group),
        dead_letters_alarm(f"{job}: runs that never started wait in the dead-letter queue", queue_name),
    )  # fmt: skip
