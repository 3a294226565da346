"""LambdaFunction under mocks: runtime and architecture, encryption, least-privilege role,
dead letters, warm alias, alarms, and what Lambda would refuse."""

from __future__ import annotations

import json

import pulumi
import pytest

from components import LambdaFunction, LambdaFunctionArgs

from .helpers import document, one, refusal, render

FUNCTION = "aws:lambda/function:Function"


def function_run(tmp_path, **overrides):
    code = tmp_path / "dist"
    code.mkdir(exist_ok=True)
    (code / "index.js").write_text("exports.handler = async () => ({ statusCode: 200 });\n")

    def program():
        function = LambdaFunction(
            "checkout",
            LambdaFunctionArgs(name="usarakhi-prod-checkout", code_path=str(code), **overrides),
        )
        pulumi.export("invoke", function.invoke_arn)
        pulumi.export("target", function.api_target.invoke_arn)
        pulumi.export("qualifier", function.api_target.qualifier or "")

    return render(program, region="us-east-1", stack="prod")


def statements(run):
    return {s["Sid"]: s for s in document(one(run, "aws:iam/rolePolicy:RolePolicy"), "policy")["Statement"]}


def test_node_on_arm64_traced_and_encrypted_with_its_own_key(tmp_path):
    run = function_run(tmp_path, environment={"TABLE_NAME": "usarakhi-prod"})
    inputs = one(run, FUNCTION).inputs
    assert (inputs["runtime"], inputs["architectures"], inputs["handler"]) == ("nodejs24.x", ["arm64"], "index.handler")
    assert inputs["tracingConfig"] == {"mode": "Active"}
    assert inputs["environment"] == {"variables": {"TABLE_NAME": "usarakhi-prod"}}
    key_alias = one(run, "aws:kms/alias:Alias").inputs["name"]
    assert key_alias == "alias/usarakhi-prod-checkout/function"
    assert inputs["kmsKeyArn"].startswith("arn:aws:kms:us-east-1:123456789012:key/")
    logs = one(run, "aws:cloudwatch/logGroup:LogGroup").inputs
    assert logs["name"] == "/aws/lambda/usarakhi-prod-checkout" and logs["kmsKeyId"] == inputs["kmsKeyArn"]
    assert logs["retentionInDays"] == 30
    assert inputs["loggingConfig"] == {"logFormat": "JSON", "logGroup": "/aws/lambda/usarakhi-prod-checkout"}
    queue = one(run, "aws:sqs/queue:Queue").inputs
    assert queue["kmsMasterKeyId"] == inputs["kmsKeyArn"] and queue["messageRetentionSeconds"] == 1209600
    assert inputs["deadLetterConfig"] == {"targetArn": "arn:aws:sqs:us-east-1:123456789012:usarakhi-prod-checkout-dlq"}
    assert inputs["publish"] is False and run.outputs["invoke"].endswith("function:usarakhi-prod-checkout/invocations")


def test_the_role_grants_its_own_resources_and_only_the_table_actions_given(tmp_path):
    table = "arn:aws:dynamodb:us-east-1:123456789012:table/usarakhi-prod"
    run = function_run(tmp_path, table_arn=table, table_actions=("dynamodb:GetItem", "dynamodb:Query"))
    trust = document(one(run, "aws:iam/role:Role"), "assumeRolePolicy")["Statement"][0]
    assert trust["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    granted = statements(run)
    assert set(granted) == {"Logs", "Traces", "DeadLetters", "OwnKey", "Table"}
    assert granted["Table"]["Action"] == ["dynamodb:GetItem", "dynamodb:Query"]
    assert granted["Table"]["Resource"] == [table, f"{table}/index/*"]
    assert granted["Logs"]["Resource"].endswith("log-group:/aws/lambda/usarakhi-prod-checkout:*")
    assert "iam:PassRole" not in json.dumps(granted) and '"*"' not in json.dumps(granted["Table"])


def test_secrets_are_read_through_secrets_manager_only_and_writes_skip_the_indexes(tmp_path):
    run = function_run(
        tmp_path,
        table_arn="arn:aws:dynamodb:us-east-1:123456789012:table/t1x",
        table_actions=("dynamodb:PutItem",),
        secret_arns=["arn:aws:secretsmanager:us-east-1:123456789012:secret:usarakhi/stripe-AbCdEf"],
        secret_key_arns=["arn:aws:kms:us-east-1:123456789012:key/secrets"],
    )
    granted = statements(run)
    assert granted["Table"]["Resource"] == ["arn:aws:dynamodb:us-east-1:123456789012:table/t1x"]
    assert granted["Secrets"] == {
        "Sid": "Secrets",
        "Effect": "Allow",
        "Action": "secretsmanager:GetSecretValue",
        "Resource": ["arn:aws:secretsmanager:us-east-1:123456789012:secret:usarakhi/stripe-AbCdEf"],
    }
    assert granted["SecretKeys"]["Condition"] == {
        "StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}
    }


def test_provisioned_concurrency_warms_a_published_version_behind_the_live_alias(tmp_path):
    run = function_run(tmp_path, provisioned_concurrency=2, reserved_concurrency=20)
    inputs = one(run, FUNCTION).inputs
    assert inputs["publish"] is True and inputs["reservedConcurrentExecutions"] == 20
    alias = one(run, "aws:lambda/alias:Alias").inputs
    assert (alias["name"], alias["functionVersion"]) == ("live", "1")
    warm = one(run, "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig").inputs
    assert (warm["qualifier"], warm["provisionedConcurrentExecutions"]) == ("live", 2)
    assert run.outputs["invoke"].endswith("function:usarakhi-prod-checkout:live/invocations")
    assert (run.outputs["target"], run.outputs["qualifier"]) == (run.outputs["invoke"], "live")


def test_alarms_on_errors_throttles_duration_and_dead_letters(tmp_path):
    run = function_run(tmp_path, timeout_seconds=20, alarm_actions=["arn:aws:sns:us-east-1:123456789012:alerts"])
    alarms = {a.name: a.inputs for a in run.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")}
    assert set(alarms) == {"checkout-errors", "checkout-throttles", "checkout-duration", "checkout-dead-letters"}
    assert (
        alarms["checkout-duration"]["threshold"] == 16000 and alarms["checkout-duration"]["extendedStatistic"] == "p95"
    )
    assert alarms["checkout-dead-letters"]["dimensions"] == {"QueueName": "usarakhi-prod-checkout-dlq"}
    assert all(a["alarmActions"] == ["arn:aws:sns:us-east-1:123456789012:alerts"] for a in alarms.values())


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "usarakhi prod"}, "Lambda refuses the function name"),
        ({"name": "x" * 65}, "Lambda refuses the function name"),
        ({"runtime": "nodejs18.x"}, "runtime must be one of nodejs24.x, nodejs22.x"),
        ({"memory_mb": 64}, "memory_mb must be 128-10240"),
        ({"timeout_seconds": 901}, "timeout_seconds must be 1-900"),
        ({"environment": {"AWS_REGION": "x"}}, "Lambda refuses the variable name 'AWS_REGION'"),
        ({"environment": {"1X": "x"}}, "Lambda refuses the variable name '1X'"),
        ({"table_actions": ("dynamodb:DeleteTable",)}, "table_actions: dynamodb:DeleteTable not allowed"),
        ({"provisioned_concurrency": -1}, "must not be negative"),
    ],
)
def test_what_lambda_would_refuse_is_refused_before_anything_is_registered(tmp_path, overrides, message):
    assert message in refusal(
        lambda: LambdaFunction(
            "f", LambdaFunctionArgs(**{"name": "usarakhi-f", "code_path": str(tmp_path), **overrides})
        )
    )
