"""UserDirectory: a Cognito user pool (e-mail sign-in, strong passwords, MFA), an admin group and a
web client."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_aws as aws

# botocore cognito-idp: PoolName and ClientNameType are 1-128 of word characters, spaces and +=,.@-.
_POOL_NAME = re.compile(r"[\w\s+=,.@-]{1,128}")
# PasswordPolicyType.MinimumLength.
PASSWORD_LENGTH = range(6, 100)


@dataclass(frozen=True)
class UserDirectoryArgs:
    name: str
    """The user pool's name (1-128 of letters, digits, spaces and _+=,.@-); the web client is named
    <name>-web. Example: "usarakhi-prod".
    """
    feature_plan: Literal["ESSENTIALS", "PLUS"] = "ESSENTIALS"
    """Cognito feature plan: ESSENTIALS (password history, per monthly active user after the free 10,000)
    or PLUS, which adds threat protection (compromised-credential and risky sign-in checks, enforced here)
    at a higher price per user and no free tier. Example: "PLUS".
    """
    mfa: Literal["OPTIONAL", "ON"] = "OPTIONAL"
    """Authenticator-app (TOTP) MFA: OPTIONAL lets each user turn it on; ON requires it of every user at
    sign-in (choose it where every user is staff). Example: "ON".
    """
    password_minimum_length: int = 12
    """Shortest password accepted (6-99); upper and lower case, digits and symbols are always required, and
    the last 5 passwords may not be reused. Example: 14.
    """
    admin_group: str = "admin"
    """The group whose members may call the API's /admin routes (the group name arrives in the token's
    cognito:groups claim). Example: "staff".
    """
    deletion_protection: bool = True
    """Refuse to delete the pool (and every account in it) until this is turned off. Example: False."""


class UserDirectory(pulumi.ComponentResource):
    """The shop's customers and staff: a Cognito user pool where users sign in with a verified e-mail
    address, passwords are long and mixed, TOTP MFA is offered (or required), account recovery goes
    through the verified e-mail, user-existence errors are hidden, threat protection is enforced on
    the PLUS plan, and the pool is protected from deletion; an ``admin`` group; and a public web
    client (no secret: it runs in the browser) using SRP sign-in and revocable refresh tokens.
    ``issuer`` and ``client_id`` are what an API's JWT authorizer checks.

    Example::

        users = UserDirectory("users", UserDirectoryArgs(name="usarakhi-prod", feature_plan="PLUS"))
        # JWT authorizer: issuer=users.issuer, audience=[users.client_id]

    Cost (cost/prices.csv): per monthly active user, $0.015 on ESSENTIALS after the account's free
    10,000 and $0.02 for every user on PLUS (no free tier). E-mail goes through Cognito's own sender,
    limited to 50 messages a day (use SES beyond).
    """

    user_pool_id: pulumi.Output[str]
    user_pool_arn: pulumi.Output[str]
    client_id: pulumi.Output[str]
    issuer: pulumi.Output[str]

    def __init__(self, name: str, args: UserDirectoryArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if not _POOL_NAME.fullmatch(args.name):
            raise ValueError(f"Cognito refuses the user pool name {args.name!r}: 1-128 of letters, digits, _+=,.@-")
        if args.password_minimum_length not in PASSWORD_LENGTH:
            raise ValueError(f"password_minimum_length must be 6-99, not {args.password_minimum_length}")
        if not 1 <= len(args.admin_group) <= 128 or any(c.isspace() for c in args.admin_group):
            raise ValueError(f"Cognito refuses the group name {args.admin_group!r}: 1-128 characters, no spaces")
        super().__init__("webstack:identity:UserDirectory", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        pool = aws.cognito.UserPool(
            f"{name}-pool",
            name=args.name,
            user_pool_tier=args.feature_plan,
            username_attributes=["email"],
            auto_verified_attributes=["email"],
            username_configuration={"case_sensitive": False},
            password_policy={
                "minimum_length": args.password_minimum_length,
                "require_lowercase": True,
                "require_uppercase": True,
                "require_numbers": True,
                "require_symbols": True,
                "password_history_size": 5,
                "temporary_password_validity_days": 3,
            },
            mfa_configuration=args.mfa,
            software_token_mfa_configuration={"enabled": True},
            account_recovery_setting={"recovery_mechanisms": [{"name": "verified_email", "priority": 1}]},
            user_pool_add_ons={"advanced_security_mode": "ENFORCED"} if args.feature_plan == "PLUS" else None,
            deletion_protection="ACTIVE" if args.deletion_protection else "INACTIVE",
            opts=child,
        )
        aws.cognito.UserGroup(
            f"{name}-admin",
            name=args.admin_group,
            user_pool_id=pool.id,
            description="May call the API's /admin routes",
            opts=child,
        )
        client = aws.cognito.UserPoolClient(
            f"{name}-web",
            name=f"{args.name}-web"[:128],
            user_pool_id=pool.id,
            generate_secret=False,
            explicit_auth_flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            prevent_user_existence_errors="ENABLED",
            enable_token_revocation=True,
            access_token_validity=60,
            id_token_validity=60,
            refresh_token_validity=30,
            token_validity_units={"access_token": "minutes", "id_token": "minutes", "refresh_token": "days"},
            supported_identity_providers=["COGNITO"],
            opts=child,
        )
        self.user_pool_id = pool.id
        self.user_pool_arn = pool.arn
        self.client_id = client.id
        self.issuer = pool.endpoint.apply(lambda endpoint: f"https://{endpoint}")
        self.register_outputs({"userPoolId": pool.id, "clientId": client.id, "issuer": self.issuer})
