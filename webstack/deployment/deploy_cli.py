"""The deployment commands of the CLI: one stack with progress, or several at once."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pulumi.automation.errors import CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from webstack.deployment.deploy import Deployer, DeployError
from webstack.offline.plan import PlanError, build_plan
from webstack.program.config_problems import ConfigError
from webstack.program.project import PROJECT_ROOT, available_stacks, work_dir
from webstack.terminal import make_console, styled

DeployerFactory = Callable[[Console], Deployer]


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    def stack_command(name: str, help_text: str, description: str, many: bool = False) -> argparse.ArgumentParser:
        parser = commands.add_parser(name, help=help_text, description=description)
        if many:
            parser.add_argument("stacks", nargs="*", metavar="STACK", help="stack name(s)")
            parser.add_argument("--all", action="store_true", help="every Pulumi.<stack>.yaml, concurrently")
        else:
            parser.add_argument("stack", metavar="STACK")
        return parser

    engine = (
        " Runs the real engine through the Pulumi Automation API (needs the Pulumi CLI and AWS "
        "credentials); every preview and up applies the policy pack with the stack's policy config "
        "(policy/config/<environment>.json, else prod.json)."
    )
    preview = stack_command("preview", "real preview with the policy pack", "Preview the changes." + engine, True)
    preview.add_argument("--json", type=Path, metavar="FILE", help="save the preview JSON (pulumi preview --json)")
    preview.add_argument("--target", action="append", metavar="URN", help="only this resource (repeatable)")
    preview.add_argument("--refresh", action="store_true", help="refresh the state first")
    up = stack_command("up", "deploy with the policy pack", "Deploy." + engine, True)
    up.add_argument("--yes", action="store_true", help="no confirmation (CI)")
    up.add_argument("--target", action="append", metavar="URN", help="only this resource (repeatable)")
    up.add_argument("--refresh", action="store_true", help="refresh the state first")
    refresh = stack_command("refresh", "refresh the state from AWS", "Refresh the stack's state." + engine)
    refresh.add_argument("--yes", action="store_true", help="no confirmation (CI)")
    destroy = stack_command(
        "destroy",
        "delete every resource of a stack",
        "Destroy a stack; prod explains its protected resources." + engine,
    )
    destroy.add_argument("--confirm", metavar="STACK", help="the stack's name again, to confirm")
    release = stack_command(
        "release",
        "ship a new image tag: build/promote, scan gate, migrate, up, smoke-check",
        "Release a new image tag to the stack's services (all, or --service): put the image in each service's "
        "ECR repository under the immutable tag (already there; --build from release.context for the service's "
        "architecture; or --promote-from another stack's repository, never rebuilt), refuse any image whose ECR scan "
        "reports a finding at or above webstack:image_scanning.block_severity (printing them; nothing is deployed), "
        "run release.migration_command as a one-off task of the new image (a failure stops the release with "
        "nothing deployed), run each site's build_command, set the tag in the stack config, `up`, wait for every "
        "service's rollout and fetch release.smoke_check_path at its host; a failed rollout or smoke check exits 1 "
        "and prints the command that rolls back to the previous tag." + engine,
    )
    release_arguments(release)
    outputs = stack_command("outputs", "stack outputs (secrets masked)", "Print the stack outputs." + engine)
    outputs.add_argument("--json", action="store_true", help="as JSON")
    outputs.add_argument("--show-secrets", action="store_true", help="print secret outputs in clear")


def release_arguments(release: argparse.ArgumentParser) -> None:
    release.add_argument("--tag", required=True, help="the image tag (the git SHA in CI)")
    release.add_argument(
        "--service", action="append", default=[], metavar="NAME", help="only this service (repeatable)"
    )
    release.add_argument("--build", action="store_true", help="build and push the image (needs Docker)")
    release.add_argument("--promote-from", metavar="STACK", help="copy the tag from this stack's repositories")
    release.add_argument(
        "--source-account", metavar="ID", help="the --promote-from stack's account (default: its webstack:account_id)"
    )
    release.add_argument("--yes", action="store_true", help="no confirmation (CI)")
    release.add_argument(
        "--summary-md",
        type=Path,
        metavar="FILE",
        help="also write the release summary (stack, tags, scan, result) as Markdown to FILE, whatever the outcome",
    )
    release.add_argument(
        "--cost-note",
        type=Path,
        metavar="FILE",
        help="a file holding the cost comparison of this release (e.g. from `webstack cost --compare`): its text "
        "becomes the summary's cost line; a missing file is left out",
    )


def chosen_stacks(args: argparse.Namespace, root: Path = PROJECT_ROOT) -> list[str]:
    stacks = available_stacks(root) if args.all else list(args.stacks)
    if not stacks:
        raise DeployError("name a stack, or pass --all for every Pulumi.<stack>.yaml")
    return stacks


def expected_resources(stack: str) -> int:
    """How many resources the stack has, from the offline plan: the total of the progress bar."""
    plan = build_plan(stack, run_policies=False).plan
    return sum(1 for step in plan["steps"] if step["newState"].get("custom"))


def run_one(args: argparse.Namespace, stack: str, deployer: Deployer, console: Console, progress: bool) -> int:
    if args.command == "preview":
        return deployer.preview(stack, json_out=args.json, target=args.target, refresh=args.refresh)
    if args.command == "up":
        if not progress:
            return deployer.up(stack, yes=args.yes, target=args.target, refresh=args.refresh)
        with Progress(
            TextColumn(f"up {stack}", style="bold", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as bar:
            task = bar.add_task("resources", total=expected_resources(stack))
            deployer.progress = lambda done, _total: bar.update(task, completed=done)
            return deployer.up(stack, yes=args.yes, target=args.target, refresh=args.refresh)
    if args.command == "refresh":
        return deployer.refresh(stack, yes=args.yes)
    if args.command == "destroy":
        return deployer.destroy(stack, confirm=args.confirm)
    if args.command == "release":
        from webstack.deployment.release import Releaser  # noqa: PLC0415 - imports the Deployer module

        return Releaser(deployer).release(
            stack,
            tag=args.tag,
            services=args.service,
            build=args.build,
            promote_from=args.promote_from,
            source_account=args.source_account,
            yes=args.yes,
            summary_md=args.summary_md,
            cost_note=args.cost_note,
        )
    return deployer.outputs(stack, as_json=args.json, show_secrets=args.show_secrets)


@dataclass(frozen=True)
class StackRun:
    stack: str
    code: int
    seconds: float
    log: Path | None
    error: str = ""


def run_deploy_command(args: argparse.Namespace, console: Console, factory: DeployerFactory) -> int:
    stacks = chosen_stacks(args) if args.command in ("preview", "up") else [args.stack]
    factory(console).check_tools()  # once, before any stack: no CLI is one message, exit 2
    if len(stacks) == 1:
        try:
            return run_one(args, stacks[0], factory(console), console, progress=console.is_terminal)
        except CommandError as error:
            console.print(styled((f"{args.command} {stacks[0]} failed", "red"), "\n", str(error)))
            return 1
    return run_many(args, stacks, console, factory)


def run_many(args: argparse.Namespace, stacks: Sequence[str], console: Console, factory: DeployerFactory) -> int:
    """Several stacks at once, each logging to .webstack/logs/<stack>-<command>.log; then a table."""
    log_dir = work_dir() / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)

    def one(stack: str) -> StackRun:
        log = log_dir / f"{stack}-{args.command}.log"
        started = time.monotonic()
        with log.open("w") as handle:
            stack_console = make_console(file=handle, width=160)
            try:
                code = run_one(args, stack, factory(stack_console), stack_console, progress=False)
                return StackRun(stack, code, time.monotonic() - started, log)
            except (CommandError, DeployError, PlanError, ConfigError) as error:
                stack_console.print(str(error))
                return StackRun(stack, 1, time.monotonic() - started, log, str(error).splitlines()[0])

    console.print(f"{args.command}: {', '.join(stacks)} (logs in {log_dir})")
    with ThreadPoolExecutor(max_workers=len(stacks)) as pool:
        results = list(pool.map(one, stacks))
    table = Table(title=f"{args.command} summary", title_justify="left")
    for column in ("stack", "result", "seconds", "log"):
        table.add_column(column)
    for run in results:
        verdict = styled(("ok", "green")) if run.code == 0 else styled(("failed", "red"), f" {run.error}")
        table.add_row(run.stack, verdict, f"{run.seconds:.0f}", str(run.log))
    console.print(table)
    return 0 if all(run.code == 0 for run in results) else 1
