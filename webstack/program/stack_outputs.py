"""The stack outputs of the services: one entry per service of webstack:api and webstack:services,
for the deploy tooling (`webstack outputs --json`, CI) to push images and watch rollouts."""

from __future__ import annotations

import pulumi

from components import FargateApi


def export_services(api: FargateApi, *, routed: bool) -> None:
    """`services`: {name: {repositoryUrl, serviceName, taskDefinitionArn}}; `loadBalancerDnsName`
    when a service is routed (the ALB's own name: CloudFront's origin, and what a CNAME would
    point at). The API's single outputs (apiRepositoryUrl, ...) stay for existing users."""
    pulumi.export(
        "services",
        {
            name: {
                "repositoryUrl": running.built.repository_url,
                "serviceName": running.service.name,
                "taskDefinitionArn": running.service.task_definition,
            }
            for name, running in api.services.items()
        },
    )
    if routed:
        pulumi.export("loadBalancerDnsName", api.load_balancer_dns_name)
