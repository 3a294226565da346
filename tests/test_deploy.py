"""The Automation API seam: exact calls to the stack, refusals, exit codes, masking."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from pulumi.automation import CommandResult, OutputValue
from pulumi.automation.errors import CommandError
from rich.console import Console

from webstack.commands.cli import main
from webstack.deployment.deploy import CLI_INSTALL, Deployer, DeployError, has_aws_credentials, judge_offline
from webstack.offline.first_preview import as_first_preview
from webstack.policy_driver.engine import Violation, read_policy_config

from .helpers import ROOT, SharedPolicyServer, shipped_stack


class FakeStack:
    """Stands in for pulumi.automation.Stack and records every call."""

    def __init__(self, name: str, fail: bool = False) -> None:
        self.name = name
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.fail = fail

    def _result(self) -> Any:
        return SimpleNamespace(resource_changes={"create": 2, "same": 5})

    def preview(self, **kwargs: Any) -> Any:
        self.calls.append(("preview", kwargs))
        return SimpleNamespace(
            stdout=json.dumps({"steps": [], "changeSummary": {"create": 2}}), change_summary={"create": 2}
        )

    def up(self, **kwargs: Any) -> Any:
        self.calls.append(("up", kwargs))
        if self.fail:
            raise CommandError(CommandResult(stdout="", stderr="policy violation: rds-multi-az", code=255))
        for _ in range(2):
            kwargs["on_event"](SimpleNamespace(res_outputs_event=object()))
        outputs = {"vpcId": OutputValue("vpc-1", False), "originSecret": OutputValue("s3cr3t", True)}
        return SimpleNamespace(summary=self._result(), outputs=outputs)

    def refresh(self, **kwargs: Any) -> Any:
        self.calls.append(("refresh", kwargs))
        return SimpleNamespace(summary=self._result())

    def destroy(self, **kwargs: Any) -> Any:
        self.calls.append(("destroy", kwargs))
        return SimpleNamespace(summary=SimpleNamespace(resource_changes={"delete": 7}))

    def outputs(self) -> dict[str, OutputValue]:
        self.calls.append(("outputs", {}))
        return {"vpcId": OutputValue("vpc-1", False), "dbPassword": OutputValue("hunter2", True)}


class Harness:
    def __init__(self, **overrides: Any) -> None:
        self.stacks: dict[str, FakeStack] = {}
        self.fail = overrides.pop("fail", False)
        self.settings = {
            "which": lambda _name: "/usr/local/bin/pulumi",
            "env": {"AWS_PROFILE": "dev"},
            "confirm": lambda _question: False,
            # The offline plan's verdicts (tested below on their own).
            "offline_judge": lambda _stack, _root: [],
            **overrides,
        }

    def open(self, stack: str, work_dir: Path) -> FakeStack:
        assert work_dir == ROOT
        return self.stacks.setdefault(stack, FakeStack(stack, self.fail))

    def factory(self, console: Console) -> Deployer:
        return Deployer(console=console, opener=self.open, **self.settings)

    def run(self, *argv: str) -> int:
        return main(list(argv), deployer_factory=self.factory)


def policy_kwargs(stack_config: str) -> dict[str, list[str]]:
    return {
        "policy_packs": [str(ROOT / "policy")],
        "policy_pack_configs": [str(ROOT / "policy" / "config" / stack_config)],
    }


def test_preview_always_passes_the_policy_pack_and_the_stacks_config():
    harness = Harness()
    assert harness.run("preview", "dev") == 0
    ((name, kwargs),) = harness.stacks["dev"].calls
    assert name == "preview"
    assert {k: kwargs[k] for k in ("policy_packs", "policy_pack_configs")} == policy_kwargs("dev.json")
    assert kwargs["target"] is None and kwargs["refresh"] is None and callable(kwargs["on_output"])


def test_preview_json_target_and_refresh(tmp_path: Path):
    harness = Harness()
    out = tmp_path / "preview.json"
    assert harness.run("preview", "prod", "--json", str(out), "--target", "urn:a", "--refresh") == 0
    ((_, kwargs),) = harness.stacks["prod"].calls
    assert kwargs["json"] is True and kwargs["target"] == ["urn:a"] and kwargs["refresh"] is True
    assert json.loads(out.read_text())["changeSummary"] == {"create": 2}
    assert {k: kwargs[k] for k in ("policy_packs", "policy_pack_configs")} == policy_kwargs("prod.json")


def test_up_with_yes_deploys_with_the_pack_and_masks_secret_outputs(capsys):
    harness = Harness()
    assert harness.run("up", "prod", "--yes", "--target", "urn:x") == 0
    ((name, kwargs),) = harness.stacks["prod"].calls
    assert name == "up" and kwargs["target"] == ["urn:x"]
    assert {k: kwargs[k] for k in ("policy_packs", "policy_pack_configs")} == policy_kwargs("prod.json")
    out = capsys.readouterr().out
    assert "up finished" in out and "2 create" in out
    assert "originSecret: [secret]" in out and "s3cr3t" not in out


def test_up_without_yes_previews_and_asks_and_deploys_nothing_when_refused():
    harness = Harness()
    assert harness.run("up", "dev") == 1
    assert [name for name, _ in harness.stacks["dev"].calls] == ["preview"]
    agreed = Harness(confirm=lambda _q: True)
    assert agreed.run("up", "dev") == 0
    assert [name for name, _ in agreed.stacks["dev"].calls] == ["preview", "up"]


def test_up_reports_progress_against_the_expected_count():
    seen: list[tuple[int, int]] = []
    deployer = Harness().factory(Console(file=open("/dev/null", "w")))  # noqa: SIM115
    deployer.progress = lambda done, total: seen.append((done, total))
    assert deployer.up("dev", yes=True, expected=219) == 0
    assert seen == [(1, 219), (2, 219)]


def test_engine_failure_exits_1_without_traceback(capsys):
    assert Harness(fail=True).run("up", "prod", "--yes") == 1
    out = capsys.readouterr().out
    assert "up prod failed" in out and "rds-multi-az" in out and "Traceback" not in out


def test_refresh_needs_yes():
    harness = Harness()
    assert harness.run("refresh", "dev") == 2
    assert harness.stacks == {}
    assert harness.run("refresh", "dev", "--yes") == 0
    assert [name for name, _ in harness.stacks["dev"].calls] == ["refresh"]


def test_destroy_refuses_without_confirmation_and_prod_explains_protection(capsys):
    harness = Harness()
    assert harness.run("destroy", "prod") == 2
    assert "--confirm prod" in capsys.readouterr().err
    assert harness.run("destroy", "prod", "--confirm", "dev") == 2
    assert harness.stacks == {}
    assert harness.run("destroy", "prod", "--confirm", "prod") == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "pulumi state unprotect" in out and "webstack:keep_data_on_destroy: false" in out
    assert [name for name, _ in harness.stacks["prod"].calls] == ["destroy"]
    assert harness.run("destroy", "dev", "--confirm", "dev") == 0
    assert "stop destroy" not in capsys.readouterr().out  # dev is disposable


def test_outputs_mask_secrets_unless_asked(capsys):
    harness = Harness()
    assert harness.run("outputs", "dev", "--json") == 0
    assert json.loads(capsys.readouterr().out) == {"vpcId": "vpc-1", "dbPassword": "[secret]"}
    assert harness.run("outputs", "dev", "--json", "--show-secrets") == 0
    assert json.loads(capsys.readouterr().out)["dbPassword"] == "hunter2"


def test_missing_cli_is_one_line_naming_the_install_step(capsys):
    harness = Harness(which=lambda _name: None)
    assert harness.run("preview", "dev") == 2
    err = capsys.readouterr().err
    assert CLI_INSTALL in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_missing_credentials_are_one_line(tmp_path: Path, capsys):
    harness = Harness(env={}, home=tmp_path)
    assert harness.run("up", "dev", "--yes") == 2
    err = capsys.readouterr().err
    assert "no AWS credentials" in err and "AWS_PROFILE" in err


def test_unknown_stack_lists_the_stacks(capsys):
    assert Harness().run("preview", "qa") == 2
    assert "no stack 'qa': Pulumi.qa.yaml does not exist (stacks here: dev, prod)" in capsys.readouterr().err


def test_credentials_from_variables_or_shared_files(tmp_path: Path):
    assert has_aws_credentials({"AWS_WEB_IDENTITY_TOKEN_FILE": "/t"}, tmp_path)
    assert not has_aws_credentials({}, tmp_path)
    (tmp_path / ".aws").mkdir()
    (tmp_path / ".aws" / "credentials").write_text("[default]\n")
    assert has_aws_credentials({}, tmp_path)


def test_up_all_runs_every_stack_with_logs_and_a_summary(capsys):
    harness = Harness()
    assert harness.run("up", "--all", "--yes") == 0
    assert sorted(harness.stacks) == ["dev", "prod"]
    out = capsys.readouterr().out
    assert "up summary" in out and "dev" in out and "prod" in out
    log = Path(os.environ["WEBSTACK_WORK_DIR"]) / "logs" / "prod-up.log"
    assert "up finished" in log.read_text()


def test_up_all_fails_when_one_stack_fails(capsys):
    assert Harness(fail=True).run("up", "--all", "--yes") == 1
    assert "failed" in capsys.readouterr().out


def test_preflight_is_checked_before_opening_the_stack():
    harness = Harness(which=lambda _name: None)
    with pytest.raises(DeployError):
        harness.factory(Console()).preview("dev")
    assert harness.stacks == {}


class FakeAws:
    """boto3 stand-in: records CloudFront and ECS calls."""

    def __init__(self, users_task_exit_code: int = 0) -> None:
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self.users_task_exit_code = users_task_exit_code

    def __call__(self, service: str, region: str) -> Any:
        calls = self.calls
        exit_code = self.users_task_exit_code

        class Client:
            def create_invalidation(self, **kwargs: Any) -> Any:
                calls.append((service, "create_invalidation", {"region": region, **kwargs}))
                return {"Invalidation": {"Id": "I1"}}

            def get_waiter(self, name: str) -> Any:
                return SimpleNamespace(wait=lambda **kw: calls.append((service, f"wait:{name}", kw)))

            def describe_services(self, **kwargs: Any) -> Any:
                calls.append((service, "describe_services", kwargs))
                deployment = {"status": "PRIMARY", "rolloutState": "COMPLETED", "taskDefinition": "arn:td/app:7"}
                return {"services": [{"runningCount": 2, "desiredCount": 2, "deployments": [deployment]}]}

            def run_task(self, **kwargs: Any) -> Any:
                calls.append((service, "run_task", kwargs))
                return {"tasks": [{"taskArn": "arn:aws:ecs:me-south-1:123456789012:task/acme/abc"}], "failures": []}

            def describe_tasks(self, **kwargs: Any) -> Any:
                calls.append((service, "describe_tasks", kwargs))
                return {"tasks": [{"containers": [{"exitCode": exit_code}], "stoppedReason": "Essential container"}]}

        return Client()


def object_event(op: str, bucket: str, resource_type: str = "aws:s3/bucketObjectv2:BucketObjectv2") -> Any:
    state = SimpleNamespace(inputs={"bucket": bucket, "key": "index.html"})
    metadata = SimpleNamespace(type=resource_type, op=SimpleNamespace(value=op), new=state, old=None)
    return SimpleNamespace(res_outputs_event=SimpleNamespace(metadata=metadata))


class SiteStack(FakeStack):
    def up(self, **kwargs: Any) -> Any:
        self.calls.append(("up", kwargs))
        for event in (
            object_event("update", "site-a"),
            object_event("same", "site-b"),
            object_event("create", "x", "aws:s3/bucket:Bucket"),
        ):
            kwargs["on_event"](event)
        outputs = {
            "region": OutputValue("me-south-1", False),
            "apiClusterName": OutputValue("acme-prod-api", False),
            "apiServiceName": OutputValue("acme-prod-api", False),
            "siteDistributions": OutputValue({"site-a": "E111", "site-b": "E222"}, False),
        }
        return SimpleNamespace(summary=SimpleNamespace(resource_changes={"update": 1}), outputs=outputs)


def test_after_up_invalidates_changed_sites_and_waits_for_the_rollout(capsys):
    aws = FakeAws()
    deployer = Deployer(
        console=Console(),
        opener=lambda stack, _root: SiteStack(stack),
        which=lambda _n: "/bin/pulumi",
        env={"AWS_PROFILE": "p"},
        aws_clients=aws,
    )
    assert deployer.up("prod", yes=True) == 0
    invalidations = [c for c in aws.calls if c[1] == "create_invalidation"]
    assert len(invalidations) == 1
    service, _, kwargs = invalidations[0]
    assert (service, kwargs["region"], kwargs["DistributionId"]) == ("cloudfront", "us-east-1", "E111")
    assert kwargs["InvalidationBatch"]["Paths"] == {"Quantity": 1, "Items": ["/*"]}
    waits = [c for c in aws.calls if c[1] == "wait:services_stable"]
    assert waits[0][2]["cluster"] == "acme-prod-api" and waits[0][2]["services"] == ["acme-prod-api"]
    out = capsys.readouterr().out
    assert "rollout COMPLETED, 2/2 tasks running, task definition app:7" in out


def test_no_changed_content_means_no_invalidation():
    aws = FakeAws()
    deployer = Deployer(
        console=Console(file=open("/dev/null", "w")),  # noqa: SIM115
        opener=lambda stack, _root: FakeStack(stack),
        which=lambda _n: "/bin/pulumi",
        env={"AWS_PROFILE": "p"},
        aws_clients=aws,
    )
    assert deployer.up("dev", yes=True) == 0
    assert aws.calls == []


def stack_root_with_account(tmp_path: Path, account: str) -> Path:
    text = (
        (ROOT / "Pulumi.dev.yaml").read_text().replace("config:\n", f'config:\n  webstack:account_id: "{account}"\n', 1)
    )
    (tmp_path / "Pulumi.dev.yaml").write_text(text)
    return tmp_path


class Sts:
    def __init__(self, account: str | Exception) -> None:
        self.account = account

    def __call__(self, service: str, region: str) -> Any:
        assert (service, region) == ("sts", "me-south-1")
        account = self.account

        class Client:
            def get_caller_identity(self) -> Any:
                if isinstance(account, Exception):
                    raise account
                return {"Account": account}

        return Client()


@pytest.mark.parametrize(
    ("caller", "message"),
    [
        ("999999999999", "credentials are for account 999999999999 but Pulumi.dev.yaml deploys to 111122223333"),
        (RuntimeError("ExpiredToken"), "AWS rejected the credentials (RuntimeError: ExpiredToken)"),
    ],
)
def test_wrong_account_is_one_line_before_any_engine_call(tmp_path: Path, caller, message):
    root = stack_root_with_account(tmp_path, "111122223333")
    opened: list[str] = []
    deployer = Deployer(
        console=Console(),
        root=root,
        opener=lambda stack, _root: opened.append(stack),
        which=lambda _n: "/bin/pulumi",
        env={"AWS_PROFILE": "p"},
        aws_clients=Sts(caller),
    )
    with pytest.raises(DeployError, match=re.escape(message)):
        deployer.preview("dev")
    assert opened == []


def test_right_account_opens_the_stack(tmp_path: Path):
    root = stack_root_with_account(tmp_path, "111122223333")
    opened: list[str] = []

    def opener(stack: str, _root: Path) -> FakeStack:
        opened.append(stack)
        return FakeStack(stack)

    deployer = Deployer(
        console=Console(file=open("/dev/null", "w")),  # noqa: SIM115
        root=root,
        opener=opener,
        which=lambda _n: "/bin/pulumi",
        env={"AWS_PROFILE": "p"},
        aws_clients=Sts("111122223333"),
    )
    assert deployer.outputs("dev", as_json=True, show_secrets=False) == 0
    assert opened == ["dev"]


class DatabaseStack(FakeStack):
    def up(self, **kwargs: Any) -> Any:
        self.calls.append(("up", kwargs))
        outputs = {
            "region": OutputValue("me-south-1", False),
            "apiClusterName": OutputValue("acme-prod-api", False),
            "apiServiceName": OutputValue("acme-prod-api", False),
            "apiTaskSecurityGroupId": OutputValue("sg-0123", False),
            "privateSubnetIds": OutputValue(["subnet-a", "subnet-b"], False),
            "databaseUsersTaskDefinition": OutputValue(
                "arn:aws:ecs:me-south-1:123456789012:task-definition/acme-prod-db-users:3", False
            ),
        }
        return SimpleNamespace(summary=SimpleNamespace(resource_changes={"update": 1}), outputs=outputs)


def database_deployer(aws: FakeAws) -> Deployer:
    return Deployer(
        console=Console(),
        opener=lambda stack, _root: DatabaseStack(stack),
        which=lambda _n: "/bin/pulumi",
        env={"AWS_PROFILE": "p"},
        aws_clients=aws,
    )


def test_up_creates_the_database_users_before_it_waits_for_the_rollout(capsys):
    """The services log in with IAM authentication as a user only the master can create: up runs
    the database's one-off task in the API's subnets and group, and waits for it."""
    aws = FakeAws()
    assert database_deployer(aws).up("prod", yes=True) == 0
    names = [name for _, name, _ in aws.calls]
    assert names.index("run_task") < names.index("wait:tasks_stopped") < names.index("wait:services_stable")
    (run,) = [kwargs for _, name, kwargs in aws.calls if name == "run_task"]
    assert run["taskDefinition"].endswith("task-definition/acme-prod-db-users:3")
    assert run["cluster"] == "acme-prod-api" and run["launchType"] == "FARGATE"
    assert run["networkConfiguration"]["awsvpcConfiguration"] == {
        "subnets": ["subnet-a", "subnet-b"], "securityGroups": ["sg-0123"], "assignPublicIp": "DISABLED"
    }  # fmt: skip
    assert "acme-prod-db-users: database users ready" in capsys.readouterr().out


def test_a_failed_users_task_fails_up_and_names_its_log_group(capsys):
    aws = FakeAws(users_task_exit_code=2)
    assert database_deployer(aws).up("prod", yes=True) == 1
    out = capsys.readouterr().out
    assert "exit code [2]" in out and "/ecs/acme-prod-db-users" in out
    assert "wait:services_stable" not in [name for _, name, _ in aws.calls]


class FirstPreviewStack(FakeStack):
    """A first real preview of prod, played by the pack on the offline plan with every output
    unknown: its policy events are those the engine would emit."""

    def preview(self, **kwargs: Any) -> Any:
        self.calls.append(("preview", kwargs))
        with SharedPolicyServer() as server:
            server.configure(read_policy_config(ROOT / "policy" / "config" / "prod.json"), "prod")
            for violation in server.analyze(as_first_preview(shipped_stack("prod"))):
                event = SimpleNamespace(
                    policy_name=violation.policy,
                    resource_urn=violation.urn,
                    enforcement_level=violation.level,
                    message=violation.message,
                )
                kwargs["on_event"](SimpleNamespace(policy_event=event))
        return SimpleNamespace(stdout="{}", change_summary={"create": 229})


def test_a_first_preview_gets_what_it_could_not_decide_decided_offline(capsys):
    harness = Harness(offline_judge=judge_offline)
    harness.stacks["prod"] = FirstPreviewStack("prod")
    assert harness.run("preview", "prod") == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "decided offline: 35 evaluations the preview could not run" in out
    assert "passes s3-bucket-policy-grants-no-public-access on uploads-policy" in out
    assert "passes ecs-container-hardening on api-task" in out


def test_a_mandatory_violation_found_offline_fails_the_preview(capsys):
    violation = Violation(
        "iam-no-wildcard-actions", "mandatory", "critical", "urn:pulumi:prod::webstack::x::api-task-policy",
        "statement Objects0 allows s3:*\nFix: ...", "Name each action",
    )  # fmt: skip
    harness = Harness(offline_judge=lambda _stack, _root: [violation])
    assert harness.run("preview", "prod") == 1
    assert "1 mandatory violation in the offline plan" in capsys.readouterr().out


class ServicesStack(SiteStack):
    def up(self, **kwargs: Any) -> Any:
        result = super().up(**kwargs)
        entries = {
            name: {"repositoryUrl": f"r/acme-prod-{name}", "serviceName": f"acme-prod-{name}", "taskDefinitionArn": "t"}
            for name in ("api", "worker")
        }
        result.outputs["services"] = OutputValue(entries, False)
        return result


def test_after_up_waits_for_every_service_in_the_services_output():
    aws = FakeAws()
    deployer = Deployer(
        console=Console(file=open("/dev/null", "w")),  # noqa: SIM115
        opener=lambda stack, _root: ServicesStack(stack),
        which=lambda _n: "/bin/pulumi",
        env={"AWS_PROFILE": "p"},
        aws_clients=aws,
    )
    assert deployer.up("prod", yes=True) == 0
    waits = [c[2]["services"] for c in aws.calls if c[1] == "wait:services_stable"]
    assert waits == [["acme-prod-api"], ["acme-prod-worker"]]
