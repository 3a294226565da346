"""What the policy pack could not decide on a real preview, decided on the offline plan.

On a first `pulumi preview` every output is unknown, and a rule that has to read one (a bucket
policy with the bucket's ARN in it, say) can only leave an advisory "can't run policy ... during
preview". The offline plan of the same program and config knows every value: `webstack preview`
judges it with the same pack and config and reports, for each evaluation the engine left open,
the offline verdict. A mandatory violation found offline fails the command as the engine's would.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.text import Text

from webstack.policy_driver.engine import Violation
from webstack.policy_driver.report import mandatory

UNDECIDED_MARK = "during preview"


@dataclass(frozen=True)
class EngineVerdict:
    """A policy event of a real preview (pulumi.automation PolicyEvent, as far as we need it)."""

    policy: str
    urn: str
    level: str
    message: str

    @property
    def undecided(self) -> bool:
        return UNDECIDED_MARK in self.message


def engine_verdicts(events: Iterable[Any]) -> list[EngineVerdict]:
    verdicts = []
    for event in events:
        policy = getattr(event, "policy_event", None)
        if policy is not None:
            verdicts.append(
                EngineVerdict(policy.policy_name, policy.resource_urn or "", policy.enforcement_level, policy.message)
            )
    return verdicts


@dataclass(frozen=True)
class Settled:
    """One evaluation the engine could not run, and what the offline plan says of it."""

    policy: str
    urn: str
    violations: tuple[Violation, ...]


def settle(engine: Sequence[EngineVerdict], offline: Sequence[Violation]) -> list[Settled]:
    """The offline verdict of each evaluation the engine left undecided: that rule's violations on
    that resource (for a stack rule, which the engine reports without a resource, anywhere)."""
    settled = []
    for verdict in engine:
        if not verdict.undecided:
            continue
        found = tuple(
            v
            for v in offline
            if v.policy == verdict.policy
            and (not verdict.urn or v.urn == verdict.urn)
            and UNDECIDED_MARK not in v.message
        )
        settled.append(Settled(verdict.policy, verdict.urn, found))
    return settled


def report(settled: Sequence[Settled], offline: Sequence[Violation], console: Console) -> int:
    """Print the offline decisions; 1 when the offline plan holds a mandatory violation."""
    blocking = mandatory(offline)
    console.print(
        Text(
            f"decided offline: {len(settled)} evaluation{'s' if len(settled) != 1 else ''} the preview could not run "
            f"(values not known yet), judged on the offline plan of the same program and config",
            style="bold",
        )
    )
    for item in settled:
        where = item.urn.rsplit("::", 1)[-1] if item.urn else "the stack"
        if not item.violations:
            console.print(Text.assemble("  passes   ", (item.policy, "bold"), f" on {where}"))
        for violation in item.violations:
            style = "red" if violation.level == "mandatory" else "yellow"
            console.print(
                Text.assemble((f"  {violation.level:<8} ", style), (item.policy, "bold"), f" on {where}: "),
                Text(violation.message.split("\n", 1)[0]),
            )
    if blocking:
        console.print(
            Text(
                f"{len(blocking)} mandatory violation{'s' if len(blocking) != 1 else ''} in the offline plan "
                f"(webstack plan shows each with its fix)",
                style="red bold",
            )
        )
        return 1
    return 0
