"""CloudWatch metric alarms from pure specifications."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi
import pulumi_aws as aws

Comparison = Literal[
    "GreaterThanThreshold",
    "GreaterThanOrEqualToThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
]


@dataclass(frozen=True)
class AlarmSpec:
    """One alarm: ``metric`` of ``namespace`` compared with ``threshold`` over periods."""

    key: str
    description: str
    namespace: str
    metric: str
    dimensions: Mapping[str, pulumi.Input[str]]
    comparison: Comparison
    threshold: float
    statistic: Literal["Average", "Maximum", "Minimum", "Sum"] = "Average"
    period_seconds: int = 300
    evaluation_periods: int = 3
    treat_missing_data: Literal["missing", "notBreaching", "breaching", "ignore"] = "missing"
    extra: Mapping[str, str] = field(default_factory=dict)


def create_alarms(
    prefix: str,
    specs: Sequence[AlarmSpec],
    actions: Sequence[pulumi.Input[str]],
    parent: pulumi.Resource,
) -> list[aws.cloudwatch.MetricAlarm]:
    """Alarms notify ``actions`` (SNS topic ARNs) on ALARM and on OK."""
    return [
        aws.cloudwatch.MetricAlarm(
            f"{prefix}-{spec.key}",
            alarm_description=spec.description,
            namespace=spec.namespace,
            metric_name=spec.metric,
            dimensions=dict(spec.dimensions),
            comparison_operator=spec.comparison,
            threshold=spec.threshold,
            statistic=spec.statistic,
            period=spec.period_seconds,
            evaluation_periods=spec.evaluation_periods,
            treat_missing_data=spec.treat_missing_data,
            alarm_actions=list(actions),
            ok_actions=list(actions),
            opts=pulumi.ResourceOptions(parent=parent),
        )
        for spec in specs
    ]
