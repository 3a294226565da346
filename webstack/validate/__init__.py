"""`webstack validate`: every input of a plan checked against AWS's own rules before any `up`.

Mocks accept any value; AWS does not. For each resource of a plan (ours, or a real
`pulumi preview --json`) the inputs are checked against the request shapes of the API call that
creates it (botocore's models: types, enums, lengths, ranges, patterns; ``mapping.py`` says
which call), then against the limits AWS documents but the models omit (``documented.py``), and
names the provider would make up are checked as if they were given (``autonames.py``). Values
not known yet (a real preview has many) are counted and skipped, never reported.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from webstack.validate.autonames import autoname, autoname_problem
from webstack.validate.documented import DOCUMENT_RULES, TAG_SOURCE, TEXT_RULES, VALUE_RULES, parsed_json, tag_problems
from webstack.validate.mapping import PROVIDER_INPUTS, RESOURCES, UNMAPPED
from webstack.validate.shapes import Models, load_models
from webstack.validate.walk import Finding, ResourceCheck, Tally, is_unknown, values_at

__all__ = ["Finding", "ValidationReport", "validate_plan"]


@dataclass
class ValidationReport:
    findings: list[Finding] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    checked_resources: int = 0
    # Resource types no table knows, with how many resources of each the plan holds.
    unmapped: Counter[str] = field(default_factory=Counter)
    # Types the table leaves out on purpose (UNMAPPED), with how many resources.
    exempt: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.findings


def plan_resources(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """The new state of every step that creates or updates a custom resource."""
    states = []
    for step in plan.get("steps", []):
        state = step.get("newState") or {}
        if state.get("custom") and step.get("op", "create") not in ("delete", "discard", "read"):
            states.append(state)
    return states


def validate_plan(plan: dict[str, Any], models: Models | None = None) -> ValidationReport:
    models = models or load_models()
    report = ValidationReport()
    for state in plan_resources(plan):
        resource_type, urn = state.get("type", ""), state.get("urn", "")
        inputs = dict(state.get("inputs") or {})
        if resource_type == "pulumi:providers:aws":
            _check_default_tags(urn, inputs, report)
        if resource_type in UNMAPPED:
            report.exempt[resource_type] += 1
            continue
        entry = RESOURCES.get(resource_type)
        if entry is None:
            report.unmapped[resource_type] += 1
            continue
        report.checked_resources += 1
        made_up = autoname(resource_type, inputs, urn.rsplit("::", 1)[-1], urn)
        if made_up is not None:
            field_name, name = made_up
            problem = autoname_problem(resource_type, name)
            if problem is not None:
                report.findings.append(Finding(urn, field_name, name, problem, "pulumi-aws autonaming"))
            else:
                inputs[field_name] = name
        api_inputs = {k: v for k, v in inputs.items() if k not in PROVIDER_INPUTS and not k.startswith("__")}
        for index, call in enumerate(entry.calls):
            ResourceCheck(urn, call, models, report.findings, report.tally).run(api_inputs, auto=index == 0)
        _check_documented(urn, resource_type, inputs, report)
    return report


def _check_documented(urn: str, resource_type: str, inputs: dict[str, Any], report: ValidationReport) -> None:
    for path, rule in TEXT_RULES.get(resource_type, {}).items():
        for shown, value in values_at(inputs, path):
            if isinstance(value, str) and not is_unknown(value):
                report.tally.checked += 1
                report.findings += [Finding(urn, shown, value, p, rule.source) for p in rule.problems(value)]
    for path, document_rule in DOCUMENT_RULES.get(resource_type, {}).items():
        for shown, value in values_at(inputs, path):
            if isinstance(value, str) and not is_unknown(value):
                report.tally.checked += 1
                report.findings += [
                    Finding(urn, shown, f"{len(value)} characters", p, document_rule.source)
                    for p in document_rule.problems(value)
                ]
    for path, (check, source) in VALUE_RULES.get(resource_type, {}).items():
        for shown, value in values_at(inputs, path):
            if not is_unknown(value):
                report.tally.checked += 1
                problem = check(value)
                if problem is not None:
                    report.findings.append(Finding(urn, shown, value, problem, source))
    tags = inputs.get("tags")
    if isinstance(tags, dict):
        report.tally.checked += len(tags)
        report.findings += [Finding(urn, f"tags.{k}", v, p, TAG_SOURCE) for k, v, p in tag_problems(tags)]


def _check_default_tags(urn: str, inputs: dict[str, Any], report: ValidationReport) -> None:
    """The provider's default tags reach every resource, so every service's tag rules apply."""
    document = inputs.get("defaultTags")
    parsed = parsed_json(document) if isinstance(document, str) else document
    tags = parsed.get("tags") if isinstance(parsed, dict) else None
    if isinstance(tags, dict):
        report.tally.checked += len(tags)
        report.findings += [Finding(urn, f"defaultTags.tags.{k}", v, p, TAG_SOURCE) for k, v, p in tag_problems(tags)]
