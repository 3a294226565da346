"""What watches the stack, in the picture: the dashboard, each web ACL's log group (what it
redacts), where the alert topic sends beyond e-mail (Slack through AWS Chatbot, PagerDuty over
HTTPS; outside AWS, so drawn at the edge), and X-Ray for services with an OpenTelemetry collector.
From the plan alone."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from components.tracing_settings import COLLECTOR_NAME
from webstack.diagram.elements import Edge, Node, Place, State, deps, name_of, of_type

DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"
WAF_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
SLACK = "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
SERVICE = "aws:ecs/service:Service"
TASK = "aws:ecs/taskDefinition:TaskDefinition"
XRAY = "xray"
PAGERDUTY_SUFFIX = "-pagerduty"  # AlertTopic names its PagerDuty subscription <name>-pagerduty


def _graphs(dashboard: State) -> int:
    try:
        body = json.loads(str(dashboard["inputs"].get("dashboardBody", "")))
    except ValueError:
        return 0
    return sum(1 for w in body.get("widgets", []) if w.get("type") == "metric")


def _log_groups_of(states: Mapping[str, State], logging: State) -> list[State]:
    return [
        states[u] for u in sorted(deps(logging, "logDestinationConfigs")) if states.get(u, {}).get("type") == LOG_GROUP
    ]


def _redacted(logging: State) -> str:
    headers = [
        str((field.get("singleHeader") or {}).get("name", "")).capitalize()
        for field in logging["inputs"].get("redactedFields") or []
        if field.get("singleHeader")
    ]
    return f"{', '.join(headers)} redacted" if headers else "nothing redacted"


def _acl_of(states: Mapping[str, State], logging: State) -> State | None:
    return next((states[u] for u in sorted(deps(logging, "resourceArn")) if u in states), None)


def _traced(states: Mapping[str, State], service: State) -> bool:
    for urn in deps(service, "taskDefinition"):
        try:
            containers = json.loads(str(states.get(urn, {}).get("inputs", {}).get("containerDefinitions", "")))
        except ValueError:
            continue
        if any(isinstance(c, dict) and c.get("name") == COLLECTOR_NAME for c in containers):
            return True
    return False


def observe_nodes(states: Mapping[str, State]) -> Iterator[Node]:
    for dashboard in of_type(states, DASHBOARD):
        label = f"CloudWatch dashboard\n{dashboard['inputs'].get('dashboardName', '')} ({_graphs(dashboard)} graphs)"
        yield Node(name_of(dashboard["urn"]), "dashboard", label, Place("region"))
    for logging in of_type(states, WAF_LOGGING):
        acl = _acl_of(states, logging)
        at_edge = acl is not None and acl["inputs"].get("scope", "CLOUDFRONT") == "CLOUDFRONT"
        for group in _log_groups_of(states, logging):
            where = f" ({group['inputs']['region']})" if group["inputs"].get("region") else ""
            label = f"WAF logs{where}\n{group['inputs'].get('name', '')}\n{_redacted(logging)}"
            yield Node(name_of(group["urn"]), "logs", label, Place("edge") if at_edge else Place("region"))
    for slack in of_type(states, SLACK):
        label = f"Slack channel {slack['inputs'].get('slackChannelId', '')}\n(AWS Chatbot)"
        yield Node(name_of(slack["urn"]), "slack", label, Place("edge"))
    for subscription in of_type(states, SUBSCRIPTION):
        if name_of(subscription["urn"]).endswith(PAGERDUTY_SUFFIX):
            yield Node(name_of(subscription["urn"]), "pagerduty", "PagerDuty\n(HTTPS, key secret)", Place("edge"))
    if any(_traced(states, service) for service in of_type(states, SERVICE)):
        yield Node(XRAY, "xray", "AWS X-Ray\n(5 % of traces)", Place("region"))


def observe_edges(states: Mapping[str, State]) -> Iterator[Edge]:
    for logging in of_type(states, WAF_LOGGING):
        acl = _acl_of(states, logging)
        for group in _log_groups_of(states, logging):
            if acl is not None:
                yield Edge(name_of(acl["urn"]), name_of(group["urn"]), "request logs")
    for slack in of_type(states, SLACK):
        for topic in deps(slack, "snsTopicArns"):
            yield Edge(name_of(topic), name_of(slack["urn"]), "AWS Chatbot")
    for subscription in of_type(states, SUBSCRIPTION):
        if name_of(subscription["urn"]).endswith(PAGERDUTY_SUFFIX):
            for topic in deps(subscription, "topic"):
                yield Edge(name_of(topic), name_of(subscription["urn"]), "HTTPS")
    for service in of_type(states, SERVICE):
        if _traced(states, service):
            yield Edge(f"{name_of(service['urn'])}@0", XRAY, "traces (ADOT collector)")
