"""SecurityFindings: Security Hub with the FSBP standard, and IAM Access Analyzer, in one region."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .aws_context import aws_context

FSBP_VERSION = "1.0.0"
# Access Analyzer names: 1-255 of letters, digits, '.', '_' and '-', starting with a letter (CreateAnalyzer).
_ANALYZER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,254}")


def fsbp_standards_arn(region: str) -> str:
    """AWS Foundational Security Best Practices v1.0.0, as Security Hub names it in a region."""
    return f"arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/{FSBP_VERSION}"


@dataclass(frozen=True)
class SecurityFindingsArgs:
    analyzer_name: str
    """Name of the account's IAM Access Analyzer (1-255 letters, digits, `.`, `_`, `-`). Example:
    "acme-account"."""
    access_analyzer: bool = True
    """Create the account's IAM Access Analyzer of external access (free): it reports buckets, keys, roles,
    secrets and queues that another account or the public can reach. False where the region has one already
    (one per account and region). Example: False.
    """


class SecurityFindings(pulumi.ComponentResource):
    """Security Hub (the product AWS renamed Security Hub CSPM in 2025) with only the AWS
    Foundational Security Best Practices standard (not the default CIS set), controls reported
    once across standards (consolidated control findings) and new FSBP controls enabled as AWS
    adds them; and an IAM Access Analyzer of the account. Security Hub's controls read AWS
    Config: depend this component on the region's recording.

    Example::

        SecurityFindings("findings", SecurityFindingsArgs(analyzer_name="acme-account"),
                         pulumi.ResourceOptions(depends_on=[recording.recording]))

    Cost (cost/prices.csv, usage in cost/usage.yaml, us-east-1): $0.001 per security check (the
    first 100,000 a month); the analyzer of external access is free.
    """

    def __init__(self, name: str, args: SecurityFindingsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if not _ANALYZER_NAME.fullmatch(args.analyzer_name):
            raise ValueError(
                f"Access Analyzer refuses the name {args.analyzer_name!r}: 1-255 letters, digits, '.', '_' or '-', "
                "starting with a letter"
            )
        super().__init__("webstack:audit:SecurityFindings", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        hub = aws.securityhub.Account(
            f"{name}-hub",
            enable_default_standards=False,
            control_finding_generator="SECURITY_CONTROL",
            auto_enable_controls=True,
            opts=child,
        )
        aws.securityhub.StandardsSubscription(
            f"{name}-fsbp",
            standards_arn=aws_context(self).region.apply(fsbp_standards_arn),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[hub]),
        )
        if args.access_analyzer:
            aws.accessanalyzer.Analyzer(
                f"{name}-access-analyzer", analyzer_name=args.analyzer_name, type="ACCOUNT", opts=child
            )
        self.register_outputs({})
