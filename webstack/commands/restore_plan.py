"""`webstack restore-plan <stack>`: for each data store, the recovery point it would restore, the
commands that restore it, and the RPO and RTO the stack's configuration achieves against a target."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from botocore.exceptions import BotoCoreError, ClientError
from rich.console import Console
from rich.table import Table

from webstack.commands.cost import load_plan
from webstack.commands.usage import UsageError
from webstack.deployment.after_up import boto3_client
from webstack.recovery.live import ClientFactory, account_of, read_latest
from webstack.recovery.model import ESTIMATES, TARGET_RPO_MINUTES, TARGET_RTO_MINUTES, RecoveryPlan, recovery_plan
from webstack.terminal import styled

SCENARIOS = ("in the region", "region lost")
HELP = (
    "For each data store of the stack (database, DynamoDB table, private buckets, cache): the recovery point it "
    "would restore in the region (point-in-time recovery, the AWS Backup vault, object versions, snapshots) and "
    "after the loss of the region (the copy vault, the bucket replica), the AWS CLI commands that restore it into a "
    "new resource and put it back under the stack, and the RPO and RTO the configuration achieves against a target "
    "(seed 004's RPO 1 h and RTO 2 h unless told). RTOs are estimates; each says its basis. Offline by default (the "
    "plan names the sources); --live reads the latest recovery points from AWS (needs AWS credentials)."
)


def add_restore_plan_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    restore = commands.add_parser(
        "restore-plan", help="what each data store would restore from, how, and the RPO/RTO achieved", description=HELP
    )
    restore.add_argument("target", metavar="STACK|PLAN.json", help="a stack (planned offline) or a plan JSON")
    restore.add_argument("--live", action="store_true", help="read the latest recovery points from AWS")
    restore.add_argument("--json", action="store_true", help="machine output")
    restore.add_argument("--rpo-minutes", type=float, default=TARGET_RPO_MINUTES, help="target RPO (60)")
    restore.add_argument("--rto-minutes", type=float, default=TARGET_RTO_MINUTES, help="target RTO (120)")


def _duration(minutes: float | None) -> str:
    if minutes is None:
        return "lost"
    hours, rest = divmod(round(minutes), 60)
    return f"{hours} h {rest} min" if hours and rest else f"{hours} h" if hours else f"{rest} min"


def _verdict(plan: RecoveryPlan, scenario: str) -> tuple[str, str, str]:
    rpo, rto, lost = plan.worst(scenario)
    met = [
        f"RPO {'met' if rpo is not None and rpo <= plan.target_rpo_minutes else 'missed'}",
        f"RTO {'met' if rto is not None and rto <= plan.target_rto_minutes else 'missed'}",
    ]
    missing = [f"{s.kind} {s.name}" for s in lost if s.kind != "cache"]
    if missing:
        met.append(f"not restored: {', '.join(missing)}")
    return _duration(rpo), f"~{_duration(rto)}" if rto is not None else "lost", "; ".join(met)


def print_restore_plan(plan: RecoveryPlan, console: Console) -> None:
    where = f", copies in {plan.copy_region} (vault {plan.copy_vault})" if plan.copy_region else ""
    console.print(styled(("Restore plan", "bold"), f" for {plan.stack} ({plan.region}){where}"))
    for store in plan.stores:
        console.print(styled("\n", (f"{store.kind} {store.name}", "bold"), f": {store.details}"))
        for source, point in store.latest.items():
            console.print(f"  now: {source}: {point}", highlight=False)
        for scenario in store.scenarios:
            times = f"RPO {_duration(scenario.rpo_minutes)}, RTO ~{_duration(scenario.rto_minutes)}"
            console.print(
                f"  {scenario.name}: {scenario.source} ({times if scenario.rpo_minutes is not None else 'lost'})"
            )
            for command in scenario.commands:
                console.print(f"    $ {command}", highlight=False, markup=False, soft_wrap=True)
    table = Table(title=f"Against RPO {_duration(plan.target_rpo_minutes)} / RTO {_duration(plan.target_rto_minutes)}")
    for column in ("scenario", "RPO (worst store)", "RTO (estimate)", "verdict"):
        table.add_column(column)
    for scenario in SCENARIOS:
        table.add_row(scenario, *_verdict(plan, scenario))
    console.print(table)
    for note in plan.notes:
        console.print(f"note: {note}")
    console.print("RTO estimates (not measured; rehearse a restore to replace them):")
    for minutes, basis in ESTIMATES.values():
        console.print(f"  {minutes} min: {basis}", highlight=False)


def run_restore_plan(args: argparse.Namespace, console: Console, clients: ClientFactory = boto3_client) -> int:
    label, planned = load_plan(args.target)
    offline = recovery_plan(planned, label, target_rpo_minutes=args.rpo_minutes, target_rto_minutes=args.rto_minutes)
    plan = offline
    if args.live:
        try:
            account = account_of(clients, offline.region)
        except (BotoCoreError, ClientError) as error:
            raise UsageError(f"--live needs AWS credentials for the stack's account ({error})") from None
        plan = recovery_plan(
            planned, label, account=account, target_rpo_minutes=args.rpo_minutes, target_rto_minutes=args.rto_minutes
        )
        read_latest(plan, clients)
    if args.json:
        console.print_json(json.dumps(asdict(plan)))
    else:
        print_restore_plan(plan, console)
    return 0
