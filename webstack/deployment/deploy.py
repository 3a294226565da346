"""Real deployments through the Pulumi Automation API: preview, up, refresh, destroy, outputs.

The Automation API drives the `pulumi` CLI, so this module is a thin seam: `Deployer` receives a
function that opens a stack (``open_stack`` in real use, a fake in the tests) and checks what a
user can get wrong before any engine call, each with one line that says how to fix it.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi.automation.errors import CommandError
from rich.console import Console

from webstack.deployment.after_up import (
    ClientFactory,
    UsersTaskFailed,
    boto3_client,
    changed_buckets,
    invalidate,
    run_users_task,
    wait_for_service,
)
from webstack.deployment.dns_wait import ValidationWatch
from webstack.deployment.one_off import network_of
from webstack.offline.plan import build_plan
from webstack.policy_driver.engine import Violation
from webstack.policy_driver.offline_verdicts import engine_verdicts, report, settle
from webstack.policy_driver.pack import POLICY_DIR, default_policy_config
from webstack.program.config import StackConfig
from webstack.program.config_account import AccountConfig
from webstack.program.project import PROJECT_ROOT, available_stacks, stack_file
from webstack.program.stack_settings import parse_any_config, parse_stack_config, read_config_file
from webstack.terminal import error_line, styled

CLI_INSTALL = "install the Pulumi CLI: curl -fsSL https://get.pulumi.com | sh (see pulumi.com/docs/install)"
CREDENTIAL_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_PROFILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
)

StackOpener = Callable[[str, Path], Any]
Confirm = Callable[[str], bool]


def destroy_guards(config: StackConfig | AccountConfig) -> list[str]:
    """What stops `destroy` of this stack, and how to lift it (nothing for a disposable stack)."""
    if isinstance(config, AccountConfig):
        return account_destroy_guards(config)
    guards = []
    if config.database is not None and config.database.deletion_protection:
        guards.append(
            "the database is protected (Pulumi `protect` and RDS deletion protection); destroy stops at it. To "
            "really delete it, set webstack:database.deletion_protection to false, run `webstack up`, then "
            "`pulumi state unprotect` the database, and destroy again."
        )
    has_services = config.api is not None or bool(config.services)
    candidates = [
        ("the load balancer", "webstack:load_balancer", has_services and config.load_balancer.deletion_protection),
        ("the DynamoDB table", "webstack:table", config.table is not None and config.table.deletion_protection),
        (
            "the Cognito user pool (and every account in it)",
            "webstack:users",
            config.users is not None and config.users.deletion_protection,
        ),
    ]
    protected = [(what, f"{section}.deletion_protection") for what, section, on in candidates if on]
    if protected:
        guards.append(
            f"{', '.join(what for what, _ in protected)} {'has' if len(protected) == 1 else 'have'} deletion "
            f"protection; destroy stops at {'it' if len(protected) == 1 else 'them'}. Set "
            f"{' and '.join(key for _, key in protected)} to false and run `webstack up` first."
        )
    if config.keep_data_on_destroy:
        guards.append(
            "buckets and image repositories that hold objects stop destroy, and secrets wait 7 days before "
            "they are deleted (their names stay taken); set webstack:keep_data_on_destroy: false and run "
            "`webstack up` first to delete them with their data."
        )
    return guards


def account_destroy_guards(config: AccountConfig) -> list[str]:
    """An account baseline keeps its audit trail: locked log files outlive any destroy."""
    guards = []
    if config.primary_region:
        guards.append(
            f"the trail's log files are object-locked ({config.trail.object_lock_mode}, "
            f"{config.trail.object_lock_days} days): S3 refuses to delete them before then, so destroy stops at "
            "the trail bucket; the trail itself, the detectors and the recorder are deleted."
        )
    if config.keep_data_on_destroy:
        guards.append(
            "the Config and access-log buckets stop destroy while they hold objects; set "
            "webstack:keep_data_on_destroy: false and run `webstack up` first to delete them with their data."
        )
    return guards


# The offline plan runs the program in this process under Pulumi's global runtime settings: one
# at a time, even when `--all` previews several stacks at once.
_OFFLINE = threading.Lock()


def judge_offline(stack: str, root: Path) -> list[Violation]:
    """The policy pack's verdicts on the offline plan of the stack (every value known)."""
    with _OFFLINE:
        return build_plan(stack, root=root).violations


def ask(question: str) -> bool:
    """Interactive confirmation; never true without a terminal (CI passes --yes)."""
    if not os.isatty(0):
        return False
    from rich.prompt import Confirm as Prompt  # noqa: PLC0415

    return Prompt.ask(question, default=False)


def open_stack(stack: str, work_dir: Path) -> Any:
    """The real thing: a LocalWorkspace on the repository, the stack created or selected."""
    from pulumi import automation  # noqa: PLC0415 - only real runs need the Automation API

    return automation.create_or_select_stack(stack_name=stack, work_dir=str(work_dir))


class DeployError(Exception):
    """A deployment that cannot start as asked (no such stack, no CLI, no credentials, a
    missing confirmation): printed without a traceback, exit code 2."""


def has_aws_credentials(env: Mapping[str, str], home: Path) -> bool:
    """Credentials the provider would find: variables, shared files, or an SSO/profile config."""
    if any(env.get(name) for name in CREDENTIAL_VARIABLES):
        return True
    aws_dir = Path(env.get("AWS_CONFIG_FILE", home / ".aws" / "config")).parent
    return (aws_dir / "credentials").is_file() or (aws_dir / "config").is_file()


@dataclass
class Deployer:
    console: Console
    root: Path = PROJECT_ROOT
    opener: StackOpener = open_stack
    which: Callable[[str], str | None] = shutil.which
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    home: Path = field(default_factory=Path.home)
    confirm: Confirm = ask
    # Progress callback: (resources done, resources expected) while `up` runs.
    progress: Callable[[int, int], None] | None = None
    aws_clients: ClientFactory = boto3_client
    # What the pack says of the offline plan (every value known): settles what a preview cannot.
    offline_judge: Callable[[str, Path], list[Violation]] = judge_offline

    # -- checks -------------------------------------------------------------------------------

    def preflight(self, stack: str) -> None:
        if not stack_file(self.root, stack).is_file():
            stacks = ", ".join(available_stacks(self.root)) or "none"
            raise DeployError(f"no stack {stack!r}: Pulumi.{stack}.yaml does not exist (stacks here: {stacks})")
        self.check_tools()
        self.check_account(stack)

    def check_tools(self) -> None:
        """What every stack needs: the Pulumi CLI and AWS credentials (checked once for --all)."""
        if self.which("pulumi") is None:
            raise DeployError(f"the Pulumi CLI is not on PATH: {CLI_INSTALL}")
        if not has_aws_credentials(self.env, self.home):
            raise DeployError(
                "no AWS credentials: set AWS_PROFILE (aws sso login), AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
                "or use the OIDC role in CI (aws-actions/configure-aws-credentials)"
            )

    def stack_config(self, stack: str) -> StackConfig:
        """A workload stack's config (an account baseline's file is a ConfigError here)."""
        raw, secret_keys = read_config_file(stack_file(self.root, stack))
        return parse_stack_config(raw, stack, f"Pulumi.{stack}.yaml", secret_keys)

    def any_config(self, stack: str) -> StackConfig | AccountConfig:
        """The config of a stack of either kind: what preview, up, refresh and destroy need."""
        raw, _ = read_config_file(stack_file(self.root, stack))
        return parse_any_config(raw, stack, f"Pulumi.{stack}.yaml")

    def check_account(self, stack: str) -> None:
        """With webstack:account_id set, the credentials must belong to that account."""
        config = self.any_config(stack)
        if config.account_id is None:
            return
        try:
            identity = self.aws_clients("sts", config.region).get_caller_identity()
        except Exception as error:  # noqa: BLE001 - botocore's many credential errors, one line
            raise DeployError(f"AWS rejected the credentials ({type(error).__name__}: {error}); log in again") from None
        if identity["Account"] != config.account_id:
            raise DeployError(
                f"the credentials are for account {identity['Account']} but Pulumi.{stack}.yaml deploys to "
                f"{config.account_id} (webstack:account_id): switch AWS_PROFILE or assume the {stack} role"
            )

    def policy_arguments(self, stack: str) -> dict[str, list[str]]:
        """Every preview and up runs the pack with the stack's config (prod.json if it has none)."""
        environment = self.any_config(stack).environment
        return {
            "policy_packs": [str(POLICY_DIR)],
            "policy_pack_configs": [str(default_policy_config(stack, environment))],
        }

    def _open(self, stack: str) -> Any:
        self.preflight(stack)
        return self.opener(stack, self.root)

    def _stream(self, line: str) -> None:
        self.console.print(line.rstrip("\n"), highlight=False, markup=False)

    # -- commands -------------------------------------------------------------------------------

    def preview(
        self, stack: str, *, json_out: Path | None = None, target: list[str] | None = None, refresh: bool = False
    ) -> int:
        handle = self._open(stack)
        started = time.monotonic()
        events: list[Any] = []
        kwargs: dict[str, Any] = {
            **self.policy_arguments(stack),
            "target": target or None,
            "refresh": refresh or None,
            "on_event": events.append,
        }
        if json_out is not None:
            result = handle.preview(json=True, **kwargs)
            json_out.parent.mkdir(parents=True, exist_ok=True)
            json_out.write_text(result.stdout)
            self.console.print(f"Preview JSON written to {json_out}")
        else:
            result = handle.preview(on_output=self._stream, color="always", **kwargs)
        self._summary("preview", result.change_summary, started)
        offline = self.offline_judge(stack, self.root)
        return report(settle(engine_verdicts(events), offline), offline, self.console)

    def up(
        self, stack: str, *, yes: bool, target: list[str] | None = None, refresh: bool = False, expected: int = 0
    ) -> int:
        handle = self._open(stack)
        if not yes:
            handle.preview(
                on_output=self._stream, color="always", target=target or None, **self.policy_arguments(stack)
            )
            if not self.confirm(f"Deploy these changes to {stack}?"):
                self.console.print("Nothing deployed (pass --yes to deploy without asking).")
                return 1
        started = time.monotonic()
        done = 0
        events: list[Any] = []
        # With the domain's DNS elsewhere: ACM's records as soon as each certificate exists.
        watch = ValidationWatch.of(stack, self.stack_config(stack), self.console)

        def on_event(event: Any) -> None:
            nonlocal done
            events.append(event)
            if watch is not None:
                watch.see(event)
            if getattr(event, "res_outputs_event", None) is not None:
                done += 1
                if self.progress is not None:
                    self.progress(done, expected)

        try:
            result = handle.up(
                on_output=self._stream,
                on_event=on_event,
                color="always",
                target=target or None,
                refresh=refresh or None,
                **self.policy_arguments(stack),
            )
        except CommandError as error:
            if watch is not None:
                watch.explain(error)
            raise
        self._summary("up", result.summary.resource_changes or {}, started)
        self._print_outputs(result.outputs, show_secrets=False)
        if watch is not None:
            watch.summary(self._output_values(result.outputs, show_secrets=False))
        return self._after_up(result.outputs, changed_buckets(events))

    def _after_up(self, outputs: Mapping[str, Any], buckets: set[str]) -> int:
        """CloudFront invalidations, the database users the services log in as, then the rollout."""
        values = self._output_values(outputs, show_secrets=True)
        invalidate(buckets, values.get("siteDistributions") or {}, self.aws_clients, self.console)
        cluster, service, region = values.get("apiClusterName"), values.get("apiServiceName"), values.get("region")
        users_task = values.get("databaseUsersTaskDefinition")
        if cluster and region and users_task:
            try:
                run_users_task(network_of(values), str(region), str(users_task), self.aws_clients, self.console)
            except UsersTaskFailed as error:
                self.console.print(error_line(error))
                return 1
        # Every service of the stack (the `services` output), or the API's alone for a stack
        # deployed before that output existed.
        names = [str(entry["serviceName"]) for entry in (values.get("services") or {}).values()] or [service]
        for name in names if cluster and region else ():
            if name:
                wait_for_service(str(cluster), name, str(region), self.aws_clients, self.console)
        return 0

    def refresh(self, stack: str, *, yes: bool) -> int:
        if not yes:
            raise DeployError("`refresh` rewrites the stack's state from AWS: pass --yes to go ahead")
        handle = self._open(stack)
        started = time.monotonic()
        result = handle.refresh(on_output=self._stream, color="always")
        self._summary("refresh", result.summary.resource_changes or {}, started)
        return 0

    def destroy(self, stack: str, *, confirm: str | None) -> int:
        if confirm != stack:
            guard = f"--confirm {stack}"
            raise DeployError(f"destroy deletes every resource of {stack!r}: pass {guard} to go ahead")
        for line in destroy_guards(self.any_config(stack)):
            self.console.print(f"{stack}: {line}", highlight=False)
        handle = self._open(stack)
        started = time.monotonic()
        result = handle.destroy(on_output=self._stream, color="always")
        self._summary("destroy", result.summary.resource_changes or {}, started)
        return 0

    def outputs(self, stack: str, *, as_json: bool, show_secrets: bool) -> int:
        handle = self._open(stack)
        outputs = handle.outputs()
        if as_json:
            self.console.print_json(json.dumps(self._output_values(outputs, show_secrets)))
        else:
            self._print_outputs(outputs, show_secrets)
        return 0

    def stack_outputs(self, stack: str) -> dict[str, Any]:
        """The stack's outputs in clear (after the same checks as every command): for the commands
        that act on what a deploy created (`run`, `tunnel`)."""
        return self._output_values(self._open(stack).outputs(), show_secrets=True)

    # -- reporting ------------------------------------------------------------------------------

    @staticmethod
    def _output_values(outputs: Mapping[str, Any], show_secrets: bool) -> dict[str, Any]:
        return {
            name: "[secret]" if getattr(value, "secret", False) and not show_secrets else getattr(value, "value", value)
            for name, value in outputs.items()
        }

    def _print_outputs(self, outputs: Mapping[str, Any], show_secrets: bool) -> None:
        values = self._output_values(outputs, show_secrets)
        if not values:
            return
        self.console.print("Outputs:")
        for name, value in sorted(values.items()):
            shown = value if isinstance(value, str) else json.dumps(value)
            self.console.print(f"  {name}: {shown}", highlight=False, markup=False)

    def _summary(self, action: str, changes: Mapping[str, int], started: float) -> None:
        counts = ", ".join(f"{count} {op}" for op, count in sorted(changes.items()) if count) or "no changes"
        self.console.print(styled((action, "bold"), f" finished in {time.monotonic() - started:.0f} s: {counts}"))
