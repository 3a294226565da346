"""Config problems: one message naming every bad key of Pulumi.<stack>.yaml and what it allows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from webstack.program.config import CACHE_ENGINE_VERSIONS, MOVED_TO_LOAD_BALANCER
from webstack.program.config_observe import SECRET_CONFIG_KEYS

# Values worth listing where a key's type alone does not say them (a plain string, say).
ALLOWED_VALUES = {
    "webstack:cache.engine_version": "; ".join(
        f"{', '.join(versions)} for {engine}" for engine, versions in CACHE_ENGINE_VERSIONS.items()
    ),
}


def _quote_hint(got: Any) -> str:
    """YAML reads an unquoted 8.0 or 15 as a number; the key wants the text."""
    if isinstance(got, (int, float)) and not isinstance(got, bool):
        return f'; YAML reads the unquoted {got!r} as a number: write it in quotes ("{got}")'
    return ""


@dataclass(frozen=True, order=True)
class Problem:
    key: str  # as written in Pulumi.<stack>.yaml, e.g. webstack:database.instance_class
    message: str


class ConfigError(Exception):
    """The stack config is invalid. ``str()`` is the whole report, ready for a user."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = tuple(sorted(set(problems)))
        count = len(self.problems)
        lines = [f"{source}: {count} config problem{'s' if count != 1 else ''}"]
        lines += [f"  - {p.key}: {p.message}" for p in self.problems]
        super().__init__("\n".join(lines))


def config_key(loc: Sequence[str | int]) -> str:
    """('database', 'instance_class') -> 'webstack:database.instance_class'; region -> aws:region."""
    if not loc:
        return "webstack"
    head, *rest = loc
    key = "aws:region" if head == "region" else f"webstack:{head}"
    for part in rest:
        key += f"[{part}]" if isinstance(part, int) else f".{part}"
    return key


def _model_at(model: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class that holds the field at ``loc`` (for listing its allowed keys); list
    indexes and the keys of a mapping of sections (functions.<name>) are stepped over."""
    current: Any = model
    key_next = False
    for part in loc:
        if isinstance(part, int) or key_next:
            key_next = False
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return None
        annotation = field.annotation
        key_next = getattr(annotation, "__origin__", None) is dict
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        current = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if current is None:
            return None
    return current


def _allowed_keys(root: type[BaseModel], parent_loc: Sequence[str | int]) -> str:
    model = _model_at(root, parent_loc)
    if model is None:
        return ""
    names = [config_key([*parent_loc, n]) if parent_loc else config_key([n]) for n in model.model_fields]
    if not parent_loc:
        names = [n for n in names if n != "webstack:region"]
    short = [n.rsplit(".", 1)[-1] if parent_loc else n for n in names]
    return "; allowed keys: " + ", ".join(short)


def _allowed_text(root: type[BaseModel], loc: Sequence[str | int]) -> str | None:
    """The `allowed` words a key declares (config_fields), for the value at ``loc`` or its list item."""
    path = list(loc)
    while path and isinstance(path[-1], int):
        path.pop()
    model = _model_at(root, path[:-1]) if path else None
    field = model.model_fields.get(str(path[-1])) if model is not None else None
    extra = field.json_schema_extra if field is not None else None
    allowed = extra.get("allowed") if isinstance(extra, dict) else None
    return allowed if isinstance(allowed, str) else None


def _describe(error: ErrorDetails, root: type[BaseModel]) -> Problem:
    loc = [p for p in error["loc"] if p not in ("function-after",)]
    kind = error["type"]
    if config_key(loc) in SECRET_CONFIG_KEYS:
        # Never repeat a secret's value, not even a wrong one (it may be the right key mistyped).
        message = error["msg"].removeprefix("Value error, ") if kind == "value_error" else "must be text"
        return Problem(config_key(loc), message)
    got = error.get("input")
    if kind == "extra_forbidden":
        moved = MOVED_TO_LOAD_BALANCER.get(str(loc[-1])) if loc and loc[0] in ("api", "services") else None
        if moved is not None:
            return Problem(
                config_key(loc),
                f"the ALB is shared by every service: set webstack:load_balancer.{moved} instead",
            )
        return Problem(config_key(loc), "unknown key" + _allowed_keys(root, loc[:-1]))
    if kind == "missing":
        return Problem(config_key(loc), "required, but not set")
    if kind in ("literal_error", "enum"):
        expected = str(error.get("ctx", {}).get("expected", ""))
        wants_text = expected.startswith("'")  # pydantic quotes text choices: "'14', '15' or '16'"
        hint = _quote_hint(got) if wants_text else ""
        return Problem(config_key(loc), f"must be one of: {expected} (got {got!r}){hint}")
    if kind == "string_type" and _quote_hint(got):
        allowed = ALLOWED_VALUES.get(config_key(loc))
        listed = f"; allowed: {allowed}" if allowed else ""
        return Problem(config_key(loc), f"must be text (got the number {got!r}){_quote_hint(got)}{listed}")
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if kind == "string_pattern_mismatch":
        message = f"does not match the pattern {error.get('ctx', {}).get('pattern')}"
        allowed = _allowed_text(root, loc)
        if allowed:
            message = f"allowed: {allowed}; {message}"
    if not isinstance(got, (dict, list)):
        message += f" (got {got!r})"
    return Problem(config_key(loc), message)


def problems_from_validation(error: ValidationError, root: type[BaseModel]) -> list[Problem]:
    return [_describe(e, root) for e in error.errors()]


def collision_problems(named: Iterable[tuple[str, str]], injected: Sequence[str]) -> list[Problem]:
    """(key, variable) pairs naming a variable webstack sets itself: it would be overwritten (or
    overwrite webstack's) without a word, so it is refused."""
    return [
        Problem(where, f"{variable} is set by webstack (it sets {', '.join(injected)}): choose another name")
        for where, variable in named
        if variable in injected
    ]


def raise_if_any(source: str, problems: Iterable[Problem]) -> None:
    found = list(problems)
    if found:
        raise ConfigError(source, found)
