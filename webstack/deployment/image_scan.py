"""The scan gate of `webstack release`: an image ships only when its ECR scan (basic, or enhanced
through Amazon Inspector: DescribeImageScanFindings answers for both) has finished and reports no
finding at or above webstack:image_scanning.block_severity that an unexpired, named exception does
not cover. Reading the scan (``read_scan``) goes through the ECR client and a sleep function, so
that tests stub both; judging it (``judge``) is pure."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from webstack.program.config_scanning import SEVERITIES, ImageScanningConfig, ScanException

# Statuses of DescribeImageScanFindings: findings ready (COMPLETE for basic and a finished enhanced
# scan, ACTIVE for an image Inspector keeps scanning), worth waiting for, or no scan to judge.
READY = frozenset({"COMPLETE", "ACTIVE"})
WAITING = frozenset({"IN_PROGRESS", "PENDING"})
POLL_SECONDS = 15
# Findings without a severity (basic scanning's UNDEFINED, Inspector's UNTRIAGED) count as MEDIUM:
# not triaged is not harmless.
UNRATED = "MEDIUM"
# Inspector findings a suppression rule or a fix closed are counted, never blocking.
SETTLED = frozenset({"SUPPRESSED", "CLOSED"})
EXPIRY_WARNING_DAYS = 14


@dataclass(frozen=True)
class Finding:
    id: str  # CVE-... (basic: the finding's name; enhanced: the vulnerability id, else its title)
    severity: str
    package: str = ""  # "openssl 3.0.2" where the scan says
    fixed_in: str = ""
    settled: bool = False  # suppressed in Inspector, or closed


@dataclass(frozen=True)
class Scan:
    status: str  # READY / WAITING statuses, an unscanned one, or NOT_FOUND / TIMED_OUT
    description: str = ""
    findings: tuple[Finding, ...] = ()
    enhanced: bool = False


@dataclass
class Verdict:
    """What the gate decided for one image, and everything it printed it from."""

    service: str
    image: str
    scan: Scan
    blocking: list[Finding] = field(default_factory=list)
    excepted: list[tuple[Finding, ScanException]] = field(default_factory=list)
    expired: list[tuple[Finding, ScanException]] = field(default_factory=list)
    unscanned: bool = False
    allowed_unscanned: bool = False

    @property
    def passed(self) -> bool:
        return not self.blocking and (not self.unscanned or self.allowed_unscanned)

    def short(self) -> str:
        """The summary table's cell."""
        if self.unscanned:
            return f"{'unscanned (allowed)' if self.allowed_unscanned else 'refused'}: {self.scan.status}"
        if self.blocking:
            return f"refused: {len(self.blocking)} at or above the threshold"
        total = len([f for f in self.scan.findings if not f.settled])
        excepted = f", {len(self.excepted)} excepted" if self.excepted else ""
        return f"passed ({total} finding{'s' * (total != 1)}{excepted})"


def _rank(severity: str) -> int:
    severity = severity.upper()
    return SEVERITIES.index(severity if severity in SEVERITIES else UNRATED)


def finding_of(raw: Mapping[str, Any], *, enhanced: bool) -> Finding:
    """One finding as basic scanning or Amazon Inspector reports it."""
    if not enhanced:
        attributes = {a.get("key"): a.get("value", "") for a in raw.get("attributes", [])}
        package = " ".join(p for p in (attributes.get("package_name"), attributes.get("package_version")) if p)
        return Finding(str(raw.get("name", "?")), str(raw.get("severity", "UNDEFINED")), package)
    details = raw.get("packageVulnerabilityDetails") or {}
    packages = details.get("vulnerablePackages") or [{}]
    first = packages[0]
    package = " ".join(p for p in (first.get("name"), first.get("version")) if p)
    return Finding(
        str(details.get("vulnerabilityId") or raw.get("title") or "?"),
        str(raw.get("severity", "UNTRIAGED")),
        package,
        str(first.get("fixedInVersion") or ""),
        settled=str(raw.get("status", "ACTIVE")) in SETTLED,
    )


def read_scan(
    ecr: Any,
    repository: str,
    tag: str,
    *,
    wait_seconds: float,
    sleep: Callable[[float], None] = time.sleep,
) -> Scan:
    """The image's scan, waiting up to ``wait_seconds`` while it is in progress. An image that was
    never scanned (a registry scanning by hand) is scanned once with StartImageScan, which basic
    scanning accepts."""
    image = {"imageTag": tag}
    waited, started = 0.0, False
    while True:
        try:
            page = ecr.describe_image_scan_findings(repositoryName=repository, imageId=image, maxResults=1000)
        except Exception as error:  # ScanNotFoundException is the one this handles; others go on up
            if "ScanNotFound" not in type(error).__name__ + str(error):
                raise
            if started:
                page = {"imageScanStatus": {"status": "IN_PROGRESS"}}
            else:
                started = True
                try:
                    ecr.start_image_scan(repositoryName=repository, imageId=image)
                except Exception as refused:  # noqa: BLE001 - enhanced registries scan by themselves
                    return Scan("NOT_FOUND", f"no scan of this image, and StartImageScan refused: {refused}")
                page = {"imageScanStatus": {"status": "IN_PROGRESS"}}
        status = str(page.get("imageScanStatus", {}).get("status", "NOT_FOUND"))
        description = str(page.get("imageScanStatus", {}).get("description", ""))
        if status in WAITING:
            if waited >= wait_seconds:
                return Scan("TIMED_OUT", f"still {status} after {int(waited)} s: {description}".rstrip(": "))
            sleep(POLL_SECONDS)
            waited += POLL_SECONDS
            continue
        if status not in READY:
            return Scan(status, description)
        return _all_findings(ecr, repository, image, page)


def _all_findings(ecr: Any, repository: str, image: dict[str, str], page: Any) -> Scan:
    status = str(page["imageScanStatus"]["status"])
    description = str(page["imageScanStatus"].get("description", ""))
    findings: list[Finding] = []
    enhanced = False
    while True:
        found = page.get("imageScanFindings", {})
        enhanced = enhanced or bool(found.get("enhancedFindings"))
        findings += [finding_of(f, enhanced=False) for f in found.get("findings", [])]
        findings += [finding_of(f, enhanced=True) for f in found.get("enhancedFindings", [])]
        token = page.get("nextToken")
        if not token:
            return Scan(status, description, tuple(findings), enhanced)
        page = ecr.describe_image_scan_findings(
            repositoryName=repository, imageId=image, maxResults=1000, nextToken=token
        )


def _exception_for(finding: Finding, service: str, exceptions: Iterable[ScanException]) -> ScanException | None:
    for exception in exceptions:
        if exception.id.upper() == finding.id.upper() and (not exception.services or service in exception.services):
            return exception
    return None


def judge(service: str, image: str, scan: Scan, settings: ImageScanningConfig, today: datetime.date) -> Verdict:
    """The gate's decision for one image (pure)."""
    verdict = Verdict(service, image, scan)
    if scan.status not in READY:
        verdict.unscanned = True
        verdict.allowed_unscanned = settings.allow_unscanned
        return verdict
    threshold = _rank(settings.block_severity)
    for finding in scan.findings:
        if finding.settled or _rank(finding.severity) < threshold:
            continue
        exception = _exception_for(finding, service, settings.exceptions)
        if exception is None:
            verdict.blocking.append(finding)
        elif exception.expires < today:
            verdict.expired.append((finding, exception))
            verdict.blocking.append(finding)
        else:
            verdict.excepted.append((finding, exception))
    verdict.blocking.sort(key=lambda f: (-_rank(f.severity), f.id))
    return verdict


def report(verdict: Verdict, settings: ImageScanningConfig, today: datetime.date) -> list[str]:
    """The lines `release` prints for one image: what blocks it and why, what an exception let
    through, and exceptions about to lapse."""
    kind = "enhanced (Amazon Inspector)" if verdict.scan.enhanced else "ECR"
    head = f"{verdict.service}: {verdict.image}"
    if verdict.unscanned:
        what = f"{verdict.scan.status}" + (f" ({verdict.scan.description})" if verdict.scan.description else "")
        if verdict.allowed_unscanned:
            return [f"{head}: no usable scan ({what}); shipped anyway: image_scanning.allow_unscanned is true"]
        return [
            f"{head}: no usable scan ({what}); refused. Rescan the image, or set "
            "webstack:image_scanning.allow_unscanned (a reviewed choice) to ship unscanned images"
        ]
    lines = []
    if verdict.blocking:
        lines.append(
            f"{head}: {len(verdict.blocking)} finding(s) at or above {settings.block_severity} in its {kind} scan; "
            "refused:"
        )
        lines += [f"  {_describe(f)}" for f in verdict.blocking]
        lines += [
            f"  exception {e.id} (approved by {e.approved_by}) expired on {e.expires.isoformat()}"
            for _, e in verdict.expired
        ]
        lines.append(
            "  Fix: rebuild on patched packages, or add a reviewed entry to webstack:image_scanning.exceptions "
            "(id, reason, approved_by, expires)"
        )
    else:
        lines.append(f"{head}: {kind} scan {verdict.short()}")
    for finding, exception in verdict.excepted:
        soon = (exception.expires - today).days <= EXPIRY_WARNING_DAYS
        lines.append(
            f"  excepted: {_describe(finding)}: {exception.reason} (approved by {exception.approved_by}, "
            f"until {exception.expires.isoformat()}{'; expires soon' if soon else ''})"
        )
    return lines


def _describe(finding: Finding) -> str:
    parts = [finding.severity, finding.id]
    if finding.package:
        parts.append(f"in {finding.package}")
    if finding.fixed_in:
        parts.append(f"(fixed in {finding.fixed_in})")
    return " ".join(parts)
