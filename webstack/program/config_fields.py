"""How a config key is declared: with the component arg it sets (default and meaning come from
there, never written twice), or with its own description. What the generated reference shows
beyond pydantic's own constraints (`allowed`, a default that is computed) rides along in the
field's JSON schema extras."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from components.arg_docs import MISSING, default_of, field_doc


class Section(BaseModel):
    """One section of a stack's config: unknown keys are errors, and a validated section never changes."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _extras(allowed: str | None, shown_default: str | None) -> dict[str, Any] | None:
    extras = {"allowed": allowed, "shown_default": shown_default}
    return {k: v for k, v in extras.items() if v is not None} or None


def from_arg(
    args_class: type,
    name: str,
    *,
    also: str = "",
    allowed: str | None = None,
    shown_default: str | None = None,
    default: Any = MISSING,
    **constraints: Any,
) -> Any:
    """A config key that sets one component arg: the arg's default and docstring (without its
    Python example, None written as YAML's null), plus ``also`` for what only the config adds.
    ``default`` replaces the arg's default where the stack decides it (say how in shown_default)."""
    meaning = " ".join(re.split(r"\sExample:\s", field_doc(args_class, name))[0].split())
    meaning = re.sub(r"\bNone\b", "`null`", meaning)  # what YAML writes for Python's None
    if default is MISSING:
        default = default_of(args_class, name)
    return Field(
        default=... if default is MISSING else default,
        description=f"{meaning} {also}".strip(),
        json_schema_extra=_extras(allowed, shown_default),
        **constraints,
    )


def own(
    default: Any,
    description: str,
    *,
    allowed: str | None = None,
    shown_default: str | None = None,
    **constraints: Any,
) -> Any:
    """A config key with no component arg of the same meaning (stack-level choices)."""
    return Field(
        default=default,
        description=description,
        json_schema_extra=_extras(allowed, shown_default),
        **constraints,
    )
