"""The records a domain needs beside webstack's aliases (mail, verification, CAA): what each record
type accepts, and the values Route 53 is sent, checked before anything is registered."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

RecordType = Literal["MX", "TXT", "CAA", "CNAME"]
RECORD_TYPES: tuple[RecordType, ...] = ("MX", "TXT", "CAA", "CNAME")
# Route 53: a value is at most 4,000 characters; a TXT value is sent as strings of at most 255
# (RFC 1035 character-strings), which the provider joins from `""` between them.
MAX_VALUE = 4000
TXT_STRING = 255
_LABEL = r"[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?"
RECORD_NAME = re.compile(rf"^({_LABEL}(\.{_LABEL})*)?$")
_HOST = re.compile(r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$")
_MX = re.compile(r"^(\d{1,5}) (\S+)$")
_CAA = re.compile(r'^(0|128) (issue|issuewild|iodef) "[^"]*"$')


@dataclass(frozen=True)
class DnsRecord:
    """One record set of the domain's zone."""

    name: str
    """The name under the domain ("" is the apex; "_dmarc", "selector1._domainkey"). Example: "_dmarc"."""
    type: RecordType
    """MX, TXT, CAA or CNAME. Example: "TXT"."""
    values: Sequence[str]
    """MX: "PRIORITY HOST"; TXT: the text as the provider gives it (quoted and split into 255-character
    strings here); CAA: 'FLAGS TAG "VALUE"'; CNAME: one host name. Example: ["v=DMARC1; p=reject"].
    """
    ttl: int = 3600
    """Seconds resolvers may cache the answer (60-172800). Example: 300."""


def checked_record(record: DnsRecord) -> None:
    """ValueError, naming the record, for what Route 53 or the record type would refuse."""
    where = f"{record.type} record {record.name or '(apex)'!r}"
    if not RECORD_NAME.fullmatch(record.name):
        raise ValueError(f"{where}: a name of lower-case DNS labels (letters, digits, - and _), or '' for the apex")
    if record.type not in RECORD_TYPES:
        raise ValueError(f"{where}: the type is one of {', '.join(RECORD_TYPES)}")
    if not 60 <= record.ttl <= 172800:
        raise ValueError(f"{where}: ttl {record.ttl} is not 60-172800 seconds")
    if not record.values:
        raise ValueError(f"{where}: give at least one value")
    if len(set(record.values)) != len(record.values):
        raise ValueError(f"{where}: a value is given twice")
    if record.type == "CNAME" and (len(record.values) != 1 or record.name == ""):
        raise ValueError(f"{where}: a CNAME has exactly one value and cannot be at the apex")
    for value in record.values:
        _check_value(where, record.type, value)


def _check_value(where: str, record_type: RecordType, value: str) -> None:
    if record_type == "MX":
        found = _MX.fullmatch(value)
        if not found or int(found.group(1)) > 65535 or not _HOST.fullmatch(found.group(2)):
            raise ValueError(f"{where}: {value!r} is not 'PRIORITY HOST' (0-65535, a host name)")
    elif record_type == "CAA" and not _CAA.fullmatch(value):
        raise ValueError(f"{where}: {value!r} is not 'FLAGS TAG \"VALUE\"' (flags 0 or 128; issue, issuewild, iodef)")
    elif record_type == "CNAME" and not _HOST.fullmatch(value):
        raise ValueError(f"{where}: {value!r} is not a host name")
    elif record_type == "TXT" and (not value.isascii() or not value.isprintable()):
        raise ValueError(f"{where}: {value!r}: Route 53 takes printable ASCII in TXT values")
    if len(route53_value(record_type, value)) > MAX_VALUE:
        raise ValueError(f"{where}: a value longer than Route 53's {MAX_VALUE} characters")


def route53_value(record_type: RecordType, value: str) -> str:
    """The value as the provider takes it: a TXT value escaped and split into 255-character strings
    (the provider quotes the whole; `""` starts the next string); other types as given."""
    if record_type != "TXT":
        return value
    chunks = [value[i : i + TXT_STRING] for i in range(0, len(value), TXT_STRING)] or [""]
    # Split first, then escape: a DNS string counts the text's own characters, not the escapes.
    return '""'.join(chunk.replace("\\", "\\\\").replace('"', '\\"') for chunk in chunks)


def record_label(name: str) -> str:
    """The record's part of its resource name: "_dmarc" -> "-dmarc", "" -> "apex"."""
    return re.sub(r"[^a-z0-9-]", "-", name) or "apex"
