"""`webstack budget <account stack>`: the monthly budget the cost model gives the account, against
the one its config sets."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.table import Table

from webstack.commands.usage import UsageError
from webstack.cost.budget import ROUND_TO_USD, BudgetCheck, check_budget
from webstack.cost.tables import PriceTable, load_usage
from webstack.offline.plan import build_plan, resolve_config_file
from webstack.program.config import StackConfig
from webstack.program.config_account import AccountConfig
from webstack.program.project import PROJECT_ROOT, stack_file
from webstack.program.stack_settings import parse_any_config, read_config_file


def account_config(stack: str | None, config: Path | None, root: Path) -> tuple[str, AccountConfig]:
    target = resolve_config_file(stack, config, root)
    raw, _ = read_config_file(target.path)
    settings = parse_any_config(raw, target.stack, target.path.name)
    if not isinstance(settings, AccountConfig) or settings.budget is None:
        raise UsageError(
            f"{target.path.name}: not an account baseline with a budget (webstack:kind: account, webstack:budget)"
        )
    return target.stack, settings


def _stack_path(entry: str, root: Path) -> Path:
    return root / entry if entry.endswith((".yaml", ".yml")) else stack_file(root, entry)


def prerequisite_warnings(baseline: AccountConfig, stacks: dict[str, StackConfig]) -> list[str]:
    """What a workload stack of the account must have before this baseline is deployed."""
    if not baseline.guardduty.ecs_fargate_runtime:
        return []
    return [
        f"{name} runs ECS services but sets no webstack:guardduty_agent_repository: with the baseline's "
        "guardduty.ecs_fargate_runtime, GuardDuty adds its agent to every task, and a task whose execution role "
        "cannot pull it does not start"
        for name, config in stacks.items()
        if (config.api is not None or config.services) and config.guardduty_agent_repository is None
    ]


def budget_check(stack: str | None, config: Path | None, root: Path = PROJECT_ROOT) -> BudgetCheck:
    """Plan every stack the budget names, and the baseline itself, offline (no policy pack)."""
    name, settings = account_config(stack, config, root)
    assert settings.budget is not None
    plans, workloads = [], {}
    for entry in settings.budget.stacks:
        path = _stack_path(entry, root)
        result = build_plan(None if entry.endswith((".yaml", ".yml")) else entry, path, root=root, run_policies=False)
        plans.append((result.stack, result.plan))
        raw, _ = read_config_file(path)
        workload = parse_any_config(raw, result.stack, path.name)
        if isinstance(workload, StackConfig):
            workloads[result.stack] = workload
    plans.append((name, build_plan(name if config is None else stack, config, root=root, run_policies=False).plan))
    check = check_budget(settings.budget.monthly_limit_usd, plans, PriceTable.load(), load_usage)
    return replace(check, warnings=prerequisite_warnings(settings, workloads))


def run_budget(stack: str | None, config: Path | None, console: Console) -> int:
    check = budget_check(stack, config)
    for warning in check.warnings:
        console.print(f"warning: {warning}", highlight=False)
    table = Table(title="Monthly budget (webstack:budget)")
    for column in ("stack", "runs in", "priced at", "per month"):
        table.add_column(column, justify="right" if column == "per month" else "left")
    for figure in check.figures:
        note = f" + {figure.unknown_lines} unknown" if figure.unknown_lines else ""
        table.add_row(figure.label, figure.region, figure.priced_in, f"${figure.monthly:,.2f}{note}")
    table.add_row("total", "", "", f"${check.total:,.2f}")
    console.print(table)
    console.print(
        f"Limit: ${check.limit:,} (the total rounded up to the next ${ROUND_TO_USD}); notified at 80 % and 100 %, "
        "actual and forecast."
    )
    if check.matches:
        console.print(f"webstack:budget.monthly_limit_usd is {check.configured:g}: up to date.")
        return 0
    console.print(
        f"webstack:budget.monthly_limit_usd is {check.configured:g}, the cost model says {check.limit}: "
        f"set monthly_limit_usd: {check.limit}"
    )
    return 1
