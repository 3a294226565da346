"""webstack:jobs: commands run on a schedule as one-off tasks of the stack's services (ScheduledJob)."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from components import JobRetries, ScheduledJobArgs
from webstack.program.config_fields import Section, from_arg, own

JobName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,30}$")]


class JobRetriesConfig(Section):
    """EventBridge Scheduler's retry policy for runs that fail to start (JobRetries)."""

    maximum_attempts: int = from_arg(JobRetries, "maximum_attempts", ge=0, le=185)
    maximum_event_age_seconds: int = from_arg(JobRetries, "maximum_event_age_seconds", ge=60, le=86400)


class JobConfig(Section):
    """One scheduled job (ScheduledJob): a command run as a one-off task of one of the stack's services."""

    service: Annotated[str, StringConstraints(min_length=1)] = own(
        ...,
        "The service whose task definition (image, size, roles, secrets, environment), subnets and security "
        "group the run uses; a routed service or a worker alike.",
        allowed="`api` (with `webstack:api`) or a key of `webstack:services`",
    )
    command: tuple[Annotated[str, StringConstraints(min_length=1)], ...] = from_arg(
        ScheduledJobArgs, "command", min_length=1, allowed="a list of one or more non-empty strings"
    )
    schedule: str = from_arg(
        ScheduledJobArgs,
        "schedule",
        allowed="`cron(...)` with six fields and `?` in one day field, or `rate(N unit)`: minute, hour or day, plural "
        "above 1",
    )
    timezone: str = from_arg(ScheduledJobArgs, "timezone", allowed="IANA time zone names")
    retries: JobRetriesConfig = own(JobRetriesConfig(), "How hard Scheduler tries to start a run that fails to start.")
    enabled: bool = from_arg(ScheduledJobArgs, "enabled")


JOBS_DESCRIPTION = (
    "Commands run on a schedule as one-off Fargate tasks of a service (EventBridge Scheduler -> ECS RunTask), "
    "each `<name_prefix>-<key>` with its own schedule group, role, dead-letter queue, key and alarms. Scheduler "
    "only starts a run: a job that must end in time enforces its own deadline (e.g. `timeout 3600 ...` in the "
    "command), and its exit code and output are in the service's log group."
)
