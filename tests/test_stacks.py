"""The shipped stacks (Pulumi.dev.yaml, Pulumi.prod.yaml) rendered through the real __main__.py."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import yaml

from webstack.offline.plan_json import plan_document
from webstack.program.config import price_class_for_region
from webstack.program.config_problems import ConfigError
from webstack.program.stack_settings import parse_stack_config, read_config_file

from .helpers import ROOT, ancestors, render_stack_file, shipped_stack

REGISTRY_SCANNING = "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration"

COMPONENTS = {
    "webstack:network:SecureVpc",
    "webstack:data:ManagedPostgres",
    "webstack:data:RedisCache",
    "webstack:compute:FargateApi",
    "webstack:storage:StaticSite",
    "webstack:edge:EdgeDomain",
    "webstack:edge:EdgeDistribution",
    "webstack:observability:AlertTopic",
    "webstack:observability:StackDashboard",
    "webstack:data:CacheTokenRotation",
    "webstack:serverless:LambdaFunction",  # the cache AUTH rotation function
    "webstack:supply:RegistryScanning",
}


def stack_run(stack: str):
    return shipped_stack(stack)


def inputs_of(stack, resource_type):
    return [r.inputs for r in stack_run(stack).of_type(resource_type)]


# Prod keeps its backups and its uploads' replica in a second region (webstack:backup); dev has neither.
RECOVERY = {"webstack:data:StackBackup", "webstack:storage:BucketReplication"}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_stack_has_every_component_and_all_resources_belong_to_one(stack):
    run = stack_run(stack)
    expected = COMPONENTS | (RECOVERY if stack == "prod" else set())
    assert {r.type for r in run.registrations if r.type.startswith("webstack:")} == expected
    for reg in run.custom():
        if reg.type.startswith("pulumi:providers:"):
            continue
        assert any(a.type in expected for a in ancestors(run, reg)), reg.urn


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_every_aws_resource_uses_the_stack_provider_with_default_tags(stack):
    run = stack_run(stack)
    (provider,) = run.of_type("pulumi:providers:aws")
    assert provider.inputs["region"] == "me-south-1"
    # The engine hands provider config over as JSON strings.
    tags = json.loads(provider.inputs["defaultTags"])["tags"]
    assert tags["Environment"] == stack and tags["ManagedBy"] == "pulumi" and tags["Project"] == "exiuscart"
    for reg in run.custom():
        if reg.type.startswith("aws:"):
            assert reg.provider.startswith(provider.urn + "::"), reg.urn


def test_dev_is_single_az_data_with_one_nat_instance():
    assert inputs_of("dev", "aws:ec2/natGateway:NatGateway") == []
    (nat,) = inputs_of("dev", "aws:ec2/instance:Instance")
    assert nat["instanceType"] == "t4g.nano" and nat["sourceDestCheck"] is False
    (db,) = [i for i in inputs_of("dev", "aws:rds/instance:Instance")]
    assert db["multiAz"] is False and db["instanceClass"] == "db.t4g.micro"
    assert db["backupRetentionPeriod"] == 7
    (cache,) = inputs_of("dev", "aws:elasticache/replicationGroup:ReplicationGroup")
    assert cache["numCacheClusters"] == 1 and cache["nodeType"] == "cache.t4g.micro"


def test_prod_is_multi_az_with_nat_per_az_replica_and_30_day_backups():
    nats = inputs_of("prod", "aws:ec2/instance:Instance")  # one NAT instance per AZ
    assert len(nats) == 2 and all(nat["sourceDestCheck"] is False for nat in nats)
    (db,) = inputs_of("prod", "aws:rds/instance:Instance")
    assert db["multiAz"] is True and db["backupRetentionPeriod"] == 30
    assert db["deletionProtection"] is True and db["skipFinalSnapshot"] is False
    (cache,) = inputs_of("prod", "aws:elasticache/replicationGroup:ReplicationGroup")
    assert cache["numCacheClusters"] == 2 and cache["automaticFailoverEnabled"] is True


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_two_azs_for_every_subnet_tier(stack):
    subnets = inputs_of(stack, "aws:ec2/subnet:Subnet")
    tiers = Counter(s["tags"]["Tier"] for s in subnets)
    assert tiers == {"public": 2, "private": 2, "isolated": 2}
    assert {s["availabilityZone"] for s in subnets} == {"me-south-1a", "me-south-1b"}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_no_secret_value_in_plan_or_outputs(stack):
    run = stack_run(stack)
    generated = [state["result"] for urn, state in run.states.items() if "RandomPassword" in urn]
    text = json.dumps(plan_document(run)) + json.dumps(run.outputs)
    assert generated and all(value not in text for value in generated)
    assert set(run.outputs) == {
        "vpcId",
        "privateSubnetIds",
        "databaseAddress",
        "databaseMasterSecretArn",
        "cacheEndpoint",
        "cacheAuthSecretArn",
        "alertTopicArn",
        "logBucket",
        "buckets",
        "apiRepositoryUrl",
        "apiServiceName",
        "apiClusterName",
        "apiTaskSecurityGroupId",
        "services",
        "loadBalancerDnsName",
        "databasePort",
        "cachePort",
        "databaseUsersTaskDefinition",
        "hosts",
        "apiHost",
        "region",
        "siteDistributions",
    } | ({"backupVaultName", "backupCopyVaultArn", "replicaBuckets"} if stack == "prod" else set())


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_service_tasks_output_what_run_and_tunnel_read(stack):
    """webstack run starts the task definition with another command and follows
    <logGroup>/<logStreamPrefix>/<container>/<task id>; tunnel needs exec on."""
    run = stack_run(stack)
    (api,) = run.outputs["services"].values()
    assert api["serviceName"] == run.outputs["apiServiceName"]
    (definition,) = [r for r in run.of_type("aws:ecs/taskDefinition:TaskDefinition") if r.name == "api-task"]
    assert api["taskDefinitionArn"] == run.states[definition.urn]["arn"]
    # prod traces its API: the OpenTelemetry collector runs beside the app container, which comes first.
    container = json.loads(definition.inputs["containerDefinitions"])[0]
    options = container["logConfiguration"]["options"]
    assert (api["container"], api["logGroup"], api["logStreamPrefix"]) == (
        container["name"], options["awslogs-group"], options["awslogs-stream-prefix"]
    )  # fmt: skip
    assert api["exec"] is (stack == "dev")
    assert (run.outputs["databasePort"], run.outputs["cachePort"]) == (5432, 6379)


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_data_stores_sit_in_isolated_subnets(stack):
    run = stack_run(stack)
    isolated = {r.id for r in run.of_type("aws:ec2/subnet:Subnet") if r.inputs["tags"]["Tier"] == "isolated"}
    (rds_subnets,) = inputs_of(stack, "aws:rds/subnetGroup:SubnetGroup")
    (cache_subnets,) = inputs_of(stack, "aws:elasticache/subnetGroup:SubnetGroup")
    assert set(rds_subnets["subnetIds"]) == isolated
    assert set(cache_subnets["subnetIds"]) == isolated


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_every_kms_key_rotates_and_every_log_group_is_encrypted_with_retention(stack):
    for key in inputs_of(stack, "aws:kms/key:Key"):
        assert key["enableKeyRotation"] is True
    for group in inputs_of(stack, "aws:cloudwatch/logGroup:LogGroup"):
        # CloudFront's WAF logs in us-east-1, with a key of its own there.
        assert group["kmsKeyId"].startswith(f"arn:aws:kms:{group.get('region', 'me-south-1')}:")
        assert group["retentionInDays"] in (14, 90)


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_alarms_notify_the_encrypted_alert_topic(stack):
    (topic,) = stack_run(stack).of_type("aws:sns/topic:Topic")
    assert topic.inputs["kmsMasterKeyId"].startswith("arn:aws:kms:me-south-1:")
    topic_arn = f"arn:aws:sns:me-south-1:123456789012:{topic.inputs['name']}"
    alarms = inputs_of(stack, "aws:cloudwatch/metricAlarm:MetricAlarm")
    assert alarms and all(a["alarmActions"][-1:] == [topic_arn] for a in alarms)
    # Only the NAT instance's status alarm acts besides notifying: it reboots the instance.
    assert {action for a in alarms for action in a["alarmActions"][:-1]} <= {"arn:aws:automate:me-south-1:ec2:reboot"}


SEED_000_HOSTS = {"", "www", "app", "admin", "api", "assets"}


@pytest.mark.parametrize(("stack", "domain"), [("dev", "dev.exiuscart.com"), ("prod", "exiuscart.com")])
def test_every_seed_000_domain_is_served_by_its_origin(stack, domain):
    run = stack_run(stack)
    hosts = run.outputs["hosts"]
    assert {h.removesuffix(domain).rstrip(".") for h in hosts} == SEED_000_HOSTS
    aliases = {a for d in run.of_type("aws:cloudfront/distribution:Distribution") for a in d.inputs["aliases"]}
    assert aliases == set(hosts)
    origins = {
        d.inputs["aliases"][0]: d.inputs["origins"][0] for d in run.of_type("aws:cloudfront/distribution:Distribution")
    }
    (vpc_origin,) = run.of_type("aws:cloudfront/vpcOrigin:VpcOrigin")
    assert origins[f"api.{domain}"]["vpcOriginConfig"]["vpcOriginId"] == vpc_origin.id
    assert "customOriginConfig" not in origins[f"api.{domain}"]
    for host in ("app", "admin", "assets"):
        assert "originAccessControlId" in origins[f"{host}.{domain}"]
    assert "originAccessControlId" in origins[domain]


def test_prod_has_waf_deletion_protection_and_multi_az():
    run = stack_run("prod")
    (acl,) = run.of_type("aws:wafv2/webAcl:WebAcl")
    acl_arn = f"arn:aws:wafv2:us-east-1:123456789012:global/webacl/{acl.inputs['name']}/{acl.id}"
    for distribution in run.of_type("aws:cloudfront/distribution:Distribution"):
        assert distribution.inputs["webAclId"] == acl_arn
    (alb,) = inputs_of("prod", "aws:lb/loadBalancer:LoadBalancer")
    assert alb["enableDeletionProtection"] is True
    (db,) = inputs_of("prod", "aws:rds/instance:Instance")
    assert db["multiAz"] is True and db["deletionProtection"] is True
    assert inputs_of("dev", "aws:wafv2/webAcl:WebAcl") == []


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_nothing_is_public_but_cloudfront_and_the_albs_443_from_cloudfront(stack):
    run = stack_run(stack)
    ingress = inputs_of(stack, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    for rule in ingress:
        assert rule.get("cidrIpv4") not in ("0.0.0.0/0",) and "cidrIpv6" not in rule
    (alb,) = run.of_type("aws:lb/loadBalancer:LoadBalancer")
    private = {s.id for s in run.of_type("aws:ec2/subnet:Subnet") if s.inputs["tags"]["Tier"] == "private"}
    assert alb.inputs["internal"] is True and set(alb.inputs["subnets"]) <= private  # no public ALB at all
    (alb_sg,) = [r for r in run.of_type("aws:ec2/securityGroup:SecurityGroup") if r.name == "api-alb-sg"]
    open_to_internet = [r for r in ingress if "prefixListId" in r]
    assert [(r["securityGroupId"], r["fromPort"], r["toPort"]) for r in open_to_internet] == [(alb_sg.id, 443, 443)]
    vpc_cidr = "10.0.0.0/16"
    private = {s["cidrBlock"] for s in inputs_of(stack, "aws:ec2/subnet:Subnet") if s["tags"]["Tier"] == "private"}
    assert all(r.get("cidrIpv4") in (None, vpc_cidr, *private) for r in ingress)
    assert all(s["mapPublicIpOnLaunch"] is False for s in inputs_of(stack, "aws:ec2/subnet:Subnet"))
    assert all(i["publiclyAccessible"] is False for i in inputs_of(stack, "aws:rds/instance:Instance"))
    (service,) = inputs_of(stack, "aws:ecs/service:Service")
    assert service["networkConfiguration"]["assignPublicIp"] is False
    buckets = run.of_type("aws:s3/bucket:Bucket")
    blocks = {b.inputs["bucket"] for b in run.of_type("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")}
    assert {b.id for b in buckets} == blocks
    for block in inputs_of(stack, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"):
        assert all(
            block[k] for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
        )


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_api_reaches_its_data_stores_and_they_admit_only_the_api(stack):
    run = stack_run(stack)
    task_sg = run.named("api-task-sg").id
    db_sg, cache_sg = run.named("database-sg").id, run.named("cache-sg").id
    rotation_sg = run.named("cache-rotation-sg").id
    ingress = inputs_of(stack, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert [(r["referencedSecurityGroupId"], r["fromPort"]) for r in ingress if r["securityGroupId"] == db_sg] == [
        (task_sg, 5432)
    ]
    # The cache also admits its AUTH rotation function (it checks the new token before it is current).
    assert sorted(
        (r["referencedSecurityGroupId"], r["fromPort"]) for r in ingress if r["securityGroupId"] == cache_sg
    ) == sorted([(task_sg, 6379), (rotation_sg, 6379)])
    (task,) = [t for t in inputs_of(stack, "aws:ecs/taskDefinition:TaskDefinition") if t["family"].endswith("-api")]
    container = json.loads(task["containerDefinitions"])[0]
    assert {s["name"] for s in container["secrets"]} == {"REDIS_URL"}
    environment = {e["name"]: e["value"] for e in container["environment"] if not e["name"].startswith("OTEL_")}
    assert set(environment) == {
        "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_IAM_AUTH", "DATABASE_URL", "UPLOADS_BUCKET", "BACKUPS_BUCKET"
    }  # fmt: skip
    assert (environment["DB_USER"], environment["DB_IAM_AUTH"]) == ("app", "true")
    # Seed 000's DATABASE_URL, without a password: the app passes an IAM token when it connects.
    host = environment["DB_HOST"]
    assert environment["DATABASE_URL"] == f"postgresql://app@{host}:5432/{environment['DB_NAME']}?sslmode=require"


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_api_logs_in_to_the_database_with_iam_authentication_not_the_rotating_master_password(stack):
    """RDS rotates the master secret every 7 days and ECS reads secrets only when a task starts:
    a password injected at start stops working under running tasks. A 15-minute IAM token is made
    per connection instead, as the app user, which is all the task role may log in as."""
    run = stack_run(stack)
    (db,) = [r for r in run.of_type("aws:rds/instance:Instance") if r.name == "database-primary"]
    assert db.inputs["iamDatabaseAuthenticationEnabled"] is True
    resource_id = run.states[db.urn]["resourceId"]
    (task_policy,) = [r for r in run.of_type("aws:iam/rolePolicy:RolePolicy") if r.name == "api-task-policy"]
    connect = next(s for s in json.loads(task_policy.inputs["policy"])["Statement"] if s["Action"] == "rds-db:connect")
    assert connect["Resource"] == [f"arn:aws:rds-db:me-south-1:123456789012:dbuser:{resource_id}/app"]
    (execution,) = [r for r in run.of_type("aws:iam/rolePolicy:RolePolicy") if r.name == "api-execution-policy"]
    readable = json.dumps(json.loads(execution.inputs["policy"]))
    assert "rds!db-" not in readable  # the master secret is for administrators only


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_seed_000_buckets(stack):
    run = stack_run(stack)
    buckets = {
        r.name.removesuffix("-bucket"): r for r in run.of_type("aws:s3/bucket:Bucket") if "region" not in r.inputs
    }  # prod's uploads replica and its log bucket are in eu-central-1
    assert set(buckets) == {
        "website",
        "shop-dashboard",
        "admin-dashboard",
        "assets",
        "uploads",
        "backups",
        "logs",
    }
    versioned = {
        r.inputs["bucket"] for r in run.of_type("aws:s3/bucketVersioning:BucketVersioning") if "region" not in r.inputs
    }
    assert versioned == {buckets["uploads"].id, buckets["backups"].id}
    cors = {r.inputs["bucket"] for r in run.of_type("aws:s3/bucketCorsConfiguration:BucketCorsConfiguration")}
    assert cors == {buckets["uploads"].id}


def test_account_id_pins_the_provider(tmp_path):
    text = (
        (ROOT / "Pulumi.dev.yaml")
        .read_text()
        .replace("config:\n", 'config:\n  webstack:account_id: "111122223333"\n', 1)
    )
    (tmp_path / "Pulumi.dev.yaml").write_text(text)
    run = render_stack_file(tmp_path / "Pulumi.dev.yaml", "dev")
    (provider,) = run.of_type("pulumi:providers:aws")
    assert json.loads(provider.inputs["allowedAccountIds"]) == ["111122223333"]
    assert "allowedAccountIds" not in shipped_stack("dev").of_type("pulumi:providers:aws")[0].inputs


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_gulf_users_are_served_from_middle_east_edge_locations(stack):
    """PriceClass_100 has no Middle East edge: Gulf viewers would cross to Europe."""
    classes = {d["priceClass"] for d in inputs_of(stack, "aws:cloudfront/distribution:Distribution")}
    assert classes == {"PriceClass_200"}


@pytest.mark.parametrize(
    ("region", "price_class"),
    [("me-south-1", "PriceClass_200"), ("me-central-1", "PriceClass_200"), ("ap-south-1", "PriceClass_200"),
     ("ap-northeast-1", "PriceClass_200"), ("af-south-1", "PriceClass_200"), ("us-east-1", "PriceClass_100"),
     ("eu-west-1", "PriceClass_100"), ("il-central-1", "PriceClass_100"), ("sa-east-1", "PriceClass_All"),
     ("ap-southeast-2", "PriceClass_All")],
)  # fmt: skip
def test_the_default_price_class_includes_the_stack_regions_users(region, price_class):
    assert price_class_for_region(region) == price_class


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_someone_hears_the_alarms(stack):
    run = stack_run(stack)
    topic = run.named("alerts-topic")
    (subscription,) = inputs_of(stack, "aws:sns/topicSubscription:TopicSubscription")
    assert subscription["protocol"] == "email" and subscription["endpoint"] == "platform-alerts@exiuscart.com"
    (sub,) = run.of_type("aws:sns/topicSubscription:TopicSubscription")
    assert sub.property_dependencies["topic"] == [topic.urn]


def test_dev_destroys_cleanly_and_can_be_created_again_at_once():
    """Secrets go without a recovery window (their names are free at once), buckets and image
    repositories are emptied instead of stopping destroy."""
    assert all(b["forceDestroy"] for b in inputs_of("dev", "aws:s3/bucket:Bucket"))
    assert all(r["forceDelete"] for r in inputs_of("dev", "aws:ecr/repository:Repository"))
    assert {s["recoveryWindowInDays"] for s in inputs_of("dev", "aws:secretsmanager/secret:Secret")} == {0}


def test_prod_keeps_its_data_on_destroy():
    assert not any(b.get("forceDestroy") for b in inputs_of("prod", "aws:s3/bucket:Bucket"))
    assert not any(r.get("forceDelete") for r in inputs_of("prod", "aws:ecr/repository:Repository"))
    assert {s["recoveryWindowInDays"] for s in inputs_of("prod", "aws:secretsmanager/secret:Secret")} == {7}
    (database,) = [r for r in stack_run("prod").of_type("aws:rds/instance:Instance")]
    assert database.protect and database.inputs["deletionProtection"]


def test_keep_data_on_destroy_follows_the_policy_config_unless_set():
    raw = read_config_file(ROOT / "Pulumi.dev.yaml")[0]
    assert parse_stack_config(raw, "dev", "dev").keep_data_on_destroy is False
    assert parse_stack_config(raw | {"webstack:keep_data_on_destroy": True}, "dev", "dev").keep_data_on_destroy
    prod = read_config_file(ROOT / "Pulumi.prod.yaml")[0]
    assert parse_stack_config(prod, "prod", "prod").keep_data_on_destroy is True
    # A copy of dev under another stack name says environment dev: judged like dev. Without
    # that key, the name is the environment, judged like prod, and it keeps its data too.
    assert parse_stack_config(raw, "sandbox", "sandbox").keep_data_on_destroy is False
    unnamed = {k: v for k, v in raw.items() if k != "webstack:environment"}
    assert parse_stack_config(unnamed, "sandbox", "sandbox").keep_data_on_destroy is True


def test_a_stack_of_workers_only_needs_no_domain_and_builds_them_without_a_load_balancer(tmp_path):
    config = {
        "aws:region": "us-east-1",
        "webstack:environment": "dev",
        "webstack:name_prefix": "workers-dev",
        "webstack:tags": {"Owner": "platform"},
        "webstack:services": {"worker": {"worker": True, "image": "{repository}:1.0.0"}},
    }
    path = tmp_path / "workers-dev.yaml"
    path.write_text(yaml.safe_dump({"config": config}))
    run = render_stack_file(path, "workers-dev")
    # Nothing is served: no zone, certificate, distribution or web ACL.
    for kind in ("acm/certificate:Certificate", "cloudfront/distribution:Distribution", "wafv2/webAcl:WebAcl"):
        assert run.of_type(f"aws:{kind}") == []
    (service,) = run.of_type("aws:ecs/service:Service")
    assert service.inputs["name"] == "workers-dev-worker" and "loadBalancers" not in service.inputs
    assert run.of_type("aws:lb/loadBalancer:LoadBalancer") == []


def test_a_stack_without_a_domain_serves_its_sites_on_their_cloudfront_names(tmp_path):
    """webstack:domain left out: each site gets a distribution on *.cloudfront.net with the shared
    WAF, headers and logs, no zone, certificate or record; the hosts output names those URLs."""
    config = {
        "aws:region": "us-east-1",
        "webstack:environment": "dev",
        "webstack:name_prefix": "docs-dev",
        "webstack:tags": {"Owner": "platform"},
        "webstack:network": False,
        "webstack:database": False,
        "webstack:cache": False,
        "webstack:sites": {"docs": {"spa": True}, "blog": {"cache": "dashboard"}},
    }
    path = tmp_path / "docs-dev.yaml"
    path.write_text(yaml.safe_dump({"config": config}))
    run = render_stack_file(path, "docs-dev")
    distributions = run.of_type("aws:cloudfront/distribution:Distribution")
    assert len(distributions) == 2
    for distribution in distributions:
        assert distribution.inputs["viewerCertificate"] == {"cloudfrontDefaultCertificate": True}
        assert distribution.inputs["tags"] == {"CustomDomain": "none"}  # not accepted: advisory in dev
        assert distribution.inputs["webAclId"]
        assert distribution.inputs["defaultCacheBehavior"]["responseHeadersPolicyId"]
    for kind in ("acm/certificate:Certificate", "route53/record:Record", "cloudfront/function:Function"):
        assert run.of_type(f"aws:{kind}") == []
    names = {run.states[d.urn]["domainName"] for d in distributions}
    assert set(run.outputs["hosts"]) == names
    assert sorted(run.outputs["hosts"].values()) == ["S3 bucket blog (dashboard)", "S3 bucket docs (marketing)"]
    with pytest.raises(ConfigError, match=r"webstack:sites\.docs\.host: needs webstack:domain\.name"):
        parse_stack_config(config | {"webstack:sites": {"docs": {"host": "docs"}}}, "docs-dev", "docs-dev.yaml")


def test_the_registry_scans_every_push_in_dev_and_continuously_with_inspector_in_prod():
    rule = {"repositoryFilters": [{"filter": "*", "filterType": "WILDCARD"}]}
    assert inputs_of("dev", REGISTRY_SCANNING) == [
        {"scanType": "BASIC", "rules": [{**rule, "scanFrequency": "SCAN_ON_PUSH"}]}
    ]
    assert inputs_of("prod", REGISTRY_SCANNING) == [
        {"scanType": "ENHANCED", "rules": [{**rule, "scanFrequency": "CONTINUOUS_SCAN"}]}
    ]
    without = parse_stack_config(
        {**read_config_file(ROOT / "Pulumi.prod.yaml")[0], "webstack:image_scanning": {"registry": None}}, "prod", "x"
    )
    assert without.image_scanning.registry is None  # left to an account baseline (build_registry_scanning skips it)
    with pytest.raises(ConfigError, match="continuous: only `registry: enhanced` rescans continuously"):
        parse_stack_config(
            {**read_config_file(ROOT / "Pulumi.dev.yaml")[0],
             "webstack:image_scanning": {"registry": "basic", "continuous": True}}, "dev", "x",
        )  # fmt: skip
