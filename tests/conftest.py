"""Session set-up shared by every pytest-xdist worker: one temporary directory for what the tests
write (plans, diagrams, logs, renders, mutation verdicts), never the working tree; renders made
once per session; the mutation kill rate in the summary."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from webstack.commands import policy as policy_command
from webstack.offline import plan as offline_plan

from .helpers import SharedPolicyServer, rendered_once

SHARED = "WEBSTACK_TEST_SHARED_DIR"


def shared_dir() -> Path:
    """The session's temporary directory (made by the controller, inherited by the workers)."""
    return Path(os.environ[SHARED])


def mutation_results() -> Path:
    return shared_dir() / "mutations"


def pytest_configure(config: pytest.Config) -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        os.environ[SHARED] = tempfile.mkdtemp(prefix="webstack-tests-")
    # `plan`, `diagram` and `up --all` write under here instead of the project's .webstack/: one
    # directory per worker, so that a test finds the plans it wrote, not the other worker's.
    os.environ["WEBSTACK_WORK_DIR"] = str(shared_dir() / "work" / (worker or "main"))


def pytest_unconfigure(config: pytest.Config) -> None:
    if "PYTEST_XDIST_WORKER" not in os.environ and SHARED in os.environ:
        shutil.rmtree(os.environ.pop(SHARED), ignore_errors=True)


@pytest.fixture(autouse=True, scope="session")
def _renders_and_policy_server_once_per_session() -> Iterator[None]:
    """The CLI tests plan the same stacks as the others: each config is rendered once, and one
    policy server per process judges them all (each plan once per session)."""
    real = offline_plan.render_stack, offline_plan.PolicyServer, policy_command.PolicyServer
    offline_plan.render_stack = rendered_once
    offline_plan.PolicyServer = policy_command.PolicyServer = SharedPolicyServer  # type: ignore[misc]
    yield
    offline_plan.render_stack, offline_plan.PolicyServer, policy_command.PolicyServer = real
    SharedPolicyServer.stop()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    results_dir = mutation_results()
    if not results_dir.is_dir():
        return
    results = {path.name: path.read_text().strip() for path in results_dir.iterdir()}
    killed = sum(1 for verdict in results.values() if verdict == "killed")
    survivors = sorted(name for name, verdict in results.items() if verdict != "killed")
    terminalreporter.write_line(
        f"mutation kill rate: {killed}/{len(results)} ({100 * killed / max(len(results), 1):.0f} %); "
        f"survivors: {', '.join(survivors) or 'none'}"
    )
