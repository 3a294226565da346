"""An AWS Distro for OpenTelemetry (ADOT) collector beside a service's container: the application
sends OTLP traces to localhost, the collector forwards them to X-Ray with the task role."""

from __future__ import annotations

from typing import Any

from .iam_documents import Statement
from .log_groups import awslogs_configuration

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

# OpenTelemetry SDKs sample every request unless told otherwise, and X-Ray bills each trace it
# records: keep 5 % of the traces that start here (and follow the caller's decision otherwise).
SAMPLED_SHARE = 0.05

# What the application container is told (OpenTelemetry SDKs read these by themselves).
TRACING_VARIABLES = (
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_PROTOCOL",
    "OTEL_SERVICE_NAME",
    "OTEL_TRACES_SAMPLER",
    "OTEL_TRACES_SAMPLER_ARG",
)


def tracing_environment(service: str) -> dict[str, str]:
    values = (OTLP_ENDPOINT, "grpc", service, "parentbased_traceidratio", f"{SAMPLED_SHARE:g}")
    return dict(zip(TRACING_VARIABLES, values, strict=True))


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
        "logConfiguration": awslogs_configuration(log_group, region, LOG_STREAM_PREFIX),
    }


def xray_statement() -> Statement:
    """What the collector's awsxray exporter calls with the task role: it writes segments and
    telemetry only. Both actions take no resource ARN (Service Authorization Reference, AWS X-Ray):
    AWS honours them only on "*". The sampling reads (GetSampling*) are left out: the application
    samples by ratio (OTEL_TRACES_SAMPLER), and the collector's config runs no X-Ray sampling proxy."""
    return {
        "Sid": "SendTracesToXRay",
        "Effect": "Allow",
        "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        "Resource": "*",
    }
