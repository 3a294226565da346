"""`webstack:image_scanning`: how the account's ECR registry scans images, and what `webstack
release` refuses to ship. The registry setting is a resource of the stack; the gate and its
exceptions are read by `release` alone."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import StringConstraints, model_validator

from components.registry_scanning import RegistryScanningArgs
from webstack.program.config_fields import Section, from_arg, own

# Severities as ECR reports them (basic scanning and Amazon Inspector alike), lowest first.
SEVERITIES = ("INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL")
Severity = Literal["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"]
# A vulnerability id as the scanners name it: CVE-2024-3094, GHSA-xxxx-xxxx-xxxx, ALAS2023-2024-512.
FindingId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{2,127}$")]
ServiceName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,20}$")]


class ScanException(Section):
    """One finding a release may ship with: named, justified, owned and dated."""

    id: FindingId = own(
        ...,
        "The finding's vulnerability id as the scan reports it (`CVE-2024-3094`, a GHSA or ALAS id).",
        allowed="3-128 letters, digits and `. _ : -`",
    )
    reason: Annotated[str, StringConstraints(min_length=20, max_length=500, strip_whitespace=True)] = own(
        ...,
        "Why the image may ship with it (the vulnerable code is not reachable, no fixed version exists yet and "
        "what mitigates it), read by whoever reviews the stack file.",
        allowed="20-500 characters",
    )
    approved_by: Annotated[str, StringConstraints(min_length=3, max_length=100, strip_whitespace=True)] = own(
        ..., "Who accepted the risk (a person or team, as your review records them).", allowed="3-100 characters"
    )
    expires: datetime.date = own(
        ...,
        "Last day the exception applies (YYYY-MM-DD); from the next day the finding blocks releases again, and "
        "`release` warns two weeks ahead.",
        allowed="a date",
    )
    services: tuple[ServiceName, ...] = own(
        (),
        "Only these services' images (`api` or keys of `webstack:services`); empty: every service of the stack.",
    )


class ImageScanningConfig(Section):
    """The registry's scanning, and the gate `webstack release` applies to every image it ships."""

    registry: Literal["basic", "enhanced"] | None = own(
        "basic",
        "The ECR registry scanning configuration the stack registers (`aws.ecr.RegistryScanningConfiguration`, "
        "every repository of the account and region): `basic` scans each image on push (ECR's own scanner, "
        "operating-system packages); `enhanced` turns on Amazon Inspector (operating-system and language "
        "packages, billed by Inspector per image scan); `null`: the stack leaves the registry's setting to "
        "whoever owns it (an account baseline, or another stack in the same account and region: it is one "
        "setting per registry, and the last stack that sets it wins).",
        allowed="`basic`, `enhanced`, `null`",
    )
    continuous: bool = from_arg(
        RegistryScanningArgs, "continuous", also="Only with `registry: enhanced` (basic scans on push only)."
    )
    block_severity: Severity = own(
        "CRITICAL",
        "`release` refuses an image with a finding at or above this severity (not covered by `exceptions`), "
        "printing every such finding; nothing is migrated or deployed. Findings without a severity "
        "(UNDEFINED, UNTRIAGED) count as MEDIUM.",
        allowed=", ".join(SEVERITIES),
    )
    wait_minutes: int = own(
        10,
        "How long `release` waits for a scan still in progress (a just-pushed image) before it gives up.",
        ge=1,
        le=60,
    )
    allow_unscanned: bool = own(
        False,
        "`true`: an image whose scan failed, is unsupported, or did not finish within `wait_minutes` ships "
        "with a warning; `false`: `release` refuses it.",
    )
    exceptions: tuple[ScanException, ...] = own(
        (),
        "Findings that do not block a release, each with `id`, `reason`, `approved_by`, `expires` and optional "
        "`services`; an expired exception no longer applies. Inspector suppression rules are honoured too "
        "(a suppressed finding is counted, not blocking).",
    )

    @model_validator(mode="after")
    def _one_exception_per_finding(self) -> ImageScanningConfig:
        ids = [exception.id.upper() for exception in self.exceptions]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"exceptions: one entry per finding id (repeated: {', '.join(repeated)})")
        if self.continuous and self.registry != "enhanced" and "continuous" in self.model_fields_set:
            raise ValueError("continuous: only `registry: enhanced` rescans continuously (basic scans on push)")
        return self
