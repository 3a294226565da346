"""The serverless part of the picture, from the plan alone: each API Gateway REST API, the Lambda
functions its routes invoke, the DynamoDB tables, the Secrets Manager secrets those functions may
read (only those: a cache's AUTH secret is no part of the picture), and the Cognito user pools
that sign the API's tokens. All sit in the region, outside any VPC; each function's dead-letter
queue is a line of its label, not a node."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from webstack.diagram.elements import (
    Edge,
    Node,
    Place,
    State,
    deps,
    deps_of_type,
    name_of,
    of_type,
    reach,
    role_policies,
)

REST_API = "aws:apigateway/restApi:RestApi"
RESOURCE = "aws:apigateway/resource:Resource"
DOMAIN = "aws:apigateway/domainName:DomainName"
FUNCTION = "aws:lambda/function:Function"
TABLE = "aws:dynamodb/table:Table"
USER_POOL = "aws:cognito/userPool:UserPool"
SECRET = "aws:secretsmanager/secret:Secret"
ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"
REGION = Place("region")
# DynamoDB's item writes; every other item action a function may be granted reads.
TABLE_WRITES = frozenset({"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"})
METHODS = ("ANY", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


@dataclass(frozen=True)
class Invocation:
    """One route of a REST API that invokes a function (a Lambda integration); path None when the
    plan does not say which resource it is on."""

    api: str
    function: str
    method: str
    path: str | None


def _path(states: Mapping[str, State], urn: str) -> str | None:
    """A resource's path, from its path part and its parents' up to the API's root ("")."""
    state = states.get(urn)
    if state is None:
        return None
    if state["type"] == REST_API:
        return ""
    parents = sorted(deps(state, "parentId"))
    part = state["inputs"].get("pathPart")
    if state["type"] != RESOURCE or len(parents) != 1 or not isinstance(part, str):
        return None
    parent = _path(states, parents[0])
    return None if parent is None else f"{parent}/{part}"


def invocations(states: Mapping[str, State]) -> list[Invocation]:
    """Every route that invokes a function: the integration's URI names the function or its alias."""
    found = []
    for integration in of_type(states, "aws:apigateway/integration:Integration"):
        api = reach(states, integration["urn"], "restApi", REST_API)
        resources = sorted(deps(integration, "resourceId"))
        path = _path(states, resources[0]) if len(resources) == 1 else None
        for target in sorted(deps(integration, "uri")):
            function = reach(states, target, "functionName", FUNCTION)
            if api is not None and function is not None:
                method = str(integration["inputs"].get("httpMethod", ""))
                found.append(Invocation(api, function, method, None if path is None else path or "/"))
    return found


def _routes_label(routes: list[Invocation], function: State) -> str:
    """One line a path, its methods first ("GET, POST /cart"); the function's name when the plan
    does not say which paths it serves."""
    by_path: dict[str, set[str]] = {}
    for route in routes:
        if route.path is not None:
            by_path.setdefault(route.path, set()).add(route.method)
    if not by_path:
        return str(function["inputs"].get("name", name_of(function["urn"])))
    rank = {method: index for index, method in enumerate(METHODS)}
    return "\n".join(
        f"{', '.join(sorted(methods, key=lambda m: (rank.get(m, len(METHODS)), m)))} {path}"
        for path, methods in sorted(by_path.items())
    )


def _mapped_domains(states: Mapping[str, State], api: str) -> list[State]:
    """The custom domain names whose base path mappings serve this API."""
    mappings = of_type(states, "aws:apigateway/basePathMapping:BasePathMapping")
    mapped = {
        urn for m in mappings if reach(states, m["urn"], "restApi", REST_API) == api for urn in deps(m, "domainName")
    }
    return [states[urn] for urn in sorted(mapped) if states.get(urn, {}).get("type") == DOMAIN]


def _api_label(api: State, states: Mapping[str, State]) -> str:
    endpoint = (api["inputs"].get("endpointConfiguration") or {}).get("types") or "EDGE"
    types = ", ".join(endpoint if isinstance(endpoint, list) else [endpoint]).lower()
    hosts = [str(d["inputs"].get("domainName", "")) for d in _mapped_domains(states, api["urn"])]
    stages = [
        str(s["inputs"].get("stageName", ""))
        for s in of_type(states, "aws:apigateway/stage:Stage")
        if reach(states, s["urn"], "restApi", REST_API) == api["urn"]
    ]
    routes = sum(1 for i in invocations(states) if i.api == api["urn"])
    stage = f"stage {', '.join(stages)}: " if stages else ""
    return "\n".join([f"API Gateway REST ({types})", *hosts, f"{stage}{routes} routes"])


def _concurrency(function: State, states: Mapping[str, State]) -> str:
    warm = sum(
        float(c["inputs"].get("provisionedConcurrentExecutions", 0))
        for c in of_type(states, "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig")
        if reach(states, c["urn"], "functionName", FUNCTION) == function["urn"]
    )
    reserved = function["inputs"].get("reservedConcurrentExecutions")
    parts = [f"provisioned concurrency {warm:g}"] if warm else []
    parts += [f"reserved {float(reserved):g}"] if isinstance(reserved, int | float) and reserved >= 0 else []
    return ", ".join(parts)


def _function_label(function: State, states: Mapping[str, State]) -> str:
    inputs = function["inputs"]
    architecture = "/".join(inputs.get("architectures") or ["x86_64"])
    lines = [
        f"Lambda {inputs.get('name', name_of(function['urn']))}",
        f"{inputs.get('runtime', 'image')} {architecture}, {float(inputs.get('memorySize', 128)):g} MB",
    ]
    concurrency = _concurrency(function, states)
    if concurrency:
        lines.append(concurrency)
    if deps_of_type(states, function, "deadLetterConfig", "aws:sqs/queue:Queue"):
        lines.append("dead letters: SQS queue")
    return "\n".join(lines)


def _table_label(table: State) -> str:
    inputs = table["inputs"]
    billing = "on demand" if inputs.get("billingMode") == "PAY_PER_REQUEST" else "provisioned"
    indexes = len(inputs.get("globalSecondaryIndexes") or [])
    recovery = inputs.get("pointInTimeRecovery") or {}
    pitr = f", PITR {float(recovery.get('recoveryPeriodInDays', 35)):g} days" if recovery.get("enabled") else ""
    return f"DynamoDB {inputs.get('name', name_of(table['urn']))}\n{billing}, {indexes} GSI{pitr}"


def application_functions(states: Mapping[str, State]) -> list[State]:
    """The functions that serve the application: not a secret's rotation function (drawn as a note
    on what it rotates, the cache's AUTH token)."""
    rotating = {urn for r in of_type(states, ROTATION) for urn in deps(r, "rotationLambdaArn")}
    return [f for f in of_type(states, FUNCTION) if f["urn"] not in rotating]


def serverless_nodes(states: Mapping[str, State]) -> Iterator[Node]:
    for api in of_type(states, REST_API):
        yield Node(name_of(api["urn"]), "apigateway", _api_label(api, states), REGION)
    for pool in of_type(states, USER_POOL):
        mfa = str(pool["inputs"].get("mfaConfiguration", "OFF")).lower()
        label = f"Cognito user pool\n{pool['inputs'].get('name', name_of(pool['urn']))}, MFA {mfa}"
        yield Node(name_of(pool["urn"]), "cognito", label, REGION)
    for function in application_functions(states):
        yield Node(name_of(function["urn"]), "lambda", _function_label(function, states), REGION)
    for table in of_type(states, TABLE):
        yield Node(name_of(table["urn"]), "dynamodb", _table_label(table), REGION)
    read = {secret for function in application_functions(states) for secret in _secrets_read(function, states)}
    for secret in of_type(states, SECRET):
        if secret["urn"] in read:
            label = f"Secrets Manager\n{secret['inputs'].get('name', name_of(secret['urn']))}"
            yield Node(name_of(secret["urn"]), "secrets", label, REGION)


def _front_edges(states: Mapping[str, State], zone: str | None) -> Iterator[Edge]:
    """How viewers reach each API: its custom domain's alias record in the zone, or the
    execute-api address; and the regional WAF associated with its stage."""
    records = of_type(states, "aws:route53/record:Record")
    for api in of_type(states, REST_API):
        domains = {d["urn"] for d in _mapped_domains(states, api["urn"])}
        aliases = [r for r in records if deps_of_type(states, r, "aliases", DOMAIN) & domains]
        for record in aliases:
            if zone is not None:
                yield Edge(zone, name_of(api["urn"]), f"alias {record['inputs'].get('type', 'A')}")
        if not domains:
            yield Edge("users", name_of(api["urn"]), "HTTPS (execute-api)")
    for association in of_type(states, "aws:wafv2/webAclAssociation:WebAclAssociation"):
        api = next((a for u in deps(association, "resourceArn") if (a := reach(states, u, "restApi", REST_API))), None)
        for acl in deps(association, "webAclArn"):
            if api is not None:
                yield Edge(name_of(acl), name_of(api), "protects")


def _route_edges(states: Mapping[str, State]) -> Iterator[Edge]:
    """Each API to each function it invokes, labelled with the routes; each API to the user pools
    of its authorizers, with how many routes need their token."""
    routes = invocations(states)
    for api, function in dict.fromkeys((i.api, i.function) for i in routes):
        served = [i for i in routes if (i.api, i.function) == (api, function)]
        yield Edge(name_of(api), name_of(function), _routes_label(served, states[function]))
    methods = of_type(states, "aws:apigateway/method:Method")
    for authorizer in of_type(states, "aws:apigateway/authorizer:Authorizer"):
        api = reach(states, authorizer["urn"], "restApi", REST_API)
        guarded = sum(1 for m in methods if authorizer["urn"] in deps(m, "authorizerId"))
        for pool in sorted(deps_of_type(states, authorizer, "providerArns", USER_POOL)):
            if api is not None:
                yield Edge(name_of(api), name_of(pool), f"authorizer: {guarded} routes")


def _actions(policy: State) -> set[str] | None:
    """The actions a policy allows; None while its document is not known (a first preview)."""
    document: Any = policy["inputs"].get("policy")
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except json.JSONDecodeError:
            return None
    if not isinstance(document, dict):
        return None
    statements = document.get("Statement") or []
    allowed = [s for s in (statements if isinstance(statements, list) else [statements]) if s.get("Effect") == "Allow"]
    return {a for s in allowed for a in (s["Action"] if isinstance(s.get("Action"), list) else [s.get("Action")])}


def _table_access(actions: set[str] | None) -> str:
    if actions is None:
        return "access not known yet"
    granted = {a for a in actions if str(a).startswith("dynamodb:")}
    writes = {a for a in granted if a in TABLE_WRITES or "*" in a}
    reads = granted - TABLE_WRITES
    return "read-write" if writes and reads else "write" if writes else "read"


def _secrets_read(function: State, states: Mapping[str, State]) -> set[str]:
    """The secrets a function may read: those its role's policies name, and those whose own policy
    names its role."""
    roles = deps(function, "role")
    named = {s for p in role_policies(states, roles) for s in deps_of_type(states, p, "policy", SECRET)}
    naming = of_type(states, "aws:secretsmanager/secretPolicy:SecretPolicy")
    return named | {
        s for p in naming if deps(p, "policy") & roles for s in deps_of_type(states, p, "secretArn", SECRET)
    }


def _data_edges(states: Mapping[str, State]) -> Iterator[Edge]:
    """Each function to the tables its role's policies were written from (read, write or both, by
    the actions granted) and to the secrets it may read."""
    for function in application_functions(states):
        policies = role_policies(states, deps(function, "role"))
        for table in sorted({t for p in policies for t in deps_of_type(states, p, "policy", TABLE)}):
            granted = [_actions(p) for p in policies if table in deps(p, "policy")]
            actions = None if None in granted else {a for g in granted for a in g or ()}
            yield Edge(name_of(function["urn"]), name_of(table), _table_access(actions))
        for secret in sorted(_secrets_read(function, states)):
            yield Edge(name_of(function["urn"]), name_of(secret), "GetSecretValue")


def serverless_edges(states: Mapping[str, State], zone: str | None) -> Iterator[Edge]:
    yield from _front_edges(states, zone)
    yield from _route_edges(states)
    yield from _data_edges(states)
