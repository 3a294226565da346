"""`webstack validate <stack|PLAN.json>`: the inputs of a plan judged by AWS's own rules."""

from __future__ import annotations

from rich.console import Console

from webstack.commands.cost import load_plan
from webstack.validate import validate_plan
from webstack.validate.report import print_report


def run_validate(target: str, console: Console, verbose: bool = False) -> int:
    label, plan = load_plan(target)
    report = validate_plan(plan)
    console.print(f"{label}: {len(plan.get('steps', []))} steps")
    print_report(report, console, verbose)
    return 0 if report.ok else 1
