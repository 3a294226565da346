"""What each args field means, read from the docstring written under it (PEP 257 "attribute
docstrings", which Sphinx, pydantic and editors read too), and its default, read from the
dataclass. The args classes are the one place a component's defaults are written."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import itertools
import textwrap
from functools import cache
from typing import Any

MISSING: Any = dataclasses.MISSING


@cache
def field_docs(cls: type) -> dict[str, str]:
    """Field name -> its docstring, for a dataclass and its dataclass bases (nearest wins)."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if not dataclasses.is_dataclass(klass):
            continue
        tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
        for statement, following in itertools.pairwise(body):
            if not (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)):
                continue
            text = (
                following.value.value
                if isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
                else None
            )
            if isinstance(text, str):
                docs[statement.target.id] = inspect.cleandoc(text)
    return docs


def field_doc(cls: type, name: str) -> str:
    """The docstring of one field; KeyError names the class when it has none."""
    try:
        return field_docs(cls)[name]
    except KeyError:
        raise KeyError(f"{cls.__name__}.{name} has no docstring") from None


def default_of(cls: type, name: str) -> Any:
    """The field's default (a default_factory is called); MISSING when the field is required."""
    for item in dataclasses.fields(cls):
        if item.name == name:
            if item.default is not dataclasses.MISSING:
                return item.default
            if item.default_factory is not dataclasses.MISSING:
                return item.default_factory()
            return MISSING
    raise KeyError(f"{cls.__name__} has no field {name}")
