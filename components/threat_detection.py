"""ThreatDetection: GuardDuty in one region, with the protection plans webstack's stacks need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True)
class ThreatDetectionArgs:
    s3_protection: bool = True
    """Analyse CloudTrail S3 data events of every bucket (GuardDuty S3 Protection: exfiltration, unusual
    access); GuardDuty reads them itself, no trail data events needed. Example: False.
    """
    rds_login_events: bool = True
    """Analyse login activity of the RDS and Aurora databases (RDS Protection: brute force, anomalous
    logins). Example: False for a stack without a database.
    """
    ecs_fargate_runtime: bool = True
    """Runtime Monitoring of ECS Fargate tasks, with GuardDuty managing its agent: it adds its security agent
    as a sidecar to every task started afterwards. Each task's execution role must be able to pull the agent
    image from GuardDuty's ECR repository of the region (`aws-guardduty-agent-fargate`). Example: False.
    """
    ebs_malware_protection: bool = True
    """Scan the EBS volumes of an EC2 instance (the NAT instances) when a finding suggests malware; billed per
    GB scanned, nothing while there is no such finding. Example: False.
    """
    lambda_network_logs: bool = True
    """Analyse the network activity of Lambda functions (Lambda Protection). Example: False for a stack
    without functions.
    """
    finding_publishing_frequency: Literal["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"] = "FIFTEEN_MINUTES"
    """How often updates of an existing finding reach EventBridge and Security Hub (new findings go at once).
    Example: "ONE_HOUR".
    """


def detector_features(args: ThreatDetectionArgs) -> list[tuple[str, bool, dict[str, bool]]]:
    """(feature, enabled, {additional configuration: enabled}) for every feature webstack decides:
    each one explicitly, so a default AWS turns on later (EKS audit logs) does not creep in. EKS
    is off: webstack runs no Kubernetes. RUNTIME_MONITORING covers ECS, EC2 and EKS (it replaces
    EKS_RUNTIME_MONITORING; both together are refused)."""
    return [
        ("S3_DATA_EVENTS", args.s3_protection, {}),
        ("RDS_LOGIN_EVENTS", args.rds_login_events, {}),
        ("EKS_AUDIT_LOGS", False, {}),
        ("EBS_MALWARE_PROTECTION", args.ebs_malware_protection, {}),
        ("LAMBDA_NETWORK_LOGS", args.lambda_network_logs, {}),
        (
            "RUNTIME_MONITORING",
            args.ecs_fargate_runtime,
            {
                "ECS_FARGATE_AGENT_MANAGEMENT": args.ecs_fargate_runtime,
                "EKS_ADDON_MANAGEMENT": False,
                # The NAT instances have no instance profile, so the SSM-managed agent could not run there.
                "EC2_AGENT_MANAGEMENT": False,
            },
        ),
    ]


def _status(enabled: bool) -> str:
    return "ENABLED" if enabled else "DISABLED"


class ThreatDetection(pulumi.ComponentResource):
    """An enabled GuardDuty detector (FSBP GuardDuty.1) with its protection plans set one by one:
    S3 data events, RDS login events, Runtime Monitoring of ECS Fargate with GuardDuty managing
    the agent, malware scans of EBS volumes on suspicion, Lambda network activity; EKS audit logs
    and EKS/EC2 agent management off. GuardDuty is regional: one per region the account uses.

    Example::

        guardduty = ThreatDetection("guardduty", ThreatDetectionArgs(lambda_network_logs=False))

    Cost (cost/prices.csv, usage in cost/usage.yaml, us-east-1): $4 per million CloudTrail
    management events and $1 per GB of VPC flow and DNS logs analysed, $0.80 per million S3 data
    events, $1.50 per vCPU-month of Fargate tasks monitored; Lambda network logs, EBS scans and RDS
    login events (by the database's vCPUs) are not in the price table.
    """

    detector_id: pulumi.Output[str]

    def __init__(
        self, name: str, args: ThreatDetectionArgs | None = None, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        args = args or ThreatDetectionArgs()
        super().__init__("webstack:audit:ThreatDetection", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        detector = aws.guardduty.Detector(
            f"{name}-detector",
            enable=True,
            finding_publishing_frequency=args.finding_publishing_frequency,
            opts=child,
        )
        for feature, enabled, additional in detector_features(args):
            aws.guardduty.DetectorFeature(
                f"{name}-{feature.lower().replace('_', '-')}",
                detector_id=detector.id,
                name=feature,
                status=_status(enabled),
                additional_configurations=[{"name": extra, "status": _status(on)} for extra, on in additional.items()]
                or None,
                opts=child,
            )
        self.detector_id = detector.id
        self.register_outputs({"detectorId": detector.id})
