"""The consoles the CLI prints to. Nothing a user typed (config values, names, paths, AWS
messages) is ever read as rich markup: styles come from Text objects only. On a terminal the
output fits its width; in a pipe or a CI log, where rich would assume 80 columns, lines are not
wrapped and tables get room (set COLUMNS to choose a width)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.text import Text

from webstack.program.project import PROJECT_ROOT

# The width tables get when the output is not a terminal and COLUMNS is not set.
PIPE_WIDTH = 200


def make_console(*, stderr: bool = False, file: IO[str] | None = None, width: int | None = None) -> Console:
    probe = Console(stderr=stderr, file=file)
    on_terminal = probe.is_terminal
    if width is None and not on_terminal and "COLUMNS" not in os.environ:
        width = PIPE_WIDTH
    return Console(
        stderr=stderr,
        file=file,
        width=width,
        markup=False,
        highlight=False,
        # ARNs hold ":secret:" and the like, which rich would turn into emoji.
        emoji=False,
        soft_wrap=not on_terminal,
    )


def styled(*parts: str | tuple[str, str]) -> Text:
    """Text from plain strings and (text, style) pairs: a user's value is never markup."""
    return Text.assemble(*parts)


def error_line(message: object) -> Text:
    return styled(("error:", "red"), " ", str(message))


def command_prefix() -> str:
    """How to run webstack in hints and usage lines: the project's virtualenv Python when that is
    what runs (the system Python lacks the dependencies), else plain `python -m webstack`."""
    venv = PROJECT_ROOT / ".venv"
    try:
        inside = Path(sys.prefix).resolve() == venv.resolve()
    except OSError:
        inside = False
    return ".venv/bin/python -m webstack" if inside else "python -m webstack"
