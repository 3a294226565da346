"""CloudWatch metric alarms from pure specifications."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

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
    # Average, Maximum, Minimum, Sum, or a percentile such as p95.
    statistic: str = "Average"
    period_seconds: int = 300
    evaluation_periods: int = 3
    treat_missing_data: Literal["missing", "notBreaching", "breaching", "ignore"] = "missing"
    # Alarm on 100 * metric / ratio_denominator (both summed) instead of the metric itself.
    ratio_denominator: str | None = None


def quiet_while_stopped(specs: Sequence[AlarmSpec]) -> tuple[AlarmSpec, ...]:
    """For resources stopped on a schedule: with no data an alarm keeps its state (``ignore``)
    instead of going to INSUFFICIENT_DATA and notifying "OK" every morning."""
    return tuple(replace(s, treat_missing_data="ignore") if s.treat_missing_data == "missing" else s for s in specs)


def create_alarms(
    prefix: str,
    specs: Sequence[AlarmSpec],
    actions: Sequence[pulumi.Input[str]],
    parent: pulumi.Resource,
    alarm_only_actions: Sequence[pulumi.Input[str]] = (),
) -> list[aws.cloudwatch.MetricAlarm]:
    """Alarms notify ``actions`` (SNS topic ARNs) on ALARM and on OK; ``alarm_only_actions``
    (an EC2 reboot, say) run on ALARM only."""
    return [
        aws.cloudwatch.MetricAlarm(
            f"{prefix}-{spec.key}",
            alarm_description=spec.description,
            comparison_operator=spec.comparison,
            threshold=spec.threshold,
            evaluation_periods=spec.evaluation_periods,
            treat_missing_data=spec.treat_missing_data,
            alarm_actions=[*alarm_only_actions, *actions],
            ok_actions=list(actions),
            opts=pulumi.ResourceOptions(parent=parent),
            **_metric(spec),
        )
        for spec in specs
    ]


def _metric(spec: AlarmSpec) -> dict[str, Any]:
    if spec.ratio_denominator is not None:

        def query(query_id: str, metric: str) -> dict[str, Any]:
            return {
                "id": query_id,
                "metric": {
                    "namespace": spec.namespace,
                    "metric_name": metric,
                    "dimensions": dict(spec.dimensions),
                    "period": spec.period_seconds,
                    "stat": "Sum",
                },
            }

        return {
            "metric_queries": [
                query("errors", spec.metric),
                query("requests", spec.ratio_denominator),
                {
                    "id": "rate",
                    "expression": "100 * errors / requests",
                    "label": f"{spec.metric} per 100 {spec.ratio_denominator}",
                    "return_data": True,
                },
            ]
        }
    common = {
        "namespace": spec.namespace,
        "metric_name": spec.metric,
        "dimensions": dict(spec.dimensions),
        "period": spec.period_seconds,
    }
    if spec.statistic.startswith("p"):
        return common | {"extended_statistic": spec.statistic}
    return common | {"statistic": spec.statistic}
