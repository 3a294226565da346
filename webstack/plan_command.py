"""`webstack plan`: evaluate the real program for one stack offline and write the plan JSON."""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from rich.console import Console
from rich.text import Text

from .config_problems import ConfigError, Problem
from .cost.estimate import estimate
from .cost.report import total_line
from .cost.tables import PriceTable, load_usage
from .offline.first_preview import as_first_preview
from .offline.plan_json import plan_document
from .offline.program import ProgramError, ProgramRun, main_program, run_program
from .plan_tree import hosts_table, plan_tree, resource_count
from .policy_engine import POLICY_DIR, PolicyServer, Violation, read_policy_config
from .policy_report import mandatory, print_preview_coverage, print_violations, undecided
from .stack_settings import (
    PROJECT,
    as_pulumi_config,
    available_stacks,
    default_policy_config,
    parse_stack_config,
    read_config_file,
    stack_file,
)
from .terminal import command_prefix, styled
from .validate import ValidationReport, validate_plan
from .validate.report import print_report

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def work_dir() -> Path:
    """Where plans, diagrams and deployment logs go: $WEBSTACK_WORK_DIR, else .webstack/ in the
    project (git-ignored)."""
    return Path(os.environ.get("WEBSTACK_WORK_DIR") or PROJECT_ROOT / ".webstack")


PROVIDER_VERSIONS = {"aws": "7_51_1", "random": "4_21_4"}


class UserError(Exception):
    """A mistake the user can fix; printed without a traceback, exit code 2."""


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
        raise UserError(f"{path}: not a readable plan JSON ({error})") from None
    if not isinstance(plan, dict) or not isinstance(plan.get("steps"), list):
        raise UserError(f"{path}: no 'steps' list (expected `webstack plan` or `pulumi preview --json` output)")
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
            raise UserError("name a stack (e.g. `webstack plan dev`) or give --config FILE")
        path = stack_file(root, stack)
        if not path.is_file():
            stacks = ", ".join(available_stacks(root)) or "none"
            raise UserError(f"no stack {stack!r}: {path.name} does not exist (stacks here: {stacks})")
        return Target(stack, path, plans / f"{stack}.json", f"stack {stack} from {path.name}")
    if not config.is_file():
        raise UserError(f"--config {config}: no such file")
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
    settings = parse_stack_config(raw, stack, path.name)
    told = "webstack:environment" in raw
    how = f"{chosen.how}, environment {settings.environment} ({'webstack:environment' if told else 'the stack name'})"
    server = PolicyServer() if run_policies else None
    try:
        try:
            run = render_stack(root, stack, as_pulumi_config(raw), secret_keys, settings.region)
        except ProgramError as error:
            if isinstance(error.cause, pulumi.RunError):
                raise ConfigError(path.name, [Problem("(program)", str(error.cause))]) from None
            raise
        plan = as_first_preview(run, PROVIDER_VERSIONS) if first_preview else plan_document(run, PROVIDER_VERSIONS)
        target = out or chosen.default_out
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(plan, indent=2, sort_keys=False) + "\n")
        validation = validate_plan(plan)
        planned = time.perf_counter()
        violations: list[Violation] = []
        levels: dict[str, str] = {}
        policy_file = None
        if server is not None:
            policy_file = policy_config or default_policy_config(stack, settings.environment)
            levels = server.configure(read_policy_config(policy_file), stack)
            violations = server.analyze(plan)
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
        violations,
        policy_file,
        finished - planned,
        validation,
        run.warnings(),
        first_preview,
        levels,
        how,
        stack if config is None else str(target),
    )


def print_plan(result: PlanResult, console: Console) -> None:
    console.print(plan_tree(result.plan, f"{PROJECT}-{result.stack}"))
    hosts = hosts_table(result.plan)
    if hosts is not None:
        console.print(hosts)
    console.print(
        styled(
            "\nPlan written to ",
            (str(result.path), "bold"),
            f" ({resource_count(result.plan)} resources, {result.seconds:.1f} s)",
        )
    )
    console.print(Text(f"Planned {result.how}."))
    for warning in result.warnings:
        console.print(Text.assemble(("warning: ", "yellow"), warning))
    print_report(result.validation, console)
    if not result.first_preview:  # unknown sizes price nothing useful
        cost = estimate(result.plan, PriceTable.load(), load_usage(result.stack), result.stack)
        console.print(f"Estimated cost: {total_line(cost)} (details: {command_prefix()} cost {result.cost_target})")
    if result.policy_config is not None:
        console.print(
            f"Policy pack {POLICY_DIR.name}/ with {result.policy_config.relative_to(POLICY_DIR.parent)} "
            f"({result.policy_seconds:.1f} s):"
        )
        if result.first_preview:
            print_preview_coverage(result.violations, result.policy_levels, console)
            decided = [v for v in result.violations if not undecided(v)]
            print_violations(decided, console)
        else:
            print_violations(result.violations, console)


def plan_exit_code(result: PlanResult) -> int:
    """1 when AWS would refuse an input or a mandatory policy is violated."""
    return 1 if mandatory(result.violations) or not result.validation.ok else 0
