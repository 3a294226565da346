"""Run a Pulumi program in this process against the AWS-like mocks and capture what it registers."""

from __future__ import annotations

import heapq
import runpy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from webstack import pulumi_sdk as sdk
from webstack.offline.aws_mocks import AwsMocks
from webstack.offline.capture import CapturingMonitor, Registration, engine_value


@dataclass
class ProgramRun:
    project: str
    stack: str
    registrations: list[Registration]
    outputs: dict[str, Any] = field(default_factory=dict)
    # What the mocks answered for each resource (its outputs), by URN: for tests that look for
    # generated values, never written into a plan.
    states: dict[str, dict[str, Any]] = field(default_factory=dict)
    # What the program logged through pulumi.log, as (severity, message): "warning", "error", ...
    logs: list[tuple[str, str]] = field(default_factory=list)

    def warnings(self) -> list[str]:
        return [message for severity, message in self.logs if severity == "warning"]

    def custom(self) -> list[Registration]:
        return [r for r in self.registrations if r.custom]

    def of_type(self, resource_type: str) -> list[Registration]:
        return [r for r in self.registrations if r.type == resource_type]

    def named(self, name: str) -> Registration:
        found = [r for r in self.registrations if r.name == name]
        if len(found) != 1:
            raise KeyError(f"{len(found)} resources named {name!r}")
        return found[0]

    def by_urn(self) -> dict[str, Registration]:
        return {r.urn: r for r in self.registrations}

    def children_of(self, parent: Registration) -> list[Registration]:
        return [r for r in self.registrations if r.parent == parent.urn]


_NO_STACK_YET: Any = object()

_SEVERITIES = {0: "debug", 1: "info", 2: "warning", 3: "error"}


class LogCollector:
    """Stands in for the engine's Log service: pulumi.log messages are kept for the plan to show
    (the engine would show them), instead of going to stderr as they do without an engine."""

    def __init__(self) -> None:
        self.logs: list[tuple[str, str]] = []

    def Log(self, request: Any) -> None:
        self.logs.append((_SEVERITIES.get(request.severity, "info"), request.message))


class ProgramError(Exception):
    """The program raised; ``registrations`` holds what it registered before that."""

    def __init__(self, cause: BaseException, registrations: list[Registration]) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.registrations = registrations


def run_program(
    program: Callable[[], Any],
    *,
    project: str,
    stack: str,
    config: Mapping[str, str],
    secret_keys: Sequence[str] = (),
    region: str = "us-east-1",
) -> ProgramRun:
    """Evaluate ``program`` with ``config`` as the stack config; raise ProgramError if it fails."""
    sdk.require_supported()
    mocks = AwsMocks(region=region)
    monitor = CapturingMonitor(mocks, project, stack)
    # A stand-in root keeps set_mocks from making and finishing a stack of its own: run_in_stack
    # makes the one that collects exports, as the real language host does.
    sdk.set_root(_NO_STACK_YET)
    sdk.set_mocks(mocks, project=project, stack=stack, monitor=monitor)
    sdk.set_root(None)
    sdk.set_config(config, list(secret_keys))
    engine = LogCollector()
    sdk.set_engine(engine)
    try:
        sdk.run_sync(sdk.program_runner(program))
    except BaseException as error:
        raise ProgramError(error, list(monitor.registrations)) from error
    finally:
        sdk.set_root(None)
        sdk.set_engine(None)
    outputs = {k: engine_value(v) for k, v in monitor.stack_outputs.items()}
    states = {urn: dict(r.state) for urn, r in monitor.resources.items()}
    return ProgramRun(project, stack, stable_order(monitor.registrations), outputs, states, engine.logs)


def stable_order(registrations: Sequence[Registration]) -> list[Registration]:
    """Registrations arrive in whatever order the SDK's threads send them; a plan lists them
    parents, providers and dependencies first, and otherwise by URN, so that it is the same on
    every run."""
    by_urn = {r.urn: r for r in registrations}

    def prerequisites(reg: Registration) -> set[str]:
        wanted = {reg.parent, reg.provider.rsplit("::", 1)[0], *reg.dependencies}
        return {urn for urn in wanted if urn in by_urn and urn != reg.urn}

    waiting = {r.urn: prerequisites(r) for r in registrations}
    dependents: dict[str, list[str]] = {}
    for urn, needs in waiting.items():
        for need in needs:
            dependents.setdefault(need, []).append(urn)
    ready = [urn for urn, needs in waiting.items() if not needs]
    heapq.heapify(ready)
    ordered: list[Registration] = []
    done: set[str] = set()
    while ready:
        urn = heapq.heappop(ready)
        done.add(urn)
        ordered.append(by_urn[urn])
        for dependent in dependents.get(urn, ()):
            waiting[dependent].discard(urn)
            if not waiting[dependent]:
                heapq.heappush(ready, dependent)
    # Anything left waits on a cycle the engine would reject; keep it rather than lose it.
    ordered += sorted((r for r in registrations if r.urn not in done), key=lambda r: r.urn)
    return ordered


def main_program(root: Path) -> Callable[[], Any]:
    """The project's real ``__main__.py``, run as the Pulumi language host runs it."""
    main = root / "__main__.py"

    def program() -> None:
        runpy.run_path(str(main), run_name="__main__")

    return program
