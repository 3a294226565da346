"""Which AWS Config managed rule checks each FSBP control the policy pack enforces before deploy.

The pack judges a plan; these rules judge what is deployed (drift, resources made by hand). Each
identifier is the managed rule Security Hub lists for the control ("AWS Config rule" in the FSBP
control reference). Controls the pack maps with no managed rule of their own are listed in
UNCHECKED with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ManagedRule:
    """One AWS managed Config rule."""

    identifier: str
    """The managed rule's source identifier. Example: "S3_BUCKET_SSL_REQUESTS_ONLY"."""
    input_parameters: Mapping[str, str] = field(default_factory=dict)
    """The rule's parameters (all strings). Example: {"runtime": "nodejs22.x,nodejs24.x"}."""
    us_east_1_only: bool = False
    """The resource type is recorded in us-east-1 only (CloudFront distributions): elsewhere the rule would
    evaluate nothing. Example: True.
    """

    @property
    def rule_name(self) -> str:
        return self.identifier.lower().replace("_", "-")


_RUNTIMES = "nodejs22.x,nodejs24.x,python3.11,python3.12,python3.13,python3.14"

FSBP_MANAGED_RULES: dict[str, ManagedRule] = {
    "APIGateway.3": ManagedRule("API_GW_XRAY_ENABLED"),
    "APIGateway.4": ManagedRule("API_GW_ASSOCIATED_WITH_WAF"),
    "APIGateway.5": ManagedRule("API_GW_CACHE_ENCRYPTED"),
    "APIGateway.9": ManagedRule("API_GWV2_ACCESS_LOGS_ENABLED"),
    "CloudFront.3": ManagedRule("CLOUDFRONT_VIEWER_POLICY_HTTPS", us_east_1_only=True),
    "CloudFront.5": ManagedRule("CLOUDFRONT_ACCESSLOGS_ENABLED", us_east_1_only=True),
    "CloudFront.6": ManagedRule("CLOUDFRONT_ASSOCIATED_WITH_WAF", us_east_1_only=True),
    "CloudFront.9": ManagedRule("CLOUDFRONT_TRAFFIC_TO_ORIGIN_ENCRYPTED", us_east_1_only=True),
    "CloudFront.10": ManagedRule("CLOUDFRONT_NO_DEPRECATED_SSL_PROTOCOLS", us_east_1_only=True),
    "CloudFront.13": ManagedRule("CLOUDFRONT_S3_ORIGIN_ACCESS_CONTROL_ENABLED", us_east_1_only=True),
    "CloudTrail.1": ManagedRule("MULTI_REGION_CLOUD_TRAIL_ENABLED"),
    "CloudTrail.2": ManagedRule("CLOUD_TRAIL_ENCRYPTION_ENABLED"),
    "CloudTrail.4": ManagedRule("CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED"),
    "CloudTrail.5": ManagedRule("CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED"),
    "Backup.1": ManagedRule("BACKUP_RECOVERY_POINT_ENCRYPTED"),
    "DynamoDB.2": ManagedRule("DYNAMODB_PITR_ENABLED"),
    "DynamoDB.4": ManagedRule("DYNAMODB_RESOURCES_PROTECTED_BY_BACKUP_PLAN"),
    "DynamoDB.6": ManagedRule("DYNAMODB_TABLE_DELETION_PROTECTION_ENABLED"),
    "EC2.2": ManagedRule("VPC_DEFAULT_SECURITY_GROUP_CLOSED"),
    "EC2.3": ManagedRule("ENCRYPTED_VOLUMES"),
    "EC2.6": ManagedRule("VPC_FLOW_LOGS_ENABLED"),
    "EC2.8": ManagedRule("EC2_IMDSV2_CHECK"),
    "EC2.9": ManagedRule("EC2_INSTANCE_NO_PUBLIC_IP"),
    "EC2.15": ManagedRule("SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED"),
    "EC2.18": ManagedRule("VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS", {"authorizedTcpPorts": "443"}),
    "EC2.19": ManagedRule("RESTRICTED_INCOMING_TRAFFIC"),
    "ECR.1": ManagedRule("ECR_PRIVATE_IMAGE_SCANNING_ENABLED"),
    "EFS.2": ManagedRule("EFS_RESOURCES_PROTECTED_BY_BACKUP_PLAN"),
    "RDS.26": ManagedRule("RDS_RESOURCES_PROTECTED_BY_BACKUP_PLAN"),
    "ECR.2": ManagedRule("ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED"),
    "ECR.3": ManagedRule("ECR_PRIVATE_LIFECYCLE_POLICY_CONFIGURED"),
    "ECS.2": ManagedRule("ECS_SERVICE_ASSIGN_PUBLIC_IP_DISABLED"),
    "ECS.4": ManagedRule("ECS_CONTAINERS_NONPRIVILEGED"),
    "ECS.5": ManagedRule("ECS_CONTAINERS_READONLY_ACCESS"),
    "ECS.8": ManagedRule("ECS_NO_ENVIRONMENT_SECRETS", {"secretKeys": "PASSWORD,SECRET,TOKEN,API_KEY"}),
    "ECS.9": ManagedRule("ECS_TASK_DEFINITION_LOG_CONFIGURATION"),
    "ECS.12": ManagedRule("ECS_CONTAINER_INSIGHTS_ENABLED"),
    "ELB.1": ManagedRule("ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK"),
    "ELB.4": ManagedRule("ALB_HTTP_DROP_INVALID_HEADER_ENABLED"),
    "ELB.5": ManagedRule("ELB_LOGGING_ENABLED"),
    "ELB.6": ManagedRule("ELB_DELETION_PROTECTION_ENABLED"),
    "ElastiCache.1": ManagedRule("ELASTICACHE_REDIS_CLUSTER_AUTOMATIC_BACKUP_CHECK"),
    "ElastiCache.3": ManagedRule("ELASTICACHE_REPL_GRP_AUTO_FAILOVER_ENABLED"),
    "ElastiCache.4": ManagedRule("ELASTICACHE_REPL_GRP_ENCRYPTED_AT_REST"),
    "ElastiCache.5": ManagedRule("ELASTICACHE_REPL_GRP_ENCRYPTED_IN_TRANSIT"),
    "ElastiCache.6": ManagedRule("ELASTICACHE_REPL_GRP_REDIS_AUTH_ENABLED"),
    "GuardDuty.1": ManagedRule("GUARDDUTY_ENABLED_CENTRALIZED"),
    "IAM.1": ManagedRule("IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS"),
    "IAM.21": ManagedRule("IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS"),
    "KMS.4": ManagedRule("CMK_BACKING_KEY_ROTATION_ENABLED"),
    "Lambda.1": ManagedRule("LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED"),
    "Lambda.2": ManagedRule("LAMBDA_FUNCTION_SETTINGS_CHECK", {"runtime": _RUNTIMES}),
    "RDS.2": ManagedRule("RDS_INSTANCE_PUBLIC_ACCESS_CHECK"),
    "RDS.3": ManagedRule("RDS_STORAGE_ENCRYPTED"),
    "RDS.5": ManagedRule("RDS_MULTI_AZ_SUPPORT"),
    "RDS.6": ManagedRule("RDS_ENHANCED_MONITORING_ENABLED"),
    "RDS.8": ManagedRule("RDS_INSTANCE_DELETION_PROTECTION_ENABLED"),
    "RDS.10": ManagedRule("RDS_INSTANCE_IAM_AUTHENTICATION_ENABLED"),
    "RDS.11": ManagedRule("DB_INSTANCE_BACKUP_ENABLED"),
    "RDS.13": ManagedRule("RDS_AUTOMATIC_MINOR_VERSION_UPGRADE_ENABLED"),
    "RDS.17": ManagedRule("RDS_INSTANCE_COPY_TAGS_TO_SNAPSHOTS_ENABLED"),
    "S3.2": ManagedRule("S3_BUCKET_PUBLIC_READ_PROHIBITED"),
    "S3.3": ManagedRule("S3_BUCKET_PUBLIC_WRITE_PROHIBITED"),
    "S3.5": ManagedRule("S3_BUCKET_SSL_REQUESTS_ONLY"),
    "S3.8": ManagedRule("S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED"),
    "S3.9": ManagedRule("S3_BUCKET_LOGGING_ENABLED"),
    "S3.17": ManagedRule("S3_DEFAULT_ENCRYPTION_KMS"),
    "SecretsManager.1": ManagedRule("SECRETSMANAGER_ROTATION_ENABLED_CHECK"),
    "SecretsManager.4": ManagedRule("SECRETSMANAGER_SECRET_PERIODIC_ROTATION", {"maxDaysSinceRotation": "90"}),
    "SNS.1": ManagedRule("SNS_ENCRYPTED_KMS"),
    "WAF.11": ManagedRule("WAFV2_LOGGING_ENABLED"),
}

# Controls the pack maps that no rule above checks, and why.
UNCHECKED: dict[str, str] = {
    "CloudFront.15": "checked by Security Hub's own control; no managed Config rule of the same meaning",
    "Config.1": "Config cannot judge its own recorder: Security Hub's control does (and the pack before deploy)",
    "Cognito.1": "checked by Security Hub's own control (user pool threat protection); no managed Config rule",
    "Cognito.6": "checked by Security Hub's own control (user pool deletion protection); no managed Config rule",
    "ELB.17": "the managed rule needs the exact list of allowed policies per listener; the pack checks it",
    "SQS.1": "checked by Security Hub's own control; no managed Config rule of the same meaning",
    "RDS (TLS in transit)": "not an FSBP control (the pack's rds-requires-tls); no managed rule reads rds.force_ssl",
}


def managed_rules_for(region: str, controls: list[str] | None = None) -> list[tuple[str, ManagedRule]]:
    """(control, rule) for the controls asked (all by default) that evaluate something in ``region``."""
    wanted = controls if controls is not None else list(FSBP_MANAGED_RULES)
    return [
        (control, FSBP_MANAGED_RULES[control])
        for control in wanted
        if region == "us-east-1" or not FSBP_MANAGED_RULES[control].us_east_1_only
    ]
