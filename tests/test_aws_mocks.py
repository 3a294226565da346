"""The mocks answer like AWS where the program reads outputs."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from webstack.offline.aws_mocks import ACCOUNT_ID

from .helpers import render


def test_invokes_answer_account_region_and_zones():
    def program():
        opts = pulumi.InvokeOutputOptions()
        pulumi.export("account", aws.get_caller_identity_output(opts=opts).account_id)
        pulumi.export("region", aws.get_region_output(opts=opts).region)
        pulumi.export("zones", aws.get_availability_zones_output(state="available", opts=opts).names)
        pulumi.export(
            "prefixList",
            aws.ec2.get_managed_prefix_list_output(name="com.amazonaws.global.cloudfront.origin-facing").id,
        )
        doc = aws.iam.get_policy_document_output(
            statements=[{"actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::b/*"]}]
        )
        pulumi.export("policy", doc.json)

    outputs = render(program, region="eu-central-1").outputs
    assert outputs["account"] == ACCOUNT_ID
    assert outputs["region"] == "eu-central-1"
    assert outputs["zones"] == ["eu-central-1a", "eu-central-1b", "eu-central-1c"]
    assert outputs["prefixList"].startswith("pl-")
    assert '"Action": "s3:GetObject"' in outputs["policy"]


def test_resources_get_aws_shaped_ids_arns_and_endpoints():
    def program():
        key = aws.kms.Key("k")
        topic = aws.sns.Topic("t", name="alerts")
        role = aws.iam.Role("r", assume_role_policy="{}")
        group = aws.cloudwatch.LogGroup("g", name="/x/y")
        db = aws.rds.Instance("db", identifier="app-db", instance_class="db.t4g.micro")
        vpc = aws.ec2.Vpc("v", cidr_block="10.0.0.0/16")
        pulumi.export("key", key.arn)
        pulumi.export("topic", topic.arn)
        pulumi.export("role", role.arn)
        pulumi.export("group", group.arn)
        pulumi.export("db", db.endpoint)
        pulumi.export("vpc", vpc.id)

    out = render(program, region="me-south-1").outputs
    assert out["key"].startswith(f"arn:aws:kms:me-south-1:{ACCOUNT_ID}:key/")
    assert out["topic"] == f"arn:aws:sns:me-south-1:{ACCOUNT_ID}:alerts"
    assert out["role"].startswith(f"arn:aws:iam::{ACCOUNT_ID}:role/r-")
    assert out["group"] == f"arn:aws:logs:me-south-1:{ACCOUNT_ID}:log-group:/x/y"
    assert out["db"].startswith("app-db.") and out["db"].endswith(".me-south-1.rds.amazonaws.com:5432")
    assert out["vpc"].startswith("vpc-")


def test_same_program_gives_the_same_plan():
    def program():
        aws.ec2.Vpc("v", cidr_block="10.0.0.0/16")
        aws.iam.Role("r", assume_role_policy="{}")

    first = render(program)
    second = render(program)
    assert [(r.urn, r.id) for r in first.registrations] == [(r.urn, r.id) for r in second.registrations]
