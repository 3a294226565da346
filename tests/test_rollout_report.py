"""What `webstack up` prints of a rollout, through the ClientFactory seam with a fake ECS client."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from rich.console import Console

from webstack.deployment.after_up import report_service_deployment, wait_for_service

CLUSTER, SERVICE = "monay-prod-api", "monay-prod-api"
ARN = "arn:aws:ecs:us-east-1:123456789012:service-deployment/monay-prod-api/monay-prod-api/"


class FakeEcs:
    """ECS stand-in: a service with a strategy and, optionally, its service deployments."""

    def __init__(self, strategy: str | None, deployments: list[dict[str, Any]] | None = None) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.strategy = strategy
        self.deployments = deployments or []

    def get_waiter(self, name: str) -> Any:
        return SimpleNamespace(wait=lambda **kw: self.calls.append((f"wait:{name}", kw)))

    def describe_services(self, **kwargs: Any) -> Any:
        self.calls.append(("describe_services", kwargs))
        service: dict[str, Any] = {
            "runningCount": 2,
            "desiredCount": 2,
            "deployments": [{"status": "PRIMARY", "rolloutState": "COMPLETED", "taskDefinition": "arn:td/api:8"}],
        }
        if self.strategy:
            service["deploymentConfiguration"] = {"strategy": self.strategy, "bakeTimeInMinutes": 15}
        return {"services": [service]}

    def list_service_deployments(self, **kwargs: Any) -> Any:
        self.calls.append(("list_service_deployments", kwargs))
        briefs = [{k: d[k] for k in ("serviceDeploymentArn", "createdAt", "status")} for d in self.deployments]
        return {"serviceDeployments": briefs}

    def describe_service_deployments(self, **kwargs: Any) -> Any:
        self.calls.append(("describe_service_deployments", kwargs))
        wanted = set(kwargs["serviceDeploymentArns"])
        return {"serviceDeployments": [d for d in self.deployments if d["serviceDeploymentArn"] in wanted]}


class OldSdkEcs(FakeEcs):
    """An SDK from before ListServiceDeployments (boto3 < 1.36)."""

    def __getattribute__(self, name: str) -> Any:
        if name in ("list_service_deployments", "describe_service_deployments"):
            raise AttributeError(name)
        return super().__getattribute__(name)


def deployment(number: int, created: datetime, **extra: Any) -> dict[str, Any]:
    return {"serviceDeploymentArn": f"{ARN}{number}", "createdAt": created, "status": "SUCCESSFUL", **extra}


def run(ecs: FakeEcs) -> tuple[str, str]:
    out = io.StringIO()
    state = wait_for_service(CLUSTER, SERVICE, "us-east-1", lambda service, region: ecs, Console(file=out, width=200))
    return state, out.getvalue()


def test_blue_green_rollout_reports_the_latest_deployments_stage():
    ecs = FakeEcs(
        "BLUE_GREEN",
        [
            deployment(1, datetime(2026, 12, 1, tzinfo=UTC), lifecycleStage="CLEAN_UP"),
            deployment(2, datetime(2026, 12, 4, tzinfo=UTC), status="IN_PROGRESS", lifecycleStage="BAKE_TIME"),
        ],
    )
    state, out = run(ecs)
    assert state == "COMPLETED"
    assert "rollout COMPLETED, 2/2 tasks running, task definition api:8" in out
    assert "monay-prod-api: blue/green deployment IN_PROGRESS, stage BAKE_TIME" in out
    names = [name for name, _ in ecs.calls]
    assert names == ["describe_services", "wait:services_stable", "describe_services", "list_service_deployments",
                     "describe_service_deployments"]  # fmt: skip
    # 20 minutes, and the 15-minute bake on top (both sets run until it ends).
    assert ecs.calls[1][1]["WaiterConfig"] == {"Delay": 15, "MaxAttempts": 80 + 4 * 15}
    assert ecs.calls[3][1] == {"cluster": CLUSTER, "service": SERVICE}
    assert ecs.calls[4][1] == {"serviceDeploymentArns": [f"{ARN}2"]}


def test_a_rolled_back_blue_green_deployment_says_why():
    rollback = {"reason": "alarm monay-prod-api-target-5xx-rate in ALARM", "startedAt": datetime(2026, 12, 4)}
    ecs = FakeEcs(
        "BLUE_GREEN",
        [deployment(3, datetime(2026, 12, 4), status="ROLLBACK_SUCCESSFUL", lifecycleStage="CLEAN_UP",
                    rollback=rollback)],
    )  # fmt: skip
    _, out = run(ecs)
    assert (
        "blue/green deployment ROLLBACK_SUCCESSFUL, stage CLEAN_UP; rolled back "
        "(alarm monay-prod-api-target-5xx-rate in ALARM)"
    ) in " ".join(out.split())


def test_rolling_service_is_not_asked_for_service_deployments():
    ecs = FakeEcs(None, [deployment(1, datetime(2026, 12, 4), lifecycleStage="CLEAN_UP")])
    _, out = run(ecs)
    assert "blue/green" not in out
    assert [name for name, _ in ecs.calls] == ["describe_services", "wait:services_stable", "describe_services"]
    assert ecs.calls[1][1]["WaiterConfig"] == {"Delay": 15, "MaxAttempts": 80}


def test_no_service_deployments_or_an_old_sdk_prints_nothing_more():
    assert report_service_deployment(FakeEcs("BLUE_GREEN"), CLUSTER, SERVICE, Console(file=io.StringIO())) is None
    old = OldSdkEcs("BLUE_GREEN", [deployment(1, datetime(2026, 12, 4))])
    state, out = run(old)
    assert state == "COMPLETED" and "blue/green" not in out


def test_the_installed_sdk_has_the_service_deployment_calls():
    import botocore.session  # noqa: PLC0415

    model: Any = botocore.session.get_session().get_service_model("ecs")
    operations = model.operation_names
    assert {"ListServiceDeployments", "DescribeServiceDeployments"} <= set(operations)
