"""An AWS Distro for OpenTelemetry (ADOT) collector beside a service's container: the application
sends OTLP traces to localhost, the collector forwards them to X-Ray with the task role."""

from __future__ import annotations

from typing import Any

from .iam_documents import Statement

# Pinned: a new collector arrives with a deliberate change, never with a task restart. The image
# runs as its own user `aoc` (uid and gid 4317) from a scratch image and writes nothing to disk.
COLLECTOR_IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0"
COLLECTOR_NAME = "otel-collector"
COLLECTOR_USER = "4317:4317"
# The image's own ECS configuration for traces only: OTLP in (gRPC 4317, HTTP 4318), X-Ray out,
# the health_check extension that /healthcheck asks. The default config also exports EMF metrics
# to log groups it creates itself (unencrypted, kept for ever): not that one.
COLLECTOR_CONFIG = "/etc/ecs/ecs-xray.yaml"
# Memory the collector is sure of within the task's (a soft limit: it shares the task's memory).
COLLECTOR_MEMORY_RESERVATION_MIB = 64
OTLP_ENDPOINT = "http://localhost:4317"
LOG_STREAM_PREFIX = "otel"

# What the application container is told (OpenTelemetry SDKs read these by themselves).
TRACING_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_SERVICE_NAME")


def tracing_environment(service: str) -> dict[str, str]:
    return dict(zip(TRACING_VARIABLES, (OTLP_ENDPOINT, "grpc", service), strict=True))


def collector_container(*, region: str, log_group: str) -> dict[str, Any]:
    """Not essential (a collector that stops never stops the application), non-root, read-only root
    file system, health-checked, logging to the service's own log group."""
    return {
        "name": COLLECTOR_NAME,
        "image": COLLECTOR_IMAGE,
        "essential": False,
        "user": COLLECTOR_USER,
        "readonlyRootFilesystem": True,
        "command": [f"--config={COLLECTOR_CONFIG}"],
        "memoryReservation": COLLECTOR_MEMORY_RESERVATION_MIB,
        "healthCheck": {
            "command": ["CMD", "/healthcheck"],
            "interval": 30,
            "timeout": 5,
            "retries": 3,
            "startPeriod": 15,
        },
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": log_group,
                "awslogs-region": region,
                "awslogs-stream-prefix": LOG_STREAM_PREFIX,
            },
        },
    }


def xray_statement() -> Statement:
    """What the collector's awsxray exporter calls with the task role. X-Ray's trace and sampling
    actions take no resource ARN (Service Authorization Reference, AWS X-Ray): AWS honours them only
    on "*"; none of them reads another service's data."""
    return {
        "Sid": "SendTracesToXRay",
        "Effect": "Allow",
        "Action": [
            "xray:PutTraceSegments",
            "xray:PutTelemetryRecords",
            "xray:GetSamplingRules",
            "xray:GetSamplingTargets",
            "xray:GetSamplingStatisticSummaries",
        ],
        "Resource": "*",
    }
