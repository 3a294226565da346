"""Checks of webstack:jobs (what EventBridge Scheduler would refuse, and that each job names a
service the stack runs), and that an image-scan exception scoped to services names real ones."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from components.job_settings import schedule_expression_problem, time_zone_problem
from webstack.program.config_jobs import JobConfig
from webstack.program.config_problems import Problem


def jobs_problems(jobs: Mapping[str, JobConfig]) -> list[Problem]:
    """What EventBridge Scheduler would refuse in each job."""
    problems = []
    for name, job in jobs.items():
        key = f"webstack:jobs.{name}"
        expression = schedule_expression_problem(job.schedule)
        if expression is not None:
            problems.append(Problem(f"{key}.schedule", expression))
        zone = time_zone_problem(job.timezone)
        if zone is not None:
            problems.append(Problem(f"{key}.timezone", zone))
    return problems


def jobs_service_problems(sections: Mapping[str, Any]) -> list[Problem]:
    """Each job names a service the stack runs (checked only when jobs, api and services are valid)."""
    jobs: Mapping[str, JobConfig] | None = sections.get("jobs")
    if not jobs or "api" not in sections or "services" not in sections:
        return []
    services = [*(["api"] if sections["api"] is not None else []), *sorted(sections["services"] or {})]
    if not services:
        return [
            Problem(
                "webstack:jobs",
                "jobs run a service's task definition, and this stack has no services: add webstack:api or "
                "webstack:services, or drop webstack:jobs",
            )
        ]
    return [
        Problem(f"webstack:jobs.{name}.service", f"must be one of: {', '.join(services)} (got {job.service!r})")
        for name, job in jobs.items()
        if job.service not in services
    ]


def scan_exception_problems(sections: Mapping[str, Any]) -> list[Problem]:
    """An image-scan exception scoped to services names services the stack runs."""
    scanning = sections.get("image_scanning")
    if scanning is None or "api" not in sections or "services" not in sections:
        return []
    services = [*(["api"] if sections["api"] is not None else []), *sorted(sections["services"] or {})]
    return [
        Problem(
            f"webstack:image_scanning.exceptions[{index}].services",
            f"must name services of the stack: {', '.join(services) or 'none'} (got {', '.join(unknown)})",
        )
        for index, exception in enumerate(scanning.exceptions)
        if (unknown := [name for name in exception.services if name not in services])
    ]
