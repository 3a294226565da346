"""One conversion of a resource's inputs per analyzer call, not one per policy.

pulumi-policy's analyzer turns a resource's inputs (a protobuf Struct) into Python values, and
wraps them in its unknown-checking proxy, once for *every* policy it runs on that resource, and
once per stack policy for every resource of the stack. With this pack's 60-odd policies that
conversion is four fifths of the pack's time: a 200-resource plan took about a second to judge, in
`webstack plan` and in every real `pulumi preview` alike.

``install()`` keeps the SDK's own functions and memoizes their results for the length of one
Analyze or AnalyzeStack call (per thread: the engine may call concurrently), so every
policy receives the same converted inputs. Policies only read their inputs (the pack's rules never
assign to them; tests/test_policy_pack.py compares every verdict with and without this).

It touches pulumi-policy internals, so it is installed only on the releases it was tested with
(TESTED); on any other, or with WEBSTACK_POLICY_SDK_AS_SHIPPED=1 in the environment, the SDK runs
unchanged: slower, never different.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from importlib import metadata
from types import SimpleNamespace
from typing import Any

from google.protobuf import json_format
from pulumi_policy import policy

# pulumi-policy releases (major, minor) whose analyzer this was written against.
TESTED = {(1, 21)}
AS_SHIPPED = "WEBSTACK_POLICY_SDK_AS_SHIPPED"

_calls = threading.local()
# The analyzer's module: the names it calls are its own, not exported (pyright would object).
sdk: Any = policy


def applies(version: str, environ: dict[str, str] | os._Environ[str]) -> bool:
    """Whether to install on this pulumi-policy release and environment."""
    if environ.get(AS_SHIPPED):
        return False
    major, minor = (int(part) for part in version.split(".")[:2])
    return (major, minor) in TESTED


def install() -> bool:
    """Memoize the analyzer's conversions (see the module docstring). True if installed."""
    if not applies(metadata.version("pulumi-policy"), os.environ) or getattr(sdk, "_webstack_memo", False):
        return False
    servicer = sdk._PolicyAnalyzerServicer
    for method in ("Analyze", "AnalyzeStack"):  # not Remediate: a remediation may change what it gets
        setattr(servicer, method, _one_conversion_per_call(getattr(servicer, method)))
    sdk.json_format = SimpleNamespace(
        **{name: getattr(json_format, name) for name in dir(json_format) if not name.startswith("__")}
    )
    sdk.json_format.MessageToDict = _memoized(json_format.MessageToDict)
    sdk.deserialize_properties = _memoized(sdk.deserialize_properties)
    sdk.unknown_checking_proxy = _memoized(sdk.unknown_checking_proxy)
    sdk._webstack_memo = True
    return True


def _one_conversion_per_call(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(self: Any, request: Any, context: Any) -> Any:
        _calls.memo = {}
        try:
            return method(self, request, context)
        finally:
            _calls.memo = None

    return call


def _memoized(function: Callable[..., Any]) -> Callable[..., Any]:
    """function, remembered by the identity of its first argument (kept alive meanwhile, so no
    other object can take its id) while a wrapped call runs on this thread; plain otherwise."""

    @functools.wraps(function)
    def remembered(value: Any, *args: Any) -> Any:
        memo: dict[Any, tuple[Any, Any]] | None = getattr(_calls, "memo", None)
        if memo is None:
            return function(value, *args)
        key = (function, id(value), args)
        if key not in memo:
            memo[key] = (value, function(value, *args))
        return memo[key][1]

    return remembered
