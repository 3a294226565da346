"""Policy results for the terminal: mandatory first, grouped by severity, each with its fix."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from rich.console import Console
from rich.text import Text

from webstack.policy_driver.engine import Violation

SEVERITY_ORDER = ("critical", "high", "medium", "low", "unspecified")


def mandatory(violations: Sequence[Violation]) -> list[Violation]:
    return [v for v in violations if v.level == "mandatory"]


def print_violations(violations: Sequence[Violation], console: Console, verbose_advisories: bool = True) -> None:
    """Mandatory first, then advisories, by severity. One rule saying the same thing of several
    resources (no WAF on each distribution, say) is printed once, with every resource under it."""
    blocking = mandatory(violations)
    advisories = [v for v in violations if v.level == "advisory"]
    for title, group, style in (("mandatory", blocking, "red"), ("advisory", advisories, "yellow")):
        if not group or (title == "advisory" and not verbose_advisories):
            continue
        console.print(Text(f"\n{len(group)} {title} violation{'s' if len(group) != 1 else ''}", style=f"bold {style}"))
        for severity in SEVERITY_ORDER:
            alike: dict[tuple[str, str], list[str]] = {}
            for violation in (v for v in group if v.severity == severity):
                alike.setdefault((violation.policy, violation.message), []).append(violation.urn)
            for (policy, message), urns in alike.items():
                description, _, detail = message.partition("\n")
                count = f" ({len(urns)} resources)" if len(urns) > 1 else ""
                console.print(Text.assemble("  ", (f"{severity:>8}", style), " ", (policy, "bold"), count))
                for urn in urns:
                    console.print(Text(f"           {urn}"), soft_wrap=True)
                console.print(Text(f"           {description}"))
                for line in detail.splitlines():
                    console.print(Text(f"           {line}"))
    console.print(
        Text.assemble(
            ("\n" + f"{len(blocking)} mandatory violation{'s' if len(blocking) != 1 else ''}", "bold"),
            f", {len(advisories)} advisor{'ies' if len(advisories) != 1 else 'y'}",
        )
    )


def undecided(violation: Violation) -> bool:
    """The engine's "can't run policy ... during preview": the rule read a value not known yet."""
    return "during preview" in violation.message


def print_preview_coverage(violations: Sequence[Violation], levels: Mapping[str, str], console: Console) -> None:
    """Which rules decide on a first preview, and which read values it cannot know yet."""
    enabled = [name for name, level in levels.items() if level != "disabled"]
    blind = Counter(v.policy for v in violations if undecided(v))
    console.print(
        Text(
            f"\nFirst-preview coverage: {len(enabled) - len(blind)} of {len(enabled)} rules decide; "
            f"{len(blind)} cannot ({sum(blind.values())} evaluations read values not known yet, decided "
            "offline by `webstack preview`):",
            style="bold",
        )
    )
    for policy, count in sorted(blind.items()):
        console.print(Text(f"  {policy}: {count} resource{'s' if count != 1 else ''}"))
