"""Every Pulumi SDK internal webstack relies on, in one place, checked against the SDK installed.

The offline engine runs a program in this process: it needs the SDK's mock monitor, its wire
format (property serialisation), its event-loop helpers, the stack root and engine settings, and
the analyzer's protobufs for the policy pack. None of these are public API, so an SDK upgrade
may move them. The offline engine first checks the SDK's version against the range the smoke
test (tests/test_sdk_adapter.py) has covered, and every other module imports the internals from
here only, so an upgrade that moves one breaks here, with a message, not deep inside a plan.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from importlib import metadata
from typing import Any, TypeVar

import grpc
import pulumi
from pulumi.runtime import resource as sdk_resource
from pulumi.runtime import rpc, settings
from pulumi.runtime import stack as sdk_stack
from pulumi.runtime.config import CONFIG, get_config_env, get_config_secret_keys_env, is_config_secret
from pulumi.runtime.mocks import MockMonitor, MockResourceArgs, Mocks
from pulumi.runtime.proto import (
    analyzer_pb2,
    analyzer_pb2_grpc,
    callback_pb2,
    callback_pb2_grpc,
    resource_pb2,
    source_pb2,
)
from pulumi.runtime.stack import run_in_stack
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

# The SDK releases whose internals the smoke test has run against: requirements.txt pins one
# inside this range. Widen it only after `pytest tests/test_sdk_adapter.py` passes on the new one.
SUPPORTED = ((3, 200), (4, 0))  # from 3.200 (inclusive) up to 4.0 (exclusive)

__all__ = [
    "SIG_ARCHIVE",
    "SIG_ASSET",
    "SIG_KEY",
    "SIG_OUTPUT",
    "SIG_RESOURCE_REF",
    "SIG_SECRET",
    "UNKNOWN",
    "MockMonitor",
    "MockResourceArgs",
    "Mocks",
    "UnsupportedSdk",
    "analyzer_pb2",
    "analyzer_pb2_grpc",
    "check_version",
    "config_secret_keys",
    "config_values",
    "deserialize",
    "ensure_event_loop",
    "program_runner",
    "register_resource_response",
    "require_supported",
    "run_sync",
    "run_transform",
    "serialize",
    "set_config",
    "set_engine",
    "set_mocks",
    "set_root",
    "with_inputs",
]

T = TypeVar("T")

# The property wire format's markers: what a secret, a resource reference, an output, an asset
# and a value not known yet look like on the way to the engine (and so to a policy pack).
UNKNOWN: str = rpc.UNKNOWN
SIG_KEY: str = rpc._special_sig_key
SIG_SECRET: str = rpc._special_secret_sig
SIG_RESOURCE_REF: str = rpc._special_resource_sig
SIG_OUTPUT: str = rpc._special_output_value_sig
SIG_ASSET: str = rpc._special_asset_sig
SIG_ARCHIVE: str = rpc._special_archive_sig


class UnsupportedSdk(RuntimeError):
    """The installed Pulumi SDK is outside the range the offline engine was tested with."""


def check_version(version: str) -> None:
    parts = tuple(int(p) for p in version.split(".")[:2] if p.isdigit())
    low, high = SUPPORTED
    if len(parts) < 2 or not low <= parts < high:
        raise UnsupportedSdk(
            f"webstack's offline engine uses Pulumi SDK internals tested from {low[0]}.{low[1]} up to "
            f"{high[0]}.{high[1]} (exclusive), but pulumi {version} is installed: install the version "
            "requirements.txt pins, or run tests/test_sdk_adapter.py on this one and widen "
            "webstack/pulumi_sdk.py's SUPPORTED"
        )


def require_supported() -> None:
    """Refuse, with the message above, to run the offline engine on an SDK it was not tested
    with. Only the offline engine calls this: a real `pulumi up` reads its config through
    ``config_values``, which has been stable for years, and should not be blocked by it."""
    check_version(metadata.version("pulumi"))


def run_sync(awaitable: Awaitable[T]) -> T:
    """Wait for a coroutine on the SDK's own event loop (the one its outputs resolve on)."""
    return _sync_await(awaitable)


def ensure_event_loop() -> None:
    _ensure_event_loop()


def serialize(properties: Mapping[str, Any]) -> Any:
    """Python values -> the wire Struct the engine receives (secrets, resources, assets marked)."""
    return run_sync(rpc.serialize_properties(dict(properties), {}))


def deserialize(struct: Any) -> dict[str, Any]:
    """The wire Struct -> Python values, as a mock's new_resource receives them."""
    return rpc.deserialize_properties(struct)


def register_resource_response(urn: str, resource_id: str, state: Any) -> Any:
    return resource_pb2.RegisterResourceResponse(urn=urn, id=resource_id, object=state)


def run_transform(callback: Any, request: Any) -> Any | None:
    """Do what the engine does with a `transforms` resource option: call the program's transform
    through the SDK's callback server (its target and token) with the resource's type, name,
    parent and inputs. The inputs the transform returns (a wire Struct), or None if it left them."""
    transform = resource_pb2.TransformRequest(
        type=request.type,
        name=request.name,
        custom=request.custom,
        parent=request.parent,
        properties=request.object,
        options=resource_pb2.TransformResourceOptions(),
    )
    with grpc.insecure_channel(callback.target) as channel:
        answer = callback_pb2_grpc.CallbacksStub(channel).Invoke(
            callback_pb2.CallbackInvokeRequest(token=callback.token, request=transform.SerializeToString())
        )
    response = resource_pb2.TransformResponse.FromString(answer.response)
    return response.properties if response.HasField("properties") else None


def with_inputs(request: Any, properties: Any) -> Any:
    """A copy of a RegisterResourceRequest whose inputs are ``properties``."""
    changed = resource_pb2.RegisterResourceRequest()
    changed.CopyFrom(request)
    changed.object.CopyFrom(properties)
    return changed


def set_root(value: Any) -> None:
    """The stack resource the SDK parents top-level resources to (None: none yet)."""
    settings.ROOT.set(value)


def set_engine(engine: Any) -> None:
    """Where pulumi.log goes (an object with a Log(request) method; None: stderr)."""
    settings.SETTINGS.engine = engine  # pyright: ignore[reportAttributeAccessIssue]


def set_mocks(mocks: Mocks, *, project: str, stack: str, monitor: Any) -> None:
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False, monitor=monitor)


def set_config(config: Mapping[str, str], secret_keys: list[str]) -> None:
    pulumi.runtime.set_all_config(dict(config), secret_keys)


def config_values() -> dict[str, str]:
    """The stack config the program was started with (from the engine, or set_all_config)."""
    return {**get_config_env(), **CONFIG.get()}


def config_secret_keys() -> set[str]:
    """The keys whose values the engine decrypted for the program: a real run hands them over in
    PULUMI_CONFIG_SECRET_KEYS, set_all_config (mocks, offline plans) keeps them in the runtime."""
    return {k for k in config_values() if is_config_secret(k)} | set(get_config_secret_keys_env())


def program_runner(program: Callable[[], Any]) -> Awaitable[Any]:
    """The coroutine the language host runs: the program inside its stack resource, waiting for
    its outputs with ``_wait_for_outputs`` (see there) instead of the SDK's loop, and sending no
    stack traces (see ``_no_stack_trace``)."""
    return _offline(run_in_stack(program))


async def _offline(runner: Awaitable[Any]) -> Any:
    originals = sdk_stack.wait_for_rpcs, sdk_resource._get_stack_trace
    sdk_stack.wait_for_rpcs = _wait_for_outputs  # type: ignore[assignment]
    sdk_resource._get_stack_trace = _no_stack_trace
    try:
        return await runner
    finally:
        sdk_stack.wait_for_rpcs, sdk_resource._get_stack_trace = originals


def _no_stack_trace() -> Any:
    """The SDK sends the engine each registration's call stack, every frame's file turned into a
    URI, for the source positions `pulumi preview` shows; no plan, rule or test of the offline
    engine reads them, and they cost a fifth of a component test's time. Offline, none is sent."""
    return source_pb2.StackTrace()


async def _wait_for_outputs(await_all_outstanding_tasks: bool = True) -> None:
    """What the SDK's wait_for_rpcs does (every registration RPC, then every output task, until
    no more are made, re-raising the first failure), without its cost: the SDK waits on all
    pending output tasks with asyncio.wait(FIRST_COMPLETED) once per finished task, which hooks
    and unhooks every pending task each time (quadratic: a third of a 200-resource plan's time).
    Here each round gathers the tasks pending at its start; tasks made meanwhile wait for the
    next round. Only the offline engine runs this; a real deployment runs the SDK's own."""
    rpc_manager = sdk_stack._get_rpc_manager()  # pyright: ignore[reportPrivateImportUsage]
    state: Any = settings.SETTINGS  # its lock and outputs are per-context attributes pyright cannot see
    while True:
        while rpc_manager.rpcs:
            await asyncio.sleep(0)
            await rpc_manager.rpcs.pop()
        if rpc_manager.unhandled_exception is not None:
            raise rpc_manager.unhandled_exception.with_traceback(rpc_manager.exception_traceback)
        while await_all_outstanding_tasks:
            with state.lock:
                pending = list(state.outputs)
                state.outputs.clear()
            if not pending:
                break
            await asyncio.gather(*pending)
        if not rpc_manager.rpcs:
            break
