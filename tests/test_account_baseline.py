"""The account baseline (webstack:kind: account): what examples/account-baseline.yaml plans, how its
config is refused, and how its budget is computed."""

from __future__ import annotations

import functools
from typing import Any

import pytest
import yaml

from components.api_settings import execution_role_policy
from components.config_rules import FSBP_MANAGED_RULES, UNCHECKED
from webstack.commands.cli import main
from webstack.cost.budget import StackFigure, check_budget, rounded_limit
from webstack.cost.tables import PriceTable
from webstack.deployment.deploy import destroy_guards
from webstack.diagram import build_architecture
from webstack.offline.plan_json import plan_document
from webstack.program.config_account import AccountConfig
from webstack.program.config_problems import ConfigError
from webstack.program.stack_settings import as_pulumi_config, parse_any_config, parse_stack_config, read_config_file
from webstack_policy.catalog import all_rules  # type: ignore[import-not-found]

from .helpers import ROOT, document, rendered_once, shipped_stack, statements

EXAMPLE = ROOT / "examples" / "account-baseline.yaml"
TRAIL_ARN = "arn:aws:cloudtrail:me-south-1:123456789012:trail/exiuscart-account-trail"


@functools.cache
def baseline():
    raw, secrets = read_config_file(EXAMPLE)
    return rendered_once(ROOT, "account-baseline", as_pulumi_config(raw), secrets, "me-south-1")


def raw_example() -> dict[str, Any]:
    return read_config_file(EXAMPLE)[0]


def test_the_trail_records_every_region_signed_encrypted_and_into_cloudwatch():
    run = baseline()
    trail = run.named("trail-trail")
    key = run.named("trail-logs-key")
    assert trail.inputs["isMultiRegionTrail"] and trail.inputs["includeGlobalServiceEvents"]
    assert trail.inputs["enableLogFileValidation"] and trail.inputs["enableLogging"]
    assert trail.inputs["eventSelectors"] == [{"readWriteType": "All", "includeManagementEvents": True}]
    assert trail.property_dependencies["kmsKeyId"] == [key.urn]
    assert trail.inputs["cloudWatchLogsGroupArn"].endswith("log-group:/aws/cloudtrail/exiuscart-account-trail:*")
    # CloudTrail checks the bucket policy and the role's permissions when the trail is created.
    assert {run.named("trail-logs-policy").urn, run.named("trail-to-logs-policy").urn} <= set(trail.dependencies)
    policy = {s.get("Sid"): s for s in statements(document(key, "policy"))}
    encrypt = policy["CloudTrailEncryptLogs"]
    assert encrypt["Condition"]["StringEquals"] == {"aws:SourceArn": TRAIL_ARN}
    assert encrypt["Condition"]["StringLike"] == {
        "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:123456789012:trail/*"
    }
    assert "CloudWatchLogsEncryption" in policy


def test_the_trail_bucket_is_locked_logged_tls_only_and_written_by_the_trail_alone():
    run = baseline()
    bucket = run.named("trail-logs-bucket")
    assert bucket.inputs["objectLockEnabled"] is True
    lock = run.named("trail-logs-object-lock").inputs
    assert lock["rule"] == {"defaultRetention": {"mode": "COMPLIANCE", "days": 365}}
    assert run.named("trail-logs-versioning").inputs["versioningConfiguration"] == {"status": "Enabled"}
    logging = run.named("trail-logs-access-logs")
    assert logging.property_dependencies["targetBucket"] == [run.named("access-logs-bucket").urn]
    found = statements(document(run.named("trail-logs-policy"), "policy"))
    assert [s["Sid"] for s in found] == ["DenyInsecureTransport", "CloudTrailAclCheck", "CloudTrailWrite"]
    write = found[2]
    assert write["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert write["Condition"]["StringEquals"] == {
        "aws:SourceArn": TRAIL_ARN,
        "s3:x-amz-acl": "bucket-owner-full-control",
    }
    assert write["Resource"].endswith("/cloudtrail/AWSLogs/123456789012/*")
    expiry = run.named("trail-logs-lifecycle").inputs["rules"][0]
    assert expiry["expiration"] == {"days": 2557}


def test_guardduty_sets_every_protection_plan_explicitly():
    run = baseline()
    features = {f.inputs["name"]: f.inputs for f in run.of_type("aws:guardduty/detectorFeature:DetectorFeature")}
    assert {name: f["status"] for name, f in features.items()} == {
        "S3_DATA_EVENTS": "ENABLED",
        "RDS_LOGIN_EVENTS": "ENABLED",
        "EKS_AUDIT_LOGS": "DISABLED",
        "EBS_MALWARE_PROTECTION": "DISABLED",  # the example: no EC2 in prod
        "LAMBDA_NETWORK_LOGS": "DISABLED",
        "RUNTIME_MONITORING": "ENABLED",
    }
    assert features["RUNTIME_MONITORING"]["additionalConfigurations"] == [
        {"name": "ECS_FARGATE_AGENT_MANAGEMENT", "status": "ENABLED"},
        {"name": "EKS_ADDON_MANAGEMENT", "status": "DISABLED"},
        {"name": "EC2_AGENT_MANAGEMENT", "status": "DISABLED"},
    ]
    detector = run.named("guardduty-detector").inputs
    assert detector == {**detector, "enable": True, "findingPublishingFrequency": "FIFTEEN_MINUTES"}


def test_config_records_everything_with_its_service_linked_role_and_evaluates_the_packs_controls():
    run = baseline()
    recorder = run.named("config-recorder")
    assert recorder.property_dependencies["roleArn"] == [run.named("config-service-linked-role").urn]
    assert recorder.inputs["recordingGroup"] == {"allSupported": True, "includeGlobalResourceTypes": True}
    channel = run.named("config-channel")
    assert channel.property_dependencies["s3KmsKeyArn"] == [run.named("config-delivery-key").urn]
    assert channel.inputs["snapshotDeliveryProperties"] == {"deliveryFrequency": "TwentyFour_Hours"}
    status = run.named("config-recording")
    assert status.inputs["isEnabled"] is True and channel.urn in status.dependencies
    rules = {r.inputs["source"]["sourceIdentifier"]: r for r in run.of_type("aws:cfg/rule:Rule")}
    expected = {rule.identifier for rule in FSBP_MANAGED_RULES.values() if not rule.us_east_1_only}
    assert set(rules) == expected  # CloudFront's rules only in us-east-1, where Config records distributions
    assert all(status.urn in r.dependencies for r in rules.values())
    assert (
        rules["SECRETSMANAGER_SECRET_PERIODIC_ROTATION"].inputs["inputParameters"] == '{"maxDaysSinceRotation": "90"}'
    )
    policy = statements(document(run.named("config-delivery-policy"), "policy"))
    delivery = next(s for s in policy if s.get("Sid") == "ConfigBucketDelivery")
    assert delivery["Condition"]["StringEquals"]["aws:SourceAccount"] == "123456789012"


def test_security_hub_runs_fsbp_only_after_config_records_and_the_budget_alerts_at_80_and_100_percent():
    run = baseline()
    hub = run.named("findings-hub").inputs
    assert (hub["enableDefaultStandards"], hub["controlFindingGenerator"]) == (False, "SECURITY_CONTROL")
    standard = run.named("findings-fsbp")
    assert standard.inputs["standardsArn"] == (
        "arn:aws:securityhub:me-south-1::standards/aws-foundational-security-best-practices/v/1.0.0"
    )
    component = next(r for r in run.registrations if r.type == "webstack:audit:SecurityFindings")
    assert run.named("config-recording").urn in component.dependencies
    assert run.named("findings-access-analyzer").inputs["type"] == "ACCOUNT"
    budget = run.named("budget-budget").inputs
    assert (budget["budgetType"], budget["timeUnit"], budget["limitUnit"]) == ("COST", "MONTHLY", "USD")
    assert budget["limitAmount"] == f"{raw_example()['webstack:budget']['monthly_limit_usd']:.2f}"
    assert sorted((n["threshold"], n["notificationType"]) for n in budget["notifications"]) == [
        (80, "ACTUAL"), (80, "FORECASTED"), (100, "ACTUAL"), (100, "FORECASTED")
    ]  # fmt: skip
    assert {tuple(n["subscriberEmailAddresses"]) for n in budget["notifications"]} == {
        ("platform-alerts@exiuscart.com", "finance@exiuscart.com")
    }


def test_a_second_regions_baseline_has_no_trail_no_budget_and_records_no_global_resources():
    raw = raw_example()
    raw.pop("webstack:budget")
    raw.update(
        {"aws:region": "eu-west-1", "webstack:primary_region": False, "webstack:recording": {"managed_rules": []}}
    )
    run = rendered_once(ROOT, "account-eu", as_pulumi_config(raw), [], "eu-west-1")
    types = {r.type for r in run.custom()}
    assert not types & {"aws:cloudtrail/trail:Trail", "aws:budgets/budget:Budget", "aws:cfg/rule:Rule"}
    assert run.named("config-recorder").inputs["recordingGroup"]["includeGlobalResourceTypes"] is False
    assert {"aws:guardduty/detector:Detector", "aws:securityhub/account:Account"} <= types


def problems(**changes: Any) -> list[str]:
    raw = {**raw_example(), **changes}
    raw = {k: v for k, v in raw.items() if v is not None}
    with pytest.raises(ConfigError) as caught:
        parse_any_config(raw, "account-baseline", "account-baseline.yaml")
    return [f"{p.key}: {p.message}" for p in caught.value.problems]


def test_the_primary_region_needs_a_budget_and_no_other_region_may_have_one():
    assert problems(**{"webstack:budget": None}) == [
        "webstack:budget: the primary region's baseline sets the account's monthly budget: give "
        "monthly_limit_usd, stacks and emails (`webstack budget` computes the limit)"
    ]
    assert problems(**{"webstack:primary_region": False}) == [
        "webstack:budget: budgets are global: set it in the primary region's baseline only"
    ]


def test_account_keys_are_checked_like_a_stacks():
    found = problems(**{
        "webstack:trail": {"object_lock_days": 400, "expire_after_days": 30, "object_lock_mode": "LEGAL_HOLD"},
        "webstack:guardduty": {"eks": True},
    })  # fmt: skip
    assert any(p.startswith("webstack:trail.object_lock_mode:") and "GOVERNANCE" in p for p in found), found
    assert any(p.startswith("webstack:guardduty.eks:") for p in found), found
    assert problems(**{"webstack:trail": {"object_lock_days": 400, "expire_after_days": 30}}) == [
        "webstack:trail.expire_after_days: must be at least trail.object_lock_days (400): S3 cannot expire a "
        "locked log file"
    ]


def test_a_kind_other_than_stack_or_account_is_refused_and_workload_commands_refuse_a_baseline():
    assert problems(**{"webstack:kind": "organization"}) == [
        "webstack:kind: is 'organization': stack (a workload stack, the default) or account (an account baseline)"
    ]
    with pytest.raises(ConfigError, match="an account baseline has no services, sites or data"):
        parse_stack_config(raw_example(), "account-baseline", "account-baseline.yaml")


def test_destroy_names_the_locked_log_files():
    config = parse_any_config(raw_example(), "account-baseline", "account-baseline.yaml")
    assert isinstance(config, AccountConfig)
    (locked, kept) = destroy_guards(config)
    assert locked.startswith("the trail's log files are object-locked (COMPLIANCE, 365 days)")
    assert "keep_data_on_destroy" in kept


def test_the_budget_limit_is_the_total_rounded_up_to_the_next_10_dollars():
    assert [rounded_limit(t) for t in (471.99, 460.0, 460.001, 0.01)] == [480, 460, 460, 10]
    nat = {"type": "aws:ec2/natGateway:NatGateway", "urn": "urn:nat", "custom": True, "inputs": {}}
    provider = {"type": "pulumi:providers:aws", "urn": "urn:p", "custom": True, "inputs": {"region": "me-south-1"}}
    partial = {"steps": [{"newState": nat}, {"newState": provider}]}
    usage = {"hours_per_month": 730, "nat_gb_per_month": 10}
    check = check_budget(40, [("prod", partial)], PriceTable.load(), lambda _: usage)
    # me-south-1 has the NAT's hourly price but not its per-GB one: priced at us-east-1 instead.
    assert check.figures == [StackFigure("prod", "me-south-1", "us-east-1", 730 * 0.045 + 10 * 0.045, 0)]
    assert (check.limit, check.matches) == (40, True)


def test_the_examples_budget_is_what_the_cost_model_gives(capsys):
    """`webstack budget` plans prod and the baseline offline and agrees with the example's limit."""
    assert main(["budget", "account-baseline", "--config", str(EXAMPLE)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    limit = yaml.safe_load(EXAMPLE.read_text())["config"]["webstack:budget"]["monthly_limit_usd"]
    assert f"Limit: ${limit:,}" in out and f"monthly_limit_usd is {limit}: up to date" in out
    # The example turns the Fargate agent on, and the shipped prod stack grants its pull: no warning.
    assert "guardduty_agent_repository" not in out


def test_every_fsbp_control_the_pack_enforces_has_a_managed_rule_or_a_reason_not_to():
    pack = {c.strip() for rule in all_rules() if rule.fsbp for c in rule.fsbp.split(",")}
    assert pack - set(FSBP_MANAGED_RULES) == set(UNCHECKED)
    assert set(FSBP_MANAGED_RULES) <= pack, "a managed rule for a control the pack does not enforce"


AGENT = "arn:aws:ecr:me-south-1:111122223333:repository/aws-guardduty-agent-fargate"


def test_a_workload_stack_lets_its_tasks_pull_guarddutys_agent_from_its_regions_repository():
    policy = execution_role_policy(
        region="me-south-1", account_id="123456789012", repository_arn=None, log_group="/ecs/x-api",
        secret_value_froms=[], kms_key_arns=[], sidecar_repository_arns=[AGENT],
    )  # fmt: skip
    found = {s["Sid"]: s for s in policy["Statement"]}
    assert found["PullSidecarImages"]["Resource"] == [AGENT]
    # The shipped prod stack's tasks may pull it from AWS's me-south-1 repository of the agent.
    (service_role_policy,) = [
        p.inputs["policy"]
        for p in shipped_stack("prod").of_type("aws:iam/rolePolicy:RolePolicy")
        if "aws-guardduty-agent-fargate" in str(p.inputs.get("policy"))
    ]
    assert "arn:aws:ecr:me-south-1:536382113932:repository/aws-guardduty-agent-fargate" in service_role_policy
    assert found["EcrLogin"]["Action"] == "ecr:GetAuthorizationToken"  # a public app image still logs in for it
    raw, _ = read_config_file(ROOT / "Pulumi.prod.yaml")
    assert parse_stack_config(
        {**raw, "webstack:guardduty_agent_repository": AGENT}, "prod", "p"
    ).guardduty_agent_repository
    with pytest.raises(ConfigError, match="is in us-east-1: tasks pull the agent from the repository of their own"):
        parse_stack_config(
            {**raw, "webstack:guardduty_agent_repository": AGENT.replace("me-south-1", "us-east-1")}, "prod", "p"
        )


def test_the_diagram_draws_where_the_baselines_records_go():
    architecture = build_architecture(plan_document(baseline()), "baseline")
    kinds = {n.kind for n in architecture.nodes}
    assert {"cloudtrail", "guardduty", "config", "securityhub", "access_analyzer", "budget"} <= kinds
    assert "users" not in kinds  # an account baseline serves nobody
    edges = {(e.source, e.target, e.label) for e in architecture.edges}
    assert {
        ("trail-trail", "trail-logs-bucket", "log files"),
        ("config-recorder", "config-delivery-bucket", "snapshots, history"),
        ("guardduty-detector", "findings-hub", "findings"),
        ("config-recorder", "findings-hub", "control checks"),
        ("trail-logs-bucket", "access-logs-bucket", "access logs"),
    } <= edges
