"""`webstack run` and `webstack tunnel` behind their seams: the stack's outputs (a fake Automation
API stack), boto3 (fake ECS and CloudWatch Logs clients that record every call) and the AWS CLI
(a fake runner). Call order, arguments, exit codes and the one-line refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pulumi.automation import OutputValue
from rich.console import Console

from webstack.commands.cli import main, parser, subcommands
from webstack.deployment.deploy import Deployer
from webstack.deployment.operations import PORT_FORWARDING, Operations

CLUSTER = "exiuscart-dev-api"
TASK_ARN = f"arn:aws:ecs:me-south-1:123456789012:task/{CLUSTER}/0f1e2d3c"
TASK_DEFINITION = "arn:aws:ecs:me-south-1:123456789012:task-definition/exiuscart-dev-api:7"
MASTER_SECRET = "arn:aws:secretsmanager:me-south-1:123456789012:secret:rds!db-1-AbCdEf"
CACHE_SECRET = "arn:aws:secretsmanager:me-south-1:123456789012:secret:exiuscart-dev/cache/auth-XyZ"


def outputs(exec_enabled: bool = True) -> dict[str, OutputValue]:
    values: dict[str, Any] = {
        "region": "me-south-1",
        "apiClusterName": CLUSTER,
        "apiTaskSecurityGroupId": "sg-0123",
        "privateSubnetIds": ["subnet-a", "subnet-b"],
        "databaseAddress": "exiuscart-dev-db.abc.me-south-1.rds.amazonaws.com",
        "databasePort": 5432,
        "databaseMasterSecretArn": MASTER_SECRET,
        "cacheEndpoint": "master.exiuscart-dev-cache.abc.mes1.cache.amazonaws.com",
        "cachePort": 6379,
        "cacheAuthSecretArn": CACHE_SECRET,
        "services": {
            "api": {
                "serviceName": "exiuscart-dev-api",
                "taskDefinitionArn": TASK_DEFINITION,
                "container": "app",
                "logGroup": "/ecs/exiuscart-dev-api",
                "logStreamPrefix": "ecs",
                "exec": exec_enabled,
            }
        },
    }
    secret = {"originVerify": OutputValue("hunter2", True)}
    return {name: OutputValue(value, False) for name, value in values.items()} | secret


class OutputsStack:
    def __init__(self, values: dict[str, OutputValue]) -> None:
        self.values = values

    def outputs(self) -> dict[str, OutputValue]:
        return self.values


class ResourceNotFoundException(Exception):
    """What CloudWatch Logs raises for a stream the task has not created yet."""


class FakeAws:
    """ECS and CloudWatch Logs: RunTask, DescribeTasks (a scripted life of the task), GetLogEvents
    (pages by token), ListTasks; every call recorded in order."""

    def __init__(
        self,
        *,
        statuses: tuple[str, ...] = ("PENDING", "RUNNING", "STOPPED"),
        exit_code: int | None = 0,
        run_failures: list[dict[str, str]] | None = None,
        running: list[dict[str, Any]] | None = None,
    ) -> None:
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self.statuses = list(statuses)
        self.exit_code = exit_code
        self.run_failures = run_failures
        self.running = running if running is not None else [running_task()]
        # Stream pages: missing while pending, then two lines, then one more as the task stops.
        self.pages: list[Any] = [
            ResourceNotFoundException("The specified log stream does not exist."),
            {"events": [{"message": "INFO  [alembic] upgrade -> 42\n"}, {"message": "done"}], "nextForwardToken": "f1"},
            {"events": [], "nextForwardToken": "f1"},
            {"events": [{"message": "bye"}], "nextForwardToken": "f2"},
            {"events": [], "nextForwardToken": "f2"},
        ]

    def names(self) -> list[str]:
        return [name for _, name, _ in self.calls]

    def __call__(self, service: str, region: str) -> Any:
        assert region == "me-south-1"
        fake = self

        class Client:
            def run_task(self, **kwargs: Any) -> Any:
                fake.calls.append((service, "run_task", kwargs))
                if fake.run_failures:
                    return {"tasks": [], "failures": fake.run_failures}
                return {"tasks": [{"taskArn": TASK_ARN}], "failures": []}

            def describe_tasks(self, **kwargs: Any) -> Any:
                fake.calls.append((service, "describe_tasks", kwargs))
                if kwargs["tasks"] != [TASK_ARN]:
                    return {"tasks": fake.running}
                status = fake.statuses.pop(0) if len(fake.statuses) > 1 else fake.statuses[0]
                container: dict[str, Any] = {"name": "app"}
                if status == "STOPPED" and fake.exit_code is not None:
                    container["exitCode"] = fake.exit_code
                return {"tasks": [{"taskArn": TASK_ARN, "lastStatus": status, "containers": [container],
                                   "stoppedReason": "Essential container in task exited"}]}  # fmt: skip

            def get_log_events(self, **kwargs: Any) -> Any:
                fake.calls.append((service, "get_log_events", kwargs))
                page = fake.pages.pop(0) if fake.pages else {"events": [], "nextForwardToken": kwargs.get("nextToken")}
                if isinstance(page, Exception):
                    raise page
                return page

            def list_tasks(self, **kwargs: Any) -> Any:
                fake.calls.append((service, "list_tasks", kwargs))
                return {"taskArns": [t["taskArn"] for t in fake.running]}

        return Client()


def running_task(
    exec_enabled: bool = True, status: str = "RUNNING", task_id: str = "9a8b7c", agent: str = "RUNNING"
) -> dict[str, Any]:
    managed = [{"name": "ExecuteCommandAgent", "lastStatus": agent, "reason": "agent could not start"}]
    return {
        "taskArn": f"arn:aws:ecs:me-south-1:123456789012:task/{CLUSTER}/{task_id}",
        "lastStatus": status,
        "enableExecuteCommand": exec_enabled,
        "containers": [{"name": "app", "runtimeId": f"{task_id}-1234567890", "managedAgents": managed}],
    }


class Runner:
    def __init__(self, code: int = 0) -> None:
        self.argv: list[list[str]] = []
        self.code = code

    def __call__(self, argv: Any) -> int:
        self.argv.append(list(argv))
        return self.code


class Setup:
    """A dev stack with these outputs, fake AWS, a fake runner and tools present unless told."""

    def __init__(
        self,
        aws: FakeAws | None = None,
        *,
        values: dict[str, OutputValue] | None = None,
        missing: tuple[str, ...] = (),
        runner: Runner | None = None,
    ) -> None:
        self.aws = aws or FakeAws()
        self.values = outputs() if values is None else values
        self.missing = missing
        self.runner = runner or Runner()
        self.opened: list[str] = []
        self.slept: list[float] = []

    def open(self, stack: str, _root: Path) -> OutputsStack:
        self.opened.append(stack)
        return OutputsStack(self.values)

    def operations(self, console: Console) -> Operations:
        deployer = Deployer(
            console=console, opener=self.open, which=lambda _n: "/usr/local/bin/pulumi", env={"AWS_PROFILE": "dev"}
        )
        return Operations(
            console=console,
            deployer=deployer,
            clients=self.aws,
            which=lambda name: None if name in self.missing else f"/usr/local/bin/{name}",
            runner=self.runner,
            sleep=self.slept.append,
        )

    def main(self, *argv: str) -> int:
        return main(list(argv), operations_factory=self.operations)


# --- run -----------------------------------------------------------------------------------------


def test_run_starts_the_task_definition_with_the_command_streams_its_logs_and_exits_with_its_code(capsys):
    setup = Setup(FakeAws(exit_code=3))
    assert setup.main("run", "dev", "api", "--", "alembic", "upgrade", "head") == 3
    names = setup.aws.names()
    assert names[0] == "run_task" and names[-1] == "get_log_events"
    assert names.count("describe_tasks") == 3 and len(setup.slept) == 2  # polled until STOPPED
    (run,) = [kwargs for _, name, kwargs in setup.aws.calls if name == "run_task"]
    assert run == {
        "cluster": CLUSTER,
        "taskDefinition": TASK_DEFINITION,
        "launchType": "FARGATE",
        "count": 1,
        "networkConfiguration": {"awsvpcConfiguration": {
            "subnets": ["subnet-a", "subnet-b"], "securityGroups": ["sg-0123"], "assignPublicIp": "DISABLED"}},
        "startedBy": "webstack-run",
        "overrides": {"containerOverrides": [{"name": "app", "command": ["alembic", "upgrade", "head"]}]},
    }  # fmt: skip
    reads = [kwargs for service, name, kwargs in setup.aws.calls if name == "get_log_events"]
    assert {(r["logGroupName"], r["logStreamName"]) for r in reads} == {("/ecs/exiuscart-dev-api", "ecs/app/0f1e2d3c")}
    assert "nextToken" not in reads[0] and reads[-1]["nextToken"] == "f2"
    out = capsys.readouterr().out
    assert "INFO  [alembic] upgrade -> 42\ndone\n" in out and "\nbye\n" in out
    assert out.index("done") < out.index("bye") < out.index("exit code 3")
    assert setup.opened == ["dev"]


def test_aws_and_engine_failures_are_one_line_and_exit_1(capsys):
    from botocore.exceptions import ClientError  # noqa: PLC0415
    from pulumi.automation import CommandResult  # noqa: PLC0415
    from pulumi.automation.errors import CommandError  # noqa: PLC0415

    class Refusing(FakeAws):
        def __call__(self, service: str, region: str) -> Any:
            client = super().__call__(service, region)

            def run_task(**_kwargs: Any) -> Any:
                raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "RunTask")

            client.run_task = run_task
            return client

    assert Setup(Refusing()).main("run", "dev", "api", "--", "true") == 1
    out = capsys.readouterr().out
    assert "AWS refused the request (ClientError: An error occurred (AccessDeniedException)" in out
    assert "Traceback" not in out

    class NoStack(Setup):
        def open(self, stack: str, _root: Path) -> OutputsStack:
            raise CommandError(CommandResult(stdout="", stderr="no stack named 'dev' found", code=255))

    assert NoStack().main("run", "dev", "api", "--", "true") == 1
    assert "run dev failed" in capsys.readouterr().out


def test_run_exits_0_when_the_command_succeeds():
    assert Setup(FakeAws(exit_code=0)).main("run", "dev", "api", "--", "true") == 0


def test_a_task_ecs_could_not_place_exits_1_without_waiting(capsys):
    setup = Setup(FakeAws(run_failures=[{"reason": "RESOURCE:ENI"}]))
    assert setup.main("run", "dev", "api", "--", "true") == 1
    assert setup.aws.names() == ["run_task"]
    assert "exiuscart-dev-api did not start: [{'reason': 'RESOURCE:ENI'}]" in capsys.readouterr().out


def test_a_task_that_stopped_before_its_command_ran_exits_1_with_the_reason(capsys):
    setup = Setup(FakeAws(exit_code=None, statuses=("STOPPED",)))
    assert setup.main("run", "dev", "api", "--", "true") == 1
    assert "stopped before its command ran: Essential container in task exited" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "values", "message"),
    [
        (("run", "dev", "worker", "--", "true"), None, "no service 'worker' in stack dev (services: api)"),
        (("run", "dev", "api"), None, "name the command to run after --"),
        (("run", "dev", "api", "--", "true"), {}, "stack dev exports no services to run"),
        (("run", "nope", "api", "--", "true"), None, "no stack 'nope': Pulumi.nope.yaml does not exist"),
    ],
)
def test_run_refusals_are_one_line_and_exit_2(argv, values, message, capsys):
    setup = Setup(values=values)
    assert setup.main(*argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert "run_task" not in setup.aws.names()


# --- tunnel --------------------------------------------------------------------------------------


def test_tunnel_forwards_through_a_running_exec_task_to_the_database(capsys):
    setup = Setup()
    assert setup.main("tunnel", "dev") == 0
    assert setup.aws.names() == ["list_tasks", "describe_tasks"]
    (listing,) = [kwargs for _, name, kwargs in setup.aws.calls if name == "list_tasks"]
    assert listing == {"cluster": CLUSTER, "serviceName": "exiuscart-dev-api", "desiredStatus": "RUNNING"}
    (argv,) = setup.runner.argv
    assert argv[:3] == ["aws", "ssm", "start-session"]
    options = dict(zip(argv[3::2], argv[4::2], strict=True))
    assert options["--region"] == "me-south-1"
    assert options["--target"] == f"ecs:{CLUSTER}_9a8b7c_9a8b7c-1234567890"
    assert options["--document-name"] == PORT_FORWARDING == "AWS-StartPortForwardingSessionToRemoteHost"
    assert json.loads(options["--parameters"]) == {
        "host": ["exiuscart-dev-db.abc.me-south-1.rds.amazonaws.com"], "portNumber": ["5432"],
        "localPortNumber": ["15432"],
    }  # fmt: skip
    out = " ".join(capsys.readouterr().out.split())
    assert "@localhost:15432/" in out and "?sslmode=require" in out
    assert MASTER_SECRET in out and "hunter2" not in out


def test_tunnel_to_the_cache_on_a_chosen_port(capsys):
    setup = Setup()
    assert setup.main("tunnel", "dev", "--to", "cache", "--port", "7000") == 0
    (argv,) = setup.runner.argv
    parameters = json.loads(argv[argv.index("--parameters") + 1])
    assert parameters == {
        "host": ["master.exiuscart-dev-cache.abc.mes1.cache.amazonaws.com"], "portNumber": ["6379"],
        "localPortNumber": ["7000"],
    }  # fmt: skip
    out = " ".join(capsys.readouterr().out.split())
    assert "rediss://localhost:7000" in out and CACHE_SECRET in out


def test_tunnel_prints_the_database_and_master_user_of_the_stack_config(capsys):
    setup = Setup()
    assert setup.main("tunnel", "dev") == 0
    config = setup.operations(Console()).deployer.stack_config("dev").database
    assert config is not None
    expected = f"postgresql://{config.master_username}@localhost:15432/{config.database_name}?sslmode=require"
    assert expected in " ".join(capsys.readouterr().out.split())


def test_a_failed_session_exits_1():
    assert Setup(runner=Runner(code=255)).main("tunnel", "dev") == 1


def test_tunnel_skips_tasks_started_before_exec_and_tasks_still_starting():
    aws = FakeAws(running=[running_task(exec_enabled=False, task_id="old"), running_task(status="PROVISIONING"),
                           running_task(task_id="new")])  # fmt: skip
    setup = Setup(aws)
    assert setup.main("tunnel", "dev") == 0
    assert f"ecs:{CLUSTER}_new_new-1234567890" in setup.runner.argv[0]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (Setup(missing=("aws",)), "the AWS CLI (`aws`) is not on PATH: install the AWS CLI v2"),
        (Setup(missing=("session-manager-plugin",)), "the Session Manager plugin is not on PATH: install"),
        (Setup(values=outputs(exec_enabled=False)),
         "service api has ECS Exec off: set webstack:api.exec: true in Pulumi.dev.yaml and run `webstack up dev`"),
        (Setup(FakeAws(running=[])), "no running task of exiuscart-dev-api"),
        (Setup(FakeAws(running=[running_task(exec_enabled=False)])),
         "started before ECS Exec was turned on: roll them with `aws ecs update-service --cluster exiuscart-dev-api "
         "--service exiuscart-dev-api --force-new-deployment`"),
        (Setup(FakeAws(running=[running_task(status="PENDING")])), "no task of exiuscart-dev-api is running yet"),
        (Setup(FakeAws(running=[running_task(agent="STOPPED")])),
         "the ECS Exec agent is not running in the tasks of exiuscart-dev-api (STOPPED: agent could not start)"),
        (Setup(values={k: v for k, v in outputs().items() if k != "databaseAddress"}),
         "stack dev has no database (no databaseAddress output)"),
    ],
)  # fmt: skip
def test_tunnel_refusals_are_one_line_exit_2_and_start_no_session(setup, message, capsys):
    assert setup.main("tunnel", "dev") == 2
    err = " ".join(capsys.readouterr().err.split())
    assert message in err and "Traceback" not in err
    assert setup.runner.argv == []


def test_missing_tools_are_found_before_the_stack_is_opened():
    setup = Setup(missing=("session-manager-plugin",))
    assert setup.main("tunnel", "dev") == 2
    assert setup.opened == [] and setup.aws.calls == []


def test_a_port_outside_tcp_is_refused():
    assert Setup().main("tunnel", "dev", "--port", "70000") == 2


def test_help_describes_what_the_commands_do():
    commands = subcommands(parser())
    run_help = " ".join(commands["run"].format_help().split())
    assert "container's command replaced by CMD" in run_help and "exit code" in run_help
    assert "without a public IP" in run_help and "ecs/app/<task id>" in run_help
    tunnel_help = " ".join(commands["tunnel"].format_help().split())
    assert "AWS-StartPortForwardingSessionToRemoteHost" in "".join(tunnel_help.split())  # wrapped at its hyphen
    for fact in ("Session Manager plugin", "never the secret itself",
                 "ECS Exec", "--to {database,cache}"):  # fmt: skip
        assert fact in tunnel_help, fact


def test_secret_arns_print_as_they_are_not_as_emoji(capsys):
    """rich turns ":secret:" into an emoji unless told not to; every console of the CLI is."""
    from webstack.terminal import make_console  # noqa: PLC0415

    make_console().print(f"databaseMasterSecretArn: {MASTER_SECRET}")
    assert MASTER_SECRET in capsys.readouterr().out
