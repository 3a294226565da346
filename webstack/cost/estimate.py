"""A plan's monthly cost: line items per resource, totals per component, comparisons."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from webstack.cost import account, caches, observe, recovery, serverless  # noqa: F401  (register their types' pricers)
from webstack.cost.model import Context, LineItem, always_free_credits, line_items, provider_region
from webstack.cost.tables import PriceTable


@dataclass(frozen=True)
class ComponentCost:
    name: str
    known: float
    unknown_lines: int


@dataclass
class Estimate:
    label: str
    region: str
    lines: list[tuple[str, LineItem]] = field(default_factory=list)  # (component, item)

    @property
    def total(self) -> float:
        return sum(item.monthly or 0.0 for _, item in self.lines)

    @property
    def unknown(self) -> list[LineItem]:
        return [item for _, item in self.lines if item.unit_price is None]

    def components(self) -> dict[str, ComponentCost]:
        result: dict[str, ComponentCost] = {}
        for component, item in self.lines:
            current = result.get(component, ComponentCost(component, 0.0, 0))
            result[component] = ComponentCost(
                component,
                current.known + (item.monthly or 0.0),
                current.unknown_lines + (item.unit_price is None),
            )
        return result

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "region": self.region,
            "currency": "USD",
            "total_monthly": round(self.total, 2),
            "complete": not self.unknown,
            "unknown_lines": len(self.unknown),
            "components": {
                c.name: {"monthly": round(c.known, 2), "unknown_lines": c.unknown_lines}
                for c in self.components().values()
            },
            "resources": [
                {
                    "component": component,
                    "urn": item.resource,
                    "description": item.description,
                    "quantity": round(item.quantity, 4),
                    "unit": item.unit,
                    "unit_price": item.unit_price,
                    "monthly": None if item.monthly is None else round(item.monthly, 2),
                    "source": item.source,
                }
                for component, item in self.lines
            ],
        }


FREE_TIER = "AWS always-free allowances"


def component_of(urn: str, states: Mapping[str, Mapping[str, Any]]) -> str:
    """'<Type> <name>' of the outermost component holding the resource, or '(stack)'."""
    state = states.get(urn)
    outermost = None
    while state is not None and not state["type"].startswith("pulumi:pulumi:Stack"):
        if not state.get("custom"):
            outermost = state
        state = states.get(state.get("parent", ""))
    if outermost is None:
        return "(stack)"
    return f"{outermost['type'].split(':')[-1]} {outermost['urn'].rsplit('::', 1)[-1]}"


def estimate(
    plan: Mapping[str, Any],
    prices: PriceTable,
    usage: Mapping[str, Any],
    label: str,
    region: str | None = None,
) -> Estimate:
    """Price every resource; ``region`` overrides the plan's provider region (what-if)."""
    states = {s["newState"]["urn"]: s["newState"] for s in plan["steps"] if "newState" in s}
    stack_region = region or provider_region(plan)
    base = Context(stack_region, prices, usage, states)
    result = Estimate(label, stack_region)
    for urn, state in states.items():
        own_region = state.get("inputs", {}).get("region")
        ctx = replace(base, region=str(own_region)) if own_region and region is None else base
        for item in line_items(state, ctx):
            result.lines.append((component_of(urn, states), item))
    credits = always_free_credits([item for _, item in result.lines], base)
    result.lines += [(FREE_TIER, item) for item in credits]
    return result


def by_price(estimate: Estimate) -> dict[str, ComponentCost]:
    """The estimate's lines summed by price key (db class, NAT hour, log GB, ...): what the
    architecture pays for, whichever component holds it."""
    result: dict[str, ComponentCost] = {}
    for _, item in estimate.lines:
        key = item.key or item.description
        current = result.get(key, ComponentCost(key, 0.0, 0))
        result[key] = ComponentCost(
            key, current.known + (item.monthly or 0.0), current.unknown_lines + (item.unit_price is None)
        )
    return result


def ratio(base: Estimate, other: Estimate) -> float | None:
    """other / base, None when the base costs nothing."""
    return other.total / base.total if base.total else None


def differences(
    left: dict[str, ComponentCost], right: dict[str, ComponentCost]
) -> list[tuple[str, ComponentCost, ComponentCost, float]]:
    """(name, left, right, right - left) for every name of either side, the largest change first."""
    empty = ComponentCost("", 0.0, 0)
    rows = [(name, left.get(name, empty), right.get(name, empty)) for name in set(left) | set(right)]
    return sorted(((name, a, b, b.known - a.known) for name, a, b in rows), key=lambda row: (-abs(row[3]), row[0]))


def comparison_json(base: Estimate, compared: Estimate) -> dict[str, Any]:
    """Both estimates, the ratio compared / base and the difference per price key."""
    share = ratio(base, compared)
    return {
        "base": base.to_json(),
        "compared": compared.to_json(),
        "ratio": None if share is None else round(share, 4),
        "complete": not base.unknown and not compared.unknown,
        "by_price": [
            {"key": name, "base": round(a.known, 2), "compared": round(b.known, 2), "difference": round(diff, 2),
             "unknown_lines": a.unknown_lines + b.unknown_lines}
            for name, a, b, diff in differences(by_price(base), by_price(compared))
        ],
    }  # fmt: skip


def compare(left: Estimate, right: Estimate) -> list[tuple[str, float, float, float]]:
    """(component, left, right, right - left) for every component of either estimate."""
    a, b = left.components(), right.components()
    rows = []
    for name in sorted(set(a) | set(b)):
        x = a[name].known if name in a else 0.0
        y = b[name].known if name in b else 0.0
        rows.append((name, x, y, y - x))
    return rows
