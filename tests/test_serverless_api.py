"""ServerlessApi under mocks: the seed's routes as resources, methods and Lambda proxy integrations,
the Cognito authorizer on user and admin routes, per-route invoke permissions, the stage's logs,
tracing and throttling."""

from __future__ import annotations

import json

import pulumi
import pytest

from components import ApiRoute, ApiTarget, ServerlessApi, ServerlessApiArgs

from .helpers import one, refusal, render
from .test_api_routes import SEED

POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC"


def target(name: str) -> ApiTarget:
    arn = f"arn:aws:lambda:us-east-1:123456789012:function:usarakhi-prod-{name}"
    return ApiTarget(
        f"usarakhi-prod-{name}", f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn}/invocations"
    )


TARGETS = {name: target(name) for name in ("catalog", "cart", "checkout", "orders", "admin")}


def api_run(**overrides):
    def program():
        args = {"name": "usarakhi-prod", "routes": SEED, "targets": TARGETS, "user_pool_arn": POOL, **overrides}
        api = ServerlessApi("api", ServerlessApiArgs(**args))
        pulumi.export("url", api.url)

    return render(program, region="us-east-1")


def test_a_regional_rest_api_with_a_resource_per_path_part_and_a_proxy_integration_per_route():
    run = api_run()
    assert one(run, "aws:apigateway/restApi:RestApi").inputs["endpointConfiguration"] == {"types": "REGIONAL"}
    assert len(run.of_type("aws:apigateway/resource:Resource")) == 12
    methods = run.of_type("aws:apigateway/method:Method")
    integrations = run.of_type("aws:apigateway/integration:Integration")
    assert len(methods) == len(integrations) == len(SEED)
    checkout = next(i.inputs for i in integrations if i.name == "api-post-checkout-lambda")
    assert (checkout["type"], checkout["integrationHttpMethod"]) == ("AWS_PROXY", "POST")
    assert checkout["uri"] == TARGETS["checkout"].invoke_arn
    assert run.outputs["url"].endswith(".execute-api.us-east-1.amazonaws.com/v1")


def test_user_and_admin_routes_need_a_cognito_token_and_public_ones_none():
    run = api_run()
    authorizer = one(run, "aws:apigateway/authorizer:Authorizer").inputs
    assert authorizer["type"] == "COGNITO_USER_POOLS" and authorizer["providerArns"] == [POOL]
    by_name = {m.name: m.inputs for m in run.of_type("aws:apigateway/method:Method")}
    assert by_name["api-get-orders-by-id"]["authorization"] == "COGNITO_USER_POOLS"
    assert by_name["api-put-admin-orders-by-id"]["authorizerId"]
    assert by_name["api-get-products"]["authorization"] == "NONE" and "authorizerId" not in by_name["api-get-products"]


def test_each_route_may_invoke_only_its_function_for_its_method_and_path():
    permissions = {p.name: p.inputs for p in api_run().of_type("aws:lambda/permission:Permission")}
    assert len(permissions) == len(SEED)
    cart = permissions["api-delete-cart-by-itemId-invoke"]
    assert cart["function"] == "usarakhi-prod-cart" and cart["principal"] == "apigateway.amazonaws.com"
    assert cart["sourceArn"].endswith("/*/DELETE/cart/{itemId}")


def test_the_stage_traces_logs_json_under_its_own_key_and_throttles():
    run = api_run(rate_limit_per_second=50, burst_limit=100)
    stage = one(run, "aws:apigateway/stage:Stage").inputs
    logs = run.named("api-access-logs").inputs
    assert stage["xrayTracingEnabled"] is True and stage["stageName"] == "v1"
    assert logs["name"] == "/aws/apigateway/usarakhi-prod" and logs["kmsKeyId"].startswith("arn:aws:kms:")
    assert set(json.loads(stage["accessLogSettings"]["format"])) >= {"requestId", "ip", "status", "user"}
    settings = one(run, "aws:apigateway/methodSettings:MethodSettings").inputs
    assert settings["methodPath"] == "*/*"
    assert settings["settings"] == {"metricsEnabled": False, "throttlingRateLimit": 50, "throttlingBurstLimit": 100}
    detailed = one(api_run(detailed_metrics=True), "aws:apigateway/methodSettings:MethodSettings").inputs
    assert detailed["settings"]["metricsEnabled"] is True


def test_a_cache_keeps_public_get_answers_only_encrypted():
    run = api_run(cache_size_gb="0.5", cache_ttl_seconds=60)
    stage = one(run, "aws:apigateway/stage:Stage").inputs
    assert (stage["cacheClusterEnabled"], stage["cacheClusterSize"]) == (True, "0.5")
    cached = {
        m.inputs["methodPath"]: m.inputs["settings"]
        for m in run.of_type("aws:apigateway/methodSettings:MethodSettings")
        if m.inputs["methodPath"] != "*/*"
    }
    assert set(cached) == {"products/GET", "products/{id}/GET"}  # not the cart: it is each caller's own
    (every_method,) = [
        m.inputs["settings"]
        for m in run.of_type("aws:apigateway/methodSettings:MethodSettings")
        if m.inputs["methodPath"] == "*/*"
    ]
    # Once the stage has a cache, API Gateway caches every GET unless */* says otherwise.
    assert (every_method["cachingEnabled"], every_method["cacheDataEncrypted"]) == (False, True)
    assert cached["products/{id}/GET"] == {
        "metricsEnabled": False,
        "throttlingRateLimit": 100,
        "throttlingBurstLimit": 200,
        "cachingEnabled": True,
        "cacheTtlInSeconds": 60,
        "cacheDataEncrypted": True,
    }
    uncached = one(api_run(), "aws:apigateway/stage:Stage").inputs
    assert uncached["cacheClusterEnabled"] is False and "cacheClusterSize" not in uncached


def test_a_new_deployment_whenever_the_routes_change():
    def digest(routes):
        return one(api_run(routes=routes), "aws:apigateway/deployment:Deployment").inputs["triggers"]["routes"]

    assert digest(SEED) == digest(list(reversed(SEED)))
    assert digest(SEED) != digest(SEED[:-1])


def test_a_regional_waf_guards_the_stage_unless_turned_off():
    run = api_run(waf_rate_limit_per_5_minutes=500)
    acl = one(run, "aws:wafv2/webAcl:WebAcl").inputs
    assert acl["scope"] == "REGIONAL" and acl["name"] == "usarakhi-prod-api"
    assert acl["rules"][0]["statement"]["rateBasedStatement"]["limit"] == 500
    association = one(run, "aws:wafv2/webAclAssociation:WebAclAssociation").inputs
    assert association["resourceArn"].endswith(
        "/restapis/" + one(run, "aws:apigateway/stage:Stage").inputs["restApi"] + "/stages/v1"
    )
    assert api_run(waf_rate_limit_per_5_minutes=None).of_type("aws:wafv2/webAcl:WebAcl") == []


def test_preflight_answers_each_path_with_the_origin_and_its_methods_without_a_token():
    run = api_run(cors_origin="https://usarakhi.com")
    options = [m for m in run.of_type("aws:apigateway/method:Method") if m.inputs["httpMethod"] == "OPTIONS"]
    assert len(options) == len({r.path for r in SEED}) == 11 and all(
        m.inputs["authorization"] == "NONE" for m in options
    )
    mocks = [i for i in run.of_type("aws:apigateway/integration:Integration") if i.inputs["type"] == "MOCK"]
    assert len(mocks) == 11
    answer = next(
        r.inputs
        for r in run.of_type("aws:apigateway/integrationResponse:IntegrationResponse")
        if r.name == "api-options-cart-by-itemId-answer"
    )
    assert answer["responseParameters"] == {
        "method.response.header.Access-Control-Allow-Origin": "'https://usarakhi.com'",
        "method.response.header.Access-Control-Allow-Methods": "'DELETE,PUT,OPTIONS'",
        "method.response.header.Access-Control-Allow-Headers": (
            "'Content-Type,Authorization,X-Amz-Date,X-Api-Key,X-Amz-Security-Token'"
        ),
    }
    assert api_run().of_type("aws:apigateway/integrationResponse:IntegrationResponse") == []


def test_its_own_domain_maps_the_stage_aliases_the_zone_and_turns_the_execute_api_address_off():
    certificate = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    run = api_run(domain_name="api.usarakhi.com", certificate_arn=certificate, zone_id="Z123")
    domain = one(run, "aws:apigateway/domainName:DomainName").inputs
    assert domain["regionalCertificateArn"] == certificate and domain["securityPolicy"] == "TLS_1_2"
    assert domain["endpointConfiguration"] == {"types": "REGIONAL"}
    mapping = one(run, "aws:apigateway/basePathMapping:BasePathMapping").inputs
    assert (mapping["domainName"], mapping["stageName"]) == ("api.usarakhi.com", "v1")
    record = one(run, "aws:route53/record:Record").inputs
    assert (record["zoneId"], record["name"], record["type"]) == ("Z123", "api.usarakhi.com", "A")
    assert record["aliases"][0]["name"].endswith(".execute-api.us-east-1.amazonaws.com")
    assert one(run, "aws:apigateway/restApi:RestApi").inputs["disableExecuteApiEndpoint"] is True
    assert run.outputs["url"] == "https://api.usarakhi.com"
    assert one(api_run(), "aws:apigateway/restApi:RestApi").inputs["disableExecuteApiEndpoint"] is False


def test_a_domain_whose_dns_is_elsewhere_gets_no_record_and_names_the_cname_target():
    def program():
        args = {"name": "usarakhi-prod", "routes": SEED, "targets": TARGETS, "user_pool_arn": POOL}
        api = ServerlessApi("api", ServerlessApiArgs(**args, domain_name="api.usarakhi.com", certificate_arn="arn:c"))
        assert api.domain_target is not None
        pulumi.export("target", api.domain_target)

    run = render(program)
    assert run.of_type("aws:route53/record:Record") == []
    assert run.outputs["target"].endswith(".execute-api.us-east-1.amazonaws.com")
    assert one(run, "aws:apigateway/restApi:RestApi").inputs["disableExecuteApiEndpoint"] is True


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"targets": {}}, "routes name functions with no target: admin, cart, catalog, checkout, orders"),
        ({"user_pool_arn": None}, "user and admin routes need user_pool_arn"),
        ({"routes": [ApiRoute("GET /x/{a+}/b", "cart")]}, "refuses the path part"),
        ({"name": "usarakhi prod"}, "name 'usarakhi prod': 1-100 of letters"),
        ({"stage_name": "v1.0"}, "stage_name 'v1.0'"),
        ({"cors_origin": "https://usarakhi.com/"}, "an https origin without a path"),
        ({"cors_origin": "http://usarakhi.com"}, "an https origin without a path"),
        ({"domain_name": "api.usarakhi.com"}, "domain_name and certificate_arn go together"),
        ({"zone_id": "Z1"}, "zone_id needs them"),
        ({"cache_size_gb": "1"}, "cache_size_gb '1': one of 0.5, 1.6"),
        ({"cache_ttl_seconds": 3601}, "cache_ttl_seconds 3601: 0-3600"),
        ({"domain_name": "API.usarakhi.com", "certificate_arn": "arn", "zone_id": "Z1"}, "a lower-case host name"),
    ],
)
def test_what_would_not_deploy_is_refused_before_anything_is_registered(overrides, message):
    args = {"name": "usarakhi-prod", "routes": SEED, "targets": TARGETS, "user_pool_arn": POOL, **overrides}
    assert message in refusal(lambda: ServerlessApi("api", ServerlessApiArgs(**args)))


def test_a_route_with_its_own_limits_is_throttled_apart_and_stays_out_of_the_cache():
    checkout = ApiRoute("POST /checkout", "checkout", rate_limit_per_second=10, burst_limit=20)
    routes = [r if r.spec != "POST /checkout" else checkout for r in SEED]
    settings = {
        m.name: m.inputs for m in api_run(routes=routes).of_type("aws:apigateway/methodSettings:MethodSettings")
    }
    assert set(settings) == {"api-throttling", "api-limit-post-checkout"}
    assert settings["api-limit-post-checkout"]["methodPath"] == "checkout/POST"
    assert settings["api-limit-post-checkout"]["settings"] == {
        "metricsEnabled": False,
        "throttlingRateLimit": 10,
        "throttlingBurstLimit": 20,
    }
    cached = {
        m.name: m.inputs["settings"]
        for m in api_run(routes=routes, cache_size_gb="0.5").of_type("aws:apigateway/methodSettings:MethodSettings")
    }
    # Its settings replace */* for that method, so they say again that it does not cache.
    assert (
        cached["api-limit-post-checkout"]["cachingEnabled"],
        cached["api-limit-post-checkout"]["cacheDataEncrypted"],
    ) == (False, True)
    assert cached["api-cache-get-products"]["throttlingRateLimit"] == 100  # the stage's
