"""Where the policy pack is, and which of its configs judges a stack."""

from __future__ import annotations

from pathlib import Path

POLICY_DIR = Path(__file__).resolve().parents[2] / "policy"
STRICTEST_POLICY_CONFIG = POLICY_DIR / "config" / "prod.json"


def default_policy_config(stack: str, environment: str | None = None) -> Path:
    """policy/config/<environment>.json when the environment is known (webstack:environment),
    else the stack's own policy/config/<stack>.json; when that file does not exist, the
    strictest: prod.json. A stack named dev whose environment is staging is never judged by
    dev.json. `plan`, `preview`, `up` and `policy check` judge a stack by this file."""
    own = POLICY_DIR / "config" / f"{environment or stack}.json"
    return own if own.is_file() else STRICTEST_POLICY_CONFIG
