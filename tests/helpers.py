"""Test helpers: run a program under the AWS-like mocks and look at what it registered."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from webstack.offline.capture import Registration
from webstack.offline.program import ProgramRun, main_program, run_program
from webstack.stack_settings import as_pulumi_config, read_config_file

ROOT = Path(__file__).resolve().parent.parent


def render(
    program: Callable[[], Any],
    *,
    region: str = "us-east-1",
    stack: str = "test",
    config: Mapping[str, str] | None = None,
) -> ProgramRun:
    return run_program(program, project="webstack", stack=stack, config=config or {}, region=region)


def render_stack_file(path: Path, stack: str) -> ProgramRun:
    raw, secret_keys = read_config_file(path)
    return run_program(
        main_program(ROOT),
        project="webstack",
        stack=stack,
        config=as_pulumi_config(raw),
        secret_keys=secret_keys,
        region=str(raw.get("aws:region", "us-east-1")),
    )


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
