"""LambdaFunction: a Node.js function on ARM64 with its own role, key, logs, dead letters and alarms."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from .alarms import create_alarms
from .aws_context import aws_context
from .dead_letters import dead_letter_queue
from .encryption_key import customer_managed_key
from .function_settings import (
    checked_function,
    checked_table_actions,
    function_alarm_specs,
    function_policy,
    log_group_name,
)
from .iam_documents import logs_key_statement
from .log_groups import DEFAULT_RETENTION_DAYS, encrypted_log_group
from .service_role import service_role_and_policy


@dataclass(frozen=True)
class ApiTarget:
    """What an API needs to invoke a function: its name, the ARN to invoke and the alias, if any."""

    function_name: pulumi.Input[str]
    """The function's name. Example: "usarakhi-prod-orders"."""
    invoke_arn: pulumi.Input[str]
    """The ARN API Gateway invokes (the alias's, with provisioned concurrency). Example: orders.invoke_arn."""
    qualifier: str | None = None
    """The alias the invoke ARN names, if any, for the invoke permission. Example: "live"."""


@dataclass(frozen=True)
class LambdaFunctionArgs:
    name: str
    """The function's name: 1-64 of a-z A-Z 0-9 - _; its log group is /aws/lambda/<name>. Example:
    "usarakhi-prod-checkout".
    """
    code_path: str
    """Folder holding the function's built code (its handler file and node_modules), zipped by Pulumi as an
    asset. Example: "functions/checkout/dist".
    """
    handler: str = "index.handler"
    """File and exported function Lambda calls. Example: "checkout.handler"."""
    runtime: str = "nodejs24.x"
    """Node.js runtime: nodejs24.x (supported to 2028-04-30) or nodejs22.x (to 2027-04-30); nodejs18.x, the
    seed's, can no longer be created. Example: "nodejs22.x".
    """
    memory_mb: int = 512
    """Memory, which also sets the CPU share (128-10240 MB); billed per GB-second, so halving it halves the
    cost of a function that waits on the network. Example: 1024.
    """
    timeout_seconds: int = 10
    """Seconds an invocation may run (1-900); an API Gateway integration gives up after 29 s whatever this
    says. Example: 25.
    """
    environment: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """Environment variables, encrypted at rest with the function's own key; never secrets (grant them with
    secret_arns and read them at run time). Example: {"TABLE_NAME": "usarakhi-prod"}.
    """
    reserved_concurrency: int | None = None
    """Concurrent executions kept for this function and its ceiling (protects the table and the account's
    other functions from a burst); None: shares the account's pool. Example: 50.
    """
    provisioned_concurrency: int = 0
    """Execution environments kept warm on the published version behind the "live" alias (no cold starts),
    billed by the hour whether used or not; 0: none. Example: 2.
    """
    table_arn: pulumi.Input[str] | None = None
    """ARN of the DynamoDB table the function reads or writes (ItemTable.table_arn). Example:
    table.table_arn.
    """
    table_actions: Sequence[str] = ()
    """The item actions granted on table_arn (and its indexes for Query and Scan); nothing else. Example:
    ("dynamodb:GetItem", "dynamodb:Query").
    """
    secret_arns: Sequence[pulumi.Input[str]] = ()
    """Secrets Manager secrets the function may read (GetSecretValue only). Example: [stripe_key.arn]."""
    secret_key_arns: Sequence[pulumi.Input[str]] = ()
    """KMS keys of those secrets, usable for Decrypt through Secrets Manager only. Example: [secrets_key.arn]."""
    log_retention_days: int = DEFAULT_RETENTION_DAYS
    """Days the function's log group keeps its events. Example: 90."""
    alarm_actions: Sequence[pulumi.Input[str]] = ()
    """SNS topic ARNs told when an alarm changes state (AlertTopic.topic_arn). Example: [alerts.topic_arn]."""
    duration_alarm_ms: float | None = None
    """p95 duration in milliseconds that raises an alarm; None: 80 % of the timeout. Example: 3000."""
    inline_code: Mapping[str, str] | None = None
    """The code as file name -> text instead of the code_path folder: a small function shipped with its
    component (it then shows in the plan). None: code_path. Example: {"index.py": source}.
    """
    vpc_subnet_ids: Sequence[pulumi.Input[str]] = ()
    """Subnets of the function's network interfaces (private subnets: it reaches resources inside the VPC,
    and AWS APIs through NAT or interface endpoints); (): no VPC. Example: vpc.private_subnet_ids.
    """
    vpc_security_group_ids: Sequence[pulumi.Input[str]] = ()
    """Security groups of those interfaces (what the function may reach). Example: [rotation_group.id]."""


class LambdaFunction(pulumi.ComponentResource):
    """One function of a serverless API: Node.js on ARM64 (Graviton, about 20 % cheaper per GB-second),
    code zipped from a folder, X-Ray tracing on, environment and logs encrypted with its own CMK, a
    dead-letter queue (encrypted) for asynchronous events that fail every retry, a role granting only
    its logs, traces, queue, key and what ``table_actions`` and ``secret_arns`` say, and alarms on
    errors, throttles, p95 duration and dead letters. With ``provisioned_concurrency`` the published
    version behind the ``live`` alias is kept warm; callers invoke ``invoke_arn`` (the alias).

    Example::

        checkout = LambdaFunction("checkout", LambdaFunctionArgs(
            name="usarakhi-prod-checkout", code_path="functions/checkout/dist",
            table_arn=table.table_arn, table_actions=("dynamodb:GetItem", "dynamodb:PutItem"),
            secret_arns=[stripe.arn], alarm_actions=[alerts.topic_arn]))

    Cost (cost/prices.csv): per million requests and per GB-second (ARM); provisioned concurrency per
    GB-second of the function's memory while configured (and its invocations at lower provisioned
    rates, outside Lambda's free tier); $1 a month for the CMK; four alarms at $0.10 beyond
    CloudWatch's free ten.
    """

    function_name: pulumi.Output[str]
    function_arn: pulumi.Output[str]
    invoke_arn: pulumi.Output[str]
    role_arn: pulumi.Output[str]
    role_name: pulumi.Output[str]
    api_target: ApiTarget

    def __init__(self, name: str, args: LambdaFunctionArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        checked_function(args.name, args.runtime, args.memory_mb, args.timeout_seconds, args.environment)
        checked_table_actions(args.table_actions)
        if args.provisioned_concurrency < 0 or (args.reserved_concurrency or 0) < 0:
            raise ValueError("reserved_concurrency and provisioned_concurrency must not be negative")
        super().__init__("webstack:serverless:LambdaFunction", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        context = aws_context(self)
        key = customer_managed_key(
            f"{name}-key",
            description=f"{args.name} environment, logs and dead letters",
            alias=f"{args.name}/function",
            context=context,
            parent=self,
            service_statements=lambda region, account: [logs_key_statement(region, account, log_group_name(args.name))],
        )
        logs = encrypted_log_group(
            f"{name}-logs",
            log_group_name=log_group_name(args.name),
            key=key,
            retention_days=args.log_retention_days,
            parent=self,
        )
        queue = dead_letter_queue(f"{name}-dead-letters", name=f"{args.name}-dlq", key=key, parent=self)
        in_vpc = bool(args.vpc_subnet_ids)
        if in_vpc != bool(args.vpc_security_group_ids):
            raise ValueError("vpc_subnet_ids and vpc_security_group_ids go together")
        role, granted = service_role_and_policy(
            f"{name}-role",
            service="lambda.amazonaws.com",
            description=f"{args.name}: its logs, traces, dead letters, key, and what it was granted",
            source_arn=None,
            policy=lambda region, account, key_arn, queue_arn, table_arn, *secrets: function_policy(
                region,
                account,
                name=args.name,
                key_arn=key_arn,
                queue_arn=queue_arn,
                table_arn=table_arn or None,
                table_actions=args.table_actions,
                secret_arns=secrets[: len(args.secret_arns)],
                secret_key_arns=secrets[len(args.secret_arns) :],
                in_vpc=in_vpc,
            ),
            context=context,
            parent=self,
            policy_inputs=[key.arn, queue.arn, args.table_arn or "", *args.secret_arns, *args.secret_key_arns],
        )
        function = aws.lambda_.Function(
            f"{name}-function",
            name=args.name,
            role=role.arn,
            runtime=args.runtime,
            architectures=["arm64"],
            handler=args.handler,
            code=(
                pulumi.AssetArchive({file: pulumi.StringAsset(text) for file, text in args.inline_code.items()})
                if args.inline_code is not None
                else pulumi.FileArchive(args.code_path)
            ),
            memory_size=args.memory_mb,
            timeout=args.timeout_seconds,
            environment={"variables": dict(args.environment)} if args.environment else None,
            kms_key_arn=key.arn,
            tracing_config={"mode": "Active"},
            dead_letter_config={"target_arn": queue.arn},
            reserved_concurrent_executions=args.reserved_concurrency,
            logging_config={"log_format": "JSON", "log_group": logs.name},
            publish=args.provisioned_concurrency > 0,
            vpc_config=(
                {"subnet_ids": list(args.vpc_subnet_ids), "security_group_ids": list(args.vpc_security_group_ids)}
                if in_vpc
                else None
            ),
            # In a VPC, Lambda checks when the function is created that its role may make network interfaces.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[logs, granted] if in_vpc else [logs]),
        )
        self.function_name = function.name
        self.function_arn = function.arn
        self.invoke_arn = function.invoke_arn
        if args.provisioned_concurrency > 0:
            alias = aws.lambda_.Alias(
                f"{name}-live",
                name="live",
                function_name=function.name,
                function_version=function.version,
                opts=child,
            )
            aws.lambda_.ProvisionedConcurrencyConfig(
                f"{name}-warm",
                function_name=function.name,
                qualifier=alias.name,
                provisioned_concurrent_executions=args.provisioned_concurrency,
                opts=child,
            )
            self.invoke_arn = alias.invoke_arn
        create_alarms(
            name,
            function_alarm_specs(args.name, f"{args.name}-dlq", args.timeout_seconds, args.duration_alarm_ms),
            args.alarm_actions,
            self,
        )
        self.role_arn = role.arn
        self.role_name = role.name
        self.api_target = ApiTarget(
            function.name, self.invoke_arn, "live" if args.provisioned_concurrency > 0 else None
        )
        self.register_outputs({"functionName": function.name, "invokeArn": self.invoke_arn})
