"""The account and region a component deploys into, read through its own provider."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True)
class AwsContext:
    account_id: pulumi.Output[str]
    region: pulumi.Output[str]


def aws_context(parent: pulumi.Resource) -> AwsContext:
    opts = pulumi.InvokeOutputOptions(parent=parent)
    identity = aws.get_caller_identity_output(opts=opts)
    region = aws.get_region_output(opts=opts)
    return AwsContext(account_id=identity.account_id, region=region.region)
