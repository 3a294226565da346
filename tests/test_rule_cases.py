"""One compliant and one violating case per policy rule (as cdk-nag tests its rules), judged
without the engine in well under a second. The mutation suite shows that each secure default of
the real program is caught when removed; these show each rule's own verdicts, message by message.
A rule without both kinds of case fails `test_every_rule_has_a_compliant_and_a_violating_case`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from pulumi_policy import PolicyResource
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE as UNKNOWN_VALUE

from .policy_cases import RULES, judge, judge_stack, resource

KEY = "arn:aws:kms:me-south-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
AWS_KEY = "alias/aws/rds"
CERT = "arn:aws:acm:me-south-1:123456789012:certificate/regional"


@dataclass(frozen=True)
class Case:
    rule: str
    why: str
    # A resource rule's props, or a stack rule's resources (built fresh for each run).
    given: dict[str, Any] | Callable[[], list[PolicyResource]]
    # The messages: a list for a resource rule, {resource name: messages} for a stack rule.
    expected: list[str] | dict[str, list[str]]

    @property
    def compliant(self) -> bool:
        return not self.expected

    @property
    def id(self) -> str:
        return f"{self.rule}-{'ok' if self.compliant else 'violation'}-{self.why.replace(' ', '-')}"


def doc(*statements: dict[str, Any]) -> str:
    """A policy document as the engine hands it over: a JSON string."""
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def containers(**container: Any) -> str:
    return json.dumps([{"name": "app", "image": "app:1", **container}])


HARDENED = {"user": "1000:1000", "readonlyRootFilesystem": True, "logConfiguration": {"logDriver": "awslogs"}}
VIEWER = {"acmCertificateArn": CERT, "sslSupportMethod": "sni-only", "minimumProtocolVersion": "TLSv1.2_2025"}
S3_ORIGIN = {"originId": "site", "domainName": "site.s3.me-south-1.amazonaws.com"}
SERVICE_TRUST = {
    "Effect": "Allow",
    "Principal": {"Service": "ecs-tasks.amazonaws.com"},
    "Action": "sts:AssumeRole",
    "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}},
}
TLS_DENY = {
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}
ALL_BLOCKS: dict[str, Any] = dict.fromkeys(
    ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"), True
)
ENV = {"TABLE_NAME": "usarakhi-prod"}
EXECUTE_API = "arn:aws:execute-api:me-south-1:123456789012:a1b2c3d4e5"
LOG_GROUP = "arn:aws:logs:me-south-1:123456789012:log-group:/aws/apigateway/shop"
STRONG_PASSWORDS = {"minimumLength": 12.0, "requireLowercase": True, "requireUppercase": True, "requireNumbers": True,
                    "requireSymbols": True}  # fmt: skip
OWN_POLICY = "arn:aws:iam::123456789012:policy/app"
OAI = "origin-access-identity/cloudfront/E1"


def r(type_: str, name: str, props: dict[str, Any], **joined: PolicyResource) -> PolicyResource:
    return resource(f"aws:{type_}", name, props, **joined)


NO_DOMAIN = {"CustomDomain": "none"}
ACCEPTED = {**NO_DOMAIN, "AcceptedRisk": "no-custom-domain"}
FORBIDDEN = {"type": "fixed-response", "fixedResponse": {"statusCode": "403", "contentType": "text/plain"}}


def bucket(tags: dict[str, str] | None = None) -> PolicyResource:
    return r("s3/bucket:Bucket", "b", {"tags": tags or {}})


# --- resource rules: props -> messages ------------------------------------------------------

WAF_LOGS = "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-shop-edge"
REDACTED = [{"singleHeader": {"name": "authorization"}}, {"singleHeader": {"name": "cookie"}}]
CLOUDWATCH_READ_ONLY = "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess"

RESOURCE_CASES = [
    Case("backup-vault-encrypted-with-cmk", "cmk", {"name": "v", "kmsKeyArn": KEY}, []),
    Case("backup-vault-encrypted-with-cmk", "key not known yet", {"name": "v", "kmsKeyArn": UNKNOWN_VALUE}, []),
    Case("backup-vault-encrypted-with-cmk", "aws managed key", {"name": "v"},
         ["the vault uses the AWS managed key aws/backup (kmsKeyArn not set to a customer-managed key)"]),
    # observability
    Case("waf-logs-redact-credentials", "both headers", {"redactedFields": REDACTED}, []),
    Case("waf-logs-redact-credentials", "header names in any case",
         {"redactedFields": [{"singleHeader": {"name": "Authorization"}}, {"singleHeader": {"name": "COOKIE"}}]}, []),
    Case("waf-logs-redact-credentials", "cookie kept",
         {"redactedFields": [{"singleHeader": {"name": "authorization"}}, {"queryString": {}}]},
         ["the cookie header is logged in clear (redactedFields lacks singleHeader cookie)"]),
    Case("waf-logs-redact-credentials", "nothing redacted", {"logDestinationConfigs": [WAF_LOGS]},
         ["the authorization header is logged in clear (redactedFields lacks singleHeader authorization)",
          "the cookie header is logged in clear (redactedFields lacks singleHeader cookie)"]),
    Case("chatbot-channel-guardrails-least-privilege", "read-only guardrail",
         {"guardrailPolicyArns": [CLOUDWATCH_READ_ONLY]}, []),
    Case("chatbot-channel-guardrails-least-privilege", "no guardrail", {"slackChannelId": "C0123ABCD45"},
         ["no guardrailPolicyArns: Chatbot applies AdministratorAccess to the channel"]),
    Case("chatbot-channel-guardrails-least-privilege", "administrator",
         {"guardrailPolicyArns": ["arn:aws:iam::aws:policy/AdministratorAccess"]},
         ["guardrail arn:aws:iam::aws:policy/AdministratorAccess lets channel members administer the account"]),
    # data protection
    Case("rds-backup-retention-minimum", "a week", {"backupRetentionPeriod": 7.0}, []),
    Case("rds-backup-retention-minimum", "three days", {"backupRetentionPeriod": 3.0},
         ["backupRetentionPeriod is 3 days; the minimum is 7"]),
    Case("rds-deletion-protection", "on", {"deletionProtection": True}, []),
    Case("rds-deletion-protection", "off", {"deletionProtection": False}, ["deletionProtection is not true"]),
    Case("rds-final-snapshot", "kept with tags", {"skipFinalSnapshot": False, "copyTagsToSnapshot": True}, []),
    Case("rds-final-snapshot", "skipped", {"skipFinalSnapshot": True, "copyTagsToSnapshot": True},
         ["skipFinalSnapshot is true"]),
    Case("rds-multi-az", "on", {"multiAz": True}, []),
    Case("rds-multi-az", "single az", {"multiAz": False}, ["multiAz is not true"]),
    Case("rds-operational-defaults", "all on",
         {"iamDatabaseAuthenticationEnabled": True, "autoMinorVersionUpgrade": True, "monitoringInterval": 60.0}, []),
    Case("rds-operational-defaults", "no monitoring",
         {"iamDatabaseAuthenticationEnabled": True, "monitoringInterval": 0.0},
         ["enhanced monitoring is off (monitoringInterval 0)"]),
    Case("elasticache-automatic-failover", "multi az", {"automaticFailoverEnabled": True, "multiAzEnabled": True}, []),
    Case("elasticache-automatic-failover", "no multi az", {"automaticFailoverEnabled": True},
         ["multiAzEnabled is not true"]),
    Case("elasticache-backups", "a day", {"snapshotRetentionLimit": 1.0}, []),
    Case("elasticache-backups", "none", {}, ["snapshotRetentionLimit is 0"]),
    Case("instance-classes-allowed", "graviton", {"instanceClass": "db.t4g.micro"}, []),
    Case("instance-classes-allowed", "x86 node", {"nodeType": "cache.m5.large"},
         ["cache.m5.large is not in the allowed list cache.t4g.*, cache.t3.*, cache.m7g.*, cache.r7g.*"]),
    Case("alb-deletion-protection", "on", {"enableDeletionProtection": True}, []),
    Case("alb-deletion-protection", "left out", {}, ["enableDeletionProtection is not true"]),
    Case("alb-drops-invalid-headers", "network lb", {"loadBalancerType": "network"}, []),
    Case("alb-drops-invalid-headers", "application lb", {"loadBalancerType": "application"},
         ["dropInvalidHeaderFields is not true"]),
    Case("ecs-deployment-circuit-breaker", "rollback", {"deploymentCircuitBreaker": {"enable": True, "rollback": True}},
         []),
    Case("ecs-deployment-circuit-breaker", "no rollback", {"deploymentCircuitBreaker": {"enable": True}},
         ["the deployment circuit breaker with rollback is off"]),
    Case("ecs-spot-keeps-on-demand-base", "spot above an on-demand base",
         {"capacityProviderStrategies": [{"capacityProvider": "FARGATE", "base": 2, "weight": 0},
                                         {"capacityProvider": "FARGATE_SPOT", "weight": 1}]}, []),
    Case("ecs-spot-keeps-on-demand-base", "on demand", {"launchType": "FARGATE"}, []),
    Case("ecs-spot-keeps-on-demand-base", "all on spot",
         {"capacityProviderStrategies": [{"capacityProvider": "FARGATE", "weight": 1},
                                         {"capacityProvider": "FARGATE_SPOT", "weight": 1}]},
         ["every task runs on Fargate Spot: no FARGATE capacity provider with a base of at least one task"]),
    Case("ecs-rollback-alarms", "routed with alarms",
         {"loadBalancers": [{"targetGroupArn": "arn:tg"}],
          "alarms": {"alarmNames": ["api-5xx"], "enable": True, "rollback": True}}, []),
    Case("ecs-rollback-alarms", "worker without alarms", {"deploymentCircuitBreaker": {"enable": True}}, []),
    Case("ecs-rollback-alarms", "routed without alarms", {"loadBalancers": [{"targetGroupArn": "arn:tg"}]},
         ["deployments do not roll back on CloudWatch alarms (alarms.enable and alarms.rollback)"]),
    Case("ecs-rollback-alarms", "alarms without rollback",
         {"loadBalancers": [{"targetGroupArn": "arn:tg"}],
          "alarms": {"alarmNames": ["api-5xx"], "enable": True, "rollback": False}},
         ["deployments do not roll back on CloudWatch alarms (alarms.enable and alarms.rollback)"]),
    Case("ecs-rollback-alarms", "no alarm named",
         {"loadBalancers": [{"targetGroupArn": "arn:tg"}], "alarms": {"alarmNames": [], "enable": True,
                                                                     "rollback": True}},
         ["alarms.alarmNames is empty: no alarm can fail a deployment"]),
    Case("ecs-container-hardening", "non root read only", {"containerDefinitions": containers(**HARDENED)}, []),
    Case("ecs-container-hardening", "root privileged",
         {"containerDefinitions": containers(readonlyRootFilesystem=True, privileged=True)},
         ["container app runs as root", "container app is privileged"]),
    Case("ecr-image-scanning-and-immutable-tags", "scanned immutable",
         {"imageScanningConfiguration": {"scanOnPush": True}, "imageTagMutability": "IMMUTABLE"}, []),
    Case("ecr-image-scanning-and-immutable-tags", "mutable",
         {"imageScanningConfiguration": {"scanOnPush": True}, "imageTagMutability": "MUTABLE"},
         ["image tags are mutable"]),
    Case("ecr-registry-scans-every-push", "continuous",
         {"scanType": "ENHANCED", "rules": [{"scanFrequency": "CONTINUOUS_SCAN",
                                             "repositoryFilters": [{"filter": "*", "filterType": "WILDCARD"}]}]},
         []),
    Case("ecr-registry-scans-every-push", "manual or empty",
         {"scanType": "BASIC", "rules": [{"scanFrequency": "MANUAL", "repositoryFilters": []}]},
         ["rules[0] scans MANUAL: images are scanned only when someone asks",
          "rules[0] has no repository filter: it covers no repository"]),
    Case("ecr-registry-scans-every-push", "no rule", {"scanType": "BASIC"},
         ["no scanning rule: images are scanned only when someone asks"]),
    Case("cloudfront-waf-attached", "web acl", {"webAclId": "arn:aws:wafv2:us-east-1:123456789012:global/webacl/w/1"},
         []),
    Case("cloudfront-waf-attached", "none", {}, ["no webAclId"]),
    Case("lambda-runtime-supported", "node 24", {"runtime": "nodejs24.x"}, []),
    Case("lambda-runtime-supported", "node 18", {"runtime": "nodejs18.x"},
         ["runtime nodejs18.x is not one of nodejs22.x, nodejs24.x, python3.11, python3.12, python3.13, python3.14, "
          "java25, dotnet10, ruby3.4"]),
    Case("dynamodb-point-in-time-recovery", "35 days",
         {"pointInTimeRecovery": {"enabled": True, "recoveryPeriodInDays": 35.0}}, []),
    Case("dynamodb-point-in-time-recovery", "left out", {"billingMode": "PAY_PER_REQUEST"},
         ["pointInTimeRecovery.enabled is not true"]),
    Case("dynamodb-deletion-protection", "on", {"deletionProtectionEnabled": True}, []),
    Case("dynamodb-deletion-protection", "off", {"deletionProtectionEnabled": False},
         ["deletionProtectionEnabled is not true"]),
    Case("cognito-deletion-protection", "active", {"deletionProtection": "ACTIVE"}, []),
    Case("cognito-deletion-protection", "inactive", {"deletionProtection": "INACTIVE"},
         ["deletionProtection is not ACTIVE"]),
    # encryption at rest
    Case("rds-storage-encrypted-with-cmk", "cmk", {"storageEncrypted": True, "kmsKeyId": KEY}, []),
    Case("rds-storage-encrypted-with-cmk", "aws key", {"storageEncrypted": True, "kmsKeyId": AWS_KEY},
         ["storage is encrypted with the AWS managed key, not a customer-managed kmsKeyId"]),
    Case("rds-performance-insights-encrypted-with-cmk", "cmk",
         {"performanceInsightsEnabled": True, "performanceInsightsKmsKeyId": KEY}, []),
    Case("rds-performance-insights-encrypted-with-cmk", "no key", {"performanceInsightsEnabled": True},
         ["Performance Insights is on without performanceInsightsKmsKeyId"]),
    Case("elasticache-encrypted-at-rest-with-cmk", "cmk", {"atRestEncryptionEnabled": True, "kmsKeyId": KEY}, []),
    Case("elasticache-encrypted-at-rest-with-cmk", "redis left out", {"engine": "redis"},
         ["atRestEncryptionEnabled is not true"]),
    Case("log-group-encrypted-with-kms", "kms", {"name": "/app", "kmsKeyId": KEY}, []),
    Case("log-group-encrypted-with-kms", "none", {"name": "/app"}, ["log group /app has no kmsKeyId"]),
    Case("sns-topic-encrypted-with-kms", "cmk", {"kmsMasterKeyId": KEY}, []),
    Case("sns-topic-encrypted-with-kms", "aws key", {"kmsMasterKeyId": "alias/aws/sns"},
         ["the AWS managed key alias/aws/sns cannot be used by CloudWatch alarms or scoped by policy"]),
    Case("sqs-queue-encrypted-with-kms", "cmk", {"kmsMasterKeyId": KEY}, []),
    Case("sqs-queue-encrypted-with-kms", "sse-sqs", {"sqsManagedSseEnabled": True},
         ["kmsMasterKeyId is not set: messages are not under a key of the stack (SSE-SQS at best)"]),
    Case("ecr-repository-encrypted-with-kms", "kms", {"encryptionConfigurations": [{"encryptionType": "KMS"}]}, []),
    Case("ecr-repository-encrypted-with-kms", "aes", {"encryptionConfigurations": [{"encryptionType": "AES256"}]},
         ["encryptionConfigurations[0].encryptionType is not KMS"]),
    Case("secret-encrypted-with-cmk", "cmk", {"kmsKeyId": KEY}, []),
    Case("secret-encrypted-with-cmk", "default", {},
         ["kmsKeyId is not set: the secret uses the AWS managed key aws/secretsmanager"]),
    Case("lambda-environment-encrypted-with-cmk", "cmk", {"environment": {"variables": ENV}, "kmsKeyArn": KEY}, []),
    Case("lambda-environment-encrypted-with-cmk", "no key", {"environment": {"variables": ENV}},
         ["kmsKeyArn is not set: the environment is encrypted with a key AWS manages, not a customer-managed one"]),
    Case("dynamodb-table-encrypted-with-cmk", "cmk", {"serverSideEncryption": {"enabled": True, "kmsKeyArn": KEY}}, []),
    Case("dynamodb-table-encrypted-with-cmk", "aws managed key", {"serverSideEncryption": {"enabled": True}},
         ["the table is encrypted with the AWS managed key aws/dynamodb, not a customer-managed kmsKeyArn"]),
    Case("dynamodb-table-encrypted-with-cmk", "left out", {"billingMode": "PAY_PER_REQUEST"},
         ["serverSideEncryption is not enabled: the table is encrypted with a key AWS owns"]),
    Case("kms-key-rotation-enabled", "asymmetric", {"customerMasterKeySpec": "RSA_2048"}, []),
    Case("kms-key-rotation-enabled", "symmetric", {"enableKeyRotation": False}, ["enableKeyRotation is not true"]),
    # encryption in transit
    Case("elasticache-transit-encryption-required", "required",
         {"transitEncryptionEnabled": True, "transitEncryptionMode": "required"}, []),
    Case("elasticache-transit-encryption-required", "preferred",
         {"transitEncryptionEnabled": True, "transitEncryptionMode": "preferred"},
         ["transitEncryptionMode is 'preferred': clients may still connect without TLS"]),
    Case("elasticache-auth-required", "user groups", {"engine": "valkey", "userGroupIds": ["app"]}, []),
    Case("elasticache-auth-required", "open", {"engine": "redis"},
         ["neither an AUTH token nor user groups are set: any client in the network can connect"]),
    Case("alb-https-listener-uses-allowed-tls-policy", "tls13",
         {"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "certificateArn": CERT}, []),
    Case("alb-https-listener-uses-allowed-tls-policy", "2016 policy",
         {"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-2016-08", "certificateArn": CERT},
         ["sslPolicy 'ELBSecurityPolicy-2016-08' is not one of ELBSecurityPolicy-TLS13-1-2-2021-06, "
          "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"]),
    Case("cloudfront-viewer-https-only", "redirect",
         {"defaultCacheBehavior": {"viewerProtocolPolicy": "redirect-to-https"}}, []),
    Case("cloudfront-viewer-https-only", "allow all",
         {"defaultCacheBehavior": {"viewerProtocolPolicy": "redirect-to-https"},
          "orderedCacheBehaviors": [{"viewerProtocolPolicy": "allow-all"}]},
         ["a cache behaviour allows plain HTTP (allow-all)"]),
    Case("cloudfront-minimum-tls-version", "2025 policy", {"viewerCertificate": VIEWER}, []),
    Case("cloudfront-minimum-tls-version", "default certificate",
         {"viewerCertificate": {"cloudfrontDefaultCertificate": True}},
         ["the default *.cloudfront.net certificate allows TLSv1"]),
    Case("cloudfront-minimum-tls-version", "default certificate of a stack without a domain (no-custom-domain's)",
         {"viewerCertificate": {"cloudfrontDefaultCertificate": True}, "tags": NO_DOMAIN}, []),
    Case("cloudfront-origin-https-only", "vpc origin over http without a domain (no-custom-domain's)",
         {"vpcOriginEndpointConfig": {"originProtocolPolicy": "http-only",
                                      "originSslProtocols": {"items": ["TLSv1.2"], "quantity": 1.0}},
          "tags": NO_DOMAIN}, []),
    Case("cloudfront-origin-https-only", "https only",
         {"origins": [{"originId": "api", "customOriginConfig": {"originProtocolPolicy": "https-only",
                                                                 "originSslProtocols": ["TLSv1.2"]}}]}, []),
    Case("cloudfront-origin-https-only", "vpc origin over http",
         {"vpcOriginEndpointConfig": {"originProtocolPolicy": "http-only",
                                      "originSslProtocols": {"items": ["TLSv1.2"], "quantity": 1.0}}},
         ["the VPC origin allows HTTP to the load balancer"]),
    Case("apigateway-domain-minimum-tls-version", "tls 1.2", {"securityPolicy": "TLS_1_2"}, []),
    Case("apigateway-domain-minimum-tls-version", "tls 1.3 enhanced",
         {"securityPolicy": "SecurityPolicy_TLS13_1_3_2025_09"}, []),
    Case("apigateway-domain-minimum-tls-version", "tls 1.0", {"securityPolicy": "TLS_1_0"},
         ["securityPolicy 'TLS_1_0' is not one of TLS_1_2, SecurityPolicy_TLS13_*, SecurityPolicy_TLS12_*"]),
    # least privilege
    Case("cognito-password-policy", "12 mixed", {"passwordPolicy": STRONG_PASSWORDS}, []),
    Case("cognito-password-policy", "8 without symbols",
         {"passwordPolicy": {**STRONG_PASSWORDS, "minimumLength": 8.0, "requireSymbols": False}},
         ["passwordPolicy.minimumLength is 8; the minimum is 12",
          "passwords need not mix every character class (requireSymbols not true)"]),
    Case("cognito-mfa-enabled", "optional totp",
         {"mfaConfiguration": "OPTIONAL", "softwareTokenMfaConfiguration": {"enabled": True}}, []),
    Case("cognito-mfa-enabled", "off", {"mfaConfiguration": "OFF"},
         ["mfaConfiguration is OFF: no user can add a second factor"]),
    Case("cognito-threat-protection-enforced", "plus enforced",
         {"userPoolTier": "PLUS", "userPoolAddOns": {"advancedSecurityMode": "ENFORCED"}}, []),
    Case("cognito-threat-protection-enforced", "essentials has none", {"userPoolTier": "ESSENTIALS"}, []),
    Case("cognito-threat-protection-enforced", "plus audit only",
         {"userPoolTier": "PLUS", "userPoolAddOns": {"advancedSecurityMode": "AUDIT"}},
         ["threat protection is AUDIT on the PLUS plan, not ENFORCED"]),
    Case("ecs-secrets-not-in-environment", "plain settings",
         {"containerDefinitions": containers(environment=[{"name": "DB_HOST", "value": "db.internal"}])}, []),
    Case("ecs-secrets-not-in-environment", "url with password",
         {"containerDefinitions": containers(environment=[{"name": "DB_URL", "value": "postgres://u:p@db/app"}])},
         ["environment variable DB_URL holds credentials in a URL"]),
    Case("iam-no-aws-managed-admin-policies", "own policy", {"role": "r", "policyArn": OWN_POLICY}, []),
    Case("iam-no-aws-managed-admin-policies", "power user",
         {"role": "r", "policyArn": "arn:aws:iam::aws:policy/PowerUserAccess"},
         ["attaches arn:aws:iam::aws:policy/PowerUserAccess"]),
    Case("iam-no-aws-managed-policies", "own policy", {"role": "r", "policyArn": OWN_POLICY}, []),
    Case("iam-no-aws-managed-policies", "read only",
         {"role": "r", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
         ["attaches the AWS managed policy ReadOnlyAccess"]),
    Case("iam-no-star-resource-for-writes", "scoped put",
         {"policy": doc({"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/uploads/*"})}, []),
    Case("iam-no-star-resource-for-writes", "put anywhere",
         {"policy": doc({"Sid": "Put", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"})},
         ["statement Put allows s3:PutObject on every resource"]),
    Case("iam-no-wildcard-actions", "named actions",
         {"policy": doc({"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                         "Resource": "arn:aws:logs:me-south-1:123456789012:log-group:/app:*"})}, []),
    Case("iam-no-wildcard-actions", "service star",
         {"policy": doc({"Sid": "All", "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"})},
         ["statement All allows s3:*"]),
    Case("iam-pass-role-scoped", "named role and service",
         {"policy": doc({"Effect": "Allow", "Action": "iam:PassRole",
                         "Resource": "arn:aws:iam::123456789012:role/app-task",
                         "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}})}, []),
    Case("iam-pass-role-scoped", "any role",
         {"policy": doc({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"})},
         ["iam:PassRole on any role", "iam:PassRole without an iam:PassedToService condition"]),
    Case("iam-trust-only-service-principals", "service in this account", {"assumeRolePolicy": doc(SERVICE_TRUST)}, []),
    Case("iam-trust-only-service-principals", "another account",
         {"assumeRolePolicy": doc({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"},
                                   "Action": "sts:AssumeRole"})},
         ["the trust policy admits AWS principal arn:aws:iam::999999999999:root",
          "the trust policy has no aws:SourceAccount or aws:SourceArn condition (confused deputy)"]),
    Case("rds-master-password-managed", "rds manages it", {"manageMasterUserPassword": True}, []),
    Case("rds-master-password-managed", "password in code", {"password": "hunter2hunter2"},
         ["a master password is set in the program"]),
    # logging
    Case("log-group-retention-set", "a month", {"name": "/app", "retentionInDays": 30.0}, []),
    Case("log-group-retention-set", "for ever", {"name": "/app"}, ["log group /app keeps events for ever"]),
    Case("alb-access-logs-enabled", "to the log bucket", {"accessLogs": {"enabled": True, "bucket": "logs"}}, []),
    Case("alb-access-logs-enabled", "off", {"accessLogs": {"enabled": False, "bucket": "logs"}},
         ["access logs are off"]),
    Case("ecs-container-insights", "enhanced", {"settings": [{"name": "containerInsights", "value": "enhanced"}]}, []),
    Case("ecs-container-insights", "disabled", {"settings": [{"name": "containerInsights", "value": "disabled"}]},
         ["Container Insights is off"]),
    Case("ecs-container-logging", "awslogs", {"containerDefinitions": containers(**HARDENED)}, []),
    Case("ecs-container-logging", "no driver", {"containerDefinitions": containers()},
         ["container app has no logConfiguration"]),
    Case("lambda-tracing-active", "active", {"tracingConfig": {"mode": "Active"}}, []),
    Case("lambda-tracing-active", "pass through", {"tracingConfig": {"mode": "PassThrough"}},
         ["tracingConfig.mode is PassThrough, not Active: only requests sampled upstream are traced"]),
    Case("apigateway-stage-access-logging", "to a log group",
         {"accessLogSettings": {"destinationArn": LOG_GROUP, "format": "$context.requestId"}}, []),
    Case("apigateway-stage-access-logging", "none", {"stageName": "v1"},
         ["access logs are off (no accessLogSettings.destinationArn)"]),
    Case("apigateway-stage-xray-tracing", "traced", {"xrayTracingEnabled": True}, []),
    Case("apigateway-stage-xray-tracing", "left out", {"stageName": "v1"}, ["xrayTracingEnabled is not true"]),
    Case("apigateway-no-full-request-logging", "metrics and errors",
         {"methodPath": "*/*", "settings": {"metricsEnabled": True, "loggingLevel": "ERROR"}}, []),
    Case("apigateway-no-full-request-logging", "data trace",
         {"methodPath": "*/*", "settings": {"loggingLevel": "INFO", "dataTraceEnabled": True}},
         ["*/* logs full requests and responses (dataTraceEnabled)"]),
    # network exposure
    Case("rds-not-publicly-accessible", "private", {"publiclyAccessible": False}, []),
    Case("rds-not-publicly-accessible", "public", {"publiclyAccessible": True}, ["publiclyAccessible is true"]),
    Case("elasticache-in-vpc-subnets", "subnet and group", {"subnetGroupName": "cache", "securityGroupIds": ["sg-1"]},
         []),
    Case("elasticache-in-vpc-subnets", "no group", {"subnetGroupName": "cache"},
         ["no subnet group or no security group: the cache is not confined to the VPC's subnets"]),
    Case("ecs-service-without-public-ip", "private", {"networkConfiguration": {"assignPublicIp": False}}, []),
    Case("ecs-service-without-public-ip", "public ip", {"networkConfiguration": {"assignPublicIp": True}},
         ["assignPublicIp is true"]),
    Case("scheduler-ecs-tasks-without-public-ip", "private task",
         {"target": {"ecsParameters": {"networkConfiguration": {"subnets": ["s"], "assignPublicIp": False}}}}, []),
    Case("scheduler-ecs-tasks-without-public-ip", "rds target", {"target": {"arn": "arn:aws:scheduler:::aws-sdk:rds"}},
         []),
    Case("scheduler-ecs-tasks-without-public-ip", "public task",
         {"target": {"ecsParameters": {"networkConfiguration": {"subnets": ["s"], "assignPublicIp": True}}}},
         ["target.ecsParameters.networkConfiguration.assignPublicIp is true"]),
    Case("subnets-without-public-ip-on-launch", "public tier",
         {"mapPublicIpOnLaunch": True, "tags": {"Tier": "public"}}, []),
    Case("subnets-without-public-ip-on-launch", "private tier",
         {"mapPublicIpOnLaunch": True, "tags": {"Tier": "private"}},
         ["a non-public subnet assigns public IPs on launch"]),
    Case("s3-bucket-policy-grants-no-public-access", "one distribution",
         {"policy": doc({"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
                         "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
                         "Condition": {"StringEquals": {"AWS:SourceArn":
                                                        "arn:aws:cloudfront::123456789012:distribution/E1"}}})}, []),
    Case("s3-bucket-policy-grants-no-public-access", "anyone",
         {"policy": doc({"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                         "Resource": "arn:aws:s3:::b/*"})},
         ["statement Open allows anyone"]),
    Case("s3-bucket-policy-grants-no-public-access", "the buckets own grants to all users",
         {"grants": [{"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers",
                      "permissions": ["READ"]}]},
         ["an ACL grant gives READ to http://acs.amazonaws.com/groups/global/AllUsers"]),
    Case("cloudfront-s3-origins-use-oac", "oac", {"origins": [{**S3_ORIGIN, "originAccessControlId": "E2OAC"}]}, []),
    Case("cloudfront-s3-origins-use-oac", "legacy oai",
         {"origins": [{**S3_ORIGIN, "s3OriginConfig": {"originAccessIdentity": OAI}}]},
         ["origin site uses a legacy origin access identity"]),
    Case("ec2-imdsv2-required", "tokens hop 1", {"metadataOptions": {"httpTokens": "required",
                                                                      "httpPutResponseHopLimit": 1.0}}, []),
    Case("ec2-imdsv2-required", "imdsv1",
         {"metadataOptions": {"httpTokens": "optional", "httpPutResponseHopLimit": 1.0}},
         ["metadataOptions.httpTokens is not required: IMDSv1 answers unauthenticated requests"]),
    Case("lambda-not-publicly-invokable", "one api route",
         {"principal": "apigateway.amazonaws.com", "sourceArn": f"{EXECUTE_API}/*/GET/products"}, []),
    Case("lambda-not-publicly-invokable", "anyone", {"principal": "*", "action": "lambda:InvokeFunction"},
         ["principal '*' lets anyone invoke the function"]),
    Case("lambda-not-publicly-invokable", "any bucket", {"principal": "s3.amazonaws.com"},
         ["s3.amazonaws.com may invoke the function for any account's resources: no sourceArn or sourceAccount"]),
    Case("lambda-not-publicly-invokable", "a bucket of any account",
         {"principal": "s3.amazonaws.com", "sourceArn": "arn:aws:s3:::uploads"},
         ["s3.amazonaws.com without sourceAccount: a bucket ARN names no account, and a freed name is anyone's"]),
    Case("secret-policy-blocks-public-policies", "blocked", {"policy": doc(), "blockPublicPolicy": True}, []),
    Case("secret-policy-blocks-public-policies", "left out", {"policy": doc()},
         ["blockPublicPolicy is not true: Secrets Manager accepts a public policy (its default)"]),
]  # fmt: skip


# --- stack rules: resources -> {resource name: messages} -------------------------------------


def _repository(with_lifecycle: bool) -> list[PolicyResource]:
    repo = r("ecr/repository:Repository", "repo", {})
    return [repo, *([r("ecr/lifecyclePolicy:LifecyclePolicy", "keep", {}, repository=repo)] if with_lifecycle else [])]


def _destroy(force: bool) -> list[PolicyResource]:
    return [r("s3/bucket:Bucket", "uploads", {"forceDestroy": force}), r("secretsmanager/secret:Secret", "s", {})]


def _instance_with_root(volume: dict[str, Any]) -> list[PolicyResource]:
    return [r("ec2/instance:Instance", "nat", {"rootBlockDevice": volume, "subnetId": "subnet-1"})]


def _private_bucket(rules: list[dict[str, Any]]) -> list[PolicyResource]:
    b = bucket({"DataClass": "private"})
    encryption = "s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    return [b, r(encryption, "enc", {"rules": rules}, bucket=b)]


def _legacy_bucket() -> PolicyResource:
    """A BucketV2 of a pulumi-aws v6 program: the inline encryption block comes as lists."""
    encryption = {
        "rules": [{"applyServerSideEncryptionByDefaults": [{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY}]}]
    }
    props = {"tags": {"DataClass": "private"}, "serverSideEncryptionConfigurations": [encryption]}
    return r("s3/bucketV2:BucketV2", "b", props)


def _listener(
    default_actions: list[dict[str, Any]], *, internal: bool = False, tags: dict[str, str] | None = None
) -> list[PolicyResource]:
    balancer = r("lb/loadBalancer:LoadBalancer", "alb", {"loadBalancerType": "application", "internal": internal})
    props = {"port": 80.0, "protocol": "HTTP", "defaultActions": default_actions, "tags": tags or {}}
    return [r("lb/listener:Listener", "http", props, loadBalancerArn=balancer), balancer]


def _no_domain_stack(tags: dict[str, str]) -> list[PolicyResource]:
    """A distribution, its VPC origin and the ALB's listener, tagged as a stack without a domain tags them."""
    edge = r("cloudfront/distribution:Distribution", "edge",
             {"viewerCertificate": {"cloudfrontDefaultCertificate": True}, "tags": tags})  # fmt: skip
    origin = r("cloudfront/vpcOrigin:VpcOrigin", "origin",
               {"vpcOriginEndpointConfig": {"originProtocolPolicy": "http-only"}, "tags": tags})  # fmt: skip
    return [edge, origin, *_listener([FORBIDDEN], internal=True, tags=tags)]


def _postgres(force_ssl: str | None, version: str) -> list[PolicyResource]:
    parameters = [] if force_ssl is None else [{"name": "rds.force_ssl", "value": force_ssl}]
    group = r("rds/parameterGroup:ParameterGroup", "params", {"family": f"postgres{version}", "parameters": parameters})
    instance = r(
        "rds/instance:Instance", "db", {"engine": "postgres", "engineVersion": version}, parameterGroupName=group
    )
    return [instance, group]


def _bucket_policy(statement: dict[str, Any]) -> list[PolicyResource]:
    b = bucket()
    return [b, r("s3/bucketPolicy:BucketPolicy", "policy", {"policy": doc(statement)}, bucket=b)]


def _role(inline: bool) -> list[PolicyResource]:
    role = r("iam/role:Role", "role", {"inlinePolicies": [{"name": "p", "policy": doc()}] if inline else []})
    return [role, r("iam/rolePolicy:RolePolicy", "extra", {"policy": doc()}, role=role)]


def _group(inline: bool) -> list[PolicyResource]:
    rule = {"protocol": "tcp", "fromPort": 443.0, "toPort": 443.0, "cidrBlocks": ["10.0.0.0/16"]}
    group = r("ec2/securityGroup:SecurityGroup", "sg", {"ingress": [rule] if inline else []})
    ingress = "vpc/securityGroupIngressRule:SecurityGroupIngressRule"
    return [group, r(ingress, "https", {"fromPort": 443.0, "toPort": 443.0, "cidrIpv4": "10.0.0.0/16"},
                     securityGroupId=group)]  # fmt: skip


def _alarm_topic(subscribed: bool) -> list[PolicyResource]:
    topic = r("sns/topic:Topic", "alerts", {})
    alarm = r("cloudwatch/metricAlarm:MetricAlarm", "cpu", {}, alarmActions=topic)
    subscription = r("sns/topicSubscription:TopicSubscription", "oncall", {"protocol": "email"}, topic=topic)
    return [topic, alarm, *([subscription] if subscribed else [])]


def _distribution(logged: bool) -> list[PolicyResource]:
    distribution = r("cloudfront/distribution:Distribution", "cdn", {})
    source = r("cloudwatch/logDeliverySource:LogDeliverySource", "logs", {"logType": "ACCESS_LOGS"},
               resourceArn=distribution)  # fmt: skip
    return [distribution, *([source] if logged else [])]


def _logged_bucket(logged: bool) -> list[PolicyResource]:
    b = bucket({"DataClass": "private"})
    return [b, *([r("s3/bucketLogging:BucketLogging", "log", {"targetBucket": "logs"}, bucket=b)] if logged else [])]


def _web_acl(logging: dict[str, Any] | None) -> list[PolicyResource]:
    acl = r("wafv2/webAcl:WebAcl", "edge", {"scope": "CLOUDFRONT"})
    if logging is None:
        return [acl]
    return [acl, r("wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "logs", logging, resourceArn=acl)]


def _vpc(with_flow_log: bool, default_group: dict[str, Any] | None = None) -> list[PolicyResource]:
    vpc = r("ec2/vpc:Vpc", "vpc", {"cidrBlock": "10.0.0.0/16"})
    flow = r("ec2/flowLog:FlowLog", "flow", {"trafficType": "ALL"}, vpcId=vpc)
    group = r("ec2/defaultSecurityGroup:DefaultSecurityGroup", "default", default_group or {}, vpcId=vpc)
    return [vpc, *([flow] if with_flow_log else []), group]


def _public_instance(nat: bool) -> list[PolicyResource]:
    props = {"associatePublicIpAddress": True, "subnetId": "subnet-pub", "sourceDestCheck": not nat}
    return [r("ec2/instance:Instance", "box", props)]


def _nat_routes(nat_az_of_second: str, instance: bool = False) -> list[PolicyResource]:
    """Two private subnets (AZs a and b), each with its own route table whose default route goes to a
    NAT in AZ a (the first) or ``nat_az_of_second`` (the second), as gateways or instances."""
    found: list[PolicyResource] = []
    for index, az in enumerate(("me-south-1a", "me-south-1b")):
        public = r("ec2/subnet:Subnet", f"public-{index}", {"availabilityZone": az})
        nat_subnet = public if index == 0 or nat_az_of_second == az else found[0]
        if instance:
            nat = r("ec2/instance:Instance", f"nat-{index}", {"sourceDestCheck": False}, subnetId=nat_subnet)
        else:
            nat = r("ec2/natGateway:NatGateway", f"nat-{index}", {}, subnetId=nat_subnet)
        private = r("ec2/subnet:Subnet", f"private-{index}", {"availabilityZone": az})
        table = r("ec2/routeTable:RouteTable", f"private-rt-{index}", {})
        target = {"networkInterfaceId": nat} if instance else {"natGatewayId": nat}
        route = r("ec2/route:Route", f"default-{index}", {"destinationCidrBlock": "0.0.0.0/0"},
                  routeTableId=table, **target)  # fmt: skip
        association = r("ec2/routeTableAssociation:RouteTableAssociation", f"rta-{index}", {},
                        subnetId=private, routeTableId=table)  # fmt: skip
        found += [public, nat, private, table, route, association]
    return found


def _blocked_bucket(all_four: bool) -> list[PolicyResource]:
    b = bucket()
    blocks = ALL_BLOCKS if all_four else {**ALL_BLOCKS, "restrictPublicBuckets": False}
    return [b, r("s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "block", blocks, bucket=b)]


def _world_ingress(port: float, on_load_balancer: bool, protocol: str = "tcp") -> list[PolicyResource]:
    group = r("ec2/securityGroup:SecurityGroup", "sg", {})
    ingress = r("vpc/securityGroupIngressRule:SecurityGroupIngressRule", "in",
                {"fromPort": port, "toPort": port, "cidrIpv4": "0.0.0.0/0", "ipProtocol": protocol},
                securityGroupId=group)  # fmt: skip
    balancer = r("lb/loadBalancer:LoadBalancer", "alb", {}, securityGroups=group)
    return [group, ingress, *([balancer] if on_load_balancer else [])]


def _function(dead_letters: bool, on_failure: bool = False) -> list[PolicyResource]:
    """A function, with a dead-letter queue or an event invoke config sending failures elsewhere."""
    queue = {"targetArn": "arn:aws:sqs:me-south-1:123456789012:f-dlq"}
    function = r("lambda/function:Function", "f", {"deadLetterConfig": queue} if dead_letters else {})
    failures = {"onFailure": {"destination": "arn:aws:sns:me-south-1:123456789012:failures"}}
    invoke = r("lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "async",
               {"destinationConfig": failures}, functionName=function)  # fmt: skip
    return [function, *([invoke] if on_failure else [])]


def _stage(stage: dict[str, Any], *settings: tuple[str, dict[str, Any]], waf: bool = False) -> list[PolicyResource]:
    """A REST API stage, its method settings (path, settings) and, with waf, a web ACL association."""
    api = r("apigateway/restApi:RestApi", "api", {"name": "shop"})
    staged = r("apigateway/stage:Stage", "stage", {"stageName": "v1", **stage}, restApi=api)
    acl = r("wafv2/webAclAssociation:WebAclAssociation", "waf", {"webAclArn": "arn:aws:wafv2:acl"}, resourceArn=staged)
    method_settings = [
        r("apigateway/methodSettings:MethodSettings", path.replace("/", "-").replace("*", "all"),
          {"methodPath": path, "settings": values}, stageName=staged, restApi=api)
        for path, values in settings
    ]  # fmt: skip
    return [api, staged, *method_settings, *([acl] if waf else [])]


ENCRYPTED_CACHE = {"cachingEnabled": True, "cacheDataEncrypted": True, "cacheTtlInSeconds": 300.0}
THROTTLING = {"throttlingRateLimit": 100.0, "throttlingBurstLimit": 200.0, "metricsEnabled": True}


def _provider(tags: dict[str, str]) -> list[PolicyResource]:
    return [resource("pulumi:providers:aws", "aws", {"defaultTags": json.dumps({"tags": tags})})]


EXEC_LOGGED = {"kmsKeyId": KEY, "logging": "OVERRIDE",
               "logConfiguration": {"cloudWatchLogGroupName": "/ecs/acme-api/exec-sessions",
                                    "cloudWatchEncryptionEnabled": True}}  # fmt: skip


def _exec_service(exec_config: dict[str, Any] | None, enabled: bool = True) -> list[PolicyResource]:
    """A service with execute-command on (or off) and its cluster with this exec configuration."""
    props = {"configuration": {"executeCommandConfiguration": exec_config}} if exec_config is not None else {}
    cluster = r("ecs/cluster:Cluster", "cluster", props)
    return [cluster, r("ecs/service:Service", "svc", {"enableExecuteCommand": enabled}, cluster=cluster)]


REQUIRED_TAGS = {"Project": "webstack", "Environment": "prod", "ManagedBy": "pulumi"}
KMS_DEFAULT = {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY}}
DSSE_KMS = {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms:dsse", "kmsMasterKeyId": KEY}}
SSE_S3 = {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}

COPY_VAULT = "arn:aws:backup:eu-central-1:123456789012:backup-vault:acme-copies"


def _backed_up(copy_to: str | None, selected: bool = True, replica: bool = False) -> list[PolicyResource]:
    """A database (and a read replica), a backup plan copying to ``copy_to`` (None: no copy), and a
    selection naming the database (or nothing), in a stack whose provider is in me-south-1."""
    provider = resource("pulumi:providers:aws", "aws", {"region": "me-south-1"})
    database = r("rds/instance:Instance", "db", {"identifier": "acme-db"})
    rules = [{"ruleName": "daily", "copyActions": [{"destinationVaultArn": copy_to}] if copy_to else []}]
    plan = r("backup/plan:Plan", "plan", {"rules": rules})
    selection = r(
        "backup/selection:Selection", "selection", {}, planId=plan, **({"resources": database} if selected else {})
    )
    extra = [r("rds/instance:Instance", "replica", {"replicateSourceDb": "acme-db"})] if replica else []
    return [provider, database, plan, selection, *extra]


def _replication(rule: dict[str, Any] | None = None, replica_versioned: bool = True) -> list[PolicyResource]:
    """uploads replicated into uploads-replica: both versioned (unless told), CMKs on both."""
    source = r("s3/bucket:Bucket", "uploads", {})
    replica = r("s3/bucket:Bucket", "uploads-replica", {})
    versionings = [
        r("s3/bucketVersioning:BucketVersioning", f"{b.name}-versioning",
          {"versioningConfiguration": {"status": "Enabled"}}, bucket=b)
        for b in (source, *([replica] if replica_versioned else []))
    ]  # fmt: skip
    protected = {
        "id": "all", "sourceSelectionCriteria": {"sseKmsEncryptedObjects": {"status": "Enabled"}},
        "destination": {"bucket": "arn:aws:s3:::uploads-replica", "encryptionConfiguration": {"replicaKmsKeyId": KEY},
                        "replicationTime": {"status": "Enabled"}, "metrics": {"status": "Enabled"}},
    }  # fmt: skip
    props = {"bucket": "uploads", "rules": [rule if rule is not None else protected]}
    config = r("s3/bucketReplicationConfig:BucketReplicationConfig", "replication", props, bucket=source, rules=replica)
    return [source, replica, *versionings, config]


def _replication_role(*statements: dict[str, Any], attach: str | None = None) -> list[PolicyResource]:
    source = r("s3/bucket:Bucket", "uploads", {})
    encryption = r("s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "enc",
                   {"rules": [KMS_DEFAULT]}, bucket=source)  # fmt: skip
    role = r("iam/role:Role", "replication-role", {})
    policy = r("iam/rolePolicy:RolePolicy", "replication-role-policy", {"policy": doc(*statements)}, role=role)
    config = r("s3/bucketReplicationConfig:BucketReplicationConfig", "replication",
               {"bucket": "uploads", "rules": [{"destination": {"bucket": "arn:aws:s3:::uploads-replica",
                                                                "encryptionConfiguration": {"replicaKmsKeyId": KEY}}}]},
               bucket=source, role=role)  # fmt: skip
    extra = (
        [r("iam/rolePolicyAttachment:RolePolicyAttachment", "attached", {"policyArn": attach}, role=role)]
        if attach
        else []
    )
    return [source, encryption, role, policy, config, *extra]


def _grant(resource_: str | list[str], action: str = "s3:ReplicateObject") -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource_}


STACK_CASES = [
    Case("waf-web-acl-logging-enabled", "logged", lambda: _web_acl({"logDestinationConfigs": [WAF_LOGS]}), {}),
    Case("waf-web-acl-logging-enabled", "no configuration", lambda: _web_acl(None),
         {"edge": ["web ACL has no logging configuration with a destination: blocked attacks leave no trace"]}),
    Case("waf-web-acl-logging-enabled", "no destination", lambda: _web_acl({"redactedFields": REDACTED}),
         {"edge": ["web ACL has no logging configuration with a destination: blocked attacks leave no trace"]}),
    Case("ecr-repository-lifecycle-policy", "with policy", lambda: _repository(True), {}),
    Case("ecr-repository-lifecycle-policy", "without", lambda: _repository(False),
         {"repo": ["repository has no lifecycle policy"]}),
    Case("data-kept-on-destroy", "kept", lambda: _destroy(False), {}),
    Case("data-kept-on-destroy", "force destroy", lambda: _destroy(True),
         {"uploads": ["destroy deletes 1 resources with their data (Bucket)"]}),
    Case("ec2-volumes-encrypted-with-cmk", "cmk root",
         lambda: _instance_with_root({"encrypted": True, "kmsKeyId": KEY}), {}),
    Case("ec2-volumes-encrypted-with-cmk", "unencrypted root", lambda: _instance_with_root({"volumeSize": 8.0}),
         {"nat": ["root volume is not encrypted"]}),
    Case("s3-private-data-encrypted-with-cmk", "cmk", lambda: _private_bucket([KMS_DEFAULT]), {}),
    Case("s3-private-data-encrypted-with-cmk", "dsse-kms", lambda: _private_bucket([DSSE_KMS]), {}),
    Case("s3-private-data-encrypted-with-cmk", "bucketv2 inline lists", lambda: [_legacy_bucket()], {}),
    Case("s3-private-data-encrypted-with-cmk", "sse-s3", lambda: _private_bucket([SSE_S3]),
         {"b": ["private-data bucket is not encrypted with a customer-managed KMS key"]}),
    Case("alb-http-listener-only-redirects", "redirect",
         lambda: _listener([{"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443",
                                                              "statusCode": "HTTP_301"}}]), {}),
    Case("alb-http-listener-only-redirects", "forward",
         lambda: _listener([{"type": "forward", "targetGroupArn": "tg"}]),
         {"http": ["the HTTP listener serves traffic instead of redirecting it to HTTPS"]}),
    Case("alb-http-listener-only-redirects", "no domain: 403 on an internal ALB (no-custom-domain's)",
         lambda: _listener([FORBIDDEN], internal=True, tags=NO_DOMAIN), {}),
    Case("alb-http-listener-only-redirects", "no-domain tag on an internet-facing ALB",
         lambda: _listener([FORBIDDEN], internal=False, tags=NO_DOMAIN),
         {"http": ["the HTTP listener serves traffic instead of redirecting it to HTTPS"]}),
    Case("no-custom-domain", "own domain", lambda: _no_domain_stack({}), {}),
    Case("no-custom-domain", "no domain, not accepted", lambda: _no_domain_stack(NO_DOMAIN),
         {"edge": ["viewers reach CloudFront's default *.cloudfront.net certificate, on which CloudFront still "
                   "negotiates TLSv1 and TLSv1.1 whatever minimumProtocolVersion says"],
          "origin": ["CloudFront reaches the load balancer over HTTP through the VPC origin (inside AWS's network, "
                     "no TLS): no public certificate can name a load balancer without a domain"],
          "http": ["the load balancer takes plain HTTP from CloudFront's VPC origin"]}),
    Case("no-custom-domain", "no domain, accepted", lambda: _no_domain_stack(ACCEPTED), {}),
    Case("no-custom-domain-accepted", "no domain, not accepted", lambda: _no_domain_stack(NO_DOMAIN), {}),
    Case("no-custom-domain-accepted", "accepted: listed", lambda: _no_domain_stack(ACCEPTED),
         {"edge": ["accepted: viewers reach CloudFront's default *.cloudfront.net certificate, on which CloudFront "
                   "still negotiates TLSv1 and TLSv1.1 whatever minimumProtocolVersion says"],
          "origin": ["accepted: CloudFront reaches the load balancer over HTTP through the VPC origin (inside AWS's "
                     "network, no TLS): no public certificate can name a load balancer without a domain"],
          "http": ["accepted: the load balancer takes plain HTTP from CloudFront's VPC origin"]}),
    Case("no-custom-domain-accepted", "acceptance without the no-domain tag lists nothing",
         lambda: _no_domain_stack({"AcceptedRisk": "no-custom-domain"}), {}),
    Case("rds-requires-tls", "force ssl", lambda: _postgres("1", "14"), {}),
    Case("rds-requires-tls", "force ssl off", lambda: _postgres("0", "16"),
         {"db": ["the instance's parameter group sets rds.force_ssl=0"]}),
    Case("s3-bucket-denies-insecure-transport", "deny", lambda: _bucket_policy(TLS_DENY), {}),
    Case("s3-bucket-denies-insecure-transport", "the buckets own policy input",
         lambda: [r("s3/bucket:Bucket", "b", {"policy": doc(TLS_DENY)})], {}),
    Case("s3-bucket-denies-insecure-transport", "deny only puts",
         lambda: _bucket_policy({**TLS_DENY, "Action": "s3:PutObject"}),
         {"b": ["no bucket policy denies non-TLS requests"]}),
    Case("iam-role-no-policy-management-conflicts", "separate only", lambda: _role(False), {}),
    Case("iam-role-no-policy-management-conflicts", "both", lambda: _role(True),
         {"role": ["role has inline/managed policies on the Role and separate policy resources"]}),
    Case("security-group-no-rule-management-conflicts", "separate only", lambda: _group(False), {}),
    Case("security-group-no-rule-management-conflicts", "both", lambda: _group(True),
         {"sg": ["group has inline rules and separate rule resources"]}),
    Case("alarm-topics-have-subscribers", "subscribed", lambda: _alarm_topic(True), {}),
    Case("alarm-topics-have-subscribers", "nobody", lambda: _alarm_topic(False),
         {"alerts": ["1 alarms notify this topic and nobody is subscribed to it"]}),
    Case("cloudfront-access-logging", "v2 logs", lambda: _distribution(True), {}),
    Case("cloudfront-access-logging", "none", lambda: _distribution(False),
         {"cdn": ["distribution has no access logging"]}),
    Case("s3-bucket-access-logging", "logged", lambda: _logged_bucket(True), {}),
    Case("s3-bucket-access-logging", "the buckets own logging input",
         lambda: [r("s3/bucket:Bucket", "b", {"logging": {"targetBucket": "logs", "targetPrefix": "s3/"}})], {}),
    Case("s3-bucket-access-logging", "not logged", lambda: _logged_bucket(False),
         {"b": ["bucket has no server access logging"]}),
    Case("vpc-flow-logs-enabled", "flow log", lambda: _vpc(True), {}),
    Case("vpc-flow-logs-enabled", "none", lambda: _vpc(False), {"vpc": ["VPC has no flow log"]}),
    Case("default-security-group-has-no-rules", "adopted empty", lambda: _vpc(True), {}),
    Case("default-security-group-has-no-rules", "adopted with rules",
         lambda: _vpc(True, {"ingress": [{"protocol": "-1", "fromPort": 0.0, "toPort": 0.0, "self": True}]}),
         {"default": ["the default security group has rules"]}),
    Case("nat-per-az", "a gateway per az", lambda: _nat_routes("me-south-1b"), {}),
    Case("nat-per-az", "an instance per az", lambda: _nat_routes("me-south-1b", instance=True), {}),
    Case("nat-per-az", "one gateway for both", lambda: _nat_routes("me-south-1a"),
         {"default-1": ["subnet private-1 (me-south-1b) goes out through nat-1 in me-south-1a"]}),
    Case("nat-per-az", "one instance for both", lambda: _nat_routes("me-south-1a", instance=True),
         {"default-1": ["subnet private-1 (me-south-1b) goes out through nat-1 in me-south-1a"]}),
    Case("ec2-public-ip-only-on-nat-instances", "nat instance", lambda: _public_instance(True), {}),
    Case("ec2-public-ip-only-on-nat-instances", "web server", lambda: _public_instance(False),
         {"box": ["has a public IP (associatePublicIpAddress) but is not a NAT instance (sourceDestCheck is on)"]}),
    Case("s3-bucket-public-access-blocked", "all four", lambda: _blocked_bucket(True), {}),
    Case("s3-bucket-public-access-blocked", "three", lambda: _blocked_bucket(False),
         {"b": ["bucket lacks a public-access block with all four settings true"]}),
    Case("security-groups-closed-to-the-world", "443 on the alb", lambda: _world_ingress(443.0, True), {}),
    Case("security-groups-closed-to-the-world", "ssh", lambda: _world_ingress(22.0, False),
         {"in": ["ingress from the whole internet on ['22']"]}),
    # -1 admits every port whatever ports the rule names (EC2 IpPermission.IpProtocol).
    Case("security-groups-closed-to-the-world", "every protocol on the alb", lambda: _world_ingress(443.0, True, "-1"),
         {"in": ["ingress from the whole internet on ['443']"]}),
    Case("lambda-failed-async-events-kept", "dead-letter queue", lambda: _function(True), {}),
    Case("lambda-failed-async-events-kept", "on-failure destination", lambda: _function(False, on_failure=True), {}),
    Case("lambda-failed-async-events-kept", "neither", lambda: _function(False),
         {"f": ["failed asynchronous events are dropped: no dead-letter queue, no on-failure destination"]}),
    Case("apigateway-cache-encrypted", "no cache", lambda: _stage({}, ("*/*", THROTTLING)), {}),
    Case("apigateway-cache-encrypted", "cache off by default, one route encrypted",
         lambda: _stage({"cacheClusterEnabled": True}, ("*/*", {**THROTTLING, "cachingEnabled": False}),
                        ("products/GET", ENCRYPTED_CACHE)), {}),
    Case("apigateway-cache-encrypted", "one route unencrypted",
         lambda: _stage({"cacheClusterEnabled": True}, ("*/*", {"cacheDataEncrypted": True}),
                        ("products/GET", {"cachingEnabled": True})),
         {"products-GET": ["products/GET caches answers unencrypted"]}),
    Case("apigateway-cache-encrypted", "gets cache by default",
         lambda: _stage({"cacheClusterEnabled": True}, ("*/*", THROTTLING), ("products/GET", ENCRYPTED_CACHE)),
         {"stage": ["no */* method settings encrypt the stage's cache or turn it off: GET methods cache by default"]}),
    Case("apigateway-waf-attached", "web acl", lambda: _stage({}, waf=True), {}),
    Case("apigateway-waf-attached", "none", lambda: _stage({}),
         {"stage": ["no WAF web ACL is associated with the stage"]}),
    Case("ecs-exec-sessions-encrypted-and-logged", "cmk and encrypted log group", lambda: _exec_service(EXEC_LOGGED),
         {}),
    Case("ecs-exec-sessions-encrypted-and-logged", "exec off on a bare cluster",
         lambda: _exec_service(None, enabled=False), {}),
    Case("ecs-exec-sessions-encrypted-and-logged", "to an encrypted bucket",
         lambda: _exec_service({"kmsKeyId": KEY, "logging": "OVERRIDE",
                                "logConfiguration": {"s3BucketName": "logs", "s3EncryptionEnabled": True}}), {}),
    Case("ecs-exec-sessions-encrypted-and-logged", "bare cluster", lambda: _exec_service(None),
         {"svc": ["execute-command is on, but the cluster names no KMS key for exec sessions "
                  "(executeCommandConfiguration.kmsKeyId)",
                  "execute-command is on, but exec sessions are not logged to a log group or bucket of their own "
                  "(logging DEFAULT, not OVERRIDE)"]}),
    Case("ecs-exec-sessions-encrypted-and-logged", "unencrypted log group",
         lambda: _exec_service({**EXEC_LOGGED, "logConfiguration": {"cloudWatchLogGroupName": "/exec"}}),
         {"svc": ["execute-command is on, but exec sessions are not logged to an encrypted log group or bucket "
                  "(cloudWatchEncryptionEnabled)"]}),
    Case("ecs-exec-sessions-encrypted-and-logged", "cluster outside the stack",
         lambda: [r("ecs/service:Service", "svc", {"enableExecuteCommand": True, "cluster": "arn:cluster"})],
         {"svc": ["execute-command is on, but the service's cluster is not in the stack to show that its sessions "
                  "are encrypted and logged"]}),
    Case("data-stores-backed-up-to-another-region", "copied to eu-central-1", lambda: _backed_up(COPY_VAULT), {}),
    Case("data-stores-backed-up-to-another-region", "copy vault not known yet, replica skipped",
         lambda: _backed_up(UNKNOWN_VALUE, replica=True), {}),
    Case("data-stores-backed-up-to-another-region", "in no plan", lambda: _backed_up(COPY_VAULT, selected=False),
         {"db": ["not in any AWS Backup plan (no selection names it)"]}),
    Case("data-stores-backed-up-to-another-region", "no copy", lambda: _backed_up(None),
         {"db": ["its backup plan copies nothing to another region: the loss of the region loses the backups"]}),
    Case("data-stores-backed-up-to-another-region", "copy in the same region",
         lambda: _backed_up("arn:aws:backup:me-south-1:123456789012:backup-vault:other"),
         {"db": ["its backup plan copies only within the stack's region (me-south-1)"]}),
    Case("s3-replication-to-a-protected-replica", "versioned, cmk, rtc", _replication, {}),
    Case("s3-replication-to-a-protected-replica", "replica unversioned", lambda: _replication(replica_versioned=False),
         {"replication": ["the replica bucket uploads-replica is not versioned"]}),
    Case("s3-replication-to-a-protected-replica", "bare rule",
         lambda: _replication({"id": "all", "destination": {"bucket": "arn:aws:s3:::uploads-replica"}}),
         {"replication": ["rule all: replicas are not re-encrypted with a CMK (replicaKmsKeyId)",
                          "rule all: objects encrypted with SSE-KMS are not replicated",
                          "rule all: replicationTime (Replication Time Control) is off",
                          "rule all: metrics (Replication Time Control) is off"]}),
    Case("s3-replication-role-least-privilege", "two buckets, two keys",
         lambda: _replication_role(_grant("arn:aws:s3:::uploads"), _grant(["arn:aws:s3:::uploads-replica/*", KEY])),
         {}),
    Case("s3-replication-role-least-privilege", "any bucket", lambda: _replication_role(_grant("*")),
         {"replication-role": ["role replication-role may use *, beyond its two buckets and two keys"]}),
    Case("s3-replication-role-least-privilege", "a managed policy too",
         lambda: _replication_role(_grant("arn:aws:s3:::uploads"), attach="arn:aws:iam::aws:policy/AmazonS3FullAccess"),
         {"replication-role": ["role replication-role also holds arn:aws:iam::aws:policy/AmazonS3FullAccess"]}),
    Case("required-tags-present", "all three", lambda: _provider(REQUIRED_TAGS), {}),
    Case("required-tags-present", "no managed by", lambda: _provider({"Project": "webstack", "Environment": "prod"}),
         {"aws": ["provider default_tags lack ManagedBy"]}),
]  # fmt: skip


# --- the account baseline (webstack:kind: account) and secrets rotation --------------------------

TRAIL = {
    "isMultiRegionTrail": True,
    "includeGlobalServiceEvents": True,
    "enableLogFileValidation": True,
    "kmsKeyId": KEY,
    "eventSelectors": [{"readWriteType": "All", "includeManagementEvents": True}],
    "cloudWatchLogsGroupArn": "arn:aws:logs:me-south-1:123456789012:log-group:/aws/cloudtrail/t:*",
    "cloudWatchLogsRoleArn": "arn:aws:iam::123456789012:role/trail-to-logs",
}
SLR = "arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"


def _recorder(
    role: dict[str, Any] | None, all_supported: bool = True, started: bool | None = True
) -> list[PolicyResource]:
    """A recorder whose roleArn came from ``role`` (a service-linked role's inputs) or is SLR, and its status."""
    props = {"roleArn": SLR, "recordingGroup": {"allSupported": all_supported}}
    joined = {"roleArn": r("iam/serviceLinkedRole:ServiceLinkedRole", "slr", role)} if role is not None else {}
    recorder = r("cfg/recorder:Recorder", "recorder", props, **joined)
    if started is None:
        return [recorder]
    # Its input "name" came from the recorder (resource() takes joined inputs as keywords, and name is its own).
    status = resource("aws:cfg/recorderStatus:RecorderStatus", "status", {"isEnabled": started})
    status.property_dependencies["name"] = [recorder]
    return [recorder, status]


def _rotated_secret(rules: dict[str, Any] | None) -> list[PolicyResource]:
    secret = r("secretsmanager/secret:Secret", "token", {"kmsKeyId": KEY})
    if rules is None:
        return [secret]
    return [
        secret,
        r("secretsmanager/secretRotation:SecretRotation", "schedule", {"rotationRules": rules}, secretId=secret),
    ]


ACCOUNT_CASES = [
    Case("secrets-rotate", "every 30 days", lambda: _rotated_secret({"automaticallyAfterDays": 30.0}), {}),
    Case("secrets-rotate", "a rate expression", lambda: _rotated_secret({"scheduleExpression": "rate(10 days)"}), {}),
    Case("secrets-rotate", "never", lambda: _rotated_secret(None),
         {"token": ["the secret never rotates: no rotation schedule (SecretRotation) names it"]}),
    Case("secrets-rotate", "once a year", lambda: _rotated_secret({"automaticallyAfterDays": 365.0}),
         {"token": ["rotates every 365 days; at most 90"]}),
    Case("cloudtrail-multi-region-management-events", "every region and event", TRAIL, []),
    Case("cloudtrail-multi-region-management-events", "default selectors", {"isMultiRegionTrail": True}, []),
    Case("cloudtrail-multi-region-management-events", "advanced selector for management events",
         {"isMultiRegionTrail": True, "advancedEventSelectors": [
             {"fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]}]}, []),
    Case("cloudtrail-multi-region-management-events", "one region, writes only",
         {**TRAIL, "isMultiRegionTrail": False, "eventSelectors": [{"readWriteType": "WriteOnly"}]},
         ["isMultiRegionTrail is not true: events of the other regions are not recorded",
          "no event selector records every management event, read and write"]),
    Case("cloudtrail-multi-region-management-events", "read-only advanced selector, no global events",
         {**TRAIL, "includeGlobalServiceEvents": False, "eventSelectors": [], "advancedEventSelectors": [
             {"fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]},
                                 {"field": "readOnly", "equals": ["true"]}]}]},
         ["includeGlobalServiceEvents is false: IAM, STS and other global events are not recorded",
          "no event selector records every management event, read and write"]),
    Case("cloudtrail-encrypted-with-cmk", "cmk", TRAIL, []),
    Case("cloudtrail-encrypted-with-cmk", "sse-s3 only", {**TRAIL, "kmsKeyId": None},
         ["kmsKeyId is not set: log files are encrypted with SSE-S3 only"]),
    Case("cloudtrail-log-file-validation", "on", TRAIL, []),
    Case("cloudtrail-log-file-validation", "off", {**TRAIL, "enableLogFileValidation": False},
         ["enableLogFileValidation is not true"]),
    Case("cloudtrail-cloudwatch-logs", "group and role", TRAIL, []),
    Case("cloudtrail-cloudwatch-logs", "no role", {**TRAIL, "cloudWatchLogsRoleArn": None},
         ["no CloudWatch Logs group and role (cloudWatchLogsGroupArn, cloudWatchLogsRoleArn)"]),
    Case("guardduty-enabled", "enabled", {"enable": True}, []),
    Case("guardduty-enabled", "suspended", {"enable": False}, ["enable is false: the detector is suspended"]),
    Case("config-recorder-on-with-service-linked-role", "service-linked role, started",
         lambda: _recorder({"awsServiceName": "config.amazonaws.com"}), {}),
    Case("config-recorder-on-with-service-linked-role", "existing service-linked role by arn",
         lambda: _recorder(None), {}),
    Case("config-recorder-on-with-service-linked-role", "own role, some types, stopped",
         lambda: [r("cfg/recorder:Recorder", "recorder", {"roleArn": "arn:aws:iam::123456789012:role/config",
                                                          "recordingGroup": {"allSupported": False}})],
         {"recorder": ["the recorder does not use the service-linked role AWSServiceRoleForConfig",
                       "the recorder does not record all supported resource types (recordingGroup.allSupported)",
                       "recording is not switched on: no recorder status with isEnabled true"]}),
    Case("config-recorder-on-with-service-linked-role", "status off",
         lambda: _recorder({"awsServiceName": "config.amazonaws.com"}, started=False),
         {"recorder": ["recording is not switched on: no recorder status with isEnabled true"]}),
]  # fmt: skip
RESOURCE_CASES += [c for c in ACCOUNT_CASES if isinstance(c.given, dict)]
STACK_CASES += [c for c in ACCOUNT_CASES if not isinstance(c.given, dict)]


@pytest.mark.parametrize("case", RESOURCE_CASES, ids=lambda c: c.id)
def test_resource_rule(case: Case):
    assert isinstance(case.given, dict)
    assert judge(case.rule, case.given) == case.expected


@pytest.mark.parametrize("case", STACK_CASES, ids=lambda c: c.id)
def test_stack_rule(case: Case):
    assert callable(case.given)
    assert judge_stack(case.rule, *case.given()) == case.expected


def test_every_rule_has_a_compliant_and_a_violating_case():
    cases = RESOURCE_CASES + STACK_CASES
    for name, rule in RULES.items():
        mine = [c for c in cases if c.rule == name]
        assert any(c.compliant for c in mine), f"{name} has no compliant case"
        assert any(not c.compliant for c in mine), f"{name} has no violating case"
        assert all(isinstance(c.given, dict) != rule.stack for c in mine), f"{name}: cases of the wrong kind"
    assert {c.rule for c in cases} <= set(RULES), "a case names a rule the pack does not have"


def test_each_rule_module_imports_on_its_own_the_registry_imports_none():
    """No import cycle: a rule module needs only the registry; the catalog imports them all."""
    from pathlib import Path  # noqa: PLC0415 - only this test reads the package's sources

    package = Path(__file__).resolve().parent.parent / "policy" / "webstack_policy"
    registry = (package / "registry.py").read_text()
    assert "import rules_" not in registry and "from . import" not in registry
    for module in sorted(package.glob("rules_*.py")):
        text = module.read_text()
        assert "from .catalog" not in text and "import catalog" not in text, module.name
