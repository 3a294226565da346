"""Run the real policy pack on a plan the way the Pulumi engine does: start policy/__main__.py,
read its port, and speak the analyzer protocol (GetAnalyzerInfo, Configure, ConfigureStack,
Analyze per resource, AnalyzeStack)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2

from webstack.policy_driver.pack import POLICY_DIR
from webstack.pulumi_sdk import UNKNOWN, analyzer_pb2, analyzer_pb2_grpc

LEVELS = {
    "advisory": analyzer_pb2.ADVISORY,
    "mandatory": analyzer_pb2.MANDATORY,
    "remediate": analyzer_pb2.REMEDIATE,
    "disabled": analyzer_pb2.DISABLED,
}
LEVEL_NAMES = {value: name for name, value in LEVELS.items()}
SEVERITY_NAMES = {
    analyzer_pb2.POLICY_SEVERITY_UNSPECIFIED: "unspecified",
    analyzer_pb2.POLICY_SEVERITY_LOW: "low",
    analyzer_pb2.POLICY_SEVERITY_MEDIUM: "medium",
    analyzer_pb2.POLICY_SEVERITY_HIGH: "high",
    analyzer_pb2.POLICY_SEVERITY_CRITICAL: "critical",
}


class PolicyPackError(Exception):
    """The policy pack could not be started or answered with an error."""


@dataclass(frozen=True)
class Violation:
    policy: str
    level: str  # mandatory | advisory
    severity: str
    urn: str
    message: str
    remediation: str


@dataclass(frozen=True)
class PolicyInfo:
    name: str
    description: str
    severity: str
    remediation: str
    tags: tuple[str, ...]
    schema_defaults: Mapping[str, Any]


def _struct(values: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    json_format.ParseDict(_with_unknowns(values), struct)
    return struct


def _with_unknowns(value: Any) -> Any:
    """Plans show unknown values as "[unknown]"; the analyzer protocol has a sentinel for them."""
    if isinstance(value, dict):
        return {k: _with_unknowns(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_unknowns(v) for v in value]
    if value == "[unknown]":
        return UNKNOWN
    return value


def read_policy_config(path: Path | None) -> dict[str, Any]:
    """The file `pulumi preview --policy-pack-config` takes: {"all": level, "<policy>": level | {...}}."""
    if path is None:
        return {}
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise PolicyPackError(f"{path}: cannot read the policy config ({error})") from None


class PolicyServer:
    """The policy pack as a running analyzer plugin; use as a context manager."""

    def __init__(self, pack_dir: Path = POLICY_DIR, startup_timeout: float = 60) -> None:
        self.pack_dir = pack_dir
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self._process = subprocess.Popen(
            [sys.executable, "__main__.py"],
            cwd=pack_dir,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        self._startup_timeout = startup_timeout
        self._stub: analyzer_pb2_grpc.AnalyzerStub | None = None
        self._channel: grpc.Channel | None = None
        self._info: dict[str, PolicyInfo] | None = None

    def _connect(self) -> analyzer_pb2_grpc.AnalyzerStub:
        if self._stub is not None:
            return self._stub
        assert self._process.stdout is not None
        port_line: list[bytes] = []
        reader = threading.Thread(target=lambda: port_line.append(self._process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        reader.join(self._startup_timeout)
        line = port_line[0].strip() if port_line else b""
        if not line.isdigit():
            if self._process.poll() is None:
                self._process.kill()
            stderr = self._process.stderr.read().decode(errors="replace") if self._process.stderr else ""
            self.close()
            raise PolicyPackError(f"the policy pack in {self.pack_dir} did not start:\n{stderr.strip()}")
        self._channel = grpc.insecure_channel(f"127.0.0.1:{int(line)}")
        self._stub = analyzer_pb2_grpc.AnalyzerStub(self._channel)
        return self._stub

    def __enter__(self) -> PolicyServer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self._channel is not None:
            self._channel.close()
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdout, self._process.stderr):
            if stream is not None:
                stream.close()

    def info(self) -> dict[str, PolicyInfo]:
        """The pack's policies (asked once: a running pack does not change)."""
        if self._info is None:
            self._info = self._ask_info()
        return self._info

    def _ask_info(self) -> dict[str, PolicyInfo]:
        response = self._connect().GetAnalyzerInfo(empty_pb2.Empty())
        policies = {}
        for policy in response.policies:
            properties = json_format.MessageToDict(policy.configSchema.properties)
            defaults = {k: v["default"] for k, v in properties.items() if isinstance(v, dict) and "default" in v}
            policies[policy.name] = PolicyInfo(
                policy.name,
                policy.description,
                SEVERITY_NAMES.get(policy.severity, "unspecified"),
                policy.remediation_steps,
                tuple(policy.tags),
                defaults,
            )
        return policies

    def configure(self, config: Mapping[str, Any], stack: str, project: str = "webstack") -> dict[str, str]:
        """Send each policy its enforcement level and properties, as the CLI resolves them
        (per-policy entry, else "all", else the pack's default: mandatory). Returns the levels."""
        info = self.info()
        default_level = config.get("all", "mandatory")
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        levels = {}
        for name, policy in info.items():
            entry = config.get(name, {})
            if isinstance(entry, str):
                entry = {"enforcementLevel": entry}
            level = entry.get("enforcementLevel", default_level)
            if level not in LEVELS:
                raise PolicyPackError(f"policy config: {name}: enforcementLevel must be one of {', '.join(LEVELS)}")
            properties = {
                **policy.schema_defaults,
                **{k: v for k, v in entry.items() if k != "enforcementLevel"},
            }
            request.policyConfig[name].CopyFrom(
                analyzer_pb2.PolicyConfig(enforcementLevel=LEVELS[level], properties=_struct(properties))
            )
            levels[name] = level
        unknown = sorted(set(config) - set(info) - {"all"})
        if unknown:
            raise PolicyPackError(f"policy config names unknown policies: {', '.join(unknown)}")
        stub = self._connect()
        stub.Configure(request)
        stub.ConfigureStack(analyzer_pb2.AnalyzerStackConfigureRequest(stack=stack, project=project))
        return levels

    def analyze(
        self, plan: Mapping[str, Any], only: Iterable[str] | None = None, include_stack: bool = True
    ) -> list[Violation]:
        """Analyze every custom resource (or only the URNs given), then the whole stack (unless
        ``include_stack`` is false: the SDK re-reads every resource for each stack policy)."""
        stub = self._connect()
        remediation = {name: p.remediation for name, p in self.info().items()}
        states = [step["newState"] for step in plan["steps"] if "newState" in step]
        by_urn = {s["urn"]: s for s in states}
        wanted = set(only) if only is not None else None
        diagnostics: list[tuple[Any, str]] = []
        for state in states:
            if not state.get("custom") or state["type"].startswith("pulumi:providers:"):
                continue
            if wanted is not None and state["urn"] not in wanted:
                continue
            request = analyzer_pb2.AnalyzeRequest(
                type=state["type"],
                properties=_struct(state.get("inputs", {})),
                urn=state["urn"],
                name=_name(state["urn"]),
                options=_options(state),
                provider=_provider(state, by_urn),
            )
            # Resource policies report without a URN; the engine attaches the analyzed resource's.
            diagnostics += [(d, d.urn or state["urn"]) for d in stub.Analyze(request).diagnostics]
        if include_stack:
            diagnostics += [(d, d.urn) for d in stub.AnalyzeStack(self._stack_request(states, by_urn)).diagnostics]
        return [
            Violation(
                policy=d.policyName,
                level=LEVEL_NAMES.get(d.enforcementLevel, "advisory"),
                severity=SEVERITY_NAMES.get(d.severity, "unspecified"),
                urn=urn,
                message=d.message,
                remediation=remediation.get(d.policyName, ""),
            )
            for d, urn in diagnostics
        ]

    @staticmethod
    def _stack_request(
        states: list[Mapping[str, Any]], by_urn: Mapping[str, Mapping[str, Any]]
    ) -> analyzer_pb2.AnalyzeStackRequest:
        return analyzer_pb2.AnalyzeStackRequest(
            resources=[
                analyzer_pb2.AnalyzerResource(
                    type=s["type"],
                    properties=_struct(s.get("inputs", {})),
                    urn=s["urn"],
                    name=_name(s["urn"]),
                    options=_options(s),
                    provider=_provider(s, by_urn),
                    parent=s.get("parent", ""),
                    dependencies=s.get("dependencies", []),
                    propertyDependencies={
                        k: analyzer_pb2.AnalyzerPropertyDependencies(urns=v)
                        for k, v in s.get("propertyDependencies", {}).items()
                    },
                )
                for s in states
            ]
        )


def _name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def _options(state: Mapping[str, Any]) -> analyzer_pb2.AnalyzerResourceOptions:
    return analyzer_pb2.AnalyzerResourceOptions(protect=bool(state.get("protect")), parent=state.get("parent", ""))


def _provider(
    state: Mapping[str, Any], by_urn: Mapping[str, Mapping[str, Any]]
) -> analyzer_pb2.AnalyzerProviderResource | None:
    reference = state.get("provider") or ""
    provider_urn = reference.rsplit("::", 1)[0] if reference else ""
    provider = by_urn.get(provider_urn)
    if provider is None:
        return None
    return analyzer_pb2.AnalyzerProviderResource(
        type=provider["type"],
        properties=_struct(provider.get("inputs", {})),
        urn=provider["urn"],
        name=_name(provider["urn"]),
    )
