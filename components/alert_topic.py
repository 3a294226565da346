"""AlertTopic: the stack's one SNS topic for alarms, encrypted with its own key."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .aws_context import AwsContext, aws_context
from .encryption_key import customer_managed_key
from .iam_documents import alarm_topic_policy, policy_document, service_publish_key_statement, service_trust_policy

# AWS Chatbot (Amazon Q Developer in chat applications) is a global service whose API answers in a
# few regions only; its configurations live in us-east-2 (aws/aws-cdk#24675, aws/aws-cli#8658).
CHATBOT_REGION = "us-east-2"
# What a channel member may do through Chatbot, whatever its role grants: read CloudWatch only.
# Without guardrails Chatbot applies AdministratorAccess (CreateSlackChannelConfiguration).
CHATBOT_GUARDRAILS = ("arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess",)


@dataclass(frozen=True)
class SlackChannel:
    """A Slack channel that gets the alarms through AWS Chatbot. Neither id is a secret: the workspace
    must first be authorised once in the AWS Chatbot console (Configure new client > Slack)."""

    workspace_id: str
    """The Slack workspace (team) id Chatbot shows after the authorisation, 1-255 of A-Z and 0-9. Example:
    "T0123ABCD45".
    """
    channel_id: str
    """The channel's id: the last part of the channel's link (Copy link in Slack). Example: "C0123ABCD45"."""


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
    webhook) whose URL carries no credential: a URL with a key in it goes in pagerduty_url, as a secret.
    Example: ("https://hooks.example.com/sns",).
    """
    slack: SlackChannel | None = None
    """A Slack channel subscribed through AWS Chatbot (free): a configuration in us-east-2, a role Chatbot
    assumes that may only read alarms and metric graphs, and the CloudWatchReadOnlyAccess guardrail; None: no
    Slack. Example: SlackChannel("T0123ABCD45", "C0123ABCD45").
    """
    pagerduty_url: pulumi.Input[str] | None = None
    """PagerDuty's Amazon CloudWatch integration URL (https://events.pagerduty.com/integration/<key>/enqueue),
    subscribed over HTTPS (PagerDuty confirms it by itself). The URL holds the integration key: pass a Pulumi
    secret (it is wrapped as one anyway, so it stays out of plans, state and logs). Example:
    config.require_secret("pagerduty_url").
    """


class AlertTopic(pulumi.ComponentResource):
    """Where every alarm of the stack goes, and who it tells: an SNS topic encrypted with its own
    CMK, whose policy lets only this account's CloudWatch alarms publish and denies non-TLS
    requests, with a subscription for each e-mail address and HTTPS endpoint.

    Example::

        alerts = AlertTopic("alerts", AlertTopicArgs(name_prefix="acme-prod", emails=("oncall@example.com",)))
        ManagedPostgresArgs(..., alarm_actions=[alerts.topic_arn])

    Cost (cost/prices.csv): $1 a month for the CMK; SNS deliveries stay inside its free tier for a
    stack's alarms (1,000 e-mails and 100,000 HTTPS deliveries a month); AWS Chatbot is free; each
    alarm metric $0.10 a month beyond CloudWatch's 10 free.
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
        if args.pagerduty_url is not None:
            aws.sns.TopicSubscription(
                f"{name}-pagerduty",
                topic=topic.arn,
                protocol="https",
                endpoint=pulumi.Output.secret(args.pagerduty_url),
                endpoint_auto_confirms=True,
                opts=child,
            )
        if args.slack is not None:
            self._slack(name, args.name_prefix, args.slack, topic, context)
        self.topic_arn = topic.arn
        self.register_outputs({"topicArn": self.topic_arn})

    def _slack(self, name: str, prefix: str, slack: SlackChannel, topic: aws.sns.Topic, context: AwsContext) -> None:
        """A Chatbot configuration for the channel and the role Chatbot assumes for it: reading the
        alarm and its metric graph is all a notification needs."""
        child = pulumi.ResourceOptions(parent=self)
        role = aws.iam.Role(
            f"{name}-chatbot-role",
            description=f"{prefix}: AWS Chatbot posts the stack's alarms to Slack",
            assume_role_policy=context.account_id.apply(
                lambda account: json.dumps(service_trust_policy("chatbot.amazonaws.com", account))
            ),
            opts=child,
        )
        aws.iam.RolePolicy(f"{name}-chatbot-policy", role=role.id, policy=json.dumps(chatbot_policy()), opts=child)
        aws.chatbot.SlackChannelConfiguration(
            f"{name}-slack",
            configuration_name=f"{prefix}-alerts",
            slack_team_id=slack.workspace_id,
            slack_channel_id=slack.channel_id,
            iam_role_arn=role.arn,
            sns_topic_arns=[topic.arn],
            guardrail_policy_arns=list(CHATBOT_GUARDRAILS),
            logging_level="ERROR",
            region=CHATBOT_REGION,
            opts=child,
        )


def chatbot_policy() -> dict[str, object]:
    """Read the alarm that fired and draw its metric: Describe is metadata; GetMetricData and
    GetMetricWidgetImage take no resource ARN (Service Authorization Reference, CloudWatch)."""
    return policy_document(
        [
            {
                "Sid": "ReadAlarmsAndGraphs",
                "Effect": "Allow",
                "Action": ["cloudwatch:DescribeAlarms", "cloudwatch:GetMetricData", "cloudwatch:GetMetricWidgetImage"],
                "Resource": "*",
            }
        ]
    )
