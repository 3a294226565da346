"""Config of what watches a stack: its dashboard and WAF logs (webstack:observability), and where
alarms go beyond e-mail (webstack:alerts.slack and the PagerDuty URL, a secret)."""

from __future__ import annotations

from typing import Annotated, Literal

import regex
from pydantic import StringConstraints

from components import SlackChannel, WafLogSettings
from components.log_groups import LOG_RETENTION_DAYS
from webstack.program.config_fields import Section, from_arg, own

# What an encrypted config value stands for when the file is read without Pulumi to decrypt it
# (an offline plan): the engine's own word for a secret in `pulumi preview --json`.
SECRET_PLACEHOLDER = "[secret]"
PAGERDUTY_KEY = "webstack:alerts.pagerduty_url"
# Keys whose value never appears in a message: a config error names the key, never what it holds.
SECRET_CONFIG_KEYS = frozenset({PAGERDUTY_KEY})
# PagerDuty's Amazon CloudWatch integration (US and EU service regions): the key is the last part.
PAGERDUTY_URL = regex.compile(r"^https://events\.(eu\.)?pagerduty\.com/integration/[A-Za-z0-9]{20,64}/enqueue$")
SET_PAGERDUTY_SECRET = f"pulumi config set --secret --path {PAGERDUTY_KEY}"


def pagerduty_in_plain_text_message() -> str:
    return (
        "holds PagerDuty's integration key in plain text in the stack file: delete it there and run "
        f"`{SET_PAGERDUTY_SECRET}` (it asks for the URL and stores it encrypted)"
    )


class SlackConfig(Section):
    """A Slack channel told of every alarm through AWS Chatbot (the workspace authorised once in the
    AWS Chatbot console)."""

    workspace_id: Annotated[str, StringConstraints(pattern=r"^[0-9A-Z]{1,255}$")] = from_arg(
        SlackChannel, "workspace_id", allowed="upper-case letters and digits (Slack's team id, `T...`)"
    )
    channel_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,255}$")] = from_arg(
        SlackChannel, "channel_id", allowed="letters and digits (`C...`)"
    )


class ObservabilityConfig(Section):
    """What watches the stack beside its alarms."""

    dashboard: bool = own(
        True,
        "A CloudWatch dashboard `<name_prefix>-overview` with the metrics of every part the stack has: CloudFront "
        "and WAF, ALB, services, database, cache, functions, API and table ($3 a month; CloudWatch's first 3 "
        "dashboards of up to 50 metrics each are free).",
    )
    waf_logs: Literal["all", "blocked", "off"] = own(
        "all",
        "What the web ACLs (CloudFront's and the function API's) log to `aws-waf-logs-<web ACL name>` (encrypted, "
        "Authorization and Cookie redacted): `all` requests, only those a rule `blocked` or counted (allowed "
        "traffic is most of the volume, $0.50 per GB ingested), or `off` (FSBP WAF.11 wants logs: the policy pack "
        "refuses it where the rule is mandatory).",
    )
    waf_log_retention_days: Literal[LOG_RETENTION_DAYS] | None = own(  # type: ignore[valid-type]
        None,
        "Days the WAF log groups keep requests; `null`: webstack:log_retention_days.",
        shown_default="webstack:log_retention_days",
        allowed="CloudWatch values (1, 3, 5, 7, 14, 30, 60, 90, ... 3653), or `null`",
    )

    def waf_log_settings(self, log_retention_days: int) -> WafLogSettings | None:
        if self.waf_logs == "off":
            return None
        return WafLogSettings(retention_days=self.waf_log_retention_days or log_retention_days, keep=self.waf_logs)


def checked_pagerduty_url(value: str | None) -> str | None:
    """The URL as PagerDuty issues it, or the stand-in for a secret not decrypted (offline). The
    message never repeats the value: it holds the integration key."""
    if value is None or value == SECRET_PLACEHOLDER or PAGERDUTY_URL.match(value):
        return value
    raise ValueError(
        "is not a PagerDuty Amazon CloudWatch integration URL (https://events.pagerduty.com/integration/<key>/"
        "enqueue, or events.eu.pagerduty.com)"
    )
