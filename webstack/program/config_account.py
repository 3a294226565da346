"""The account baseline's configuration (`webstack:kind: account`): what a stack of that kind
decides, validated before any resource exists, like a workload stack's.

Trails, detectors, Config recorders, Security Hub and budgets are once per account (and region),
not once per workload stack, so they are a stack of their own kind: the same program, project and
commands, another config model and another composition (compose_account.py).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from components import AccountTrailArgs, ConfigRecordingArgs, CostBudgetArgs, SecurityFindingsArgs, ThreatDetectionArgs
from components.config_rules import FSBP_MANAGED_RULES
from webstack.program.config import LOG_RETENTION_DAYS, StackIdentity
from webstack.program.config_fields import Section, from_arg, own
from webstack.program.config_problems import Problem

FsbpControl = Literal[tuple(FSBP_MANAGED_RULES)]  # type: ignore[valid-type]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]


class TrailConfig(Section):
    """The multi-region CloudTrail trail (AccountTrail), in the primary region only."""

    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$")] | None = own(
        None, "The trail's name.", shown_default="`<name_prefix>-trail`", allowed="3-128 letters, digits, `.`, `_`, `-`"
    )
    object_lock_mode: Literal["GOVERNANCE", "COMPLIANCE"] = from_arg(AccountTrailArgs, "object_lock_mode")
    object_lock_days: int = from_arg(AccountTrailArgs, "object_lock_days", ge=1, le=36500)
    expire_after_days: int | None = from_arg(AccountTrailArgs, "expire_after_days", ge=1)
    cloudwatch_logs: bool = from_arg(AccountTrailArgs, "cloudwatch_logs")


class GuardDutyConfig(Section):
    """GuardDuty's protection plans (ThreatDetection); the detector itself is always on."""

    s3_protection: bool = from_arg(ThreatDetectionArgs, "s3_protection")
    rds_login_events: bool = from_arg(ThreatDetectionArgs, "rds_login_events")
    ecs_fargate_runtime: bool = from_arg(ThreatDetectionArgs, "ecs_fargate_runtime")
    ebs_malware_protection: bool = from_arg(ThreatDetectionArgs, "ebs_malware_protection")
    lambda_network_logs: bool = from_arg(ThreatDetectionArgs, "lambda_network_logs")
    finding_publishing_frequency: Literal["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"] = from_arg(
        ThreatDetectionArgs, "finding_publishing_frequency"
    )


class RecordingConfig(Section):
    """AWS Config recording and its managed rules (ConfigRecording)."""

    managed_rules: tuple[FsbpControl, ...] | None = own(  # pyright: ignore[reportInvalidTypeForm]
        None,
        "FSBP controls whose AWS managed Config rule evaluates the recorded resources (the controls the policy "
        "pack enforces before deploy, `components/config_rules.py`); CloudFront's only in us-east-1, where "
        "Config records distributions. Security Hub's FSBP standard evaluates the same controls with rules of "
        "its own: `[]` saves the evaluations.",
        shown_default="every control in `components/config_rules.py`",
        allowed="FSBP control ids (`S3.5`, `RDS.3`, ...)",
    )
    delivery_frequency: Literal["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"] = from_arg(
        ConfigRecordingArgs, "delivery_frequency"
    )
    create_service_linked_role: bool = from_arg(ConfigRecordingArgs, "create_service_linked_role")
    expire_after_days: int = from_arg(ConfigRecordingArgs, "expire_after_days", ge=1)


class SecurityHubConfig(Section):
    """Security Hub with the FSBP standard, and IAM Access Analyzer (SecurityFindings)."""

    access_analyzer: bool = from_arg(SecurityFindingsArgs, "access_analyzer")


class BudgetConfig(Section):
    """The account's monthly cost budget (CostBudget), in the primary region only."""

    monthly_limit_usd: float = from_arg(
        CostBudgetArgs,
        "monthly_limit_usd",
        gt=0,
        also="`webstack budget <stack>` prints the figure the cost model gives for `stacks` and this baseline, "
        "rounded up to the next $10, and exits 1 while this differs.",
    )
    stacks: tuple[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_./-]+$")], ...] = own(
        ...,
        "The workload stacks this account runs, whose estimates make the limit: stack names (`Pulumi.<name>.yaml`) "
        "or stack files relative to the project (`examples/billing.yaml`).",
        allowed="stack names or `.yaml` paths",
        min_length=1,
    )
    emails: tuple[Email, ...] = from_arg(CostBudgetArgs, "emails", max_length=10)
    sns_topic_arns: tuple[Annotated[str, StringConstraints(pattern=r"^arn:aws:sns:[a-z0-9-]+:\d{12}:\S+$")], ...] = (
        from_arg(CostBudgetArgs, "sns_topic_arns", max_length=1, allowed="one SNS topic ARN")
    )


class AccountConfig(StackIdentity):
    """An account baseline: once per account for the primary region, once per other region used."""

    kind: Literal["account"] = own(
        ...,
        "This stack is an account baseline, not a workload stack (`stack`, the default kind when the key is absent).",
        allowed="`account`",
    )
    primary_region: bool = own(
        True,
        "The account's home region: the multi-region trail, the recording of global resources (IAM) and the "
        "budget live here. `false` for the baseline of each other region the account uses (GuardDuty, Config, "
        "Security Hub and Access Analyzer are regional).",
    )
    log_retention_days: Literal[LOG_RETENTION_DAYS] = own(  # type: ignore[valid-type]
        365,
        "Retention of the trail's CloudWatch Logs group.",
        allowed="CloudWatch values (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)",
    )
    access_log_expiration_days: int = own(
        365, "How long the access-log bucket keeps the S3 server access logs of the trail and Config buckets.", ge=1
    )
    trail: TrailConfig = own(TrailConfig(), "The multi-region trail (primary region only).")
    guardduty: GuardDutyConfig = own(GuardDutyConfig(), "GuardDuty's protection plans.")
    recording: RecordingConfig = own(RecordingConfig(), "AWS Config recording and managed rules.")
    security_hub: SecurityHubConfig = own(SecurityHubConfig(), "Security Hub (FSBP) and IAM Access Analyzer.")
    budget: BudgetConfig | None = own(
        None,
        "The monthly cost budget: required in the primary region, refused elsewhere (budgets are global).",
        shown_default="none",
    )
    keep_data_on_destroy: bool = own(
        True,
        "`true`: the trail, Config and access-log buckets stop `destroy` while they hold objects (the trail's "
        "are locked anyway); `false`: `destroy` empties the unlocked ones.",
    )

    def trail_name(self) -> str:
        return self.trail.name or f"{self.name_prefix}-trail"


def account_problems(config: AccountConfig) -> list[Problem]:
    """Checks between keys of an account baseline."""
    problems: list[Problem] = []
    if config.primary_region and config.budget is None:
        problems.append(
            Problem(
                "webstack:budget",
                "the primary region's baseline sets the account's monthly budget: give monthly_limit_usd, stacks "
                "and emails (`webstack budget` computes the limit)",
            )
        )
    if not config.primary_region and config.budget is not None:
        problems.append(Problem("webstack:budget", "budgets are global: set it in the primary region's baseline only"))
    budget = config.budget
    if budget is not None and not (budget.emails or budget.sns_topic_arns):
        problems.append(Problem("webstack:budget.emails", "name at least one address (or sns_topic_arns)"))
    expire = config.trail.expire_after_days
    if expire is not None and expire < config.trail.object_lock_days:
        problems.append(
            Problem(
                "webstack:trail.expire_after_days",
                f"must be at least trail.object_lock_days ({config.trail.object_lock_days}): S3 cannot expire a "
                "locked log file",
            )
        )
    return problems
