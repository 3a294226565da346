"""Customer-managed KMS keys: one per component, rotated yearly, with an alias."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

import pulumi
import pulumi_aws as aws

from .aws_context import AwsContext
from .iam_documents import Statement, key_policy

# Seven days is the shortest pending window: a key deleted by mistake can still be recovered,
# and a destroyed dev stack stops costing money a week later.
DELETION_WINDOW_DAYS = 7


def secret_recovery_window_days(keep_data_on_destroy: bool) -> int:
    """Seven days to undo a deleted secret, or none: 0 deletes it at once, so a stack destroyed
    and created again can take the same secret names straight away."""
    return DELETION_WINDOW_DAYS if keep_data_on_destroy else 0


def customer_managed_key(
    name: str,
    *,
    description: str,
    alias: str,
    context: AwsContext,
    parent: pulumi.Resource,
    service_statements: Callable[[str, str], Sequence[Statement]] = lambda _r, _a: (),
    region: str | None = None,
) -> aws.kms.Key:
    """A symmetric CMK with rotation on; ``service_statements(region, account)`` adds grants.
    ``region``: another region than the provider's (a key for copies kept there, or us-east-1 for
    CloudFront's logs)."""
    policy = pulumi.Output.all(region or context.region, context.account_id).apply(
        lambda ra: json.dumps(key_policy(ra[1], service_statements(ra[0], ra[1])))
    )
    key = aws.kms.Key(
        name,
        description=description,
        enable_key_rotation=True,
        deletion_window_in_days=DELETION_WINDOW_DAYS,
        policy=policy,
        region=region,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    aws.kms.Alias(
        f"{name}-alias",
        name=f"alias/{alias}",
        target_key_id=key.key_id,
        region=region,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return key
