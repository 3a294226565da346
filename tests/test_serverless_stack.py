"""Serverless stacks from config: parts a stack leaves out (`network: false`), the functions, table,
users, secrets and REST API of seed 002 wired together, and what config refuses."""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest

from webstack.deployment.deploy import destroy_guards
from webstack.program.config_problems import ConfigError
from webstack.program.stack_settings import config_warnings, parse_stack_config, read_config_file

from .helpers import ROOT, render_stack_file

FUNCTION = "aws:lambda/function:Function"


@functools.cache
def usarakhi(stack: str = "usarakhi"):
    return render_stack_file(ROOT / "examples" / f"{stack}.yaml", stack)


def functions_by_name(run) -> dict[str, dict[str, Any]]:
    return {f.inputs["name"]: f.inputs for f in run.of_type(FUNCTION)}


def test_a_serverless_stack_builds_no_vpc_database_cache_or_container():
    types = {r.type for r in usarakhi().registrations}
    containers = ("aws:ec2/", "aws:rds/", "aws:elasticache/", "aws:ecs/", "aws:lb/", "aws:ecr/")
    assert not {t for t in types if t.startswith(containers)}  # no image: no registry scanning setting either
    assert set(functions_by_name(usarakhi())) == {
        f"usarakhi-prod-{name}" for name in ("catalog", "cart", "checkout", "orders", "admin")
    }


def test_each_function_is_told_its_table_origin_and_only_its_own_secrets():
    functions = functions_by_name(usarakhi())
    checkout = functions["usarakhi-prod-checkout"]["environment"]["variables"]
    assert checkout["TABLE_NAME"] == "usarakhi-prod" and checkout["CORS_ORIGIN"] == "https://usarakhi.com"
    assert checkout["STRIPE_SECRET_KEY_SECRET_ARN"].startswith("arn:aws:secretsmanager:")
    catalog = functions["usarakhi-prod-catalog"]["environment"]["variables"]
    assert "STRIPE_SECRET_KEY_SECRET_ARN" not in catalog and catalog["TABLE_NAME"] == "usarakhi-prod"


def role_policy(run, function: str) -> dict[str, Any]:
    (policy,) = [
        p for p in run.of_type("aws:iam/rolePolicy:RolePolicy") if p.name == f"function-{function}-role-policy"
    ]
    return json.loads(policy.inputs["policy"])


def test_roles_grant_the_table_actions_config_names_and_the_secret_to_checkout_only():
    run = usarakhi()
    grants = {s["Sid"]: s for s in role_policy(run, "catalog")["Statement"]}
    assert sorted(grants["Table"]["Action"]) == ["dynamodb:GetItem", "dynamodb:Query"]
    assert "Secrets" not in grants
    checkout = {s["Sid"]: s for s in role_policy(run, "checkout")["Statement"]}
    assert checkout["Secrets"]["Action"] == "secretsmanager:GetSecretValue"
    (secret_policy,) = run.of_type("aws:secretsmanager/secretPolicy:SecretPolicy")
    (deny,) = json.loads(secret_policy.inputs["policy"])["Statement"]
    roles = {r.name: r.id for r in run.of_type("aws:iam/role:Role")}
    assert deny["Condition"]["ArnNotEquals"]["aws:PrincipalArn"] == [
        f"arn:aws:iam::123456789012:role/{roles['function-checkout-role']}"
    ]


def test_the_api_answers_at_its_own_host_with_the_seed_routes_and_the_pool_authorizer():
    run = usarakhi()
    (domain,) = run.of_type("aws:apigateway/domainName:DomainName")
    assert domain.inputs["domainName"] == "api.usarakhi.com"
    methods = run.of_type("aws:apigateway/method:Method")
    guarded = sorted(m.name for m in methods if m.inputs["authorization"] == "COGNITO_USER_POOLS")
    assert len(guarded) == 7  # two /orders routes, five /admin routes
    (stage,) = run.of_type("aws:apigateway/stage:Stage")
    assert stage.inputs["cacheClusterEnabled"] is True and stage.inputs["cacheClusterSize"] == "0.5"
    limits = {
        m.inputs["methodPath"]: m.inputs["settings"]
        for m in run.of_type("aws:apigateway/methodSettings:MethodSettings")
    }
    assert (limits["checkout/POST"]["throttlingRateLimit"], limits["checkout/POST"]["throttlingBurstLimit"]) == (10, 20)
    assert limits["*/*"]["throttlingRateLimit"] == 100
    warm = {
        p.inputs["provisionedConcurrentExecutions"]
        for p in run.of_type("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig")
    }
    assert warm == {1, 2}
    (table,) = run.of_type("aws:dynamodb/table:Table")
    assert table.inputs["name"] == "usarakhi-prod" and table.inputs["deletionProtectionEnabled"] is True


def test_dev_keeps_the_shape_without_warm_functions_or_cache():
    run = usarakhi("usarakhi-dev")
    assert run.of_type("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig") == []
    (stage,) = run.of_type("aws:apigateway/stage:Stage")
    assert not stage.inputs.get("cacheClusterEnabled")
    assert set(functions_by_name(run)) == {
        f"usarakhi-dev-{name}" for name in ("catalog", "cart", "checkout", "orders", "admin")
    }


BASE = {"aws:region": "us-east-1", "webstack:name_prefix": "shop-dev", "webstack:environment": "dev"}
SERVERLESS = {
    **BASE,
    "webstack:network": False,
    "webstack:database": False,
    "webstack:cache": False,
    "webstack:table": {},
    "webstack:functions": {"catalog": {"code_path": "functions/catalog", "table_actions": ["GetItem"]}},
    "webstack:function_api": {"routes": {"GET /products": "catalog"}},
}


def problems(raw: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ConfigError) as error:
        parse_stack_config(raw, "dev", "Pulumi.dev.yaml")
    return [(p.key, p.message) for p in error.value.problems]


def test_a_stack_with_only_functions_needs_no_other_part():
    config = parse_stack_config(SERVERLESS, "dev", "Pulumi.dev.yaml")
    assert config.network is None and config.database is None and config.cache is None


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        ({"webstack:api": {"image": "app:1"}}, "webstack:network", "is false, but webstack:api needs it"),
        ({"webstack:database": {}}, "webstack:network", "is false, but webstack:database needs it"),
        ({"webstack:function_api": {"routes": {"GET /x": "nope"}}}, "webstack:function_api.routes.GET /x",
         "names the function 'nope'; webstack:functions has catalog"),
        ({"webstack:function_api": {"routes": {"GET /orders": {"function": "catalog", "access": "user"}}}},
         "webstack:function_api.routes.GET /orders", "add webstack:users"),
        ({"webstack:function_api": {"routes": {"POST /x": {"function": "catalog", "cached": True}}}},
         "webstack:function_api.routes", "only a public GET may be cached"),
        ({"webstack:table": False}, "webstack:table", "valid"),
        ({"webstack:secrets": ["STRIPE_KEY"]}, "webstack:secrets[0]", "no function reads STRIPE_KEY"),
        ({"webstack:functions": {"catalog": {"code_path": "f", "secrets": ["STRIPE_KEY"]}}},
         "webstack:functions.catalog.secrets[0]", "STRIPE_KEY is not one of webstack:secrets"),
        ({"webstack:functions": {"catalog": {"code_path": "f", "environment": {"TABLE_NAME": "x"}}}},
         "webstack:functions.catalog.environment.TABLE_NAME", "TABLE_NAME is set by webstack"),
        ({"webstack:functions": {"catalog": {"code_path": "f", "environment": {"AWS_REGION": "x"}}}},
         "webstack:functions.catalog.environment.AWS_REGION", "Lambda refuses it"),
        ({"webstack:functions": {"catalog": {"code_path": "../f"}}}, "webstack:functions.catalog.code_path",
         "a relative path"),
        ({"webstack:functions": {"catalog": {"code_path": "f", "runtime": "nodejs18.x"}}},
         "webstack:functions.catalog.runtime", "nodejs24.x"),
        ({"webstack:functions": {"catalog": {"code_path": "f", "reserved_concurrency": 1,
                                             "provisioned_concurrency": 2}}},
         "webstack:functions.catalog.provisioned_concurrency", "more than reserved_concurrency (1)"),
    ],
)  # fmt: skip
def test_parts_that_refer_to_each_other_are_checked_by_key(change, key, words):
    found = problems({**SERVERLESS, **change})
    assert any(k == key and words in message for k, message in found), found


def test_a_missing_table_is_named_where_a_function_asks_for_it():
    raw = {k: v for k, v in SERVERLESS.items() if k != "webstack:table"}
    assert problems(raw) == [
        ("webstack:functions.catalog.table_actions", "the stack has no webstack:table to grant them on")
    ]


def test_function_folders_not_built_yet_are_one_warning(tmp_path):
    (tmp_path / "functions" / "catalog").mkdir(parents=True)
    raw = {**SERVERLESS, "webstack:functions": {"catalog": {"code_path": "functions/catalog"},
                                                 "cart": {"code_path": "functions/cart/dist"}}}  # fmt: skip
    config = parse_stack_config({**raw, "webstack:alerts": {"emails": ["a@b.co"]}}, "dev", "Pulumi.dev.yaml")
    (warning,) = config_warnings(config, tmp_path)
    assert "cart (functions/cart/dist)" in warning and "catalog" not in warning


def test_the_examples_parse_with_the_seed_routes():
    raw, _ = read_config_file(ROOT / "examples" / "usarakhi.yaml")
    config = parse_stack_config(raw, "usarakhi", "usarakhi.yaml")
    assert config.function_api is not None and len(config.function_api.routes) == 14


def test_destroy_names_the_protected_table_and_pool_of_a_serverless_stack():
    raw, _ = read_config_file(ROOT / "examples" / "usarakhi.yaml")
    (protection, data) = destroy_guards(parse_stack_config(raw, "usarakhi", "usarakhi.yaml"))
    assert protection.startswith("the DynamoDB table, the Cognito user pool (and every account in it) have deletion")
    assert "webstack:table.deletion_protection and webstack:users.deletion_protection to false" in protection
    assert "database" not in protection and "load balancer" not in protection and "buckets" in data
    raw, _ = read_config_file(ROOT / "examples" / "usarakhi-dev.yaml")
    assert destroy_guards(parse_stack_config(raw, "usarakhi-dev", "usarakhi-dev.yaml")) == []
