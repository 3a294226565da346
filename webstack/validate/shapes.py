"""AWS's own request shapes, taken from botocore's service models.

botocore ships every service's API model (types, required members, enums, lengths, ranges,
patterns). Loading the twenty models a stack touches costs about 0.4 s, so the shapes reachable
from the operations in ``mapping.py`` are extracted once into ``aws_shapes.json`` (generated,
checked in, and compared with the installed botocore by a test):

    python -m webstack.validate.generate    # rewrite aws_shapes.json from the installed botocore

A shape in the file is a small dict: ``t`` (string, integer, long, double, float, boolean,
timestamp, blob, structure, list, map, document), and where AWS sets them ``min``, ``max``,
``pattern``, ``enum``; a structure has ``m`` (member -> shape name) and ``r`` (required members),
a list ``e`` (element shape), a map ``k`` and ``v``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SHAPES_FILE = Path(__file__).with_name("aws_shapes.json")


@dataclass(frozen=True)
class Shape:
    """One request shape of one service (a view over the generated file)."""

    service: str
    name: str
    spec: Mapping[str, Any]
    models: Models

    @property
    def type(self) -> str:
        return self.spec["t"]

    def get(self, key: str) -> Any:
        return self.spec.get(key)

    def members(self) -> dict[str, str]:
        return dict(self.spec.get("m", {}))

    def member(self, name: str) -> Shape | None:
        target = self.spec.get("m", {}).get(name)
        return None if target is None else self.models.shape(self.service, target)

    def member_named(self, key: str) -> tuple[str, Shape] | None:
        """The member whose name equals ``key`` ignoring case (Pulumi's camelCase input names and
        AWS's PascalCase members name the same thing)."""
        wanted = key.lower()
        for member in self.spec.get("m", {}):
            if member.lower() == wanted:
                shape = self.member(member)
                assert shape is not None
                return member, shape
        return None

    def element(self) -> Shape:
        return self.models.shape(self.service, self.spec["e"])

    def map_key(self) -> Shape:
        return self.models.shape(self.service, self.spec["k"])

    def map_value(self) -> Shape:
        return self.models.shape(self.service, self.spec["v"])

    def at(self, path: str) -> Shape:
        """The shape at a member path such as ``Origins.Items[].Id`` ("" is this shape): ``[]``
        steps into a list's elements, ``{}`` into a map's values."""
        shape: Shape = self
        for part in [p for p in path.split(".") if p]:
            name = part.split("[", 1)[0].split("{", 1)[0]
            if name:
                found = shape.member(name)
                if found is None:
                    raise KeyError(f"{shape.service} {shape.name} has no member {name!r} (path {path!r})")
                shape = found
            for step in _STEPS.findall(part[len(name) :]):
                wanted = "list" if step == "[]" else "map"
                if shape.type != wanted:
                    raise KeyError(f"{shape.service} {shape.name} is not a {wanted} (path {path!r})")
                shape = shape.element() if step == "[]" else shape.map_value()
        return shape


_STEPS = re.compile(r"\[\]|\{\}")


class Models:
    """The extracted shapes: operation input shapes and every shape reachable from them."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.botocore_version: str = document["botocore"]
        self._services: Mapping[str, Any] = document["services"]

    def input_shape(self, service: str, operation: str) -> Shape:
        try:
            name = self._services[service]["operations"][operation]
        except KeyError:
            raise KeyError(
                f"{service} {operation} is not in {SHAPES_FILE.name}: run python -m webstack.validate.generate"
            ) from None
        return self.shape(service, name)

    def shape(self, service: str, name: str) -> Shape:
        return Shape(service, name, self._services[service]["shapes"][name], self)


@cache
def load_models(path: Path = SHAPES_FILE) -> Models:
    return Models(json.loads(path.read_text()))
