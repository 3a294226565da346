"""The CLI of the day-2 commands: `run` and `tunnel`."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from botocore.exceptions import BotoCoreError, ClientError
from pulumi.automation.errors import CommandError
from rich.console import Console

from webstack.deployment.deploy import Deployer
from webstack.deployment.operations import DEFAULT_LOCAL_PORTS, OperationError, Operations
from webstack.terminal import error_line, styled

OperationsFactory = Callable[[Console], Operations]
OPERATION_COMMANDS = ("run", "tunnel")

NEEDS = (
    " Reads the stack's outputs through the Pulumi Automation API (needs the Pulumi CLI and AWS credentials, "
    "checked as for `up`)."
)


def add_operation_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    run = commands.add_parser(
        "run",
        help="run a one-off task of a service with another command, stream its logs, exit with its code",
        description="Start the service's current task definition once on Fargate, with the container's command "
        "replaced by CMD, in the services' private subnets and task security group without a public IP (so it "
        "reaches the database and cache as the service does). Streams the task's CloudWatch log stream "
        "(the service's log group, stream ecs/app/<task id>) until the task stops, then exits with the "
        "container's exit code: 1 if "
        "the task did not start or stopped before its command ran, 2 for something to fix first (no such stack "
        "or service, no Pulumi CLI or credentials)." + NEEDS,
    )
    run.add_argument("stack", metavar="STACK")
    run.add_argument("service", metavar="SERVICE", help="a service of the stack: api, or a key of webstack:services")
    run.add_argument(
        "cmd", nargs=argparse.REMAINDER, metavar="-- CMD ...", help="the command and its arguments, after --"
    )
    tunnel = commands.add_parser(
        "tunnel",
        help="forward a local port to the database or cache through a running task (ECS Exec)",
        description="Find a running task of the service (which needs ECS Exec: webstack:api.exec or "
        "webstack:services.<name>.exec) and start `aws ssm start-session` with the "
        "AWS-StartPortForwardingSessionToRemoteHost document through it to the database (5432) or the cache "
        "(6379). Prints the local connection string (localhost, the port, the database and user) and the ARN "
        "of the Secrets Manager secret holding the password or AUTH token, never the secret itself; runs until "
        "Ctrl-C. Needs the AWS CLI and the Session Manager plugin on PATH. Exits 2, with one line, when a tool "
        "is missing, the service has exec off or no task is running; 1 when the session fails." + NEEDS,
    )
    tunnel.add_argument("stack", metavar="STACK")
    tunnel.add_argument("--service", default="api", metavar="NAME", help="the service whose task forwards (api)")
    tunnel.add_argument(
        "--port",
        type=int,
        metavar="N",
        help=f"local port (default {DEFAULT_LOCAL_PORTS['database']} for the database, "
        f"{DEFAULT_LOCAL_PORTS['cache']} for the cache)",
    )
    tunnel.add_argument("--to", choices=("database", "cache"), default="database", help="where to (database)")


def default_operations(console: Console) -> Operations:
    return Operations(console=console, deployer=Deployer(console=console))


def run_operation_command(args: argparse.Namespace, console: Console, factory: OperationsFactory) -> int:
    """Exit codes: the task's own (run), 0/1 (tunnel), 1 when the engine or AWS fails (one line, no
    traceback), 2 for something to fix first (raised as OperationError/DeployError)."""
    try:
        return _run(args, factory(console))
    except CommandError as error:
        console.print(styled((f"{args.command} {args.stack} failed", "red"), "\n", str(error)))
        return 1
    except (BotoCoreError, ClientError) as error:
        console.print(error_line(f"AWS refused the request ({type(error).__name__}: {error})"))
        return 1


def _run(args: argparse.Namespace, operations: Operations) -> int:
    if args.command == "run":
        command = list(args.cmd)
        if command[:1] == ["--"]:
            command = command[1:]
        return operations.run(args.stack, args.service, command)
    if args.port is not None and not 0 < args.port < 65536:
        raise OperationError(f"--port {args.port} is not a TCP port (1-65535)")
    return operations.tunnel(args.stack, service_name=args.service, local_port=args.port, to=args.to)
