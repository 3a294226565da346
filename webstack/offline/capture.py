"""A mock resource monitor that records every registration the way the engine receives it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format

from webstack.pulumi_sdk import (
    SIG_ARCHIVE,
    SIG_ASSET,
    SIG_KEY,
    SIG_OUTPUT,
    SIG_RESOURCE_REF,
    SIG_SECRET,
    UNKNOWN,
    MockMonitor,
    MockResourceArgs,
    Mocks,
    deserialize,
    ensure_event_loop,
    register_resource_response,
    run_transform,
    serialize,
    with_inputs,
)

SECRET_MASK = "[secret]"


def engine_value(value: Any) -> Any:
    """A wire value as `pulumi preview --json` shows it: secrets masked, references as URNs."""
    if isinstance(value, dict):
        sig = value.get(SIG_KEY)
        if sig == SIG_SECRET:
            return SECRET_MASK
        if sig == SIG_RESOURCE_REF:
            return value.get("urn")
        if sig == SIG_OUTPUT:
            return SECRET_MASK if value.get("secret") else engine_value(value.get("value"))
        if sig in (SIG_ASSET, SIG_ARCHIVE):
            return {k: v for k, v in value.items() if k != SIG_KEY}
        return {k: engine_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [engine_value(v) for v in value]
    if value == UNKNOWN:
        return "[unknown]"
    return value


def has_secret(value: Any) -> bool:
    if isinstance(value, dict):
        return value.get(SIG_KEY) == SIG_SECRET or any(has_secret(v) for v in value.values())
    if isinstance(value, list):
        return any(has_secret(v) for v in value)
    return False


@dataclass
class Registration:
    """One RegisterResource request: what the engine (and so a policy pack) sees."""

    type: str
    name: str
    urn: str
    custom: bool
    parent: str
    inputs: dict[str, Any]
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    provider: str
    protect: bool
    id: str = ""
    secret_inputs: list[str] = field(default_factory=list)
    # The customTimeouts option (create/update/delete, e.g. "60m"): the engine's, not an input.
    custom_timeouts: dict[str, str] = field(default_factory=dict)


class CapturingMonitor(MockMonitor):
    """MockMonitor that keeps each registration in order and makes URNs as the engine does."""

    def __init__(self, mocks: Mocks, project: str, stack: str) -> None:
        super().__init__(mocks)
        self.project = project
        self.stack = stack
        self.registrations: list[Registration] = []
        self.stack_urn = f"urn:pulumi:{stack}::{project}::pulumi:pulumi:Stack::{project}-{stack}"
        self.stack_outputs: dict[str, Any] = {}
        # The `transforms` option of each resource, and each resource's parent: the engine runs a
        # resource's own transforms, then its parent's, up to the stack, before it registers it.
        self.transforms: dict[str, list[Any]] = {}
        self.parents: dict[str, str] = {}

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        # Children of the stack carry no parent type; deeper children carry the chain of types.
        if parent and parent != self.stack_urn:
            parent_type = parent.split("::")[2]
            type_ = f"{parent_type}${type_}"
        return f"urn:pulumi:{self.stack}::{self.project}::{type_}::{name}"

    def RegisterResource(self, request: Any) -> Any:
        if request.type == "pulumi:pulumi:Stack":
            self.registrations.append(self._record(request, self.stack_urn, "", {}))
            return register_resource_response(self.stack_urn, "", None)
        request = self._transformed(request)
        response = self._register(request)
        wire = json_format.MessageToDict(request.object)
        self.registrations.append(self._record(request, response.urn, response.id, wire))
        return response

    def _transformed(self, request: Any) -> Any:
        """The request after the transforms of the resource and of its ancestors (outermost
        last), as the engine applies them; options a transform returns are not applied offline."""
        urn = self.make_urn(request.parent, request.type, request.name)
        self.transforms[urn] = list(request.transforms)
        self.parents[urn] = request.parent
        chain, ancestor = [], urn
        while ancestor:
            chain += self.transforms.get(ancestor, [])
            ancestor = self.parents.get(ancestor, "")
        for callback in chain:
            properties = run_transform(callback, request)
            if properties is not None:
                request = with_inputs(request, properties)
        return request

    def _register(self, request: Any) -> Any:
        """MockMonitor.RegisterResource, plus what the engine does with additionalSecretOutputs:
        those outputs come back as secrets (RandomPassword.result, for one)."""
        ensure_event_loop()
        inputs = deserialize(request.object)
        args = MockResourceArgs(
            typ=request.type,
            name=request.name,
            inputs=inputs,
            provider=request.provider,
            resource_id=request.importId,
            custom=request.custom or False,
        )
        resource_id, state = self.mocks.new_resource(args)
        urn = self.make_urn(request.parent, request.type, request.name)
        self.resources[urn] = MockMonitor.ResourceRegistration(urn, resource_id or "", state)
        wire_state = {
            key: {SIG_KEY: SIG_SECRET, "value": value} if key in request.additionalSecretOutputs else value
            for key, value in state.items()
        }
        return register_resource_response(urn, resource_id or "", serialize(wire_state))

    def RegisterResourceOutputs(self, request: Any) -> Any:
        if request.urn == self.stack_urn:
            self.stack_outputs = json_format.MessageToDict(request.outputs)
        return super().RegisterResourceOutputs(request)

    def _record(self, request: Any, urn: str, resource_id: str, wire: dict[str, Any]) -> Registration:
        return Registration(
            type=request.type,
            name=request.name,
            urn=urn,
            custom=bool(request.custom),
            parent=request.parent or ("" if urn == self.stack_urn else self.stack_urn),
            inputs=engine_value(wire),
            dependencies=list(request.dependencies),
            property_dependencies={key: list(deps.urns) for key, deps in request.propertyDependencies.items()},
            provider=request.provider,
            protect=bool(request.protect) if request.HasField("protect") else False,
            id=resource_id or "",
            secret_inputs=sorted(k for k, v in wire.items() if has_secret(v)),
            custom_timeouts={k: v for k, v in json_format.MessageToDict(request.customTimeouts).items() if v},
        )
