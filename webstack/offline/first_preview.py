"""The offline plan as a first real `pulumi preview` would see it: what comes from another
resource's outputs is not known yet.

On the first preview of a stack nothing exists, so every output a provider computes (ids, ARNs,
endpoints) is unknown, and so is everything built from one: a string made with ``apply`` or
``concat`` is unknown as a whole, while a structure keeps its literal parts and only the leaves
taken from outputs are unknown. What invokes return (account, region, a looked-up zone) is known.
The plan records, per input, the resources its value came from (propertyDependencies); the mocks
recorded what each resource computed. A leaf of such an input that holds, or is built from, one of
those computed values becomes "[unknown]".

The engine hands a policy pack the inputs as the provider's Check returns them, and pulumi-aws
turns a policy given as structure into its JSON text there (the bridge's TransformJSONDocument),
unknown as a whole if any part of it is: so a policy stays structure only when all of it is known.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from webstack.offline.capture import Registration
from webstack.offline.plan_json import plan_document
from webstack.offline.program import ProgramRun

UNKNOWN = "[unknown]"
# Inputs pulumi-aws takes as JSON text or as structure (IAM, bucket, topic and repository policies).
POLICY_DOCUMENT_INPUTS = ("policy", "assumeRolePolicy")
# Computed values shorter than this are matched only whole (a port inside an unrelated string
# is no evidence); ids and ARNs are far longer.
MIN_EMBEDDED = 8


def computed_values(reg: Registration, state: Mapping[str, Any]) -> set[str]:
    """What the provider computes for a resource: its id and every output that is not an input."""
    values = {reg.id} if reg.id else set()
    for key, value in state.items():
        if key not in reg.inputs:
            values |= set(_strings(value))
    return {v for v in values if v}


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _unknown_leaves(value: Any, computed: set[str], long_computed: list[str]) -> Any:
    if isinstance(value, dict):
        return {k: _unknown_leaves(v, computed, long_computed) for k, v in value.items()}
    if isinstance(value, list):
        return [_unknown_leaves(v, computed, long_computed) for v in value]
    if isinstance(value, str) and (value in computed or any(c in value for c in long_computed)):
        return UNKNOWN
    return value


def as_first_preview(run: ProgramRun, provider_versions: dict[str, str] | None = None) -> dict[str, Any]:
    """The plan of ``run`` with every value that comes from another resource's outputs unknown."""
    by_urn = run.by_urn()
    computed_by_urn = {r.urn: computed_values(r, run.states.get(r.urn, {})) for r in run.registrations if r.custom}
    plan = plan_document(run, provider_versions)
    for step in plan["steps"]:
        state = step["newState"]
        inputs = dict(state["inputs"])
        for key, dependencies in state.get("propertyDependencies", {}).items():
            if key not in inputs:
                continue
            computed = set().union(*(_outputs_behind(urn, by_urn, computed_by_urn) for urn in dependencies))
            long_computed = sorted((c for c in computed if len(c) >= MIN_EMBEDDED), key=len, reverse=True)
            inputs[key] = _unknown_leaves(inputs[key], computed, long_computed)
        for key in POLICY_DOCUMENT_INPUTS:
            if isinstance(inputs.get(key), dict | list):
                inputs[key] = UNKNOWN if _has_unknown(inputs[key]) else json.dumps(inputs[key])
        state["inputs"] = inputs
    return plan


def _has_unknown(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_unknown(v) for v in value)
    return value == UNKNOWN


def _outputs_behind(urn: str, by_urn: Mapping[str, Registration], computed: Mapping[str, set[str]]) -> set[str]:
    """Computed outputs of a resource, or of every custom resource inside a component."""
    if urn in computed:
        return computed[urn]
    found: set[str] = set()
    for child in by_urn.values():
        if child.parent == urn:
            found |= _outputs_behind(child.urn, by_urn, computed)
    return found
