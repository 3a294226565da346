"""The REST API's route planning: the seed's endpoints become the resources API Gateway needs,
parents first, and what API Gateway would refuse is refused by route."""

from __future__ import annotations

import itertools
import re

import pytest

from components.api_routes import (
    Route,
    checked_routes,
    cors_methods,
    method_settings_path,
    resource_tree,
)

# Seed 002's endpoints (public, signed-in user, admin group).
SEED = [
    Route("GET /products", "catalog", cached=True),
    Route("GET /products/{id}", "catalog", cached=True),
    Route("POST /cart", "cart"),
    Route("GET /cart", "cart"),
    Route("PUT /cart/{itemId}", "cart"),
    Route("DELETE /cart/{itemId}", "cart"),
    Route("POST /checkout", "checkout"),
    Route("GET /orders", "orders", "user"),
    Route("GET /orders/{id}", "orders", "user"),
    Route("POST /admin/products", "admin", "admin"),
    Route("PUT /admin/products/{id}", "admin", "admin"),
    Route("DELETE /admin/products/{id}", "admin", "admin"),
    Route("GET /admin/orders", "admin", "admin"),
    Route("PUT /admin/orders/{id}", "admin", "admin"),
]


def test_the_seeds_endpoints_need_these_resources_each_after_its_parent():
    checked_routes(SEED)
    tree = resource_tree(SEED)
    assert [r.path for r in tree] == [
        "/admin", "/cart", "/checkout", "/orders", "/products",
        "/admin/orders", "/admin/products", "/cart/{itemId}", "/orders/{id}", "/products/{id}",
        "/admin/orders/{id}", "/admin/products/{id}",
    ]  # fmt: skip
    made = {"/"}
    for resource in tree:
        assert resource.parent in made and resource.path == f"{resource.parent.rstrip('/')}/{resource.part}"
        made.add(resource.path)


def test_the_tree_is_the_same_whatever_order_the_routes_come_in():
    expected = resource_tree(SEED)
    for shuffled in itertools.islice(itertools.permutations(SEED[:6]), 50):
        assert resource_tree(list(shuffled)) == resource_tree(SEED[:6])
    assert resource_tree(list(reversed(SEED))) == expected


def test_preflight_answers_the_methods_of_each_path_and_settings_name_methods_as_api_gateway_does():
    cors = cors_methods(SEED)
    assert cors["/cart"] == ["GET", "POST", "OPTIONS"] and cors["/cart/{itemId}"] == ["DELETE", "PUT", "OPTIONS"]
    assert method_settings_path(SEED[1]) == "products/{id}/GET"


@pytest.mark.parametrize(
    ("routes", "message"),
    [
        ([Route("FETCH /products", "f")], "write METHOD /path"),
        ([Route("GET products", "f")], "write METHOD /path"),
        ([Route("GET /pro ducts", "f")], "write METHOD /path"),
        ([Route("GET /products/{id", "f")], "refuses the path part '{id'"),
        ([Route("GET /files/{key+}/meta", "f")], "refuses the path part '{key+}'"),
        ([Route("GET /products", "f"), Route("GET /products", "g")], "is given twice"),
        ([Route("GET /cart/{itemId}", "f"), Route("PUT /cart/{id}", "f")], "one variable part per level"),
    ],
)
def test_what_api_gateway_would_refuse_is_named_by_route(routes, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        checked_routes(routes)


def test_a_greedy_variable_is_allowed_as_the_last_part():
    checked_routes([Route("GET /files/{key+}", "files")])
    assert resource_tree([Route("GET /files/{key+}", "files")])[-1].part == "{key+}"


def test_only_public_gets_may_be_cached_and_limits_are_positive():
    for route in (Route("GET /orders", "orders", "user", cached=True), Route("POST /cart", "cart", cached=True)):
        with pytest.raises(ValueError, match="only a public GET may be cached"):
            checked_routes([route])
    for route in (
        Route("POST /checkout", "checkout", rate_limit_per_second=0),
        Route("POST /cart", "cart", burst_limit=-1),
    ):
        with pytest.raises(ValueError, match="a rate limit above 0"):
            checked_routes([route])
