"""AppSecret: a secret whose value is set out of band (a payment provider's key), readable by the
roles named and by nobody else."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .aws_context import aws_context
from .encryption_key import customer_managed_key, secret_recovery_window_days
from .iam_documents import Document, policy_document

# Secrets Manager names: 1-512 of ASCII letters, digits and /_+=.@-; a name ending in a hyphen and
# six characters is refused here, as AWS advises: its ARNs would be mistaken for partial ones.
_SECRET_NAME = re.compile(r"[A-Za-z0-9/_+=.@-]{1,512}")
_ARN_LIKE_SUFFIX = re.compile(r"-[A-Za-z0-9]{6}")


def readers_only_policy(reader_role_arns: Sequence[str]) -> Document:
    """A secret's resource policy: GetSecretValue is denied to every principal but the roles
    named (whatever their IAM policies say), so a broad grant elsewhere cannot read it."""
    return policy_document(
        [
            {
                "Sid": "OnlyTheNamedRolesRead",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "secretsmanager:GetSecretValue",
                "Resource": "*",
                "Condition": {"ArnNotEquals": {"aws:PrincipalArn": list(reader_role_arns)}},
            }
        ]
    )


@dataclass(frozen=True)
class AppSecretArgs:
    name: str
    """The secret's name: 1-512 of letters, digits and /_+=.@-, not ending in a hyphen and six
    characters. Example: "usarakhi-prod/stripe".
    """
    description: str = "Set out of band; never in stack config"
    """What the secret holds and who sets it (up to 2048 characters). Example: "Stripe restricted key, set
    by the payments team".
    """
    keep_data_on_destroy: bool = True
    """Wait 7 days before a deleted secret is gone (it can be restored meanwhile; its name stays taken); False
    deletes it at once. Example: False.
    """


class AppSecret(pulumi.ComponentResource):
    """A secret the stack declares but never knows: a Secrets Manager secret encrypted with its own CMK,
    with no value in Pulumi (set it once with ``aws secretsmanager put-secret-value``), and a resource
    policy (``allow_readers``) that denies GetSecretValue to every principal but the roles named.

    Example::

        stripe = AppSecret("stripe", AppSecretArgs(name="usarakhi-prod/stripe"))
        checkout = LambdaFunction("checkout", LambdaFunctionArgs(..., secret_arns=[stripe.arn],
                                                                 secret_key_arns=[stripe.key_arn]))
        stripe.allow_readers([checkout.role_arn])

    Cost (cost/prices.csv): $0.40 a month for the secret, $1 for its CMK, and $0.05 per 10,000
    reads.
    """

    arn: pulumi.Output[str]
    key_arn: pulumi.Output[str]

    def __init__(self, name: str, args: AppSecretArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if not _SECRET_NAME.fullmatch(args.name) or _ARN_LIKE_SUFFIX.fullmatch(args.name[-7:]):
            raise ValueError(
                f"Secrets Manager refuses the secret name {args.name!r}: 1-512 of letters, digits and /_+=.@-, "
                "not ending in a hyphen and six characters"
            )
        if len(args.description) > 2048:
            raise ValueError("description: Secrets Manager takes up to 2048 characters")
        super().__init__("webstack:security:AppSecret", name, None, opts)
        key = customer_managed_key(
            f"{name}-key",
            description=f"{args.name} secret",
            alias=f"{args.name}/secret",
            context=aws_context(self),
            parent=self,
        )
        secret = aws.secretsmanager.Secret(
            f"{name}-secret",
            name=args.name,
            description=args.description,
            kms_key_id=key.arn,
            recovery_window_in_days=secret_recovery_window_days(args.keep_data_on_destroy),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.arn = secret.arn
        self.key_arn = key.arn
        self._resource_name = name
        self._readers_named = False
        self.register_outputs({"arn": secret.arn, "keyArn": key.arn})

    def allow_readers(self, reader_role_arns: Sequence[pulumi.Input[str]]) -> None:
        """Give the secret its resource policy: GetSecretValue is denied to every principal but
        ``reader_role_arns`` (LambdaFunction.role_arn). A separate step because the readers' own
        policies name the secret (secret_arns) and so exist after it; call it once, with every reader."""
        if not reader_role_arns:
            raise ValueError("reader_role_arns: name at least one role, or nobody can read the secret")
        if self._readers_named:
            raise ValueError("allow_readers: the readers are named once, all together")
        self._readers_named = True
        aws.secretsmanager.SecretPolicy(
            f"{self._resource_name}-policy",
            secret_arn=self.arn,
            policy=pulumi.Output.all(*reader_role_arns).apply(lambda roles: json.dumps(readers_only_policy(roles))),
            block_public_policy=True,
            opts=pulumi.ResourceOptions(parent=self),
        )
