"""Test helpers: run a program under the AWS-like mocks and look at what it registered."""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import pickle
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from webstack.offline import plan as offline_plan
from webstack.offline.capture import Registration
from webstack.offline.program import ProgramRun, run_program
from webstack.policy_driver.engine import PolicyServer, Violation
from webstack.program.stack_settings import as_pulumi_config, read_config_file

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


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


def once_per_session(kind: str, key: object, compute: Callable[[], T]) -> T:
    """compute(), evaluated once per session for each key: the first worker to need it computes it
    (the other waits on its lock) and leaves the pickled result in the session's directory. For
    deterministic work only (renders, the pack's verdicts on a plan); without the directory, computed."""
    shared = os.environ.get("WEBSTACK_TEST_SHARED_DIR")
    if shared is None:
        return compute()
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:24]
    store = Path(shared) / kind
    store.mkdir(parents=True, exist_ok=True)
    done = store / f"{digest}.pickle"
    with (store / f"{digest}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if done.exists():
            return pickle.loads(done.read_bytes())
        result = compute()
        partial = done.with_suffix(".partial")
        partial.write_bytes(pickle.dumps(result))
        partial.replace(done)
        return result


@functools.cache
def _render(stack: str, config: tuple[tuple[str, str], ...], secret_keys: tuple[str, ...], region: str) -> ProgramRun:
    """Rendered once per session (and kept in each process that asks)."""
    return once_per_session(
        "renders",
        (stack, config, secret_keys, region),
        lambda: render_stack(ROOT, stack, dict(config), list(secret_keys), region),
    )


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


class SharedPolicyServer:
    """The real policy pack, started once per test process and shared by the tests and by the CLI
    runs (conftest puts it in place of the server `plan` and `policy check` start). Its verdicts
    are computed once per session for each configuration and question: the pack is the same in
    every worker, and judging a plan is the slow part of a CLI test after its render."""

    server: PolicyServer | None = None
    # The configuration the running server was last given (any instance may have changed it).
    configured: object = None

    def __init__(self, *_: Any, **__: Any) -> None:
        self._config: tuple[dict[str, Any], str, str] | None = None

    @classmethod
    def running(cls) -> PolicyServer:
        if cls.server is None:
            cls.server = PolicyServer()
        return cls.server

    @classmethod
    def stop(cls) -> None:
        if cls.server is not None:
            cls.server.close()
            cls.server = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.running(), name)

    def __enter__(self) -> SharedPolicyServer:
        return self

    def __exit__(self, *_: object) -> None:
        pass

    def close(self) -> None:
        pass

    def configure(self, config: Mapping[str, Any], stack: str, project: str = "webstack") -> dict[str, str]:
        self._config = (dict(config), stack, project)
        SharedPolicyServer.configured = self._config_key()
        return self.running().configure(config, stack, project)

    def _config_key(self) -> str:
        return json.dumps(self._config, sort_keys=True)

    def analyze(
        self, plan: Mapping[str, Any], only: Iterable[str] | None = None, include_stack: bool = True
    ) -> list[Violation]:
        """The server's verdicts; on a whole plan (the CLI tests judge the same ones), once per
        session. A question about a few resources (the mutation cases) is asked each time."""

        def judge() -> list[Violation]:
            if self._config is not None and SharedPolicyServer.configured != self._config_key():
                self.configure(*self._config)
            return self.running().analyze(plan, only, include_stack)

        if only is not None:
            return judge()
        return once_per_session("verdicts", (self._config_key(), pickle.dumps(plan), include_stack), judge)


def copied(plan: T) -> T:
    """A deep copy of a plan (plain JSON values) to change: pickle makes it in a fraction of
    copy.deepcopy's time, which the mutation cases would otherwise spend most of theirs on."""
    return pickle.loads(pickle.dumps(plan))


def raised(build: Callable[[], object]) -> tuple[ProgramRun, list[str]]:
    """What a program registered before ``build`` raised ValueError, and the error."""
    errors: list[str] = []

    def program() -> None:
        try:
            build()
        except ValueError as error:
            errors.append(str(error))

    return render(program), errors


def refusal(build: Callable[[], object]) -> str:
    """The ValueError a component raises while it is built with bad args, after checking that it
    registered nothing (not even itself): AWS is never asked."""
    run, errors = raised(build)
    assert [r.type for r in run.registrations] == ["pulumi:pulumi:Stack"]
    assert errors, "no ValueError raised"
    return errors[0]
