"""Full logs of a WAF web ACL: an encrypted CloudWatch log group, the log group's own resource
policy for the delivery service, and the logging configuration with credentials redacted."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

import pulumi
import pulumi_aws as aws

from .aws_context import AwsContext
from .encryption_key import customer_managed_key
from .iam_documents import Document, log_group_arn, logs_key_statement, policy_document

# WAF writes only to log groups whose names start with this (WAF Developer Guide, "CloudWatch Logs").
WAF_LOG_GROUP_PREFIX = "aws-waf-logs-"
# Headers that carry credentials: a bearer token or Basic password, session cookies.
REDACTED_HEADERS = ("authorization", "cookie")
WafLogKeep = Literal["all", "blocked"]


@dataclass(frozen=True)
class WafLogSettings:
    """How a web ACL's requests are logged."""

    retention_days: int = 30
    """Days the log group keeps requests (a CloudWatch Logs retention value). Example: 90."""
    keep: WafLogKeep = "all"
    """"all": every request the web ACL inspects; "blocked": only those a rule blocked or counted (the ones
    to tune rules with; allowed traffic is most of the volume, billed at $0.50 per GB ingested). Example:
    "blocked" for a dev stack.
    """


# Every request, kept 30 days: the default of the components that own a web ACL.
FULL_WAF_LOGS = WafLogSettings()


def waf_log_group_name(web_acl_name: str) -> str:
    return f"{WAF_LOG_GROUP_PREFIX}{web_acl_name}"


def redacted_fields() -> list[dict[str, Any]]:
    """The Authorization and Cookie headers, replaced by "REDACTED" in every log record."""
    return [{"single_header": {"name": header}} for header in REDACTED_HEADERS]


def logging_filter(keep: WafLogKeep) -> dict[str, Any] | None:
    """None logs every request; "blocked" keeps requests a rule blocked or counted, drops the rest."""
    if keep == "all":
        return None
    conditions = [{"action_condition": {"action": action}} for action in ("BLOCK", "COUNT")]
    return {
        "default_behavior": "DROP",
        "filters": [{"behavior": "KEEP", "requirement": "MEETS_ANY", "conditions": conditions}],
    }


def log_delivery_resource_policy(region: str, account_id: str, group_arn: str) -> Document:
    """What the log group's own resource policy grants: CloudWatch Logs' delivery service (which
    writes WAF's vended logs) may create streams and put events in this group, for this account.
    Managed here so that WAF does not append to the account's shared resource policy, whose 5,120
    characters in us-east-1 a busy account fills (hashicorp/terraform-provider-aws#25296)."""
    return policy_document(
        [
            {
                "Sid": "WafLogDelivery",
                "Effect": "Allow",
                "Principal": {"Service": "delivery.logs.amazonaws.com"},
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": f"{group_arn}:log-stream:*",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": account_id},
                    "ArnLike": {"aws:SourceArn": f"arn:aws:logs:{region}:{account_id}:*"},
                },
            }
        ]
    )


def web_acl_logging(
    name: str,
    *,
    web_acl_arn: pulumi.Input[str],
    web_acl_name: str,
    settings: WafLogSettings,
    context: AwsContext,
    parent: pulumi.Resource,
    region: str | None = None,
) -> aws.cloudwatch.LogGroup:
    """Log a web ACL to ``aws-waf-logs-<web ACL name>`` in ``region`` (None: the provider's; a
    CLOUDFRONT-scope ACL logs in us-east-1), encrypted with a key of its own in that region."""
    group_name = waf_log_group_name(web_acl_name)
    child = pulumi.ResourceOptions(parent=parent)
    where = pulumi.Output.from_input(region) if region is not None else context.region
    key = customer_managed_key(
        f"{name}-key",
        description=f"{web_acl_name} WAF logs",
        alias=f"{web_acl_name}/waf-logs",
        context=context,
        parent=parent,
        service_statements=lambda r, a: [logs_key_statement(r, a, group_name)],
        region=region,
    )
    group = aws.cloudwatch.LogGroup(
        f"{name}-logs",
        name=group_name,
        kms_key_id=key.arn,
        retention_in_days=settings.retention_days,
        region=region,
        opts=child,
    )
    policy = aws.cloudwatch.LogResourcePolicy(
        f"{name}-log-policy",
        resource_arn=group.arn,
        policy_document=pulumi.Output.all(where, context.account_id).apply(
            lambda v: json.dumps(log_delivery_resource_policy(v[0], v[1], log_group_arn(v[0], v[1], group_name)))
        ),
        region=region,
        opts=child,
    )
    aws.wafv2.WebAclLoggingConfiguration(
        f"{name}-logging",
        resource_arn=web_acl_arn,
        log_destination_configs=[group.arn],
        redacted_fields=redacted_fields(),  # type: ignore[arg-type]
        logging_filter=logging_filter(settings.keep),  # type: ignore[arg-type]
        region=region,
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[policy]),
    )
    return group
