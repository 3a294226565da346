"""AppSecret under mocks: a CMK-encrypted secret with no value in Pulumi, readable by the named
roles only."""

from __future__ import annotations

import pulumi
import pytest

from components import AppSecret, AppSecretArgs

from .helpers import document, one, refusal, render

CHECKOUT = "arn:aws:iam::123456789012:role/usarakhi-prod-checkout"


def secret_run(**overrides):
    def program():
        secret = AppSecret("stripe", AppSecretArgs(name="usarakhi-prod/stripe", **overrides))
        secret.allow_readers([CHECKOUT])
        pulumi.export("key", secret.key_arn)

    return render(program, region="us-east-1")


def test_encrypted_with_its_own_key_and_no_value_in_pulumi():
    run = secret_run()
    secret = one(run, "aws:secretsmanager/secret:Secret").inputs
    assert secret["name"] == "usarakhi-prod/stripe" and secret["kmsKeyId"] == run.outputs["key"]
    assert secret["recoveryWindowInDays"] == 7
    assert run.of_type("aws:secretsmanager/secretVersion:SecretVersion") == []
    assert one(run, "aws:kms/alias:Alias").inputs["name"] == "alias/usarakhi-prod/stripe/secret"


def test_every_principal_but_the_named_roles_is_denied_the_value():
    policy = one(secret_run(), "aws:secretsmanager/secretPolicy:SecretPolicy")
    assert policy.inputs["blockPublicPolicy"] is True
    (statement,) = document(policy, "policy")["Statement"]
    assert statement["Effect"] == "Deny" and statement["Principal"] == "*"
    assert statement["Action"] == "secretsmanager:GetSecretValue"
    assert statement["Condition"] == {"ArnNotEquals": {"aws:PrincipalArn": [CHECKOUT]}}


def test_a_throwaway_stack_deletes_it_at_once():
    assert (
        one(secret_run(keep_data_on_destroy=False), "aws:secretsmanager/secret:Secret").inputs["recoveryWindowInDays"]
        == 0
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "usarakhi prod"}, "Secrets Manager refuses the secret name"),
        ({"name": "usarakhi-prod/stripe-AbC123"}, "not ending in a hyphen and six characters"),
        ({"description": "x" * 2049}, "up to 2048 characters"),
    ],
)
def test_what_secrets_manager_would_refuse_is_refused_before_anything_is_registered(overrides, message):
    args = {"name": "usarakhi-prod/stripe", **overrides}
    assert message in refusal(lambda: AppSecret("stripe", AppSecretArgs(**args)))


def test_readers_are_named_at_least_one_and_once():
    errors = []

    def program():
        secret = AppSecret("stripe", AppSecretArgs(name="usarakhi-prod/stripe"))
        for readers in ([], [CHECKOUT], [CHECKOUT]):
            try:
                secret.allow_readers(readers)
            except ValueError as error:
                errors.append(str(error))

    run = render(program, region="us-east-1")
    assert len(run.of_type("aws:secretsmanager/secretPolicy:SecretPolicy")) == 1
    assert [e.split(":")[0] for e in errors] == ["reader_role_arns", "allow_readers"]
