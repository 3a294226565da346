"""Which AWS API call each Pulumi resource type's inputs go to: the one table `validate` reads.

Inputs match the member of the same name (ignoring case) unless a line here says otherwise; a
member path starting with ``/`` is taken from the request itself rather than from ``root``;
``Name{K=V}`` sends a map as a list of K/V structures. None marks an input the provider keeps
to itself or sends through a call not listed (ModifyLoadBalancerAttributes and the like).
The rules AWS documents but its models leave out are in ``documented.py``.
"""

from __future__ import annotations

from webstack.validate.mapping_types import Call, Mapped, mapped

# Inputs every resource may carry that are not request members: the provider's own settings,
# and tags, which documented.py checks by each service's tag rules.
PROVIDER_INPUTS = frozenset({"region", "tags", "tagsAll", "timeouts", "forceDestroy", "skipDestroy"})

# The same IpPermission for ingress and egress rules (vpc.SecurityGroup*Rule).
_SG_RULE = {
    "securityGroupId": "GroupId",
    "ipProtocol": "IpPermissions[].IpProtocol",
    "fromPort": "IpPermissions[].FromPort",
    "toPort": "IpPermissions[].ToPort",
    "cidrIpv4": "IpPermissions[].IpRanges[].CidrIp",
    "cidrIpv6": "IpPermissions[].Ipv6Ranges[].CidrIpv6",
    "prefixListId": "IpPermissions[].PrefixListIds[].PrefixListId",
    "referencedSecurityGroupId": "IpPermissions[].UserIdGroupPairs[].GroupId",
    "description": "IpPermissions[].IpRanges[].Description",
}

# API Gateway's calls name the API restApiId; the provider's input is restApi.
_REST_API = {"restApi": "restApiId"}

_DISTRIBUTION = {
    "aliases": "Aliases.Items",
    "origins": "Origins.Items",
    "origins[].originId": "Id",
    "origins[].customHeaders": "Origins.Items[].CustomHeaders.Items",
    "origins[].customHeaders[].name": "Origins.Items[].CustomHeaders.Items[].HeaderName",
    "origins[].customHeaders[].value": "Origins.Items[].CustomHeaders.Items[].HeaderValue",
    "origins[].customOriginConfig.originSslProtocols": "Origins.Items[].CustomOriginConfig.OriginSslProtocols.Items",
    "defaultCacheBehavior.allowedMethods": "DefaultCacheBehavior.AllowedMethods.Items",
    "defaultCacheBehavior.cachedMethods": "DefaultCacheBehavior.AllowedMethods.CachedMethods.Items",
    "defaultCacheBehavior.functionAssociations": "DefaultCacheBehavior.FunctionAssociations.Items",
    "customErrorResponses": "CustomErrorResponses.Items",
    "restrictions.geoRestriction.locations": "Restrictions.GeoRestriction.Items",
    "viewerCertificate.cloudfrontDefaultCertificate": "ViewerCertificate.CloudFrontDefaultCertificate",
}
# "origins[].originId" above resolves under Origins.Items[] (the walk matched origins there).
_DISTRIBUTION["origins[].originId"] = "Origins.Items[].Id"

_ALARM_QUERY = "Metrics[].MetricStat"

RESOURCES: dict[str, Mapped] = {
    "aws:acm/certificate:Certificate": mapped(Call("acm", "RequestCertificate")),
    "aws:appautoscaling/policy:Policy": mapped(
        Call("application-autoscaling", "PutScalingPolicy", members={"name": "PolicyName"})
    ),
    "aws:appautoscaling/scheduledAction:ScheduledAction": mapped(
        Call("application-autoscaling", "PutScheduledAction", members={"name": "ScheduledActionName"})
    ),
    "aws:appautoscaling/target:Target": mapped(Call("application-autoscaling", "RegisterScalableTarget")),
    "aws:backup/plan:Plan": mapped(
        Call(
            "backup",
            "CreateBackupPlan",
            root="BackupPlan",
            members={
                "name": "BackupPlanName",
                "rules[].targetVaultName": "Rules[].TargetBackupVaultName",
                "rules[].schedule": "Rules[].ScheduleExpression",
                "rules[].startWindow": "Rules[].StartWindowMinutes",
                "rules[].completionWindow": "Rules[].CompletionWindowMinutes",
                "rules[].lifecycle.deleteAfter": "Rules[].Lifecycle.DeleteAfterDays",
                "rules[].copyActions[].destinationVaultArn": "Rules[].CopyActions[].DestinationBackupVaultArn",
                "rules[].copyActions[].lifecycle.deleteAfter": "Rules[].CopyActions[].Lifecycle.DeleteAfterDays",
            },
        )
    ),
    "aws:backup/selection:Selection": mapped(
        Call(
            "backup",
            "CreateBackupSelection",
            root="BackupSelection",
            members={"name": "SelectionName", "planId": "/BackupPlanId"},
        )
    ),
    "aws:backup/vault:Vault": mapped(
        Call("backup", "CreateBackupVault", members={"name": "BackupVaultName", "kmsKeyArn": "EncryptionKeyArn"})
    ),
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": mapped(
        Call("backup", "PutBackupVaultLockConfiguration")
    ),
    "aws:cloudfront/cachePolicy:CachePolicy": mapped(Call("cloudfront", "CreateCachePolicy", root="CachePolicyConfig")),
    "aws:cloudfront/distribution:Distribution": mapped(
        Call("cloudfront", "CreateDistribution", root="DistributionConfig", members=_DISTRIBUTION)
    ),
    "aws:cloudfront/function:Function": mapped(
        Call(
            "cloudfront",
            "CreateFunction",
            members={
                "runtime": "FunctionConfig.Runtime",
                "comment": "FunctionConfig.Comment",
                "code": None,  # blob; its size is a documented limit
                "publish": None,  # a second call, PublishFunction
            },
        )
    ),
    "aws:cloudfront/originAccessControl:OriginAccessControl": mapped(
        Call("cloudfront", "CreateOriginAccessControl", root="OriginAccessControlConfig")
    ),
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": mapped(
        Call("cloudfront", "CreateResponseHeadersPolicy", root="ResponseHeadersPolicyConfig")
    ),
    "aws:cloudfront/vpcOrigin:VpcOrigin": mapped(Call("cloudfront", "CreateVpcOrigin")),
    "aws:cloudwatch/logDelivery:LogDelivery": mapped(Call("logs", "CreateDelivery")),
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": mapped(Call("logs", "PutDeliveryDestination")),
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": mapped(Call("logs", "PutDeliverySource")),
    "aws:cloudwatch/dashboard:Dashboard": mapped(
        Call("cloudwatch", "PutDashboard", documents={"dashboardBody": None}),
    ),
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": mapped(
        Call("logs", "PutResourcePolicy", documents={"policyDocument": None}),
    ),
    "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration": mapped(
        Call("chatbot", "CreateSlackChannelConfiguration")
    ),
    "aws:cloudwatch/logGroup:LogGroup": mapped(
        Call("logs", "CreateLogGroup", members={"name": "logGroupName", "retentionInDays": None}),
        Call("logs", "PutRetentionPolicy", members={"name": "logGroupName", "retentionInDays": "retentionInDays"}),
    ),
    "aws:cloudwatch/metricAlarm:MetricAlarm": mapped(
        Call(
            "cloudwatch",
            "PutMetricAlarm",
            members={
                "name": "AlarmName",
                "dimensions": "Dimensions{Name=Value}",
                "metricQueries": "Metrics",
                "metricQueries[].metric": _ALARM_QUERY,
                "metricQueries[].metric.namespace": f"{_ALARM_QUERY}.Metric.Namespace",
                "metricQueries[].metric.metricName": f"{_ALARM_QUERY}.Metric.MetricName",
                "metricQueries[].metric.dimensions": f"{_ALARM_QUERY}.Metric.Dimensions{{Name=Value}}",
            },
        )
    ),
    "aws:ec2/eip:Eip": mapped(Call("ec2", "AllocateAddress")),
    "aws:ec2/flowLog:FlowLog": mapped(
        Call(
            "ec2",
            "CreateFlowLogs",
            members={"vpcId": "ResourceIds[]", "iamRoleArn": "DeliverLogsPermissionArn"},
        )
    ),
    "aws:ec2/instance:Instance": mapped(
        Call(
            "ec2",
            "RunInstances",
            members={
                "ami": "ImageId",
                "vpcSecurityGroupIds": "SecurityGroupIds",
                "associatePublicIpAddress": "NetworkInterfaces[].AssociatePublicIpAddress",
                "rootBlockDevice.volumeType": "BlockDeviceMappings[].Ebs.VolumeType",
                "rootBlockDevice.volumeSize": "BlockDeviceMappings[].Ebs.VolumeSize",
                "rootBlockDevice.encrypted": "BlockDeviceMappings[].Ebs.Encrypted",
                "rootBlockDevice.kmsKeyId": "BlockDeviceMappings[].Ebs.KmsKeyId",
                "rootBlockDevice.deleteOnTermination": "BlockDeviceMappings[].Ebs.DeleteOnTermination",
                "sourceDestCheck": None,  # ModifyInstanceAttribute
                "userDataReplaceOnChange": None,
            },
        )
    ),
    "aws:ec2/internetGateway:InternetGateway": mapped(
        Call("ec2", "CreateInternetGateway", members={"vpcId": None}),
        Call("ec2", "AttachInternetGateway", members={"vpcId": "VpcId"}),
    ),
    "aws:ec2/natGateway:NatGateway": mapped(Call("ec2", "CreateNatGateway")),
    "aws:ec2/route:Route": mapped(Call("ec2", "CreateRoute")),
    "aws:ec2/routeTable:RouteTable": mapped(Call("ec2", "CreateRouteTable")),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": mapped(Call("ec2", "AssociateRouteTable")),
    "aws:ec2/securityGroup:SecurityGroup": mapped(
        Call("ec2", "CreateSecurityGroup", members={"name": "GroupName", "revokeRulesOnDelete": None})
    ),
    "aws:ec2/subnet:Subnet": mapped(Call("ec2", "CreateSubnet", members={"mapPublicIpOnLaunch": None})),
    "aws:ec2/vpc:Vpc": mapped(
        Call("ec2", "CreateVpc", members={"enableDnsSupport": None, "enableDnsHostnames": None}),
        note="DNS settings go through ModifyVpcAttribute (booleans only)",
    ),
    "aws:ec2/vpcEndpoint:VpcEndpoint": mapped(Call("ec2", "CreateVpcEndpoint")),
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": mapped(
        Call(
            "ecr",
            "PutLifecyclePolicy",
            members={"repository": "repositoryName", "policy": "lifecyclePolicyText"},
            documents={"policy": None},
        )
    ),
    "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration": mapped(
        Call("ecr", "PutRegistryScanningConfiguration")
    ),
    "aws:ecr/repository:Repository": mapped(
        Call(
            "ecr",
            "CreateRepository",
            members={
                "name": "repositoryName",
                "encryptionConfigurations": None,
                "encryptionConfigurations[].encryptionType": "encryptionConfiguration.encryptionType",
                "encryptionConfigurations[].kmsKey": "encryptionConfiguration.kmsKey",
                "forceDelete": None,
            },
        )
    ),
    "aws:ecs/cluster:Cluster": mapped(Call("ecs", "CreateCluster", members={"name": "clusterName"})),
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": mapped(
        Call(
            "ecs",
            "PutClusterCapacityProviders",
            members={
                "clusterName": "cluster",
                "defaultCapacityProviderStrategies": "defaultCapacityProviderStrategy",
            },
        )
    ),
    "aws:ecs/service:Service": mapped(
        Call(
            "ecs",
            "CreateService",
            members={
                "name": "serviceName",
                "capacityProviderStrategies": "capacityProviderStrategy",
                "networkConfiguration.subnets": "networkConfiguration.awsvpcConfiguration.subnets",
                "networkConfiguration.securityGroups": "networkConfiguration.awsvpcConfiguration.securityGroups",
                "networkConfiguration.assignPublicIp": None,  # bool, sent as ENABLED/DISABLED
                "deploymentCircuitBreaker": "deploymentConfiguration.deploymentCircuitBreaker",
                "deploymentMinimumHealthyPercent": "deploymentConfiguration.minimumHealthyPercent",
                "deploymentMaximumPercent": "deploymentConfiguration.maximumPercent",
                "deploymentConfiguration": "deploymentConfiguration",
                "alarms": "deploymentConfiguration.alarms",
                "waitForSteadyState": None,
                "forceNewDeployment": None,
                "triggers": None,
            },
        )
    ),
    "aws:ecs/taskDefinition:TaskDefinition": mapped(
        Call(
            "ecs",
            "RegisterTaskDefinition",
            documents={"containerDefinitions": "containerDefinitions"},
        )
    ),
    "aws:elasticache/replicationGroup:ReplicationGroup": mapped(
        Call(
            "elasticache",
            "CreateReplicationGroup",
            members={
                "description": "ReplicationGroupDescription",
                "parameterGroupName": "CacheParameterGroupName",
                "nodeType": "CacheNodeType",
                "subnetGroupName": "CacheSubnetGroupName",
                "maintenanceWindow": "PreferredMaintenanceWindow",
                "authTokenUpdateStrategy": None,  # ModifyReplicationGroup only
                "logDeliveryConfigurations[].destination": (
                    "LogDeliveryConfigurations[].DestinationDetails.CloudWatchLogsDetails.LogGroup"
                ),
            },
        )
    ),
    "aws:elasticache/subnetGroup:SubnetGroup": mapped(
        Call(
            "elasticache",
            "CreateCacheSubnetGroup",
            members={"name": "CacheSubnetGroupName", "description": "CacheSubnetGroupDescription"},
        )
    ),
    "aws:iam/role:Role": mapped(
        Call(
            "iam",
            "CreateRole",
            members={"name": "RoleName", "assumeRolePolicy": "AssumeRolePolicyDocument"},
            documents={"assumeRolePolicy": None},
        )
    ),
    "aws:iam/rolePolicy:RolePolicy": mapped(
        Call(
            "iam",
            "PutRolePolicy",
            members={"role": "RoleName", "name": "PolicyName", "policy": "PolicyDocument"},
            documents={"policy": None},
        )
    ),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": mapped(
        Call("iam", "AttachRolePolicy", members={"role": "RoleName"})
    ),
    "aws:kms/alias:Alias": mapped(Call("kms", "CreateAlias", members={"name": "AliasName"})),
    "aws:apigateway/restApi:RestApi": mapped(
        Call("apigateway", "CreateRestApi", members={"endpointConfiguration.types": "endpointConfiguration.types[]"})
    ),
    "aws:apigateway/resource:Resource": mapped(Call("apigateway", "CreateResource", members=_REST_API)),
    "aws:apigateway/method:Method": mapped(
        Call("apigateway", "PutMethod", members={**_REST_API, "authorization": "authorizationType"})
    ),
    "aws:apigateway/integration:Integration": mapped(Call("apigateway", "PutIntegration", members=_REST_API)),
    "aws:apigateway/methodResponse:MethodResponse": mapped(Call("apigateway", "PutMethodResponse", members=_REST_API)),
    "aws:apigateway/integrationResponse:IntegrationResponse": mapped(
        Call("apigateway", "PutIntegrationResponse", members=_REST_API)
    ),
    "aws:apigateway/authorizer:Authorizer": mapped(Call("apigateway", "CreateAuthorizer", members=_REST_API)),
    "aws:apigateway/deployment:Deployment": mapped(
        Call("apigateway", "CreateDeployment", members={**_REST_API, "triggers": None})
    ),
    "aws:apigateway/stage:Stage": mapped(
        Call(
            "apigateway",
            "CreateStage",
            members={
                **_REST_API,
                "deployment": "deploymentId",
                "xrayTracingEnabled": "tracingEnabled",
                "accessLogSettings": None,  # UpdateStage patch operations
            },
        )
    ),
    "aws:apigateway/methodSettings:MethodSettings": mapped(
        Call("apigateway", "UpdateStage", members={**_REST_API, "methodPath": None, "settings": None}),
        note="sent as UpdateStage patch operations (path/value strings), which the model does not type",
    ),
    "aws:apigateway/domainName:DomainName": mapped(
        Call("apigateway", "CreateDomainName", members={"endpointConfiguration.types": "endpointConfiguration.types[]"})
    ),
    "aws:apigateway/basePathMapping:BasePathMapping": mapped(
        Call("apigateway", "CreateBasePathMapping", members={**_REST_API, "stageName": "stage"})
    ),
    "aws:lambda/permission:Permission": mapped(Call("lambda", "AddPermission", members={"function": "FunctionName"})),
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": mapped(
        Call("wafv2", "PutLoggingConfiguration", root="LoggingConfiguration")
    ),
    "aws:wafv2/webAclAssociation:WebAclAssociation": mapped(
        Call("wafv2", "AssociateWebACL", members={"webAclArn": "WebACLArn"})
    ),
    "aws:secretsmanager/secretPolicy:SecretPolicy": mapped(
        Call(
            "secretsmanager",
            "PutResourcePolicy",
            members={"secretArn": "SecretId", "policy": "ResourcePolicy"},
            documents={"policy": None},
        )
    ),
    "aws:cognito/userPool:UserPool": mapped(
        Call(
            "cognito-idp",
            "CreateUserPool",
            members={
                "name": "PoolName",
                "passwordPolicy": "Policies.PasswordPolicy",
                "softwareTokenMfaConfiguration": None,  # SetUserPoolMfaConfig, below
            },
        ),
        Call(
            "cognito-idp",
            "SetUserPoolMfaConfig",
            members={"softwareTokenMfaConfiguration": "SoftwareTokenMfaConfiguration"},
        ),
    ),
    "aws:cognito/userPoolClient:UserPoolClient": mapped(
        Call("cognito-idp", "CreateUserPoolClient", members={"name": "ClientName"})
    ),
    "aws:cognito/userGroup:UserGroup": mapped(Call("cognito-idp", "CreateGroup", members={"name": "GroupName"})),
    "aws:dynamodb/table:Table": mapped(
        Call(
            "dynamodb",
            "CreateTable",
            members={
                "name": "TableName",
                "hashKey": "KeySchema[].AttributeName",
                "rangeKey": "KeySchema[].AttributeName",
                "attributes": "AttributeDefinitions",
                "attributes[].name": "AttributeDefinitions[].AttributeName",
                "attributes[].type": "AttributeDefinitions[].AttributeType",
                "globalSecondaryIndexes": "GlobalSecondaryIndexes",
                "globalSecondaryIndexes[].name": "GlobalSecondaryIndexes[].IndexName",
                "globalSecondaryIndexes[].keySchemas": "GlobalSecondaryIndexes[].KeySchema",
                "globalSecondaryIndexes[].projectionType": "GlobalSecondaryIndexes[].Projection.ProjectionType",
                "serverSideEncryption.enabled": "SSESpecification.Enabled",
                "serverSideEncryption.kmsKeyArn": "SSESpecification.KMSMasterKeyId",
                "streamEnabled": "StreamSpecification.StreamEnabled",
                "streamViewType": "StreamSpecification.StreamViewType",
                "pointInTimeRecovery": None,  # UpdateContinuousBackups, below
                "ttl": None,  # UpdateTimeToLive, below
            },
        ),
        Call(
            "dynamodb",
            "UpdateContinuousBackups",
            members={
                "pointInTimeRecovery.enabled": "PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled",
                "pointInTimeRecovery.recoveryPeriodInDays": "PointInTimeRecoverySpecification.RecoveryPeriodInDays",
            },
        ),
        Call(
            "dynamodb",
            "UpdateTimeToLive",
            members={
                "ttl.attributeName": "TimeToLiveSpecification.AttributeName",
                "ttl.enabled": "TimeToLiveSpecification.Enabled",
            },
        ),
    ),
    "aws:lambda/alias:Alias": mapped(Call("lambda", "CreateAlias")),
    "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": mapped(
        Call("lambda", "PutProvisionedConcurrencyConfig")
    ),
    "aws:lambda/function:Function": mapped(
        Call(
            "lambda",
            "CreateFunction",
            members={
                "name": "FunctionName",
                "code": None,  # a zip Pulumi uploads as Code.ZipFile
                "kmsKeyArn": "KMSKeyArn",
                "reservedConcurrentExecutions": None,  # PutFunctionConcurrency, below
            },
        ),
        Call(
            "lambda",
            "PutFunctionConcurrency",
            members={"reservedConcurrentExecutions": "ReservedConcurrentExecutions"},
        ),
    ),
    "aws:kms/key:Key": mapped(
        Call("kms", "CreateKey", members={"enableKeyRotation": None, "deletionWindowInDays": None}),
        Call("kms", "ScheduleKeyDeletion", members={"deletionWindowInDays": "PendingWindowInDays"}),
        Call("kms", "PutKeyPolicy", members={"policy": "Policy"}, documents={"policy": None}),
    ),
    "aws:lb/listener:Listener": mapped(
        Call(
            "elbv2",
            "CreateListener",
            members={
                "certificateArn": "Certificates[].CertificateArn",
                "defaultActions[].fixedResponse": "DefaultActions[].FixedResponseConfig",
                "defaultActions[].redirect": "DefaultActions[].RedirectConfig",
                "defaultActions[].forward": "DefaultActions[].ForwardConfig",
            },
        )
    ),
    "aws:lb/listenerRule:ListenerRule": mapped(
        Call(
            "elbv2",
            "CreateRule",
            members={
                "conditions[].httpHeader": "Conditions[].HttpHeaderConfig",
                "conditions[].hostHeader": "Conditions[].HostHeaderConfig",
                "conditions[].pathPattern": "Conditions[].PathPatternConfig",
                "actions[].forward": "Actions[].ForwardConfig",
                "actions[].forward.targetGroups[].arn": "Actions[].ForwardConfig.TargetGroups[].TargetGroupArn",
            },
        )
    ),
    "aws:lb/loadBalancer:LoadBalancer": mapped(
        Call(
            "elbv2",
            "CreateLoadBalancer",
            members={
                "loadBalancerType": "Type",
                "internal": None,  # sent as Scheme
                "accessLogs": None,  # attributes: ModifyLoadBalancerAttributes
                "dropInvalidHeaderFields": None,
                "desyncMitigationMode": None,
                "enableDeletionProtection": None,
                "idleTimeout": None,
            },
        )
    ),
    "aws:lb/targetGroup:TargetGroup": mapped(
        Call(
            "elbv2",
            "CreateTargetGroup",
            members={
                "healthCheck.path": "HealthCheckPath",
                "healthCheck.protocol": "HealthCheckProtocol",
                "healthCheck.port": "HealthCheckPort",
                "healthCheck.matcher": "Matcher.HttpCode",
                "healthCheck.interval": "HealthCheckIntervalSeconds",
                "healthCheck.timeout": "HealthCheckTimeoutSeconds",
                "healthCheck.healthyThreshold": "HealthyThresholdCount",
                "healthCheck.unhealthyThreshold": "UnhealthyThresholdCount",
                "deregistrationDelay": None,  # a target group attribute
            },
        )
    ),
    "aws:rds/instance:Instance": mapped(
        Call(
            "rds",
            "CreateDBInstance",
            members={
                "identifier": "DBInstanceIdentifier",
                "instanceClass": "DBInstanceClass",
                "username": "MasterUsername",
                "parameterGroupName": "DBParameterGroupName",
                "caCertIdentifier": "CACertificateIdentifier",
                "iamDatabaseAuthenticationEnabled": "EnableIAMDatabaseAuthentication",
                "backupWindow": "PreferredBackupWindow",
                "maintenanceWindow": "PreferredMaintenanceWindow",
                "enabledCloudwatchLogsExports": "EnableCloudwatchLogsExports",
                "performanceInsightsEnabled": "EnablePerformanceInsights",
                "replicateSourceDb": None,  # replicas: CreateDBInstanceReadReplica
                "skipFinalSnapshot": None,
                "finalSnapshotIdentifier": None,
                "deleteAutomatedBackups": None,
            },
        ),
        Call(
            "rds",
            "DeleteDBInstance",
            members={
                "finalSnapshotIdentifier": "FinalDBSnapshotIdentifier",
                "deleteAutomatedBackups": "DeleteAutomatedBackups",
            },
        ),
    ),
    "aws:rds/parameterGroup:ParameterGroup": mapped(
        Call(
            "rds",
            "CreateDBParameterGroup",
            members={"name": "DBParameterGroupName", "family": "DBParameterGroupFamily", "parameters": None},
        ),
        Call(
            "rds",
            "ModifyDBParameterGroup",
            members={
                "name": "DBParameterGroupName",
                "parameters[].name": "Parameters[].ParameterName",
                "parameters[].value": "Parameters[].ParameterValue",
                "parameters[].applyMethod": "Parameters[].ApplyMethod",
            },
        ),
    ),
    "aws:rds/subnetGroup:SubnetGroup": mapped(
        Call(
            "rds",
            "CreateDBSubnetGroup",
            members={"name": "DBSubnetGroupName", "description": "DBSubnetGroupDescription"},
        )
    ),
    "aws:route53/record:Record": mapped(
        Call(
            "route53",
            "ChangeResourceRecordSets",
            root="ChangeBatch.Changes[].ResourceRecordSet",
            members={
                "zoneId": "/HostedZoneId",
                "records[]": "ResourceRecords[].Value",
                "aliases[].name": "AliasTarget.DNSName",
                "aliases[].zoneId": "AliasTarget.HostedZoneId",
                "aliases[].evaluateTargetHealth": "AliasTarget.EvaluateTargetHealth",
                "allowOverwrite": None,
            },
        )
    ),
    "aws:s3/bucket:Bucket": mapped(
        Call("s3", "CreateBucket", members={"bucketPrefix": None, "objectLockEnabled": "ObjectLockEnabledForBucket"})
    ),
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": mapped(
        Call(
            "s3",
            "PutObjectLockConfiguration",
            members={
                "objectLockEnabled": "ObjectLockConfiguration.ObjectLockEnabled",
                "rule": "ObjectLockConfiguration.Rule",
            },
        )
    ),
    "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration": mapped(
        Call("s3", "PutBucketCors", members={"corsRules": "CORSConfiguration.CORSRules"})
    ),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": mapped(
        Call(
            "s3",
            "PutBucketLifecycleConfiguration",
            members={"rules": "LifecycleConfiguration.Rules"},
        )
    ),
    "aws:s3/bucketLogging:BucketLogging": mapped(
        Call(
            "s3",
            "PutBucketLogging",
            members={
                "targetBucket": "BucketLoggingStatus.LoggingEnabled.TargetBucket",
                "targetPrefix": "BucketLoggingStatus.LoggingEnabled.TargetPrefix",
            },
        )
    ),
    "aws:s3/bucketObjectv2:BucketObjectv2": mapped(Call("s3", "PutObject", members={"source": None})),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": mapped(
        Call("s3", "PutBucketOwnershipControls", members={"rule": "OwnershipControls.Rules[]"})
    ),
    "aws:s3/bucketPolicy:BucketPolicy": mapped(Call("s3", "PutBucketPolicy", documents={"policy": None})),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": mapped(
        Call(
            "s3",
            "PutPublicAccessBlock",
            members={
                key: f"PublicAccessBlockConfiguration.{key[0].upper()}{key[1:]}"
                for key in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
            },
        )
    ),
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": mapped(
        Call(
            "s3",
            "PutBucketReplication",
            members={"role": "ReplicationConfiguration.Role", "rules": "ReplicationConfiguration.Rules"},
        )
    ),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": mapped(
        Call("s3", "PutBucketEncryption", members={"rules": "ServerSideEncryptionConfiguration.Rules"})
    ),
    "aws:s3/bucketVersioning:BucketVersioning": mapped(Call("s3", "PutBucketVersioning")),
    "aws:scheduler/schedule:Schedule": mapped(Call("scheduler", "CreateSchedule", documents={"target.input": None})),
    "aws:scheduler/scheduleGroup:ScheduleGroup": mapped(Call("scheduler", "CreateScheduleGroup")),
    "aws:secretsmanager/secret:Secret": mapped(
        # recoveryWindowInDays goes to DeleteSecret (0 means ForceDeleteWithoutRecovery): documented.py.
        Call("secretsmanager", "CreateSecret", members={"recoveryWindowInDays": None})
    ),
    "aws:secretsmanager/secretVersion:SecretVersion": mapped(Call("secretsmanager", "PutSecretValue")),
    "aws:secretsmanager/secretRotation:SecretRotation": mapped(
        Call("secretsmanager", "RotateSecret", members={"rotationLambdaArn": "RotationLambdaARN"})
    ),
    "aws:sqs/queue:Queue": mapped(
        Call(
            "sqs",
            "CreateQueue",
            # The rest travel as Attributes, a map of names to strings the provider builds.
            members={"name": "QueueName", "kmsMasterKeyId": None, "messageRetentionSeconds": None},
        )
    ),
    "aws:sns/topic:Topic": mapped(Call("sns", "CreateTopic", members={"kmsMasterKeyId": None})),
    "aws:sns/topicPolicy:TopicPolicy": mapped(
        Call("sns", "SetTopicAttributes", members={"arn": "TopicArn", "policy": "AttributeValue"}),
        Call("sns", "SetTopicAttributes", documents={"policy": None}),
    ),
    "aws:sns/topicSubscription:TopicSubscription": mapped(
        # endpointAutoConfirms tells the provider not to wait for a confirmation it would have to make.
        Call("sns", "Subscribe", members={"topic": "TopicArn", "endpointAutoConfirms": None})
    ),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": mapped(
        Call("ec2", "AuthorizeSecurityGroupEgress", members=_SG_RULE)
    ),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": mapped(
        Call("ec2", "AuthorizeSecurityGroupIngress", members=_SG_RULE)
    ),
    # The account baseline (webstack:kind: account).
    "aws:cloudtrail/trail:Trail": mapped(
        Call(
            "cloudtrail",
            "CreateTrail",
            members={"enableLogging": None, "eventSelectors": None, "advancedEventSelectors": None},
        ),
        Call("cloudtrail", "PutEventSelectors", members={"name": "TrailName", "eventSelectors": "EventSelectors"}),
        Call("cloudtrail", "PutEventSelectors", members={"advancedEventSelectors": "AdvancedEventSelectors"}),
    ),
    "aws:guardduty/detector:Detector": mapped(Call("guardduty", "CreateDetector")),
    "aws:guardduty/detectorFeature:DetectorFeature": mapped(
        Call(
            "guardduty",
            "UpdateDetector",
            members={
                "detectorId": "DetectorId",
                "name": "Features[].Name",
                "status": "Features[].Status",
                "additionalConfigurations": "Features[].AdditionalConfiguration",
            },
        )
    ),
    "aws:iam/serviceLinkedRole:ServiceLinkedRole": mapped(
        Call("iam", "CreateServiceLinkedRole", members={"awsServiceName": "AWSServiceName"})
    ),
    "aws:cfg/recorder:Recorder": mapped(
        Call("config", "PutConfigurationRecorder", root="ConfigurationRecorder", members={"roleArn": "roleARN"})
    ),
    "aws:cfg/deliveryChannel:DeliveryChannel": mapped(
        Call(
            "config",
            "PutDeliveryChannel",
            root="DeliveryChannel",
            members={"snapshotDeliveryProperties": "configSnapshotDeliveryProperties"},
        )
    ),
    "aws:cfg/recorderStatus:RecorderStatus": mapped(
        Call(
            "config",
            "StartConfigurationRecorder",
            members={"name": "ConfigurationRecorderName", "isEnabled": None},  # false: StopConfigurationRecorder
        )
    ),
    "aws:cfg/rule:Rule": mapped(Call("config", "PutConfigRule", root="ConfigRule", members={"name": "ConfigRuleName"})),
    "aws:securityhub/account:Account": mapped(
        Call("securityhub", "EnableSecurityHub", members={"autoEnableControls": None}),
        Call("securityhub", "UpdateSecurityHubConfiguration", members={"autoEnableControls": "AutoEnableControls"}),
    ),
    "aws:securityhub/standardsSubscription:StandardsSubscription": mapped(
        Call(
            "securityhub",
            "BatchEnableStandards",
            members={"standardsArn": "StandardsSubscriptionRequests[].StandardsArn"},
        )
    ),
    "aws:accessanalyzer/analyzer:Analyzer": mapped(Call("accessanalyzer", "CreateAnalyzer")),
    "aws:budgets/budget:Budget": mapped(
        Call(
            "budgets",
            "CreateBudget",
            root="Budget",
            members={
                "name": "BudgetName",
                "limitAmount": "BudgetLimit.Amount",
                "limitUnit": "BudgetLimit.Unit",
                "notifications": None,  # below: the provider sends each with its subscribers
            },
        ),
        Call(
            "budgets",
            "CreateBudget",
            members={
                "notifications[].comparisonOperator": "NotificationsWithSubscribers[].Notification.ComparisonOperator",
                "notifications[].threshold": "NotificationsWithSubscribers[].Notification.Threshold",
                "notifications[].thresholdType": "NotificationsWithSubscribers[].Notification.ThresholdType",
                "notifications[].notificationType": "NotificationsWithSubscribers[].Notification.NotificationType",
                "notifications[].subscriberEmailAddresses": "NotificationsWithSubscribers[].Subscribers[].Address",
                "notifications[].subscriberSnsTopicArns": "NotificationsWithSubscribers[].Subscribers[].Address",
            },
        ),
    ),
    "aws:wafv2/webAcl:WebAcl": mapped(
        Call(
            "wafv2",
            "CreateWebACL",
            members={
                "associationConfig.requestBodies[].cloudfront.defaultSizeInspectionLimit": (
                    "AssociationConfig.RequestBody{}.DefaultSizeInspectionLimit"
                ),
            },
        )
    ),
}

# Types with nothing to send to AWS, or whose inputs documented.py checks instead.
UNMAPPED: dict[str, str] = {
    "aws:acm/certificateValidation:CertificateValidation": (
        "sends nothing to AWS: waits until ACM has issued the certificate"
    ),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": (
        "adopts the VPC's default group (no create call); it only revokes that group's rules"
    ),
    "random:index/randomPassword:RandomPassword": "not an AWS resource: the value is generated in the engine",
    "pulumi:providers:aws": "a provider, not a request: its default tags are checked by the tag rules",
    "pulumi:providers:random": "a provider, not a request",
}


def api_operations() -> list[tuple[str, str]]:
    """Every (service, operation) the table names: what shapes.py extracts from botocore."""
    return sorted({(call.service, call.operation) for entry in RESOURCES.values() for call in entry.calls})
