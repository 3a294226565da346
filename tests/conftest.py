"""Session hooks: the mutation kill rate, gathered from every pytest-xdist worker, in the summary."""

from __future__ import annotations

import os
import shutil

import pytest

from .helpers import ROOT

MUTATION_RESULTS = ROOT / ".webstack" / "mutations"


def pytest_sessionstart(session: pytest.Session) -> None:
    if "PYTEST_XDIST_WORKER" not in os.environ:
        shutil.rmtree(MUTATION_RESULTS, ignore_errors=True)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not MUTATION_RESULTS.is_dir():
        return
    results = {path.name: path.read_text().strip() for path in MUTATION_RESULTS.iterdir()}
    killed = sum(1 for verdict in results.values() if verdict == "killed")
    survivors = sorted(name for name, verdict in results.items() if verdict != "killed")
    terminalreporter.write_line(
        f"mutation kill rate: {killed}/{len(results)} ({100 * killed / max(len(results), 1):.0f} %); "
        f"survivors: {', '.join(survivors) or 'none'}"
    )
