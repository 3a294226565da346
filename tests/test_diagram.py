"""`webstack diagram`: the DOT holds the architecture; the PNG is drawn."""

from __future__ import annotations

from pathlib import Path

import pytest

from webstack.commands.cli import main
from webstack.diagram import build_diagram
from webstack.offline.plan_json import plan_document

from .helpers import shipped_stack


@pytest.fixture(scope="module")
def prod_dot():
    return build_diagram(plan_document(shipped_stack("prod")), "webstack prod").dot


def test_one_cluster_per_component(prod_dot):
    for cluster in (
        "cluster_network",
        "cluster_database",
        "cluster_cache",
        "cluster_api",
        "cluster_edge",
        "cluster_api-edge",
        "cluster_website-edge",
        "cluster_uploads",
        "cluster_alerts",
    ):
        quoted = f'"{cluster}"' if "-" in cluster else cluster
        assert f"subgraph {quoted} {{" in prod_dot, cluster
    assert 'label="FargateApi api (35 resources)"' in prod_dot


def test_nodes_carry_the_key_sizes(prod_dot):
    assert "VPC 10.0.0.0/16" in prod_dot and "private: 2 x /20" in prod_dot and "isolated: 2 x /24" in prod_dot
    assert "db.t4g.small Multi-AZ" in prod_dot and "20-100 GB gp3" in prod_dot
    assert "cache.t4g.small x 2 failover" in prod_dot
    assert "1 vCPU / 2 GB ARM64" in prod_dot and "2-10 tasks" in prod_dot
    assert "CloudFront\nexiuscart.com\nwww.exiuscart.com" in prod_dot


def test_edges_cloudfront_to_origins_and_service_to_data(prod_dot):
    for edge in (
        '"website-edge-distribution" -> "website-bucket" [label=OAC]',
        '"api-edge-distribution" -> "api-alb" [label="VPC origin, HTTPS + secret header"]',
        '"api-alb" -> "api-service" [label="container port"]',
        '"api-service" -> "database-primary" [label="TLS :5432"]',
        '"api-service" -> "cache-group" [label="TLS :6379"]',
        '"edge-waf" -> "api-edge-distribution" [label=protects]',
        'viewers -> "assets-edge-distribution"',
    ):
        assert edge in prod_dot, edge


def test_cli_writes_png_and_dot(tmp_path: Path, capsys):
    out = tmp_path / "dev.png"
    assert main(["diagram", "dev", "--out", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "digraph" in out.with_suffix(".dot").read_text()
    assert "Diagram written to" in capsys.readouterr().out


def test_readme_shows_the_prod_diagram():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert "![prod architecture](docs/architecture-prod.png)" in readme


def test_dev_draws_its_nat_instance_and_the_stopped_database():
    dot = build_diagram(plan_document(shipped_stack("dev")), "webstack dev").dot
    assert "NAT instance\nt4g.nano" in dot and "NAT gateway" not in dot
    assert "db.t4g.micro single-AZ" in dot and "stopped out of hours" in dot
