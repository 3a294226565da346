"""`webstack policy check PLAN.json`: judge a saved plan with the policy pack."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console

from .plan_command import UserError
from .policy_engine import PolicyServer, read_policy_config
from .policy_report import mandatory, print_violations


def check_plan_file(plan_file: Path, config: Path, stack: str, console: Console) -> int:
    try:
        plan = json.loads(plan_file.read_text())
    except (OSError, ValueError) as error:
        raise UserError(f"{plan_file}: not a readable plan JSON ({error})") from None
    if not isinstance(plan, dict) or not isinstance(plan.get("steps"), list):
        raise UserError(f"{plan_file}: no 'steps' list (expected `webstack plan` or `pulumi preview --json` output)")
    with PolicyServer() as server:
        server.configure(read_policy_config(config), stack)
        violations = server.analyze(plan)
    console.print(f"{plan_file}: {len(plan['steps'])} resources, policy config {config}")
    print_violations(violations, console)
    return 1 if mandatory(violations) else 0
