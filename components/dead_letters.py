"""Where failed asynchronous work waits (a function's events, a scheduled job's runs): an SQS
queue under the owner's CMK kept as long as SQS allows, and the alarms that say something is
waiting there or was given up."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from .alarms import AlarmSpec

# Fourteen days, SQS's longest retention: time to find and replay what failed every retry.
DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600


def dead_letter_queue(logical: str, *, name: str, key: aws.kms.Key, parent: pulumi.Resource) -> aws.sqs.Queue:
    """The queue ``<name>`` (encrypted with ``key``, 14 days) that failed work is sent to."""
    return aws.sqs.Queue(
        logical,
        name=name,
        kms_master_key_id=key.arn,
        message_retention_seconds=DEAD_LETTER_RETENTION_SECONDS,
        opts=pulumi.ResourceOptions(parent=parent),
    )


def dead_letters_alarm(description: str, queue_name: pulumi.Input[str]) -> AlarmSpec:
    """Alarm as soon as one message waits in the dead-letter queue."""
    return AlarmSpec(
        "dead-letters", description, "AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": queue_name},
        "GreaterThanThreshold", 0, statistic="Maximum", evaluation_periods=1, treat_missing_data="notBreaching",
    )  # fmt: skip


def schedule_dropped_alarm(key: str, description: str, group: pulumi.Input[str]) -> AlarmSpec:
    """Alarm when EventBridge Scheduler gives up an invocation of the group after its retries."""
    return AlarmSpec(
        key, description, "AWS/Scheduler", "InvocationDroppedCount", {"ScheduleGroup": group},
        "GreaterThanThreshold", 0, statistic="Sum", evaluation_periods=1, treat_missing_data="notBreaching",
    )  # fmt: skip
