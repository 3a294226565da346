"""How `webstack release` ships a service or a site: what it builds, migrates and checks. The
stack's resources do not depend on these keys; only the release command reads them."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from webstack.program.config_fields import Section, own

RelativePath = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-][A-Za-z0-9_./-]*$")]


class ReleaseConfig(Section):
    """What `webstack release` does for one service besides deploying its new image tag."""

    context: RelativePath | None = own(
        None,
        "Docker build context `release --build` builds the image from (relative to the project), for the "
        "service's architecture (ARM64: linux/arm64); `null`: the tag must already be in the repository.",
        allowed="a relative path",
    )
    dockerfile: RelativePath = own("Dockerfile", "Dockerfile inside the context.", allowed="a relative path")
    migration_command: tuple[str, ...] = own(
        (),
        "Command run once as a one-off task of the *new* image (the service's task definition with the new tag, "
        "its subnets, security group, roles and secrets) before the stack is updated; a non-zero exit stops the "
        'release with nothing deployed. Example: ["alembic", "upgrade", "head"].',
        allowed="a list of strings (the container command, no shell)",
    )
    smoke_check_path: Annotated[str, StringConstraints(pattern=r"^/\S*$")] | None = own(
        None,
        "Path fetched over HTTPS at the service's first host after the rollout; anything but 2xx/3xx within a "
        "minute fails the release (exit 1) and prints the command that rolls back to the previous tag.",
        allowed="a path starting with `/`",
    )
