"""`webstack policy check PLAN.json`: judge a saved plan with the policy pack."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from webstack.offline.plan import read_plan_file
from webstack.policy_driver.engine import PolicyServer, read_policy_config
from webstack.policy_driver.pack import POLICY_DIR, default_policy_config
from webstack.policy_driver.report import mandatory, print_violations


def plan_stack(plan: dict[str, Any]) -> str | None:
    """The stack a plan was made for, from its URNs (urn:pulumi:<stack>::<project>::...)."""
    for step in plan["steps"]:
        urn = str(step.get("urn") or (step.get("newState") or step.get("oldState") or {}).get("urn", ""))
        if urn.startswith("urn:pulumi:"):
            return urn.split(":", 2)[2].split("::", 1)[0]
    return None


def plan_environment(plan: dict[str, Any]) -> str | None:
    """The environment a plan says it is for: the Environment default tag of its AWS provider
    (webstack sets it from webstack:environment), else None."""
    for step in plan["steps"]:
        state = step.get("newState") or {}
        if not str(state.get("type", "")).startswith("pulumi:providers:aws"):
            continue
        tags = (state.get("inputs") or {}).get("defaultTags")
        if isinstance(tags, str):
            try:
                tags = json.loads(tags)
            except ValueError:
                continue
        environment = ((tags or {}).get("tags") or {}).get("Environment") if isinstance(tags, dict) else None
        if isinstance(environment, str) and environment:
            return environment
    return None


def check_plan_file(plan_file: Path, config: Path | None, stack: str | None, console: Console) -> int:
    plan = read_plan_file(plan_file)
    stack = stack or plan_stack(plan) or "stack"
    environment = plan_environment(plan)
    if config is None:
        config = default_policy_config(stack, environment)
        told = f"environment {environment}, from the plan's Environment tag" if environment else f"stack {stack}"
        why = f" (chosen for {told}; --config to choose)"
    else:
        why = ""
    with PolicyServer() as server:
        server.configure(read_policy_config(config), stack)
        violations = server.analyze(plan)
    shown = config.relative_to(POLICY_DIR.parent) if config.is_relative_to(POLICY_DIR.parent) else config
    console.print(Text(f"{plan_file}: {len(plan['steps'])} resources, policy config {shown}{why}"))
    print_violations(violations, console)
    return 1 if mandatory(violations) else 0
