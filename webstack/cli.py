"""The `python -m webstack` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from .config_problems import ConfigError
from .plan_command import UserError, build_plan, print_plan

DESCRIPTION = """\
webstack: the AWS home of a containerised API, PostgreSQL, Redis and static sites.

Offline (no Pulumi CLI, no AWS credentials):
  plan      evaluate the program for one stack against mocked AWS, print the resource tree
            and write the plan JSON (the shape of `pulumi preview --json`)
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
    errors = Console(stderr=True)
    try:
        if args.command == "plan":
            print_plan(build_plan(args.stack, args.config, args.out), console)
    except (ConfigError, UserError) as error:
        errors.print(f"[red]error:[/] {error}", markup=True, highlight=False)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
