"""The price table (cost/prices.csv) and the usage assumptions (cost/usage.yaml)."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from webstack.program.project import PROJECT_ROOT

COST_DIR = PROJECT_ROOT / "cost"
GLOBAL = "global"


@dataclass(frozen=True)
class Price:
    key: str
    region: str
    unit: str
    unit_price: float
    source: str
    date: str


class PriceTable:
    def __init__(self, prices: list[Price]) -> None:
        self._prices = {(p.key, p.region): p for p in prices}

    @classmethod
    def load(cls, path: Path = COST_DIR / "prices.csv") -> PriceTable:
        with path.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        return cls(
            [Price(r["key"], r["region"], r["unit"], float(r["unit_price"]), r["source"], r["date"]) for r in rows]
        )

    def allowances(self, region: str) -> list[Price]:
        """The always-free monthly allowances (``free.*`` rows) for the region or global."""
        return [p for (key, r), p in self._prices.items() if key.startswith("free.") and r in (region, GLOBAL)]

    def get(self, key: str, region: str) -> Price | None:
        """The price for the region, or the global one; None when the table has neither."""
        return self._prices.get((key, region)) or self._prices.get((key, GLOBAL))

    def regions(self) -> set[str]:
        return {region for _, region in self._prices} - {GLOBAL}


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = (
            _merge(merged[key], value) if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping) else value
        )
    return merged


def load_usage(stack: str, path: Path = COST_DIR / "usage.yaml") -> dict[str, Any]:
    """The defaults with the stack's overrides applied (nested mappings merge key by key)."""
    document = yaml.safe_load(path.read_text()) or {}
    return _merge(document.get("defaults", {}), (document.get("stacks") or {}).get(stack, {}))
