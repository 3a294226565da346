"""`webstack policy check PLAN.json`: judge a saved plan with the policy pack."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from .plan_command import read_plan_file
from .policy_engine import PolicyServer, read_policy_config
from .policy_report import mandatory, print_violations


def check_plan_file(plan_file: Path, config: Path, stack: str, console: Console) -> int:
    plan = read_plan_file(plan_file)
    with PolicyServer() as server:
        server.configure(read_policy_config(config), stack)
        violations = server.analyze(plan)
    console.print(f"{plan_file}: {len(plan['steps'])} resources, policy config {config}")
    print_violations(violations, console)
    return 1 if mandatory(violations) else 0
