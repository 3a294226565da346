"""Test helpers: run a program under the AWS-like mocks and look at what it registered."""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import pickle
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from webstack.offline import plan as offline_plan
from webstack.offline.capture import Registration
from webstack.offline.program import ProgramRun, run_program
from webstack.program.stack_settings import as_pulumi_config, read_config_file

ROOT = Path(__file__).resolve().parent.parent


def render(
    program: Callable[[], Any],
    *,
    region: str = "us-east-1",
    stack: str = "test",
    config: Mapping[str, str] | None = None,
) -> ProgramRun:
    return run_program(program, project="webstack", stack=stack, config=config or {}, region=region)


# The real one, kept before conftest puts rendered_once in its place.
render_stack = offline_plan.render_stack


@functools.cache
def _render(stack: str, config: tuple[tuple[str, str], ...], secret_keys: tuple[str, ...], region: str) -> ProgramRun:
    """Rendered once per session: the first worker to need a config renders it (the other waits
    on its lock) and leaves the result in the session's directory for the rest."""
    shared = os.environ.get("WEBSTACK_TEST_SHARED_DIR")
    if shared is None:
        return render_stack(ROOT, stack, dict(config), list(secret_keys), region)
    key = hashlib.sha256(repr((stack, config, secret_keys, region)).encode()).hexdigest()[:24]
    renders = Path(shared) / "renders"
    renders.mkdir(parents=True, exist_ok=True)
    done = renders / f"{key}.pickle"
    with (renders / f"{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if done.exists():
            return pickle.loads(done.read_bytes())
        run = render_stack(ROOT, stack, dict(config), list(secret_keys), region)
        partial = done.with_suffix(".partial")
        partial.write_bytes(pickle.dumps(run))
        partial.replace(done)
        return run


def rendered_once(root: Path, stack: str, config: dict[str, str], secret_keys: list[str], region: str) -> ProgramRun:
    """offline_plan.render_stack, evaluated once per test process for each stack config: the
    program is deterministic, and its renders are the slow part of the suite (conftest puts this
    in place of the real one for the CLI tests too). Callers must not change what it returns."""
    if root != ROOT:
        return render_stack(root, stack, config, secret_keys, region)
    return _render(stack, tuple(sorted(config.items())), tuple(secret_keys), region)


def render_stack_file(path: Path, stack: str) -> ProgramRun:
    raw, secret_keys = read_config_file(path)
    return rendered_once(ROOT, stack, as_pulumi_config(raw), secret_keys, str(raw.get("aws:region", "us-east-1")))


@functools.cache
def shipped_stack(stack: str) -> ProgramRun:
    """Pulumi.<stack>.yaml rendered once per test process (the renders are the slow part)."""
    return render_stack_file(ROOT / f"Pulumi.{stack}.yaml", stack)


def one(run: ProgramRun, resource_type: str) -> Registration:
    found = run.of_type(resource_type)
    assert len(found) == 1, f"expected one {resource_type}, found {[r.name for r in found]}"
    return found[0]


def document(reg: Registration, key: str) -> dict[str, Any]:
    """A JSON policy input (assumeRolePolicy, policy, ...) parsed."""
    return json.loads(reg.inputs[key])


def ancestors(run: ProgramRun, reg: Registration) -> list[Registration]:
    by_urn = run.by_urn()
    chain = []
    parent = by_urn.get(reg.parent)
    while parent is not None:
        chain.append(parent)
        parent = by_urn.get(parent.parent)
    return chain


def statements(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    found = doc["Statement"]
    return found if isinstance(found, list) else [found]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def readme_figure(cost: Any) -> str:
    """How README tables print an estimate: "$12.34", or "$12.34 + 3 unknown lines"."""
    unknown = len(cost.unknown)
    return f"${cost.total:,.2f}" + (f" + {unknown} unknown lines" if unknown else "")
