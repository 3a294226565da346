"""ServerlessApi: a regional REST API routing "METHOD /path" to Lambda functions, Cognito-guarded
where a route asks, with JSON access logs under a CMK, X-Ray and stage throttling."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .api_routes import Route, checked_routes, cors_methods, method_settings_path, resource_tree
from .aws_context import aws_context
from .edge_settings import web_acl_rules
from .encryption_key import customer_managed_key
from .iam_documents import logs_key_statement
from .lambda_function import ApiTarget
from .log_groups import DEFAULT_RETENTION_DAYS, encrypted_log_group
from .waf_logging import FULL_WAF_LOGS, WafLogSettings, web_acl_logging

# The API's name is also its WAF web ACL's and log group's: the narrowest of their character sets.
_API_NAME = re.compile(r"[A-Za-z0-9_-]{1,100}")
# A DNS host name of lower-case labels (what a certificate and a Route 53 record take).
_HOST_NAME = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
# botocore apigateway CacheClusterSize; a cached answer lives at most an hour.
CACHE_SIZES_GB = ("0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237")
MAX_CACHE_TTL_SECONDS = 3600
# Stage names: letters, digits, hyphens and underscores, up to 128.
_STAGE_NAME = re.compile(r"[A-Za-z0-9_-]{1,128}")
# The headers a browser's preflight is told it may send (the token travels in Authorization).
CORS_HEADERS = "Content-Type,Authorization,X-Amz-Date,X-Api-Key,X-Amz-Security-Token"

# The fields of each access-log line ($context variables of API Gateway), one JSON object a request.
ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "user": "$context.authorizer.claims.sub",
        "time": "$context.requestTime",
        "method": "$context.httpMethod",
        "path": "$context.resourcePath",
        "status": "$context.status",
        "latencyMs": "$context.responseLatency",
        "integrationError": "$context.integration.error",
        "wafStatus": "$context.waf.status",
    },
    separators=(",", ":"),
)


@dataclass(frozen=True)
class ServerlessApiArgs:
    name: str
    """The REST API's name, also its web ACL's and log group's (1-100 of letters, digits, _ and -). Example:
    "usarakhi-prod".
    """
    routes: Sequence[Route]
    """The endpoints: Route("GET /orders/{id}", "orders", access="user"); access public, user (a signed-in
    Cognito user) or admin (a signed-in user; the function checks the admin group in the token's
    cognito:groups claim). Example: [Route("GET /products", "catalog")].
    """
    targets: Mapping[str, ApiTarget]
    """The function each route names, by name (LambdaFunction.api_target). Example: {"catalog":
    catalog.api_target}.
    """
    user_pool_arn: pulumi.Input[str] | None = None
    """The Cognito user pool whose ID tokens the user and admin routes require (UserDirectory.user_pool_arn).
    Example: users.user_pool_arn.
    """
    stage_name: str = "v1"
    """The stage, the first part of the execute-api URL (letters, digits, _ and -). Example: "api"."""
    rate_limit_per_second: float = 100
    """Steady requests a second the stage accepts for every method together before answering 429 (API
    Gateway's own account limit is 10,000). Example: 500.
    """
    burst_limit: int = 200
    """Requests the stage accepts at once above the steady rate. Example: 1000."""
    cache_size_gb: str | None = None
    """Size of the stage's response cache (0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118 or 237 GB), billed by the hour
    while it exists (about $0.02 an hour for 0.5 GB); it keeps the answers of the routes marked cached (public
    GETs only), encrypted (FSBP APIGateway.5). None: no cache. Example: "0.5".
    """
    cache_ttl_seconds: int = 300
    """Seconds a cached answer is served (0-3600). Example: 60."""
    log_retention_days: int = DEFAULT_RETENTION_DAYS
    """Days the access-log group keeps its events. Example: 90."""
    detailed_metrics: bool = False
    """CloudWatch metrics per method (count, latency, errors of each route) besides the stage's own, which
    are always there and free; billed as custom metrics, 5 a method (7 with the cache) at $0.30 a month
    each for the hours they get data: about $26 a month for seed 002's 25 methods. Example: True.
    """
    waf_rate_limit_per_5_minutes: int | None = 2000
    """Requests one IP address may make in 5 minutes before the API's regional WAF web ACL blocks it (the
    ACL also runs AWS's managed rule groups; FSBP APIGateway.4); None: no WAF ($5 a month for the ACL and
    $1 per rule, plus $0.60 per million requests). Example: 500.
    """
    waf_logging: WafLogSettings | None = FULL_WAF_LOGS
    """Log the web ACL's requests to the log group aws-waf-logs-<name>-api, encrypted with a key of its own,
    the Authorization and Cookie headers redacted (FSBP WAF.11); None: no logs. About $0.50 per GB ingested.
    Example: WafLogSettings(keep="blocked").
    """
    cors_origin: str | None = None
    """The one web origin browsers may call the API from: every routed path answers the preflight (OPTIONS)
    with it, its methods and the headers the front end sends; the functions add the same origin to their
    responses. None: no preflight. Example: "https://usarakhi.com".
    """
    domain_name: str | None = None
    """The API's own host name, served with certificate_arn and aliased in zone_id; the execute-api address
    is then turned off, so no request reaches the API around its domain. None: the execute-api URL only.
    Example: "api.usarakhi.com".
    """
    certificate_arn: pulumi.Input[str] | None = None
    """An ACM certificate for domain_name in the API's region (EdgeDomain.regional_certificate_arn). Example:
    domain.regional_certificate_arn.
    """
    zone_id: pulumi.Input[str] | None = None
    """The Route 53 hosted zone that gets domain_name's alias record (EdgeDomain.zone_id); None with a
    domain_name: its DNS is elsewhere, where a CNAME to domain_target must be created. Example: domain.zone_id.
    """


def checked_api(args: ServerlessApiArgs) -> None:
    """ValueError, naming the argument, for what API Gateway, WAF or CloudWatch would refuse."""
    if args.cache_size_gb is not None and args.cache_size_gb not in CACHE_SIZES_GB:
        raise ValueError(f"cache_size_gb {args.cache_size_gb!r}: one of {', '.join(CACHE_SIZES_GB)}")
    if not 0 <= args.cache_ttl_seconds <= MAX_CACHE_TTL_SECONDS:
        raise ValueError(f"cache_ttl_seconds {args.cache_ttl_seconds}: 0-3600")
    if (args.domain_name is None) != (args.certificate_arn is None) or (
        args.zone_id is not None and args.domain_name is None
    ):
        raise ValueError("domain_name and certificate_arn go together, and zone_id needs them: give both or none")
    if args.domain_name is not None and not _HOST_NAME.fullmatch(args.domain_name):
        raise ValueError(f"domain_name {args.domain_name!r}: a lower-case host name such as api.example.com")
    if not _API_NAME.fullmatch(args.name):
        raise ValueError(f"name {args.name!r}: 1-100 of letters, digits, _ and - (WAF's and CloudWatch's rule)")
    if not _STAGE_NAME.fullmatch(args.stage_name):
        raise ValueError(f"stage_name {args.stage_name!r}: 1-128 of letters, digits, _ and -")
    if args.cors_origin is not None and not re.fullmatch(r"https://[a-z0-9.-]+(:[0-9]{1,5})?", args.cors_origin):
        raise ValueError(f"cors_origin {args.cors_origin!r}: an https origin without a path, e.g. https://example.com")
    checked_routes(args.routes)
    missing = sorted({r.function for r in args.routes} - set(args.targets))
    if missing:
        raise ValueError(f"routes name functions with no target: {', '.join(missing)}")
    if args.user_pool_arn is None and any(r.access != "public" for r in args.routes):
        raise ValueError("user and admin routes need user_pool_arn (the Cognito pool that signs their tokens)")


class ServerlessApi(pulumi.ComponentResource):
    """The HTTP front of a serverless system: a regional REST API (REST rather than HTTP API because
    the seed asks for WAF, caching and per-method throttling, which HTTP APIs lack) with one resource
    per path part, each route a Lambda proxy integration allowed to invoke only its own function for
    that method and path, a Cognito user-pool authorizer on the user and admin routes, a stage with X-Ray
    tracing, JSON access logs in a log group under its own CMK, and stage-wide throttling.

    Example::

        api = ServerlessApi("api", ServerlessApiArgs(
            name="usarakhi-prod", routes=[Route("GET /products", "catalog")],
            targets={"catalog": catalog.api_target}, user_pool_arn=users.user_pool_arn))

    Cost (cost/prices.csv): per million REST API requests (about $3.50 in us-east-1 for the first
    333 million, aws.amazon.com/api-gateway/pricing); $1 a month for the log key; access logs per GB
    ingested; the stage cache by the hour ($0.02 for 0.5 GB); X-Ray traces beyond the free 100,000 a
    month at $5 per million; with detailed_metrics, $0.30 a month per metric (5 a method, 7 with the
    cache) for the hours they get data; the web ACL $5 a month, $1 a rule and $0.60 per million
    requests, its logs $0.50 per GB ingested and $1 a month for their key.
    """

    url: pulumi.Output[str]
    execution_arn: pulumi.Output[str]
    stage_arn: pulumi.Output[str]
    domain_target: pulumi.Output[str] | None

    def __init__(self, name: str, args: ServerlessApiArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        checked_api(args)
        super().__init__("webstack:serverless:ServerlessApi", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        api = aws.apigateway.RestApi(
            f"{name}-api",
            name=args.name,
            description=f"{args.name}: {len(args.routes)} routes",
            endpoint_configuration={"types": "REGIONAL"},
            disable_execute_api_endpoint=args.domain_name is not None,
            opts=child,
        )
        resource_ids = self._resources(name, api, args.routes)
        authorizer = None
        if args.user_pool_arn is not None:
            authorizer = aws.apigateway.Authorizer(
                f"{name}-users",
                name=f"{args.name}-users",
                rest_api=api.id,
                type="COGNITO_USER_POOLS",
                provider_arns=[args.user_pool_arn],
                identity_source="method.request.header.Authorization",
                opts=child,
            )
        routed = [
            self._route(
                name,
                api=api,
                resource_ids=resource_ids,
                route=route,
                target=args.targets[route.function],
                authorizer=authorizer,
            )
            for route in args.routes
        ]
        if args.cors_origin is not None:
            routed += self._preflight(name, api, resource_ids, args.routes, args.cors_origin)
        # A new deployment whenever the routes change (a deployment is a snapshot of them).
        routes_digest = hashlib.sha256(
            repr((sorted((r.spec, r.function, r.access) for r in args.routes), args.cors_origin)).encode()
        )
        deployment = aws.apigateway.Deployment(
            f"{name}-deployment",
            rest_api=api.id,
            triggers={"routes": routes_digest.hexdigest()},
            opts=pulumi.ResourceOptions(parent=self, depends_on=[part for pair in routed for part in pair]),
        )
        key = customer_managed_key(
            f"{name}-key",
            description=f"{args.name} API access logs",
            alias=f"{args.name}/api",
            context=aws_context(self),
            parent=self,
            service_statements=lambda region, account: [
                logs_key_statement(region, account, f"/aws/apigateway/{args.name}")
            ],
        )
        logs = encrypted_log_group(
            f"{name}-access-logs",
            log_group_name=f"/aws/apigateway/{args.name}",
            key=key,
            retention_days=args.log_retention_days,
            parent=self,
        )
        stage = aws.apigateway.Stage(
            f"{name}-stage",
            rest_api=api.id,
            deployment=deployment.id,
            stage_name=args.stage_name,
            xray_tracing_enabled=True,
            access_log_settings={"destination_arn": logs.arn, "format": ACCESS_LOG_FORMAT},
            cache_cluster_enabled=args.cache_size_gb is not None,
            cache_cluster_size=args.cache_size_gb,
            opts=child,
        )
        self._method_settings(name, args, api.id, stage.stage_name)
        if args.waf_rate_limit_per_5_minutes is not None:
            self._firewall(name, args, args.waf_rate_limit_per_5_minutes, stage)
        self.url = stage.invoke_url
        self.domain_target = None
        if args.domain_name is not None and args.certificate_arn is not None:
            self.url = self._domain(name, args.domain_name, args.certificate_arn, args.zone_id, stage)
        self.execution_arn = api.execution_arn
        self.stage_arn = stage.arn
        self.register_outputs({"url": stage.invoke_url})

    def _method_settings(
        self, name: str, args: ServerlessApiArgs, api_id: pulumi.Output[str], stage_name: pulumi.Output[str]
    ) -> None:
        """Throttling (and detailed metrics, if asked) on every method; the cache on the routes marked cached."""
        # With a cache cluster, API Gateway caches every GET unless told not to: only the routes marked
        # cached do (below), and whatever the */* settings cover is encrypted all the same.
        throttling = aws.apigateway.MethodSettingsSettingsArgsDict(
            metrics_enabled=args.detailed_metrics,
            throttling_rate_limit=args.rate_limit_per_second,
            throttling_burst_limit=args.burst_limit,
        )
        if args.cache_size_gb is not None:
            throttling["caching_enabled"] = False
            throttling["cache_data_encrypted"] = True
        aws.apigateway.MethodSettings(
            f"{name}-throttling",
            rest_api=api_id,
            stage_name=stage_name,
            method_path="*/*",
            settings=throttling,
            opts=pulumi.ResourceOptions(parent=self),
        )
        cache = args.cache_size_gb is not None
        for route in args.routes:
            if not (route.own_throttling or (cache and route.cached)):
                continue
            settings = aws.apigateway.MethodSettingsSettingsArgsDict(
                metrics_enabled=args.detailed_metrics,
                throttling_rate_limit=args.rate_limit_per_second
                if route.rate_limit_per_second is None
                else route.rate_limit_per_second,
                throttling_burst_limit=args.burst_limit if route.burst_limit is None else route.burst_limit,
            )
            if cache:
                # A route's own settings replace */* for its method: say again whether it caches.
                settings["caching_enabled"] = route.cached
                settings["cache_data_encrypted"] = True
                if route.cached:
                    settings["cache_ttl_in_seconds"] = args.cache_ttl_seconds
            aws.apigateway.MethodSettings(
                f"{name}-{'cache' if cache and route.cached else 'limit'}-{route.method.lower()}{_logical(route.path)}",
                rest_api=api_id,
                stage_name=stage_name,
                method_path=method_settings_path(route),
                settings=settings,
                opts=pulumi.ResourceOptions(parent=self),
            )

    def _domain(
        self,
        name: str,
        host: str,
        certificate_arn: pulumi.Input[str],
        zone_id: pulumi.Input[str] | None,
        stage: aws.apigateway.Stage,
    ) -> pulumi.Output[str]:
        """The API under its own host name: a regional custom domain (TLS 1.2 at least), the stage
        mapped at its root, and an alias record in the zone (with no zone, domain_target is what the
        name's CNAME at another DNS provider points to)."""
        child = pulumi.ResourceOptions(parent=self)
        domain = aws.apigateway.DomainName(
            f"{name}-domain",
            domain_name=host,
            regional_certificate_arn=certificate_arn,
            endpoint_configuration={"types": "REGIONAL"},
            security_policy="TLS_1_2",
            opts=child,
        )
        aws.apigateway.BasePathMapping(
            f"{name}-mapping",
            domain_name=domain.domain_name,
            rest_api=stage.rest_api,
            stage_name=stage.stage_name,
            opts=child,
        )
        self.domain_target = domain.regional_domain_name
        if zone_id is not None:
            aws.route53.Record(
                f"{name}-alias",
                zone_id=zone_id,
                name=host,
                type="A",
                aliases=[
                    {
                        "name": domain.regional_domain_name,
                        "zone_id": domain.regional_zone_id,
                        "evaluate_target_health": False,
                    }
                ],
                opts=child,
            )
        return domain.domain_name.apply(lambda domain_name: f"https://{domain_name}")

    def _firewall(self, name: str, args: ServerlessApiArgs, limit: int, stage: aws.apigateway.Stage) -> None:
        """A regional WAF web ACL (rate limit per IP, AWS managed rule groups) on the stage, logged."""
        child = pulumi.ResourceOptions(parent=self)
        api_name = args.name
        acl = aws.wafv2.WebAcl(
            f"{name}-waf",
            name=f"{api_name}-api",
            description=f"{api_name} API: AWS managed rules and a per-IP rate limit",
            scope="REGIONAL",
            default_action={"allow": {}},
            rules=web_acl_rules(limit),  # type: ignore[arg-type]
            visibility_config={
                "cloudwatch_metrics_enabled": True,
                "sampled_requests_enabled": True,
                "metric_name": f"{api_name}-api",
            },
            opts=child,
        )
        aws.wafv2.WebAclAssociation(f"{name}-waf-stage", resource_arn=stage.arn, web_acl_arn=acl.arn, opts=child)
        if args.waf_logging is not None:
            web_acl_logging(
                f"{name}-waf",
                web_acl_arn=acl.arn,
                web_acl_name=f"{api_name}-api",
                settings=args.waf_logging,
                context=aws_context(self),
                parent=self,
            )

    def _resources(
        self, name: str, api: aws.apigateway.RestApi, routes: Sequence[Route]
    ) -> dict[str, pulumi.Output[str]]:
        ids: dict[str, pulumi.Output[str]] = {"/": api.root_resource_id}
        for planned in resource_tree(routes):
            ids[planned.path] = aws.apigateway.Resource(
                f"{name}-path{_logical(planned.path)}",
                rest_api=api.id,
                parent_id=ids[planned.parent],
                path_part=planned.part,
                opts=pulumi.ResourceOptions(parent=self),
            ).id
        return ids

    def _route(
        self,
        name: str,
        *,
        api: aws.apigateway.RestApi,
        resource_ids: Mapping[str, pulumi.Output[str]],
        route: Route,
        target: ApiTarget,
        authorizer: aws.apigateway.Authorizer | None,
    ) -> tuple[aws.apigateway.Method, aws.apigateway.Integration]:
        child = pulumi.ResourceOptions(parent=self)
        logical = f"{name}-{route.method.lower()}{_logical(route.path)}"
        guarded = route.access != "public" and authorizer is not None
        method = aws.apigateway.Method(
            logical,
            rest_api=api.id,
            resource_id=resource_ids[route.path],
            http_method=route.method,
            authorization="COGNITO_USER_POOLS" if guarded else "NONE",
            authorizer_id=authorizer.id if guarded and authorizer is not None else None,
            opts=child,
        )
        integration = aws.apigateway.Integration(
            f"{logical}-lambda",
            rest_api=api.id,
            resource_id=resource_ids[route.path],
            http_method=method.http_method,
            type="AWS_PROXY",
            integration_http_method="POST",
            uri=target.invoke_arn,
            opts=child,
        )
        aws.lambda_.Permission(
            f"{logical}-invoke",
            action="lambda:InvokeFunction",
            function=target.function_name,
            qualifier=target.qualifier,
            principal="apigateway.amazonaws.com",
            # Only this method on this path of this API, whatever the stage.
            source_arn=api.execution_arn.apply(lambda arn: f"{arn}/*/{route.method}{route.path}"),
            opts=child,
        )
        return method, integration

    def _preflight(
        self,
        name: str,
        api: aws.apigateway.RestApi,
        resource_ids: Mapping[str, pulumi.Output[str]],
        routes: Sequence[Route],
        origin: str,
    ) -> list[tuple[pulumi.Resource, pulumi.Resource]]:
        """OPTIONS on every routed path, answered by API Gateway itself (a MOCK integration): no
        token needed, no function invoked."""
        child = pulumi.ResourceOptions(parent=self)
        answered = []
        for path, methods in cors_methods(routes).items():
            logical = f"{name}-options{_logical(path)}"
            headers = {
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Allow-Methods": ",".join(methods),
                "Access-Control-Allow-Headers": CORS_HEADERS,
            }
            resource_id = resource_ids[path]
            method = aws.apigateway.Method(
                logical,
                rest_api=api.id,
                resource_id=resource_id,
                http_method="OPTIONS",
                authorization="NONE",
                opts=child,
            )
            integration = aws.apigateway.Integration(
                f"{logical}-mock",
                rest_api=api.id,
                resource_id=resource_id,
                http_method=method.http_method,
                type="MOCK",
                request_templates={"application/json": '{"statusCode": 200}'},
                opts=child,
            )
            response = aws.apigateway.MethodResponse(
                f"{logical}-200",
                rest_api=api.id,
                resource_id=resource_id,
                http_method=method.http_method,
                status_code="200",
                response_parameters={f"method.response.header.{h}": True for h in headers},
                opts=child,
            )
            answer = aws.apigateway.IntegrationResponse(
                f"{logical}-answer",
                rest_api=api.id,
                resource_id=resource_id,
                http_method=method.http_method,
                status_code=response.status_code,
                # Static values are single-quoted in API Gateway's mapping syntax.
                response_parameters={f"method.response.header.{h}": f"'{v}'" for h, v in headers.items()},
                opts=pulumi.ResourceOptions(parent=self, depends_on=[integration]),
            )
            answered.append((method, answer))
        return answered


def _logical(path: str) -> str:
    """A path as part of a logical name: /cart/{itemId} -> -cart-by-itemId."""
    parts = path.strip("/").split("/")
    return "".join(f"-by-{part.strip('{}+')}" if part.startswith("{") else f"-{part}" for part in parts if part)
