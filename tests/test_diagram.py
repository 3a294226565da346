"""`webstack diagram`: the picture's content comes from the plan (tested without Graphviz); the
PNG and its DOT source are drawn with AWS's icons (the `diagrams` package)."""

from __future__ import annotations

from pathlib import Path

import pytest

from webstack.commands.cli import main
from webstack.diagram import Architecture, build_architecture
from webstack.diagram.model import Place
from webstack.offline.plan_json import plan_document

from .helpers import shipped_stack


@pytest.fixture(scope="module")
def prod() -> Architecture:
    return build_architecture(plan_document(shipped_stack("prod")), "webstack prod")


@pytest.fixture(scope="module")
def dev() -> Architecture:
    return build_architecture(plan_document(shipped_stack("dev")), "webstack dev")


def kinds(architecture: Architecture, place: Place) -> list[str]:
    return sorted(n.kind for n in architecture.in_place(place))


def test_each_tier_of_each_az_holds_what_runs_there(prod):
    assert (prod.region, prod.vpc_label, prod.az_count) == ("me-south-1", "VPC 10.0.0.0/16", 2)
    for az in range(2):
        assert kinds(prod, Place("subnet", az, "public")) == ["nat_gateway", "subnet"]
        assert kinds(prod, Place("subnet", az, "private")) == ["fargate", "subnet"]
    assert kinds(prod, Place("subnet", 0, "isolated")) == ["elasticache", "rds", "subnet"]
    isolated_b = {n.label.split("\n")[-1] for n in prod.in_place(Place("subnet", 1, "isolated"))}
    assert {"db.t4g.small standby", "cache.t4g.small replica"} <= isolated_b
    assert kinds(prod, Place("vpc")) == ["alb"]
    assert "ALB (internal, private subnets)" in prod.in_place(Place("vpc"))[0].label


def test_the_edge_and_the_region_sit_outside_the_vpc(prod):
    edge = kinds(prod, Place("edge"))
    assert edge.count("cloudfront") == 5 and {"users", "route53", "waf"} <= set(edge)
    region = kinds(prod, Place("region"))
    assert region.count("s3") == 7 and {"alarms", "sns"} <= set(region)


def edge_labels(architecture: Architecture) -> set[tuple[str, str, str]]:
    return {(e.source, e.target, e.label) for e in architecture.edges}


def test_route53_to_cloudfront_to_origins_service_to_data_and_buckets_alarms_to_topic(prod):
    edges = edge_labels(prod)
    for edge in (
        ("users", "zone", "DNS"),
        ("zone", "api-edge-distribution", "alias A/AAAA"),
        ("edge-waf", "api-edge-distribution", "protects"),
        ("website-edge-distribution", "website-bucket", "OAC"),
        ("api-edge-distribution", "api-alb", "VPC origin, HTTPS + secret header"),
        ("api-alb", "api-service@0", "container port"),
        ("api-service@0", "database-primary", "TLS :5432"),
        ("api-service@0", "cache-group", "TLS :6379"),
        ("api-service@0", "uploads-bucket", "task role"),
        ("alarms", "alerts-topic", "notify"),
    ):
        assert edge in edges, edge
    assert ("api-alb", "api-service@1", "") in edges  # tasks in both AZs behind the ALB


def test_dev_draws_its_nat_instance_and_the_stopped_database(dev):
    public = [n for az in range(dev.az_count) for n in dev.in_place(Place("subnet", az, "public"))]
    assert any(n.kind == "nat_instance" and "t4g.nano" in n.label for n in public)
    assert not [n for n in dev.nodes if n.kind == "nat_gateway"]
    database = next(n for n in dev.nodes if n.kind == "rds")
    assert "db.t4g.micro primary" in database.label and "stopped out of hours" in database.label


def test_cli_writes_png_and_dot_with_the_aws_icons(tmp_path: Path, capsys):
    out = tmp_path / "dev.png"
    assert main(["diagram", "dev", "--out", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dot = out.with_suffix(".dot").read_text()
    assert "digraph" in dot and "Availability zone a" in dot and "Isolated subnet (no route out)" in dot
    assert '"resources/aws/network/cloudfront.png"' in dot  # AWS's own icon, not this machine's path
    assert "site-packages" not in dot
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dev.dot", "dev.png"]  # nothing else written
    assert "Diagram written to" in capsys.readouterr().out


def test_readme_shows_the_prod_diagram():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert "![prod architecture](docs/architecture-prod.png)" in readme


def test_the_dot_source_is_the_same_on_every_run(tmp_path: Path):
    for run in ("one", "two"):
        assert main(["diagram", "dev", "--out", str(tmp_path / run / "dev.png")]) == 0
    assert (tmp_path / "one" / "dev.dot").read_text() == (tmp_path / "two" / "dev.dot").read_text()
