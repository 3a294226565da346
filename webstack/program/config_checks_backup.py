"""Checks between `webstack:backup`, `aws:region` and the buckets that ask for replicas."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from webstack.program.config import AWS_REGIONS
from webstack.program.config_backup import BackupConfig
from webstack.program.config_problems import Problem


def backup_problems(sections: Mapping[str, Any]) -> list[Problem]:
    backup, region = sections.get("backup"), sections.get("region")
    buckets: Mapping[str, Any] = sections.get("buckets") or {}
    problems: list[Problem] = []
    if isinstance(backup, BackupConfig):
        if backup.copy_region not in AWS_REGIONS:
            problems.append(
                Problem(
                    "webstack:backup.copy_region",
                    f"{backup.copy_region!r} is not an AWS commercial region webstack knows ({', '.join(AWS_REGIONS)})",
                )
            )
        elif backup.copy_region == region:
            problems.append(
                Problem(
                    "webstack:backup.copy_region",
                    f"is {region}, the stack's own region (aws:region): copies there do not survive the loss of "
                    "the region; name another one",
                )
            )
    for name, bucket in buckets.items():
        if not getattr(bucket, "replicate", False):
            continue
        key = f"webstack:buckets.{name}.replicate"
        if "backup" in sections and backup is None:
            problems.append(
                Problem(key, "needs webstack:backup.copy_region, the region the replica lives in (none is set)")
            )
        if not bucket.versioning:
            problems.append(Problem(key, "needs versioning: true (S3 replicates only versioned buckets)"))
    return problems
