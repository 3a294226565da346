"""ConfigRecording: AWS Config recording every resource of a region, with managed rules."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_aws as aws

from .config_rules import ManagedRule
from .iam_documents import config_delivery_key_statement
from .static_site import LifecycleRule, LogTargets, StaticSite, StaticSiteArgs

CONFIG_SERVICE = "config.amazonaws.com"
DELIVERY_PREFIX = "config"


def config_service_linked_role_arn(account_id: str) -> str:
    """The one role AWS Config records with when it uses its service-linked role (FSBP Config.1)."""
    return f"arn:aws:iam::{account_id}:role/aws-service-role/{CONFIG_SERVICE}/AWSServiceRoleForConfig"


@dataclass(frozen=True)
class ConfigRecordingArgs:
    name_prefix: str
    """Start of the recorder's, channel's, rules' and bucket's names. Example: "acme-account"."""
    access_log_bucket: pulumi.Input[str]
    """Bucket that receives the delivery bucket's S3 server access logs. Example: access_logs.bucket_name."""
    global_resources: bool = True
    """Also record global resource types (IAM users, roles, policies): in exactly one region of the account,
    or every region records them again (and bills each item again). Example: False in a second region.
    """
    managed_rules: Sequence[ManagedRule] = ()
    """AWS managed Config rules to evaluate the recorded resources with (components.config_rules). Example:
    [FSBP_MANAGED_RULES["S3.5"]].
    """
    delivery_frequency: Literal["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"] = (
        "TwentyFour_Hours"
    )
    """How often a configuration snapshot is delivered to the bucket. Example: "Six_Hours"."""
    create_service_linked_role: bool = True
    """Create AWSServiceRoleForConfig; False where the account has it already (Config or Security Hub was
    turned on before: creating it again fails). Example: False.
    """
    expire_after_days: int = 2557
    """Days snapshots and history are kept in the bucket (7 years, a common audit retention). Example: 365."""
    keep_data_on_destroy: bool = True
    """True: the delivery bucket stops `destroy` while it holds objects. Example: True."""


class ConfigRecording(pulumi.ComponentResource):
    """AWS Config in one region: a recorder of every supported resource type (global types too
    where ``global_resources``, i.e. in one region of the account) using the service-linked role
    (FSBP Config.1), switched on, delivering daily snapshots and change history to a private,
    TLS-only, access-logged bucket encrypted with its own CMK (whose policy lets the Config
    service principal encrypt for this account only), and the managed rules asked for.

    Example::

        recording = ConfigRecording("config", ConfigRecordingArgs(
            name_prefix="acme-account", access_log_bucket=logs.bucket_name,
            managed_rules=[rule for _, rule in managed_rules_for("eu-west-1")]))

    Cost (cost/prices.csv, usage in cost/usage.yaml, us-east-1): $0.003 per configuration item
    recorded and $0.001 per rule evaluation; the bucket's storage and its CMK ($1 a month).
    """

    recorder_name: pulumi.Output[str]

    def __init__(self, name: str, args: ConfigRecordingArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("webstack:audit:ConfigRecording", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        if args.create_service_linked_role:
            role_arn: pulumi.Input[str] = aws.iam.ServiceLinkedRole(
                f"{name}-service-linked-role", aws_service_name=CONFIG_SERVICE, opts=child
            ).arn
        else:
            role_arn = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id.apply(
                config_service_linked_role_arn
            )
        bucket = StaticSite(
            f"{name}-delivery",
            StaticSiteArgs(
                purpose="config",
                bucket_prefix=f"{args.name_prefix}-config",
                data_class="logs",
                encryption="kms",
                versioning=True,
                access_log_bucket=args.access_log_bucket,
                receives_logs=LogTargets(config_prefix=DELIVERY_PREFIX),
                lifecycle_rules=[
                    LifecycleRule(
                        "expire-config-history", expiration_days=args.expire_after_days, noncurrent_expiration_days=30
                    )
                ],
                key_statements=lambda _region, account: [config_delivery_key_statement(account)],
                keep_data_on_destroy=args.keep_data_on_destroy,
            ),
            child,
        )
        assert bucket.kms_key_arn is not None and bucket.policy is not None
        recorder = aws.cfg.Recorder(
            f"{name}-recorder",
            name=f"{args.name_prefix}-recorder",
            role_arn=role_arn,
            recording_group={"all_supported": True, "include_global_resource_types": args.global_resources},
            opts=child,
        )
        channel = aws.cfg.DeliveryChannel(
            f"{name}-channel",
            name=f"{args.name_prefix}-channel",
            s3_bucket_name=bucket.bucket_name,
            s3_key_prefix=DELIVERY_PREFIX,
            s3_kms_key_arn=bucket.kms_key_arn,
            snapshot_delivery_properties={"delivery_frequency": args.delivery_frequency},
            # Config checks that it may write to the bucket when the channel is put.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[recorder, bucket.policy]),
        )
        status = aws.cfg.RecorderStatus(
            f"{name}-recording",
            name=recorder.name,
            is_enabled=True,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[channel]),
        )
        for rule in args.managed_rules:
            aws.cfg.Rule(
                f"{name}-{rule.rule_name}",
                name=f"{args.name_prefix}-{rule.rule_name}"[:128],
                description=f"AWS managed rule {rule.identifier}",
                source={"owner": "AWS", "source_identifier": rule.identifier},
                input_parameters=json.dumps(dict(rule.input_parameters)) if rule.input_parameters else None,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[status]),
            )
        self.recorder_name = recorder.name
        self._status = status
        self.register_outputs({"recorderName": recorder.name})

    @property
    def recording(self) -> pulumi.Resource:
        """What a service reading Config's results (Security Hub) waits for: recording switched on."""
        return self._status
