"""IAM roles that one AWS service assumes, with one inline least-privilege policy."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

import pulumi
import pulumi_aws as aws

from .aws_context import AwsContext
from .iam_documents import Document, service_trust_policy

# (region, account) -> value: documents are pure functions of where the stack deploys (and,
# for a policy, of the resolved ``policy_inputs``, passed after the account).
ForAccount = Callable[[str, str], str]
PolicyForAccount = Callable[..., Document]


def ecs_task_trust_policy(context: AwsContext) -> pulumi.Output[str]:
    """Roles ECS tasks of this account and region assume (task and execution roles)."""
    return pulumi.Output.all(context.region, context.account_id).apply(
        lambda ra: json.dumps(
            service_trust_policy("ecs-tasks.amazonaws.com", ra[1], source_arn=f"arn:aws:ecs:{ra[0]}:{ra[1]}:*")
        )
    )


def service_role(
    name: str,
    *,
    service: str,
    description: str,
    source_arn: ForAccount | None,
    policy: PolicyForAccount,
    context: AwsContext,
    parent: pulumi.Resource,
    policy_inputs: Sequence[pulumi.Input[str]] = (),
) -> aws.iam.Role:
    """A role trusted by ``service`` for this account and ``source_arn`` only (confused deputy;
    None where the service does not say which resource assumes it), holding only ``policy``
    inline: no AWS managed policy (cdk-nag IAM4)."""
    return service_role_and_policy(
        name,
        service=service,
        description=description,
        source_arn=source_arn,
        policy=policy,
        context=context,
        parent=parent,
        policy_inputs=policy_inputs,
    )[0]


def service_role_and_policy(
    name: str,
    *,
    service: str,
    description: str,
    source_arn: ForAccount | None,
    policy: PolicyForAccount,
    context: AwsContext,
    parent: pulumi.Resource,
    policy_inputs: Sequence[pulumi.Input[str]] = (),
) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
    """service_role, and its inline policy for what must wait until the role may act (a service
    that checks the role's permissions when a resource naming it is created)."""
    where = pulumi.Output.all(context.region, context.account_id)
    role = aws.iam.Role(
        name,
        description=description,
        assume_role_policy=where.apply(
            lambda ra: json.dumps(
                service_trust_policy(service, ra[1], source_arn=source_arn(ra[0], ra[1]) if source_arn else None)
            )
        ),
        opts=pulumi.ResourceOptions(parent=parent),
    )
    granted = aws.iam.RolePolicy(
        f"{name}-policy",
        role=role.id,
        policy=pulumi.Output.all(context.region, context.account_id, *policy_inputs).apply(
            lambda values: json.dumps(policy(*values))
        ),
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return role, granted
