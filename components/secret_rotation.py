"""A Secrets Manager rotation schedule calling a rotation function, which only Secrets Manager may
invoke, and for this secret only."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

# Secrets Manager rotates every 1-1000 days (RotationRules.AutomaticallyAfterDays).
ROTATION_DAYS = range(1, 1001)


def rotation_schedule(
    name: str,
    *,
    secret_arn: pulumi.Input[str],
    function: pulumi.Input[str],
    function_arn: pulumi.Input[str],
    every_days: int,
    parent: pulumi.Resource,
    depends_on: list[pulumi.Resource] | None = None,
) -> aws.secretsmanager.SecretRotation:
    """Rotation every ``every_days`` by the function (its name or ARN, for the invoke permission;
    its ARN for the schedule). Not at once: the first rotation comes ``every_days`` after the
    schedule exists, when whatever reads the secret has been deployed."""
    if every_days not in ROTATION_DAYS:
        raise ValueError(f"every_days must be 1-1000 (Secrets Manager's range), not {every_days}")
    invoke = aws.lambda_.Permission(
        f"{name}-invoke",
        action="lambda:InvokeFunction",
        function=function,
        principal="secretsmanager.amazonaws.com",
        source_arn=secret_arn,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return aws.secretsmanager.SecretRotation(
        f"{name}-schedule",
        secret_id=secret_arn,
        rotation_lambda_arn=function_arn,
        rotation_rules={"automatically_after_days": every_days},
        rotate_immediately=False,
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[invoke, *(depends_on or [])]),
    )


class SecretRotationSchedule(pulumi.ComponentResource):
    """Rotation of an application secret by a rotation function the user supplies (in the stack's
    account and region; its role needs secretsmanager:DescribeSecret, GetSecretValue,
    PutSecretValue and UpdateSecretVersionStage on the secret and kms:Decrypt and
    kms:GenerateDataKey on its key): Secrets Manager may invoke the function for this secret only,
    and rotates every ``every_days``.

    Example::

        SecretRotationSchedule("stripe-rotation", secret_arn=stripe.arn,
                               function_arn="arn:aws:lambda:eu-west-1:123456789012:function:rotate-stripe",
                               every_days=30)

    Cost: $0 (the function bills its invocations in its own stack).
    """

    def __init__(
        self,
        name: str,
        *,
        secret_arn: pulumi.Input[str],
        function_arn: str,
        every_days: int,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("webstack:security:SecretRotationSchedule", name, None, opts)
        rotation_schedule(
            name, secret_arn=secret_arn, function=function_arn, function_arn=function_arn, every_days=every_days,
            parent=self,
        )  # fmt: skip
        self.register_outputs({})
