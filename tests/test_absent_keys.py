"""A key left out means AWS's default, not "compliant" (and not "violation" either): each rule is
judged on programs we did not write, where the unsafe default is left implicit, and where a safe
default makes an explicit setting unnecessary."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi_policy import PolicyResource, Severity
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from webstack_policy.registry import resource_rule  # type: ignore[import-not-found]

from .policy_cases import RULES, judge, judge_stack, resource

# --- unsafe defaults left implicit: now violations ---


def test_an_instance_without_a_hop_limit_may_get_the_amis_two():
    messages = judge("ec2-imdsv2-required", {"metadataOptions": {"httpTokens": "required"}})
    assert messages == ["metadataOptions.httpPutResponseHopLimit is not set: the AMI's default may be 2"]
    explicit = {"metadataOptions": {"httpTokens": "required", "httpPutResponseHopLimit": 1}}
    assert judge("ec2-imdsv2-required", explicit) == []


def test_an_instance_from_a_launch_template_takes_its_metadata_options_from_it():
    assert judge("ec2-imdsv2-required", {"launchTemplate": {"id": "lt-1"}}) == []
    assert judge("ec2-imdsv2-required", {"launchTemplate": {"id": "lt-1"}, "metadataOptions": {}})


def test_an_instance_without_a_subnet_lands_in_the_default_vpc_with_a_public_ip():
    found = judge_stack("ec2-public-ip-only-on-nat-instances", resource("aws:ec2/instance:Instance", "web", {}))
    assert any("the default VPC's subnet" in m for m in found["web"])
    subnet = resource("aws:ec2/subnet:Subnet", "private", {"mapPublicIpOnLaunch": False})
    placed = resource("aws:ec2/instance:Instance", "web", {"subnetId": "subnet-1"}, subnetId=subnet)
    assert judge_stack("ec2-public-ip-only-on-nat-instances", placed, subnet) == {}


@pytest.mark.parametrize(
    "domain",
    ["site.s3-website-us-east-1.amazonaws.com", "site.s3-website.eu-west-1.amazonaws.com"],
)
def test_an_s3_website_endpoint_origin_is_public_whatever_its_origin_config(domain):
    origin = {"originId": "site", "domainName": domain, "customOriginConfig": {"originProtocolPolicy": "http-only"}}
    assert any("public S3 website endpoint" in m for m in judge("cloudfront-s3-origins-use-oac", {"origins": [origin]}))


def test_a_legacy_rule_open_to_every_ipv6_address_is_open_to_the_world():
    rule = resource(
        "aws:ec2/securityGroupRule:SecurityGroupRule",
        "ssh",
        {"type": "ingress", "fromPort": 22, "toPort": 22, "protocol": "tcp", "ipv6CidrBlocks": ["::/0"]},
    )
    assert judge_stack("security-groups-closed-to-the-world", rule) == {
        "ssh": ["ingress from the whole internet on ['22']"]
    }


ANYONE = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}


@pytest.mark.parametrize(
    ("condition", "public"),
    [
        ({"Bool": {"aws:SecureTransport": "true"}}, True),  # says how, not who
        ({"StringLike": {"s3:prefix": "public/*"}}, True),
        ({"StringNotEquals": {"aws:SourceAccount": "123456789012"}}, True),  # a negation pins nobody
        ({"StringEquals": {"aws:SourceAccount": "*"}}, True),
        ({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}, True),
        ({"StringEqualsIfExists": {"aws:SourceArn": "arn:aws:cloudfront::1:distribution/E1"}}, True),
        ({"StringEquals": {"AWS:SourceArn": "arn:aws:cloudfront::1:distribution/E1"}}, False),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:cloudfront::1:distribution/*"}}, True),  # a pattern
        ({"ArnLike": {"aws:SourceArn": "arn:aws:cloudfront::1:distribution/E?"}}, True),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:cloudfront::1:distribution/E1"}}, False),
        ({"StringEquals": {"aws:userid": "${aws:userid}"}}, True),  # a policy variable
        ({"ForAllValues:StringEquals": {"aws:PrincipalOrgPaths": ["o-a/r-b/"]}}, True),  # empty passes
        ({"IpAddress": {"aws:SourceIp": "0.0.0.0/1"}}, True),  # wider than /8
        ({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/16"]}}, True),
        ({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}, False),
        ({"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}, False),
        ({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, False),
        ({"StringEquals": {"aws:SourceVpce": "vpce-1"}}, False),
    ],
)
def test_a_grant_to_anyone_is_public_unless_a_condition_pins_the_caller(condition, public):
    policy = {"Version": "2012-10-17", "Statement": [{**ANYONE, "Condition": condition}]}
    messages = judge("s3-bucket-policy-grants-no-public-access", {"policy": policy})
    assert bool(messages) is public, messages


def test_a_bucket_opened_by_its_inline_policy_or_acl_is_public():
    rule = "s3-bucket-policy-grants-no-public-access"
    assert judge(rule, {"policy": {"Statement": [ANYONE]}}) == ["statement ? allows anyone"]
    assert judge(rule, {"acl": "public-read"}) == ["the canned ACL public-read opens the bucket"]
    grant = {
        "grantee": {"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"},
        "permission": "READ",
    }
    assert judge(rule, {"accessControlPolicy": {"grants": [grant], "owner": {"id": "o"}}})
    assert judge(rule, {"acl": "private"}) == []


def test_a_vpc_whose_default_security_group_is_not_adopted_keeps_the_allow_all_rules():
    vpc = resource("aws:ec2/vpc:Vpc", "main", {"cidrBlock": "10.0.0.0/16"})
    found = judge_stack("default-security-group-has-no-rules", vpc)
    assert "it keeps AWS's allow-all rules" in found["main"][0]
    adopted = resource("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "default", {"vpcId": "v"}, vpcId=vpc)
    assert judge_stack("default-security-group-has-no-rules", vpc, adopted) == {}


@pytest.mark.parametrize(
    "statement",
    [
        {"Effect": "Allow", "Action": "s3:PutObject", "NotResource": "arn:aws:s3:::audit/*"},
    ],
)
def test_not_resource_with_allow_is_every_resource_but_a_few(statement):
    assert judge("iam-no-star-resource-for-writes", {"policy": {"Statement": [statement]}})


@pytest.mark.parametrize(
    ("statement", "words"),
    [
        ({"Action": "iam:Pass*", "Resource": "arn:aws:iam::1:role/app"}, "without an iam:PassedToService"),
        ({"Action": "iam:p?ssrole", "Resource": "arn:aws:iam::1:role/app"}, "without an iam:PassedToService"),
        ({"NotAction": "s3:*", "Resource": "*"}, "on any role"),
        ({"Action": "iam:PassRole", "NotResource": "arn:aws:iam::1:role/admin"}, "on any role"),
        ({"Action": "iam:PassRole", "Resource": "arn:aws:iam::1:role/app",
          "Condition": {"StringLike": {"iam:PassedToService": "*"}}}, "without an iam:PassedToService"),
    ],
)  # fmt: skip
def test_pass_role_is_found_however_it_is_granted(statement, words):
    messages = judge("iam-pass-role-scoped", {"policy": {"Statement": [{"Effect": "Allow", **statement}]}})
    assert any(words in m for m in messages), messages


def test_pass_role_scoped_by_a_string_like_service_condition_passes():
    statement = {
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": "arn:aws:iam::1:role/app",
        "Condition": {"StringLike": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
    }
    assert judge("iam-pass-role-scoped", {"policy": {"Statement": [statement]}}) == []


@pytest.mark.parametrize(
    ("condition", "scoped"),
    [
        ({"ArnEquals": {"aws:SourceArn": "arn:aws:scheduler:me-south-1:1:schedule-group/g"}}, True),
        ({"StringLike": {"aws:SourceArn": "arn:aws:events:*:1:rule/*"}}, True),
        ({"StringEquals": {"AWS:SourceAccount": "123456789012"}}, True),
        ({"StringLike": {"aws:SourceAccount": "*"}}, False),
        ({"StringNotEquals": {"aws:SourceAccount": "123456789012"}}, False),
    ],
)
def test_a_trust_policy_is_scoped_by_any_operator_that_names_the_source(condition, scoped):
    statement = {
        "Effect": "Allow",
        "Principal": {"Service": "scheduler.amazonaws.com"},
        "Action": "sts:AssumeRole",
        "Condition": condition,
    }
    messages = judge("iam-trust-only-service-principals", {"assumeRolePolicy": {"Statement": [statement]}})
    assert (messages == []) is scoped, messages


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws-cn:iam::aws:policy/AdministratorAccess",
        "arn:aws-us-gov:iam::aws:policy/AdministratorAccess",
        "arn:aws:iam::aws:policy/job-function/SystemAdministrator",
        "arn:aws:iam::aws:policy/job-function/NetworkAdministrator",
        "arn:aws:iam::aws:policy/AdministratorAccess-Amplify",
        "arn:aws:iam::aws:policy/AdministratorAccess-AWSElasticBeanstalk",
    ],
)
def test_administrator_policies_in_every_partition_and_job_function(arn):
    assert judge("iam-no-aws-managed-admin-policies", {"policyArn": arn, "role": "r"}) == [f"attaches {arn}"]


# --- safe defaults left implicit: no longer violations ---


def postgres(props: dict[str, Any], group: dict[str, Any] | None = None) -> list[PolicyResource]:
    if group is None:
        return [resource("aws:rds/instance:Instance", "db", props)]
    parameter_group = resource("aws:rds/parameterGroup:ParameterGroup", "params", group)
    instance = resource("aws:rds/instance:Instance", "db", props, parameterGroupName=parameter_group)
    return [instance, parameter_group]


@pytest.mark.parametrize(
    ("props", "group", "words"),
    [
        ({"engine": "postgres", "engineVersion": "16.4"}, None, None),  # force_ssl is 1 from 15
        ({"engine": "postgres"}, None, None),  # RDS picks the current default version
        ({"engine": "postgres", "engineVersion": "14.12"}, None, "PostgreSQL 14 defaults to rds.force_ssl=0"),
        ({"engine": "postgres"}, {"family": "postgres13", "parameters": []}, "PostgreSQL 13 defaults"),
        ({"engine": "postgres", "engineVersion": "17"},
         {"family": "postgres17", "parameters": [{"name": "rds.force_ssl", "value": "0"}]}, "sets rds.force_ssl=0"),
        ({"engine": "postgres", "engineVersion": "14"},
         {"family": "postgres14", "parameters": [{"name": "rds.force_ssl", "value": "1"}]}, None),
        ({"replicateSourceDb": "db-1", "instanceClass": "db.t4g.micro"}, None, None),  # the source's engine
        ({"engine": "mysql", "engineVersion": "8.0"}, None, None),
    ],
)  # fmt: skip
def test_rds_tls_follows_the_engine_default_where_nothing_sets_it(props, group, words):
    found = judge_stack("rds-requires-tls", *postgres(props, group))
    if words is None:
        assert found == {}
    else:
        assert words in found["db"][0]


def listener(props: dict[str, Any], balancer_type: str | None) -> list[PolicyResource]:
    balancer_props = {} if balancer_type is None else {"loadBalancerType": balancer_type}
    balancer = resource("aws:lb/loadBalancer:LoadBalancer", "lb", balancer_props)
    return [resource("aws:lb/listener:Listener", "l", props, loadBalancerArn=balancer), balancer]


def test_a_listener_left_without_protocol_is_http_only_on_an_application_load_balancer():
    rule = "alb-http-listener-only-redirects"
    forward = {"defaultActions": [{"type": "forward", "targetGroupArn": "tg"}]}
    serves = {"l": ["the HTTP listener serves traffic instead of redirecting it to HTTPS"]}
    assert judge_stack(rule, *listener(forward, "gateway")) == {}  # GENEVE
    assert judge_stack(rule, *listener({"port": 443, **forward}, "network")) == {}  # TCP
    assert judge_stack(rule, *listener({"port": 80, **forward}, None)) == serves
    assert judge_stack(rule, *listener({"port": 80, **forward}, "application")) == serves
    # With a certificate and no protocol the provider sends HTTPS (and so both rules read it):
    with_certificate = {"port": 443, "certificateArn": "arn:aws:acm:r:1:certificate/c", **forward}
    assert judge_stack(rule, *listener(with_certificate, None)) == {}
    [message] = judge("alb-https-listener-uses-allowed-tls-policy", with_certificate)
    assert message.startswith("sslPolicy None is not one of ELBSecurityPolicy-TLS13-1-2-2021-06")


def test_replicas_keep_their_sources_encryption_restores_are_judged_as_written():
    rule = "rds-storage-encrypted-with-cmk"
    replica = {"replicateSourceDb": "db-1"}
    assert judge(rule, replica) == []
    assert judge(rule, {**replica, "storageEncrypted": False})
    assert judge(rule, {**replica, "kmsKeyId": "alias/aws/rds"})
    # The snapshot is not in the stack: a restore must say it is encrypted with a CMK itself.
    restore = {"snapshotIdentifier": "snap-1"}
    assert judge(rule, restore) == ["storageEncrypted is not true"]
    assert judge(rule, {**restore, "storageEncrypted": True, "kmsKeyId": "arn:aws:kms:r:1:key/k"}) == []


def test_a_replica_and_version_not_known_on_a_first_preview_are_decided_not_raised():
    unknown = UNKNOWN_STRING_VALUE  # what the engine sends for an output of the stack
    assert judge("rds-storage-encrypted-with-cmk", {"replicateSourceDb": unknown}) == []
    found = judge_stack("rds-requires-tls", *postgres({"engine": "postgres", "engineVersion": unknown}, None))
    assert found == {}


def test_backup_retention_left_out_is_the_apis_one_day():
    assert judge("rds-backup-retention-minimum", {"engine": "postgres"}) == [
        "backupRetentionPeriod is 1 days; the minimum is 7"
    ]


def test_valkey_encrypts_at_rest_when_the_flag_is_left_out_redis_does_not():
    assert (
        judge("elasticache-encrypted-at-rest-with-cmk", {"engine": "valkey", "kmsKeyId": "arn:aws:kms:r:1:key/k"}) == []
    )
    assert judge(
        "elasticache-encrypted-at-rest-with-cmk", {"engine": "redis", "kmsKeyId": "arn:aws:kms:r:1:key/k"}
    ) == ["atRestEncryptionEnabled is not true"]


def test_a_bucket_without_an_encryption_configuration_is_sse_s3_which_private_data_refuses():
    """AWS encrypts every new object with SSE-S3 since January 2023: no rule asks for a
    configuration, but private data still needs the CMK, written inline or as a resource."""
    assert "s3-bucket-default-encryption" not in RULES
    bare = resource("aws:s3/bucket:Bucket", "b", {"tags": {"DataClass": "private"}})
    assert judge_stack("s3-private-data-encrypted-with-cmk", bare) == {
        "b": ["private-data bucket is not encrypted with a customer-managed KMS key"]
    }
    kms = {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "arn:aws:kms:r:1:key/k"}}
    inline = resource(  # a v7 Bucket's inline block (a v6 BucketV2's is lists: test_rule_cases.py)
        "aws:s3/bucket:Bucket",
        "b",
        {"tags": {"DataClass": "private"}, "serverSideEncryptionConfiguration": {"rules": [kms]}},
    )
    assert judge_stack("s3-private-data-encrypted-with-cmk", inline) == {}


def test_a_rule_name_cannot_be_declared_twice():
    metadata = {"concern": "data-protection", "severity": Severity.HIGH, "description": "x.", "remediation": "x"}
    declare = resource_rule("rds-multi-az", types=["aws:rds/instance:Instance"], **metadata)
    with pytest.raises(ValueError, match="'rds-multi-az' is declared twice"):
        declare(lambda props, config: iter(()))


# --- the serverless types ---


def test_a_table_without_encryption_settings_is_under_a_key_aws_owns():
    assert judge("dynamodb-table-encrypted-with-cmk", {}) == [
        "serverSideEncryption is not enabled: the table is encrypted with a key AWS owns"
    ]


def test_a_pool_without_a_plan_is_essentials_which_has_no_threat_protection_to_enforce():
    assert judge("cognito-threat-protection-enforced", {"mfaConfiguration": "OPTIONAL"}) == []
    audit = {"userPoolAddOns": {"advancedSecurityMode": "AUDIT"}}
    assert judge("cognito-threat-protection-enforced", audit) == [
        "threat protection is AUDIT on the ESSENTIALS plan, not ENFORCED"
    ]


def test_a_secret_policy_without_block_public_policy_accepts_public_policies():
    assert judge("secret-policy-blocks-public-policies", {"secretArn": "arn:aws:secretsmanager:s"})


def test_a_stage_cache_with_method_settings_silent_on_caching_caches_gets_unencrypted():
    stage = resource("aws:apigateway/stage:Stage", "stage", {"cacheClusterEnabled": True})
    settings = {"methodPath": "*/*", "settings": {"throttlingRateLimit": 100.0}}
    throttling = resource("aws:apigateway/methodSettings:MethodSettings", "all", settings, stageName=stage)
    assert list(judge_stack("apigateway-cache-encrypted", stage, throttling)) == ["stage"]


@pytest.mark.parametrize(
    ("source", "public"),
    [
        ({}, True),
        ({"sourceAccount": "123456789012"}, False),
        ({"principalOrgId": "o-a1b2c3d4e5"}, False),
        ({"sourceArn": "arn:aws:execute-api:me-south-1:123456789012:a1b2c3/prod/GET/products"}, False),
        ({"sourceArn": "arn:aws:execute-api:me-south-1:*"}, True),  # a pattern pins nobody
        ({"sourceAccount": "${aws:PrincipalAccount}"}, True),
        ({"sourceArn": UNKNOWN_STRING_VALUE}, False),  # an ARN of the stack, not known yet
    ],
)
def test_a_permission_for_anyone_is_public_unless_a_fixed_source_pins_the_caller(source, public):
    messages = judge("lambda-not-publicly-invokable", {"principal": "*", **source})
    assert messages == (["principal '*' lets anyone invoke the function"] if public else [])
