"""Recovery from the loss of a region: AWS Backup vaults, plans that copy to another region, S3
replicas protected like their sources, and replication roles limited to their two buckets."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource, Severity

from . import types as t
from .iam import allows, resources, statements
from .props import UNKNOWN, as_list, customer_managed_key, get, is_set, peek
from .registry import joined, resource_rule, resources_of, stack_rule

RECOVERABLE = (t.RDS_INSTANCE, t.DYNAMODB_TABLE, t.EFS_FILE_SYSTEM)


@resource_rule(
    "backup-vault-encrypted-with-cmk",
    concern="encryption-at-rest",
    severity=Severity.HIGH,
    types=[t.BACKUP_VAULT],
    description="AWS Backup vaults encrypt their recovery points with a customer-managed KMS key.",
    remediation="StackBackup gives each vault (and the copy vault in the second region) its own CMK.",
    fsbp="Backup.1",
)
def vault_cmk(props: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    if not customer_managed_key(props, "kmsKeyArn"):
        yield "the vault uses the AWS managed key aws/backup (kmsKeyArn not set to a customer-managed key)"


def _region_of(arn: Any) -> str | None:
    """The region field of a known ARN; None when it is not known yet."""
    if not isinstance(arn, str) or arn.count(":") < 4:
        return None
    return arn.split(":")[3] or None


def _stack_regions(resources_: list[PolicyResource]) -> set[str]:
    return {str(get(p.props, "region")) for p in resources_of(resources_, t.AWS_PROVIDER) if get(p.props, "region")}


def _copy_regions(plan: PolicyResource) -> list[str | None]:
    """Where the plan's rules copy to: a region, or None for a copy whose vault is not known yet."""
    found: list[str | None] = []
    for rule in as_list(peek(plan.props, "rules")):
        for action in as_list(peek(rule, "copyActions")):
            destination = peek(action, "destinationVaultArn")
            if destination:
                found.append(None if destination is UNKNOWN else _region_of(destination))
    return found


@stack_rule(
    "data-stores-backed-up-to-another-region",
    concern="data-protection",
    severity=Severity.HIGH,
    description="Every RDS primary, DynamoDB table and EFS file system is in an AWS Backup plan (FSBP's controls) "
    "that also copies its recovery points to a vault in another region (webstack's addition).",
    remediation="Set webstack:backup.copy_region (StackBackup copies every rule's recovery point there).",
    relaxable=True,
    fsbp="RDS.26, DynamoDB.4, EFS.2",
    cdk_nag="HIPAA/NIST RDSInBackupPlan, DynamoDBInBackupPlan, EFSInBackupPlan",
)
def backed_up_elsewhere(resources_: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    selections = list(resources_of(resources_, t.BACKUP_SELECTION))
    home = _stack_regions(resources_)
    for store in resources_of(resources_, *RECOVERABLE):
        if is_set(store.props, "replicateSourceDb"):
            continue  # a read replica: its primary is the one to back up
        plans = [plan for s in selections if store in joined(s, "resources") for plan in joined(s, "planId")]
        if not plans:
            yield "not in any AWS Backup plan (no selection names it)", store.urn
            continue
        regions = [region for plan in plans for region in _copy_regions(plan)]
        if not regions:
            yield (
                "its backup plan copies nothing to another region: the loss of the region loses the backups",
                store.urn,
            )
        elif all(region is not None and region in home for region in regions):
            yield f"its backup plan copies only within the stack's region ({', '.join(sorted(home))})", store.urn


def _versioned(bucket: PolicyResource, resources_: list[PolicyResource]) -> bool:
    return any(
        bucket in joined(v, "bucket") and peek(v.props, "versioningConfiguration", "status") in ("Enabled", UNKNOWN)
        for v in resources_of(resources_, t.BUCKET_VERSIONING)
    )


@stack_rule(
    "s3-replication-to-a-protected-replica",
    concern="data-protection",
    severity=Severity.HIGH,
    description="S3 replication re-encrypts objects with a customer-managed key of the replica's region, replicates "
    "SSE-KMS objects, meets Replication Time Control with its metrics, and both buckets are versioned.",
    remediation="Use BucketReplication (webstack:buckets.<name>.replicate): its replica is a versioned StaticSite "
    "under its own CMK.",
)
def protected_replica(resources_: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for replication in resources_of(resources_, t.BUCKET_REPLICATION):
        sources = joined(replication, "bucket")
        targets = [r for r in joined(replication, "rules") if t.canonical(r.resource_type) == t.BUCKET]
        for bucket, which in [*((s, "source") for s in sources), *((d, "replica") for d in targets)]:
            if not _versioned(bucket, resources_):
                yield f"the {which} bucket {bucket.name} is not versioned", replication.urn
        for rule in as_list(peek(replication.props, "rules")):
            rule_id = peek(rule, "id") or "?"
            if not customer_managed_key(rule, "destination", "encryptionConfiguration", "replicaKmsKeyId"):
                yield f"rule {rule_id}: replicas are not re-encrypted with a CMK (replicaKmsKeyId)", replication.urn
            if peek(rule, "sourceSelectionCriteria", "sseKmsEncryptedObjects", "status") != "Enabled":
                yield f"rule {rule_id}: objects encrypted with SSE-KMS are not replicated", replication.urn
            for part in ("replicationTime", "metrics"):
                if peek(rule, "destination", part, "status") != "Enabled":
                    yield f"rule {rule_id}: {part} (Replication Time Control) is off", replication.urn


def _bucket_arns(replication: PolicyResource) -> set[str]:
    names = [peek(replication.props, "bucket")]
    names += [peek(rule, "destination", "bucket") for rule in as_list(peek(replication.props, "rules"))]
    arns = {n if str(n).startswith("arn:") else f"arn:aws:s3:::{n}" for n in names if isinstance(n, str)}
    return arns | {f"{arn}/*" for arn in arns}


def _key_arns(replication: PolicyResource, resources_: list[PolicyResource]) -> set[str]:
    keys = {
        peek(rule, "destination", "encryptionConfiguration", "replicaKmsKeyId")
        for rule in as_list(peek(replication.props, "rules"))
    }
    for source in joined(replication, "bucket"):
        for encryption in resources_of(resources_, t.BUCKET_ENCRYPTION):
            if source in joined(encryption, "bucket"):
                keys |= {
                    peek(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId")
                    for rule in as_list(peek(encryption.props, "rules"))
                }
    return {k for k in keys if isinstance(k, str)}


@stack_rule(
    "s3-replication-role-least-privilege",
    concern="least-privilege",
    severity=Severity.HIGH,
    description="An S3 replication role may use only its source and replica buckets and their two keys, and "
    "holds no AWS managed policy.",
    remediation="Use BucketReplication: its role's one inline policy names the two buckets and the two keys.",
    cdk_nag="AwsSolutions-IAM5 (for this role: no resource beyond its buckets and keys)",
)
def replication_role(resources_: list[PolicyResource], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for replication in resources_of(resources_, t.BUCKET_REPLICATION):
        allowed = _bucket_arns(replication) | _key_arns(replication, resources_)
        for role in joined(replication, "role"):
            for attachment in resources_of(resources_, t.IAM_ROLE_POLICY_ATTACHMENT):
                if role in joined(attachment, "role"):
                    yield f"role {role.name} also holds {peek(attachment.props, 'policyArn')}", role.urn
            for policy in resources_of(resources_, t.IAM_ROLE_POLICY):
                if role not in joined(policy, "role"):
                    continue
                # A document holding ARNs not known yet is one unknown string on a first preview:
                # reading it raises, and the engine leaves the verdict to the offline plan.
                for statement in statements(get(policy.props, "policy")):
                    extra = sorted(r for r in resources(statement) if allows(statement) and r not in allowed)
                    if extra:
                        yield (
                            f"role {role.name} may use {', '.join(extra)}, beyond its two buckets and two keys",
                            role.urn,
                        )
