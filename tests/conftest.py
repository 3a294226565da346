"""Session hooks: the mutation kill rate, written by a pytest-xdist worker, shown in the summary."""

from __future__ import annotations

import os

import pytest

from .helpers import ROOT

KILL_RATE = ROOT / ".webstack" / "mutation-kill-rate.txt"


def pytest_sessionstart(session: pytest.Session) -> None:
    if "PYTEST_XDIST_WORKER" not in os.environ:
        KILL_RATE.unlink(missing_ok=True)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if KILL_RATE.exists():
        terminalreporter.write_line(KILL_RATE.read_text().strip())
