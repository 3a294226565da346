"""Checks of webstack:secret_rotation against the secrets the stack declares."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from webstack.program.config_problems import Problem
from webstack.program.config_rotation import SecretRotationConfig


def secret_rotation_problems(
    rotations: Mapping[str, SecretRotationConfig],
    region: str,
    stack_secrets: tuple[str, ...],
    service_secrets: Mapping[str, tuple[str, ...]],
) -> list[Problem]:
    """Each rotation names a secret the stack declares, runs in its region, and names the role where
    the secret's policy needs it."""
    known = [*stack_secrets, *(f"{service}/{name}" for service, names in service_secrets.items() for name in names)]
    problems = []
    for key, rotation in rotations.items():
        where = f"webstack:secret_rotation.{key}"
        if key not in known:
            problems.append(Problem(where, f"names no secret of the stack (it declares {', '.join(known) or 'none'})"))
        function_region = rotation.function_arn.split(":")[3]
        if function_region != region:
            problems.append(
                Problem(f"{where}.function_arn", f"is in {function_region}: Secrets Manager calls a function in the "
                        f"secret's region ({region})")
            )  # fmt: skip
        if "/" not in key and key in stack_secrets and rotation.role_arn is None:
            problems.append(
                Problem(f"{where}.role_arn", "is required: the secret's policy denies GetSecretValue to every role "
                        "it does not name")
            )  # fmt: skip
    return problems


def declared_service_secrets(api: Any, services: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Each service's app_secrets by service name (`webstack:api` is the service `api`)."""
    declared = {"api": tuple(api.app_secrets)} if api is not None else {}
    return declared | {name: tuple(service.app_secrets) for name, service in services.items()}
