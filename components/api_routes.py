"""Pure planning for a REST API's routes: "GET /products/{id}" -> the resources API Gateway needs,
each after its parent, and what API Gateway would refuse, said before anything is registered."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Access = Literal["public", "user", "admin"]
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# API Gateway's rule for a resource's path part: a-z A-Z 0-9 . _ - , or one variable in curly
# braces, greedy ({proxy+}) only as the last part.
_LITERAL_PART = re.compile(r"[a-zA-Z0-9._-]+")
_VARIABLE_PART = re.compile(r"\{[a-zA-Z0-9._-]+\+?\}")


@dataclass(frozen=True)
class Route:
    """One endpoint: ``"GET /orders/{id}"`` served by the function named ``function``."""

    spec: str
    """The method and path, one space apart; {name} is a path variable, {name+} a greedy last one. Example:
    "GET /orders/{id}".
    """
    function: str
    """The name of the function that serves it, a key of the API's targets. Example: "orders"."""
    access: Access = "public"
    """Who may call it: public (anyone), user (a signed-in Cognito user) or admin (a signed-in user; the function
    checks the admin group). Example: "user".
    """
    cached: bool = False
    """Let the stage cache (when the API has one) keep this route's answers: public GETs whose answer is the
    same for every caller only (a product, not a cart). Example: True.
    """
    rate_limit_per_second: float | None = None
    """Steady requests a second this route accepts before answering 429, instead of the stage's limit (a
    payment route kept below what the payment provider allows); None: the stage's. Example: 10.
    """
    burst_limit: int | None = None
    """Requests this route accepts at once above its steady rate; None: the stage's. Example: 20."""

    @property
    def own_throttling(self) -> bool:
        return self.rate_limit_per_second is not None or self.burst_limit is not None

    @property
    def method(self) -> str:
        return self.spec.split(" ", 1)[0]

    @property
    def path(self) -> str:
        return self.spec.split(" ", 1)[1] if " " in self.spec else ""


@dataclass(frozen=True)
class PlannedResource:
    """An API Gateway resource: its full path, its parent's ("/" for the root) and its own part."""

    path: str
    parent: str
    part: str


def checked_routes(routes: Sequence[Route]) -> None:
    """ValueError naming the route for what API Gateway would refuse, or a route given twice."""
    seen: set[tuple[str, str]] = set()
    for route in routes:
        if route.method not in METHODS or not route.path.startswith("/") or route.spec.count(" ") != 1:
            raise ValueError(f"route {route.spec!r}: write METHOD /path, METHOD one of {', '.join(METHODS)}")
        parts = route.path.strip("/").split("/")
        for index, part in enumerate(parts):
            greedy_last = part.endswith("+}") and index == len(parts) - 1
            if not (
                _LITERAL_PART.fullmatch(part) or (_VARIABLE_PART.fullmatch(part) and (greedy_last or "+" not in part))
            ):
                raise ValueError(
                    f"route {route.spec!r}: API Gateway refuses the path part {part!r} (a-z A-Z 0-9 . _ -, or "
                    "{name}; {name+} only last)"
                )
        if (route.rate_limit_per_second is not None and route.rate_limit_per_second <= 0) or (
            route.burst_limit is not None and route.burst_limit < 0
        ):
            raise ValueError(f"route {route.spec!r}: a rate limit above 0 and a burst limit of 0 or more")
        if route.cached and (route.method != "GET" or route.access != "public"):
            raise ValueError(f"route {route.spec!r}: only a public GET may be cached (one caller's answer is theirs)")
        if (route.method, route.path) in seen:
            raise ValueError(f"route {route.spec!r} is given twice")
        seen.add((route.method, route.path))
    _check_sibling_variables(routes)


def _check_sibling_variables(routes: Sequence[Route]) -> None:
    """API Gateway allows one variable part among a resource's children: /cart/{itemId} and
    /cart/{id} cannot both exist."""
    variables: dict[str, str] = {}
    for resource in resource_tree(routes):
        if resource.part.startswith("{"):
            other = variables.setdefault(resource.parent, resource.part)
            if other != resource.part:
                raise ValueError(
                    f"routes under {resource.parent!r} name its variable both {other} and {resource.part}: "
                    "API Gateway allows one variable part per level"
                )


def resource_tree(routes: Sequence[Route]) -> list[PlannedResource]:
    """Every resource the routes need (each prefix of each path), parents before children."""
    paths: set[str] = set()
    for route in routes:
        parts = route.path.strip("/").split("/")
        for end in range(1, len(parts) + 1):
            paths.add("/" + "/".join(parts[:end]))
    planned = []
    for path in sorted(paths, key=lambda p: (p.count("/"), p)):
        parent, part = path.rsplit("/", 1)
        planned.append(PlannedResource(path, parent or "/", part))
    return planned


def cors_methods(routes: Sequence[Route]) -> dict[str, list[str]]:
    """For each routed path, the methods a browser's preflight (OPTIONS) is told are allowed."""
    methods: dict[str, set[str]] = {}
    for route in routes:
        methods.setdefault(route.path, set()).add(route.method)
    return {path: [*sorted(found), "OPTIONS"] for path, found in sorted(methods.items())}


def method_settings_path(route: Route) -> str:
    """How API Gateway's stage method settings name a method: "products/{id}/GET"."""
    return f"{route.path.strip('/')}/{route.method}"
