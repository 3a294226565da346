"""The account baseline's part of the picture (webstack:kind: account): the trail, detector,
recorder, Security Hub, analyzer and budget, in the region, and where their records go."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from webstack.diagram.elements import Edge, Node, Place, State, deps, name_of, of_type

REGION = Place("region")
TRAIL = "aws:cloudtrail/trail:Trail"
DETECTOR = "aws:guardduty/detector:Detector"
FEATURE = "aws:guardduty/detectorFeature:DetectorFeature"
RECORDER = "aws:cfg/recorder:Recorder"
CHANNEL = "aws:cfg/deliveryChannel:DeliveryChannel"
RULE = "aws:cfg/rule:Rule"
HUB = "aws:securityhub/account:Account"
ANALYZER = "aws:accessanalyzer/analyzer:Analyzer"
BUDGET = "aws:budgets/budget:Budget"
LOGGING = "aws:s3/bucketLogging:BucketLogging"


def _trail_label(trail: State) -> str:
    inputs = trail["inputs"]
    scope = "all regions" if inputs.get("isMultiRegionTrail") else "one region"
    extras = [part for part, on in (("signed", inputs.get("enableLogFileValidation")),
                                    ("KMS", inputs.get("kmsKeyId")),
                                    ("+ Logs", inputs.get("cloudWatchLogsGroupArn"))) if on]  # fmt: skip
    return f"CloudTrail ({scope})\n{', '.join(extras)}"


def account_nodes(states: Mapping[str, State]) -> Iterator[Node]:
    for trail in of_type(states, TRAIL):
        yield Node(name_of(trail["urn"]), "cloudtrail", _trail_label(trail), REGION)
    on = sorted(f["inputs"].get("name", "") for f in of_type(states, FEATURE) if f["inputs"].get("status") == "ENABLED")
    for detector in of_type(states, DETECTOR):
        plans = "\n".join(name.lower().replace("_", " ") for name in on)
        yield Node(name_of(detector["urn"]), "guardduty", f"GuardDuty\n{plans}".rstrip(), REGION)
    rules = len(of_type(states, RULE))
    for recorder in of_type(states, RECORDER):
        group = recorder["inputs"].get("recordingGroup") or {}
        scope = "all types" + (" + global" if group.get("includeGlobalResourceTypes") else "")
        yield Node(name_of(recorder["urn"]), "config", f"AWS Config\n{scope}\n{rules} managed rules", REGION)
    for hub in of_type(states, HUB):
        yield Node(name_of(hub["urn"]), "securityhub", "Security Hub\nFSBP", REGION)
    for analyzer in of_type(states, ANALYZER):
        yield Node(name_of(analyzer["urn"]), "access_analyzer", "Access Analyzer\nexternal access", REGION)
    for budget in of_type(states, BUDGET):
        limit = str(budget["inputs"].get("limitAmount", "?")).removesuffix(".00")
        yield Node(name_of(budget["urn"]), "budget", f"Budget ${limit}/month\nat 80 %, 100 %", REGION)


def account_edges(states: Mapping[str, State]) -> Iterator[Edge]:
    """Trail and recorder to their buckets, detector and recorder to Security Hub, each bucket to
    the bucket its access logs go to."""
    hubs = [name_of(h["urn"]) for h in of_type(states, HUB)]
    for trail in of_type(states, TRAIL):
        for bucket in deps(trail, "s3BucketName"):
            yield Edge(name_of(trail["urn"]), name_of(bucket), "log files")
    for channel in of_type(states, CHANNEL):
        for recorder in of_type(states, RECORDER):
            for bucket in deps(channel, "s3BucketName"):
                yield Edge(name_of(recorder["urn"]), name_of(bucket), "snapshots, history")
            yield from (Edge(name_of(recorder["urn"]), hub, "control checks") for hub in hubs)
    for detector in of_type(states, DETECTOR):
        yield from (Edge(name_of(detector["urn"]), hub, "findings") for hub in hubs)
    if not of_type(states, TRAIL):
        return  # a workload stack's buckets are drawn without their access-log arrows
    for logging in of_type(states, LOGGING):
        for source in deps(logging, "bucket"):
            for target in deps(logging, "targetBucket"):
                yield Edge(name_of(source), name_of(target), "access logs")
