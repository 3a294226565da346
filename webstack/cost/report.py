"""Cost estimates for the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from webstack.cost.estimate import Estimate, compare


def money(value: float) -> str:
    return f"{'-' if value < 0 else ''}${abs(value):,.2f}"


def difference(value: float) -> str:
    return ("+" if value >= 0 else "") + money(value)


def total_line(estimate: Estimate) -> str:
    unknown = estimate.unknown
    suffix = f" + {len(unknown)} line(s) with unknown price (not in cost/prices.csv)" if unknown else ""
    return f"{estimate.label} ({estimate.region}): {money(estimate.total)} a month{suffix}"


def print_estimate(estimate: Estimate, console: Console, details: bool = False) -> None:
    table = Table(title=f"Monthly cost: {estimate.label}", title_justify="left")
    table.add_column("component")
    table.add_column("per month", justify="right")
    table.add_column("unknown", justify="right")
    for component in sorted(estimate.components().values(), key=lambda c: -c.known):
        table.add_row(component.name, money(component.known), str(component.unknown_lines or ""))
    console.print(table)
    if details:
        items = Table(title="Line items", title_justify="left")
        for column in ("component", "item", "quantity", "unit price", "per month"):
            items.add_column(column, justify="right" if column in ("quantity", "unit price", "per month") else "left")
        for component, item in estimate.lines:
            price = "unknown" if item.unit_price is None else f"{item.unit_price:g}/{item.unit}"
            monthly = "unknown" if item.monthly is None else money(item.monthly)
            items.add_row(component, Text(item.description), f"{item.quantity:,.2f}", price, monthly)
        console.print(items)
    elif estimate.unknown:
        console.print("Unknown prices:")
        for item in estimate.unknown:
            console.print(Text(f"  - {item.description} ({item.resource.rsplit('::', 1)[-1]})"))
    console.print(Text(total_line(estimate), style="bold"))


def _with_unknown(value: float, unknown_lines: int) -> str:
    """A known amount, and how many lines it leaves out (never a silent 0)."""
    return money(value) + (f" + {unknown_lines} unknown" if unknown_lines else "")


def print_comparison(left: Estimate, right: Estimate, console: Console) -> None:
    table = Table(title=f"{right.label} compared with {left.label}", title_justify="left")
    table.add_column("component")
    table.add_column(left.label, justify="right")
    table.add_column(right.label, justify="right")
    table.add_column("difference", justify="right")
    a, b = left.components(), right.components()
    for name, x, y, diff in compare(left, right):
        unknown_a = a[name].unknown_lines if name in a else 0
        unknown_b = b[name].unknown_lines if name in b else 0
        shown = difference(diff) + (" (partial)" if unknown_a or unknown_b else "")
        table.add_row(name, _with_unknown(x, unknown_a), _with_unknown(y, unknown_b), shown)
    total_diff = difference(right.total - left.total) + (" (partial)" if left.unknown or right.unknown else "")
    table.add_row(
        "total",
        _with_unknown(left.total, len(left.unknown)),
        _with_unknown(right.total, len(right.unknown)),
        total_diff,
    )
    console.print(table)
    for estimate in (left, right):
        console.print(Text(total_line(estimate)))
    if left.region != right.region:
        console.print(
            Text.assemble(
                ("warning: ", "yellow"),
                f"{left.label} is priced in {left.region} and {right.label} in {right.region}: the difference "
                "mixes regional prices (--price-region REGION prices both alike)",
            )
        )
