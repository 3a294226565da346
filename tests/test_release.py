"""`webstack release` behind its seams: the Docker commands, the ECS calls of the migration, the
config it sets, the `up`, the rollouts and the smoke check, in order, and each failure's exit."""

from __future__ import annotations

import base64
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from rich.console import Console

from webstack.commands.cli import main
from webstack.deployment.deploy import Deployer
from webstack.deployment.release import ReleaseError, Releaser, checked_tag, plan_release
from webstack.program.stack_settings import parse_stack_config

ACCOUNT = "111122223333"
STACK = {
    "aws:region": "us-east-1",
    "webstack:environment": "dev",
    "webstack:name_prefix": "shop-dev",
    "webstack:alerts": {"emails": ["ops@shop.example.com"]},
    "webstack:api": {
        "image": "{repository}:1.0.0",
        "release": {"context": "app", "migration_command": ["alembic", "upgrade", "head"],
                    "smoke_check_path": "/health"},
    },
    "webstack:services": {"billing-worker": {"image": "{repository}:1.0.0", "worker": True, "cpu": 256,
                                             "memory_mib": 512, "release": {"context": "worker"}}},
    "webstack:domain": {"name": "shop.example.com"},
    "webstack:sites": {"web": {"host": "", "build_command": ["npm", "run", "build"]}},
}  # fmt: skip


class FakeEcs:
    def __init__(self, log: list[tuple[Any, ...]], exit_code: int = 0, rollout: str = "COMPLETED") -> None:
        self.log, self.exit_code, self.rollout = log, exit_code, rollout

    def describe_services(self, cluster: str, services: list[str]) -> dict[str, Any]:
        self.log.append(("ecs.describe_services", cluster, services[0]))
        network = {"awsvpcConfiguration": {"subnets": ["subnet-a"], "securityGroups": ["sg-task"]}}
        deployments = [{"status": "PRIMARY", "rolloutState": self.rollout, "taskDefinition": "td/shop-dev-api:8"}]
        return {
            "services": [
                {"taskDefinition": "arn:td/shop-dev-api:7", "networkConfiguration": network, "deployments": deployments}
            ]
        }

    def describe_task_definition(self, taskDefinition: str) -> dict[str, Any]:
        containers = [{"name": "app", "image": "old"}, {"name": "sidecar", "image": "side"}]
        return {"taskDefinition": {"family": "shop-dev-api", "containerDefinitions": containers, "status": "ACTIVE"}}

    def register_task_definition(self, **fields: Any) -> dict[str, Any]:
        self.log.append(("ecs.register_task_definition", fields))
        return {"taskDefinition": {"taskDefinitionArn": "arn:td/shop-dev-api:9"}}

    def run_task(self, **kwargs: Any) -> dict[str, Any]:
        self.log.append(("ecs.run_task", kwargs))
        return {"tasks": [{"taskArn": "arn:task/1"}]}

    def get_waiter(self, name: str) -> Any:
        return SimpleNamespace(wait=lambda **kwargs: self.log.append(("wait", name)))

    def describe_tasks(self, cluster: str, tasks: list[str]) -> dict[str, Any]:
        return {
            "tasks": [{"containers": [{"exitCode": self.exit_code}], "stoppedReason": "Essential container exited"}]
        }


class FakeEcr:
    """Images pushed, and each repository's answers to DescribeImageScanFindings in turn (the last
    one repeats; an exception is raised); a repository without answers has a clean, complete scan."""

    def __init__(self, log: list[tuple[Any, ...]], pushed: set[str], scans: dict[str, list[Any]] | None = None) -> None:
        self.log, self.pushed, self.scans = log, pushed, scans or {}

    def describe_image_scan_findings(self, repositoryName: str, imageId: dict[str, str], maxResults: int,
                                     nextToken: str | None = None) -> dict[str, Any]:  # fmt: skip
        self.log.append(("ecr.describe_image_scan_findings", repositoryName, imageId["imageTag"], nextToken))
        answers = self.scans.get(repositoryName) or [{"imageScanStatus": {"status": "COMPLETE"}}]
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def start_image_scan(self, repositoryName: str, imageId: dict[str, str]) -> dict[str, Any]:
        self.log.append(("ecr.start_image_scan", repositoryName, imageId["imageTag"]))
        return {}

    def describe_images(self, repositoryName: str, imageIds: list[dict[str, str]]) -> dict[str, Any]:
        if f"{repositoryName}:{imageIds[0]['imageTag']}" not in self.pushed:
            raise type("ImageNotFoundException", (Exception,), {})("no such image")
        return {"imageDetails": [{}]}

    def get_authorization_token(self) -> dict[str, Any]:
        token = base64.b64encode(b"AWS:p4ssw0rd").decode()
        return {"authorizationData": [{"authorizationToken": token}]}


class FakeStack:
    def __init__(self, log: list[tuple[Any, ...]]) -> None:
        self.log = log

    def set_config(self, key: str, value: Any, *, path: bool = False) -> None:
        self.log.append(("set_config", key, value.value, path))

    def outputs(self) -> dict[str, Any]:
        return {"apiClusterName": SimpleNamespace(value="shop-dev-api", secret=False)}

    def up(self, **kwargs: Any) -> Any:
        self.log.append(("up",))
        return SimpleNamespace(summary=SimpleNamespace(resource_changes={"update": 2}), outputs={})


class World:
    """A project directory with one stack file, and fakes for every seam the release uses."""

    def __init__(self, root: Path, *, exit_code: int = 0, statuses: tuple[int, ...] = (200,), pushed=(),
                 scans: dict[str, list[Any]] | None = None, config: dict[str, Any] | None = None) -> None:  # fmt: skip
        self.root = root
        (root / "Pulumi.shop.yaml").write_text(yaml.safe_dump({"config": {**STACK, **(config or {})}}))
        self.log: list[tuple[Any, ...]] = []
        self.ecs = FakeEcs(self.log, exit_code)
        self.ecr = FakeEcr(self.log, set(pushed), scans)
        self.statuses = list(statuses)
        self.stack = FakeStack(self.log)

    def clients(self, service: str, region: str) -> Any:
        if service == "sts":
            return SimpleNamespace(get_caller_identity=lambda: {"Account": ACCOUNT})
        return {"ecs": self.ecs, "ecr": self.ecr}[service]

    def deployer(self) -> Deployer:
        return Deployer(
            console=Console(file=open("/dev/null", "w"), width=200),
            root=self.root,
            opener=lambda _stack, _root: self.stack,
            which=lambda name: f"/usr/bin/{name}",
            env={"AWS_PROFILE": "dev"},
            aws_clients=self.clients,
            offline_judge=lambda _stack, _root: [],
        )

    def run(self, argv: Any, cwd: Path, stdin: str | None) -> int:
        self.log.append(("run", list(argv), stdin))
        return 0

    def releaser(self) -> Releaser:
        return Releaser(self.deployer(), run=self.run, fetch=self.fetch, sleep=lambda s: self.log.append(("sleep", s)))

    def fetch(self, url: str) -> int:
        self.log.append(("fetch", url))
        return self.statuses.pop(0) if self.statuses else 503

    def names(self) -> list[str]:
        return [entry[0] if entry[0] != "run" else " ".join(entry[1][:2]) for entry in self.log]


def test_a_built_release_pushes_migrates_from_the_new_image_then_deploys_and_checks(tmp_path):
    world = World(tmp_path)
    assert world.releaser().release("shop", tag="abc123", build=True, yes=True) == 0
    registry = f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com"
    runs = [entry[1:] for entry in world.log if entry[0] == "run"]
    assert runs[0] == (["docker", "login", "--username", "AWS", "--password-stdin", registry], "p4ssw0rd")
    assert runs[1][0] == ["docker", "build", "--platform", "linux/arm64", "--file", "app/Dockerfile", "--tag",
                          f"{registry}/shop-dev-api:abc123", "app"]  # fmt: skip
    assert runs[2][0] == ["docker", "push", f"{registry}/shop-dev-api:abc123"]
    (registered,) = [e[1] for e in world.log if e[0] == "ecs.register_task_definition"]
    assert registered["containerDefinitions"] == [
        {"name": "app", "image": f"{registry}/shop-dev-api:abc123"},
        {"name": "sidecar", "image": "side"},
    ]
    assert "status" not in registered  # only what RegisterTaskDefinition takes
    (migration,) = [e[1] for e in world.log if e[0] == "ecs.run_task"]
    assert migration["taskDefinition"] == "arn:td/shop-dev-api:9" and migration["startedBy"] == "webstack-release"
    assert migration["overrides"] == {
        "containerOverrides": [{"name": "app", "command": ["alembic", "upgrade", "head"]}]
    }
    assert migration["networkConfiguration"]["awsvpcConfiguration"]["securityGroups"] == ["sg-task"]
    sets = [e[1:] for e in world.log if e[0] == "set_config"]
    assert sets == [
        ("webstack:api.image", "{repository}:abc123", True),
        ('webstack:services["billing-worker"].image', "{repository}:abc123", True),
    ]
    order = world.names()
    assert order.index("ecs.run_task") < order.index("npm run") < order.index("set_config") < order.index("up")
    assert order.index("up") < order.index("fetch")  # after the rollouts it waited for
    assert [e for e in world.log if e[0] == "fetch"] == [("fetch", "https://api.shop.example.com/health")]


def test_a_failed_migration_deploys_nothing(tmp_path):
    world = World(tmp_path, exit_code=3, pushed={"shop-dev-api:abc123", "shop-dev-billing-worker:abc123"})
    assert world.releaser().release("shop", tag="abc123", yes=True) == 1
    assert "set_config" not in world.names() and "up" not in world.names()
    assert not [e for e in world.log if e[0] == "run"]  # tags already pushed: nothing built, no login


def test_a_failed_smoke_check_exits_1_and_names_the_rollback(tmp_path, capsys):
    world = World(tmp_path, statuses=(502,) * 10, pushed={"shop-dev-api:abc123", "shop-dev-billing-worker:abc123"})
    releaser = world.releaser()
    releaser.deployer.console = Console(width=200)
    assert releaser.release("shop", tag="abc123", services=["api"], yes=True) == 1
    assert world.names().count("fetch") == 10
    out = capsys.readouterr().out
    assert "Roll api back: webstack release shop --service api --tag 1.0.0 --yes" in out
    (row,) = [line for line in out.splitlines() if line.startswith("│ api")]  # the summary
    assert [cell.strip() for cell in row.split("│")[2:9]] == [
        "abc123",
        "1.0.0",
        "already pushed",
        "passed (0 findings)",
        "done",
        "COMPLETED",
        "failed",
    ]


def test_a_tag_not_pushed_needs_build_or_promotion(tmp_path):
    with pytest.raises(ReleaseError, match="not in the repository: push it first, pass --build"):
        World(tmp_path).releaser().release("shop", tag="abc123", yes=True)


def test_promotion_copies_the_image_from_the_other_stacks_repository_without_building(tmp_path):
    world = World(tmp_path)
    source = {**STACK, "webstack:name_prefix": "shop-stg", "webstack:account_id": "444455556666"}
    (tmp_path / "Pulumi.staging.yaml").write_text(yaml.safe_dump({"config": source}))
    assert world.releaser().release("shop", tag="abc123", services=["api"], promote_from="staging", yes=True) == 0
    runs = [e[1] for e in world.log if e[0] == "run"]
    origin = "444455556666.dkr.ecr.us-east-1.amazonaws.com/shop-stg-api:abc123"
    assert ["docker", "pull", origin] in runs and not [r for r in runs if r[1] == "build"]
    assert ["docker", "tag", origin, f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/shop-dev-api:abc123"] in runs
    other = World(tmp_path)
    assert other.releaser().release("shop", tag="t1", services=["api"], promote_from="staging",
                                    source_account="777788889999", yes=True) == 0  # fmt: skip
    assert ["docker", "pull", "777788889999.dkr.ecr.us-east-1.amazonaws.com/shop-stg-api:t1"] in [
        e[1] for e in other.log if e[0] == "run"
    ]


def test_the_plan_names_paths_hosts_and_refuses_what_a_release_cannot_move(tmp_path):
    config = parse_stack_config(STACK, "shop", "Pulumi.shop.yaml")
    api, worker = plan_release(config)
    assert (api.resource_name, api.previous_tag, api.host, api.platform) == (
        "shop-dev-api", "1.0.0", "api.shop.example.com", "linux/arm64")  # fmt: skip
    assert worker.host is None and worker.config_path == 'webstack:services["billing-worker"].image'
    with pytest.raises(ReleaseError, match="--service nope: the stack's services are api, billing-worker"):
        plan_release(config, ["nope"])
    elsewhere = parse_stack_config({**STACK, "webstack:api": {"image": "nginx:1.27"}}, "shop", "Pulumi.shop.yaml")
    with pytest.raises(ReleaseError, match='must read "\\{repository\\}:TAG"'):
        plan_release(elsewhere, ["api"])
    with pytest.raises(ReleaseError, match="ECR takes 1-128"):
        checked_tag("-bad tag")


def test_the_cli_refuses_a_bad_tag_before_anything_runs(capsys):
    deployer = Deployer(
        console=Console(), which=lambda _n: "/usr/bin/x", env={"AWS_PROFILE": "p"}, opener=lambda *_: None
    )
    assert main(["release", "dev", "--tag", "not a tag"], deployer_factory=lambda _c: deployer) == 2
    assert "--tag 'not a tag': ECR takes" in capsys.readouterr().err


def test_the_cluster_comes_from_the_stacks_outputs_and_a_stack_never_deployed_is_told_to_up_first(tmp_path):
    world = World(tmp_path, pushed={"shop-dev-api:abc123"})
    assert world.releaser().release("shop", tag="abc123", services=["api"], yes=True) == 0
    assert {e[1] for e in world.log if e[0] == "ecs.describe_services"} == {"shop-dev-api"}
    fresh = World(tmp_path, pushed={"shop-dev-api:abc123"})
    fresh.stack.outputs = dict  # type: ignore[method-assign]  # nothing deployed yet
    with pytest.raises(ReleaseError, match="no services deployed yet: run `webstack up shop` once first"):
        fresh.releaser().release("shop", tag="abc123", services=["api"], yes=True)
    assert "up" not in fresh.names()
