"""What watches a stack: the dashboard (a pure body, checked against CloudWatch's limits), WAF logs
(encrypted, in us-east-1 for CloudFront, credentials redacted), the OpenTelemetry collector beside
a traced service, and alert routes beyond e-mail, with the PagerDuty URL only ever a secret."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pulumi_aws as aws
import pytest

from components import DashboardParts, StackDashboard, StackDashboardArgs
from components.api_settings import container_definitions
from components.dashboard_settings import dashboard_body, metric_count
from webstack.cost.estimate import estimate
from webstack.cost.tables import PriceTable, load_usage
from webstack.offline.plan_json import plan_document
from webstack.program.config_problems import ConfigError
from webstack.program.stack_settings import SECRET_PLACEHOLDER, parse_stack_config, read_config_file
from webstack.validate import validate_plan

from .helpers import (
    ROOT,
    copied,
    document,
    one,
    refusal,
    render,
    render_stack,
    render_stack_file,
    shipped_stack,
    statements,
)

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
WAF_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
KEY_OF_PAGERDUTY = "0123456789abcdef0123456789abcdef"
PAGERDUTY = f"https://events.pagerduty.com/integration/{KEY_OF_PAGERDUTY}/enqueue"

EVERY_PART = DashboardParts(
    load_balancer="app/shop-prod-api/50dc6c495c0c9188",
    target_groups={"api": "targetgroup/shop-prod-api/73e2d6bc24d8a067"},
    cluster="shop-prod-api",
    services=("shop-prod-api", "shop-prod-worker"),
    databases=("shop-prod-db",),
    cache_nodes=("shop-prod-cache-001", "shop-prod-cache-002"),
    distributions={"shop.com": "E2QWRUHAPOMQZL", "api.shop.com": "E1ABCDEFGHIJKL"},
    edge_web_acl="shop-prod-edge",
    regional_web_acl="shop-prod-api",
    functions=("shop-prod-cart",),
    rest_api="shop-prod",
    rest_api_stage="v1",
    table="shop-prod",
)


def graphs(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {w["properties"]["title"]: w["properties"] for w in body["widgets"] if w["type"] == "metric"}


def test_the_dashboard_has_a_section_per_part_in_the_order_a_request_takes():
    body = dashboard_body(EVERY_PART, "me-south-1", "shop-prod-overview")
    sections = [w["properties"]["markdown"] for w in body["widgets"] if w["type"] == "text"][1:]
    assert sections == ["## Edge: CloudFront and WAF", "## Load balancer", "## ECS services", "## Database",
                        "## Cache", "## Serverless"]  # fmt: skip
    found = graphs(body)
    # CloudFront and the CLOUDFRONT-scope WAF publish in us-east-1 only; the rest is the stack's region.
    assert {t for t, g in found.items() if g["region"] == "us-east-1"} == {
        "CloudFront requests", "CloudFront 4xx error rate (%)", "CloudFront 5xx error rate (%)",
        "WAF (CloudFront) requests",
    }  # fmt: skip
    assert found["CloudFront 5xx error rate (%)"]["metrics"][0] == [
        "AWS/CloudFront", "5xxErrorRate", "DistributionId", "E2QWRUHAPOMQZL", "Region", "Global", {"label": "shop.com"}
    ]  # fmt: skip
    assert found["WAF (CloudFront) requests"]["metrics"][0][2:6] == ["WebACL", "shop-prod-edge", "Rule", "ALL"]
    assert found["WAF (API) requests"]["metrics"][0][2:8] == ["WebACL", "shop-prod-api", "Region", "me-south-1",
                                                               "Rule", "ALL"]  # fmt: skip
    latency = found["Target response time (s)"]["metrics"]
    assert [m[-1]["stat"] for m in latency] == ["p50", "p99"]
    assert [m[1] for m in found["ALB 5xx (load balancer and targets)"]["metrics"]] == [
        "HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count"
    ]  # fmt: skip
    assert found["Running tasks"]["metrics"][1][:6] == [
        "ECS/ContainerInsights", "RunningTaskCount", "ClusterName", "shop-prod-api", "ServiceName", "shop-prod-worker"
    ]  # fmt: skip
    hit_rate = found["Cache hit rate (%)"]["metrics"]
    assert hit_rate[2] == [{"expression": "100 * hits0 / (hits0 + misses0)", "label": "shop-prod-cache-001",
                            "id": "rate0"}]  # fmt: skip
    assert found["Cache memory used (% of maxmemory)"]["metrics"][0][1] == "DatabaseMemoryUsagePercentage"
    assert {"RDS CPU (%)", "RDS connections", "RDS free storage (bytes)", "Lambda throttles", "API latency (ms)",
            "DynamoDB throttled events", "Healthy targets per service"} <= set(found)  # fmt: skip


def test_the_dashboard_grid_stays_inside_24_columns_without_overlaps():
    body = dashboard_body(EVERY_PART, "us-east-1", "shop-prod-overview")
    cells: set[tuple[int, int]] = set()
    for widget in body["widgets"]:
        assert widget["x"] >= 0 and widget["x"] + widget["width"] <= 24
        mine = {(x, y) for x in range(widget["x"], widget["x"] + widget["width"])
                for y in range(widget["y"], widget["y"] + widget["height"])}  # fmt: skip
        assert not cells & mine, widget
        cells |= mine
    assert json.loads(json.dumps(body)) == body  # plain JSON, as PutDashboard takes it


def test_metric_count_is_what_the_free_tier_counts():
    body = dashboard_body(DashboardParts(cache_nodes=("c-001",), databases=("db",)), "us-east-1", "x")
    # hits, misses (the expression is not a metric), memory, evictions; three RDS metrics.
    assert metric_count(body) == 7
    assert dashboard_body(DashboardParts(), "us-east-1", "empty")["widgets"][0]["type"] == "text"


@pytest.mark.parametrize(
    ("name", "parts", "words"),
    [
        ("shop prod", DashboardParts(), "1-255 of A-Z, a-z, 0-9, '-' and '_' (PutDashboard)"),
        ("x" * 256, DashboardParts(), "(PutDashboard)"),
        ("shop", DashboardParts(functions=tuple(f"f{i}" for i in range(501))), "501 metrics, at most 500"),
    ],
)
def test_what_put_dashboard_refuses_is_refused_before_anything_is_registered(name, parts, words):
    message = refusal(lambda: StackDashboard("d", StackDashboardArgs(name=name, parts=parts)))
    assert words in message


def test_the_dashboard_reads_the_load_balancer_and_distributions_from_their_outputs():
    def program() -> None:
        alb = aws.lb.LoadBalancer("alb", name="shop-alb")
        StackDashboard("d", StackDashboardArgs("shop-overview", DashboardParts(load_balancer=alb.arn_suffix)))

    run = render(program)
    body = json.loads(one(run, "aws:cloudwatch/dashboard:Dashboard").inputs["dashboardBody"])
    requests = graphs(body)["ALB requests"]["metrics"][0]
    assert requests[2] == "LoadBalancer" and requests[3].startswith("app/")


def test_the_shipped_prod_stack_has_its_dashboard():
    dashboard = one(shipped_stack("prod"), "aws:cloudwatch/dashboard:Dashboard").inputs
    assert dashboard["dashboardName"] == "exiuscart-prod-overview"
    found = graphs(json.loads(dashboard["dashboardBody"]))
    assert len(found["CloudFront requests"]["metrics"]) == 5  # one line per distribution
    assert found["RDS CPU (%)"]["metrics"][0][3] == "exiuscart-prod-db"
    nodes = [m[3] for m in found["Cache evictions"]["metrics"]]
    assert nodes == ["exiuscart-prod-cache-001", "exiuscart-prod-cache-002"]


def test_the_edge_web_acl_logs_to_an_encrypted_group_in_us_east_1_with_credentials_redacted():
    run = shipped_stack("prod")
    logging = one(run, WAF_LOGGING)
    group = run.named("edge-waf-logs")
    key = run.named("edge-waf-key")
    assert group.inputs["name"] == "aws-waf-logs-exiuscart-prod-edge"
    assert {group.inputs["region"], key.inputs["region"], logging.inputs["region"]} == {"us-east-1"}
    assert group.inputs["retentionInDays"] == 90  # webstack:log_retention_days
    assert group.property_dependencies["kmsKeyId"] == [key.urn]
    logs_grant = next(s for s in statements(document(key, "policy")) if s.get("Sid") == "CloudWatchLogsEncryption")
    assert logs_grant["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert logs_grant["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"].endswith(
        ":log-group:aws-waf-logs-exiuscart-prod-edge"
    )
    assert logging.inputs["redactedFields"] == [{"singleHeader": {"name": "authorization"}},
                                                {"singleHeader": {"name": "cookie"}}]  # fmt: skip
    assert "loggingFilter" not in logging.inputs  # prod keeps every request
    assert logging.property_dependencies["logDestinationConfigs"] == [group.urn]
    assert logging.property_dependencies["resourceArn"] == [run.named("edge-waf").urn]
    policy = run.named("edge-waf-log-policy")
    assert policy.urn in logging.dependencies  # the delivery may write before WAF starts logging
    (grant,) = statements(document(policy, "policyDocument"))
    assert grant["Principal"] == {"Service": "delivery.logs.amazonaws.com"}
    assert grant["Resource"].endswith(":log-group:aws-waf-logs-exiuscart-prod-edge:log-stream:*")
    assert grant["Condition"]["StringEquals"] == {"aws:SourceAccount": "123456789012"}


def test_a_dev_api_logs_only_what_its_regional_web_acl_blocked_or_counted():
    run = render_stack_file(ROOT / "examples" / "usarakhi-dev.yaml", "usarakhi-dev")
    logging = one(run, WAF_LOGGING)
    assert "region" not in logging.inputs  # REGIONAL scope: the stack's region
    assert logging.inputs["loggingFilter"] == {
        "defaultBehavior": "DROP",
        "filters": [{"behavior": "KEEP", "requirement": "MEETS_ANY",
                     "conditions": [{"actionCondition": {"action": "BLOCK"}},
                                    {"actionCondition": {"action": "COUNT"}}]}],
    }  # fmt: skip
    assert run.named("function-api-waf-logs").inputs["name"] == "aws-waf-logs-usarakhi-dev-api"


def test_a_traced_service_runs_the_collector_beside_its_container():
    run = shipped_stack("prod")
    app, collector = json.loads(run.named("api-task").inputs["containerDefinitions"])
    assert collector["image"] == "public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0"
    hardening = (collector["essential"], collector["user"], collector["readonlyRootFilesystem"])
    assert hardening == (False, "4317:4317", True)
    assert collector["command"] == ["--config=/etc/ecs/ecs-xray.yaml"]
    assert collector["healthCheck"]["command"] == ["CMD", "/healthcheck"]
    assert collector["logConfiguration"]["options"]["awslogs-group"] == "/ecs/exiuscart-prod-api"
    environment = {e["name"]: e["value"] for e in app["environment"]}
    assert environment["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://localhost:4317"
    assert (environment["OTEL_SERVICE_NAME"], environment["OTEL_TRACES_SAMPLER_ARG"]) == ("api", "0.05")
    assert app["dependsOn"] == [{"containerName": "otel-collector", "condition": "START"}]
    (grant,) = statements(document(run.named("api-tracing-policy"), "policy"))
    assert grant["Action"] == ["xray:PutTraceSegments", "xray:PutTelemetryRecords"] and grant["Resource"] == "*"


def test_an_untraced_service_has_one_container_and_no_otel_variables():
    (app,) = container_definitions(image="i", port=8000, region="us-east-1", log_group="/ecs/x",
                                   environment={"A": "1"}, secrets={})  # fmt: skip
    assert [e["name"] for e in app["environment"]] == ["A"] and "dependsOn" not in app
    assert len(json.loads(shipped_stack("dev").named("api-task").inputs["containerDefinitions"])) == 1


def stack_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "Pulumi.qa.yaml"
    head = "config:\n  aws:region: us-east-1\n  webstack:name_prefix: qa-shop\n  webstack:environment: qa\n"
    parts = "  webstack:network: false\n  webstack:database: false\n  webstack:cache: false\n"
    path.write_text(head + parts + text)
    return path


def parsed(path: Path):
    raw, secret_keys = read_config_file(path)
    return parse_stack_config(raw, "qa", path.name, secret_keys)


def problems(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        parsed(path)
    return str(caught.value)


def test_a_pagerduty_url_in_plain_text_is_refused_with_the_command_that_encrypts_it(tmp_path):
    message = problems(stack_file(tmp_path, f"  webstack:alerts:\n    pagerduty_url: {PAGERDUTY}\n"))
    assert "webstack:alerts.pagerduty_url: holds PagerDuty's integration key in plain text" in message
    assert "`pulumi config set --secret --path webstack:alerts.pagerduty_url`" in message
    assert KEY_OF_PAGERDUTY not in message


def test_a_pagerduty_url_among_the_plain_https_endpoints_is_refused(tmp_path):
    message = problems(stack_file(tmp_path, f"  webstack:alerts:\n    https_endpoints: [{PAGERDUTY}]\n"))
    assert "webstack:alerts.https_endpoints[0]: is a PagerDuty URL" in message
    assert KEY_OF_PAGERDUTY not in message


def test_an_encrypted_pagerduty_url_plans_offline_as_a_secret(tmp_path):
    path = stack_file(tmp_path, "  webstack:alerts:\n    emails: [a@b.co]\n    pagerduty_url:\n      secure: AAAB\n")
    raw, secret_keys = read_config_file(path)
    assert raw["webstack:alerts"]["pagerduty_url"] == SECRET_PLACEHOLDER and secret_keys == ["webstack:alerts"]
    assert parsed(path).alerts.subscribers() == 2


def test_a_wrong_url_is_refused_without_repeating_it(tmp_path):
    def run_with(url: str) -> str:
        with pytest.raises(ConfigError) as caught:
            config = {"aws:region": "us-east-1", "webstack:name_prefix": "qa-shop", "webstack:network": False,
                      "webstack:database": False, "webstack:cache": False,
                      "webstack:alerts": {"pagerduty_url": url}}  # fmt: skip
            parse_stack_config(config, "qa", "Pulumi.qa.yaml", ["webstack:alerts"])
        return str(caught.value)

    message = run_with("https://hooks.example.com/s3cr3t-token")
    assert "webstack:alerts.pagerduty_url: is not a PagerDuty Amazon CloudWatch integration URL" in message
    assert "s3cr3t" not in message


def test_tracing_needs_a_nat_and_keeps_its_variables_to_itself(tmp_path):
    path = ROOT / "Pulumi.dev.yaml"
    raw, _ = read_config_file(path)
    api = {**raw["webstack:api"], "tracing": True, "environment": {"OTEL_SERVICE_NAME": "mine"}}
    endpoints = ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssmmessages", "kms"]
    network = {**raw["webstack:network"], "nat": "none", "nat_type": "gateway", "interface_endpoints": endpoints}
    with pytest.raises(ConfigError) as caught:
        parse_stack_config({**raw, "webstack:api": api, "webstack:network": network}, "dev", path.name)
    message = str(caught.value)
    assert "webstack:api.tracing: the OpenTelemetry collector's image comes from ECR Public" in message
    assert "webstack:api.environment.OTEL_SERVICE_NAME: OTEL_SERVICE_NAME is set by webstack" in message


def test_slack_goes_through_chatbot_with_a_read_only_guardrail():
    run = render_stack_file(ROOT / "examples" / "payments.yaml", "payments")
    slack = one(run, "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration")
    assert slack.inputs["guardrailPolicyArns"] == ["arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess"]
    assert (slack.inputs["slackTeamId"], slack.inputs["slackChannelId"]) == ("T0123ABCD45", "C0123ABCD45")
    assert slack.inputs["region"] == "us-east-2"
    assert slack.property_dependencies["snsTopicArns"] == [run.named("alerts-topic").urn]
    role = run.named("alerts-chatbot-role")
    (trust,) = statements(document(role, "assumeRolePolicy"))
    assert trust["Principal"] == {"Service": "chatbot.amazonaws.com"}
    (grant,) = statements(document(run.named("alerts-chatbot-policy"), "policy"))
    reads = ["cloudwatch:DescribeAlarms", "cloudwatch:GetMetricData", "cloudwatch:GetMetricWidgetImage"]
    assert grant["Action"] == reads


def test_the_pagerduty_url_never_reaches_the_plan_outputs_or_logs():
    """As the Pulumi CLI runs the program: the decrypted URL, its key among the secret keys."""
    config = {"aws:region": "us-east-1", "webstack:name_prefix": "qa-shop", "webstack:environment": "qa",
              "webstack:network": "false", "webstack:database": "false", "webstack:cache": "false",
              "webstack:alerts": json.dumps({"pagerduty_url": PAGERDUTY})}  # fmt: skip
    run = render_stack(ROOT, "qa", config, ["webstack:alerts"], "us-east-1")
    subscription = run.named("alerts-pagerduty")
    assert (subscription.inputs["protocol"], subscription.inputs["endpointAutoConfirms"]) == ("https", True)
    text = json.dumps(plan_document(run)) + json.dumps(run.outputs) + json.dumps(run.logs)
    assert KEY_OF_PAGERDUTY not in text
    assert json.loads(json.dumps(plan_document(run)))  # the plan is written all the same


def prod_estimate(price_region: str | None = None):
    return estimate(plan_document(shipped_stack("prod")), PriceTable.load(), load_usage("prod"), "prod", price_region)


def test_waf_logs_are_priced_in_us_east_1_from_the_requests_the_web_acl_sees():
    lines = [item for _, item in prod_estimate().lines if "aws-waf-logs-exiuscart-prod-edge" in item.description]
    (ingestion,) = lines
    # 50 M requests (usage waf_requests_millions) at 1.5 KB a record, priced where the group is.
    assert (ingestion.quantity, ingestion.unit_price, ingestion.key) == (75, 0.5, "logs.ingest")
    dev_api = estimate(
        plan_document(render_stack_file(ROOT / "examples" / "usarakhi-dev.yaml", "usarakhi-dev")),
        PriceTable.load(), load_usage("usarakhi-dev"), "usarakhi-dev", None,
    )  # fmt: skip
    (blocked,) = [i for _, i in dev_api.lines if "aws-waf-logs-usarakhi-dev-api" in i.description]
    assert blocked.quantity == pytest.approx(0.06 * 1.5 * 0.02)  # only what a rule blocked or counted


def test_a_traced_service_pays_for_the_traces_its_sampler_keeps():
    (traces,) = [
        i
        for component, i in prod_estimate("us-east-1").lines
        if i.key == "xray.traces" and "collector" in i.description
    ]
    assert traces.quantity == pytest.approx(20 * 0.05) and "0.05 of usage" in traces.description


def test_a_dashboard_above_50_metrics_is_outside_the_free_tier():
    small = dashboard_body(DashboardParts(databases=("db",)), "us-east-1", "small")
    large = dashboard_body(DashboardParts(functions=tuple(f"f{i}" for i in range(13))), "us-east-1", "large")
    plan = {"steps": [
        {"newState": {"urn": f"urn:pulumi:s::p::aws:cloudwatch/dashboard:Dashboard::{name}", "custom": True,
                      "type": "aws:cloudwatch/dashboard:Dashboard", "inputs": {"dashboardBody": json.dumps(body)}}}
        for name, body in (("small", small), ("large", large))
    ]}  # fmt: skip
    figures = estimate(plan, PriceTable.load(), load_usage("prod"), "prod", "us-east-1")
    assert {item.key for _, item in figures.lines} == {"cloudwatch.dashboard", "cloudwatch.large_dashboard",
                                                        "free.cloudwatch.dashboard"}  # fmt: skip
    assert figures.total == pytest.approx(3.0)  # the small one is free, the 52-metric one is not


def test_validate_refuses_waf_logs_to_a_group_without_the_prefix():
    plan = copied(plan_document(shipped_stack("prod")))  # the shipped render is shared: change a copy
    for step in plan["steps"]:
        if step["newState"]["type"] == WAF_LOGGING:
            step["newState"]["inputs"]["logDestinationConfigs"] = [
                "arn:aws:logs:us-east-1:123456789012:log-group:/aws/wafv2/payment-system-production"
            ]
    (finding,) = validate_plan(plan).findings
    assert finding.rule == "WAF logs only to log groups whose names start with aws-waf-logs-"
