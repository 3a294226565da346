"""Rotation of the secrets webstack owns (the cache AUTH token) and of application secrets whose
rotation function the user supplies, as the shipped stacks and examples plan them."""

from __future__ import annotations

import json

import pytest

from components import CacheTokenRotation, CacheTokenRotationArgs
from webstack.program.config_problems import ConfigError
from webstack.program.stack_settings import parse_stack_config, read_config_file

from .helpers import ROOT, document, refusal, render_stack_file, shipped_stack, statements

ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"


def billing():
    return render_stack_file(ROOT / "examples" / "billing.yaml", "billing")


def test_the_cache_token_rotates_every_30_days_by_webstacks_function_in_the_private_subnets():
    run = shipped_stack("prod")
    (schedule,) = [r for r in run.of_type(ROTATION) if r.name == "cache-rotation-schedule"]
    secret = run.named("cache-auth-secret")
    function = run.named("cache-rotation-function-function")
    assert schedule.inputs["rotationRules"] == {"automaticallyAfterDays": 30}
    assert schedule.inputs["rotateImmediately"] is False  # the services exist before the first rotation
    assert schedule.property_dependencies["secretId"] == [secret.urn]
    assert schedule.property_dependencies["rotationLambdaArn"] == [function.urn]
    assert (function.inputs["runtime"], function.inputs["handler"]) == ("python3.13", "index.handler")
    assert set(function.inputs["code"]["assets"]) == {"index.py"}
    private = {s.id for s in run.of_type("aws:ec2/subnet:Subnet") if "private" in s.name}
    assert set(function.inputs["vpcConfig"]["subnetIds"]) == private
    environment = function.inputs["environment"]["variables"]
    assert environment["REPLICATION_GROUP_ID"] == "exiuscart-prod-cache"
    assert json.loads(environment["SERVICES"]) == [{"cluster": "exiuscart-prod-api", "service": "exiuscart-prod-api"}]
    invoke = run.named("cache-rotation-invoke").inputs
    assert (invoke["principal"], invoke["sourceArn"]) == ("secretsmanager.amazonaws.com", run.states[secret.urn]["arn"])


def test_the_rotation_role_writes_only_this_secret_and_changes_only_this_groups_token():
    run = shipped_stack("prod")
    policy = {s["Sid"]: s for s in statements(document(run.named("cache-rotation-rotation-policy"), "policy"))}
    secret_arn = run.states[run.named("cache-auth-secret").urn]["arn"]
    assert policy["WriteTheSecretVersions"]["Resource"] == secret_arn
    assert policy["ChangeTheGroupsToken"]["Resource"] == (
        "arn:aws:elasticache:me-south-1:123456789012:replicationgroup:exiuscart-prod-cache"
    )
    assert policy["RedeployTheServicesThatInjectIt"] == {
        "Sid": "RedeployTheServicesThatInjectIt",
        "Effect": "Allow",
        "Action": "ecs:UpdateService",
        "Resource": ["arn:aws:ecs:me-south-1:123456789012:service/exiuscart-prod-api/exiuscart-prod-api"],
    }
    base = {s["Sid"]: s for s in statements(document(run.named("cache-rotation-function-role-policy"), "policy"))}
    assert base["VpcNetworkInterfaces"]["Resource"] == "arn:aws:ec2:me-south-1:123456789012:*"
    assert base["DescribeVpcNetwork"]["Action"] == ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"]


def test_the_function_reaches_aws_apis_and_the_cache_port_only_and_the_cache_admits_it():
    run = shipped_stack("prod")
    group = run.named("cache-rotation-sg").id
    egress = [r.inputs for r in run.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
              if r.inputs["securityGroupId"] == group]  # fmt: skip
    assert sorted((r["fromPort"], r.get("cidrIpv4") or r["referencedSecurityGroupId"]) for r in egress) == [
        (443, "0.0.0.0/0"), (6379, run.named("cache-sg").id)
    ]  # fmt: skip
    assert run.named("cache-sg-from-rotation").inputs["referencedSecurityGroupId"] == group


def test_an_application_secret_rotates_with_the_function_the_user_names():
    run = billing()
    (schedule,) = [r for r in run.of_type(ROTATION) if r.name == "api-secret-jwt-secret-rotation-schedule"]
    secret = run.named("api-secret-jwt-secret")
    assert schedule.property_dependencies["secretId"] == [secret.urn]
    function = "arn:aws:lambda:us-east-1:123456789012:function:billing-jwt-rotation"
    assert schedule.inputs["rotationLambdaArn"] == function
    assert schedule.inputs["rotationRules"] == {"automaticallyAfterDays": 30}
    invoke = run.named("api-secret-jwt-secret-rotation-invoke").inputs
    assert (invoke["function"], invoke["principal"]) == (function, "secretsmanager.amazonaws.com")
    rotated = {r.property_dependencies["secretId"][0] for r in run.of_type(ROTATION)}
    assert run.named("api-secret-stripe-secret-key").urn not in rotated


def test_the_cache_rotation_is_refused_before_anything_exists_with_days_secrets_manager_refuses():
    def build():
        CacheTokenRotation("rotation", CacheTokenRotationArgs(
            name="x-cache-rotation", secret_arn="arn:secret", secret_key_arn="arn:key",
            replication_group_id="x-cache", vpc_id="vpc-1", subnet_ids=["subnet-1"],
            cache_security_group_id="sg-1", every_days=0))  # fmt: skip

    assert refusal(build) == "every_days must be 1-1000 (Secrets Manager's range), not 0"


def _problems(edit) -> list[str]:
    raw, _ = read_config_file(ROOT / "Pulumi.dev.yaml")
    edit(raw)
    with pytest.raises(ConfigError) as caught:
        parse_stack_config(raw, "dev", "Pulumi.dev.yaml")
    return [f"{p.key}: {p.message}" for p in caught.value.problems]


def test_a_nat_free_stack_needs_the_endpoints_the_rotation_calls():
    def nat_free(raw):
        endpoints = ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssmmessages", "kms"]
        raw["webstack:network"] = {**raw["webstack:network"], "nat": "none", "nat_type": "gateway",
                                   "interface_endpoints": endpoints}  # fmt: skip

    assert _problems(nat_free) == [
        "webstack:cache.auth_token_rotation_days: the rotation function runs in the private subnets, which "
        "network.nat: none leaves without a way to Secrets Manager, ElastiCache and ECS: add interface_endpoints "
        "elasticache, ecs, or set null"
    ]


def test_a_rotation_must_name_a_declared_secret_in_the_stacks_region():
    def rotations(raw):
        raw["webstack:secret_rotation"] = {
            "api/NOT_DECLARED": {"function_arn": "arn:aws:lambda:us-east-1:123456789012:function:f"},
        }

    assert _problems(rotations) == [
        "webstack:secret_rotation.api/NOT_DECLARED: names no secret of the stack (it declares none)",
        "webstack:secret_rotation.api/NOT_DECLARED.function_arn: is in us-east-1: Secrets Manager calls a function "
        "in the secret's region (me-south-1)",
    ]
