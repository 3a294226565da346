"""Day-2 commands on a deployed stack: `webstack run` (a one-off task of a service with its command
overridden, its log lines streamed, its exit code returned) and `webstack tunnel` (an SSM
port-forwarding session through a running exec-enabled task to the database or the cache).

Both read the stack's outputs through the Automation API (`Deployer.stack_outputs`, after the same
checks as `up`), talk to AWS through an injected client factory, and `tunnel` starts the AWS CLI
through an injected runner: the tests replace all three.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rich.console import Console

from webstack.deployment.after_up import ClientFactory, boto3_client
from webstack.deployment.deploy import Deployer, DeployError
from webstack.deployment.one_off import (
    TaskDidNotStart,
    describe_task,
    exit_code_of,
    family_of,
    network_of,
    start_task,
    task_id_of,
)
from webstack.terminal import error_line

Runner = Callable[[Sequence[str]], int]
Target = Literal["database", "cache"]

PORT_FORWARDING = "AWS-StartPortForwardingSessionToRemoteHost"
AWS_CLI_INSTALL = (
    "install the AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html"
)
PLUGIN_INSTALL = (
    "install the Session Manager plugin: "
    "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html"
)
# Local ports a tunnel listens on unless told: the remote port + 10000, clear of a local server.
DEFAULT_LOCAL_PORTS = {"database": 15432, "cache": 16379}
# Seconds between two looks at a one-off task and its log stream.
POLL_SECONDS = 3.0


class OperationError(DeployError):
    """Something to fix before the command can act (exit code 2, one line)."""


@dataclass(frozen=True)
class ServiceTask:
    """One service as the stack's `services` output describes it."""

    name: str
    service: str
    task_definition: str
    container: str
    log_group: str
    log_stream_prefix: str
    exec_enabled: bool


def service_task(outputs: Mapping[str, Any], stack: str, name: str) -> ServiceTask:
    services = outputs.get("services")
    if not isinstance(services, Mapping) or not all("container" in entry for entry in services.values()):
        raise OperationError(
            f"stack {stack} exports no services to run: it has none, or was deployed by an older webstack "
            f"(run `webstack up {stack}` first)"
        )
    if name not in services:
        raise OperationError(f"no service {name!r} in stack {stack} (services: {', '.join(sorted(services))})")
    entry = services[name]
    return ServiceTask(
        name=name,
        service=str(entry["serviceName"]),
        task_definition=str(entry["taskDefinitionArn"]),
        container=str(entry["container"]),
        log_group=str(entry["logGroup"]),
        log_stream_prefix=str(entry["logStreamPrefix"]),
        exec_enabled=bool(entry.get("exec")),
    )


def _missing_stream(error: Exception) -> bool:
    """CloudWatch Logs' answer while the task has not written its first line yet."""
    code = getattr(error, "response", {}).get("Error", {}).get("Code")
    return "ResourceNotFoundException" in (code, type(error).__name__)


@dataclass
class LogFollower:
    """Prints the new events of one log stream each time it is asked (GetLogEvents from the head,
    then from the forward token, until a page brings nothing new)."""

    logs: Any
    group: str
    stream: str
    console: Console
    token: str | None = None

    def print_new(self) -> None:
        while True:
            request: dict[str, Any] = {"logGroupName": self.group, "logStreamName": self.stream, "startFromHead": True}
            if self.token is not None:
                request["nextToken"] = self.token
            try:
                page = self.logs.get_log_events(**request)
            except Exception as error:
                if _missing_stream(error):
                    return
                raise
            for event in page.get("events", []):
                self.console.print(
                    str(event.get("message", "")).rstrip("\n"), highlight=False, markup=False, emoji=False
                )
            following = page.get("nextForwardToken")
            if following is None or following == self.token:
                return
            self.token = following
            if not page.get("events"):
                return


def _runtime_target(cluster: str, task: Mapping[str, Any], container: str) -> str | None:
    """SSM's target for ECS Exec: ecs:<cluster>_<task id>_<container runtime id>."""
    runtime = next((c.get("runtimeId") for c in task.get("containers", []) if c.get("name") == container), None)
    return f"ecs:{cluster}_{task_id_of(task['taskArn'])}_{runtime}" if runtime else None


def _exec_agent(task: Mapping[str, Any], container: str) -> Mapping[str, Any] | None:
    """The container's ExecuteCommandAgent as DescribeTasks reports it (None: not reported)."""
    for each in task.get("containers", []):
        if each.get("name") == container:
            return next((a for a in each.get("managedAgents", []) if a.get("name") == "ExecuteCommandAgent"), None)
    return None


@dataclass
class Operations:
    console: Console
    deployer: Deployer
    clients: ClientFactory = boto3_client
    which: Callable[[str], str | None] = shutil.which
    runner: Runner = subprocess.call
    sleep: Callable[[float], None] = time.sleep

    # -- run ------------------------------------------------------------------------------------

    def run(self, stack: str, service_name: str, command: Sequence[str]) -> int:
        """Start the service's task definition once with ``command``, stream its log stream until
        the task stops, and return the container's exit code (1 if it never ran)."""
        if not command:
            raise OperationError("name the command to run after --: webstack run <stack> <service> -- CMD ...")
        outputs = self.deployer.stack_outputs(stack)
        service = service_task(outputs, stack, service_name)
        network, region = network_of(outputs), str(outputs["region"])
        ecs, logs = self.clients("ecs", region), self.clients("logs", region)
        self.console.print(
            f"Running {' '.join(command)!r} in a task of {family_of(service.task_definition)} "
            f"(private subnets, no public IP) ...",
            highlight=False,
            markup=False,
            emoji=False,
        )
        try:
            task_arn = start_task(
                ecs,
                network,
                service.task_definition,
                started_by="webstack-run",
                container=service.container,
                command=command,
            )
        except TaskDidNotStart as error:
            self.console.print(error_line(error))
            return 1
        task_id = task_id_of(task_arn)
        stream = f"{service.log_stream_prefix}/{service.container}/{task_id}"
        self.console.print(f"Task {task_id}: log stream {service.log_group} {stream}", highlight=False, emoji=False)
        follower = LogFollower(logs, service.log_group, stream, self.console)
        while True:
            task = describe_task(ecs, network.cluster, task_arn)
            follower.print_new()
            if task.get("lastStatus") == "STOPPED":
                break
            self.sleep(POLL_SECONDS)
        follower.print_new()  # what the log driver delivered as the container stopped
        code = exit_code_of(task, service.container)
        reason = task.get("stoppedReason", "no reason given")
        if code is None:
            self.console.print(error_line(f"task {task_id} stopped before its command ran: {reason}"))
            return 1
        self.console.print(f"Task {task_id} stopped: exit code {code} ({reason})", highlight=False)
        return int(code)

    # -- tunnel ---------------------------------------------------------------------------------

    def check_session_tools(self) -> None:
        if self.which("aws") is None:
            raise OperationError(f"the AWS CLI (`aws`) is not on PATH: {AWS_CLI_INSTALL}")
        if self.which("session-manager-plugin") is None:
            raise OperationError(f"the Session Manager plugin is not on PATH: {PLUGIN_INSTALL}")

    def tunnel(self, stack: str, *, service_name: str = "api", local_port: int | None = None, to: Target) -> int:
        """Forward a local port through a running task of the service to the database or cache;
        blocks until the session ends (Ctrl-C)."""
        self.check_session_tools()
        outputs = self.deployer.stack_outputs(stack)
        service = service_task(outputs, stack, service_name)
        if not service.exec_enabled:
            key = "webstack:api.exec" if service_name == "api" else f"webstack:services.{service_name}.exec"
            raise OperationError(
                f"service {service_name} has ECS Exec off: set {key}: true in Pulumi.{stack}.yaml and run "
                f"`webstack up {stack}`"
            )
        host, port, secret = self._remote(outputs, stack, to)
        network, region = network_of(outputs), str(outputs["region"])
        target = self._exec_target(self.clients("ecs", region), network.cluster, service)
        local = local_port or DEFAULT_LOCAL_PORTS[to]
        self._print_connection(stack, to, local, secret)
        parameters = {"host": [host], "portNumber": [str(port)], "localPortNumber": [str(local)]}
        code = self.runner(
            [
                "aws", "ssm", "start-session",
                "--region", region,
                "--target", target,
                "--document-name", PORT_FORWARDING,
                "--parameters", json.dumps(parameters),
            ]
        )  # fmt: skip
        return 0 if code == 0 else 1

    def _remote(self, outputs: Mapping[str, Any], stack: str, to: Target) -> tuple[str, int, str]:
        """(address, port, ARN of the secret with the credentials) of the database or cache."""
        address, port, secret = {
            "database": ("databaseAddress", "databasePort", "databaseMasterSecretArn"),
            "cache": ("cacheEndpoint", "cachePort", "cacheAuthSecretArn"),
        }[to]
        if not outputs.get(address):
            raise OperationError(f"stack {stack} has no {to} (no {address} output)")
        default_port = 5432 if to == "database" else 6379
        return str(outputs[address]), int(outputs.get(port) or default_port), str(outputs.get(secret, "?"))

    def _exec_target(self, ecs: Any, cluster: str, service: ServiceTask) -> str:
        """The SSM target of a running task of the service that ECS Exec can reach."""
        arns = ecs.list_tasks(cluster=cluster, serviceName=service.service, desiredStatus="RUNNING").get("taskArns")
        if not arns:
            raise OperationError(
                f"no running task of {service.service} (scaled to zero, or out of its schedule's hours): start one "
                f"and try again"
            )
        tasks = ecs.describe_tasks(cluster=cluster, tasks=list(arns)).get("tasks", [])
        running = [t for t in tasks if t.get("lastStatus") == "RUNNING"]
        stuck: list[str] = []
        for task in running:
            target = _runtime_target(cluster, task, service.container)
            if not (task.get("enableExecuteCommand") and target):
                continue
            agent = _exec_agent(task, service.container)
            if agent is None or agent.get("lastStatus") == "RUNNING":
                return target
            stuck.append(f"{agent.get('lastStatus', '?')}: {agent.get('reason', 'no reason given')}")
        if stuck:
            raise OperationError(
                f"the ECS Exec agent is not running in the tasks of {service.service} ({'; '.join(stuck)}); "
                "AWS's ECS Exec considerations: the agent needs to write to the container's file system"
            )
        if running:
            raise OperationError(
                f"the running tasks of {service.service} started before ECS Exec was turned on: roll them with "
                f"`aws ecs update-service --cluster {cluster} --service {service.service} --force-new-deployment`"
            )
        raise OperationError(f"no task of {service.service} is running yet (still starting): try again shortly")

    def _print_connection(self, stack: str, to: Target, local: int, secret: str) -> None:
        if to == "database":
            database = self.deployer.stack_config(stack).database
            name = database.database_name if database else "postgres"
            user = database.master_username if database else "postgres"
            url = f"postgresql://{user}@localhost:{local}/{name}?sslmode=require"
            what = "the master user's password"
        else:
            url = f"rediss://localhost:{local} (TLS; the certificate names the cache's endpoint, not localhost)"
            what = "the AUTH token"
        self.console.print(
            f"Tunnel to the {to} on localhost:{local}: {url}", highlight=False, markup=False, emoji=False
        )
        self.console.print(
            f"{what} is in Secrets Manager: {secret} (aws secretsmanager get-secret-value --secret-id {secret})",
            highlight=False,
            markup=False,
            emoji=False,
        )
        self.console.print("Ctrl-C closes the tunnel.")
