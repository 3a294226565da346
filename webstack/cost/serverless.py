"""Line items of the serverless resource types (Lambda, API Gateway REST APIs, DynamoDB on demand,
Cognito, SQS): usage-driven, from the shares of ``usage.yaml`` figures each resource gets."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from webstack.cost.model import Context, LineItem, prices

FUNCTION = "aws:lambda/function:Function"
PROVISIONED = "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig"

# Lambda's default memory when memorySize is not set (MB).
DEFAULT_LAMBDA_MB = 128


def of_type(ctx: Context, resource_type: str) -> list[Mapping[str, Any]]:
    return [s for s in ctx.states.values() if s["type"] == resource_type]


def share(ctx: Context, usage_key: str, resource_type: str) -> float:
    """An equal share of a stack-wide usage figure for each resource of the type in the plan."""
    return float(ctx.usage[usage_key]) / max(1, len(of_type(ctx, resource_type)))


def state_of(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Mapping[str, Any]:
    return ctx.states.get(urn) or {"urn": urn, "inputs": inputs}


def refers_to(state: Mapping[str, Any], key: str, target: Mapping[str, Any]) -> bool:
    """Whether the input ``key`` of ``state`` names ``target``: through a property dependency on
    its URN (our plans and ``pulumi preview --json``), else by value (its name, or an ARN ending
    in ``:<name>``)."""
    if target["urn"] in (state.get("propertyDependencies") or {}).get(key, []):
        return True
    name, value = str(target["inputs"].get("name") or ""), str(state["inputs"].get(key) or "")
    return bool(name) and (value == name or value.endswith(f":{name}"))


def architecture(inputs: Mapping[str, Any]) -> str:
    return "arm" if "arm64" in (inputs.get("architectures") or []) else "x86"


def memory_gb(inputs: Mapping[str, Any]) -> float:
    return float(inputs.get("memorySize") or DEFAULT_LAMBDA_MB) / 1024


def provisioned_configs(function: Mapping[str, Any], ctx: Context) -> list[Mapping[str, Any]]:
    return [s for s in of_type(ctx, PROVISIONED) if refers_to(s, "functionName", function)]


@prices(FUNCTION)
def lambda_function(urn: str, inputs: Mapping[str, Any], ctx: Context) -> Iterator[LineItem]:
    """Its share of the stack's invocations, each running ``lambda_average_ms`` with its memory.
    Behind provisioned concurrency they bill at its own request and duration rates, to which the
    always-free allowance does not apply (AWS Lambda pricing); its environments are assumed to
    serve them all."""
    arch, gb = architecture(inputs), memory_gb(inputs)
    millions = share(ctx, "lambda_requests_millions", FUNCTION)
    ms = float(ctx.usage["lambda_average_ms"])
    warm = bool(provisioned_configs(state_of(urn, inputs, ctx), ctx))
    prefix, label = ("lambda.provisioned.", " on provisioned concurrency") if warm else ("lambda.", "")
    yield ctx.item(urn, f"requests (share of lambda_requests_millions){label}", millions, f"{prefix}requests")
    yield ctx.item(
        urn,
        f"{arch} duration: {millions:g} M x {ms:g} ms (lambda_average_ms) x {gb:g} GB{label}",
        millions * 1e6 * ms / 1000 * gb,
        f"{prefix}duration.{arch}",
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
