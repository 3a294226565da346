"""IAM least privilege, and secrets kept out of plain configuration."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource, Severity

from . import types as t
from .iam import (
    actions,
    allows,
    condition_values,
    grants_action,
    is_wildcard_action,
    managed_policy_document,
    managed_policy_name,
    may_use_any_resource,
    principals,
    resources,
    statements,
)
from .props import UNKNOWN, UNKNOWN_SENTINELS, as_list, get, is_set, json_document, peek
from .registry import joined, resource_rule, resources_of, stack_rule

POLICY_TYPES = (t.IAM_ROLE_POLICY, t.IAM_POLICY, t.IAM_USER_POLICY, t.IAM_GROUP_POLICY)
ATTACHMENT_TYPES = (
    t.IAM_ROLE_POLICY_ATTACHMENT,
    t.IAM_USER_POLICY_ATTACHMENT,
    t.IAM_GROUP_POLICY_ATTACHMENT,
    t.IAM_POLICY_ATTACHMENT,
)
# AWS managed policies that grant administration of the account, or of IAM, networking or whole
# services with it (job-function policies live under the job-function/ path; the name is read).
ADMIN_POLICIES = (
    "AdministratorAccess",
    "PowerUserAccess",
    "IAMFullAccess",
    "SystemAdministrator",
    "NetworkAdministrator",
    "AdministratorAccess-Amplify",
    "AdministratorAccess-AWSElasticBeanstalk",
)
# AWS managed policies allowed by default: AWS Backup's service-role policies, which its guide
# names for a custom backup role ("or their equivalent permissions") and AWS keeps in step with
# what each service's backup, copy and restore jobs need. Only a role AWS Backup assumes holds them.
SERVICE_ROLE_POLICIES = ("AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores")
PASSWORD_SCHEMA = {"minimumLength": {"type": "integer", "minimum": 6, "maximum": 99, "default": 12}}
CHARACTER_CLASSES = ("requireLowercase", "requireUppercase", "requireNumbers", "requireSymbols")
SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL)", re.I)
CREDENTIALS_IN_URL = re.compile(r"://[^/@\s:]*:[^/@\s]+@")


def _documents(props: Mapping[str, Any]) -> Iterator[Any]:
    """Permission documents of a policy resource, of a role's inline policies (a role's trust
    policy is not a permission document), and of the AWS managed policies a role or attachment
    names, by what they grant."""
    if "policy" in props:
        yield get(props, "policy")
    for inline in as_list(get(props, "inlinePolicies")):
        yield get(inline, "policy")
    for arn in _managed_arns(props):
        granted = managed_policy_document(arn)
        if granted is not None:
            yield granted


def _managed_arns(props: Mapping[str, Any]) -> list[str]:
    """Attached policy ARNs that are known (an AWS managed policy's ARN is a literal; one not known
    yet is a policy of the stack, judged through its own document)."""
    listed = peek(props, "managedPolicyArns")
    arns = [*(as_list(listed) if listed is not UNKNOWN else []), peek(props, "policyArn")]
    return [a for a in arns if isinstance(a, str) and a not in UNKNOWN_SENTINELS]


@resource_rule(
    "iam-no-wildcard-actions",
    concern="least-privilege",
    severity=Severity.CRITICAL,
    types=[*POLICY_TYPES, t.IAM_ROLE, *ATTACHMENT_TYPES],
    description="No IAM statement (inline, or of an attached AWS managed policy) allows '*' or 'service:*' actions.",
    remediation="Name each action; the documents in components/iam_documents.py and api_settings.py do.",
    fsbp="IAM.1, IAM.21",
    cdk_nag="AwsSolutions-IAM5",
)
def no_wildcard_actions(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    for document in _documents(props):
        for statement in statements(document):
            if allows(statement):
                wild = [a for a in actions(statement) if is_wildcard_action(a)]
                if wild:
                    yield f"statement {statement.get('Sid', '?')} allows {', '.join(wild)}"
                if statement.get("NotAction"):
                    yield f"statement {statement.get('Sid', '?')} uses NotAction with Allow"


@resource_rule(
    "iam-no-star-resource-for-writes",
    concern="least-privilege",
    severity=Severity.HIGH,
    types=[*POLICY_TYPES, t.IAM_ROLE, *ATTACHMENT_TYPES],
    description="'Resource: *' only for actions AWS grants on '*' alone (documented allow-list) and Describe/List.",
    remediation="Scope the statement to ARNs; see RESOURCE_STAR_ACTIONS in policy/webstack_policy/iam.py.",
    cdk_nag="AwsSolutions-IAM5",
)
def no_star_resource(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    for document in _documents(props):
        for statement in statements(document):
            if allows(statement) and "*" in resources(statement):
                broad = [a for a in actions(statement) if not may_use_any_resource(a)]
                if broad:
                    yield f"statement {statement.get('Sid', '?')} allows {', '.join(broad)} on every resource"


@resource_rule(
    "iam-pass-role-scoped",
    concern="least-privilege",
    severity=Severity.HIGH,
    types=[*POLICY_TYPES, t.IAM_ROLE],
    description="iam:PassRole names the roles it passes and the service it passes them to.",
    remediation="Give iam:PassRole role ARNs and an iam:PassedToService condition.",
)
def pass_role_scoped(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    for document in _documents(props):
        for statement in statements(document):
            if not grants_action(statement, "iam:PassRole"):  # iam:Pass*, iam:*, NotAction too
                continue
            if any(r == "*" or r.endswith(":role/*") for r in resources(statement)):
                yield "iam:PassRole on any role"
            services = condition_values(statement, ("StringEquals", "StringLike"), "iam:PassedToService")
            if not services or any(str(s) == "*" for s in services):
                yield "iam:PassRole without an iam:PassedToService condition"


@resource_rule(
    "iam-trust-only-service-principals",
    concern="least-privilege",
    severity=Severity.CRITICAL,
    types=[t.IAM_ROLE],
    description="Roles are assumed by AWS service principals only, scoped to this account.",
    remediation="Use components.iam_documents.service_trust_policy (service principal + aws:SourceAccount).",
)
def trust_service_principals(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    for statement in statements(get(props, "assumeRolePolicy")):
        if not allows(statement):
            continue
        for kind, value in principals(statement):
            if kind != "Service":
                yield f"the trust policy admits {kind} principal {value}"
        account = condition_values(statement, ("StringEquals", "StringLike"), "aws:SourceAccount")
        source = condition_values(statement, ("ArnEquals", "ArnLike", "StringEquals", "StringLike"), "aws:SourceArn")
        if not [v for v in account + source if str(v) != "*"]:
            yield "the trust policy has no aws:SourceAccount or aws:SourceArn condition (confused deputy)"


@resource_rule(
    "iam-no-aws-managed-admin-policies",
    concern="least-privilege",
    severity=Severity.CRITICAL,
    types=[t.IAM_ROLE, *ATTACHMENT_TYPES],
    description=(
        "No AWS managed administrator policy (AdministratorAccess, PowerUserAccess, IAMFullAccess, the "
        "SystemAdministrator and NetworkAdministrator job functions, Amplify and Elastic Beanstalk administrator)."
    ),
    remediation="Write an inline policy with the actions the role needs (see service_role in components).",
)
def no_admin_policies(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    for arn in _managed_arns(props):
        if managed_policy_name(arn) in ADMIN_POLICIES:
            yield f"attaches {arn}"


@resource_rule(
    "iam-no-aws-managed-policies",
    concern="least-privilege",
    severity=Severity.MEDIUM,
    types=[t.IAM_ROLE, *ATTACHMENT_TYPES],
    description="No AWS managed policy is attached: AWS widens them when it sees fit, and they rarely fit one role.",
    remediation="Write an inline policy with the actions the role needs, or list the policy in allowedPolicies.",
    cdk_nag="AwsSolutions-IAM4",
    config_schema={
        "allowedPolicies": {"type": "array", "items": {"type": "string"}, "default": list(SERVICE_ROLE_POLICIES)}
    },
)
def no_managed_policies(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    for arn in _managed_arns(props):
        name = managed_policy_name(arn)
        if name is not None and name not in config["allowedPolicies"]:
            yield f"attaches the AWS managed policy {name}"


@stack_rule(
    "iam-role-no-policy-management-conflicts",
    concern="least-privilege",
    severity=Severity.MEDIUM,
    description="A role is not managed both inline (on the Role) and by separate policy resources.",
    remediation="Attach policies either with RolePolicy/RolePolicyAttachment or on the Role, not both.",
    awsguard="iam-role-no-policy-management-conflicts",
)
def role_conflicts(resources_: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for role in resources_of(resources_, t.IAM_ROLE):
        separate = [
            r
            for r in resources_of(resources_, t.IAM_ROLE_POLICY, t.IAM_ROLE_POLICY_ATTACHMENT)
            if role in joined(r, "role")
        ]
        inline = as_list(get(role.props, "inlinePolicies")) or as_list(get(role.props, "managedPolicyArns"))
        if separate and inline:
            yield "role has inline/managed policies on the Role and separate policy resources", role.urn


@stack_rule(
    "security-group-no-rule-management-conflicts",
    concern="least-privilege",
    severity=Severity.MEDIUM,
    description="A security group's rules are managed inline or as separate rule resources, never both.",
    remediation="Use aws.vpc.SecurityGroupIngressRule/EgressRule only (as every webstack component does).",
    awsguard="security-group-no-rule-management-conflicts",
)
def sg_conflicts(resources_: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for group in resources_of(resources_, t.SECURITY_GROUP):
        inline = as_list(get(group.props, "ingress")) or as_list(get(group.props, "egress"))
        separate = [
            r
            for r in resources_of(resources_, t.INGRESS_RULE, t.EGRESS_RULE, t.LEGACY_SG_RULE)
            if group in joined(r, "securityGroupId")
        ]
        if inline and separate:
            yield "group has inline rules and separate rule resources", group.urn


@resource_rule(
    "ecs-secrets-not-in-environment",
    concern="least-privilege",
    severity=Severity.CRITICAL,
    types=[t.TASK_DEFINITION],
    description="Containers get secrets through 'secrets' (Secrets Manager), never as plain environment values.",
    remediation="Pass secrets to FargateApi as secrets={NAME: secret ARN}; environment is for plain settings.",
    fsbp="ECS.8",
    cdk_nag="AwsSolutions-ECS2 (webstack allows non-secret environment values)",
)
def ecs_secrets(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    for container in as_list(json_document(get(props, "containerDefinitions"))):
        for variable in as_list(get(container, "environment")):
            name, value = str(get(variable, "name", default="")), str(get(variable, "value", default=""))
            if SECRET_NAME.search(name):
                yield f"environment variable {name} looks like a secret"
            elif CREDENTIALS_IN_URL.search(value):
                yield f"environment variable {name} holds credentials in a URL"


@resource_rule(
    "rds-master-password-managed",
    concern="least-privilege",
    severity=Severity.CRITICAL,
    types=[t.RDS_INSTANCE],
    description="The RDS master password is generated and kept in Secrets Manager by RDS, never set in code.",
    remediation="ManagedPostgres sets manage_master_user_password with its CMK.",
)
def rds_managed_password(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if is_set(props, "replicateSourceDb"):
        return
    if get(props, "password") or get(props, "passwordWo"):
        yield "a master password is set in the program"
    elif get(props, "manageMasterUserPassword") is not True:
        yield "manageMasterUserPassword is not true"


@resource_rule(
    "cognito-password-policy",
    concern="least-privilege",
    severity=Severity.HIGH,
    types=[t.USER_POOL],
    description="Cognito user pools ask for long passwords (the stack's minimum) with every character class.",
    remediation="UserDirectory requires every class; raise its password_minimum_length to the minimum.",
    cdk_nag="AwsSolutions-COG1 (8 characters; webstack asks for 12 and lower case too)",
    config_schema=PASSWORD_SCHEMA,
)
def cognito_password(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    policy = get(props, "passwordPolicy", default={})
    length, minimum = get(policy, "minimumLength"), config["minimumLength"]
    if length is None or length < minimum:
        shown = "not set" if length is None else int(length)
        yield f"passwordPolicy.minimumLength is {shown}; the minimum is {minimum}"
    missing = [name for name in CHARACTER_CLASSES if get(policy, name) is not True]
    if missing:
        yield f"passwords need not mix every character class ({', '.join(missing)} not true)"


@resource_rule(
    "cognito-mfa-enabled",
    concern="least-privilege",
    severity=Severity.HIGH,
    types=[t.USER_POOL],
    description="Cognito user pools offer MFA (OPTIONAL) or require it (ON); never OFF.",
    remediation="UserDirectory's mfa is OPTIONAL or ON (TOTP); choose ON where every user is staff.",
    cdk_nag="AwsSolutions-COG2 (requires ON; webstack accepts OPTIONAL for customers)",
)
def cognito_mfa(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    mode = get(props, "mfaConfiguration")
    if mode not in ("OPTIONAL", "ON"):
        yield f"mfaConfiguration is {mode or 'not set'}: no user can add a second factor"


@resource_rule(
    "cognito-threat-protection-enforced",
    concern="least-privilege",
    severity=Severity.MEDIUM,
    types=[t.USER_POOL],
    description=(
        "Cognito threat protection acts (ENFORCED) wherever the pool has it: on the PLUS plan, and on any pool "
        "that sets a mode (AUDIT only counts risky sign-ins)."
    ),
    remediation="UserDirectory enforces threat protection on the PLUS plan (feature_plan='PLUS').",
    fsbp="Cognito.1",
    cdk_nag="AwsSolutions-COG3 (every pool; the ESSENTIALS plan has no threat protection)",
)
def cognito_threat_protection(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    tier = get(props, "userPoolTier", default="ESSENTIALS")  # CreateUserPool's default plan
    mode = get(props, "userPoolAddOns", "advancedSecurityMode", default="OFF")
    if mode == "AUDIT" or (tier == "PLUS" and mode != "ENFORCED"):
        yield f"threat protection is {mode} on the {tier} plan, not ENFORCED"


@resource_rule(
    "chatbot-channel-guardrails-least-privilege",
    concern="least-privilege",
    severity=Severity.HIGH,
    types=[t.CHATBOT_SLACK_CHANNEL],
    description="AWS Chatbot channels name their guardrail policies, none an administrator policy: without "
    "guardrails Chatbot applies AdministratorAccess to what channel members may do.",
    remediation="AlertTopic's Slack channel uses the CloudWatchReadOnlyAccess guardrail; keep it.",
)
def chatbot_guardrails(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    guardrails = [str(arn) for arn in as_list(get(props, "guardrailPolicyArns"))]
    if not guardrails:
        yield "no guardrailPolicyArns: Chatbot applies AdministratorAccess to the channel"
    for arn in guardrails:
        if managed_policy_name(arn) in ADMIN_POLICIES:
            yield f"guardrail {arn} lets channel members administer the account"
