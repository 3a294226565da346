"""CostBudget: a monthly cost budget of the account that mails when it is, or will be, exceeded."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

# Budget names: 1-100 characters, no ':' or '\' (CreateBudget BudgetName).
_BUDGET_NAME = re.compile(r"[^:\\]{1,100}")
# AWS Budgets: at most 10 e-mail subscribers and 1 SNS topic per notification, 5 notifications a budget.
MAX_EMAILS = 10
MAX_TOPICS = 1


def budget_notifications(
    thresholds: Sequence[float], emails: Sequence[str], topic_arns: Sequence[pulumi.Input[str]]
) -> list[aws.budgets.BudgetNotificationArgsDict]:
    """Each threshold (percent of the limit) on the actual and on the forecast spend of the month."""
    return [
        {
            "comparison_operator": "GREATER_THAN",
            "threshold": threshold,
            "threshold_type": "PERCENTAGE",
            "notification_type": kind,
            "subscriber_email_addresses": list(emails),
            "subscriber_sns_topic_arns": list(topic_arns),
        }
        for threshold in thresholds
        for kind in ("ACTUAL", "FORECASTED")
    ]


@dataclass(frozen=True)
class CostBudgetArgs:
    name: str
    """The budget's name (1-100 characters, no ':' or '\\'). Example: "acme-monthly"."""
    monthly_limit_usd: float
    """The month's expected cost in USD (`webstack budget` computes it from the cost model). Example: 460."""
    emails: Sequence[str] = ()
    """Addresses AWS Budgets mails (at most 10). Example: ("finance@example.com",)."""
    sns_topic_arns: Sequence[pulumi.Input[str]] = ()
    """An SNS topic notified as well (at most 1); its policy must let budgets.amazonaws.com publish. Example:
    ["arn:aws:sns:us-east-1:123456789012:billing"].
    """
    thresholds_percent: Sequence[float] = (80, 100)
    """Percentages of the limit that notify, each on the actual and on the forecast spend (at most 5
    notifications in all). Example: (50, 80, 100) would be 6: refused.
    """


class CostBudget(pulumi.ComponentResource):
    """An AWS Budgets cost budget of the whole account for each calendar month, in USD, that
    notifies the given addresses (and topic) when the actual or the forecast spend passes each
    threshold (80 % and 100 % of the limit by default). Budgets are global: one per account.

    Example::

        CostBudget("budget", CostBudgetArgs(name="acme-monthly", monthly_limit_usd=460,
                                            emails=("finance@example.com",)))

    Cost: $0 (AWS charges only for budgets with actions beyond the first two, and for reports).
    """

    def __init__(self, name: str, args: CostBudgetArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if not _BUDGET_NAME.fullmatch(args.name):
            raise ValueError(f"AWS Budgets refuses the name {args.name!r}: 1-100 characters, no ':' or '\\'")
        if args.monthly_limit_usd <= 0:
            raise ValueError("monthly_limit_usd must be more than 0")
        if not (args.emails or args.sns_topic_arns):
            raise ValueError("a budget nobody hears of is no budget: give emails or sns_topic_arns")
        if len(args.emails) > MAX_EMAILS or len(args.sns_topic_arns) > MAX_TOPICS:
            raise ValueError(f"AWS Budgets notifies at most {MAX_EMAILS} e-mail addresses and {MAX_TOPICS} SNS topic")
        if len(args.thresholds_percent) * 2 > 5:
            raise ValueError("AWS Budgets takes at most 5 notifications: at most 2 thresholds (actual and forecast)")
        super().__init__("webstack:cost:CostBudget", name, None, opts)
        aws.budgets.Budget(
            f"{name}-budget",
            name=args.name,
            budget_type="COST",
            time_unit="MONTHLY",
            limit_amount=f"{args.monthly_limit_usd:.2f}",
            limit_unit="USD",
            notifications=budget_notifications(args.thresholds_percent, args.emails, args.sns_topic_arns),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({})
