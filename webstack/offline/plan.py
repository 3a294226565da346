"""The offline plan: a stack config validated, the program run under mocks, the plan JSON
written, checked against AWS's API models and judged by the real policy pack. `plan`, `cost`,
`policy check`, `preview` and `up` all start here."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi

from webstack.offline.first_preview import as_first_preview
from webstack.offline.plan_json import plan_document
from webstack.offline.program import ProgramError, ProgramRun, main_program, run_program
from webstack.policy_driver.engine import PolicyServer, Violation, read_policy_config
from webstack.policy_driver.pack import default_policy_config
from webstack.program.config_problems import ConfigError, Problem
from webstack.program.project import PROJECT, PROJECT_ROOT, available_stacks, stack_file, work_dir
from webstack.program.stack_settings import as_pulumi_config, parse_any_config, read_config_file
from webstack.validate import ValidationReport, validate_plan

PROVIDER_VERSIONS = {"aws": "7_51_1", "random": "4_21_4"}


class PlanError(Exception):
    """The stack, config file or plan file asked for cannot be used; printed without a
    traceback, exit code 2."""


@dataclass
class PlanResult:
    stack: str
    plan: dict[str, Any]
    path: Path
    run: ProgramRun
    seconds: float
    violations: list[Violation]
    policy_config: Path | None
    policy_seconds: float
    validation: ValidationReport
    warnings: list[str]
    # Planned as a first real preview sees it (--as-first-preview), with each rule's level.
    first_preview: bool = False
    policy_levels: dict[str, str] = field(default_factory=dict)
    # How the stack name and environment were decided ("stack dev from Pulumi.dev.yaml, ...").
    how: str = ""
    # What `webstack cost` takes to price this plan: the stack's name when it is the project's own
    # stack, else the plan file.
    cost_target: str = ""


def read_plan_file(path: Path) -> dict[str, Any]:
    """A plan JSON written by `webstack plan` or `pulumi preview --json`."""
    try:
        plan = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise PlanError(f"{path}: not a readable plan JSON ({error})") from None
    if not isinstance(plan, dict) or not isinstance(plan.get("steps"), list):
        raise PlanError(f"{path}: no 'steps' list (expected `webstack plan` or `pulumi preview --json` output)")
    return plan


@dataclass(frozen=True)
class Target:
    """What `plan` renders: the stack name the program sees, its config file, where the plan
    goes by default, and how the name was decided (printed, so nobody has to guess)."""

    stack: str
    path: Path
    default_out: Path
    how: str


def resolve_config_file(stack: str | None, config: Path | None, root: Path) -> Target:
    """A stack's own Pulumi.<stack>.yaml, or --config FILE. The stack name of a file is the one
    given on the command line, else the file's name (Pulumi.<name>.yaml or <name>.yaml); the
    environment is the file's webstack:environment, else that name. A file that is not the
    project's own file of that stack never writes over that stack's plan."""
    plans = work_dir() / "plans"
    if config is None:
        if stack is None:
            raise PlanError("name a stack (e.g. `webstack plan dev`) or give --config FILE")
        path = stack_file(root, stack)
        if not path.is_file():
            stacks = ", ".join(available_stacks(root)) or "none"
            raise PlanError(f"no stack {stack!r}: {path.name} does not exist (stacks here: {stacks})")
        return Target(stack, path, plans / f"{stack}.json", f"stack {stack} from {path.name}")
    if not config.is_file():
        raise PlanError(f"--config {config}: no such file")
    name = stack or config.name.removeprefix("Pulumi.").removesuffix(".yaml").removesuffix(".yml")
    how = f"stack {name} ({'given' if stack else 'from the file name'}) from {config}"
    own = stack_file(root, name)
    if own.is_file() and not own.samefile(config):
        # Another file under a project stack's name: its plan goes beside that stack's, not over it.
        digest = hashlib.sha256(str(config.resolve()).encode()).hexdigest()[:8]
        return Target(name, config, plans / f"{name}-{digest}.json", how)
    return Target(name, config, plans / f"{name}.json", how)


def render_stack(root: Path, stack: str, config: dict[str, str], secret_keys: list[str], region: str) -> ProgramRun:
    """The project's __main__.py evaluated for one stack config under the AWS-like mocks."""
    return run_program(
        main_program(root), project=PROJECT, stack=stack, config=config, secret_keys=secret_keys, region=region
    )


@dataclass(frozen=True)
class Judgement:
    """What the policy pack said of a plan, and the enforcement level of each rule."""

    violations: list[Violation] = field(default_factory=list)
    levels: dict[str, str] = field(default_factory=dict)


def _render(
    root: Path, stack: str, path: Path, *, raw: dict[str, Any], secret_keys: list[str], region: str
) -> ProgramRun:
    """The program's run; a pulumi.RunError it raises is a config problem of the stack file."""
    try:
        return render_stack(root, stack, as_pulumi_config(raw), secret_keys, region)
    except ProgramError as error:
        if isinstance(error.cause, pulumi.RunError):
            raise ConfigError(path.name, [Problem("(program)", str(error.cause))]) from None
        raise


def _judge(server: PolicyServer | None, plan: dict[str, Any], policy_file: Path | None, stack: str) -> Judgement:
    if server is None or policy_file is None:
        return Judgement()
    levels = server.configure(read_policy_config(policy_file), stack)
    return Judgement(server.analyze(plan), levels)


def build_plan(
    stack: str | None,
    config: Path | None = None,
    *,
    out: Path | None = None,
    root: Path = PROJECT_ROOT,
    policy_config: Path | None = None,
    run_policies: bool = True,
    first_preview: bool = False,
) -> PlanResult:
    """Validate the stack config, run the program under mocks, write the plan JSON, and judge
    it with the real policy pack (started at once, so it boots while the program runs)."""
    started = time.perf_counter()
    chosen = resolve_config_file(stack, config, root)
    stack, path = chosen.stack, chosen.path
    raw, secret_keys = read_config_file(path)
    settings = parse_any_config(raw, stack, path.name, secret_keys)
    told = "webstack:environment" in raw
    how = f"{chosen.how}, environment {settings.environment} ({'webstack:environment' if told else 'the stack name'})"
    server = PolicyServer() if run_policies else None
    try:
        run = _render(root, stack, path, raw=raw, secret_keys=secret_keys, region=settings.region)
        plan = as_first_preview(run, PROVIDER_VERSIONS) if first_preview else plan_document(run, PROVIDER_VERSIONS)
        target = out or chosen.default_out
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(plan, indent=2, sort_keys=False) + "\n")
        validation = validate_plan(plan)
        planned = time.perf_counter()
        policy_file = (policy_config or default_policy_config(stack, settings.environment)) if server else None
        judged = _judge(server, plan, policy_file, stack)
    finally:
        if server is not None:
            server.close()
    finished = time.perf_counter()
    return PlanResult(
        stack,
        plan,
        target,
        run,
        planned - started,
        judged.violations,
        policy_file,
        finished - planned,
        validation,
        run.warnings(),
        first_preview,
        judged.levels,
        how,
        stack if config is None else str(target),
    )
