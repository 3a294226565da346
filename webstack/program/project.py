"""Where the Pulumi project's files are: its stack files, and the folder webstack writes plans,
diagrams and deployment logs to."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT = "webstack"  # the `name:` of Pulumi.yaml
PROJECT_ROOT = Path(__file__).resolve().parents[2]  # Pulumi.yaml, Pulumi.<stack>.yaml, __main__.py


def stack_file(root: Path, stack: str) -> Path:
    return root / f"Pulumi.{stack}.yaml"


def available_stacks(root: Path) -> list[str]:
    return sorted(p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in root.glob("Pulumi.*.yaml"))


def work_dir() -> Path:
    """Where plans, diagrams and deployment logs go: $WEBSTACK_WORK_DIR, else .webstack/ in the
    project (git-ignored)."""
    return Path(os.environ.get("WEBSTACK_WORK_DIR") or PROJECT_ROOT / ".webstack")
