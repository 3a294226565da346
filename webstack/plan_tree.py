"""The resource tree of a plan, grouped by component, for the terminal."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.tree import Tree


def _short_type(resource_type: str) -> str:
    """aws:ec2/subnet:Subnet -> ec2.Subnet; webstack:data:ManagedPostgres -> ManagedPostgres."""
    package, module, name = ([*resource_type.split(":"), "", ""])[:3]
    if package == "webstack":
        return name
    if package == "pulumi" and module == "providers":
        return f"provider {name}"
    group = module.split("/")[0]
    return f"{package if group in ('', 'index') else group}.{name}"


def plan_tree(plan: dict[str, Any], title: str) -> Tree:
    states = [step["newState"] for step in plan["steps"]]
    children: dict[str, list[dict[str, Any]]] = {}
    for state in states:
        children.setdefault(state.get("parent", ""), []).append(state)

    def count_below(urn: str) -> int:
        return sum(1 + count_below(s["urn"]) for s in children.get(urn, []))

    def add(node: Tree, urn: str) -> None:
        below = children.get(urn, [])
        components = [s for s in below if not s["custom"]]
        for component in components:
            name = component["urn"].rsplit("::", 1)[-1]
            branch = node.add(
                f"[bold cyan]{_short_type(component['type'])}[/] {name} "
                f"[dim]({count_below(component['urn'])} resources)[/]"
            )
            add(branch, component["urn"])
        counts = Counter(_short_type(s["type"]) for s in below if s["custom"])
        for short, count in sorted(counts.items()):
            node.add(f"{short} [dim]x{count}[/]" if count > 1 else short)

    roots = children.get("", [])
    tree = Tree(f"[bold]{title}[/] [dim]({len(states)} resources)[/]")
    for root in roots:
        add(tree, root["urn"])
    return tree
