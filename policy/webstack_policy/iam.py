"""IAM policy documents, read as the rules need them."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from fnmatch import fnmatchcase
from typing import Any

from .props import UNKNOWN, UNKNOWN_SENTINELS, as_list, json_document, peek

# Actions that have no resource-level permissions: AWS accepts only "Resource": "*" for them.
# Each is read-only or an authentication token; nothing here writes or manages permissions.
RESOURCE_STAR_ACTIONS = frozenset(
    {
        "ecr:getauthorizationtoken",
        "logs:describeloggroups",
        "sts:getcalleridentity",
        "cloudwatch:putmetricdata",
        "xray:puttracesegments",
        "xray:puttelemetryrecords",
        "cloudwatch:getmetricdata",  # metric reads take no resource ARN (AWS Chatbot draws alarm graphs)
        "cloudwatch:getmetricwidgetimage",
        "ec2:describenetworkinterfaces",
        "ssmmessages:createcontrolchannel",
        "ssmmessages:createdatachannel",
        "ssmmessages:openchannel",
        "ssmmessages:opencontrolchannel",  # ECS Exec's agent opens its control channel with it
        "ssmmessages:opendatachannel",
    }
)
# Metadata reads (Describe*, List*) are allowed on "*" too; Get* reads data and is not.
READ_ONLY_VERBS = ("describe", "list")


def statements(document: Any) -> Iterator[Mapping[str, Any]]:
    doc = json_document(document)
    if not isinstance(doc, Mapping):
        return
    for statement in as_list(doc.get("Statement")):
        if isinstance(statement, Mapping):
            yield statement


def allows(statement: Mapping[str, Any]) -> bool:
    return statement.get("Effect") == "Allow"


# What a Resource or Principal not known yet stands for: the ARN of one of the stack's resources
# (a first preview knows a policy's structure, not the ARNs in it), never "*".
UNKNOWN_ARN = "<an ARN not known yet>"


def _known(value: Any) -> str:
    return UNKNOWN_ARN if value is UNKNOWN or value in UNKNOWN_SENTINELS else str(value)


def actions(statement: Mapping[str, Any]) -> list[str]:
    return [str(a) for a in as_list(statement.get("Action"))]


def resources(statement: Mapping[str, Any]) -> list[str]:
    """The statement's resources; NotResource ("every resource but these") counts as "*"."""
    keys = peek(statement)  # the plain mapping: `in` on the engine's proxy would read the values
    if "Resource" not in keys and "NotResource" in keys:
        return ["*"]
    return [_known(r) for r in _values(peek(statement, "Resource"))]


def grants_action(statement: Mapping[str, Any], action: str) -> bool:
    """Whether an Allow statement grants ``action``: named by an Action pattern (``*`` and ``?``
    match, case-insensitive, as IAM matches them), or not excluded by a NotAction."""
    if not allows(statement):
        return False
    wanted, keys = action.lower(), peek(statement)
    if "NotAction" in keys and "Action" not in keys:
        return not any(fnmatchcase(wanted, str(a).lower()) for a in as_list(statement.get("NotAction")))
    return any(fnmatchcase(wanted, a.lower()) for a in actions(statement))


def condition_values(statement: Mapping[str, Any], operators: tuple[str, ...], key: str) -> list[Any]:
    """The values a Condition gives ``key`` under any of ``operators`` (keys are case-insensitive
    in IAM; an ``...IfExists`` operator does not restrict and is not read)."""
    found: list[Any] = []
    condition = statement.get("Condition")
    if not isinstance(condition, Mapping):
        return found
    for operator in operators:
        block = condition.get(operator)
        if isinstance(block, Mapping):
            found += [v for k in block if str(k).lower() == key.lower() for v in _values(peek(block, str(k)))]
    return found


def _values(value: Any) -> list[Any]:
    return [value] if value is UNKNOWN else as_list(value)


def is_wildcard_action(action: str) -> bool:
    return action == "*" or action.endswith(":*")


def may_use_any_resource(action: str) -> bool:
    lowered = action.lower()
    if lowered in RESOURCE_STAR_ACTIONS:
        return True
    verb = lowered.split(":", 1)[-1]
    return verb.startswith(READ_ONLY_VERBS) and "*" not in verb


def principals(statement: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(kind, value) pairs; "*" alone is ("*", "*")."""
    principal = peek(statement, "Principal")
    if principal == "*":
        return [("*", "*")]
    if isinstance(principal, Mapping):
        return [(str(kind), _known(value)) for kind in principal for value in _values(peek(principal, str(kind)))]
    return []


# arn:aws:iam::aws:policy/..., and the same in the China and GovCloud partitions.
AWS_MANAGED_ARN = re.compile(r"^arn:aws(-cn|-us-gov)?:iam::aws:policy/")
# The service each common AWS managed "full access" or "power user" policy opens entirely, with
# "*" actions on "*" resources (IAM User Guide, AWS managed policies; AWS Managed Policy
# reference). Names not listed are judged by their name alone.
MANAGED_POLICY_SERVICES = {
    "AmazonS3FullAccess": "s3",
    "AmazonDynamoDBFullAccess": "dynamodb",
    "AmazonSQSFullAccess": "sqs",
    "AmazonSNSFullAccess": "sns",
    "AWSLambda_FullAccess": "lambda",
    "AWSLambdaFullAccess": "lambda",
    "CloudWatchFullAccess": "cloudwatch",
    "CloudWatchFullAccessV2": "cloudwatch",
    "CloudWatchLogsFullAccess": "logs",
    "AmazonCognitoPowerUser": "cognito-idp",
    "AmazonEC2FullAccess": "ec2",
    "AmazonRDSFullAccess": "rds",
    "AmazonECS_FullAccess": "ecs",
    "AmazonEC2ContainerRegistryFullAccess": "ecr",
    "AmazonEC2ContainerRegistryPowerUser": "ecr",
    "AmazonKinesisFullAccess": "kinesis",
    "AmazonSESFullAccess": "ses",
    "AmazonRoute53FullAccess": "route53",
    "CloudFrontFullAccess": "cloudfront",
    "AWSStepFunctionsFullAccess": "states",
    "AmazonEventBridgeFullAccess": "events",
    "AmazonElastiCacheFullAccess": "elasticache",
    "AWSKeyManagementServicePowerUser": "kms",
    "SecretsManagerReadWrite": "secretsmanager",
    "IAMFullAccess": "iam",
    "AmazonAPIGatewayAdministrator": "apigateway",
}


def managed_policy_name(arn: str) -> str | None:
    """The name of an AWS managed policy (arn:aws:iam::aws:policy/[path/]Name), else None."""
    return arn.rsplit("/", 1)[-1] if AWS_MANAGED_ARN.match(arn) else None


def managed_policy_document(arn: str) -> dict[str, Any] | None:
    """What an attached AWS managed policy grants, as far as the rules need it: AdministratorAccess
    everything, PowerUserAccess everything but IAM, a "full access" or "power user" policy its
    service's "*" actions on every resource. None for the rest (read-only and service-role
    policies), which the wildcard rules leave to iam-no-aws-managed-policies."""
    name = managed_policy_name(arn)
    if name is None:
        return None
    if name == "AdministratorAccess":
        statement: dict[str, Any] = {"Sid": name, "Effect": "Allow", "Action": "*", "Resource": "*"}
    elif name == "PowerUserAccess":
        statement = {"Sid": name, "Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}
    elif name in MANAGED_POLICY_SERVICES or "FullAccess" in name or "PowerUser" in name:
        service = MANAGED_POLICY_SERVICES.get(name, f"(the service of {name})")
        statement = {"Sid": name, "Effect": "Allow", "Action": f"{service}:*", "Resource": "*"}
    else:
        return None
    return {"Version": "2012-10-17", "Statement": [statement]}
