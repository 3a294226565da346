"""`webstack cost <stack>`: the monthly bill of a plan, by component, with unknowns shown; with
`--compare OTHER`, another architecture priced alike and the ratio between them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console

from webstack.commands.usage import UsageError
from webstack.cost.estimate import Estimate, comparison_json, estimate
from webstack.cost.model import provider_region
from webstack.cost.report import print_comparison, print_estimate
from webstack.cost.tables import COST_DIR, PriceTable, load_usage
from webstack.offline.plan import build_plan, read_plan_file
from webstack.program.project import PROJECT_ROOT

CONFIG_SUFFIXES = (".yaml", ".yml")


def load_plan(target: str, root: Path = PROJECT_ROOT) -> tuple[str, dict[str, Any]]:
    """A stack name (planned offline now), a stack config file (planned offline now, as `plan
    --config` does) or a plan JSON file (ours or `pulumi preview --json`)."""
    path = Path(target)
    if path.suffix == ".json":
        return path.stem, read_plan_file(path)
    if path.suffix in CONFIG_SUFFIXES:
        result = build_plan(None, path, root=root, run_policies=False)
        return result.stack, result.plan
    result = build_plan(target, root=root, run_policies=False)
    return result.stack, result.plan


def stack_estimate(
    target: str,
    usage_file: Path | None = None,
    *,
    price_region: str | None = None,
    root: Path = PROJECT_ROOT,
    usage_of: str | None = None,
    region_of: str | None = None,
) -> Estimate:
    """The target's estimate with its own usage assumptions, or those of the stack ``usage_of``;
    priced in ``price_region``, else as if it ran in ``region_of`` when that is not its own region."""
    label, plan = load_plan(target, root)
    if price_region is None and region_of is not None and provider_region(plan) != region_of:
        price_region = region_of
    prices = PriceTable.load()
    if price_region is not None and price_region not in prices.regions():
        raise UsageError(f"--price-region {price_region}: the price table has {', '.join(sorted(prices.regions()))}")
    usage = load_usage(usage_of or label, usage_file or COST_DIR / "usage.yaml")
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
    current = stack_estimate(target, usage_file, price_region=price_region)
    if compare_with is not None:
        # The other architecture carries the same traffic: the target's usage, in the target's region.
        other = stack_estimate(
            compare_with, usage_file, price_region=price_region, usage_of=current.label, region_of=current.region
        )
        if as_json:
            console.print_json(json.dumps(comparison_json(other, current)))
        else:
            print_comparison(other, current, console)
        return 0
    if as_json:
        console.print_json(json.dumps(current.to_json()))
    else:
        print_estimate(current, console, details)
    return 0
