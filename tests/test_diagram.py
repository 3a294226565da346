"""`webstack diagram`: the picture's content comes from the plan (tested without Graphviz); the
PNG and its DOT source are drawn with AWS's icons (the `diagrams` package)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from components import (
    AlertTopic,
    AlertTopicArgs,
    ApiRoute,
    AppSecret,
    AppSecretArgs,
    EdgeDistribution,
    EdgeDistributionArgs,
    EdgeDomain,
    EdgeDomainArgs,
    ItemTable,
    ItemTableArgs,
    LambdaFunction,
    LambdaFunctionArgs,
    S3Origin,
    ServerlessApi,
    ServerlessApiArgs,
    StaticSite,
    StaticSiteArgs,
    UserDirectory,
    UserDirectoryArgs,
)
from webstack.commands.cli import main
from webstack.diagram import Architecture, build_architecture, write_diagram
from webstack.diagram.model import Place
from webstack.offline.first_preview import as_first_preview
from webstack.offline.plan_json import plan_document
from webstack.offline.program import ProgramRun

from .helpers import ROOT, render, render_stack_file, shipped_stack
from .test_api_routes import SEED

# What each of the seed's functions may do on the table (SEED names the routes each serves).
TABLE_ACTIONS = {
    "catalog": ("dynamodb:GetItem", "dynamodb:Query"),
    "cart": ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"),
    "checkout": ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
    "orders": ("dynamodb:Query", "dynamodb:GetItem"),
    "admin": ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"),
}
WARM = {"catalog": 2, "checkout": 1}


def serverless_program(code: Path) -> None:
    """A serverless stack of the real components: no VPC, database, cache or ECS; a static site
    behind CloudFront, and the seed's API on API Gateway, Lambda, DynamoDB, Cognito and Secrets
    Manager under api.usarakhi.com."""
    provider = aws.Provider("aws", region="eu-west-1")
    opts = pulumi.ResourceOptions(providers=[provider])
    alerts = AlertTopic("alerts", AlertTopicArgs(name_prefix="usarakhi-prod"), opts)
    edge = EdgeDomain("edge", EdgeDomainArgs(domain="usarakhi.com", name_prefix="usarakhi-prod"), opts)
    site = StaticSite(
        "website",
        StaticSiteArgs(purpose="static site usarakhi.com", data_class="public-content", served_by_cloudfront=True),
        opts,
    )
    EdgeDistribution(
        "website-edge",
        EdgeDistributionArgs(
            hostname="usarakhi.com", zone_id=edge.zone_id, certificate_arn=edge.certificate_arn,
            origin=S3Origin(site.regional_domain_name, site.allow_distribution),
            response_headers_policy_id=edge.response_headers_policy_id,
            cache_policy_id=edge.cache_policy_ids["marketing"], web_acl_arn=edge.web_acl_arn,
        ),
        opts,
    )  # fmt: skip
    table = ItemTable("table", ItemTableArgs(name="usarakhi-prod", ttl_attribute="expiresAt"), opts)
    users = UserDirectory("users", UserDirectoryArgs(name="usarakhi-prod"), opts)
    stripe = AppSecret("stripe", AppSecretArgs(name="usarakhi-prod/stripe"), opts)
    functions = {
        name: LambdaFunction(
            name,
            LambdaFunctionArgs(
                name=f"usarakhi-prod-{name}", code_path=str(code), table_arn=table.table_arn, table_actions=actions,
                provisioned_concurrency=WARM.get(name, 0), alarm_actions=[alerts.topic_arn],
                secret_arns=[stripe.arn] if name == "checkout" else [],
                secret_key_arns=[stripe.key_arn] if name == "checkout" else [],
            ),
            opts,
        )
        for name, actions in TABLE_ACTIONS.items()
    }  # fmt: skip
    stripe.allow_readers([functions["checkout"].role_arn])
    ServerlessApi(
        "api",
        ServerlessApiArgs(
            name="usarakhi-prod", routes=SEED, targets={name: f.api_target for name, f in functions.items()},
            user_pool_arn=users.user_pool_arn, cors_origin="https://usarakhi.com", domain_name="api.usarakhi.com",
            certificate_arn=edge.regional_certificate_arn, zone_id=edge.zone_id,
        ),
        opts,
    )  # fmt: skip


@pytest.fixture(scope="module")
def serverless_run(tmp_path_factory: pytest.TempPathFactory) -> ProgramRun:
    code = tmp_path_factory.mktemp("function")
    (code / "index.js").write_text("exports.handler = async () => ({ statusCode: 200 });\n")
    return render(lambda: serverless_program(code), region="eu-west-1", stack="prod")


@pytest.fixture(scope="module")
def serverless_plan(serverless_run: ProgramRun) -> dict[str, Any]:
    return plan_document(serverless_run)


@pytest.fixture(scope="module")
def serverless(serverless_plan: dict[str, Any]) -> Architecture:
    return build_architecture(serverless_plan, "webstack serverless")


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
        assert kinds(prod, Place("subnet", az, "public")) == ["nat_instance", "subnet"]  # one NAT instance per AZ
        assert kinds(prod, Place("subnet", az, "private")) == ["fargate", "subnet"]
    assert all("Fargate (Spot above 2) 1 vCPU" in n.label for n in prod.nodes if n.kind == "fargate")
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


def test_a_vpc_stack_draws_nothing_serverless_not_even_its_cache_auth_secret(prod):
    assert not {n.kind for n in prod.nodes} & {"apigateway", "lambda", "dynamodb", "cognito", "secrets"}


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


def test_a_stack_without_a_domain_is_drawn_with_what_it_accepted():
    """Seed 001's example: viewers on *.cloudfront.net, no zone, HTTP from the VPC origin to the ALB."""
    run = render_stack_file(ROOT / "examples" / "payments.yaml", "payments")
    payments = build_architecture(plan_document(run), "p")
    labels = {n.kind: n.label for n in payments.nodes}
    assert labels["users"] == "Viewers (HTTPS, *.cloudfront.net)" and "route53" not in labels
    assert labels["alb"] == "ALB (internal, private subnets)\nHTTP 80 from CloudFront only"
    assert ("api-edge-distribution", "api-alb", "VPC origin, HTTP + secret header") in edge_labels(payments)


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


def test_a_plan_with_nothing_in_a_vpc_is_drawn_without_one(serverless):
    assert (serverless.region, serverless.vpc_label, serverless.az_count) == ("eu-west-1", None, 0)
    assert not [n for n in serverless.nodes if n.place.area in ("vpc", "subnet")]
    assert {"users", "route53", "cloudfront", "waf"} <= set(kinds(serverless, Place("edge")))


def test_a_serverless_plan_renders_without_a_vpc_cluster(serverless_plan, tmp_path: Path):
    plan = tmp_path / "serverless.json"
    plan.write_text(json.dumps(serverless_plan))
    out = tmp_path / "serverless.png"
    assert main(["diagram", str(plan), "--out", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dot = out.with_suffix(".dot").read_text()
    assert "AWS Cloud: eu-west-1" in dot and "VPC" not in dot and "Availability zone" not in dot
    for icon in (
        "compute/lambda",
        "network/api-gateway",
        "database/dynamodb",
        "security/cognito",
        "security/secrets-manager",
    ):
        assert f'"resources/aws/{icon}.png"' in dot, icon


def test_a_regional_waf_sits_in_the_region_and_guards_no_distribution(serverless):
    assert serverless.node("edge-waf").place == Place("edge")
    regional = serverless.node("api-waf")
    assert regional.place == Place("region") and regional.label.startswith("WAF regional (")
    protected = {(e.source, e.target) for e in serverless.edges if e.label == "protects"}
    assert ("edge-waf", "website-edge-distribution") in protected
    assert not {target for source, target in protected if source == "api-waf"} & {
        n.id for n in serverless.nodes if n.kind == "cloudfront"
    }


def test_the_serverless_nodes_sit_in_the_region_labelled_with_what_a_reviewer_checks(serverless):
    region = kinds(serverless, Place("region"))
    assert region.count("lambda") == 5
    assert {"apigateway", "dynamodb", "cognito", "secrets", "waf", "s3", "alarms", "sns"} <= set(region)
    assert serverless.node("api-api").label == "API Gateway REST (regional)\napi.usarakhi.com\nstage v1: 14 routes"
    assert serverless.node("catalog-function").label == (
        "Lambda usarakhi-prod-catalog\nnodejs24.x arm64, 512 MB\nprovisioned concurrency 2\ndead letters: SQS queue"
    )
    assert "provisioned" not in serverless.node("cart-function").label
    assert serverless.node("table-table").label == "DynamoDB usarakhi-prod\non demand, 1 GSI, PITR 35 days"
    assert serverless.node("users-pool").label == "Cognito user pool\nusarakhi-prod, MFA optional"
    assert serverless.node("stripe-secret").label == "Secrets Manager\nusarakhi-prod/stripe"
    assert not [n for n in serverless.nodes if "dead-letters" in n.id]  # a line of each function's label


def test_viewers_reach_the_api_through_its_domain_and_waf_and_each_function_by_its_routes(serverless):
    edges = edge_labels(serverless)
    for edge in (
        ("users", "zone", "DNS"),
        ("zone", "api-api", "alias A"),
        ("api-waf", "api-api", "protects"),
        ("api-api", "catalog-function", "GET /products\nGET /products/{id}"),
        ("api-api", "cart-function", "GET, POST /cart\nPUT, DELETE /cart/{itemId}"),
        ("api-api", "checkout-function", "POST /checkout"),
        ("api-api", "orders-function", "GET /orders\nGET /orders/{id}"),
        ("api-api", "users-pool", "authorizer: 7 routes"),
    ):
        assert edge in edges, edge
    admin = next(e.label for e in serverless.edges if e.target == "admin-function")
    assert admin.splitlines() == [
        "GET /admin/orders", "PUT /admin/orders/{id}", "POST /admin/products", "PUT, DELETE /admin/products/{id}"
    ]  # fmt: skip
    served = {e.target: e.label.splitlines() for e in serverless.edges if e.source == "api-api"}
    for route in SEED:  # every route on the edge to its own function
        assert any(
            line.endswith(f" {route.path}") and route.method in line for line in served[f"{route.function}-function"]
        ), route


def test_functions_read_or_write_the_table_as_their_roles_allow_and_only_checkout_reads_the_secret(serverless):
    access = {e.source: e.label for e in serverless.edges if e.target == "table-table"}
    assert access == {
        "catalog-function": "read",
        "orders-function": "read",
        "cart-function": "read-write",
        "checkout-function": "read-write",
        "admin-function": "read-write",
    }
    assert [(e.source, e.label) for e in serverless.edges if e.target == "stripe-secret"] == [
        ("checkout-function", "GetSecretValue")
    ]


def test_a_first_preview_still_draws_the_routes_and_says_the_table_access_is_not_known_yet(serverless_run):
    first = build_architecture(as_first_preview(serverless_run), "webstack serverless")
    assert ("api-api", "checkout-function", "POST /checkout") in edge_labels(first)
    assert {e.label for e in first.edges if e.target == "table-table"} == {"access not known yet"}


def test_a_vpc_stack_with_functions_keeps_its_vpc_and_adds_the_api(serverless_plan):
    prod_plan = plan_document(shipped_stack("prod"))
    known = {s["urn"] for s in prod_plan["steps"]}
    steps = prod_plan["steps"] + [s for s in serverless_plan["steps"] if s["urn"] not in known]
    mixed = build_architecture({"steps": steps}, "webstack mixed")
    assert (mixed.vpc_label, mixed.az_count) == ("VPC 10.0.0.0/16", 2)
    assert kinds(mixed, Place("subnet", 0, "private")) == ["fargate", "subnet"]
    assert kinds(mixed, Place("region")).count("lambda") == 5
    assert ("api-api", "checkout-function", "POST /checkout") in edge_labels(mixed)
    assert ("api-service@0", "database-primary", "TLS :5432") in edge_labels(mixed)


def test_an_api_without_a_domain_is_reached_at_execute_api_and_a_secret_naming_a_role_is_read_by_its_function(
    tmp_path: Path,
):
    def program() -> None:
        catalog = LambdaFunction("catalog", LambdaFunctionArgs(name="shop-catalog", code_path=str(tmp_path)))
        AppSecret("stripe", AppSecretArgs(name="shop/stripe")).allow_readers([catalog.role_arn])
        routes = [ApiRoute("GET /products", "catalog")]
        ServerlessApi("api", ServerlessApiArgs(name="shop", routes=routes, targets={"catalog": catalog.api_target}))

    bare = build_architecture(plan_document(render(program)), "webstack bare")
    edges = edge_labels(bare)
    assert {("users", "api-api", "HTTPS (execute-api)"), ("api-api", "catalog-function", "GET /products")} <= edges
    assert ("catalog-function", "stripe-secret", "GetSecretValue") in edges
    assert bare.region == "" and not [n for n in bare.nodes if n.kind == "route53"]
    _, dot = write_diagram(bare, tmp_path / "bare.png")
    assert 'label="AWS Cloud"' in dot.read_text()


def test_readme_shows_the_serverless_diagram_as_the_example_draws_it_today(tmp_path: Path):
    root = Path(__file__).resolve().parent.parent
    assert "![usarakhi architecture](docs/architecture-usarakhi.png)" in (root / "README.md").read_text()
    plan = tmp_path / "usarakhi.json"
    plan.write_text(json.dumps(plan_document(render_stack_file(root / "examples" / "usarakhi.yaml", "usarakhi"))))
    assert main(["diagram", str(plan), "--out", str(tmp_path / "usarakhi.png")]) == 0
    assert (tmp_path / "usarakhi.dot").read_text() == (root / "docs" / "architecture-usarakhi.dot").read_text()


def test_a_scheduled_job_is_drawn_running_its_service_and_database_schedules_are_not():
    billing = build_architecture(plan_document(render_stack_file(ROOT / "examples" / "billing.yaml", "billing")), "b")
    (job,) = [n for n in billing.nodes if n.kind == "scheduler"]
    assert job.label == "Scheduler invoices\ncron(0 1 * * ? *) UTC" and job.place == Place("region")
    assert [(e.target, e.label) for e in billing.edges if e.source == job.id] == [("api-worker-service@0", "RunTask")]
    dev = build_architecture(plan_document(shipped_stack("dev")), "dev")
    assert not [n for n in dev.nodes if n.kind == "scheduler"]


def test_the_cache_says_its_token_rotates_and_the_rotation_function_is_no_application_function(prod):
    (primary,) = [n for n in prod.nodes if n.kind == "elasticache" and "primary" in n.label]
    assert primary.label.endswith("primary\nAUTH token rotated every 30 days")
    assert "cache-rotation-function-function" not in {n.id for n in prod.nodes}
