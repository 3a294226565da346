"""Extract the request shapes `validate` needs from the installed botocore into aws_shapes.json.

    python -m webstack.validate.generate

Run it after upgrading boto3 (a test compares the file with what botocore gives) or after
adding an API call to mapping.py; the diff shows what AWS changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import botocore
import botocore.session

from webstack.validate.mapping import api_operations
from webstack.validate.shapes import SHAPES_FILE

_CONSTRAINTS = ("min", "max", "pattern")


def _compact(shape: Any) -> tuple[dict[str, Any], list[Any]]:
    """A botocore shape as a compact dict, and the shapes it refers to."""
    spec: dict[str, Any] = {"t": shape.type_name}
    spec.update({key: shape.metadata[key] for key in _CONSTRAINTS if key in shape.metadata})
    enum = getattr(shape, "enum", None)
    if enum:
        spec["enum"] = list(enum)
    refers: list[Any] = []
    if shape.type_name == "structure":
        spec["m"] = {name: member.name for name, member in shape.members.items()}
        if shape.required_members:
            spec["r"] = list(shape.required_members)
        refers = list(shape.members.values())
    elif shape.type_name == "list":
        spec["e"] = shape.member.name
        refers = [shape.member]
    elif shape.type_name == "map":
        spec["k"], spec["v"] = shape.key.name, shape.value.name
        refers = [shape.key, shape.value]
    return spec, refers


def extract(operations: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """The generated document for these (service, operation) pairs."""
    session = botocore.session.get_session()
    services: dict[str, Any] = {}
    for service, operation in sorted(set(operations)):
        model = session.get_service_model(service)
        entry = services.setdefault(service, {"api_version": model.api_version, "operations": {}, "shapes": {}})
        input_shape: Any = model.operation_model(operation).input_shape
        entry["operations"][operation] = input_shape.name
        waiting: list[Any] = [input_shape]
        while waiting:
            shape = waiting.pop()
            if shape.name in entry["shapes"]:
                continue
            spec, refers = _compact(shape)
            entry["shapes"][shape.name] = spec
            waiting += refers
    for entry in services.values():
        entry["operations"] = dict(sorted(entry["operations"].items()))
        entry["shapes"] = dict(sorted(entry["shapes"].items()))
    return {"botocore": botocore.__version__, "services": services}


def render(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=1, sort_keys=False) + "\n"


def main() -> None:
    SHAPES_FILE.write_text(render(extract(api_operations())))
    print(f"wrote {SHAPES_FILE}")


if __name__ == "__main__":
    main()
