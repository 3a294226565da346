"""Validation results for the terminal: one line per input AWS would refuse, and the totals."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from webstack.validate import ValidationReport
from webstack.validate.mapping import UNMAPPED
from webstack.validate.shapes import load_models
from webstack.validate.walk import short


def summary_line(report: ValidationReport) -> Text:
    """ "N resources checked against the AWS API models, M unmapped" and what was skipped."""
    unknown_types, exempt = sum(report.unmapped.values()), sum(report.exempt.values())
    findings = len(report.findings)
    line = Text(
        f"{report.checked_resources} resources checked against the AWS API models "
        f"(botocore {load_models().botocore_version}), {unknown_types + exempt} unmapped "
    )
    line.append(
        f"({unknown_types} of a type the table lacks)" if unknown_types else "(nothing to send; validate --verbose)",
        style="yellow" if unknown_types else "",
    )
    line.append(": ")
    line.append(
        f"{findings} input{'s' if findings != 1 else ''} AWS would refuse" if findings else "nothing AWS would refuse",
        style="red bold" if findings else "green",
    )
    line.append(f" ({report.tally.checked} values checked, {report.tally.unknown} secret or not known yet)")
    return line


def print_report(report: ValidationReport, console: Console, verbose: bool = False) -> None:
    for finding in report.findings:
        console.print(
            Text.assemble(
                ("  refused ", "red"),
                (finding.resource_name, "bold"),
                f" ({finding.resource_type}) ",
                (finding.path, "bold"),
                " = ",
                repr(short(finding.value)) if isinstance(finding.value, str) else short(finding.value),
            ),
            soft_wrap=True,
        )
        console.print(Text(f"          {finding.rule}"), soft_wrap=True)
        console.print(Text(f"          source: {finding.source}", style="dim"), soft_wrap=True)
    for resource_type, count in sorted(report.unmapped.items()):
        console.print(
            Text(f"  unmapped {resource_type} ({count}): no API call in webstack/validate/mapping.py", style="yellow")
        )
    if verbose:
        for resource_type, count in sorted(report.exempt.items()):
            console.print(Text(f"  not checked {resource_type} ({count}): {UNMAPPED[resource_type]}", style="dim"))
    console.print(summary_line(report))
