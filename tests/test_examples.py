"""Example stack configs for the seed systems render offline with no mandatory violation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from webstack.cli import main
from webstack.cost.estimate import estimate
from webstack.cost.tables import PriceTable, load_usage

from .helpers import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_renders_with_no_mandatory_violation(example: Path, tmp_path: Path, capsys):
    out = tmp_path / f"{example.stem}.json"
    assert main(["plan", "--config", str(example), "--out", str(out)]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "0 mandatory violations" in text
    plan = json.loads(out.read_text())
    cost = estimate(plan, PriceTable.load(), load_usage(example.stem), example.stem, "us-east-1")
    with capsys.disabled():
        print(f"\n{example.stem}: {len(plan['steps'])} resources, ${cost.total:,.2f}/month at us-east-1 prices")


def test_exiuscart_example_has_the_shape_of_the_shipped_prod_stack():
    example = (ROOT / "examples" / "exiuscart.yaml").read_text().splitlines()
    prod = (ROOT / "Pulumi.prod.yaml").read_text().splitlines()
    assert [line for line in example if not line.startswith("#")] == [line for line in prod if not line.startswith("#")]


def test_readme_lists_every_example():
    readme = (ROOT / "README.md").read_text()
    for example in EXAMPLES:
        assert f"`examples/{example.name}`" in readme
