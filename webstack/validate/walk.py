"""Check one resource's inputs against the request shapes of the API calls it maps to."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import regex

from webstack.validate.mapping_types import Call
from webstack.validate.shapes import Models, Shape

# How plans show values that are not known yet: ours, and the engine's sentinel in
# `pulumi preview --json`; secrets are masked in both.
UNKNOWN_VALUES = frozenset({"[unknown]", "04da6b54-80e4-46f7-96ec-b56ff0331ba9"})
SECRET_VALUE = "[secret]"


@dataclass(frozen=True)
class Finding:
    """One input AWS would reject: where it is, what it is, and which rule says no."""

    urn: str
    path: str
    value: Any
    rule: str
    source: str

    @property
    def resource_type(self) -> str:
        return self.urn.split("::")[2].split("$")[-1] if self.urn.count("::") >= 3 else ""

    @property
    def resource_name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]


@dataclass
class Tally:
    """What one check saw: values checked, not known yet (skipped), and inputs no member takes."""

    checked: int = 0
    unknown: int = 0
    unmatched: list[str] = field(default_factory=list)
    mapping_errors: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.checked += other.checked
        self.unknown += other.unknown
        self.unmatched += other.unmatched
        self.mapping_errors += other.mapping_errors


def is_unknown(value: Any) -> bool:
    return isinstance(value, str) and (value in UNKNOWN_VALUES or value == SECRET_VALUE)


def contains_unknown(value: Any) -> bool:
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return is_unknown(value)


_SURROGATE_PAIR = regex.compile(r"\\u(D[89AB][0-9A-F]{2})\\u(D[C-F][0-9A-F]{2})", regex.IGNORECASE)


def _code_point(match: regex.Match[str]) -> str:
    high, low = int(match[1], 16), int(match[2], 16)
    return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08X}"


@cache
def compiled(pattern: str) -> regex.Pattern[str]:
    """botocore's patterns are Java regular expressions: Unicode classes such as \\p{L} (which the
    `regex` module reads) and characters beyond the BMP as UTF-16 surrogate pairs (rewritten as
    code points here). Smithy patterns are not anchored implicitly."""
    return regex.compile(_SURROGATE_PAIR.sub(_code_point, pattern))


def short(value: Any, limit: int = 80) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


class ResourceCheck:
    """Walks one resource's inputs beside one API call's request shape."""

    def __init__(self, urn: str, call: Call, models: Models, findings: list[Finding], tally: Tally) -> None:
        self.urn = urn
        self.call = call
        self.source = f"botocore {models.botocore_version}: {call.service} {call.operation}"
        self.findings = findings
        self.tally = tally
        self.input_shape = models.input_shape(call.service, call.operation)
        self.root = self.input_shape.at(call.root)

    def api_shape(self, member_path: str) -> Shape:
        """A member path of the table: under ``root``, or from the request itself with a leading /."""
        if member_path.startswith("/"):
            return self.input_shape.at(member_path[1:])
        return self.root.at(member_path)

    def fail(self, path: str, value: Any, rule: str, source: str | None = None) -> None:
        self.findings.append(Finding(self.urn, path, value, rule, source or self.source))

    # -- the resource's inputs ----------------------------------------------------------------

    def run(self, inputs: dict[str, Any], auto: bool) -> None:
        if auto:
            self.structure(inputs, self.root, "", "", strict=False)
        else:
            for generic, member_path in self.call.members.items():
                if member_path is None:
                    continue
                for shown, value in values_at(inputs, generic):
                    self.mapped_value(value, member_path, shown, generic)
        for generic, member_path in self.call.documents.items():
            for shown, value in values_at(inputs, generic):
                self.document(value, member_path, shown)

    def mapped_value(self, value: Any, member_path: str, shown: str, generic: str) -> None:
        """An input the table maps explicitly: its member must exist, and the value fit it."""
        pairs = None
        if member_path.endswith("}") and "{" in member_path:
            member_path, _, pair = member_path[:-1].partition("{")
            pairs = tuple(pair.split("=", 1))
        try:
            shape = self.api_shape(member_path)
        except KeyError as error:
            self.tally.mapping_errors.append(f"{self.urn}: {generic}: {error}")
            return
        if pairs is not None and isinstance(value, dict):
            # A Pulumi map sent as a list of name/value structures (CloudWatch dimensions).
            value = [{pairs[0]: k, pairs[1]: v} for k, v in value.items()]
            self.value(value, shape, shown, generic, strict=True)
            return
        if not self.fits(value, shape):
            self.tally.mapping_errors.append(
                f"{self.urn}: {generic} is {type(value).__name__}, {member_path} is {shape.type}"
            )
            return
        self.value(value, shape, shown, generic, strict=False)

    def structure(self, value: dict[str, Any], shape: Shape | None, shown: str, generic: str, strict: bool) -> None:
        for key, item in value.items():
            item_generic = f"{generic}.{key}" if generic else key
            item_shown = f"{shown}.{key}" if shown else key
            if not self.explicit(item, item_shown, item_generic):
                self.matched(key, item, shape, item_shown, item_generic, strict=strict)
        if strict and shape is not None:
            present = {k.lower() for k in value}
            for required in shape.get("r") or ():
                if required.lower() not in present:
                    self.fail(shown or "(document)", None, f"{shape.name} requires {required}")

    def explicit(self, item: Any, shown: str, generic: str) -> bool:
        """Check an input the table names (itself, or each of its elements); False if it names none."""
        members = self.call.members
        if generic in self.call.documents:
            return True
        if generic in members:
            member_path = members[generic]
            if member_path is not None:
                self.mapped_value(item, member_path, shown, generic)
            elif self.descends(generic):
                self.walk_unmatched(item, shown, generic)
            return True
        if f"{generic}[]" in members and isinstance(item, list):
            # Each element stands for one member of a list of structures (a record's values).
            member_path = members[f"{generic}[]"]
            for index, element in enumerate(item):
                if member_path is not None:
                    self.mapped_value(element, member_path, f"{shown}[{index}]", f"{generic}[]")
            return True
        return False

    def matched(self, key: str, item: Any, shape: Shape | None, shown: str, generic: str, *, strict: bool) -> None:
        """An input matched by name to the member of the same name (ignoring case), if any."""
        found = shape.member_named(key) if shape is not None and shape.type == "structure" else None
        if found is not None and self.fits(item, found[1]):
            self.value(item, found[1], shown, generic, strict)
        elif strict:
            expected = shape.name if shape is not None else "this document"
            self.fail(shown, item, f"not a member of {expected} (the provider drops it)")
        elif self.descends(generic):
            self.walk_unmatched(item, shown, generic)
        elif not is_unknown(item):
            self.tally.unmatched.append(f"{self.urn.rsplit('::', 1)[-1]}: {generic}")

    def descends(self, generic: str) -> bool:
        """Whether the table maps something below this input (a nested input AWS flattens)."""
        prefix = generic.replace("[]", "")
        return any(
            path.replace("[]", "").startswith(f"{prefix}.") for path in (*self.call.members, *self.call.documents)
        )

    def walk_unmatched(self, value: Any, shown: str, generic: str) -> None:
        if isinstance(value, dict):
            self.structure(value, None, shown, generic, strict=False)
        elif isinstance(value, list):
            for index, element in enumerate(value):
                self.walk_unmatched(element, f"{shown}[{index}]", f"{generic}[]")

    @staticmethod
    def fits(value: Any, shape: Shape) -> bool:
        """Whether a value can stand for the shape at all (else the names only look alike)."""
        if is_unknown(value):
            return True
        kind = shape.type
        if kind == "structure":
            return isinstance(value, dict)
        if kind == "list":
            return isinstance(value, list)
        if kind == "map":
            return isinstance(value, dict)
        if kind == "boolean":
            return isinstance(value, bool)
        if kind in ("integer", "long", "double", "float"):
            # The provider types a few numbers as text and converts them (bakeTimeInMinutes).
            return (isinstance(value, int | float) and not isinstance(value, bool)) or _numeric_text(value)
        if kind == "string":
            # The provider writes numbers as text where the API wants a string (ResponseCode).
            return isinstance(value, str | int | float) and not isinstance(value, bool)
        return True

    def value(self, value: Any, shape: Shape, shown: str, generic: str, strict: bool) -> None:
        if is_unknown(value):
            self.tally.unknown += 1
            return
        kind = shape.type
        if not self.fits(value, shape):
            self.fail(shown, value, f"must be a {kind} ({shape.name})")
            return
        if kind == "structure":
            self.structure(value, shape, shown, generic, strict)
            return
        self.tally.checked += 1
        if kind == "list":
            self.length(value, shape, shown, "items")
            element = shape.element()
            for index, item in enumerate(value):
                self.value(item, element, f"{shown}[{index}]", f"{generic}[]", strict)
        elif kind == "map":
            self.length(value, shape, shown, "entries")
            for key, item in value.items():
                self.value(key, shape.map_key(), f"{shown} key {key!r}", generic, strict)
                self.value(item, shape.map_value(), f"{shown}[{key!r}]", f"{generic}{{}}", strict)
        elif kind == "string":
            self.text(value if isinstance(value, str) else f"{value:g}", shape, shown)
        elif kind in ("integer", "long", "double", "float"):
            self.number(float(value) if isinstance(value, str) else value, shape, shown)

    def length(self, value: Any, shape: Shape, shown: str, unit: str) -> None:
        low, high = shape.get("min"), shape.get("max")
        if low is not None and len(value) < low:
            self.fail(shown, value, f"needs at least {low} {unit} ({shape.name}); has {len(value)}")
        if high is not None and len(value) > high:
            self.fail(shown, value, f"takes at most {high} {unit} ({shape.name}); has {len(value)}")

    def text(self, text: str, shape: Shape, shown: str) -> None:
        enum = shape.get("enum")
        if enum and text not in enum:
            self.fail(shown, text, f"must be one of {', '.join(enum)} ({shape.name})")
            return
        self.length(text, shape, shown, "characters")
        pattern = shape.get("pattern")
        if pattern and not compiled(pattern).search(text):
            self.fail(shown, text, f"must match {pattern} ({shape.name})")

    def number(self, number: float, shape: Shape, shown: str) -> None:
        if shape.type in ("integer", "long") and float(number) != int(number):
            self.fail(shown, number, f"must be a whole number ({shape.name})")
            return
        low, high = shape.get("min"), shape.get("max")
        if (low is not None and number < low) or (high is not None and number > high):
            bounds = f"{low if low is not None else '-inf'}..{high if high is not None else 'inf'}"
            self.fail(shown, number, f"must lie in {bounds} ({shape.name})")

    def document(self, value: Any, member_path: str | None, shown: str) -> None:
        """JSON text the provider parses: it must parse, and fit its shape where one is named."""
        if is_unknown(value):
            self.tally.unknown += 1
            return
        self.tally.checked += 1
        try:
            parsed = json.loads(value) if isinstance(value, str) else value
        except ValueError as error:
            self.fail(shown, short(value), f"is not valid JSON ({error})")
            return
        if member_path is not None:
            shape = self.api_shape(member_path)
            self.value(parsed, shape, shown, member_path, strict=True)


def _numeric_text(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        float(value)
    except ValueError:
        return False
    return True


def values_at(inputs: Any, generic: str) -> Iterator[tuple[str, Any]]:
    """Every value at an input path such as ``origins[].originId``, with its shown path."""

    def walk(value: Any, parts: list[str], shown: str) -> Iterator[tuple[str, Any]]:
        if not parts:
            yield shown, value
            return
        part, rest = parts[0], parts[1:]
        name, lists = part.rstrip("[]"), part.count("[]")
        if name:
            if not isinstance(value, dict) or name not in value:
                return
            value, shown = value[name], f"{shown}.{name}" if shown else name
        yield from each(value, lists, rest, shown)

    def each(value: Any, lists: int, rest: list[str], shown: str) -> Iterator[tuple[str, Any]]:
        if lists == 0:
            yield from walk(value, rest, shown)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from each(item, lists - 1, rest, f"{shown}[{index}]")

    yield from walk(inputs, [p for p in generic.split(".") if p], "")
