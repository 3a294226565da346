"""`webstack release`: ship a new image tag to a stack's services. For each service: build (or
promote, or find) the image under an immutable tag, run its migration from the new image, then
point the stack config at the tag, `up`, wait for every rollout and smoke-check the hosts.

The steps are planned from the stack config alone (``plan_release``, pure), then carried out
through seams (commands, HTTP, boto3 clients, the Deployer) so that every path is tested here
without Docker or AWS."""

from __future__ import annotations

import base64
import datetime
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.table import Table

from components.api_settings import CONTAINER_NAME
from components.fargate_service import running_tag
from webstack.deployment.after_up import TaskFailed, primary_deployment, run_task_to_completion
from webstack.deployment.deploy import Deployer, DeployError
from webstack.deployment.image_scan import Verdict, judge, read_scan, report
from webstack.deployment.one_off import TaskNetwork
from webstack.deployment.release_notes import COLUMNS, render
from webstack.program.compose_web import fqdn
from webstack.program.config import ApiConfig, StackConfig
from webstack.program.config_release import ReleaseConfig

# An ECR tag: up to 128 of letters, digits, _ . - (not starting with . or -); a git SHA fits.
TAG_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"
# The task definition fields RegisterTaskDefinition takes back from DescribeTaskDefinition.
REGISTERED_FIELDS = (
    "family", "taskRoleArn", "executionRoleArn", "networkMode", "containerDefinitions", "volumes",
    "placementConstraints", "requiresCompatibilities", "cpu", "memory", "runtimePlatform", "ephemeralStorage",
)  # fmt: skip
SMOKE_ATTEMPTS, SMOKE_DELAY_SECONDS = 10, 6

CommandRunner = Callable[[Sequence[str], Path, "str | None"], int]  # (argv, cwd, stdin) -> exit code
HttpStatus = Callable[[str], int]  # url -> HTTP status (0: no answer)


class ReleaseError(DeployError):
    """A release that cannot go on as asked: printed without a traceback, exit code 2."""


@dataclass(frozen=True)
class ServiceRelease:
    """One service's part of a release, planned from the stack config."""

    name: str  # "api" or a key of webstack:services
    config_path: str  # the stack config key of its image, as `pulumi config set --path` writes it
    resource_name: str  # <prefix>-<name>: its ECR repository, ECS service and task family
    previous_tag: str | None
    release: ReleaseConfig
    platform: str
    host: str | None  # where the smoke check goes (None: a worker; API_HOST_OUTPUT: no custom domain)


def checked_tag(tag: str) -> str:
    if not tag or len(tag) > 128 or tag[0] in ".-" or any(c not in TAG_CHARACTERS for c in tag):
        raise ReleaseError(f"--tag {tag!r}: ECR takes 1-128 letters, digits, _ . - (not starting with . or -)")
    return tag


def _services(config: StackConfig) -> dict[str, tuple[str, ApiConfig]]:
    found: dict[str, tuple[str, ApiConfig]] = {}
    if config.api is not None:
        found["api"] = ("webstack:api.image", config.api)
    for name, service in config.services.items():
        found[name] = (f'webstack:services["{name}"].image', service)
    return found


# A routed service of a stack without a custom domain answers on the API distribution's
# *.cloudfront.net name, which only the stack's output `apiHost` knows.
API_HOST_OUTPUT = "apiHost"


def _host(config: StackConfig, name: str) -> str | None:
    if name != "api" and config.services[name].worker:
        return None
    domain = config.domain
    if domain is None or domain.name is None:
        return API_HOST_OUTPUT
    if name == "api":
        return fqdn(domain.api_host, domain.name)
    hosts = config.services[name].hosts
    return fqdn(hosts[0], domain.name) if hosts else None


def plan_release(config: StackConfig, names: Sequence[str] = ()) -> list[ServiceRelease]:
    """The services a release ships (all of the stack's, or those named), each running an image of
    its own repository (`image: "{repository}:TAG"`): a release moves that tag."""
    services = _services(config)
    if not services:
        raise ReleaseError("the stack has no webstack:api or webstack:services to release")
    unknown = [n for n in names if n not in services]
    if unknown:
        raise ReleaseError(f"--service {', '.join(unknown)}: the stack's services are {', '.join(services)}")
    planned = []
    for name in names or list(services):
        path, service = services[name]
        if service.build is not None or not (service.image or "").startswith("{repository}:"):
            raise ReleaseError(
                f"{path}: a release moves the tag of the service's own repository, so it must read "
                f'"{{repository}}:TAG" (got {(service.build and "build") or service.image!r}); put the Docker build '
                f"under {path.removesuffix('.image')}.release.context"
            )
        planned.append(
            ServiceRelease(
                name=name,
                config_path=path,
                resource_name=f"{config.name_prefix}-{name}",
                previous_tag=running_tag(service.image or ""),
                release=service.release or ReleaseConfig(),
                platform="linux/arm64" if service.architecture == "ARM64" else "linux/amd64",
                host=_host(config, name),
            )
        )
    return planned


def run_command(argv: Sequence[str], cwd: Path, stdin: str | None) -> int:
    """A tool's exit code, its output streamed to ours (docker, a site's build)."""
    return subprocess.run(list(argv), cwd=cwd, input=stdin, text=True, check=False).returncode


def http_status(url: str) -> int:
    import urllib.request  # noqa: PLC0415

    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return int(answer.status)
    except OSError as error:
        return int(getattr(error, "code", 0) or 0)


@dataclass
class Releaser:
    deployer: Deployer
    run: CommandRunner = run_command
    fetch: HttpStatus = http_status
    sleep: Callable[[float], None] = time.sleep
    today: Callable[[], datetime.date] = datetime.date.today
    results: dict[str, dict[str, str]] = field(default_factory=dict)
    cluster: str | None = None
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def console(self) -> Any:
        return self.deployer.console

    def release(
        self,
        stack: str,
        *,
        tag: str,
        services: Sequence[str] = (),
        build: bool = False,
        promote_from: str | None = None,
        source_account: str | None = None,
        yes: bool = False,
        summary_md: Path | None = None,
        cost_note: Path | None = None,
    ) -> int:
        """Ship ``tag``; with ``summary_md`` the summary is also written there as Markdown (with the
        text of ``cost_note``, a cost comparison, as its cost line), whatever the outcome."""
        cost = cost_note.read_text() if cost_note is not None and cost_note.is_file() else None
        try:
            code = self._release(
                stack, tag=tag, services=services, build=build, promote_from=promote_from,
                source_account=source_account, yes=yes,
            )  # fmt: skip
        except DeployError as error:  # a ReleaseError, or preflight and credentials
            if summary_md is not None:
                self._write_notes(summary_md, render(stack, tag, 2, self.results, stopped=str(error), cost=cost))
            raise
        if summary_md is not None:
            self._write_notes(summary_md, render(stack, tag, code, self.results, cost=cost))
        return code

    def _write_notes(self, path: Path, markdown: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(markdown)
        self.console.print(f"Release summary written to {path}", markup=False, highlight=False)

    def _release(
        self,
        stack: str,
        *,
        tag: str,
        services: Sequence[str],
        build: bool,
        promote_from: str | None,
        source_account: str | None,
        yes: bool,
    ) -> int:
        tag = checked_tag(tag)
        if build and promote_from:
            raise ReleaseError("--build and --promote-from: choose one (a promoted image is never rebuilt)")
        config = self.deployer.stack_config(stack)
        planned = plan_release(config, services)
        self.deployer.preflight(stack)
        if (build or promote_from) and self.deployer.which("docker") is None:
            raise ReleaseError(
                "--build and --promote-from need Docker on PATH (https://docs.docker.com/engine/install/)"
            )
        registry = self._registry(config)
        if build or promote_from:
            self._login(config, registry)
        for service in planned:
            self.results[service.name] = {"tag": tag, "from": service.previous_tag or "-"}
            self._image(
                stack,
                config,
                registry,
                service,
                tag,
                build=build,
                promote_from=promote_from,
                source_account=source_account,
            )
        if not self._scans_pass(config, planned, registry, tag):
            self.console.print("The scan gate refused an image: nothing was migrated or deployed.")
            return self._summary(1)
        for service in planned:
            if service.release.migration_command and not self._migrate(stack, config, registry, service, tag):
                self.console.print(f"{service.name}: migration failed; nothing was deployed.")
                return self._summary(1)
        for site, settings in config.sites.items():
            if settings.build_command and self.run(settings.build_command, self.deployer.root, None) != 0:
                self.console.print(f"site {site}: {' '.join(settings.build_command)} failed; nothing was deployed.")
                return self._summary(1)
        handle = self.deployer.opener(stack, self.deployer.root)
        from pulumi.automation import ConfigValue  # noqa: PLC0415 - only real runs need the Automation API

        for service in planned:
            handle.set_config(service.config_path, ConfigValue(value=f"{{repository}}:{tag}"), path=True)
        code = self.deployer.up(stack, yes=yes)
        if code != 0:
            self._rollback_advice(stack, planned)
            return self._summary(code)
        return self._summary(self._after_rollout(stack, config, planned))

    # -- steps ----------------------------------------------------------------------------------

    def _registry(self, config: StackConfig) -> str:
        account = self.deployer.aws_clients("sts", config.region).get_caller_identity()["Account"]
        return f"{account}.dkr.ecr.{config.region}.amazonaws.com"

    def _login(self, config: StackConfig, registry: str) -> None:
        token = self.deployer.aws_clients("ecr", config.region).get_authorization_token()
        user, password = base64.b64decode(token["authorizationData"][0]["authorizationToken"]).decode().split(":", 1)
        if self.run(
            ["docker", "login", "--username", user, "--password-stdin", registry], self.deployer.root, password
        ):
            raise ReleaseError(f"docker login to {registry} failed")

    def _image(
        self,
        stack: str,
        config: StackConfig,
        registry: str,
        service: ServiceRelease,
        tag: str,
        *,
        build: bool,
        promote_from: str | None,
        source_account: str | None = None,
    ) -> None:
        image = f"{registry}/{service.resource_name}:{tag}"
        if self._tag_exists(config, service, tag):
            self.results[service.name]["image"] = "already pushed"
            return
        if build:
            context = service.release.context
            if context is None:
                raise ReleaseError(f"{service.config_path.removesuffix('.image')}.release.context: set it to build")
            steps = [
                ["docker", "build", "--platform", service.platform, "--file",
                 f"{context}/{service.release.dockerfile}", "--tag", image, context],
                ["docker", "push", image],
            ]  # fmt: skip
            self.results[service.name]["image"] = "built and pushed"
        elif promote_from:
            source = self.deployer.stack_config(promote_from)
            account = source_account or source.account_id
            if account is None:
                raise ReleaseError(
                    f"--promote-from {promote_from}: pass --source-account, or set its webstack:account_id"
                )
            origin = f"{account}.dkr.ecr.{source.region}.amazonaws.com/{source.name_prefix}-{service.name}:{tag}"
            steps = [["docker", "pull", origin], ["docker", "tag", origin, image], ["docker", "push", image]]
            self.results[service.name]["image"] = f"promoted from {promote_from}"
        else:
            raise ReleaseError(
                f"{service.resource_name}:{tag} is not in the repository: push it first, pass --build, or "
                f"--promote-from the stack that has it"
            )
        for argv in steps:
            if self.run(argv, self.deployer.root, None) != 0:
                raise ReleaseError(f"`{' '.join(argv[:2])}` failed for {service.name} ({stack}): nothing was deployed")

    def _scans_pass(self, config: StackConfig, planned: Sequence[ServiceRelease], registry: str, tag: str) -> bool:
        """Every image's scan, judged against webstack:image_scanning; each verdict printed."""
        settings = config.image_scanning
        ecr = self.deployer.aws_clients("ecr", config.region)
        today = self.today()
        passed = True
        for service in planned:
            scan = read_scan(ecr, service.resource_name, tag, wait_seconds=settings.wait_minutes * 60, sleep=self.sleep)
            verdict = judge(service.name, f"{registry}/{service.resource_name}:{tag}", scan, settings, today)
            self.verdicts.append(verdict)
            self.results[service.name]["scan"] = verdict.short()
            for line in report(verdict, settings, today):
                self.console.print(line, markup=False, highlight=False)
            passed = passed and verdict.passed
        return passed

    def _tag_exists(self, config: StackConfig, service: ServiceRelease, tag: str) -> bool:
        ecr = self.deployer.aws_clients("ecr", config.region)
        try:
            found = ecr.describe_images(repositoryName=service.resource_name, imageIds=[{"imageTag": tag}])
        except Exception as error:  # noqa: BLE001 - ImageNotFoundException, or no repository yet
            if "ImageNotFound" in type(error).__name__ or "ImageNotFound" in str(error):
                return False
            raise ReleaseError(
                f"ECR repository {service.resource_name}: {error} (run `webstack up` once first)"
            ) from None
        return bool(found.get("imageDetails"))

    def _cluster(self, stack: str) -> str:
        """The services' cluster, from the stack's outputs (a release ships to a deployed stack)."""
        if self.cluster is None:
            name = self.deployer.stack_outputs(stack).get("apiClusterName")
            if not name:
                raise ReleaseError(f"stack {stack} has no services deployed yet: run `webstack up {stack}` once first")
            self.cluster = str(name)
        return self.cluster

    def _migrate(self, stack: str, config: StackConfig, registry: str, service: ServiceRelease, tag: str) -> bool:
        """The migration as a one-off task of the new image: a revision of the service's task
        definition with only the image changed, in the service's own subnets and security group."""
        ecs = self.deployer.aws_clients("ecs", config.region)
        cluster = self._cluster(stack)
        described = ecs.describe_services(cluster=cluster, services=[service.resource_name])["services"]
        if not described:
            raise ReleaseError(f"{service.resource_name} is not running yet: deploy it once with `webstack up`")
        running = described[0]
        definition = ecs.describe_task_definition(taskDefinition=running["taskDefinition"])["taskDefinition"]
        fields = {k: definition[k] for k in REGISTERED_FIELDS if k in definition}
        fields["containerDefinitions"] = [
            {**c, "image": f"{registry}/{service.resource_name}:{tag}"} if c["name"] == CONTAINER_NAME else c
            for c in definition["containerDefinitions"]
        ]
        registered = ecs.register_task_definition(**fields)["taskDefinition"]["taskDefinitionArn"]
        network = running["networkConfiguration"]["awsvpcConfiguration"]
        command = list(service.release.migration_command)
        self.console.print(f"{service.name}: running the migration {' '.join(command)} from {tag} ...")
        try:
            run_task_to_completion(
                TaskNetwork(cluster, list(network["subnets"]), network["securityGroups"][0]),
                config.region,
                registered,
                self.deployer.aws_clients,
                started_by="webstack-release",
                container=CONTAINER_NAME,
                command=command,
            )
        except TaskFailed as error:
            self.console.print(f"{service.name}: {error}", markup=False)
            self.results[service.name]["migration"] = "failed"
            return False
        self.results[service.name]["migration"] = "done"
        return True

    def _after_rollout(self, stack: str, config: StackConfig, planned: Sequence[ServiceRelease]) -> int:
        code = 0
        # `up` waited for every service to settle; read how each rollout ended.
        ecs = self.deployer.aws_clients("ecs", config.region)
        cluster = self._cluster(stack)
        for service in planned:
            described = ecs.describe_services(cluster=cluster, services=[service.resource_name])["services"]
            state = str(primary_deployment(described[0] if described else {}).get("rolloutState", "unknown"))
            self.results[service.name]["rollout"] = state
            if state != "COMPLETED":
                code = 1
            host = service.host
            if host == API_HOST_OUTPUT:
                host = self.deployer.stack_outputs(stack).get(API_HOST_OUTPUT)
            if service.release.smoke_check_path and host:
                healthy = self._smoke(f"https://{host}{service.release.smoke_check_path}")
                self.results[service.name]["smoke"] = "passed" if healthy else "failed"
                code = code or (0 if healthy else 1)
        if code:
            self._rollback_advice(stack, planned)
        return code

    def _smoke(self, url: str) -> bool:
        status = 0
        for attempt in range(SMOKE_ATTEMPTS):
            status = self.fetch(url)
            if 200 <= status < 400:
                self.console.print(f"smoke check {url}: {status}")
                return True
            if attempt + 1 < SMOKE_ATTEMPTS:
                self.sleep(SMOKE_DELAY_SECONDS)
        self.console.print(f"smoke check {url}: no 2xx/3xx answer in {SMOKE_ATTEMPTS} tries (last: {status or 'none'})")
        return False

    def _rollback_advice(self, stack: str, planned: Sequence[ServiceRelease]) -> None:
        for service in planned:
            if service.previous_tag:
                self.console.print(
                    f"Roll {service.name} back: webstack release {stack} --service {service.name} "
                    f"--tag {service.previous_tag} --yes",
                    markup=False,
                    highlight=False,
                )

    def _summary(self, code: int) -> int:
        table = Table("service", *COLUMNS)
        for name, result in self.results.items():
            table.add_row(name, *(result.get(k, "-") for k in COLUMNS))
        self.console.print(table)
        return code
