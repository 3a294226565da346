"""The resource tree of a plan, grouped by component, for the terminal."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.table import Table
from rich.text import Text
from rich.tree import Tree


def is_resource(state: dict[str, Any]) -> bool:
    """A cloud resource: not a component, not the stack, not a provider."""
    return bool(state.get("custom")) and not str(state.get("type", "")).startswith("pulumi:providers:")


def resource_count(plan: dict[str, Any]) -> int:
    """The resources a plan creates, as the header and the README count them."""
    return sum(1 for step in plan["steps"] if is_resource(step.get("newState") or {}))


def _short_type(resource_type: str) -> str:
    """aws:ec2/subnet:Subnet -> ec2.Subnet; webstack:data:ManagedPostgres -> ManagedPostgres."""
    package, module, name = ([*resource_type.split(":"), "", ""])[:3]
    if package == "webstack":
        return name
    if package == "pulumi" and module == "providers":
        return f"provider {name}"
    group = module.split("/")[0]
    return f"{package if group in ('', 'index') else group}.{name}"


# Components in the order a reader follows the architecture: network, data, compute, edge.
COMPONENT_ORDER = (
    "SecureVpc",
    "ManagedPostgres",
    "RedisCache",
    "FargateApi",
    "StaticSite",
    "EdgeDomain",
    "EdgeDistribution",
    "AlertTopic",
)


def _component_order(state: dict[str, Any]) -> tuple[int, str]:
    kind = _short_type(state["type"])
    rank = COMPONENT_ORDER.index(kind) if kind in COMPONENT_ORDER else len(COMPONENT_ORDER)
    return rank, state["urn"]


def hosts_table(plan: dict[str, Any]) -> Table | None:
    """Which host name is served by what (the stack output ``hosts``)."""
    hosts = plan.get("outputs", {}).get("hosts")
    if not hosts:
        return None
    table = Table(title="Hosts", title_justify="left")
    table.add_column("host")
    table.add_column("served by")
    for host, target in sorted(hosts.items(), key=lambda item: (item[0].count("."), item[0])):
        if host.endswith(".cloudfront.net"):  # no custom domain: the mocks' stand-in name
            table.add_row(Text.assemble(f"https://{host}", (" (CloudFront names it at up)", "dim")), target)
        else:
            table.add_row(f"https://{host}", target)
    return table


def plan_tree(plan: dict[str, Any], title: str) -> Tree:
    states = [step["newState"] for step in plan["steps"]]
    children: dict[str, list[dict[str, Any]]] = {}
    for state in states:
        children.setdefault(state.get("parent", ""), []).append(state)

    def count_below(urn: str) -> int:
        return sum(is_resource(s) + count_below(s["urn"]) for s in children.get(urn, []))

    def add(node: Tree, urn: str) -> None:
        below = children.get(urn, [])
        components = sorted((s for s in below if not s["custom"]), key=_component_order)
        for component in components:
            name = component["urn"].rsplit("::", 1)[-1]
            branch = node.add(
                Text.assemble(
                    (_short_type(component["type"]), "bold cyan"),
                    f" {name} ",
                    (f"({count_below(component['urn'])} resources)", "dim"),
                )
            )
            add(branch, component["urn"])
        counts = Counter(_short_type(s["type"]) for s in below if s["custom"])
        for short, count in sorted(counts.items()):
            node.add(Text.assemble(short, (f" x{count}", "dim")) if count > 1 else Text(short))

    roots = children.get("", [])
    components = sum(1 for s in states if not s.get("custom") and s.get("parent"))
    header = f"({resource_count(plan)} resources in {components} components)"
    tree = Tree(Text.assemble((title, "bold"), " ", (header, "dim")))
    for root in roots:
        add(tree, root["urn"])
    return tree
