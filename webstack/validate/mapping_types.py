"""The vocabulary of the mapping table: which API call creates a resource, and how its inputs map."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Call:
    """One AWS API operation a resource's inputs are sent to.

    ``root`` is the member path under the operation's input that the resource's inputs stand for
    (CloudFront's ``DistributionConfig``, say). In the first call of a resource every input is
    matched to the member of the same name (ignoring case: ``cidrBlock`` is ``CidrBlock``), all
    the way down; ``members`` names the exceptions, from the input path (``healthCheck.path``,
    ``origins[].originId``) to the member path under ``root`` (``HealthCheckPath``,
    ``Origins.Items[].Id``), or to None for an input the provider keeps to itself. Further calls
    check only what their ``members`` name. ``documents`` are inputs holding JSON text: the text
    must parse, and where a member path is given, the parsed document must fit that shape
    exactly (as the provider decodes it into the SDK's request).
    """

    service: str
    operation: str
    root: str = ""
    members: Mapping[str, str | None] = field(default_factory=dict)
    documents: Mapping[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Mapped:
    """A Pulumi resource type and the API calls its inputs go to."""

    calls: tuple[Call, ...]
    note: str = ""


def mapped(*calls: Call, note: str = "") -> Mapped:
    return Mapped(tuple(calls), note)
