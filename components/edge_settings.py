"""Pure settings of the CloudFront edge: cache profiles, managed policy ids, WAF rules, redirects."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

CacheProfileName = Literal["marketing", "dashboard", "assets", "api"]

# AWS managed CloudFront policies (fixed ids, the same in every account).
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3"
CLOUDFRONT_ZONE_ID = "Z2FDTNDATAQYW2"  # the hosted zone of every *.cloudfront.net alias target
ORIGIN_VERIFY_HEADER = "X-Origin-Verify"
MIN_VIEWER_TLS = "TLSv1.2_2021"


@dataclass(frozen=True)
class CacheProfile:
    """How long CloudFront keeps an object when the origin does not say (seed 000's table)."""

    name: CacheProfileName
    default_ttl: int
    max_ttl: int
    description: str


CACHE_PROFILES: dict[str, CacheProfile] = {
    "marketing": CacheProfile("marketing", 86400, 31536000, "marketing site: 1 day"),
    "dashboard": CacheProfile("dashboard", 3600, 86400, "dashboards: 1 hour"),
    "assets": CacheProfile("assets", 2592000, 31536000, "static assets: 30 days"),
}


def spa_error_responses() -> list[dict[str, Any]]:
    """A single-page app answers unknown paths with index.html (S3 says 403 for a missing key)."""
    return [
        {
            "error_code": code,
            "response_code": 200,
            "response_page_path": "/index.html",
            "error_caching_min_ttl": 10,
        }
        for code in (403, 404)
    ]


def www_redirect_function_code(apex: str) -> str:
    """CloudFront Function (cloudfront-js-2.0, viewer request): www.<apex> answers 301 to the same path on the apex.

    The query string is copied from ``rawQueryString()`` byte for byte, so repeated keys, their order and any
    percent-encoding reach the apex exactly as the viewer sent them. A bare ``?`` (raw query ``""``) is dropped:
    it carries nothing, and ``https://<apex><uri>`` is the canonical form. Other hosts pass through unchanged.
    """
    # json.dumps makes the apex a valid JS string literal whatever it contains.
    target = json.dumps(f"https://{apex}")
    return f"""function handler(event) {{
  var request = event.request;
  var host = request.headers.host ? request.headers.host.value : "";
  if (host.indexOf("www.") !== 0) {{
    return request;
  }}
  var query = request.rawQueryString();
  return {{
    statusCode: 301,
    statusDescription: "Moved Permanently",
    headers: {{ location: {{ value: {target} + request.uri + (query ? "?" + query : "") }} }}
  }};
}}
"""


def managed_rule(name: str, priority: int) -> dict[str, Any]:
    return {
        "name": name,
        "priority": priority,
        "override_action": {"none": {}},
        "statement": {"managed_rule_group_statement": {"vendor_name": "AWS", "name": name}},
        "visibility_config": _visibility(name),
    }


def rate_limit_rule(limit_per_5_minutes: int, priority: int) -> dict[str, Any]:
    return {
        "name": "rate-limit-per-ip",
        "priority": priority,
        "action": {"block": {}},
        "statement": {"rate_based_statement": {"limit": limit_per_5_minutes, "aggregate_key_type": "IP"}},
        "visibility_config": _visibility("rate-limit-per-ip"),
    }


MANAGED_RULE_GROUPS = (
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
)


def web_acl_rules(limit_per_5_minutes: int) -> list[dict[str, Any]]:
    """Rate limit first (cheapest to evaluate), then the AWS managed groups."""
    return [rate_limit_rule(limit_per_5_minutes, 0)] + [
        managed_rule(name, index + 1) for index, name in enumerate(MANAGED_RULE_GROUPS)
    ]


def _visibility(metric: str) -> dict[str, Any]:
    return {"cloudwatch_metrics_enabled": True, "sampled_requests_enabled": True, "metric_name": metric}
