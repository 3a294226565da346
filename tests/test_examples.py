"""Example stack configs for the seed systems render offline with no mandatory violation."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
import yaml

from webstack.commands.cli import main
from webstack.commands.plan_tree import resource_count
from webstack.cost.estimate import estimate
from webstack.cost.tables import PriceTable, load_usage
from webstack.offline.plan_json import plan_document

from .helpers import ROOT, readme_figure, render_stack_file

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


# The policy config each example is judged by: its environment's, else prod.json.
JUDGED_BY = {
    "monay-dev": "dev.json",
    "seed-000-dev": "dev.json",
    "monay-staging": "staging.json",
    "usarakhi-dev": "dev.json",
    "usarakhi-staging": "staging.json",
}


# Seed 000's own prod architecture (a yardstick for `cost --compare`, not a stack to deploy) has the
# seed's one NAT gateway, which prod.json refuses.
REFUSED = {"seed-000-prod": "nat-per-az"}


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_plans_with_no_mandatory_violation_and_nothing_aws_would_refuse(example: Path, tmp_path, capsys):
    """`plan --config` exits 0 only when the pack finds no mandatory violation and `validate`
    nothing AWS would refuse; every resource type is mapped to its API call."""
    code = main(["plan", "--config", str(example), "--out", str(tmp_path / "plan.json")])
    out = " ".join(capsys.readouterr().out.split())
    refused = REFUSED.get(example.stem)
    assert code == (1 if refused else 0)
    if refused:
        assert f"1 mandatory violation medium {refused}" in out
    assert f"policy/config/{JUDGED_BY.get(example.stem, 'prod.json')}" in out
    assert "nothing AWS would refuse" in out and "no API call in webstack/validate/mapping.py" not in out
    # monay-dev names no alert subscriber: allowed under dev.json, with a warning.
    assert ("warning: webstack:alerts names no subscriber" in out) == (example.stem == "monay-dev")


def test_exiuscart_example_has_the_shape_of_the_shipped_prod_stack():
    example = (ROOT / "examples" / "exiuscart.yaml").read_text().splitlines()
    prod = (ROOT / "Pulumi.prod.yaml").read_text().splitlines()
    assert [line for line in example if not line.startswith("#")] == [line for line in prod if not line.startswith("#")]


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_readme_lists_every_example_with_its_estimate(example: Path):
    readme = (ROOT / "README.md").read_text()
    row = next((line for line in readme.splitlines() if f"| `examples/{example.name}` |" in line), None)
    assert row is not None, example.name
    plan = plan_document(example_run(example.stem))
    cost = estimate(plan, PriceTable.load(), load_usage(example.stem), example.stem, "us-east-1")
    assert f"{resource_count(plan)} resources" in row
    assert readme_figure(cost) in row


@functools.cache
def example_run(name: str):
    return render_stack_file(ROOT / "examples" / f"{name}.yaml", name)


def test_payments_routes_api_paths_to_the_backend_on_one_alb_with_waf_and_replica():
    run = example_run("payments")
    assert len(run.of_type("aws:lb/loadBalancer:LoadBalancer")) == 1
    rules = {r.name: r.inputs for r in run.of_type("aws:lb/listenerRule:ListenerRule")}
    backend = rules["api-backend-from-cloudfront"]
    assert {"pathPattern": {"values": ["/api/*"]}} in backend["conditions"]
    assert backend["priority"] < rules["api-frontend-from-cloudfront"]["priority"]
    targets = {
        t.inputs["resourceId"].rsplit("/", 1)[-1]: t.inputs for t in run.of_type("aws:appautoscaling/target:Target")
    }
    assert (targets["payments-prod-backend"]["minCapacity"], targets["payments-prod-backend"]["maxCapacity"]) == (1, 20)
    policies = [
        p.inputs["targetTrackingScalingPolicyConfiguration"]["predefinedMetricSpecification"]
        for p in run.of_type("aws:appautoscaling/policy:Policy")
    ]
    assert any(p["predefinedMetricType"] == "ALBRequestCountPerTarget" for p in policies)
    secrets = {s.inputs["name"] for s in run.of_type("aws:secretsmanager/secret:Secret")}
    assert {"payments-prod/cache/auth", "payments-prod/backend/jwt_secret"} <= secrets
    assert run.of_type("aws:wafv2/webAcl:WebAcl")
    instances = run.of_type("aws:rds/instance:Instance")
    assert any(i.inputs.get("replicateSourceDb") for i in instances)


def test_payments_without_a_domain_serves_on_cloudfronts_name_through_an_internal_alb():
    """Seed 001's domain is optional: one distribution on *.cloudfront.net, an internal ALB on
    HTTP 80 reached through the VPC origin, no zone or certificate, and the acceptance tagged."""
    run = example_run("payments")
    (distribution,) = [d.inputs for d in run.of_type("aws:cloudfront/distribution:Distribution")]
    assert distribution["viewerCertificate"] == {"cloudfrontDefaultCertificate": True}
    assert "aliases" not in distribution
    assert distribution["tags"] == {"CustomDomain": "none", "AcceptedRisk": "no-custom-domain"}
    # Routing is by path on one host, so the viewer's Host (the CloudFront name) is not forwarded.
    assert distribution["defaultCacheBehavior"]["originRequestPolicyId"] == "b689b0a8-53d0-40ab-baf2-68738e2966ac"
    (balancer,) = run.of_type("aws:lb/loadBalancer:LoadBalancer")
    assert balancer.inputs["internal"] is True
    (listener,) = run.of_type("aws:lb/listener:Listener")
    assert (listener.inputs["port"], listener.inputs["protocol"]) == (80, "HTTP")
    assert listener.inputs["defaultActions"][0]["fixedResponse"]["statusCode"] == "403"
    (origin,) = run.of_type("aws:cloudfront/vpcOrigin:VpcOrigin")
    assert origin.inputs["vpcOriginEndpointConfig"]["originProtocolPolicy"] == "http-only"
    for kind in ("acm/certificate:Certificate", "route53/record:Record"):
        assert run.of_type(f"aws:{kind}") == []
    assert run.outputs["apiHost"] == distribution_domain(run)
    assert set(run.outputs["hosts"]) == {run.outputs["apiHost"]}


def distribution_domain(run):
    (distribution,) = run.of_type("aws:cloudfront/distribution:Distribution")
    return run.states[distribution.urn]["domainName"]


def one_distribution(run, alias):
    (found,) = [
        d.inputs for d in run.of_type("aws:cloudfront/distribution:Distribution") if alias in d.inputs["aliases"]
    ]
    return found


def test_billing_runs_a_worker_without_load_balancer_and_stripe_secrets():
    run = example_run("billing")
    services = {s.inputs["name"]: s.inputs for s in run.of_type("aws:ecs/service:Service")}
    assert set(services) == {"billing-prod-api", "billing-prod-worker"}
    assert "loadBalancers" not in services["billing-prod-worker"]
    assert services["billing-prod-api"]["loadBalancers"]
    (db,) = [i.inputs for i in run.of_type("aws:rds/instance:Instance")]
    assert db["multiAz"] and db["backupRetentionPeriod"] == 30 and db["performanceInsightsEnabled"]
    assert db["engineVersion"] == "15"
    (cache,) = [c.inputs for c in run.of_type("aws:elasticache/replicationGroup:ReplicationGroup")]
    assert cache["automaticFailoverEnabled"] and cache["numCacheClusters"] == 2
    secrets = {s.inputs["name"] for s in run.of_type("aws:secretsmanager/secret:Secret")}
    assert {
        "billing-prod/api/stripe_secret_key",
        "billing-prod/api/jwt_secret",
        "billing-prod/worker/stripe_secret_key",
    } <= secrets
    assert run.of_type("aws:secretsmanager/secretVersion:SecretVersion")[0].name == "cache-auth-secret-value"
    assert all(k.inputs["enableKeyRotation"] for k in run.of_type("aws:kms/key:Key"))


def test_monay_serves_three_web_apps_by_host_and_a_static_site():
    run = example_run("monay")
    rules = {r.name: r.inputs for r in run.of_type("aws:lb/listenerRule:ListenerRule")}
    for app, host in (("admin", "admin"), ("web", "app"), ("wallet", "wallet")):
        assert {"hostHeader": {"values": [f"{host}.monay.example.com"]}} in rules[f"api-{app}-from-cloudfront"][
            "conditions"
        ]
        distribution = one_distribution(run, f"{host}.monay.example.com")
        assert distribution["origins"][0]["domainName"] == "origin-api.monay.example.com"
    assert "originAccessControlId" in one_distribution(run, "monay.example.com")["origins"][0]
    assert len(run.of_type("aws:ec2/natGateway:NatGateway")) == 3
    instances = run.of_type("aws:rds/instance:Instance")
    assert len(instances) == 2 and any(i.inputs.get("multiAz") for i in instances)


def test_monay_deploys_its_web_apps_blue_green_as_the_seed_asks():
    run = example_run("monay")
    services = {s.inputs["name"]: s.inputs for s in run.of_type("aws:ecs/service:Service")}
    assert len(services) == 4
    for name, service in services.items():
        assert service["deploymentConfiguration"]["strategy"] == "BLUE_GREEN", name
        assert "advancedConfiguration" in service["loadBalancers"][0], name
        assert len(service["alarms"]["alarmNames"]) == 4 and service["alarms"]["rollback"] is True, name
    assert services["monay-prod-api"]["deploymentConfiguration"]["bakeTimeInMinutes"] == "15"
    assert len(run.of_type("aws:lb/targetGroup:TargetGroup")) == 8


def test_payments_alarms_follow_the_seed_thresholds():
    alarms = {a.name: a.inputs for a in example_run("payments").of_type("aws:cloudwatch/metricAlarm:MetricAlarm")}
    assert alarms["api-backend-alarm-cpu-high"]["threshold"] == 90
    assert alarms["api-frontend-alarm-memory-high"]["threshold"] == 90
    assert alarms["api-alarm-latency-p95"]["threshold"] == 2
    connections = next(a for a in alarms.values() if a.get("metricName") == "DatabaseConnections")
    assert connections["threshold"] == 150


def test_billing_keeps_the_seed_backup_maintenance_and_snapshot_windows():
    run = example_run("billing")
    (db,) = [i.inputs for i in run.of_type("aws:rds/instance:Instance")]
    assert (db["backupWindow"], db["maintenanceWindow"]) == ("03:00-04:00", "mon:04:00-mon:05:00")
    (cache,) = [c.inputs for c in run.of_type("aws:elasticache/replicationGroup:ReplicationGroup")]
    assert (cache["snapshotWindow"], cache["maintenanceWindow"]) == ("03:00-05:00", "mon:05:00-mon:06:00")


def test_payments_health_checks_are_the_seeds_endpoints():
    groups = example_run("payments").of_type("aws:lb/targetGroup:TargetGroup")
    paths = {g.inputs["port"]: g.inputs["healthCheck"]["path"] for g in groups}
    assert paths == {8000: "/api/v1/actuator/health", 3000: "/health"}  # backend, frontend


@pytest.mark.parametrize("name", ["monay", "monay-staging", "monay-dev"])
def test_monay_alarms_follow_the_seed_thresholds(name):
    registered = example_run(name).of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    alarms = {a.name: a.inputs for a in registered}
    redis = [a["threshold"] for a in alarms.values() if a.get("metricName") == "DatabaseMemoryUsagePercentage"]
    ecs_memory = [a["threshold"] for n, a in alarms.items() if n.endswith("-alarm-memory-high")]
    assert redis and set(redis) == {75}
    assert len(ecs_memory) == 4 and set(ecs_memory) == {90}
    assert alarms["api-alarm-5xx-rate"]["threshold"] == 1


@pytest.mark.parametrize(
    ("name", "services", "first"),
    [("payments", {"backend", "frontend"}, "backend"), ("billing", {"api", "worker"}, "api")],
)
def test_every_service_has_its_outputs_and_the_load_balancer_its_dns_name(name, services, first):
    run = example_run(name)
    outputs = run.outputs
    assert set(outputs["services"]) == services
    ecs = {s.name: s for s in run.of_type("aws:ecs/service:Service")}
    repositories = {r.inputs["name"]: run.states[r.urn] for r in run.of_type("aws:ecr/repository:Repository")}
    tasks = {t.inputs["family"]: run.states[t.urn] for t in run.of_type("aws:ecs/taskDefinition:TaskDefinition")}
    prefix = f"{name}-prod"
    for service, entry in outputs["services"].items():
        assert entry["serviceName"] == f"{prefix}-{service}"
        assert entry["repositoryUrl"] == repositories[f"{prefix}-{service}"]["repositoryUrl"]
        assert entry["taskDefinitionArn"] == tasks[f"{prefix}-{service}"]["arn"]
        assert any(s.inputs["name"] == entry["serviceName"] for s in ecs.values())
    (alb,) = run.of_type("aws:lb/loadBalancer:LoadBalancer")
    assert outputs["loadBalancerDnsName"] == run.states[alb.urn]["dnsName"]
    # The single-service outputs stay: they name the first service.
    entry = outputs["services"][first]
    assert (outputs["apiRepositoryUrl"], outputs["apiServiceName"]) == (entry["repositoryUrl"], entry["serviceName"])


def test_database_url_reaches_only_the_service_that_asks_for_it(tmp_path):
    raw = yaml.safe_load((ROOT / "examples" / "payments.yaml").read_text())
    raw["config"]["webstack:services"]["backend"]["database_url"] = True
    path = tmp_path / "payments.yaml"
    path.write_text(yaml.safe_dump(raw))
    run = render_stack_file(path, "payments")
    environments = {
        t.inputs["family"]: {
            e["name"]: e["value"] for e in json.loads(t.inputs["containerDefinitions"])[0]["environment"]
        }
        for t in run.of_type("aws:ecs/taskDefinition:TaskDefinition")
        if t.inputs["family"] in ("payments-prod-backend", "payments-prod-frontend")
    }
    backend, frontend = environments["payments-prod-backend"], environments["payments-prod-frontend"]
    assert "DATABASE_URL" not in frontend and "DB_HOST" in frontend
    assert backend["DATABASE_URL"] == f"postgresql://app@{backend['DB_HOST']}:5432/app?sslmode=require"
