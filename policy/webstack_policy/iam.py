"""IAM policy documents, read as the rules need them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .props import as_list, json_document

# Actions that have no resource-level permissions: AWS accepts only "Resource": "*" for them.
# Each is read-only or an authentication token; nothing here writes or manages permissions.
RESOURCE_STAR_ACTIONS = frozenset(
    {
        "ecr:getauthorizationtoken",
        "logs:describeloggroups",
        "sts:getcalleridentity",
        "cloudwatch:putmetricdata",
        "xray:puttracesegments",
        "xray:puttelemetryrecords",
        "ec2:describenetworkinterfaces",
        "ssmmessages:createcontrolchannel",
        "ssmmessages:createdatachannel",
        "ssmmessages:openchannel",
        "ssmmessages:opendatachannel",
    }
)
# Metadata reads (Describe*, List*) are allowed on "*" too; Get* reads data and is not.
READ_ONLY_VERBS = ("describe", "list")


def statements(document: Any) -> Iterator[Mapping[str, Any]]:
    doc = json_document(document)
    if not isinstance(doc, Mapping):
        return
    for statement in as_list(doc.get("Statement")):
        if isinstance(statement, Mapping):
            yield statement


def allows(statement: Mapping[str, Any]) -> bool:
    return statement.get("Effect") == "Allow"


def actions(statement: Mapping[str, Any]) -> list[str]:
    return [str(a) for a in as_list(statement.get("Action"))]


def resources(statement: Mapping[str, Any]) -> list[str]:
    return [str(r) for r in as_list(statement.get("Resource"))]


def is_wildcard_action(action: str) -> bool:
    return action == "*" or action.endswith(":*")


def may_use_any_resource(action: str) -> bool:
    lowered = action.lower()
    if lowered in RESOURCE_STAR_ACTIONS:
        return True
    verb = lowered.split(":", 1)[-1]
    return verb.startswith(READ_ONLY_VERBS) and "*" not in verb


def principals(statement: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(kind, value) pairs; "*" alone is ("*", "*")."""
    principal = statement.get("Principal")
    if principal == "*":
        return [("*", "*")]
    if isinstance(principal, Mapping):
        return [(str(kind), str(value)) for kind, values in principal.items() for value in as_list(values)]
    return []
