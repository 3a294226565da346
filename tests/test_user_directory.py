"""UserDirectory under mocks: e-mail sign-in, password policy, MFA, threat protection by plan,
the admin group, a public web client, and names Cognito would refuse."""

from __future__ import annotations

import pulumi
import pytest

from components import UserDirectory, UserDirectoryArgs

from .helpers import one, refusal, render

POOL = "aws:cognito/userPool:UserPool"


def directory_run(**overrides):
    def program():
        users = UserDirectory("users", UserDirectoryArgs(name="usarakhi-prod", **overrides))
        pulumi.export("issuer", users.issuer)
        pulumi.export("client", users.client_id)

    return render(program, region="us-east-1")


def test_email_sign_in_strong_passwords_and_optional_totp_on_essentials():
    run = directory_run()
    pool = one(run, POOL).inputs
    assert pool["usernameAttributes"] == ["email"] and pool["autoVerifiedAttributes"] == ["email"]
    assert pool["userPoolTier"] == "ESSENTIALS" and "userPoolAddOns" not in pool
    assert pool["passwordPolicy"] == {
        "minimumLength": 12,
        "requireLowercase": True,
        "requireUppercase": True,
        "requireNumbers": True,
        "requireSymbols": True,
        "passwordHistorySize": 5,
        "temporaryPasswordValidityDays": 3,
    }
    assert pool["mfaConfiguration"] == "OPTIONAL" and pool["softwareTokenMfaConfiguration"] == {"enabled": True}
    assert pool["accountRecoverySetting"] == {"recoveryMechanisms": [{"name": "verified_email", "priority": 1}]}
    assert pool["deletionProtection"] == "ACTIVE"
    assert run.outputs["issuer"].startswith("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_")


def test_plus_enforces_threat_protection_and_mfa_can_be_required():
    pool = one(directory_run(feature_plan="PLUS", mfa="ON", deletion_protection=False), POOL).inputs
    assert pool["userPoolAddOns"] == {"advancedSecurityMode": "ENFORCED"}
    assert pool["mfaConfiguration"] == "ON" and pool["deletionProtection"] == "INACTIVE"


def test_an_admin_group_and_a_public_srp_client_that_hides_who_exists():
    run = directory_run(admin_group="staff")
    assert one(run, "aws:cognito/userGroup:UserGroup").inputs["name"] == "staff"
    client = one(run, "aws:cognito/userPoolClient:UserPoolClient").inputs
    assert client["name"] == "usarakhi-prod-web" and client["generateSecret"] is False
    assert client["explicitAuthFlows"] == ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    assert client["preventUserExistenceErrors"] == "ENABLED" and client["enableTokenRevocation"] is True
    assert (client["accessTokenValidity"], client["refreshTokenValidity"]) == (60, 30)
    assert len(run.outputs["client"]) == 26


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "usarakhi/prod"}, "Cognito refuses the user pool name"),
        ({"password_minimum_length": 5}, "password_minimum_length must be 6-99"),
        ({"admin_group": "the admins"}, "Cognito refuses the group name"),
    ],
)
def test_what_cognito_would_refuse_is_refused_before_anything_is_registered(overrides, message):
    assert message in refusal(
        lambda: UserDirectory("users", UserDirectoryArgs(**{"name": "usarakhi-prod", **overrides}))
    )
