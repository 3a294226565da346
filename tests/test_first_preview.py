"""The policy pack on a first real preview: what it can decide while every output is unknown."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError, unknown_checking_proxy

from webstack.commands.cli import main
from webstack.offline.first_preview import UNKNOWN, as_first_preview
from webstack.policy_driver.engine import read_policy_config
from webstack.program.stack_settings import POLICY_DIR
from webstack_policy.catalog import all_rules  # type: ignore[import-not-found]
from webstack_policy.registry import config_with_defaults  # type: ignore[import-not-found]

from .helpers import SharedPolicyServer, shipped_stack

RULES = {rule.name: rule for rule in all_rules()}
# Rules that read a whole JSON document the provider's Check turns into one unknown string when
# any ARN in it is unknown (policy/README.md, "On a first preview").
INHERENTLY_BLIND = {
    "s3-bucket-policy-grants-no-public-access",
    "s3-bucket-denies-insecure-transport",
    "iam-no-star-resource-for-writes",
    "iam-no-wildcard-actions",
    "iam-pass-role-scoped",
    "ecs-container-hardening",
    "ecs-secrets-not-in-environment",
    "ecs-container-logging",
    "s3-replication-role-least-privilege",
}
# Undecidable rule evaluations on a simulated first preview, per shipped stack (51 before this
# pack judged unknown values by what they must be). A change that blinds a rule fails here.
# prod: 6 more for the uploads replica (its role's policy: the three IAM rules and the role rule;
# the replica's and the replica logs' bucket policies). dev: 3 more for the task role's exec policy
# (its key ARN); both: 6 for the cache AUTH rotation function's two role policies (its queue's,
# key's and the secret's ARNs).
MOST_UNDECIDED = {"prod": 35, "dev": 35}


def undecided(violations: list[Any]) -> list[Any]:
    return [v for v in violations if "during preview" in v.message]


@pytest.fixture(scope="module")
def first_previews() -> dict[str, list[Any]]:
    verdicts = {}
    with SharedPolicyServer() as server:
        for stack in ("dev", "prod"):
            server.configure(read_policy_config(POLICY_DIR / "config" / f"{stack}.json"), stack)
            verdicts[stack] = server.analyze(as_first_preview(shipped_stack(stack)))
    return verdicts


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_a_first_preview_of_a_shipped_stack_leaves_only_the_documented_rules_undecided(first_previews, stack):
    violations = first_previews[stack]
    blind = undecided(violations)
    assert [(v.policy, v.urn) for v in violations if v.level == "mandatory"] == []
    assert {v.policy for v in blind} <= INHERENTLY_BLIND
    assert len(blind) <= MOST_UNDECIDED[stack]


def test_outputs_become_unknown_and_literal_structure_stays():
    plan = as_first_preview(shipped_stack("prod"))
    states = {s["newState"]["urn"].rsplit("::", 1)[-1]: s["newState"]["inputs"] for s in plan["steps"]}
    distribution = states["website-edge-distribution"]
    behaviour = distribution["defaultCacheBehavior"]
    assert behaviour["viewerProtocolPolicy"] == "redirect-to-https"  # literal: known
    assert behaviour["cachePolicyId"] == UNKNOWN  # the cache policy's id: not yet
    assert distribution["origins"][0]["domainName"] == UNKNOWN
    assert distribution["viewerCertificate"]["minimumProtocolVersion"] == "TLSv1.2_2025"
    # What invokes return is known on a first preview: the account and region in a key policy.
    key_policy = json.loads(states["database-key"]["policy"])
    assert key_policy["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"}
    assert states["api-execution-policy"]["policy"] == UNKNOWN  # built with the repository ARN
    assert states["database-primary"]["kmsKeyId"] == UNKNOWN
    assert states["database-primary"]["storageEncrypted"] is True


def judge(rule_name: str, props: dict[str, Any]) -> list[str]:
    """A resource rule's verdict on props as the engine hands them over (unknowns as sentinels)."""
    rule = RULES[rule_name]
    check: Any = rule.check
    return list(check(unknown_checking_proxy(props), config_with_defaults(rule, None)))


UNKNOWN_VALUE = UNKNOWN_STRING_VALUE


@pytest.mark.parametrize(
    ("rule", "props"),
    [
        ("log-group-encrypted-with-kms", {"name": "/ecs/x", "kmsKeyId": UNKNOWN_VALUE}),
        ("secret-encrypted-with-cmk", {"kmsKeyId": UNKNOWN_VALUE}),
        ("rds-storage-encrypted-with-cmk", {"storageEncrypted": True, "kmsKeyId": UNKNOWN_VALUE}),
        ("rds-performance-insights-encrypted-with-cmk",
         {"performanceInsightsEnabled": True, "performanceInsightsKmsKeyId": UNKNOWN_VALUE}),
        ("elasticache-encrypted-at-rest-with-cmk", {"atRestEncryptionEnabled": True, "kmsKeyId": UNKNOWN_VALUE}),
        ("elasticache-in-vpc-subnets", {"subnetGroupName": UNKNOWN_VALUE, "securityGroupIds": [UNKNOWN_VALUE]}),
        ("sns-topic-encrypted-with-kms", {"kmsMasterKeyId": UNKNOWN_VALUE}),
        ("cloudfront-waf-attached", {"webAclId": UNKNOWN_VALUE}),
        ("alb-access-logs-enabled", {"accessLogs": {"enabled": True, "bucket": UNKNOWN_VALUE}}),
        ("alb-https-listener-uses-allowed-tls-policy",
         {"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "certificateArn": UNKNOWN_VALUE}),
        ("cloudfront-s3-origins-use-oac",
         {"origins": [{"originId": "s3", "domainName": UNKNOWN_VALUE, "originAccessControlId": UNKNOWN_VALUE}]}),
        ("cloudfront-s3-origins-use-oac",
         {"origins": [{"originId": "alb", "domainName": UNKNOWN_VALUE, "customOriginConfig": {"httpsPort": 443}}]}),
        ("backup-vault-encrypted-with-cmk", {"name": "acme-backups", "kmsKeyArn": UNKNOWN_VALUE}),
        # The web ACL and log group ARNs are not known yet; the redacted headers are literal.
        ("waf-logs-redact-credentials",
         {"resourceArn": UNKNOWN_VALUE, "logDestinationConfigs": [UNKNOWN_VALUE],
          "redactedFields": [{"singleHeader": {"name": "authorization"}}, {"singleHeader": {"name": "cookie"}}]}),
        ("chatbot-channel-guardrails-least-privilege",
         {"iamRoleArn": UNKNOWN_VALUE, "snsTopicArns": [UNKNOWN_VALUE],
          "guardrailPolicyArns": ["arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess"]}),
        ("cloudtrail-encrypted-with-cmk", {"kmsKeyId": UNKNOWN_VALUE}),
        ("cloudtrail-cloudwatch-logs",
         {"cloudWatchLogsGroupArn": UNKNOWN_VALUE, "cloudWatchLogsRoleArn": UNKNOWN_VALUE}),
    ],
)  # fmt: skip
def test_a_value_set_but_not_known_yet_counts_as_set(rule, props):
    """A key, web ACL, log bucket or OAC that is there but unknown came from a resource of the
    stack: the rule decides (no violation), instead of leaving the engine an advisory."""
    assert judge(rule, props) == []


@pytest.mark.parametrize(
    ("rule", "props", "words"),
    [
        ("secret-encrypted-with-cmk", {"kmsKeyId": "alias/aws/secretsmanager"}, "AWS managed key"),
        ("rds-storage-encrypted-with-cmk", {"storageEncrypted": True, "kmsKeyId": "alias/aws/rds"}, "AWS managed"),
        ("sns-topic-encrypted-with-kms", {"kmsMasterKeyId": "arn:aws:kms:me-south-1:1:alias/aws/sns"}, "alias/aws"),
        ("rds-storage-encrypted-with-cmk", {"storageEncrypted": True}, "AWS managed key"),
        ("cloudfront-waf-attached", {}, "no webAclId"),
        ("waf-logs-redact-credentials", {"resourceArn": UNKNOWN_VALUE, "logDestinationConfigs": [UNKNOWN_VALUE]},
         "authorization header is logged in clear"),
        ("alb-access-logs-enabled", {"accessLogs": {"enabled": True}}, "access logs are off"),
        ("backup-vault-encrypted-with-cmk", {"name": "v", "kmsKeyArn": "alias/aws/backup"}, "AWS managed key"),
    ],
)  # fmt: skip
def test_known_values_and_absent_keys_are_still_judged(rule, props, words):
    """An AWS managed key is a literal alias, never unknown: it is still refused."""
    assert any(words in message for message in judge(rule, props))


def test_an_origin_of_unknown_kind_without_oac_stays_undecided():
    """Not known yet, no OAC, no custom or VPC origin config: it may be a bare bucket, so the rule
    leaves it to the engine's advisory rather than pass it."""
    with pytest.raises(UnknownValueError):
        judge("cloudfront-s3-origins-use-oac", {"origins": [{"originId": "o", "domainName": UNKNOWN_VALUE}]})


def test_an_iam_statement_whose_resource_is_not_known_is_a_specific_arn_not_a_star():
    props = {
        "policy": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": UNKNOWN_VALUE}],
        }
    }
    assert judge("iam-no-star-resource-for-writes", props) == []
    props["policy"]["Statement"][0]["Resource"] = "*"
    assert judge("iam-no-star-resource-for-writes", props)


def test_plan_as_first_preview_prints_the_packs_coverage(tmp_path, capsys):
    assert main(["plan", "prod", "--as-first-preview", "--out", str(tmp_path / "p.json")]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "First-preview coverage: 98 of 107 rules decide; 9 cannot (35 evaluations" in out
    assert "s3-bucket-policy-grants-no-public-access: 9 resources" in out  # 7 + the replica and its logs
    assert "can't run policy" not in out  # summarised, not listed one by one
    assert json.loads((tmp_path / "p.json").read_text())["steps"]  # the plan, with its unknowns
