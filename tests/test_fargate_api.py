"""FargateApi under mocks."""

from __future__ import annotations

import fnmatch
import json
from dataclasses import fields, replace

import pulumi_aws as aws
import pytest

from components import BucketGrant, FargateApi, FargateApiArgs, ImageBuild, Route, ServiceSpec
from components.api_settings import build_tag, ecr_lifecycle_policy, running_tag, secret_arn_of, task_role_policy

from .helpers import ancestors, as_list, document, one, render, statements

DB_SECRET = "arn:aws:secretsmanager:me-south-1:123456789012:secret:rds!db-1-AbCdEf"
CACHE_SECRET = "arn:aws:secretsmanager:me-south-1:123456789012:secret:acme/cache/auth-XyZ123"
DB_KEY = "arn:aws:kms:me-south-1:123456789012:key/db"
UPLOADS = "arn:aws:s3:::acme-uploads"


SERVICE_FIELDS = {f.name for f in fields(ServiceSpec)}


def api_run(extra_services=(), **overrides):
    """FargateApi with one service "api" (service settings and component settings mixed in
    ``overrides``) and any extra services."""

    def program():
        db_sg = aws.ec2.SecurityGroup("db-sg", vpc_id="vpc-1", description="db")
        service = ServiceSpec(
            name="api",
            image="{repository}:1.4.2",
            environment={"DB_HOST": "db.internal"},
            secrets={"DB_PASSWORD": f"{DB_SECRET}:password::", "REDIS_URL": f"{CACHE_SECRET}:url::"},
            bucket_grants=[
                BucketGrant(UPLOADS, "invoices/", "read_write", "arn:aws:kms:me-south-1:123456789012:key/up")
            ],
        )
        service = replace(service, **{k: v for k, v in overrides.items() if k in SERVICE_FIELDS})
        args = FargateApiArgs(
            name_prefix="acme-prod",
            vpc_id="vpc-1",
            public_subnet_ids=["subnet-pub-a", "subnet-pub-b"],
            private_subnet_ids=["subnet-prv-a", "subnet-prv-b"],
            certificate_arn="arn:aws:acm:me-south-1:123456789012:certificate/regional",
            log_bucket_name="acme-logs",
            services=[service, *extra_services],
            secret_kms_key_arns=[DB_KEY],
            egress_to=[(5432, db_sg.id)],
            alarm_actions=["arn:aws:sns:me-south-1:123456789012:alerts"],
            origin_hostname="origin-api.example.com",
            zone_id="Z1",
        )
        FargateApi("api", replace(args, **{k: v for k, v in overrides.items() if k not in SERVICE_FIELDS}))

    return render(program, region="me-south-1")


@pytest.fixture(scope="module")
def run():
    return api_run()


def container(run):
    (definition,) = json.loads(one(run, "aws:ecs/taskDefinition:TaskDefinition").inputs["containerDefinitions"])
    return definition


def test_repository_scans_immutable_kms_and_lifecycle(run):
    repo = one(run, "aws:ecr/repository:Repository").inputs
    assert repo["imageScanningConfiguration"] == {"scanOnPush": True}
    assert repo["imageTagMutability"] == "IMMUTABLE"
    (encryption,) = repo["encryptionConfigurations"]
    assert encryption["encryptionType"] == "KMS" and encryption["kmsKey"].startswith("arn:aws:kms:me-south-1:")
    policy = json.loads(one(run, "aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs["policy"])
    assert policy == ecr_lifecycle_policy(10, 7, running_tag="1.4.2")


def test_lifecycle_policy_expires_untagged_after_7_days_and_keeps_10_tagged():
    untagged, tagged = ecr_lifecycle_policy()["rules"]
    assert untagged["selection"]["tagStatus"] == "untagged" and untagged["selection"]["countNumber"] == 7
    assert tagged["selection"]["countType"] == "imageCountMoreThan" and tagged["selection"]["countNumber"] == 10


def expired_by(policy, tags_newest_first):
    """ECR's documented evaluation: rules by priority; an image selected by a rule's tag
    requirements is never expired by a lower-priority rule; imageCountMoreThan expires the
    images of a rule beyond the newest N."""
    remaining, expired = list(tags_newest_first), set()
    for rule in sorted(policy["rules"], key=lambda r: r["rulePriority"]):
        selection = rule["selection"]
        if selection["tagStatus"] != "tagged":
            continue
        patterns = selection["tagPatternList"]
        matched = [t for t in remaining if any(fnmatch.fnmatchcase(t, p) for p in patterns)]
        expired |= set(matched[selection["countNumber"] :])
        remaining = [t for t in remaining if t not in matched]
    return expired


def test_the_running_tag_never_expires_however_many_releases_follow():
    releases = [f"1.{n}.0" for n in range(30, 0, -1)]  # 1.30.0 newest ... 1.1.0 oldest
    policy = ecr_lifecycle_policy(running_tag="1.3.0")
    expired = expired_by(policy, releases)
    assert "1.3.0" not in expired
    assert len(expired) == 19 and "1.1.0" in expired and "1.21.0" not in expired
    # Without the pin, the same releases would expire it: the bug this rule closes.
    assert "1.3.0" in expired_by(ecr_lifecycle_policy(), releases)


def test_running_tag_of_an_image_reference():
    assert running_tag("{repository}:1.0.0") == "1.0.0"
    assert running_tag("public.ecr.aws/nginx/nginx:1.27") is None
    assert running_tag("{repository}@sha256:" + "a" * 64) is None


def test_a_build_is_tagged_by_its_context_so_an_immutable_repository_takes_each_rebuild(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    (tmp_path / "app.py").write_text("print(1)\n")
    first = build_tag(tmp_path, "Dockerfile")
    assert first == build_tag(tmp_path, "Dockerfile") and first.startswith("build-")
    (tmp_path / "app.py").write_text("print(2)\n")
    assert build_tag(tmp_path, "Dockerfile") != first


def test_cluster_has_container_insights(run):
    assert one(run, "aws:ecs/cluster:Cluster").inputs["settings"] == [{"name": "containerInsights", "value": "enabled"}]


def test_task_definition_awsvpc_fargate_arm_sizes(run):
    task = one(run, "aws:ecs/taskDefinition:TaskDefinition").inputs
    assert task["networkMode"] == "awsvpc"
    assert task["requiresCompatibilities"] == ["FARGATE"]
    assert (task["cpu"], task["memory"]) == ("512", "1024")
    assert task["runtimePlatform"] == {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"}


def test_container_is_non_root_read_only_with_secrets_never_in_environment(run):
    c = container(run)
    assert c["image"] == "123456789012.dkr.ecr.me-south-1.amazonaws.com/acme-prod-api:1.4.2"
    assert c["user"] == "1000:1000"
    assert c["readonlyRootFilesystem"] is True
    assert c["portMappings"][0]["containerPort"] == 8000
    assert {s["name"]: s["valueFrom"] for s in c["secrets"]} == {
        "DB_PASSWORD": f"{DB_SECRET}:password::",
        "REDIS_URL": f"{CACHE_SECRET}:url::",
    }
    assert {e["name"] for e in c["environment"]} == {"DB_HOST"}
    assert all("secret" not in e["value"] for e in c["environment"])
    log = c["logConfiguration"]
    assert log["logDriver"] == "awslogs" and log["options"]["awslogs-group"] == "/ecs/acme-prod-api"


def test_log_group_encrypted_with_retention(run):
    group = one(run, "aws:cloudwatch/logGroup:LogGroup").inputs
    assert group["name"] == "/ecs/acme-prod-api"
    assert group["kmsKeyId"].startswith("arn:aws:kms:") and group["retentionInDays"] == 30


def test_execution_role_reads_only_its_repo_logs_and_secrets(run):
    role = run.named("api-execution-role")
    (trust,) = statements(document(role, "assumeRolePolicy"))
    assert trust["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
    assert trust["Condition"]["StringEquals"] == {"aws:SourceAccount": "123456789012"}
    policy = {s["Sid"]: s for s in statements(document(run.named("api-execution-policy"), "policy"))}
    assert policy["EcrLogin"]["Resource"] == "*" and policy["EcrLogin"]["Action"] == "ecr:GetAuthorizationToken"
    assert policy["PullOwnImages"]["Resource"] == "arn:aws:ecr:me-south-1:123456789012:repository/acme-prod-api"
    assert policy["WriteOwnLogs"]["Resource"].endswith(":log-group:/ecs/acme-prod-api:log-stream:*")
    assert policy["ReadInjectedSecrets"]["Resource"] == sorted([DB_SECRET, CACHE_SECRET])
    assert policy["DecryptInjectedSecrets"]["Resource"] == [DB_KEY]
    for statement in policy.values():
        assert all("*" not in a for a in as_list(statement["Action"]))


def test_task_role_gets_only_the_configured_prefix(run):
    policy = statements(document(run.named("api-task-policy"), "policy"))
    objects = next(s for s in policy if s["Sid"] == "Objects0")
    assert objects["Resource"] == f"{UPLOADS}/invoices/*"
    assert set(objects["Action"]) == {"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}
    listing = next(s for s in policy if s["Sid"] == "List0")
    assert listing["Condition"] == {"StringLike": {"s3:prefix": ["invoices/*"]}}


def test_a_whole_bucket_grant_lists_without_a_prefix_condition():
    """ListObjects without a prefix has no s3:prefix key: a StringLike "*" condition would deny it."""
    doc = task_role_policy("eu-west-1", [BucketGrant("arn:aws:s3:::b", access="read")])
    assert doc is not None
    listing = next(s for s in doc["Statement"] if s["Action"] == "s3:ListBucket")
    assert "Condition" not in listing and listing["Resource"] == "arn:aws:s3:::b"


def test_read_only_grant_and_no_grant():
    doc = task_role_policy("eu-west-1", [BucketGrant("arn:aws:s3:::b", access="read")])
    assert doc is not None and doc["Statement"][0]["Action"] == ["s3:GetObject"]
    assert task_role_policy("eu-west-1", []) is None
    run = api_run(bucket_grants=())
    assert [r for r in run.of_type("aws:iam/rolePolicy:RolePolicy") if r.name == "api-task-policy"] == []


def test_secret_arn_of_strips_the_json_key():
    assert secret_arn_of(f"{DB_SECRET}:password::") == DB_SECRET
    assert secret_arn_of(DB_SECRET) == DB_SECRET


def test_security_groups_are_chained(run):
    alb_sg, task_sg, db_sg = run.named("api-alb-sg"), run.named("api-task-sg"), run.named("db-sg")
    ingress = {r.name: r.inputs for r in run.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")}
    egress = {r.name: r.inputs for r in run.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")}
    from_cloudfront = ingress["api-alb-from-cloudfront"]
    assert from_cloudfront["securityGroupId"] == alb_sg.id
    assert from_cloudfront["prefixListId"].startswith("pl-")
    assert (from_cloudfront["fromPort"], from_cloudfront["toPort"]) == (443, 443)
    assert "cidrIpv4" not in from_cloudfront
    tasks_in = ingress["api-tasks-from-alb"]
    assert (tasks_in["securityGroupId"], tasks_in["referencedSecurityGroupId"]) == (task_sg.id, alb_sg.id)
    assert tasks_in["fromPort"] == 8000
    assert egress["api-alb-to-tasks"]["referencedSecurityGroupId"] == task_sg.id
    assert egress["api-tasks-out-0"]["referencedSecurityGroupId"] == db_sg.id
    assert egress["api-tasks-out-0"]["fromPort"] == 5432
    assert set(ingress) == {"api-alb-from-cloudfront", "api-tasks-from-alb"}


def test_service_private_no_public_ip_circuit_breaker_and_grace(run):
    service = one(run, "aws:ecs/service:Service").inputs
    network = service["networkConfiguration"]
    assert network["assignPublicIp"] is False
    assert network["subnets"] == ["subnet-prv-a", "subnet-prv-b"]
    assert network["securityGroups"] == [run.named("api-task-sg").id]
    assert service["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert service["healthCheckGracePeriodSeconds"] == 60
    assert service["launchType"] == "FARGATE"
    assert service["loadBalancers"][0]["containerPort"] == 8000


def test_alb_public_subnets_drops_invalid_headers_logs_and_protection(run):
    alb = one(run, "aws:lb/loadBalancer:LoadBalancer").inputs
    assert alb["subnets"] == ["subnet-pub-a", "subnet-pub-b"]
    assert alb["dropInvalidHeaderFields"] is True
    assert alb["accessLogs"] == {"bucket": "acme-logs", "prefix": "alb", "enabled": True}
    assert alb["enableDeletionProtection"] is True
    assert alb["securityGroups"] == [run.named("api-alb-sg").id]
    assert api_run(load_balancer_deletion_protection=False).named("api-alb").inputs["enableDeletionProtection"] is False


def test_internal_alb_sits_in_private_subnets_behind_a_https_only_vpc_origin(run):
    assert run.of_type("aws:cloudfront/vpcOrigin:VpcOrigin") == []  # internet-facing by default
    assert one(run, "aws:lb/loadBalancer:LoadBalancer").inputs["internal"] is False
    internal = api_run(load_balancer_scheme="internal")
    alb = one(internal, "aws:lb/loadBalancer:LoadBalancer")
    assert alb.inputs["internal"] is True and alb.inputs["subnets"] == ["subnet-prv-a", "subnet-prv-b"]
    origin = one(internal, "aws:cloudfront/vpcOrigin:VpcOrigin")
    endpoint = origin.inputs["vpcOriginEndpointConfig"]
    assert endpoint["originProtocolPolicy"] == "https-only" and endpoint["httpsPort"] == 443
    assert endpoint["originSslProtocols"] == {"items": ["TLSv1.2"], "quantity": 1}
    assert origin.property_dependencies["vpcOriginEndpointConfig"] == [alb.urn]  # the ALB's ARN
    # CloudFront still arrives from its origin-facing prefix list, on 443 only.
    ingress = [
        r.inputs
        for r in internal.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if r.inputs["securityGroupId"] == internal.named("api-alb-sg").id
    ]
    assert [(r["fromPort"], r["toPort"], "prefixListId" in r) for r in ingress] == [(443, 443, True)]


def test_target_group_health_check_from_seed_000(run):
    check = one(run, "aws:lb/targetGroup:TargetGroup").inputs["healthCheck"]
    assert (check["path"], check["interval"], check["timeout"]) == ("/health", 30, 5)
    assert (check["healthyThreshold"], check["unhealthyThreshold"]) == (2, 3)


def test_the_timings_once_written_in_the_constructor_are_args_a_user_can_change():
    changed = api_run(
        health_check_interval_seconds=10,
        health_check_timeout_seconds=4,
        healthy_threshold=3,
        unhealthy_threshold=2,
        health_check_matcher="200",
        deregistration_delay_seconds=120,
        deployment_minimum_healthy_percent=50,
        deployment_maximum_percent=150,
        scale_in_cooldown_seconds=600,
        scale_out_cooldown_seconds=30,
        idle_timeout_seconds=120,
    )
    group = one(changed, "aws:lb/targetGroup:TargetGroup").inputs
    check = group["healthCheck"]
    assert (check["interval"], check["timeout"], check["healthyThreshold"], check["unhealthyThreshold"]) == (
        10, 4, 3, 2,
    )  # fmt: skip
    assert check["matcher"] == "200" and group["deregistrationDelay"] == 120
    service = one(changed, "aws:ecs/service:Service").inputs
    assert (service["deploymentMinimumHealthyPercent"], service["deploymentMaximumPercent"]) == (50, 150)
    for policy in changed.of_type("aws:appautoscaling/policy:Policy"):
        tracking = policy.inputs["targetTrackingScalingPolicyConfiguration"]
        assert (tracking["scaleInCooldown"], tracking["scaleOutCooldown"]) == (600, 30)
    assert one(changed, "aws:lb/loadBalancer:LoadBalancer").inputs["idleTimeout"] == 120


def test_https_listener_tls13_requires_the_origin_header_and_http_only_redirects(run):
    listeners = {r.inputs["port"]: r.inputs for r in run.of_type("aws:lb/listener:Listener")}
    https, http = listeners[443], listeners[80]
    assert https["protocol"] == "HTTPS"
    assert https["sslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert https["certificateArn"].endswith("certificate/regional")
    assert https["defaultActions"][0]["type"] == "fixed-response"
    assert https["defaultActions"][0]["fixedResponse"]["statusCode"] == "403"
    (redirect,) = http["defaultActions"]
    assert redirect["type"] == "redirect" and redirect["redirect"]["protocol"] == "HTTPS"
    rule = one(run, "aws:lb/listenerRule:ListenerRule")
    (condition,) = rule.inputs["conditions"]
    assert condition["httpHeader"]["httpHeaderName"] == "X-Origin-Verify"
    assert condition["httpHeader"]["values"] == ["[secret]"]
    assert rule.inputs["actions"][0]["type"] == "forward"


def test_autoscaling_between_min_and_max_on_cpu_and_memory(run):
    target = one(run, "aws:appautoscaling/target:Target").inputs
    assert (target["minCapacity"], target["maxCapacity"]) == (2, 10)
    assert target["resourceId"] == "service/acme-prod-api/acme-prod-api"
    policies = {
        p.inputs["targetTrackingScalingPolicyConfiguration"]["predefinedMetricSpecification"][
            "predefinedMetricType"
        ]: p.inputs["targetTrackingScalingPolicyConfiguration"]["targetValue"]
        for p in run.of_type("aws:appautoscaling/policy:Policy")
    }
    assert policies == {"ECSServiceAverageCPUUtilization": 70, "ECSServiceAverageMemoryUtilization": 80}


def test_optional_request_count_target():
    run = api_run(requests_per_target=500)
    (policy,) = [
        p
        for p in run.of_type("aws:appautoscaling/policy:Policy")
        if "ALBRequest"
        in p.inputs["targetTrackingScalingPolicyConfiguration"]["predefinedMetricSpecification"]["predefinedMetricType"]
    ]
    spec = policy.inputs["targetTrackingScalingPolicyConfiguration"]["predefinedMetricSpecification"]
    assert spec["resourceLabel"].startswith("app/acme-prod-api/") and "/targetgroup/" in spec["resourceLabel"]


def test_alarms_5xx_rate_latency_unhealthy_cpu_memory(run):
    found = run.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    registered = [a.name.removeprefix("api-alarm-") for a in found]
    alarms = {a.name.removeprefix("api-alarm-"): a.inputs for a in found}
    assert sorted(registered) == sorted(
        {"5xx-rate", "latency-p95", "target-5xx-rate", "unhealthy-hosts", "cpu-high", "memory-high"}
    )
    rate = alarms["5xx-rate"]
    assert [q["id"] for q in rate["metricQueries"]] == ["errors", "requests", "rate"]
    assert rate["metricQueries"][2]["expression"] == "100 * errors / requests"
    assert rate["threshold"] == 5
    assert alarms["latency-p95"]["extendedStatistic"] == "p95"
    assert alarms["latency-p95"]["threshold"] == 2
    for alarm in alarms.values():
        assert alarm["alarmActions"] == ["arn:aws:sns:me-south-1:123456789012:alerts"]


def test_origin_record_points_at_the_alb(run):
    record = one(run, "aws:route53/record:Record").inputs
    assert record["name"] == "origin-api.example.com" and record["type"] == "A"
    assert record["aliases"][0]["name"].endswith(".me-south-1.elb.amazonaws.com")


def test_dockerfile_build_uses_awsx_image_for_the_architecture():
    run = api_run(image=ImageBuild("app", "Dockerfile"), architecture="X86_64")
    image = one(run, "awsx:ecr:Image")
    assert image.inputs["platform"] == "linux/amd64"
    assert image.inputs["context"] == "app"
    tag = image.inputs["imageTag"]
    assert tag.startswith("build-")
    lifecycle = json.loads(one(run, "aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs["policy"])
    assert lifecycle["rules"][0]["selection"]["tagPatternList"] == [tag]
    assert "@sha256:" in container(run)["image"]


def test_every_child_is_parented_to_the_component(run):
    component = one(run, "webstack:compute:FargateApi")
    for reg in run.custom():
        if reg.name != "db-sg":
            assert component in ancestors(run, reg), reg.urn


def test_fargate_spot_capacity_for_non_prod():
    run = api_run(spot=True)
    service = one(run, "aws:ecs/service:Service").inputs
    assert "launchType" not in service
    assert service["capacityProviderStrategies"] == [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]
    providers = one(run, "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders").inputs
    assert providers["capacityProviders"] == ["FARGATE", "FARGATE_SPOT"]


def test_scheduled_scale_to_zero_out_of_hours():
    run = api_run(schedule=("MON-FRI", 6, 18))
    actions = {a.inputs["name"]: a.inputs for a in run.of_type("aws:appautoscaling/scheduledAction:ScheduledAction")}
    start, stop = actions["acme-prod-api-start"], actions["acme-prod-api-stop"]
    assert start["schedule"] == "cron(0 6 ? * MON-FRI *)"
    assert start["scalableTargetAction"] == {"minCapacity": 2, "maxCapacity": 10}
    assert stop["schedule"] == "cron(0 18 ? * MON-FRI *)"
    assert stop["scalableTargetAction"] == {"minCapacity": 0, "maxCapacity": 0}
    assert api_run().of_type("aws:appautoscaling/scheduledAction:ScheduledAction") == []
    # Weekday nights: started Monday to Friday evenings, stopped the morning after (TUE-SAT).
    night = api_run(schedule=("MON-FRI", 20, 4))
    crons = {
        a.inputs["name"]: a.inputs["schedule"]
        for a in night.of_type("aws:appautoscaling/scheduledAction:ScheduledAction")
    }
    assert crons == {"acme-prod-api-start": "cron(0 20 ? * MON-FRI *)", "acme-prod-api-stop": "cron(0 4 ? * TUE-SAT *)"}


def test_scheduled_service_alarms_keep_their_state_while_scaled_to_zero():
    def service_alarms(run):
        return {
            a.inputs["metricName"]: a.inputs["treatMissingData"]
            for a in run.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
            if a.inputs.get("namespace") == "AWS/ECS"
        }

    assert service_alarms(api_run(schedule=("MON-FRI", 6, 18))) == {
        "CPUUtilization": "ignore",
        "MemoryUtilization": "ignore",
    }
    assert set(service_alarms(api_run()).values()) == {"missing"}


def test_app_secrets_are_empty_cmk_secrets_injected_and_readable_by_the_execution_role():
    run = api_run(app_secrets=("JWT_SECRET",))
    secret = run.named("api-secret-jwt-secret")
    assert secret.inputs["name"] == "acme-prod/api/jwt_secret"
    assert secret.inputs["kmsKeyId"].startswith("arn:aws:kms:me-south-1:")
    assert run.of_type("aws:secretsmanager/secretVersion:SecretVersion") == []  # value set out of band
    secret_arn = "arn:aws:secretsmanager:me-south-1:123456789012:secret:acme-prod/api/jwt_secret-"
    injected = {s["name"]: s["valueFrom"] for s in container(run)["secrets"]}
    assert injected["JWT_SECRET"].startswith(secret_arn)
    policy = {s["Sid"]: s for s in statements(document(run.named("api-execution-policy"), "policy"))}
    assert injected["JWT_SECRET"] in policy["ReadInjectedSecrets"]["Resource"]
    api_key = f"arn:aws:kms:me-south-1:123456789012:key/{run.named('api-key').id}"
    assert api_key in policy["DecryptInjectedSecrets"]["Resource"]


def test_services_share_one_alb_routed_by_path_then_host_then_catch_all():
    backend = ServiceSpec(
        name="backend", route=Route(hosts=("app.example.com",), paths=("/api/*",)), container_port=9000
    )
    frontend = ServiceSpec(name="frontend", route=Route(hosts=("app.example.com",)), container_port=3000)
    run = api_run(extra_services=(frontend, backend))
    assert len(run.of_type("aws:lb/loadBalancer:LoadBalancer")) == 1
    assert len(run.of_type("aws:ecs/cluster:Cluster")) == 1
    rules = sorted(run.of_type("aws:lb/listenerRule:ListenerRule"), key=lambda r: r.inputs["priority"])
    assert [r.name for r in rules] == [
        "api-backend-from-cloudfront",
        "api-frontend-from-cloudfront",
        "api-from-cloudfront",
    ]
    backend_rule = rules[0].inputs["conditions"]
    assert {"hostHeader": {"values": ["app.example.com"]}} in backend_rule
    assert {"pathPattern": {"values": ["/api/*"]}} in backend_rule
    assert all(any("httpHeader" in c for c in r.inputs["conditions"]) for r in rules)  # CloudFront's secret
    services = {s.inputs["name"]: s.inputs for s in run.of_type("aws:ecs/service:Service")}
    assert set(services) == {"acme-prod-api", "acme-prod-frontend", "acme-prod-backend"}
    ports = {r.inputs["fromPort"] for r in run.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")}
    assert {8000, 3000, 9000} <= ports
    repositories = {r.inputs["name"] for r in run.of_type("aws:ecr/repository:Repository")}
    assert repositories == {"acme-prod-api", "acme-prod-frontend", "acme-prod-backend"}


def test_worker_service_has_no_load_balancer_and_own_scaling():
    worker = ServiceSpec(name="worker", route=None, cpu=256, memory_mib=512, min_count=1, max_count=4)
    run = api_run(extra_services=(worker,))
    service = next(s.inputs for s in run.of_type("aws:ecs/service:Service") if s.inputs["name"] == "acme-prod-worker")
    assert "loadBalancers" not in service and "healthCheckGracePeriodSeconds" not in service
    assert service["networkConfiguration"]["assignPublicIp"] is False
    targets = {t.inputs["resourceId"]: t.inputs for t in run.of_type("aws:appautoscaling/target:Target")}
    assert targets["service/acme-prod-api/acme-prod-worker"]["maxCapacity"] == 4
    assert len(run.of_type("aws:lb/targetGroup:TargetGroup")) == 1
    alarms = {a.name for a in run.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")}
    assert {"api-worker-alarm-cpu-high", "api-worker-alarm-memory-high"} <= alarms
    assert "api-worker-alarm-unhealthy-hosts" not in alarms


def test_only_workers_means_no_load_balancer_at_all():
    def program():
        FargateApi(
            "jobs",
            FargateApiArgs(
                name_prefix="acme",
                vpc_id="vpc-1",
                public_subnet_ids=["a", "b"],
                private_subnet_ids=["c", "d"],
                certificate_arn="arn:cert",
                log_bucket_name="logs",
                services=[ServiceSpec(name="worker", route=None)],
            ),
        )

    run = render(program)
    assert run.of_type("aws:lb/loadBalancer:LoadBalancer") == []
    assert run.of_type("aws:ec2/securityGroup:SecurityGroup")[0].name == "jobs-task-sg"
    assert len(run.of_type("aws:ecs/service:Service")) == 1


def test_without_a_certificate_the_internal_alb_listens_on_http_for_the_vpc_origin_only():
    """No custom domain: no certificate can name the ALB, so CloudFront's VPC origin reaches it on
    HTTP 80 inside AWS's network; the listener still forwards only what carries the secret header,
    and what that weakens is tagged for the policy pack (AcceptedRisk only when accepted)."""
    run = api_run(certificate_arn=None, load_balancer_scheme="internal", origin_hostname=None, zone_id=None)
    (listener,) = run.of_type("aws:lb/listener:Listener")
    assert (listener.inputs["port"], listener.inputs["protocol"]) == (80, "HTTP")
    assert "certificateArn" not in listener.inputs and "sslPolicy" not in listener.inputs
    assert listener.inputs["defaultActions"][0]["fixedResponse"]["statusCode"] == "403"
    assert listener.inputs["tags"] == {"CustomDomain": "none"}
    (rule,) = run.of_type("aws:lb/listenerRule:ListenerRule")
    assert rule.inputs["listenerArn"] == listener.id or listener.urn in rule.property_dependencies["listenerArn"]
    assert any("httpHeader" in c for c in rule.inputs["conditions"])
    origin = one(run, "aws:cloudfront/vpcOrigin:VpcOrigin").inputs
    assert origin["vpcOriginEndpointConfig"]["originProtocolPolicy"] == "http-only"
    assert origin["tags"] == {"CustomDomain": "none"}
    ingress = [
        r.inputs
        for r in run.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if r.inputs["securityGroupId"] == run.named("api-alb-sg").id
    ]
    assert [(r["fromPort"], r["toPort"], "prefixListId" in r) for r in ingress] == [(80, 80, True)]
    assert run.of_type("aws:route53/record:Record") == []
    accepted = api_run(
        certificate_arn=None, load_balancer_scheme="internal", accept_no_custom_domain=True, zone_id=None
    )
    assert one(accepted, "aws:lb/listener:Listener").inputs["tags"] == {
        "CustomDomain": "none",
        "AcceptedRisk": "no-custom-domain",
    }


def test_an_internet_facing_alb_without_a_certificate_is_refused_before_anything_registers():
    with pytest.raises(Exception, match="certificate_arn: an internet-facing ALB needs a certificate"):
        api_run(certificate_arn=None)
