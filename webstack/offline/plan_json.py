"""The captured registrations as `pulumi preview --json` shows a plan of creates."""

from __future__ import annotations

from typing import Any

from webstack.offline.capture import Registration
from webstack.offline.program import ProgramRun


def _default_provider(package: str, version: str, stack: str, project: str) -> str:
    return f"urn:pulumi:{stack}::{project}::pulumi:providers:{package}::default_{version}"


def new_state(reg: Registration, default_provider: str) -> dict[str, Any]:
    provider = reg.provider
    if reg.custom and not provider and not reg.type.startswith("pulumi:providers:"):
        provider = default_provider
    state: dict[str, Any] = {
        "urn": reg.urn,
        "custom": reg.custom,
        "type": reg.type,
        "inputs": reg.inputs,
        "parent": reg.parent,
        "protect": reg.protect,
        "dependencies": reg.dependencies,
        "propertyDependencies": reg.property_dependencies,
    }
    if reg.custom and not reg.type.startswith("pulumi:providers:"):
        state["provider"] = provider
    return state


def plan_document(run: ProgramRun, provider_versions: dict[str, str] | None = None) -> dict[str, Any]:
    versions = provider_versions or {}
    steps = []
    for reg in run.registrations:
        package = reg.type.split(":")[0]
        default = _default_provider(package, versions.get(package, "0_0_0"), run.stack, run.project)
        state = new_state(reg, default)
        step: dict[str, Any] = {"op": "create", "urn": reg.urn, "newState": state}
        if "provider" in state:
            step["provider"] = state["provider"]
        steps.append(step)
    return {
        "steps": steps,
        "changeSummary": {"create": len(steps)},
        "outputs": run.outputs,
    }
