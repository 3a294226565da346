"""The account budget's limit, from the cost model: the estimate of every workload stack the
account runs plus the baseline's own, rounded up to the next $10.

A stack whose estimate has lines without a price in its own region (me-south-1 lacks many) is
priced at us-east-1, whose table is complete: a region's prices are rarely below us-east-1's, so
an alert comes early rather than late.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from webstack.cost.estimate import estimate
from webstack.cost.tables import PriceTable

COMPLETE_REGION = "us-east-1"
ROUND_TO_USD = 10


@dataclass(frozen=True)
class StackFigure:
    """One stack's monthly estimate as the budget counts it."""

    label: str
    region: str  # where the stack runs
    priced_in: str  # the region whose prices made the figure
    monthly: float
    unknown_lines: int  # still without a price where it was priced


def stack_figure(plan: Mapping[str, Any], label: str, prices: PriceTable, usage: Mapping[str, Any]) -> StackFigure:
    """The stack's estimate in its own region, or at us-east-1 prices when its region's is partial."""
    own = estimate(plan, prices, usage, label)
    if not own.unknown:
        return StackFigure(label, own.region, own.region, own.total, 0)
    fallback = estimate(plan, prices, usage, label, COMPLETE_REGION)
    return StackFigure(label, own.region, COMPLETE_REGION, fallback.total, len(fallback.unknown))


def rounded_limit(total: float) -> int:
    """The budget's limit: the total rounded up to the next $10 (a total of exactly $460.00 stays)."""
    return int(math.ceil(round(total, 2) / ROUND_TO_USD) * ROUND_TO_USD)


@dataclass(frozen=True)
class BudgetCheck:
    figures: list[StackFigure]
    configured: float
    # What the workload stacks lack that the baseline needs of them (printed, not judged).
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(f.monthly for f in self.figures)

    @property
    def limit(self) -> int:
        return rounded_limit(self.total)

    @property
    def matches(self) -> bool:
        return math.isclose(self.configured, self.limit)


def check_budget(
    configured: float,
    plans: Sequence[tuple[str, Mapping[str, Any]]],
    prices: PriceTable,
    usage_of: Callable[[str], Mapping[str, Any]],
) -> BudgetCheck:
    """The figures of ``plans`` ((label, plan), the baseline's own last) against the configured limit."""
    return BudgetCheck([stack_figure(plan, label, prices, usage_of(label)) for label, plan in plans], configured)
