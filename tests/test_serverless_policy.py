"""The serverless components as the pack judges them: what LambdaFunction, ItemTable,
UserDirectory, AppSecret and ServerlessApi register passes every rule of prod.json, through the
analyzer protocol, as the real engine would judge it."""

from __future__ import annotations

import pytest

from components import (
    AppSecret,
    AppSecretArgs,
    ItemTable,
    ItemTableArgs,
    LambdaFunction,
    LambdaFunctionArgs,
    ServerlessApi,
    ServerlessApiArgs,
    StackBackup,
    StackBackupArgs,
    UserDirectory,
    UserDirectoryArgs,
)
from webstack.offline.first_preview import as_first_preview
from webstack.offline.plan_json import plan_document
from webstack.policy_driver.engine import POLICY_DIR, read_policy_config

from .helpers import SharedPolicyServer, render
from .test_first_preview import INHERENTLY_BLIND, undecided
from .test_serverless_api import POOL, SEED, TARGETS

PROD = read_policy_config(POLICY_DIR / "config" / "prod.json")
READER = "arn:aws:iam::123456789012:role/checkout"


@pytest.fixture(scope="module")
def judge():
    def verdicts(program) -> list[tuple[str, str]]:
        with SharedPolicyServer() as server:
            server.configure(PROD, "prod")
            violations = server.analyze(plan_document(render(program)))
        return sorted((v.policy, v.urn.rsplit("::", 1)[-1]) for v in violations)

    return verdicts


def defaults(code_path: str) -> None:
    """Each serverless component with its defaults (a function with an environment), and the table
    backed up to another region as a prod stack must (StackBackup's defaults)."""
    environment = {"TABLE_NAME": "usarakhi-prod"}
    LambdaFunction("f", LambdaFunctionArgs(name="usarakhi-prod-checkout", code_path=code_path, environment=environment))
    table = ItemTable("t", ItemTableArgs(name="usarakhi-prod"))
    StackBackup(
        "b", StackBackupArgs(name_prefix="usarakhi-prod", copy_region="us-west-2", resource_arns=[table.table_arn])
    )
    UserDirectory("u", UserDirectoryArgs(name="usarakhi-prod"))
    AppSecret("s", AppSecretArgs(name="usarakhi-prod/stripe")).allow_readers([READER])
    ServerlessApi("api", ServerlessApiArgs(name="usarakhi-prod", routes=SEED, targets=TARGETS, user_pool_arn=POOL))


def test_the_serverless_components_as_configured_by_default_pass_every_rule(judge, tmp_path):
    # All but the advisory secrets-rotate: a secret set out of band rotates only with its owner's function.
    assert judge(lambda: defaults(str(tmp_path))) == [("secrets-rotate", "s-secret")]


def test_on_a_first_preview_of_them_only_the_rules_reading_whole_policy_documents_wait(tmp_path):
    """Every serverless rule decides while ids and ARNs are unknown; the role's policy document (an ARN
    in it) stays the engine's advisory, as on the shipped stacks."""
    with SharedPolicyServer() as server:
        server.configure(PROD, "prod")
        violations = server.analyze(as_first_preview(render(lambda: defaults(str(tmp_path)))))
    assert [v for v in violations if v.level == "mandatory"] == []
    assert {v.policy for v in undecided(violations)} <= INHERENTLY_BLIND


def test_their_options_pass_every_rule_too(judge, tmp_path):
    """Provisioned concurrency (alias), the PLUS plan (threat protection), required MFA, the API's own
    domain and CORS preflight."""

    def program() -> None:
        LambdaFunction(
            "f",
            LambdaFunctionArgs(
                name="usarakhi-prod-checkout",
                code_path=str(tmp_path),
                reserved_concurrency=5,
                provisioned_concurrency=1,
            ),
        )
        UserDirectory("u", UserDirectoryArgs(name="usarakhi-prod", feature_plan="PLUS", mfa="ON"))
        ServerlessApi(
            "api",
            ServerlessApiArgs(
                name="usarakhi-prod",
                routes=SEED,
                targets=TARGETS,
                user_pool_arn=POOL,
                cors_origin="https://usarakhi.com",
                domain_name="api.usarakhi.com",
                certificate_arn="arn:aws:acm:us-east-1:123456789012:certificate/x",
                zone_id="Z1",
            ),
        )

    assert judge(program) == []


def test_an_api_cache_keeps_the_other_gets_out_of_it_and_passes(judge):
    """Once a stage has a cache cluster API Gateway caches every GET by default (API Gateway Developer
    Guide, "Cache settings for REST APIs"): ServerlessApi's */* settings turn caching off and encrypt,
    so only the routes marked cached are kept, encrypted. (Before, the cart and the orders were cached
    too, unencrypted, and the rule reported the stage.)"""

    def program() -> None:
        ServerlessApi(
            "api",
            ServerlessApiArgs(
                name="usarakhi-prod", routes=SEED, targets=TARGETS, user_pool_arn=POOL, cache_size_gb="0.5"
            ),
        )

    assert judge(program) == []
