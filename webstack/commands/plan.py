"""`webstack plan`: print what the offline plan registered, what AWS would refuse, what it
costs and what the policy pack says."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from webstack.commands.plan_tree import hosts_table, plan_tree, resource_count
from webstack.cost.estimate import estimate
from webstack.cost.report import total_line
from webstack.cost.tables import PriceTable, load_usage
from webstack.deployment.dns_wait import PROXY_NOTE, records_table
from webstack.offline.plan import PlanResult
from webstack.policy_driver.pack import POLICY_DIR
from webstack.policy_driver.report import mandatory, print_preview_coverage, print_violations, undecided
from webstack.program.dns_handoff import OUTPUT
from webstack.program.project import PROJECT
from webstack.terminal import command_prefix, styled
from webstack.validate.report import print_report


def print_plan(result: PlanResult, console: Console) -> None:
    console.print(plan_tree(result.plan, f"{PROJECT}-{result.stack}"))
    hosts = hosts_table(result.plan)
    if hosts is not None:
        console.print(hosts)
    print_dns_records(result.plan, console)
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


def print_dns_records(plan: dict[str, Any], console: Console) -> None:
    """With the domain's DNS elsewhere, the records to create there: names and types as they will
    be, values (and ACM's token names) known only once `up` has created what they point at."""
    records = plan.get("outputs", {}).get(OUTPUT)
    if not records:
        return
    title = "DNS records to create at your DNS provider (webstack:domain.hosted_zone: external)"
    console.print(records_table(records, after_apply=True, title=title))
    console.print(
        Text(
            "`up` prints each value as soon as AWS has it (the validation records first: create them while it "
            f"waits) and the `{OUTPUT}` output keeps the list. {PROXY_NOTE}"
        )
    )


def plan_exit_code(result: PlanResult) -> int:
    """1 when AWS would refuse an input or a mandatory policy is violated."""
    return 1 if mandatory(result.violations) or not result.validation.ok else 0
