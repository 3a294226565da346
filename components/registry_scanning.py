"""RegistryScanning: how the account's private ECR registry scans the images pushed to it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True)
class RegistryScanningArgs:
    scan_type: Literal["BASIC", "ENHANCED"] = "BASIC"
    """BASIC: ECR's own scanner on every push (operating-system packages, no extra charge). ENHANCED: Amazon
    Inspector (operating-system and language packages; Inspector is turned on for ECR in the account and
    bills per image scanned). Example: "ENHANCED".
    """
    continuous: bool = True
    """With ENHANCED: rescan the images as new vulnerabilities are published (CONTINUOUS_SCAN), not only when
    they are pushed (SCAN_ON_PUSH). BASIC always scans on push. Example: False.
    """
    repository_filters: Sequence[str] = ("*",)
    """Repositories the rule covers, as ECR wildcard filters (the setting is one per registry, so the default
    covers every repository of the account and region). Example: ("acme-prod-*",).
    """


def scanning_rule(args: RegistryScanningArgs) -> aws.ecr.RegistryScanningConfigurationRuleArgs:
    """The one scanning rule: on push, or continuously with Inspector."""
    frequency = "CONTINUOUS_SCAN" if args.scan_type == "ENHANCED" and args.continuous else "SCAN_ON_PUSH"
    return aws.ecr.RegistryScanningConfigurationRuleArgs(
        scan_frequency=frequency,
        repository_filters=[
            aws.ecr.RegistryScanningConfigurationRuleRepositoryFilterArgs(filter=f, filter_type="WILDCARD")
            for f in args.repository_filters
        ],
    )


class RegistryScanning(pulumi.ComponentResource):
    """The registry's scanning configuration (``aws.ecr.RegistryScanningConfiguration``): every
    image pushed to the covered repositories is scanned, by ECR (BASIC) or by Amazon Inspector
    (ENHANCED, on push or continuously). It is one setting per account and region: register it in
    one program only (an account baseline, or the one stack of that account and region); deleting
    it returns the registry to BASIC without rules (repositories' own scan-on-push flags apply).

    Example::

        RegistryScanning("registry-scanning", RegistryScanningArgs(scan_type="ENHANCED"))

    Cost: BASIC is free. ENHANCED is billed by Amazon Inspector: about $0.09 per image scanned on
    push and $0.01 per continuous rescan in us-east-1 (cost/prices.csv; other regions differ and
    are not in the table yet), so a stack pushing an image a working day pays about $3 a month.
    """

    def __init__(self, name: str, args: RegistryScanningArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("webstack:supply:RegistryScanning", name, None, opts)
        configuration = aws.ecr.RegistryScanningConfiguration(
            f"{name}-configuration",
            scan_type=args.scan_type,
            rules=[scanning_rule(args)],
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.scan_type = configuration.scan_type
        self.register_outputs({"scanType": self.scan_type})
