"""Rotation of the application secrets a stack declares, by functions the user supplies
(`webstack:secret_rotation`); the cache AUTH token has its own (`webstack:cache.auth_token_rotation_days`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from webstack.program.config_fields import Section, own

LAMBDA_ARN = r"^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}$"
ROLE_ARN = r"^arn:aws:iam::\d{12}:role/[A-Za-z0-9+=,.@_/-]+$"
# "STRIPE_SECRET_KEY" (webstack:secrets) or "<service>/STRIPE_SECRET_KEY" (a service's app_secrets).
SecretKey = Annotated[str, StringConstraints(pattern=r"^([a-z][a-z0-9-]{0,20}/)?[A-Z_][A-Z0-9_]*$")]

SECRET_ROTATION_DESCRIPTION = (
    "Rotation of application secrets by a Secrets Manager rotation function you supply (a payment provider's "
    "key rotates through that provider's API, which only your function knows): `NAME` for a secret of "
    "`webstack:secrets`, `<service>/NAME` for one of a service's `app_secrets` (`api/JWT_SECRET`). webstack lets "
    "Secrets Manager invoke the function for that secret only, schedules it, and for `webstack:secrets` adds the "
    "function's role to the readers the secret's policy admits. A secret without rotation is reported by the "
    "advisory policy `secrets-rotate`."
)


class SecretRotationConfig(Section):
    """One application secret's rotation."""

    function_arn: Annotated[str, StringConstraints(pattern=LAMBDA_ARN)] = own(
        ...,
        "The rotation function (in the stack's account and region), implementing Secrets Manager's four steps "
        "(createSecret, setSecret, testSecret, finishSecret). Its role needs secretsmanager:DescribeSecret, "
        "GetSecretValue, PutSecretValue and UpdateSecretVersionStage on the secret, and kms:Decrypt and "
        "kms:GenerateDataKey on its key.",
        allowed="a Lambda function ARN",
    )
    role_arn: Annotated[str, StringConstraints(pattern=ROLE_ARN)] | None = own(
        None,
        "The function's execution role: required for a secret of `webstack:secrets`, whose resource policy denies "
        "every other role.",
        allowed="an IAM role ARN",
        shown_default="none",
    )
    every_days: int = own(30, "Days between rotations (Secrets Manager's 1-1000).", ge=1, le=1000)
