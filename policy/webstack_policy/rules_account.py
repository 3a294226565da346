"""The account baseline (webstack:kind: account): its trail, detector and recorder, as FSBP asks."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource, Severity

from . import types as t
from .props import UNKNOWN, as_list, customer_managed_key, get, is_set, peek
from .registry import joined, resource_rule, resources_of, stack_rule
from .types import canonical

CONFIG_SERVICE_LINKED_ROLE = "aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"


def _management_events(props: Mapping[str, Any]) -> str | None:
    """Why the trail does not record every management event (read and write), or None."""
    selectors = as_list(get(props, "eventSelectors"))
    advanced = as_list(get(props, "advancedEventSelectors"))
    if not selectors and not advanced:
        return None  # CloudTrail's default: all management events, read and write
    for selector in selectors:
        if (
            get(selector, "includeManagementEvents", default=True) is not False
            and get(selector, "readWriteType", default="All") == "All"
        ):
            return None
    for selector in advanced:
        fields = {get(f, "field"): f for f in as_list(get(selector, "fieldSelectors"))}
        category = fields.get("eventCategory")
        if category is not None and "Management" in as_list(get(category, "equals")) and "readOnly" not in fields:
            return None
    return "no event selector records every management event, read and write"


@resource_rule(
    "cloudtrail-multi-region-management-events",
    concern="logging",
    severity=Severity.HIGH,
    types=[t.TRAIL],
    description=(
        "The account trail records every region and every management event, read and write, global services included."
    ),
    remediation="AccountTrail sets is_multi_region_trail, include_global_service_events and an event selector "
    "for all management events; do not narrow them.",
    fsbp="CloudTrail.1",
)
def trail_multi_region(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "isMultiRegionTrail") is not True:
        yield "isMultiRegionTrail is not true: events of the other regions are not recorded"
    if get(props, "includeGlobalServiceEvents", default=True) is False:
        yield "includeGlobalServiceEvents is false: IAM, STS and other global events are not recorded"
    if get(props, "enableLogging", default=True) is False:
        yield "enableLogging is false: the trail records nothing"
    missing = _management_events(props)
    if missing:
        yield missing


@resource_rule(
    "cloudtrail-encrypted-with-cmk",
    concern="encryption-at-rest",
    severity=Severity.HIGH,
    types=[t.TRAIL],
    description="Trail log files are encrypted with a customer-managed KMS key (SSE-KMS), not only SSE-S3.",
    remediation="AccountTrail passes its bucket's CMK as kms_key_id.",
    fsbp="CloudTrail.2",
    cdk_nag="HIPAA/NIST CloudTrailEncryptionEnabled",
)
def trail_encrypted(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if not customer_managed_key(props, "kmsKeyId"):
        yield "kmsKeyId is not set: log files are encrypted with SSE-S3 only"


@resource_rule(
    "cloudtrail-log-file-validation",
    concern="logging",
    severity=Severity.MEDIUM,
    types=[t.TRAIL],
    description="Trails sign digest files of their log files, so that a changed or deleted log file shows.",
    remediation="AccountTrail sets enable_log_file_validation.",
    fsbp="CloudTrail.4",
    cdk_nag="HIPAA/NIST CloudTrailLogFileValidationEnabled",
)
def trail_validation(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "enableLogFileValidation") is not True:
        yield "enableLogFileValidation is not true"


@resource_rule(
    "cloudtrail-cloudwatch-logs",
    concern="logging",
    severity=Severity.LOW,
    types=[t.TRAIL],
    description="Trails also deliver their events to CloudWatch Logs, where metric filters can raise alarms.",
    remediation="Set webstack:trail.cloudwatch_logs: true (AccountTrail's cloudwatch_logs, the default).",
    fsbp="CloudTrail.5",
    cdk_nag="HIPAA/NIST CloudTrailCloudWatchLogsEnabled",
)
def trail_cloudwatch_logs(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if not (is_set(props, "cloudWatchLogsGroupArn") and is_set(props, "cloudWatchLogsRoleArn")):
        yield "no CloudWatch Logs group and role (cloudWatchLogsGroupArn, cloudWatchLogsRoleArn)"


@resource_rule(
    "guardduty-enabled",
    concern="logging",
    severity=Severity.HIGH,
    types=[t.GUARDDUTY_DETECTOR],
    description="GuardDuty detectors are enabled (a suspended detector analyses nothing).",
    remediation="ThreatDetection creates its detector enabled; do not suspend it.",
    fsbp="GuardDuty.1",
)
def guardduty_enabled(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "enable", default=True) is False:
        yield "enable is false: the detector is suspended"


def _records_with_service_linked_role(recorder: PolicyResource) -> bool:
    linked = [r for r in joined(recorder, "roleArn") if canonical(r.resource_type) == t.SERVICE_LINKED_ROLE]
    if any(peek(r.props, "awsServiceName") == "config.amazonaws.com" for r in linked):
        return True
    role = peek(recorder.props, "roleArn")
    return isinstance(role, str) and role.endswith(CONFIG_SERVICE_LINKED_ROLE)


@stack_rule(
    "config-recorder-on-with-service-linked-role",
    concern="logging",
    severity=Severity.MEDIUM,
    description=(
        "AWS Config records every supported resource type with its service-linked role, and recording is "
        "switched on (a recorder status with isEnabled)."
    ),
    remediation="ConfigRecording records all supported types with AWSServiceRoleForConfig and starts the "
    "recorder; do not narrow or stop it.",
    fsbp="Config.1",
)
def config_recorder(resources: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    statuses = list(resources_of(resources, t.CONFIG_RECORDER_STATUS))
    for recorder in resources_of(resources, t.CONFIG_RECORDER):
        if not _records_with_service_linked_role(recorder):
            yield "the recorder does not use the service-linked role AWSServiceRoleForConfig", recorder.urn
        if peek(recorder.props, "recordingGroup", "allSupported") not in (True, UNKNOWN):
            yield (
                "the recorder does not record all supported resource types (recordingGroup.allSupported)",
                recorder.urn,
            )
        started = [s for s in statuses if recorder in joined(s, "name")]
        if not any(peek(s.props, "isEnabled") in (True, UNKNOWN) for s in started):
            yield "recording is not switched on: no recorder status with isEnabled true", recorder.urn
