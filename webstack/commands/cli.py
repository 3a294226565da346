"""The `python -m webstack` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import graphviz
from rich.console import Console

from webstack.commands.budget import run_budget
from webstack.commands.cost import load_plan, run_cost
from webstack.commands.plan import plan_exit_code, print_plan
from webstack.commands.policy import check_plan_file
from webstack.commands.restore_plan import add_restore_plan_command, run_restore_plan
from webstack.commands.usage import UsageError
from webstack.commands.validate import run_validate
from webstack.deployment.after_up import ClientFactory, boto3_client
from webstack.deployment.deploy import Deployer, DeployError
from webstack.deployment.deploy_cli import DeployerFactory, add_commands, run_deploy_command
from webstack.deployment.operations_cli import (
    OPERATION_COMMANDS,
    OperationsFactory,
    add_operation_commands,
    default_operations,
    run_operation_command,
)
from webstack.diagram import build_architecture, write_diagram
from webstack.offline.plan import PlanError, build_plan
from webstack.policy_driver.engine import PolicyPackError
from webstack.program.config_problems import ConfigError
from webstack.program.project import work_dir
from webstack.pulumi_sdk import UnsupportedSdk
from webstack.terminal import command_prefix, error_line, make_console, styled

DESCRIPTION = """\
webstack: the AWS home of a containerised API, PostgreSQL, Redis and static sites, or of a
serverless API (Lambda, API Gateway, DynamoDB, Cognito).

Offline (no Pulumi CLI, no AWS credentials):
  plan          evaluate the program for one stack against mocked AWS, print the resource
                tree, write the plan JSON (the shape of `pulumi preview --json`) and judge it
                with the policy pack
  policy check  judge a saved plan (ours or `pulumi preview --json`) with the policy pack
  cost          monthly cost of a stack, config or plan file by component, from
                cost/prices.csv; --compare prices another architecture alike (and the ratio)
  budget        an account baseline's monthly budget from its stacks' estimates, against its config
  diagram       architecture diagram (PNG and DOT) of a stack or plan file
  validate      check every input of a stack or plan file against AWS's API models and
                documented limits (what mocks let through and AWS would refuse)
  restore-plan  for each data store: the recovery point it would restore (in the region and
                after the loss of the region), the commands, and the RPO/RTO achieved
                (--live: the latest recovery points, read from AWS)

With the Pulumi CLI and AWS credentials (Automation API, policy pack always applied):
  preview       real preview of one stack (or --all), --json to save it
  up            deploy one stack (or --all, concurrently), --yes in CI
  refresh       refresh a stack's state from AWS
  destroy       delete a stack's resources (--confirm <stack>)
  outputs       a stack's outputs, secrets masked unless --show-secrets
  release       ship an image tag: build or promote, scan gate, migrate, up, rollouts, smoke-check
  run           a one-off task of a service with another command (logs streamed, its exit code)
  tunnel        a local port to the database or cache through a running task (ECS Exec, SSM)
"""


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog=command_prefix(),
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
        help="policy pack config (default: policy/config/<environment>.json, else prod.json)",
    )
    plan.add_argument("--no-policy", action="store_true", help="skip the policy pack")
    plan.add_argument(
        "--as-first-preview",
        action="store_true",
        help="make every value that comes from another resource unknown, as on the first real preview, "
        "and print which rules can still decide",
    )
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
        help="policy pack config (default: the one of the environment the plan's Environment tag names, "
        "as `plan` chooses it; else policy/config/prod.json)",
    )
    check.add_argument("--stack", help="stack name reported to the pack (default: the one in the plan's URNs)")
    cost = commands.add_parser(
        "cost",
        help="monthly cost estimate of a stack, config file or plan JSON (--compare: beside another)",
        description="Price every resource of a plan per month from cost/prices.csv and the usage "
        "assumptions in cost/usage.yaml (defaults, overridden per stack). A price missing from the "
        "table is shown as unknown, never as 0, and the total says so. The account's always-free "
        "allowances (CloudFront, CloudWatch) come off as one component unless the usage sets "
        "account_free_tier: false.",
    )
    cost.add_argument(
        "target",
        metavar="STACK|CONFIG.yaml|PLAN.json",
        help="a stack or a stack config file (planned offline), or a plan JSON",
    )
    cost.add_argument(
        "--compare",
        metavar="OTHER",
        help="another stack, config file (e.g. examples/seed-000-prod.yaml) or plan JSON, priced with TARGET's usage "
        "assumptions in TARGET's region: both totals, the difference by component and by price key, and the ratio",
    )
    cost.add_argument("--json", action="store_true", help="machine output: total_monthly, components, resources")
    cost.add_argument("--usage", type=Path, metavar="FILE", help="usage assumptions (default: cost/usage.yaml)")
    cost.add_argument("--price-region", metavar="REGION", help="price the plan as if it ran in this region")
    cost.add_argument("--details", action="store_true", help="every line item with quantity and unit price")
    _add_checks(commands)
    diagram = commands.add_parser(
        "diagram",
        help="architecture diagram of a stack or plan JSON (AWS icons, Graphviz)",
        description="Draw the plan as an AWS architecture diagram: Route 53, CloudFront and WAF at the "
        "edge; the region's buckets and alarms; the VPC, if any, with each AZ's public, private and "
        "isolated subnets and what runs in them; a serverless API's Lambda functions, tables, user pool "
        "and secrets; CloudFront to its origins, the tasks to their data stores and buckets, the API to "
        "each function by its routes, labelled with the key sizes. Writes FILE.png and FILE.dot. Needs "
        "Graphviz's `dot` (apt-get install graphviz).",
    )
    diagram.add_argument("target", metavar="STACK|PLAN.json", help="a stack (planned offline) or a plan JSON")
    diagram.add_argument("--out", type=Path, metavar="FILE.png", help="default: .webstack/diagrams/<stack>.png")
    for add in (add_restore_plan_command, add_commands, add_operation_commands):
        add(commands)
    return root


def _add_checks(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`validate` and `budget`: a stack checked against AWS's rules, and its account's budget."""
    validate = commands.add_parser(
        "validate",
        help="check a stack or plan JSON against AWS's API models and documented limits",
        description="Check every input of every planned resource against the request shape of the "
        "AWS API call that creates it (botocore's models: types, enums, lengths, ranges, patterns) "
        "and the limits AWS documents but leaves out of them (description and tag characters, name "
        "lengths, policy sizes, names the provider makes up). Values not known yet are skipped. "
        "Exits 1 when AWS would refuse an input.",
    )
    validate.add_argument("target", metavar="STACK|PLAN.json", help="a stack (planned offline) or a plan JSON")
    validate.add_argument("--verbose", action="store_true", help="also list the types left out on purpose, and why")
    budget = commands.add_parser(
        "budget",
        help="an account baseline's monthly budget from the estimates of its stacks",
        description="Plan every workload stack an account baseline's webstack:budget.stacks names, and the "
        "baseline itself, offline; price each (at us-east-1 prices when its own region's table is partial); "
        "print the total rounded up to the next $10 and compare it with webstack:budget.monthly_limit_usd. "
        "Exits 1 while they differ.",
    )
    budget.add_argument("stack", nargs="?", help="the account baseline's stack name: reads Pulumi.<stack>.yaml")
    budget.add_argument("--config", type=Path, metavar="FILE", help="read this stack config file instead")


def subcommands(root: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The sub-commands of the CLI by name (for the help and the README check)."""
    for action in root._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def run_diagram(target: str, out: Path | None, console: Console) -> int:
    label, plan = load_plan(target)
    destination = out or work_dir() / "diagrams" / f"{label}.png"
    try:
        png, dot = write_diagram(build_architecture(plan, f"webstack {label}"), destination)
    except graphviz.ExecutableNotFound:
        raise UsageError(
            "Graphviz's `dot` is not installed: apt-get install graphviz (or brew install graphviz)"
        ) from None
    console.print(styled("Diagram written to ", (str(png), "bold"), f" and {dot}"))
    return 0


def run_plan(args: argparse.Namespace, console: Console) -> int:
    result = build_plan(
        args.stack,
        args.config,
        out=args.out,
        policy_config=args.policy_config,
        run_policies=not args.no_policy,
        first_preview=args.as_first_preview,
    )
    print_plan(result, console)
    return plan_exit_code(result)


DEPLOY_COMMANDS = ("preview", "up", "refresh", "destroy", "release", "outputs")


def _plan_reader(args: argparse.Namespace, console: Console) -> int:
    """The offline commands that read a plan: diagram, validate, budget."""
    if args.command == "diagram":
        return run_diagram(args.target, args.out, console)
    if args.command == "validate":
        return run_validate(args.target, console, args.verbose)
    return run_budget(args.stack, args.config, console)


def main(
    argv: Sequence[str] | None = None,
    deployer_factory: DeployerFactory | None = None,
    operations_factory: OperationsFactory | None = None,
    restore_clients: ClientFactory | None = None,
) -> int:
    args = parser().parse_args(argv)
    console = make_console()
    errors = make_console(stderr=True)
    try:
        if args.command == "plan":
            return run_plan(args, console)
        if args.command == "policy":
            return check_plan_file(args.plan_file, args.config, args.stack, console)
        if args.command in DEPLOY_COMMANDS:
            return run_deploy_command(args, console, deployer_factory or (lambda c: Deployer(console=c)))
        if args.command in OPERATION_COMMANDS:
            return run_operation_command(args, console, operations_factory or default_operations)
        if args.command in ("diagram", "validate", "budget"):
            return _plan_reader(args, console)
        if args.command == "restore-plan":
            return run_restore_plan(args, console, restore_clients or boto3_client)
        if args.command == "cost":
            return run_cost(
                args.target,
                compare_with=args.compare,
                as_json=args.json,
                usage_file=args.usage,
                price_region=args.price_region,
                details=args.details,
                console=console,
            )
    except (ConfigError, PlanError, UsageError, DeployError, PolicyPackError, UnsupportedSdk) as error:
        errors.print(error_line(error))
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
