"""Line items of the account baseline's types (CloudTrail, GuardDuty, AWS Config, Security Hub):
usage-driven, from the account-wide figures of ``usage.yaml`` (events, GB, items, checks)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from webstack.cost.model import NO_CHARGE, Context, LineItem, prices

TRAIL = "aws:cloudtrail/trail:Trail"
CONFIG_RULE = "aws:cfg/rule:Rule"

NO_CHARGE.update(
    {
        "aws:accessanalyzer/analyzer:Analyzer": "an analyzer of external access is free",
        "aws:budgets/budget:Budget": "free (AWS charges for budgets with actions beyond the first two, and reports)",
        "aws:cfg/deliveryChannel:DeliveryChannel": "free (its bucket bills as storage)",
        "aws:cfg/recorderStatus:RecorderStatus": "free (the recorder bills per item recorded)",
        "aws:iam/serviceLinkedRole:ServiceLinkedRole": "IAM is free",
        "aws:securityhub/account:Account": "billed per check of its standards (the subscription's line)",
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": "free (locked versions bill as storage)",
    }
)


def _records_management_events(inputs: Mapping[str, Any]) -> bool:
    selectors = inputs.get("eventSelectors") or []
    advanced = inputs.get("advancedEventSelectors") or []
    if not selectors and not advanced:
        return True  # CloudTrail's default: every management event
    if any(s.get("includeManagementEvents", True) for s in selectors):
        return True
    return any(
        f.get("field") == "eventCategory" and "Management" in (f.get("equals") or [])
        for s in advanced
        for f in s.get("fieldSelectors") or []
    )


def _records_data_events(inputs: Mapping[str, Any]) -> bool:
    selectors = inputs.get("eventSelectors") or []
    advanced = inputs.get("advancedEventSelectors") or []
    return any(s.get("dataResources") for s in selectors) or any(
        f.get("field") == "eventCategory" and "Data" in (f.get("equals") or [])
        for s in advanced
        for f in s.get("fieldSelectors") or []
    )


@prices(TRAIL)
def trail(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    """The first trail that records management events delivers them free; every further copy bills."""
    events_100k = float(ctx.usage["cloudtrail_management_events_millions"]) * 10
    if _records_management_events(inputs):
        management_trails = [
            s["urn"] for s in ctx.states.values() if s["type"] == TRAIL and _records_management_events(s["inputs"])
        ]
        first = not management_trails or management_trails[0] == urn
        key = "cloudtrail.management_first" if first else "cloudtrail.management_copy"
        label = "first copy, free" if first else "a further copy"
        yield ctx.item(urn, f"management events ({label}; usage)", events_100k, key)
    if _records_data_events(inputs):
        yield ctx.item(urn, "data events (usage)", float(ctx.usage["cloudtrail_data_events_100k"]), "cloudtrail.data")


@prices("aws:guardduty/detector:Detector")
def detector(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    """Foundational threat detection: CloudTrail management events and VPC flow and DNS logs."""
    if inputs.get("enable") is False:
        return
    events = float(
        ctx.usage.get("guardduty_cloudtrail_events_millions", ctx.usage["cloudtrail_management_events_millions"])
    )
    yield ctx.item(urn, "CloudTrail management events analysed (usage)", events, "guardduty.cloudtrail_events")
    yield ctx.item(
        urn, "VPC flow and DNS logs analysed (usage)", float(ctx.usage["guardduty_flow_dns_gb"]), "guardduty.flow_dns"
    )


# What each enabled protection plan bills, by feature: (description, usage key, price key).
_FEATURES = {
    "S3_DATA_EVENTS": ("S3 data events analysed", "guardduty_s3_data_events_millions", "guardduty.s3_events"),
    "RDS_LOGIN_EVENTS": ("RDS login events: database vCPUs", "guardduty_rds_vcpus", "guardduty.rds_vcpu"),
    "LAMBDA_NETWORK_LOGS": ("Lambda network logs analysed", "guardduty_lambda_network_gb", "guardduty.lambda_network"),
    "EBS_MALWARE_PROTECTION": (
        "EBS volumes scanned on suspicion",
        "guardduty_malware_scanned_gb",
        "guardduty.ebs_scan",
    ),
    "EKS_AUDIT_LOGS": ("EKS audit log events", "guardduty_eks_audit_events_millions", "guardduty.eks_audit"),
}


@prices("aws:guardduty/detectorFeature:DetectorFeature")
def detector_feature(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    if inputs.get("status") != "ENABLED":
        return
    name = str(inputs.get("name", ""))
    if name == "RUNTIME_MONITORING":
        agents = {c.get("name"): c.get("status") for c in inputs.get("additionalConfigurations") or []}
        if agents.get("ECS_FARGATE_AGENT_MANAGEMENT") == "ENABLED":
            vcpus = float(ctx.usage["guardduty_fargate_vcpus"])
            yield ctx.item(
                urn, f"Runtime Monitoring of Fargate tasks: {vcpus:g} vCPUs (usage)", vcpus, "guardduty.runtime_vcpu"
            )
        return
    if name in _FEATURES:
        description, usage_key, price_key = _FEATURES[name]
        yield ctx.item(urn, f"{description} (usage)", float(ctx.usage.get(usage_key, 0)), price_key)


@prices("aws:cfg/recorder:Recorder")
def recorder(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    items = float(ctx.usage["config_items_recorded"])
    yield ctx.item(urn, f"configuration items recorded (usage {items:g})", items, "config.item")


@prices(CONFIG_RULE)
def config_rule(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    rules = max(1, sum(1 for s in ctx.states.values() if s["type"] == CONFIG_RULE))
    evaluations = float(ctx.usage["config_rule_evaluations"]) / rules
    yield ctx.item(urn, f"rule evaluations (share of usage, {rules} rules)", evaluations, "config.rule_evaluation")


@prices("aws:securityhub/standardsSubscription:StandardsSubscription")
def standards_subscription(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    checks = float(ctx.usage["securityhub_checks"])
    yield ctx.item(urn, f"security checks (usage {checks:g})", checks, "securityhub.check")
