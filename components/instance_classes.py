"""The DB instance classes RDS for PostgreSQL offers and the node types ElastiCache offers, with
their vCPUs and memory, read from instance_classes.csv (each row names its source). Config
checks refuse a class that is not listed, with a "did you mean"; the database's connection
alarm takes its memory from here."""

from __future__ import annotations

import csv
import difflib
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

TABLE = Path(__file__).with_name("instance_classes.csv")
Service = Literal["rds-postgres", "elasticache"]


@dataclass(frozen=True)
class InstanceClass:
    service: Service
    name: str
    vcpu: int
    memory_gib: float
    source: str


@functools.cache
def offered(service: Service) -> dict[str, InstanceClass]:
    """Every class the table lists for a service, by name."""
    with TABLE.open(newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["service"] == service]
    return {
        row["class"]: InstanceClass(service, row["class"], int(row["vcpu"]), float(row["memory_gib"]), row["source"])
        for row in rows
    }


def unknown_class_message(service: Service, name: str) -> str | None:
    """None when AWS offers the class, else what to write instead."""
    classes = offered(service)
    if name in classes:
        return None
    close = difflib.get_close_matches(name, list(classes), n=3, cutoff=0.8)
    what = "RDS for PostgreSQL" if service == "rds-postgres" else "ElastiCache"
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    families = sorted({c.rsplit(".", 1)[0] for c in classes})
    return (
        f"{name!r} is not a class {what} offers{hint} (families: {', '.join(families)}; "
        f"every size is in components/{TABLE.name}, with its source)"
    )
