"""The `python -m webstack` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from .config_problems import ConfigError
from .plan_command import UserError, build_plan, plan_exit_code, print_plan
from .policy_command import check_plan_file
from .policy_engine import POLICY_DIR, PolicyPackError

DESCRIPTION = """\
webstack: the AWS home of a containerised API, PostgreSQL, Redis and static sites.

Offline (no Pulumi CLI, no AWS credentials):
  plan          evaluate the program for one stack against mocked AWS, print the resource
                tree, write the plan JSON (the shape of `pulumi preview --json`) and judge it
                with the policy pack
  policy check  judge a saved plan (ours or `pulumi preview --json`) with the policy pack
"""


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m webstack",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = root.add_subparsers(dest="command", metavar="COMMAND", required=True)
    plan = commands.add_parser(
        "plan",
        help="offline plan of one stack: resource tree and plan JSON",
        description="Evaluate __main__.py for a stack's config under mocked AWS (no cloud, no "
        "credentials, no Pulumi CLI), print the resources grouped by component and write the "
        "plan JSON. Exits 2 when the stack config is invalid.",
    )
    plan.add_argument("stack", nargs="?", help="stack name: reads Pulumi.<stack>.yaml")
    plan.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="render this stack config file instead of Pulumi.<stack>.yaml",
    )
    plan.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="where to write the plan JSON (default: .webstack/plans/<stack>.json)",
    )
    plan.add_argument(
        "--policy-config",
        type=Path,
        metavar="FILE",
        help="policy pack config (default: policy/config/<stack>.json, else prod.json)",
    )
    plan.add_argument("--no-policy", action="store_true", help="skip the policy pack")
    policy = commands.add_parser("policy", help="the CrossGuard policy pack", description="The policy pack.")
    policy_commands = policy.add_subparsers(dest="policy_command", metavar="SUBCOMMAND", required=True)
    check = policy_commands.add_parser(
        "check",
        help="judge a saved plan JSON with the policy pack",
        description="Run the policy pack over a plan JSON written by `webstack plan` or by "
        "`pulumi preview --json`, exactly as the engine would. Exits 1 on a mandatory violation.",
    )
    check.add_argument("plan_file", type=Path, metavar="PLAN.json")
    check.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        default=POLICY_DIR / "config" / "prod.json",
        help="policy pack config (default: policy/config/prod.json)",
    )
    check.add_argument("--stack", default="stack", help="stack name reported to the pack")
    return root


def subcommands(root: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The sub-commands of the CLI by name (for the help and the README check)."""
    for action in root._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    console = Console()
    errors = Console(stderr=True, soft_wrap=True)
    try:
        if args.command == "plan":
            result = build_plan(
                args.stack,
                args.config,
                out=args.out,
                policy_config=args.policy_config,
                run_policies=not args.no_policy,
            )
            print_plan(result, console)
            return plan_exit_code(result)
        if args.command == "policy":
            return check_plan_file(args.plan_file, args.config, args.stack, console)
    except (ConfigError, UserError, PolicyPackError) as error:
        errors.print(f"[red]error:[/] {error}", markup=True, highlight=False)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
