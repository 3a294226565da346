"""Line items of the serverless resource types (Lambda, API Gateway REST APIs, DynamoDB on demand,
Cognito, SQS): usage-driven, from the shares of ``usage.yaml`` figures each resource gets."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from webstack.cost.model import Context, LineItem, count_of, prices
from webstack.cost.references import of_type, refers_to, same_input, state_of

FUNCTION = "aws:lambda/function:Function"
PROVISIONED = "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig"
REST_API = "aws:apigateway/restApi:RestApi"
STAGE = "aws:apigateway/stage:Stage"
METHOD = "aws:apigateway/method:Method"
METHOD_SETTINGS = "aws:apigateway/methodSettings:MethodSettings"
TABLE = "aws:dynamodb/table:Table"
USER_POOL = "aws:cognito/userPool:UserPool"
QUEUE = "aws:sqs/queue:Queue"

# Lambda's default memory when memorySize is not set (MB); API Gateway's default cache size (GB).
DEFAULT_LAMBDA_MB = 128
DEFAULT_CACHE_GB = "0.5"
# X-Ray's default sampling rule: the first request each second, then 5 % of the others (X-Ray
# developer guide, sampling rules). Applied to traffic spread evenly over the month, which records
# the most traces a month's requests can give (bursts leave the per-second reservoir unused).
XRAY_RESERVOIR_PER_SECOND = 1
XRAY_FIXED_RATE = 0.05
# With detailed metrics on, API Gateway publishes per method Count, 4XXError, 5XXError, Latency and
# IntegrationLatency, and CacheHitCount and CacheMissCount on a stage with a cache (API Gateway
# developer guide, dimensions and metrics); "your account is charged for accessing method-level
# CloudWatch metrics" (same guide, stage settings): custom metrics, billed for the hours they get data.
METHOD_METRICS = 5
CACHE_METRICS = 2
WILDCARD_PATH = "*/*"
# Cognito's price key per feature plan. LITE and ESSENTIALS share the account's free 10,000 monthly
# active users (the free.cognito.mau. row covers keys starting with cognito.mau.); PLUS has no
# free tier, so its key stays outside that prefix. A pool without a plan is on ESSENTIALS, AWS's
# default for new pools.
COGNITO_MAU_KEYS = {"LITE": "cognito.mau.lite", "ESSENTIALS": "cognito.mau.essentials", "PLUS": "cognito.plus_mau"}


def sharers(ctx: Context, resource_type: str) -> int:
    """How many resources of the type share a stack-wide figure (at least one: the one pricing)."""
    return max(1, len(of_type(ctx, resource_type)))


def share(ctx: Context, usage_key: str, resource_type: str) -> float:
    """An equal share of a stack-wide usage figure for each resource of the type in the plan."""
    return float(ctx.usage[usage_key]) / sharers(ctx, resource_type)


def architecture(inputs: Mapping[str, Any]) -> str:
    return "arm" if "arm64" in (inputs.get("architectures") or []) else "x86"


def memory_gb(inputs: Mapping[str, Any]) -> float:
    return float(inputs.get("memorySize") or DEFAULT_LAMBDA_MB) / 1024


def provisioned_configs(function: Mapping[str, Any], ctx: Context) -> list[Mapping[str, Any]]:
    return [s for s in of_type(ctx, PROVISIONED) if refers_to(s, "functionName", function)]


def sampled_traces_millions(requests_millions: float, ctx: Context) -> float:
    """Traces X-Ray's default rule records of a month's requests (millions)."""
    requests, reservoir = requests_millions * 1e6, XRAY_RESERVOIR_PER_SECOND * ctx.hours * 3600
    return (min(requests, reservoir) + XRAY_FIXED_RATE * max(requests - reservoir, 0)) / 1e6


def traces(urn: str, what: str, usage_key: str, resource_type: str, ctx: Context) -> LineItem:
    """This resource's share of the traces sampled from the stack's ``usage_key`` requests."""
    total = sampled_traces_millions(float(ctx.usage[usage_key]), ctx)
    return ctx.item(
        urn,
        f"X-Ray traces of {what} (share of {total:g} M: the default rule's 1 a second + 5 % of {usage_key}, at most)",
        total / sharers(ctx, resource_type),
        "xray.traces",
    )


def traced_api(ctx: Context) -> bool:
    return any(s["inputs"].get("xrayTracingEnabled") for s in of_type(ctx, STAGE))


def named_function(ctx: Context, inputs: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """A function ``lambda_by_name`` gives figures of its own (its name after the stack's prefix,
    `<name_prefix>-<key>`, or its whole name: webstack's cache AUTH rotation, called a few times a
    month), instead of a share of the stack's requests. Exact, not a substring: `api` must not take
    the figures of `api-worker` (issue #16)."""
    name = str(inputs.get("name", ""))
    by_name = ctx.usage.get("lambda_by_name") or {}
    return next((figures for key, figures in by_name.items() if name == key or name.endswith(f"-{key}")), None)


def sharing_functions(ctx: Context) -> int:
    """The functions that share the stack-wide request figures (at least one)."""
    return max(1, sum(1 for s in of_type(ctx, FUNCTION) if named_function(ctx, s["inputs"]) is None))


@prices(FUNCTION)
def lambda_function(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    """Its share of the stack's invocations, each running ``lambda_average_ms`` with its memory (or
    its own figures under ``lambda_by_name``). Behind provisioned concurrency they bill at its own
    request and duration rates, to which the always-free allowance does not apply (AWS Lambda
    pricing); its environments are assumed to serve them all. Traced invocations record X-Ray
    traces here only when no API stage in the plan traces: behind a traced stage they join the trace
    the stage starts (see ``api_stage``)."""
    arch, gb = architecture(inputs), memory_gb(inputs)
    own = named_function(ctx, inputs)
    if own is not None:
        millions, ms = float(own["invocations"]) / 1e6, float(own["average_ms"])
        source = "lambda_by_name"
    else:
        millions = float(ctx.usage["lambda_requests_millions"]) / sharing_functions(ctx)
        ms, source = float(ctx.usage["lambda_average_ms"]), "share of lambda_requests_millions"
    warm = bool(provisioned_configs(state_of(urn, inputs, ctx), ctx))
    prefix, label = ("lambda.provisioned.", " on provisioned concurrency") if warm else ("lambda.", "")
    yield ctx.item(urn, f"requests ({source}){label}", millions, f"{prefix}requests")
    yield ctx.item(
        urn,
        f"{arch} duration: {millions:g} M x {ms:g} ms x {gb:g} GB{label}",
        millions * 1e6 * ms / 1000 * gb,
        f"{prefix}duration.{arch}",
    )
    if (inputs.get("tracingConfig") or {}).get("mode") == "Active" and not traced_api(ctx):
        if own is not None:  # a few calls a month: each one recorded by the sampling rule's reservoir
            yield ctx.item(urn, "X-Ray traces of its invocations (every one)", millions, "xray.traces")
        else:
            total = sampled_traces_millions(float(ctx.usage["lambda_requests_millions"]), ctx)
            yield ctx.item(
                urn,
                f"X-Ray traces of its invocations (share of {total:g} M: the default rule's 1 a second + 5 % of "
                "lambda_requests_millions, at most)",
                total / sharing_functions(ctx),
                "xray.traces",
            )


@prices(PROVISIONED)
def provisioned_concurrency(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    """Environments kept warm all month, each the size of its function's memory."""
    executions = float(inputs.get("provisionedConcurrentExecutions") or 0)
    config = state_of(urn, inputs, ctx)
    functions = [s for s in of_type(ctx, FUNCTION) if refers_to(config, "functionName", s)]
    if len(functions) != 1:
        yield LineItem(urn, "provisioned concurrency [function not in the plan]", 0, "GB-second", None)
        return
    function = functions[0]["inputs"]
    arch, gb = architecture(function), memory_gb(function)
    yield ctx.item(
        urn,
        f"{arch} provisioned concurrency: {executions:g} x {gb:g} GB (the function's memory) x {ctx.hours:g} h",
        executions * gb * ctx.hours * 3600,
        f"lambda.provisioned.concurrency.{arch}",
    )


@prices(REST_API)
def rest_api(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    millions = share(ctx, "api_requests_millions", REST_API)
    yield ctx.item(urn, "REST API requests (share of api_requests_millions)", millions, "apigateway.rest.requests")


@prices(STAGE)
def api_stage(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    """The cache cluster by the hour while enabled; and X-Ray traces, which are the stage's: API
    Gateway starts each trace and decides whether it is sampled, and the traced functions it calls
    add their segments to that trace instead of recording traces of their own."""
    if inputs.get("cacheClusterEnabled"):
        size = f"{float(inputs.get('cacheClusterSize') or DEFAULT_CACHE_GB):g}"
        yield ctx.item(urn, f"cache cluster {size} GB", ctx.hours, f"apigateway.cache.{size}")
    if inputs.get("xrayTracingEnabled"):
        yield traces(urn, "the stage's requests", "api_requests_millions", STAGE, ctx)


def on_demand_requests(urn: str, copies: int, ctx: Context) -> Iterator[LineItem]:
    writes, reads = share(ctx, "dynamodb_writes_millions", TABLE), share(ctx, "dynamodb_reads_millions", TABLE)
    written = f"share of dynamodb_writes_millions x{copies}: the table and {copies - 1} index(es)"
    yield ctx.item(urn, f"on-demand write request units ({written})", writes * copies, "dynamodb.ondemand.write")
    read = "share of dynamodb_reads_millions"
    yield ctx.item(urn, f"on-demand read request units ({read})", reads, "dynamodb.ondemand.read")


@prices(TABLE)
def dynamodb_table(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    """On demand: its share of the stack's request units, every write also written to each global
    secondary index (the single-table items carry their index keys) and stored there again (indexes
    project every attribute); point-in-time recovery on the table's own size; stream reads. A
    provisioned table's capacity is not priced (unknown)."""
    copies = 1 + count_of(inputs, "globalSecondaryIndexes")
    gb = share(ctx, "dynamodb_gb", TABLE)
    if inputs.get("billingMode") == "PAY_PER_REQUEST":
        yield from on_demand_requests(urn, copies, ctx)
    else:
        yield LineItem(urn, "provisioned read and write capacity [not priced by the cost model]", 1, "table", None)
    yield ctx.item(urn, f"storage {gb:g} GB (dynamodb_gb) x{copies} with its indexes", gb * copies, "dynamodb.storage")
    if (inputs.get("pointInTimeRecovery") or {}).get("enabled"):
        yield ctx.item(urn, f"point-in-time recovery of {gb:g} GB", gb, "dynamodb.pitr")
    if inputs.get("streamEnabled"):
        yield ctx.item(
            urn,
            "stream reads (dynamodb_stream_reads_millions; a Lambda trigger's reads are free)",
            share(ctx, "dynamodb_stream_reads_millions", TABLE),
            "dynamodb.stream_reads",
        )


def metrics_on(settings: Mapping[str, Any]) -> bool:
    return bool((settings["inputs"].get("settings") or {}).get("metricsEnabled"))


def same_stage(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return same_input(a, b, "restApi") and same_input(a, b, "stageName")


def metered_methods(settings: Mapping[str, Any], ctx: Context) -> int:
    """Methods whose metrics these settings turn on and no other settings count: every method of
    the API for */* (once a stage), one for a path unless */* of the same stage counts it."""
    if settings["inputs"].get("methodPath") != WILDCARD_PATH:
        others = [s for s in of_type(ctx, METHOD_SETTINGS) if s["urn"] != settings["urn"] and same_stage(s, settings)]
        return 0 if any(metrics_on(s) and s["inputs"].get("methodPath") == WILDCARD_PATH for s in others) else 1
    return sum(1 for method in of_type(ctx, METHOD) if same_input(method, settings, "restApi"))


@prices(METHOD_SETTINGS)
def method_settings(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    """Detailed CloudWatch metrics, when turned on: each method's metrics, for the share of the
    month's hours it is called in (usage ``api_method_metric_hours_share``)."""
    settings = state_of(urn, inputs, ctx)
    methods = metered_methods(settings, ctx) if metrics_on(settings) else 0
    if not methods:
        return
    stages = [s for s in of_type(ctx, STAGE) if refers_to(settings, "stageName", s, name_key="stageName")]
    cached = any(s["inputs"].get("cacheClusterEnabled") for s in stages if same_input(s, settings, "restApi"))
    metrics = METHOD_METRICS + (CACHE_METRICS if cached else 0)
    active = float(ctx.usage["api_method_metric_hours_share"])
    yield ctx.item(
        urn,
        f"detailed metrics: {methods} method(s) x {metrics}, published in {active:.0%} of hours "
        "(api_method_metric_hours_share)",
        methods * metrics * active,
        "cloudwatch.metric",
    )


@prices(USER_POOL)
def user_pool(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    plan = str(inputs.get("userPoolTier") or "ESSENTIALS")
    users = share(ctx, "cognito_mau", USER_POOL)
    key = COGNITO_MAU_KEYS.get(plan, f"cognito.mau.{plan.lower()}")
    yield ctx.item(urn, f"{plan} monthly active users (share of cognito_mau)", users, key)


@prices("aws:cognito/userPoolClient:UserPoolClient")
def user_pool_client(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    """Free for users' sign-in; a machine-to-machine client (client credentials grant) bills per
    client and token request, which the price table does not hold."""
    if "client_credentials" in (inputs.get("allowedOauthFlows") or []):
        yield LineItem(urn, "machine-to-machine app client [not priced by the cost model]", 1, "client", None)


@prices(QUEUE)
def queue(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    kind = "fifo" if inputs.get("fifoQueue") else "standard"
    millions = share(ctx, "sqs_requests_millions", QUEUE)
    yield ctx.item(urn, f"{kind} queue requests (share of sqs_requests_millions)", millions, f"sqs.{kind}.requests")
