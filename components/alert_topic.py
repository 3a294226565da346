"""AlertTopic: the stack's one SNS topic for alarms, encrypted with its own key."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .aws_context import aws_context
from .encryption_key import customer_managed_key
from .iam_documents import alarm_topic_policy, service_publish_key_statement


@dataclass(frozen=True)
class AlertTopicArgs:
    name_prefix: str
    """Start of the topic's and its key's names. Example: "acme-prod"."""
    emails: Sequence[str] = ()
    """E-mail addresses subscribed to the topic; each confirms from the mail SNS sends (a pending subscription
    lapses after 3 days). A topic nobody subscribes to tells nobody. Example: ("oncall@example.com",).
    """
    https_endpoints: Sequence[str] = ()
    """HTTPS endpoints that take SNS notifications (PagerDuty's and Opsgenie's SNS integrations, an incident
    webhook). Example: ("https://events.pagerduty.com/integration/KEY/enqueue",).
    """


class AlertTopic(pulumi.ComponentResource):
    """Where every alarm of the stack goes, and who it tells: an SNS topic encrypted with its own
    CMK, whose policy lets only this account's CloudWatch alarms publish and denies non-TLS
    requests, with a subscription for each e-mail address and HTTPS endpoint.

    Example::

        alerts = AlertTopic("alerts", AlertTopicArgs(name_prefix="acme-prod", emails=("oncall@example.com",)))
        ManagedPostgresArgs(..., alarm_actions=[alerts.topic_arn])

    Cost (cost/prices.csv): $1 a month for the CMK; SNS deliveries stay inside its free tier for a
    stack's alarms; each alarm metric $0.10 a month beyond CloudWatch's 10 free.
    """

    topic_arn: pulumi.Output[str]

    def __init__(self, name: str, args: AlertTopicArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("webstack:observability:AlertTopic", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        context = aws_context(self)
        key = customer_managed_key(
            f"{name}-key",
            description=f"{args.name_prefix} alarm notifications",
            alias=f"{args.name_prefix}/alerts",
            context=context,
            parent=self,
            service_statements=lambda _region, account: [
                service_publish_key_statement("cloudwatch.amazonaws.com", account)
            ],
        )
        topic = aws.sns.Topic(
            f"{name}-topic",
            name=f"{args.name_prefix}-alerts",
            kms_master_key_id=key.arn,
            opts=child,
        )
        aws.sns.TopicPolicy(
            f"{name}-topic-policy",
            arn=topic.arn,
            policy=pulumi.Output.all(topic.arn, context.account_id).apply(
                lambda ta: json.dumps(alarm_topic_policy(ta[0], ta[1]))
            ),
            opts=child,
        )
        # SNS keeps an e-mail subscription pending until the mail is confirmed; Pulumi cannot
        # delete a pending one (it lapses after three days), but deleting the topic removes all.
        for protocol, endpoints in (("email", args.emails), ("https", args.https_endpoints)):
            for index, endpoint in enumerate(endpoints):
                aws.sns.TopicSubscription(
                    f"{name}-{protocol}-{index}", topic=topic.arn, protocol=protocol, endpoint=endpoint, opts=child
                )
        self.topic_arn = topic.arn
        self.register_outputs({"topicArn": self.topic_arn})
