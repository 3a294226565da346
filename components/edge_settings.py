"""Pure settings of the CloudFront edge: cache profiles, managed policy ids, WAF rules, redirects."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

CacheProfileName = Literal["marketing", "dashboard", "assets", "api"]

# AWS managed CloudFront policies (fixed ids, the same in every account).
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3"
CLOUDFRONT_ZONE_ID = "Z2FDTNDATAQYW2"  # the hosted zone of every *.cloudfront.net alias target
ORIGIN_VERIFY_HEADER = "X-Origin-Verify"
MIN_VIEWER_TLS = "TLSv1.2_2025"
# Without a custom domain, the weaker links are tagged so the policy pack judges them as one
# decision (rule no-custom-domain) and lists them once the stack accepts them.
CUSTOM_DOMAIN_TAG = "CustomDomain"
ACCEPTED_RISK_TAG = "AcceptedRisk"
NO_CUSTOM_DOMAIN = "no-custom-domain"
EVERY_HOST = "*"


def no_custom_domain_tags(accepted: bool) -> dict[str, str]:
    """Tags of a resource weakened by the lack of a custom domain (``accepted``: the stack says so)."""
    return {CUSTOM_DOMAIN_TAG: "none", **({ACCEPTED_RISK_TAG: NO_CUSTOM_DOMAIN} if accepted else {})}


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


def managed_rule(name: str, priority: int, counted_rules: Sequence[str] = ()) -> dict[str, Any]:
    """An AWS managed rule group; ``counted_rules`` of it only count and label (a later rule
    decides on the label)."""
    statement: dict[str, Any] = {"vendor_name": "AWS", "name": name}
    if counted_rules:
        statement["rule_action_overrides"] = [{"name": r, "action_to_use": {"count": {}}} for r in counted_rules]
    return {
        "name": name,
        "priority": priority,
        "override_action": {"none": {}},
        "statement": {"managed_rule_group_statement": statement},
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
COMMON_RULE_SET = "AWSManagedRulesCommonRuleSet"
# The Common Rule Set blocks request bodies over 8 KB (its rule SizeRestrictions_BODY, which
# labels what it matches with this label).
BODY_SIZE_RULE = "SizeRestrictions_BODY"
BODY_SIZE_LABEL = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body"
# CloudFront sends WAF the first 16 KB of a body unless the web ACL asks for more (in 16 KB
# steps up to 64 KB, billed for the requests whose bodies are larger than 16 KB).
BODY_INSPECTION_STEPS_KB = (16, 32, 48, 64)


def body_inspection_limit_kb(api_max_body_kb: int | None) -> int:
    """The smallest inspection limit that sees a whole body of the API's largest allowed size."""
    if api_max_body_kb is None:
        return BODY_INSPECTION_STEPS_KB[0]
    for step in BODY_INSPECTION_STEPS_KB:
        if api_max_body_kb <= step:
            return step
    raise ValueError(f"WAF inspects at most {BODY_INSPECTION_STEPS_KB[-1]} KB of a body (got {api_max_body_kb} KB)")


def _host_is(hosts: Sequence[str]) -> dict[str, Any] | None:
    """A statement that matches requests for any of ``hosts`` (the viewer's Host header); None for
    EVERY_HOST (CloudFront names the distributions of a stack without a custom domain only at up)."""
    if EVERY_HOST in hosts:
        return None
    matches = [
        {
            "byte_match_statement": {
                "search_string": host,
                "positional_constraint": "EXACTLY",
                "field_to_match": {"single_header": {"name": "host"}},
                "text_transformations": [{"priority": 0, "type": "LOWERCASE"}],
            }
        }
        for host in hosts
    ]
    return matches[0] if len(matches) == 1 else {"or_statement": {"statements": matches}}


def _block(name: str, priority: int, statement: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "priority": priority,
        "action": {"block": {}},
        "statement": statement,
        "visibility_config": _visibility(name),
    }


def web_acl_rules(
    limit_per_5_minutes: int, api_hosts: Sequence[str] = (), api_max_body_kb: int | None = 16
) -> list[dict[str, Any]]:
    """Rate limit first (cheapest to evaluate), then the AWS managed groups.

    With API hosts behind the same web ACL, the Common Rule Set's 8 KB body limit would refuse
    API requests the application needs. That rule then only counts and labels; the sites keep
    it (a later rule blocks the label on every other host), and the API gets its own limit,
    ``api_max_body_kb`` (None: WAF does not limit API bodies; the application does). With
    EVERY_HOST the API's limit applies to every request (the sites take no bodies: GET, HEAD and
    OPTIONS only).
    """
    rules = [rate_limit_rule(limit_per_5_minutes, 0)]
    counted = (BODY_SIZE_RULE,) if api_hosts else ()
    rules += [
        managed_rule(name, index + 1, counted if name == COMMON_RULE_SET else ())
        for index, name in enumerate(MANAGED_RULE_GROUPS)
    ]
    if not api_hosts:
        return rules
    api = _host_is(api_hosts)
    priority = len(rules)
    label = {"label_match_statement": {"scope": "LABEL", "key": BODY_SIZE_LABEL}}
    if api is not None:
        rules.append(
            _block(
                "body-size-sites",
                priority,
                {"and_statement": {"statements": [label, {"not_statement": {"statement": api}}]}},
            )
        )
    if api_max_body_kb is not None:
        too_large = {
            "size_constraint_statement": {
                "comparison_operator": "GT",
                "size": api_max_body_kb * 1024,
                # A body longer than WAF's inspection limit is over the API's limit as well.
                "field_to_match": {"body": {"oversize_handling": "MATCH"}},
                "text_transformations": [{"priority": 0, "type": "NONE"}],
            }
        }
        statement = too_large if api is None else {"and_statement": {"statements": [api, too_large]}}
        rules.append(_block("body-size-api", len(rules), statement))
    return rules


def web_acl_association_config(api_max_body_kb: int | None) -> dict[str, Any] | None:
    """Ask CloudFront for more of each body than 16 KB when the API's limit needs it."""
    limit = body_inspection_limit_kb(api_max_body_kb)
    if limit == BODY_INSPECTION_STEPS_KB[0]:
        return None
    return {"request_bodies": [{"cloudfront": {"default_size_inspection_limit": f"KB_{limit}"}}]}


def _visibility(metric: str) -> dict[str, Any]:
    return {"cloudwatch_metrics_enabled": True, "sampled_requests_enabled": True, "metric_name": metric}
