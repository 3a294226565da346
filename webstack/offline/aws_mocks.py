"""Mocks that answer like AWS where the program reads outputs: ids, ARNs, endpoints, invokes.

Values are derived from the resource's URN-ish identity (type and name) with a hash, so the same
program gives the same plan on every run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import pulumi

ACCOUNT_ID = "123456789012"
# The managed prefix list "com.amazonaws.global.cloudfront.origin-facing" has this id in every
# commercial region.
CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = "pl-3b927c52"


def _hex(seed: str, length: int = 17) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:length]


def _physical_name(args: pulumi.runtime.MockResourceArgs, key: str = "name") -> str:
    """The name AWS would see: the given one, or the logical name plus a random-looking suffix."""
    given = args.inputs.get(key)
    return str(given) if given else f"{args.name}-{_hex(args.typ + args.name, 7)}"


# Resource id prefixes of EC2-style resources.
_EC2_ID_PREFIX = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
    "aws:ec2/flowLog:FlowLog": "fl",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
    "aws:ec2/route:Route": "r",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
}


class AwsMocks(pulumi.runtime.Mocks):
    """Answers resource registrations and invokes for one account and region."""

    def __init__(self, region: str = "us-east-1", account_id: str = ACCOUNT_ID) -> None:
        self.region = region
        self.account_id = account_id

    # -- resources -----------------------------------------------------------------------------

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict]:
        state = dict(args.inputs)
        region = str(state.get("region") or self.region)
        handler = _RESOURCE_STATE.get(args.typ)
        if handler is not None:
            resource_id, extra = handler(self, args, region)
        elif args.typ in _EC2_ID_PREFIX:
            resource_id = f"{_EC2_ID_PREFIX[args.typ]}-{_hex(args.typ + args.name)}"
            extra = {"arn": self._arn("ec2", region, f"{args.typ.split(':')[-1].lower()}/{resource_id}")}
        else:
            resource_id = f"{args.name}-{_hex(args.typ + args.name, 8)}"
            extra = {}
        state.update(extra)
        if args.typ.startswith("aws:"):
            state.setdefault("region", region)
        return resource_id, state

    def _arn(self, service: str, region: str, resource: str) -> str:
        return f"arn:aws:{service}:{region}:{self.account_id}:{resource}"

    # -- invokes -------------------------------------------------------------------------------

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict, list[tuple[str, str]] | None]:
        handler = _INVOKES.get(args.token)
        if handler is None:
            raise NotImplementedError(f"the offline mocks do not answer invoke {args.token}")
        return handler(self, args.args, str(args.args.get("region") or self.region)), []


InvokeHandler = Callable[[AwsMocks, dict[str, Any], str], dict[str, Any]]


def _availability_zones(m: AwsMocks, args: dict[str, Any], region: str) -> dict[str, Any]:
    return {
        "names": [f"{region}{c}" for c in "abc"],
        "zoneIds": [f"{region[:2]}{region.split('-')[1][:1]}1-az{i + 1}" for i in range(3)],
        "groupNames": [region] * 3,
        "id": region,
    }


def _caller_identity(m: AwsMocks, args: dict[str, Any], region: str) -> dict[str, Any]:
    return {
        "accountId": m.account_id,
        "arn": f"arn:aws:iam::{m.account_id}:user/webstack-plan",
        "userId": "AIDAWEBSTACKPLAN",
        "id": m.account_id,
    }


def _region(m: AwsMocks, args: dict[str, Any], region: str) -> dict[str, Any]:
    return {
        "region": region,
        "name": region,
        "id": region,
        "endpoint": f"ec2.{region}.amazonaws.com",
        "description": region,
    }


def _partition(m: AwsMocks, args: dict[str, Any], region: str) -> dict[str, Any]:
    return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}


def _managed_prefix_list(m: AwsMocks, args: dict[str, Any], region: str) -> dict[str, Any]:
    return {
        "id": CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST,
        "name": args.get("name", "com.amazonaws.global.cloudfront.origin-facing"),
        "arn": m._arn("ec2", region, f"prefix-list/{CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST}"),
        "maxEntries": 55,
    }


def _zone_lookup(m: AwsMocks, args: dict[str, Any], region: str) -> dict[str, Any]:
    name = str(args.get("name", "example.com")).rstrip(".")
    zone_id = "Z" + _hex(name, 20).upper()
    return {
        "id": zone_id,
        "zoneId": zone_id,
        "name": name,
        "arn": f"arn:aws:route53:::hostedzone/{zone_id}",
        "nameServers": [f"ns-{i}.awsdns-{i}.net" for i in (1, 2)],
        "privateZone": False,
    }


def _ssm_parameter(m: AwsMocks, args: dict[str, Any], region: str) -> dict[str, Any]:
    name = str(args.get("name", ""))
    value = f"ami-{_hex(name + region, 17)}" if "/ami-" in name else f"value-of-{name}"
    parameter = {"name": name, "value": value, "insecureValue": value, "type": "String", "id": name}
    return parameter | {"arn": f"arn:aws:ssm:{region}::parameter{name}", "version": 1}


def _policy_document(m: AwsMocks, args: dict[str, Any], region: str) -> dict[str, Any]:
    return {"json": json.dumps(policy_document_json(args)), "id": "policy"}


# What each data source (invoke) answers, by token: one entry per lookup the program makes.
_INVOKES: dict[str, InvokeHandler] = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": _availability_zones,
    "aws:index/getCallerIdentity:getCallerIdentity": _caller_identity,
    "aws:index/getRegion:getRegion": _region,
    "aws:index/getPartition:getPartition": _partition,
    "aws:ec2/getManagedPrefixList:getManagedPrefixList": _managed_prefix_list,
    "aws:route53/getZone:getZone": _zone_lookup,
    "aws:ssm/getParameter:getParameter": _ssm_parameter,
    "aws:iam/getPolicyDocument:getPolicyDocument": _policy_document,
}


def policy_document_json(args: dict[str, Any]) -> dict[str, Any]:
    """What aws.iam.getPolicyDocument renders for the given statements."""
    statements = []
    for st in args.get("statements", []):
        out: dict[str, Any] = {"Effect": st.get("effect", "Allow")}
        if st.get("sid"):
            out["Sid"] = st["sid"]
        for key, name in (("actions", "Action"), ("resources", "Resource"), ("notActions", "NotAction")):
            if st.get(key):
                out[name] = st[key] if len(st[key]) > 1 else st[key][0]
        for principal in st.get("principals", []):
            out.setdefault("Principal", {})[principal["type"]] = principal["identifiers"]
        for cond in st.get("conditions", []):
            out.setdefault("Condition", {}).setdefault(cond["test"], {})[cond["variable"]] = cond["values"]
        statements.append(out)
    return {"Version": "2012-10-17", "Statement": statements}


StateHandler = Callable[[AwsMocks, pulumi.runtime.MockResourceArgs, str], tuple[str, dict]]


def _kms_key(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    h = _hex(a.name, 32)
    key_id = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
    return key_id, {"keyId": key_id, "arn": m._arn("kms", region, f"key/{key_id}")}


def _kms_alias(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    name = _physical_name(a)
    return name, {"arn": m._arn("kms", region, name)}


def _log_group(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    name = _physical_name(a)
    return name, {"name": name, "arn": m._arn("logs", region, f"log-group:{name}")}


def _iam_role(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    name = _physical_name(a)
    return name, {
        "name": name,
        "arn": f"arn:aws:iam::{m.account_id}:role/{name}",
        "uniqueId": f"AROA{_hex(name, 16).upper()}",
    }


def _iam_role_policy(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    name = _physical_name(a)
    return f"{a.inputs.get('role', 'role')}:{name}", {"name": name}


def _sns_topic(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    arn = m._arn("sns", region, _physical_name(a))
    return arn, {"arn": arn, "name": _physical_name(a)}


def _secret(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    arn = m._arn("secretsmanager", region, f"secret:{_physical_name(a)}-{_hex(a.name, 6)}")
    return arn, {"arn": arn, "name": _physical_name(a)}


def _secret_version(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    version = _hex(a.name, 32)
    return f"{a.inputs.get('secretId')}|{version}", {"versionId": version, "arn": a.inputs.get("secretId")}


def _db_instance(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    identifier = _physical_name(a, "identifier")
    address = f"{identifier}.c{_hex(region, 11)}.{region}.rds.amazonaws.com"
    port = int(a.inputs.get("port") or 5432)
    state: dict[str, Any] = {
        "identifier": identifier,
        "arn": m._arn("rds", region, f"db:{identifier}"),
        "address": address,
        "endpoint": f"{address}:{port}",
        "port": port,
        "resourceId": f"db-{_hex(identifier, 26).upper()}",
        "hostedZoneId": "Z2R2ITUGPM61AM",
    }
    if a.inputs.get("manageMasterUserPassword"):
        state["masterUserSecrets"] = [
            {
                "secretArn": m._arn("secretsmanager", region, f"secret:rds!db-{_hex(identifier, 36)}-AbCdEf"),
                "kmsKeyId": a.inputs.get("masterUserSecretKmsKeyId") or "",
                "secretStatus": "active",
            }
        ]
    return identifier, state


def _named_arn(service: str, kind: str) -> StateHandler:
    def handler(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
        name = _physical_name(a)
        return name, {"name": name, "arn": m._arn(service, region, f"{kind}:{name}")}

    return handler


def _dynamodb_table(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    name = _physical_name(a)
    arn = m._arn("dynamodb", region, f"table/{name}")
    state: dict = {"name": name, "arn": arn}
    if a.inputs.get("streamEnabled"):
        label = "2026-01-01T00:00:00.000"
        state |= {"streamArn": f"{arn}/stream/{label}", "streamLabel": label}
    return name, state


def _sqs_queue(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    name = _physical_name(a)
    url = f"https://sqs.{region}.amazonaws.com/{m.account_id}/{name}"
    return url, {"name": name, "arn": m._arn("sqs", region, name), "url": url}


def _lambda_invoke_arn(region: str, function_arn: str) -> str:
    return f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function_arn}/invocations"


def _lambda_function(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    name = _physical_name(a)
    arn = m._arn("lambda", region, f"function:{name}")
    version = "1" if a.inputs.get("publish") else "$LATEST"
    return name, {
        "name": name,
        "arn": arn,
        "invokeArn": _lambda_invoke_arn(region, arn),
        "qualifiedArn": f"{arn}:{version}",
        "version": version,
    }


def _lambda_alias(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    arn = m._arn("lambda", region, f"function:{a.inputs.get('functionName')}:{a.inputs.get('name')}")
    return arn, {"arn": arn, "invokeArn": _lambda_invoke_arn(region, arn)}


def _user_pool(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    pool_id = f"{region}_{_hex(a.name, 9)}"
    return pool_id, {
        "arn": m._arn("cognito-idp", region, f"userpool/{pool_id}"),
        "endpoint": f"cognito-idp.{region}.amazonaws.com/{pool_id}",
    }


def _rest_api(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    api_id = _hex(a.name, 10)
    return api_id, {"rootResourceId": _hex(a.name + "/", 10), "executionArn": m._arn("execute-api", region, api_id)}


def _rest_stage(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    api_id, stage = a.inputs.get("restApi"), a.inputs.get("stageName")
    return f"ags-{api_id}-{stage}", {
        "arn": f"arn:aws:apigateway:{region}::/restapis/{api_id}/stages/{stage}",
        "invokeUrl": f"https://{api_id}.execute-api.{region}.amazonaws.com/{stage}",
        "executionArn": m._arn("execute-api", region, f"{api_id}/{stage}"),
    }


def _replication_group(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    group_id = _physical_name(a, "replicationGroupId")
    suffix = f"{_hex(group_id, 6)}.{region.replace('-', '')[:6]}.cache.amazonaws.com"
    count = int(a.inputs.get("numCacheClusters") or 1)
    return group_id, {
        "replicationGroupId": group_id,
        "arn": m._arn("elasticache", region, f"replicationgroup:{group_id}"),
        "primaryEndpointAddress": f"master.{group_id}.{suffix}",
        "readerEndpointAddress": f"replica.{group_id}.{suffix}",
        "memberClusters": [f"{group_id}-{i:03d}" for i in range(1, count + 1)],
    }


def _random_password(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    length = int(a.inputs.get("length") or 32)
    value = (_hex("password" + a.name, 64) * 4)[:length]
    return "none", {"result": value, "bcryptHash": "$2a$10$" + _hex(value, 53)}


def _provider(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    return _hex(a.name, 8) + "-" + _hex(a.typ, 4), dict(a.inputs)


def _eip(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    allocation = f"eipalloc-{_hex(a.name)}"
    octet = int(_hex(a.name, 2), 16)
    return allocation, {"allocationId": allocation, "publicIp": f"203.0.113.{octet % 254 + 1}"}


def _ec2_instance(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    instance_id = f"i-{_hex(a.name, 17)}"
    octet = int(_hex(a.name, 2), 16)
    return instance_id, {
        "arn": m._arn("ec2", region, f"instance/{instance_id}"),
        "primaryNetworkInterfaceId": f"eni-{_hex(a.name + 'eni', 17)}",
        "privateIp": f"10.0.0.{octet % 250 + 4}",
        "publicIp": f"198.51.100.{octet % 254 + 1}" if a.inputs.get("associatePublicIpAddress") else "",
        "instanceState": "running",
    }


def _bucket(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    prefix = a.inputs.get("bucketPrefix")
    name = str(a.inputs.get("bucket") or (f"{prefix}{_hex(a.name, 26)}" if prefix else f"{a.name}-{_hex(a.name, 12)}"))
    return name, {
        "bucket": name,
        "arn": f"arn:aws:s3:::{name}",
        "bucketDomainName": f"{name}.s3.amazonaws.com",
        "bucketRegionalDomainName": f"{name}.s3.{region}.amazonaws.com",
        "hostedZoneId": "Z1BKCTXD74EZPE",
    }


def _certificate(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    arn = m._arn("acm", region, f"certificate/{_hex(a.name + region, 8)}-{_hex(a.name, 4)}")
    names = [a.inputs.get("domainName", ""), *a.inputs.get("subjectAlternativeNames", [])]
    domain = str(names[0]).lstrip("*.")
    record = f"_{_hex(domain, 32)}.{domain}."
    return arn, {
        "arn": arn,
        "status": "PENDING_VALIDATION",
        "domainValidationOptions": [
            {
                "domainName": n,
                "resourceRecordName": record,
                "resourceRecordType": "CNAME",
                "resourceRecordValue": f"_{_hex(domain + 'value', 32)}.acm-validations.aws.",
            }
            for n in names
        ],
    }


def _record(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    name = str(a.inputs.get("name", a.name)).rstrip(".")
    return f"{a.inputs.get('zoneId')}_{name}_{a.inputs.get('type')}", {"fqdn": name, "name": name}


def _zone(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    zone_id = "Z" + _hex(a.name, 20).upper()
    return zone_id, {"zoneId": zone_id, "nameServers": ["ns-1.awsdns-1.net", "ns-2.awsdns-2.org"]}


def _distribution(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    dist_id = "E" + _hex(a.name, 13).upper()
    return dist_id, {
        "arn": f"arn:aws:cloudfront::{m.account_id}:distribution/{dist_id}",
        "domainName": f"d{_hex(a.name, 13)}.cloudfront.net",
        "hostedZoneId": "Z2FDTNDATAQYW2",
        "status": "Deployed",
        "etag": _hex(dist_id, 14).upper(),
    }


def _cloudfront_global(kind: str) -> StateHandler:
    def handler(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
        resource_id = _hex(a.name, 8) + "-" + _hex(kind + a.name, 4)
        name = _physical_name(a)
        return resource_id, {"arn": f"arn:aws:cloudfront::{m.account_id}:{kind}/{name}", "etag": "E1"}

    return handler


def _web_acl(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    acl_id = _hex(a.name, 36)
    scope = "global" if a.inputs.get("scope") == "CLOUDFRONT" else "regional"
    name = _physical_name(a)
    return acl_id, {"arn": m._arn("wafv2", region, f"{scope}/webacl/{name}/{acl_id}"), "capacity": 1000}


def _load_balancer(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    name = _physical_name(a)[:32]
    suffix = f"app/{name}/{_hex(name, 16)}"
    arn = m._arn("elasticloadbalancing", region, f"loadbalancer/{suffix}")
    return arn, {
        "arn": arn,
        "arnSuffix": suffix,
        "name": name,
        "dnsName": f"{name}-{_hex(name, 10)}.{region}.elb.amazonaws.com",
        "zoneId": "Z3ULH7SSC9OV64",
    }


def _target_group(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    name = _physical_name(a)[:32]
    suffix = f"targetgroup/{name}/{_hex(name, 16)}"
    arn = m._arn("elasticloadbalancing", region, suffix)
    return arn, {"arn": arn, "arnSuffix": suffix, "name": name}


def _listener(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    arn = m._arn("elasticloadbalancing", region, f"listener/app/{_hex(a.name, 16)}")
    return arn, {"arn": arn}


def _repository(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    name = _physical_name(a)
    return name, {
        "name": name,
        "arn": m._arn("ecr", region, f"repository/{name}"),
        "repositoryUrl": f"{m.account_id}.dkr.ecr.{region}.amazonaws.com/{name}",
        "registryId": m.account_id,
    }


def _ecs_named(kind: str) -> StateHandler:
    def handler(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
        name = _physical_name(a, "family" if kind == "task-definition" else "name")
        arn = m._arn("ecs", region, f"{kind}/{name}" + (":1" if kind == "task-definition" else ""))
        return arn, {"arn": arn, "name": name, "revision": 1}

    return handler


def _log_delivery_part(kind: str) -> StateHandler:
    def handler(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
        name = _physical_name(a)
        return name, {"name": name, "arn": m._arn("logs", region, f"{kind}:{name}")}

    return handler


def _backup_plan(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    plan_id = f"{_hex(a.name, 8)}-{_hex(a.name + 'plan', 4)}-{_hex(a.name + 'id', 12)}"
    return plan_id, {"arn": m._arn("backup", region, f"backup-plan:{plan_id}"), "version": _hex(a.name, 32)}


def _ecr_image(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    url = a.inputs.get("repositoryUrl", f"{m.account_id}.dkr.ecr.{region}.amazonaws.com/image")
    return a.name, {"imageUri": f"{url}@sha256:{_hex(a.name, 64)}"}


def _trail(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    name = _physical_name(a)
    arn = m._arn("cloudtrail", region, f"trail/{name}")
    return arn, {"arn": arn, "name": name, "homeRegion": region}


def _detector(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    detector_id = _hex(a.name + region, 32)
    return detector_id, {"arn": m._arn("guardduty", region, f"detector/{detector_id}"), "accountId": m.account_id}


def _service_linked_role(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    service = str(a.inputs.get("awsServiceName", "service.amazonaws.com"))
    default = f"AWSServiceRoleFor{service.split('.', maxsplit=1)[0]}"
    name = {"config.amazonaws.com": "AWSServiceRoleForConfig"}.get(service, default)
    arn = f"arn:aws:iam::{m.account_id}:role/aws-service-role/{service}/{name}"
    return arn, {"arn": arn, "name": name, "path": f"/aws-service-role/{service}/"}


def _config_named(m: AwsMocks, a: pulumi.runtime.MockResourceArgs, region: str) -> tuple[str, dict]:
    name = _physical_name(a)
    kind = "config-rule" if a.typ.endswith(":Rule") else "config-recorder"
    return name, {"name": name, "arn": m._arn("config", region, f"{kind}/{name}")}


_RESOURCE_STATE: dict[str, StateHandler] = {
    "aws:backup/vault:Vault": _named_arn("backup", "backup-vault"),
    "aws:backup/plan:Plan": _backup_plan,
    "aws:s3/bucket:Bucket": _bucket,
    "aws:acm/certificate:Certificate": _certificate,
    "aws:acm/certificateValidation:CertificateValidation": lambda m, a, r: (
        str(a.inputs.get("certificateArn")),
        {"certificateArn": a.inputs.get("certificateArn")},
    ),
    "aws:route53/record:Record": _record,
    "aws:route53/zone:Zone": _zone,
    "aws:cloudfront/distribution:Distribution": _distribution,
    "aws:cloudfront/originAccessControl:OriginAccessControl": _cloudfront_global("origin-access-control"),
    "aws:cloudfront/cachePolicy:CachePolicy": _cloudfront_global("cache-policy"),
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": _cloudfront_global("response-headers-policy"),
    "aws:cloudfront/function:Function": _cloudfront_global("function"),
    "aws:wafv2/webAcl:WebAcl": _web_acl,
    "aws:lb/loadBalancer:LoadBalancer": _load_balancer,
    "aws:lb/targetGroup:TargetGroup": _target_group,
    "aws:lb/listener:Listener": _listener,
    "aws:lb/listenerRule:ListenerRule": _listener,
    "aws:ecr/repository:Repository": _repository,
    "aws:ecs/cluster:Cluster": _ecs_named("cluster"),
    "aws:ecs/service:Service": _ecs_named("service"),
    "aws:ecs/taskDefinition:TaskDefinition": _ecs_named("task-definition"),
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": _log_delivery_part("delivery-source"),
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": _log_delivery_part("delivery-destination"),
    "awsx:ecr:Image": _ecr_image,
    "aws:kms/key:Key": _kms_key,
    "aws:kms/alias:Alias": _kms_alias,
    "aws:cloudwatch/logGroup:LogGroup": _log_group,
    "aws:cloudwatch/metricAlarm:MetricAlarm": _named_arn("cloudwatch", "alarm"),
    "aws:iam/role:Role": _iam_role,
    "aws:iam/rolePolicy:RolePolicy": _iam_role_policy,
    "aws:sns/topic:Topic": _sns_topic,
    "aws:secretsmanager/secret:Secret": _secret,
    "aws:secretsmanager/secretVersion:SecretVersion": _secret_version,
    "aws:rds/instance:Instance": _db_instance,
    "aws:rds/subnetGroup:SubnetGroup": _named_arn("rds", "subgrp"),
    "aws:rds/parameterGroup:ParameterGroup": _named_arn("rds", "pg"),
    "aws:elasticache/subnetGroup:SubnetGroup": _named_arn("elasticache", "subnetgroup"),
    "aws:elasticache/replicationGroup:ReplicationGroup": _replication_group,
    "aws:dynamodb/table:Table": _dynamodb_table,
    "aws:sqs/queue:Queue": _sqs_queue,
    "aws:lambda/function:Function": _lambda_function,
    "aws:lambda/alias:Alias": _lambda_alias,
    "aws:cognito/userPool:UserPool": _user_pool,
    "aws:apigateway/restApi:RestApi": _rest_api,
    "aws:apigateway/stage:Stage": _rest_stage,
    "aws:apigateway/domainName:DomainName": lambda m, a, r: (
        str(a.inputs.get("domainName")),
        {
            "arn": f"arn:aws:apigateway:{r}::/domainnames/{a.inputs.get('domainName')}",
            "regionalDomainName": f"d-{_hex(a.name, 10)}.execute-api.{r}.amazonaws.com",
            "regionalZoneId": "Z1UJRXOUMOOFQ8",
        },
    ),
    "aws:cognito/userPoolClient:UserPoolClient": lambda m, a, r: (_hex(a.name, 26), {}),
    "aws:ec2/eip:Eip": _eip,
    "aws:ec2/instance:Instance": _ec2_instance,
    "aws:cloudtrail/trail:Trail": _trail,
    "aws:guardduty/detector:Detector": _detector,
    "aws:iam/serviceLinkedRole:ServiceLinkedRole": _service_linked_role,
    "aws:cfg/recorder:Recorder": _config_named,
    "aws:cfg/rule:Rule": _config_named,
    "aws:cfg/deliveryChannel:DeliveryChannel": _config_named,
    "aws:cfg/recorderStatus:RecorderStatus": _config_named,
    "aws:securityhub/account:Account": lambda m, a, r: (
        m.account_id,
        {"arn": m._arn("securityhub", r, "hub/default")},
    ),
    "aws:accessanalyzer/analyzer:Analyzer": lambda m, a, r: (
        str(a.inputs.get("analyzerName")),
        {"arn": m._arn("access-analyzer", r, f"analyzer/{a.inputs.get('analyzerName')}")},
    ),
    "aws:budgets/budget:Budget": lambda m, a, r: (
        f"{m.account_id}:{a.inputs.get('name')}",
        {"arn": f"arn:aws:budgets::{m.account_id}:budget/{a.inputs.get('name')}", "accountId": m.account_id},
    ),
    "random:index/randomPassword:RandomPassword": _random_password,
    "pulumi:providers:aws": _provider,
    "pulumi:providers:random": _provider,
}
