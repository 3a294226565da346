"""`webstack cost <stack>`: the monthly bill of a plan, by component, with unknowns shown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console

from webstack.commands.usage import UsageError
from webstack.cost.estimate import Estimate, estimate
from webstack.cost.report import print_comparison, print_estimate
from webstack.cost.tables import COST_DIR, PriceTable, load_usage
from webstack.offline.plan import build_plan, read_plan_file
from webstack.program.project import PROJECT_ROOT


def load_plan(target: str, root: Path = PROJECT_ROOT) -> tuple[str, dict[str, Any]]:
    """A stack name (planned offline now) or a plan JSON file (ours or `pulumi preview --json`)."""
    path = Path(target)
    if path.suffix == ".json":
        return path.stem, read_plan_file(path)
    result = build_plan(target, root=root, run_policies=False)
    return result.stack, result.plan


def stack_estimate(
    target: str, usage_file: Path | None = None, price_region: str | None = None, root: Path = PROJECT_ROOT
) -> Estimate:
    label, plan = load_plan(target, root)
    prices = PriceTable.load()
    if price_region is not None and price_region not in prices.regions():
        raise UsageError(f"--price-region {price_region}: the price table has {', '.join(sorted(prices.regions()))}")
    usage = load_usage(label, usage_file or COST_DIR / "usage.yaml")
    return estimate(plan, prices, usage, label, price_region)


def run_cost(
    target: str,
    *,
    compare_with: str | None,
    as_json: bool,
    usage_file: Path | None,
    price_region: str | None,
    details: bool,
    console: Console,
) -> int:
    current = stack_estimate(target, usage_file, price_region)
    if compare_with is not None:
        other = stack_estimate(compare_with, usage_file, price_region)
        if as_json:
            console.print_json(json.dumps({"base": other.to_json(), "compared": current.to_json()}))
        else:
            print_comparison(other, current, console)
        return 0
    if as_json:
        console.print_json(json.dumps(current.to_json()))
    else:
        print_estimate(current, console, details)
    return 0
