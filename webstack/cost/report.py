"""Cost estimates for the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from webstack.cost.estimate import ComponentCost, Estimate, by_price, compare, differences, ratio


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


def _difference_cell(diff: float, unknown_lines: int) -> str:
    return difference(diff) + (" (partial)" if unknown_lines else "")


Row = tuple[str, ComponentCost, ComponentCost, float]


def comparison_table(first: str, title: str, left: Estimate, right: Estimate, rows: list[Row]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(first)
    table.add_column(left.label, justify="right")
    table.add_column(right.label, justify="right")
    table.add_column("difference", justify="right")
    for name, a, b, diff in rows:
        table.add_row(
            Text(name), _with_unknown(a.known, a.unknown_lines), _with_unknown(b.known, b.unknown_lines),
            _difference_cell(diff, a.unknown_lines + b.unknown_lines),
        )  # fmt: skip
    return table


def ratio_line(base: Estimate, compared: Estimate) -> str:
    share = ratio(base, compared)
    if share is None:
        return f"{compared.label} / {base.label}: no ratio ({base.label} costs nothing)"
    partial = " (partial: lines with unknown prices are left out)" if base.unknown or compared.unknown else ""
    return f"{compared.label} / {base.label}: {share:.2f}x{partial}"


def print_comparison(left: Estimate, right: Estimate, console: Console) -> None:
    """``right`` beside ``left`` (the base): by component, by price key, both totals and the ratio."""
    a, b = left.components(), right.components()
    rows = [(name, a.get(name, ComponentCost(name, 0, 0)), b.get(name, ComponentCost(name, 0, 0)), diff)
            for name, _, _, diff in compare(left, right)]  # fmt: skip
    total = (
        "total",
        ComponentCost("", left.total, len(left.unknown)),
        ComponentCost("", right.total, len(right.unknown)),
    )
    rows.append((*total, right.total - left.total))
    console.print(comparison_table("component", f"{right.label} compared with {left.label}", left, right, rows))
    lines = [
        row
        for row in differences(by_price(left), by_price(right))
        if abs(row[3]) >= 0.005 or row[1].unknown_lines or row[2].unknown_lines
    ]
    console.print(comparison_table("price key", "Where the difference is (by price key)", left, right, lines))
    for estimate in (left, right):
        console.print(Text(total_line(estimate)))
    console.print(Text(ratio_line(left, right), style="bold"))
