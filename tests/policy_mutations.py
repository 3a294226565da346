"""Mutations of a compliant plan: each flips one secure default the components set."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .helpers import copied

Plan = dict[str, Any]


@dataclass(frozen=True)
class Mutation:
    id: str
    rule: str  # the policy that must report it
    target: str  # logical name of the resource the violation names
    change: Callable[[Plan], None]
    plan: str = "prod"  # the compliant plan it mutates (dev holds the NAT instance)


def state(plan: Plan, name: str) -> dict[str, Any]:
    """The resource of that logical name; "type::name" where two types share it (a queue and its alarm)."""
    found = [
        s["newState"]
        for s in plan["steps"]
        if (
            s["urn"].endswith(f"${name}") or s["urn"].endswith(f"::{name}")
            if "::" in name
            else s["urn"].rsplit("::", 1)[-1] == name
        )
    ]
    assert len(found) == 1, f"{len(found)} resources named {name}"
    return found[0]


def urn_of(plan: Plan, name: str) -> str:
    return state(plan, name)["urn"]


def inputs(plan: Plan, name: str) -> dict[str, Any]:
    return state(plan, name)["inputs"]


def drop(plan: Plan, name: str) -> None:
    urn = urn_of(plan, name)
    plan["steps"] = [s for s in plan["steps"] if s["urn"] != urn]


def setting(name: str, key: str, value: Any) -> Callable[[Plan], None]:
    def change(plan: Plan) -> None:
        if value is ...:
            inputs(plan, name).pop(key, None)
        else:
            inputs(plan, name)[key] = value

    return change


def nested(name: str, path: str, value: Any) -> Callable[[Plan], None]:
    """Set a value inside nested inputs: "origins.0.customOriginConfig.originProtocolPolicy"."""

    def change(plan: Plan) -> None:
        target: Any = inputs(plan, name)
        *parents, leaf = path.split(".")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is ...:
            target.pop(leaf, None)
        elif leaf.isdigit():
            target[int(leaf)] = value
        else:
            target[leaf] = value

    return change


def json_input(name: str, key: str, edit: Callable[[Any], None]) -> Callable[[Plan], None]:
    """Edit a JSON-string input (policies, container definitions) in place."""

    def change(plan: Plan) -> None:
        document = json.loads(inputs(plan, name)[key])
        edit(document)
        inputs(plan, name)[key] = json.dumps(document)

    return change


def adding(name: str, resource_type: str, inputs: dict[str, Any], **depends_on: str) -> Callable[[Plan], None]:
    """Add a resource whose inputs ``depends_on`` (input -> resource name) come from others."""

    def change(plan: Plan) -> None:
        template = plan["steps"][-1]["urn"].split("::")
        urn = f"{template[0]}::{template[1]}::{resource_type}::{name}"
        dependencies = {key: [urn_of(plan, other)] for key, other in depends_on.items()}
        state = {
            "urn": urn,
            "type": resource_type,
            "custom": True,
            "inputs": inputs,
            "dependencies": [u for us in dependencies.values() for u in us],
            "propertyDependencies": dependencies,
        }
        plan["steps"].append({"op": "create", "urn": urn, "newState": state})  # fmt: skip

    return change


def depending(name: str, key: str, other: str) -> Callable[[Plan], None]:
    """Make input ``key`` of resource ``name`` come from resource ``other``."""

    def change(plan: Plan) -> None:
        state(plan, name).setdefault("propertyDependencies", {})[key] = [urn_of(plan, other)]
        inputs(plan, name)[key] = {"id": f"from-{other}"}

    return change


def dropping(name: str) -> Callable[[Plan], None]:
    return lambda plan: drop(plan, name)


def both(*changes: Callable[[Plan], None]) -> Callable[[Plan], None]:
    def change(plan: Plan) -> None:
        for each in changes:
            each(plan)

    return change


def first_statement(edit: Callable[[dict[str, Any]], None]) -> Callable[[Any], None]:
    return lambda document: edit(document["Statement"][0])


def add_statement(statement: dict[str, Any]) -> Callable[[Any], None]:
    return lambda document: document["Statement"].append(statement)


def container(edit: Callable[[dict[str, Any]], None]) -> Callable[[Any], None]:
    return lambda definitions: edit(definitions[0])


def set_parameter(value: str) -> Callable[[Plan], None]:
    def change(plan: Plan) -> None:
        for parameter in inputs(plan, "database-params")["parameters"]:
            if parameter["name"] == "rds.force_ssl":
                parameter["value"] = value

    return change


def without_copies(plan: Plan) -> None:
    for rule in inputs(plan, "backup-plan")["rules"]:
        rule["copyActions"] = []


REPLICATION = "uploads-replication-config"


def provider_tags(tags: dict[str, str]) -> Callable[[Plan], None]:
    return setting("aws", "defaultTags", json.dumps({"tags": tags}))


WORLD = "0.0.0.0/0"


def custom_origin(protocol_policy: str, ssl_protocols: list[str]) -> dict[str, Any]:
    """The API origin reached over the internet instead of the VPC origin, with these settings."""
    return {"httpPort": 80, "httpsPort": 443, "originProtocolPolicy": protocol_policy,
            "originSslProtocols": ssl_protocols}  # fmt: skip


def public_origin(config: dict[str, Any]) -> Callable[[Plan], None]:
    return nested("api-edge-distribution", "origins.0.customOriginConfig", config)


NAT = "network-nat-instance-0"
CATALOG = "function-catalog-function"
STAGE = "function-api-stage"
DEAD_LETTERS = "aws:sqs/queue:Queue::function-catalog-dead-letters"  # its alarm has the same name


def serverless(id_: str, rule: str, target: str, change: Callable[[Plan], None]) -> Mutation:
    return Mutation(id_, rule, target, change, plan="usarakhi")


SERVERLESS_MUTATIONS = [
    serverless("lambda-invoked-by-anyone", "lambda-not-publicly-invokable", "function-api-get-cart-invoke",
               setting("function-api-get-cart-invoke", "principal", "*")),
    serverless("lambda-invoke-unscoped", "lambda-not-publicly-invokable", "function-api-get-cart-invoke",
               setting("function-api-get-cart-invoke", "sourceArn", ...)),
    serverless("lambda-node-18", "lambda-runtime-supported", CATALOG, setting(CATALOG, "runtime", "nodejs18.x")),
    serverless("lambda-not-traced", "lambda-tracing-active", CATALOG,
               setting(CATALOG, "tracingConfig", {"mode": "PassThrough"})),
    serverless("lambda-environment-aws-key", "lambda-environment-encrypted-with-cmk", CATALOG,
               setting(CATALOG, "kmsKeyArn", ...)),
    serverless("lambda-failures-dropped", "lambda-failed-async-events-kept", CATALOG,
               setting(CATALOG, "deadLetterConfig", ...)),
    serverless("api-access-logs-off", "apigateway-stage-access-logging", STAGE,
               setting(STAGE, "accessLogSettings", ...)),
    serverless("api-not-traced", "apigateway-stage-xray-tracing", STAGE, setting(STAGE, "xrayTracingEnabled", False)),
    serverless("api-logs-bodies", "apigateway-no-full-request-logging", "function-api-throttling",
               nested("function-api-throttling", "settings.dataTraceEnabled", True)),
    serverless("api-cache-plaintext", "apigateway-cache-encrypted", "function-api-cache-get-products",
               nested("function-api-cache-get-products", "settings.cacheDataEncrypted", False)),
    serverless("api-gets-cached-plaintext", "apigateway-cache-encrypted", STAGE,
               both(nested("function-api-throttling", "settings.cacheDataEncrypted", ...),
                    nested("function-api-throttling", "settings.cachingEnabled", ...))),
    serverless("api-without-waf", "apigateway-waf-attached", STAGE, dropping("function-api-waf-stage")),
    serverless("api-domain-tls-1-0", "apigateway-domain-minimum-tls-version", "function-api-domain",
               setting("function-api-domain", "securityPolicy", "TLS_1_0")),
    serverless("table-without-pitr", "dynamodb-point-in-time-recovery", "table-table",
               setting("table-table", "pointInTimeRecovery", {"enabled": False})),
    serverless("table-deletable", "dynamodb-deletion-protection", "table-table",
               setting("table-table", "deletionProtectionEnabled", False)),
    serverless("table-aws-owned-key", "dynamodb-table-encrypted-with-cmk", "table-table",
               nested("table-table", "serverSideEncryption.kmsKeyArn", ...)),
    serverless("short-passwords", "cognito-password-policy", "users-pool",
               nested("users-pool", "passwordPolicy.minimumLength", 8)),
    serverless("passwords-without-symbols", "cognito-password-policy", "users-pool",
               nested("users-pool", "passwordPolicy.requireSymbols", False)),
    serverless("mfa-off", "cognito-mfa-enabled", "users-pool", setting("users-pool", "mfaConfiguration", "OFF")),
    serverless("threats-only-audited", "cognito-threat-protection-enforced", "users-pool",
               setting("users-pool", "userPoolAddOns", {"advancedSecurityMode": "AUDIT"})),
    serverless("pool-deletable", "cognito-deletion-protection", "users-pool",
               setting("users-pool", "deletionProtection", "INACTIVE")),
    serverless("dead-letters-aws-key", "sqs-queue-encrypted-with-kms", DEAD_LETTERS,
               setting(DEAD_LETTERS, "kmsMasterKeyId", "alias/aws/sqs")),
    serverless("api-waf-logs-removed", "waf-web-acl-logging-enabled", "function-api-waf",
               dropping("function-api-waf-logging")),
    serverless("secret-policy-may-go-public", "secret-policy-blocks-public-policies", "secret-stripe-secret-key-policy",
               setting("secret-stripe-secret-key-policy", "blockPublicPolicy", False)),
]  # fmt: skip

JOB_POLICY = "invoices-job-scheduler-role-policy"
JOB_QUEUE = "aws:sqs/queue:Queue::invoices-job-dead-letters"


def job(id_: str, rule: str, target: str, change: Callable[[Plan], None]) -> Mutation:
    return Mutation(id_, rule, target, change, plan="billing")


def job_statement(sid: str, edit: Callable[[dict[str, Any]], None]) -> Callable[[Any], None]:
    return lambda document: edit(next(s for s in document["Statement"] if s.get("Sid") == sid))


# Scheduled jobs (seed 003: examples/billing.yaml)
JOB_MUTATIONS = [
    job("job-passes-any-role", "iam-pass-role-scoped", JOB_POLICY,
        json_input(JOB_POLICY, "policy", job_statement("PassTheTaskItsTwoRoles", lambda s: s.update(Resource="*")))),
    job("job-passes-roles-to-any-service", "iam-pass-role-scoped", JOB_POLICY,
        json_input(JOB_POLICY, "policy", job_statement("PassTheTaskItsTwoRoles", lambda s: s.pop("Condition")))),
    job("job-runs-any-task", "iam-no-star-resource-for-writes", JOB_POLICY,
        json_input(JOB_POLICY, "policy",
                   job_statement("RunTheServiceTaskOnItsCluster", lambda s: s.update(Resource="*")))),
    job("job-role-trusts-anyone", "iam-trust-only-service-principals", "invoices-job-scheduler-role",
        json_input("invoices-job-scheduler-role", "assumeRolePolicy", first_statement(lambda s: s.pop("Condition")))),
    job("job-task-public-ip", "scheduler-ecs-tasks-without-public-ip", "invoices-job-schedule",
        nested("invoices-job-schedule", "target.ecsParameters.networkConfiguration.assignPublicIp", True)),
    job("job-dead-letters-aws-key", "sqs-queue-encrypted-with-kms", JOB_QUEUE,
        setting(JOB_QUEUE, "kmsMasterKeyId", "alias/aws/sqs")),
]  # fmt: skip

TRAIL = "trail-trail"
RECORDER = "config-recorder"


def account(id_: str, rule: str, target: str, change: Callable[[Plan], None]) -> Mutation:
    return Mutation(id_, rule, target, change, plan="account-baseline")


def own_config_role(plan: Plan) -> None:
    """The recorder records with a role of its own instead of the service-linked one."""
    state(plan, RECORDER).get("propertyDependencies", {}).pop("roleArn", None)
    inputs(plan, RECORDER)["roleArn"] = "arn:aws:iam::123456789012:role/config-recorder"


# The account baseline (examples/account-baseline.yaml)
ACCOUNT_MUTATIONS = [
    account("trail-one-region", "cloudtrail-multi-region-management-events", TRAIL,
            setting(TRAIL, "isMultiRegionTrail", False)),
    account("trail-write-events-only", "cloudtrail-multi-region-management-events", TRAIL,
            setting(TRAIL, "eventSelectors", [{"readWriteType": "WriteOnly", "includeManagementEvents": True}])),
    account("trail-sse-s3-only", "cloudtrail-encrypted-with-cmk", TRAIL, setting(TRAIL, "kmsKeyId", ...)),
    account("trail-unsigned", "cloudtrail-log-file-validation", TRAIL,
            setting(TRAIL, "enableLogFileValidation", False)),
    account("trail-not-in-cloudwatch", "cloudtrail-cloudwatch-logs", TRAIL,
            setting(TRAIL, "cloudWatchLogsRoleArn", ...)),
    account("guardduty-suspended", "guardduty-enabled", "guardduty-detector",
            setting("guardduty-detector", "enable", False)),
    account("config-own-role", "config-recorder-on-with-service-linked-role", RECORDER, own_config_role),
    account("config-some-types", "config-recorder-on-with-service-linked-role", RECORDER,
            nested(RECORDER, "recordingGroup.allSupported", False)),
    account("config-stopped", "config-recorder-on-with-service-linked-role", RECORDER,
            setting("config-recording", "isEnabled", False)),
]  # fmt: skip

# Secrets rotation: the cache token webstack rotates (prod), an application secret the user's function rotates
ROTATION_MUTATIONS = [
    Mutation("cache-token-never-rotates", "secrets-rotate", "cache-auth-secret", dropping("cache-rotation-schedule")),
    job("jwt-rotates-yearly", "secrets-rotate", "api-secret-jwt-secret",
        nested("api-secret-jwt-secret-rotation-schedule", "rotationRules.automaticallyAfterDays", 365)),
]  # fmt: skip

MUTATIONS = [
    # encryption at rest
    Mutation("rds-storage-unencrypted", "rds-storage-encrypted-with-cmk", "database-primary",
             setting("database-primary", "storageEncrypted", False)),
    Mutation("rds-aws-managed-key", "rds-storage-encrypted-with-cmk", "database-primary",
             setting("database-primary", "kmsKeyId", ...)),
    Mutation("nat-volume-unencrypted", "ec2-volumes-encrypted-with-cmk", NAT,
             nested(NAT, "rootBlockDevice.encrypted", False), plan="dev"),
    Mutation("nat-volume-aws-key", "ec2-volumes-encrypted-with-cmk", NAT,
             nested(NAT, "rootBlockDevice.kmsKeyId", ...), plan="dev"),
    Mutation("nat-volume-undeclared", "ec2-volumes-encrypted-with-cmk", NAT,
             setting(NAT, "rootBlockDevice", ...), plan="dev"),
    Mutation("launch-template-without-volumes", "ec2-volumes-encrypted-with-cmk", "extra-template",
             adding("extra-template", "aws:ec2/launchTemplate:LaunchTemplate", {"imageId": "ami-1"}), plan="dev"),
    Mutation("volume-from-snapshot-unencrypted", "ec2-volumes-encrypted-with-cmk", "extra-volume",
             adding("extra-volume", "aws:ebs/volume:Volume", {"snapshotId": "snap-1"}), plan="dev"),
    Mutation("insights-without-cmk", "rds-performance-insights-encrypted-with-cmk", "database-primary",
             setting("database-primary", "performanceInsightsKmsKeyId", ...)),
    Mutation("cache-at-rest-off", "elasticache-encrypted-at-rest-with-cmk", "cache-group",
             setting("cache-group", "atRestEncryptionEnabled", False)),
    Mutation("cache-aws-owned-key", "elasticache-encrypted-at-rest-with-cmk", "cache-group",
             setting("cache-group", "kmsKeyId", ...)),
    Mutation("flow-log-group-unencrypted", "log-group-encrypted-with-kms", "network-flow-logs",
             setting("network-flow-logs", "kmsKeyId", ...)),
    Mutation("topic-unencrypted", "sns-topic-encrypted-with-kms", "alerts-topic",
             setting("alerts-topic", "kmsMasterKeyId", ...)),
    Mutation("topic-aws-managed-key", "sns-topic-encrypted-with-kms", "alerts-topic",
             setting("alerts-topic", "kmsMasterKeyId", "alias/aws/sns")),
    Mutation("ecr-aes256", "ecr-repository-encrypted-with-kms", "api-repository",
             setting("api-repository", "encryptionConfigurations", [{"encryptionType": "AES256"}])),
    Mutation("secret-default-key", "secret-encrypted-with-cmk", "cache-auth-secret",
             setting("cache-auth-secret", "kmsKeyId", ...)),
    Mutation("key-rotation-off", "kms-key-rotation-enabled", "network-key",
             setting("network-key", "enableKeyRotation", False)),
    # No configuration is AWS's default, SSE-S3: fine for a site, not for private data.
    Mutation("bucket-encryption-removed", "s3-private-data-encrypted-with-cmk", "uploads-bucket",
             dropping("uploads-encryption")),
    Mutation("private-bucket-sse-s3", "s3-private-data-encrypted-with-cmk", "uploads-bucket",
             setting("uploads-encryption", "rules",
                     [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}])),
    # encryption in transit
    Mutation("cache-tls-off", "elasticache-transit-encryption-required", "cache-group",
             setting("cache-group", "transitEncryptionEnabled", False)),
    Mutation("cache-tls-preferred", "elasticache-transit-encryption-required", "cache-group",
             setting("cache-group", "transitEncryptionMode", "preferred")),
    Mutation("cache-auth-removed", "elasticache-auth-required", "cache-group",
             setting("cache-group", "authToken", ...)),
    Mutation("rds-force-ssl-off", "rds-requires-tls", "database-primary", set_parameter("0")),
    # Without its own group, PostgreSQL 14 and older fall back to force_ssl=0 (1 from 15).
    Mutation("rds-parameter-group-detached", "rds-requires-tls", "database-primary",
             both(lambda plan: state(plan, "database-primary")["propertyDependencies"].pop("parameterGroupName"),
                  setting("database-primary", "engineVersion", "14"))),
    Mutation("alb-old-tls-policy", "alb-https-listener-uses-allowed-tls-policy", "api-https",
             setting("api-https", "sslPolicy", "ELBSecurityPolicy-2016-08")),
    Mutation("http-listener-forwards", "alb-http-listener-only-redirects", "api-http",
             setting("api-http", "defaultActions", [{"type": "forward", "targetGroupArn": "arn:tg"}])),
    Mutation("viewer-http-allowed", "cloudfront-viewer-https-only", "website-edge-distribution",
             nested("website-edge-distribution", "defaultCacheBehavior.viewerProtocolPolicy", "allow-all")),
    Mutation("viewer-tls1", "cloudfront-minimum-tls-version", "shop-dashboard-edge-distribution",
             nested("shop-dashboard-edge-distribution", "viewerCertificate.minimumProtocolVersion", "TLSv1")),
    Mutation("viewer-default-certificate", "cloudfront-minimum-tls-version", "assets-edge-distribution",
             setting("assets-edge-distribution", "viewerCertificate", {"cloudfrontDefaultCertificate": True})),
    # A stack without a domain: tagged, and judged as one decision (accepted or not).
    Mutation("cloudfront-name-not-accepted", "no-custom-domain", "assets-edge-distribution",
             both(setting("assets-edge-distribution", "viewerCertificate", {"cloudfrontDefaultCertificate": True}),
                  setting("assets-edge-distribution", "tags", {"CustomDomain": "none"}))),
    Mutation("vpc-origin-http-tagged-no-domain", "no-custom-domain", "api-vpc-origin",
             both(nested("api-vpc-origin", "vpcOriginEndpointConfig.originProtocolPolicy", "http-only"),
                  setting("api-vpc-origin", "tags", {"CustomDomain": "none"}))),
    Mutation("cloudfront-name-accepted", "no-custom-domain-accepted", "assets-edge-distribution",
             both(setting("assets-edge-distribution", "viewerCertificate", {"cloudfrontDefaultCertificate": True}),
                  setting("assets-edge-distribution", "tags", {"CustomDomain": "none",
                                                               "AcceptedRisk": "no-custom-domain"}))),
    Mutation("origin-http", "cloudfront-origin-https-only", "api-edge-distribution",
             public_origin(custom_origin("match-viewer", ["TLSv1.2"]))),
    Mutation("origin-tls1", "cloudfront-origin-https-only", "api-edge-distribution",
             public_origin(custom_origin("https-only", ["TLSv1", "TLSv1.2"]))),
    Mutation("vpc-origin-http", "cloudfront-origin-https-only", "api-vpc-origin",
             nested("api-vpc-origin", "vpcOriginEndpointConfig.originProtocolPolicy", "http-only")),
    Mutation("vpc-origin-tls1", "cloudfront-origin-https-only", "api-vpc-origin",
             nested("api-vpc-origin", "vpcOriginEndpointConfig.originSslProtocols.items", ["TLSv1", "TLSv1.2"])),
    Mutation("bucket-policy-without-tls-deny", "s3-bucket-denies-insecure-transport", "backups-bucket",
             json_input("backups-policy", "policy", lambda d: d["Statement"].pop(0))),
    # network exposure
    Mutation("database-open-to-world", "security-groups-closed-to-the-world", "database-sg-from-api",
             both(setting("database-sg-from-api", "cidrIpv4", WORLD),
                  setting("database-sg-from-api", "referencedSecurityGroupId", ...))),
    Mutation("alb-open-on-8443", "security-groups-closed-to-the-world", "api-alb-from-cloudfront",
             both(setting("api-alb-from-cloudfront", "cidrIpv4", WORLD),
                  setting("api-alb-from-cloudfront", "prefixListId", ...),
                  setting("api-alb-from-cloudfront", "fromPort", 8443),
                  setting("api-alb-from-cloudfront", "toPort", 8443))),
    Mutation("tasks-open-on-443", "security-groups-closed-to-the-world", "api-tasks-from-alb",
             both(setting("api-tasks-from-alb", "cidrIpv6", "::/0"),
                  setting("api-tasks-from-alb", "referencedSecurityGroupId", ...),
                  setting("api-tasks-from-alb", "fromPort", 443),
                  setting("api-tasks-from-alb", "toPort", 443))),
    Mutation("rds-public", "rds-not-publicly-accessible", "database-primary",
             setting("database-primary", "publiclyAccessible", True)),
    Mutation("cache-outside-subnets", "elasticache-in-vpc-subnets", "cache-group",
             setting("cache-group", "subnetGroupName", ...)),
    Mutation("service-public-ip", "ecs-service-without-public-ip", "api-service",
             nested("api-service", "networkConfiguration.assignPublicIp", True)),
    Mutation("nat-imdsv1", "ec2-imdsv2-required", NAT, nested(NAT, "metadataOptions.httpTokens", "optional"),
             plan="dev"),
    Mutation("nat-metadata-hops", "ec2-imdsv2-required", NAT,
             nested(NAT, "metadataOptions.httpPutResponseHopLimit", 2), plan="dev"),
    Mutation("public-instance-not-nat", "ec2-public-ip-only-on-nat-instances", NAT,
             setting(NAT, "sourceDestCheck", True), plan="dev"),
    Mutation("elastic-ip-on-a-non-nat-instance", "ec2-public-ip-only-on-nat-instances", NAT,
             both(setting(NAT, "associatePublicIpAddress", ...), setting(NAT, "sourceDestCheck", True),
                  adding("extra-eip", "aws:ec2/eip:Eip", {"domain": "vpc"}, instance=NAT)), plan="dev"),
    Mutation("elastic-ip-on-the-interface-of-a-non-nat-instance", "ec2-public-ip-only-on-nat-instances", NAT,
             both(setting(NAT, "associatePublicIpAddress", ...), setting(NAT, "sourceDestCheck", True),
                  adding("extra-eip", "aws:ec2/eip:Eip", {"domain": "vpc"}, networkInterface=NAT)), plan="dev"),
    Mutation("launch-template-in-a-public-subnet-for-a-non-nat-instance", "ec2-public-ip-only-on-nat-instances", NAT,
             both(setting(NAT, "associatePublicIpAddress", ...), setting(NAT, "sourceDestCheck", True),
                  setting("network-public-1", "mapPublicIpOnLaunch", True),  # not the instance's own subnet
                  adding("extra-template", "aws:ec2/launchTemplate:LaunchTemplate",
                         {"networkInterfaces": [{"deviceIndex": 0}],
                          "blockDeviceMappings": [{"ebs": {"encrypted": "true", "kmsKeyId": "k"}}]},
                         networkInterfaces="network-public-1"),
                  depending(NAT, "launchTemplate", "extra-template")), plan="dev"),
    Mutation("public-subnet-maps-ip-to-a-non-nat-instance", "ec2-public-ip-only-on-nat-instances", NAT,
             both(setting(NAT, "associatePublicIpAddress", ...), setting(NAT, "sourceDestCheck", True),
                  setting("network-public-0", "mapPublicIpOnLaunch", True)), plan="dev"),
    Mutation("launch-template-with-public-ips", "ec2-public-ip-only-on-nat-instances", "extra-template",
             adding("extra-template", "aws:ec2/launchTemplate:LaunchTemplate",
                    {"networkInterfaces": [{"associatePublicIpAddress": "true"}]}), plan="dev"),
    Mutation("nat-ssh-key", "ec2-public-ip-only-on-nat-instances", NAT, setting(NAT, "keyName", "ops"), plan="dev"),
    Mutation("nat-instance-profile", "ec2-public-ip-only-on-nat-instances", NAT,
             setting(NAT, "iamInstanceProfile", "admin"), plan="dev"),
    Mutation("default-sg-allows", "default-security-group-has-no-rules", "network-default-sg",
             setting("network-default-sg", "ingress", [{"protocol": "-1", "fromPort": 0, "toPort": 0, "self": True}])),
    Mutation("default-sg-not-adopted", "default-security-group-has-no-rules", "network-vpc",
             dropping("network-default-sg")),
    Mutation("private-subnet-public-ips", "subnets-without-public-ip-on-launch", "network-private-0",
             setting("network-private-0", "mapPublicIpOnLaunch", True)),
    Mutation("public-access-block-removed", "s3-bucket-public-access-blocked", "website-bucket",
             dropping("website-public-access-block")),
    Mutation("public-access-block-partial", "s3-bucket-public-access-blocked", "uploads-bucket",
             setting("uploads-public-access-block", "restrictPublicBuckets", False)),
    Mutation("bucket-policy-public-read", "s3-bucket-policy-grants-no-public-access", "website-policy",
             json_input("website-policy", "policy", add_statement(
                 {"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}))),
    Mutation("bucket-policy-public-over-tls", "s3-bucket-policy-grants-no-public-access", "website-policy",
             json_input("website-policy", "policy", add_statement(
                 {"Sid": "PublicOverTls", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject",
                  "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}))),
    Mutation("origin-access-identity", "cloudfront-s3-origins-use-oac", "website-edge-distribution",
             both(nested("website-edge-distribution", "origins.0.originAccessControlId", ...),
                  nested("website-edge-distribution", "origins.0.s3OriginConfig",
                         {"originAccessIdentity": "origin-access-identity/cloudfront/E1"}))),
    Mutation("origin-without-oac", "cloudfront-s3-origins-use-oac", "assets-edge-distribution",
             nested("assets-edge-distribution", "origins.0.originAccessControlId", ...)),
    # least privilege
    Mutation("execution-policy-star", "iam-no-wildcard-actions", "api-execution-policy",
             json_input("api-execution-policy", "policy", first_statement(lambda s: s.update(Action="*")))),
    Mutation("task-policy-s3-star", "iam-no-wildcard-actions", "api-task-policy",
             json_input("api-task-policy", "policy", first_statement(lambda s: s.update(Action="s3:*")))),
    Mutation("task-policy-any-bucket", "iam-no-star-resource-for-writes", "api-task-policy",
             json_input("api-task-policy", "policy", first_statement(lambda s: s.update(Resource="*")))),
    Mutation("pass-any-role", "iam-pass-role-scoped", "api-execution-policy",
             json_input("api-execution-policy", "policy", add_statement(
                 {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}))),
    Mutation("trust-anyone", "iam-trust-only-service-principals", "api-task-role",
             json_input("api-task-role", "assumeRolePolicy", first_statement(
                 lambda s: s.update(Principal={"AWS": "*"})))),
    Mutation("trust-without-condition", "iam-trust-only-service-principals", "api-execution-role",
             json_input("api-execution-role", "assumeRolePolicy", first_statement(lambda s: s.pop("Condition")))),
    Mutation("admin-policy-attached", "iam-no-aws-managed-admin-policies", "api-task-role",
             setting("api-task-role", "managedPolicyArns", ["arn:aws:iam::aws:policy/AdministratorAccess"])),
    Mutation("managed-policy-attached", "iam-no-aws-managed-policies", "s3-full-access",
             adding("s3-full-access", "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                    {"policyArn": "arn:aws:iam::aws:policy/AmazonS3FullAccess"}, role="api-task-role")),
    Mutation("full-access-is-a-wildcard", "iam-no-wildcard-actions", "dynamodb-full-access",
             adding("dynamodb-full-access", "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                    {"policyArn": "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"}, role="api-task-role")),
    Mutation("full-access-writes-everywhere", "iam-no-star-resource-for-writes", "api-task-role",
             setting("api-task-role", "managedPolicyArns", ["arn:aws:iam::aws:policy/AWSLambda_FullAccess"])),
    Mutation("role-managed-twice", "iam-role-no-policy-management-conflicts", "api-task-role",
             setting("api-task-role", "inlinePolicies", [{"name": "extra", "policy": "{}"}])),
    Mutation("sg-managed-twice", "security-group-no-rule-management-conflicts", "api-task-sg",
             setting("api-task-sg", "ingress", [{"protocol": "tcp", "fromPort": 8000, "toPort": 8000,
                                                 "securityGroups": ["sg-1"]}])),
    Mutation("password-in-environment", "ecs-secrets-not-in-environment", "api-task",
             json_input("api-task", "containerDefinitions", container(
                 lambda c: c["environment"].append({"name": "DB_PASSWORD", "value": "hunter2"})))),
    Mutation("credentials-in-url", "ecs-secrets-not-in-environment", "api-task",
             json_input("api-task", "containerDefinitions", container(
                 lambda c: c["environment"].append({"name": "CACHE", "value": "rediss://:pw@cache:6379"})))),
    Mutation("rds-password-in-code", "rds-master-password-managed", "database-primary",
             both(setting("database-primary", "password", "hunter2"),
                  setting("database-primary", "manageMasterUserPassword", False))),
    # data protection
    Mutation("backups-7-days", "rds-backup-retention-minimum", "database-primary",
             setting("database-primary", "backupRetentionPeriod", 7)),
    Mutation("deletion-protection-off", "rds-deletion-protection", "database-primary",
             setting("database-primary", "deletionProtection", False)),
    Mutation("skip-final-snapshot", "rds-final-snapshot", "database-primary",
             setting("database-primary", "skipFinalSnapshot", True)),
    Mutation("snapshot-tags-off", "rds-final-snapshot", "database-primary",
             setting("database-primary", "copyTagsToSnapshot", False)),
    Mutation("single-az", "rds-multi-az", "database-primary", setting("database-primary", "multiAz", False)),
    Mutation("iam-auth-off", "rds-operational-defaults", "database-primary",
             setting("database-primary", "iamDatabaseAuthenticationEnabled", False)),
    Mutation("monitoring-off", "rds-operational-defaults", "database-primary",
             setting("database-primary", "monitoringInterval", 0)),
    Mutation("cache-failover-off", "elasticache-automatic-failover", "cache-group",
             setting("cache-group", "automaticFailoverEnabled", False)),
    Mutation("cache-snapshots-off", "elasticache-backups", "cache-group",
             setting("cache-group", "snapshotRetentionLimit", 0)),
    Mutation("unlisted-db-class", "instance-classes-allowed", "database-primary",
             setting("database-primary", "instanceClass", "db.x2iedn.32xlarge")),
    Mutation("alb-deletion-protection-off", "alb-deletion-protection", "api-alb",
             setting("api-alb", "enableDeletionProtection", False)),
    Mutation("alb-keeps-invalid-headers", "alb-drops-invalid-headers", "api-alb",
             setting("api-alb", "dropInvalidHeaderFields", False)),
    Mutation("circuit-breaker-off", "ecs-deployment-circuit-breaker", "api-service",
             nested("api-service", "deploymentCircuitBreaker.rollback", False)),
    Mutation("spot-base-dropped", "ecs-spot-keeps-on-demand-base", "api-service",
             setting("api-service", "capacityProviderStrategies", [{"capacityProvider": "FARGATE_SPOT", "weight": 1}])),
    Mutation("private-subnet-through-the-other-azs-nat", "nat-per-az", "network-private-default-1",
             depending("network-private-default-1", "networkInterfaceId", "network-nat-instance-0")),
    Mutation("rollback-alarms-off", "ecs-rollback-alarms", "api-service",
             nested("api-service", "alarms.rollback", False)),
    Mutation("writable-root", "ecs-container-hardening", "api-task",
             json_input("api-task", "containerDefinitions", container(
                 lambda c: c.update(readonlyRootFilesystem=False)))),
    Mutation("root-user", "ecs-container-hardening", "api-task",
             json_input("api-task", "containerDefinitions", container(lambda c: c.pop("user")))),
    Mutation("scan-on-push-off", "ecr-image-scanning-and-immutable-tags", "api-repository",
             setting("api-repository", "imageScanningConfiguration", {"scanOnPush": False})),
    Mutation("mutable-tags", "ecr-image-scanning-and-immutable-tags", "api-repository",
             setting("api-repository", "imageTagMutability", "MUTABLE")),
    Mutation("registry-scans-by-hand", "ecr-registry-scans-every-push", "registry-scanning-configuration",
             setting("registry-scanning-configuration", "rules", [])),
    Mutation("repository-lifecycle-removed", "ecr-repository-lifecycle-policy", "api-repository",
             dropping("api-repository-lifecycle")),
    Mutation("waf-detached", "cloudfront-waf-attached", "api-edge-distribution",
             setting("api-edge-distribution", "webAclId", ...)),
    # logging
    Mutation("flow-log-removed", "vpc-flow-logs-enabled", "network-vpc", dropping("network-flow-log")),
    Mutation("log-retention-unset", "log-group-retention-set", "api-logs", setting("api-logs", "retentionInDays", ...)),
    Mutation("alb-logs-off", "alb-access-logs-enabled", "api-alb", nested("api-alb", "accessLogs.enabled", False)),
    Mutation("cloudfront-logs-removed", "cloudfront-access-logging", "api-edge-distribution",
             dropping("api-edge-log-source")),
    Mutation("bucket-logging-removed", "s3-bucket-access-logging", "uploads-bucket", dropping("uploads-access-logs")),
    Mutation("container-insights-off", "ecs-container-insights", "api-cluster",
             setting("api-cluster", "settings", [{"name": "containerInsights", "value": "disabled"}])),
    Mutation("uploads-emptied-on-destroy", "data-kept-on-destroy", "uploads-bucket",
             setting("uploads-bucket", "forceDestroy", True)),
    Mutation("nobody-hears-the-alarms", "alarm-topics-have-subscribers", "alerts-topic",
             dropping("alerts-email-0")),
    Mutation("container-logs-off", "ecs-container-logging", "api-task",
             json_input("api-task", "containerDefinitions", container(lambda c: c.pop("logConfiguration")))),
    # ECS Exec turned on behind the component's back: the cluster has no session key or log group.
    Mutation("exec-on-a-bare-cluster", "ecs-exec-sessions-encrypted-and-logged", "api-service",
             setting("api-service", "enableExecuteCommand", True)),
    # dev enables exec: its sessions lose their key, or their log group's encryption.
    Mutation("exec-sessions-without-key", "ecs-exec-sessions-encrypted-and-logged", "api-service",
             nested("api-cluster", "configuration.executeCommandConfiguration.kmsKeyId", ...), plan="dev"),
    Mutation("exec-sessions-logged-in-clear", "ecs-exec-sessions-encrypted-and-logged", "api-service",
             nested("api-cluster", "configuration.executeCommandConfiguration.logConfiguration"
                    ".cloudWatchEncryptionEnabled", False), plan="dev"),
    # recovery: backups that survive the region, and replicas protected like their sources
    Mutation("vault-aws-managed-key", "backup-vault-encrypted-with-cmk", "backup-vault",
             setting("backup-vault", "kmsKeyArn", ...)),
    Mutation("copy-vault-aws-managed-key", "backup-vault-encrypted-with-cmk", "backup-copy-vault",
             setting("backup-copy-vault", "kmsKeyArn", ...)),
    Mutation("backups-stay-in-the-region", "data-stores-backed-up-to-another-region", "database-primary",
             without_copies),
    Mutation("database-left-out-of-the-plan", "data-stores-backed-up-to-another-region", "database-primary",
             dropping("backup-selection")),
    Mutation("replica-unversioned", "s3-replication-to-a-protected-replica", REPLICATION,
             dropping("uploads-replica-versioning")),
    Mutation("replicas-not-re-encrypted", "s3-replication-to-a-protected-replica", REPLICATION,
             nested(REPLICATION, "rules.0.destination.encryptionConfiguration", ...)),
    Mutation("replication-without-time-control", "s3-replication-to-a-protected-replica", REPLICATION,
             nested(REPLICATION, "rules.0.destination.replicationTime.status", "Disabled")),
    Mutation("replication-role-any-bucket", "s3-replication-role-least-privilege", "uploads-replication-role",
             json_input("uploads-replication-role-policy", "policy",
                        job_statement("WriteTheReplicas", lambda s: s.update(Resource="*")))),
    # observability: WAF logs and alert routes
    Mutation("waf-logs-removed", "waf-web-acl-logging-enabled", "edge-waf", dropping("edge-waf-logging")),
    Mutation("waf-logs-without-destination", "waf-web-acl-logging-enabled", "edge-waf",
             setting("edge-waf-logging", "logDestinationConfigs", [])),
    Mutation("waf-logs-keep-cookies", "waf-logs-redact-credentials", "edge-waf-logging",
             setting("edge-waf-logging", "redactedFields", [{"singleHeader": {"name": "authorization"}}])),
    Mutation("waf-logs-keep-tokens", "waf-logs-redact-credentials", "edge-waf-logging",
             setting("edge-waf-logging", "redactedFields", ...)),
    Mutation("waf-log-group-unencrypted", "log-group-encrypted-with-kms", "edge-waf-logs",
             setting("edge-waf-logs", "kmsKeyId", ...)),
    Mutation("slack-channel-without-guardrails", "chatbot-channel-guardrails-least-privilege", "extra-slack",
             adding("extra-slack", "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration",
                    {"slackChannelId": "C0123ABCD45", "slackTeamId": "T0123ABCD45", "configurationName": "extra"},
                    snsTopicArns="alerts-topic")),
    # serverless (seed 002: examples/usarakhi.yaml)
    *SERVERLESS_MUTATIONS,
    *JOB_MUTATIONS,
    *ACCOUNT_MUTATIONS,
    *ROTATION_MUTATIONS,
    # tagging
    Mutation("owner-tag-missing", "required-tags-present", "aws",
             provider_tags({"Project": "exiuscart", "Environment": "prod", "ManagedBy": "pulumi"})),
]  # fmt: skip


def mutated(plan: Plan, mutation: Mutation) -> Plan:
    copy_ = copied(plan)
    mutation.change(copy_)
    return copy_
