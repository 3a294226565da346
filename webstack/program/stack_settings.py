"""From the keys of Pulumi.<stack>.yaml (read by the Pulumi CLI, or from the file for an offline
plan) to a validated StackConfig, or one ConfigError listing every problem."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Annotated, Any

import pulumi
import yaml
from pydantic import TypeAdapter, ValidationError

from webstack.policy_driver.pack import POLICY_DIR, STRICTEST_POLICY_CONFIG, default_policy_config
from webstack.program.config import AlertsConfig, StackConfig
from webstack.program.config_account import AccountConfig, account_problems
from webstack.program.config_checks import SECTION_CHECKS, cross_section_problems
from webstack.program.config_observe import PAGERDUTY_KEY, SECRET_PLACEHOLDER, pagerduty_in_plain_text_message
from webstack.program.config_problems import ConfigError, Problem, problems_from_validation, raise_if_any
from webstack.program.project import PROJECT
from webstack.pulumi_sdk import config_secret_keys, config_values

_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?")


def parse_config_value(text: str) -> Any:
    """Pulumi hands every config value to the program as a string; objects and lists are JSON,
    and YAML scalars arrive as their text ("14", "true"). A string with a leading zero stays a
    string (an account id like 012345678901 must not lose it)."""
    stripped = text.strip()
    if stripped[:1] in ("{", "[") or stripped in ("true", "false", "null") or _NUMBER.fullmatch(stripped):
        try:
            return json.loads(stripped)
        except ValueError:
            return text
    return text


ENVIRONMENT_NAME = re.compile(r"^[a-z][a-z0-9-]{0,15}$")


def model_input(raw: Mapping[str, Any], stack: str) -> dict[str, Any]:
    """``aws:region`` and ``webstack:*`` keys, with the stack name as the default environment
    when it can be one (a stack named my_copy leaves webstack:environment to the file)."""
    data: dict[str, Any] = {"environment": stack} if ENVIRONMENT_NAME.match(stack) else {}
    for key, value in raw.items():
        namespace, _, name = key.partition(":")
        if key == "aws:region":
            data["region"] = value
        elif namespace == PROJECT:
            data[name] = value
    if data.get("api") is None:
        data.pop("api", None)
    return data


INVALID: Any = object()


def _valid_sections(data: Mapping[str, Any]) -> dict[str, Any]:
    """Each top-level key validated on its own, so that checks across keys can run on every
    key that is valid even when another one is not (INVALID marks those that are not)."""
    sections: dict[str, Any] = {}
    for name, field in StackConfig.model_fields.items():
        if name not in data:
            sections[name] = field.get_default(call_default_factory=True)
            continue
        try:
            # The field's own validators ride in its metadata (`network: false` is None).
            annotation: Any = (
                Annotated[field.annotation or Any, *field.metadata] if field.metadata else field.annotation
            )
            sections[name] = TypeAdapter(annotation or Any).validate_python(data[name])
        except ValidationError:
            sections[name] = INVALID
    return sections


def secret_problems(alerts: object, secret_keys: Collection[str]) -> list[Problem]:
    """Values that may only come encrypted: the PagerDuty URL holds its integration key. A value
    under `webstack:alerts` counts as encrypted when the key is one of the stack's secret keys
    (`pulumi config set --secret --path` makes the whole object one)."""
    if not isinstance(alerts, AlertsConfig):
        return []
    problems = []
    if alerts.pagerduty_url is not None and "webstack:alerts" not in secret_keys:
        problems.append(Problem(PAGERDUTY_KEY, pagerduty_in_plain_text_message()))
    for index, endpoint in enumerate(alerts.https_endpoints):
        if "pagerduty.com" in endpoint:
            problems.append(
                Problem(
                    f"webstack:alerts.https_endpoints[{index}]",
                    "is a PagerDuty URL, whose integration key must not sit in plain config: move it to "
                    f"{PAGERDUTY_KEY} as a secret ({pagerduty_in_plain_text_message().split(': ', 1)[1]})",
                )
            )
    return problems


KIND_KEY = f"{PROJECT}:kind"
# What a stack file may be: a workload stack (the default) or an account baseline.
STACK_KINDS = ("stack", "account")


def parse_any_config(
    raw: Mapping[str, Any], stack: str, source: str, secret_keys: Collection[str] = ()
) -> StackConfig | AccountConfig:
    """A workload stack's config, or an account baseline's (``webstack:kind: account``)."""
    if raw.get(KIND_KEY) == "account":
        return parse_account_config(raw, stack, source)
    return parse_stack_config(raw, stack, source, secret_keys)


def _environment_problems(data: dict[str, Any], stack: str) -> list[Problem]:
    """The environment judges the stack: without one the stack name stands in, when it can."""
    if "environment" in data:
        return []
    data["environment"] = "unset"
    return [
        Problem(
            "webstack:environment",
            f"is not set, and the stack name {stack!r} cannot stand in for it (lowercase letters, digits "
            "and '-', at most 16): set it in the file (dev, staging or prod select "
            "policy/config/<environment>.json; any other name is judged by prod.json)",
        )
    ]


def parse_account_config(raw: Mapping[str, Any], stack: str, source: str) -> AccountConfig:
    """An account baseline's config, every problem at once (ConfigError)."""
    data = model_input(raw, stack)
    problems = _environment_problems(data, stack)
    try:
        config = AccountConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError(source, problems + problems_from_validation(error, AccountConfig)) from None
    raise_if_any(source, problems + account_problems(config))
    return config


def parse_stack_config(
    raw: Mapping[str, Any], stack: str, source: str, secret_keys: Collection[str] = ()
) -> StackConfig:
    """Validate everything at once; raise ConfigError naming each bad key. ``secret_keys`` are the
    keys whose values were encrypted in the stack file."""
    kind = raw.get(KIND_KEY, "stack")
    if kind != "stack":
        why = (
            "an account baseline has no services, sites or data; this works on workload stacks"
            if kind == "account"
            else "stack (a workload stack, the default) or account (an account baseline)"
        )
        raise ConfigError(source, [Problem(KIND_KEY, f"is {kind!r}: {why}")])
    data = model_input({k: v for k, v in raw.items() if k != KIND_KEY}, stack)
    problems = _environment_problems(data, stack)
    config: StackConfig | None = None
    try:
        config = StackConfig.model_validate(data)
    except ValidationError as error:
        problems += problems_from_validation(error, StackConfig)
    sections = _valid_sections(data)
    for name, section in sections.items():
        if section is not None and section is not INVALID and name in SECTION_CHECKS:
            problems += SECTION_CHECKS[name](section)
    problems += cross_section_problems({k: v for k, v in sections.items() if v is not INVALID})
    alerts = sections.get("alerts")
    problems += secret_problems(alerts, secret_keys)
    if isinstance(alerts, AlertsConfig) and not alerts.subscribers() and judged_as_production(stack, data):
        problems.append(
            Problem(
                "webstack:alerts",
                f"a stack judged by {STRICTEST_POLICY_CONFIG.relative_to(POLICY_DIR.parent)} must tell someone "
                "when an alarm fires: set emails, https_endpoints, slack or pagerduty_url (none are subscribed to the "
                "alert topic)",
            )
        )
    raise_if_any(source, problems)
    assert config is not None
    if config.keep_data_on_destroy is None:
        config = config.model_copy(update={"keep_data_on_destroy": judged_as_production(stack, data)})
    return config


def judged_as_production(stack: str, data: Mapping[str, Any]) -> bool:
    environment = data.get("environment")
    return default_policy_config(stack, environment if isinstance(environment, str) else None) == (
        STRICTEST_POLICY_CONFIG
    )


def config_warnings(config: StackConfig, project_dir: Path | None = None) -> list[str]:
    """What a stack may leave out, but should not (printed by `plan`, logged by the program);
    function folders are looked for in ``project_dir`` (the working directory by default)."""
    missing = [
        f"{name} ({function.code_path})"
        for name, function in config.functions.items()
        if not ((project_dir or Path.cwd()) / function.code_path).is_dir()
    ]
    warnings = (
        [
            f"webstack:functions: no code folder yet for {', '.join(missing)}; build each function there "
            "before `webstack preview` or `up` (Pulumi zips the folder)"
        ]
        if missing
        else []
    )
    if not config.alerts.subscribers():
        warnings.append(
            "webstack:alerts names no subscriber: alarms go to the alert topic and nobody hears them "
            "(set alerts.emails, https_endpoints, slack or pagerduty_url)"
        )
    return warnings


def read_config_file(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The ``config:`` map of a stack file, and the keys whose values are encrypted secrets."""
    source = path.name
    try:
        document = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as error:
        raise ConfigError(source, [Problem("(file)", f"is not valid YAML: {error}")]) from None
    if not isinstance(document, dict) or not isinstance(document.get("config", {}), dict):
        raise ConfigError(source, [Problem("config", "must be a mapping of config keys")])
    raw: dict[str, Any] = {}
    secret_keys: list[str] = []
    for key, value in (document.get("config") or {}).items():
        raw[str(key)], secret = _without_ciphertext(value)
        if secret:
            secret_keys.append(str(key))
    return raw, secret_keys


def _is_ciphertext(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"secure"}


def _without_ciphertext(value: Any) -> tuple[Any, bool]:
    """The value with each encrypted part (`{secure: ...}`, at any depth, as `pulumi config set
    --secret --path` writes it) replaced by the placeholder, and whether there was one: the
    engine then treats the whole key as a secret."""
    if _is_ciphertext(value):
        return SECRET_PLACEHOLDER, True
    if isinstance(value, dict):
        parts = {k: _without_ciphertext(v) for k, v in value.items()}
        return {k: v for k, (v, _) in parts.items()}, any(secret for _, secret in parts.values())
    if isinstance(value, list):
        items = [_without_ciphertext(v) for v in value]
        return [v for v, _ in items], any(secret for _, secret in items)
    return value, False


def as_pulumi_config(raw: Mapping[str, Any]) -> dict[str, str]:
    """The strings the Pulumi CLI would hand the program for these values."""
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in raw.items()}


def from_pulumi_runtime() -> StackConfig | AccountConfig:
    """The config of the running Pulumi program (real engine or mocks)."""
    values = config_values()
    raw = {k: parse_config_value(v) if isinstance(v, str) else v for k, v in values.items()}
    stack = pulumi.get_stack()
    config = parse_any_config(raw, stack, f"Pulumi.{stack}.yaml", config_secret_keys())
    if isinstance(config, StackConfig):
        for warning in config_warnings(config):
            pulumi.log.warn(warning)
    return config


__all__ = [
    "SECRET_PLACEHOLDER",
    "ConfigError",
    "as_pulumi_config",
    "from_pulumi_runtime",
    "parse_any_config",
    "parse_stack_config",
    "read_config_file",
]
