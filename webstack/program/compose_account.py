"""Wires an account baseline (`webstack:kind: account`) from its validated config: the audit trail,
threat detection, configuration recording, Security Hub and the budget of one account and region."""

from __future__ import annotations

import pulumi

from components import (
    AccountTrail,
    AccountTrailArgs,
    ConfigRecording,
    ConfigRecordingArgs,
    CostBudget,
    CostBudgetArgs,
    LifecycleRule,
    LogTargets,
    SecurityFindings,
    SecurityFindingsArgs,
    StaticSite,
    StaticSiteArgs,
    ThreatDetection,
    ThreatDetectionArgs,
)
from components.config_rules import managed_rules_for
from webstack.program.compose import provider_options
from webstack.program.config_account import AccountConfig


def build_access_logs(config: AccountConfig, opts: pulumi.ResourceOptions) -> StaticSite:
    """The bucket the trail and Config buckets log their requests to (SSE-S3: S3 server access
    logging cannot write with a CMK)."""
    return StaticSite(
        "access-logs",
        StaticSiteArgs(
            purpose="access-logs",
            bucket_prefix=f"{config.name_prefix}-access-logs",
            data_class="logs",
            encryption="s3",
            receives_logs=LogTargets(server_access_prefix="s3"),
            lifecycle_rules=[
                LifecycleRule(
                    "expire-access-logs",
                    expiration_days=config.access_log_expiration_days,
                    noncurrent_expiration_days=1,
                )
            ],
            keep_data_on_destroy=config.keep_data_on_destroy,
        ),
        opts,
    )


def build_account(config: AccountConfig) -> None:
    opts = provider_options(config)
    prefix = config.name_prefix
    access_logs = build_access_logs(config, opts)
    pulumi.export("region", config.region)
    pulumi.export("accessLogBucket", access_logs.bucket_name)
    if config.primary_region:
        trail = AccountTrail(
            "trail",
            AccountTrailArgs(
                trail_name=config.trail_name(),
                access_log_bucket=access_logs.bucket_name,
                bucket_prefix=f"{prefix}-trail",
                object_lock_mode=config.trail.object_lock_mode,
                object_lock_days=config.trail.object_lock_days,
                expire_after_days=config.trail.expire_after_days,
                cloudwatch_logs=config.trail.cloudwatch_logs,
                log_retention_days=config.log_retention_days,
                keep_data_on_destroy=config.keep_data_on_destroy,
            ),
            opts,
        )
        pulumi.export("trailArn", trail.trail_arn)
        pulumi.export("trailBucket", trail.bucket_name)
    guardduty = config.guardduty
    detection = ThreatDetection(
        "guardduty",
        ThreatDetectionArgs(
            s3_protection=guardduty.s3_protection,
            rds_login_events=guardduty.rds_login_events,
            ecs_fargate_runtime=guardduty.ecs_fargate_runtime,
            ebs_malware_protection=guardduty.ebs_malware_protection,
            lambda_network_logs=guardduty.lambda_network_logs,
            finding_publishing_frequency=guardduty.finding_publishing_frequency,
        ),
        opts,
    )
    pulumi.export("guardDutyDetectorId", detection.detector_id)
    recording_config = config.recording
    controls = list(recording_config.managed_rules) if recording_config.managed_rules is not None else None
    recording = ConfigRecording(
        "config",
        ConfigRecordingArgs(
            name_prefix=prefix,
            access_log_bucket=access_logs.bucket_name,
            global_resources=config.primary_region,
            managed_rules=[rule for _, rule in managed_rules_for(config.region, controls)],
            delivery_frequency=recording_config.delivery_frequency,
            create_service_linked_role=recording_config.create_service_linked_role,
            expire_after_days=recording_config.expire_after_days,
            keep_data_on_destroy=config.keep_data_on_destroy,
        ),
        opts,
    )
    pulumi.export("configRecorder", recording.recorder_name)
    SecurityFindings(
        "findings",
        SecurityFindingsArgs(analyzer_name=prefix, access_analyzer=config.security_hub.access_analyzer),
        pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[recording.recording])),
    )
    budget = config.budget
    if budget is not None:
        CostBudget(
            "budget",
            CostBudgetArgs(
                name=f"{prefix}-monthly",
                monthly_limit_usd=budget.monthly_limit_usd,
                emails=budget.emails,
                sns_topic_arns=budget.sns_topic_arns,
            ),
            opts,
        )
        pulumi.export("monthlyBudgetUsd", budget.monthly_limit_usd)
