"""The backups that survive a region, in the picture: the stack's AWS Backup vault beside its data
stores, the copy vault and the bucket replicas in the second region, and the arrows between them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from webstack.diagram.elements import Edge, Node, Place, State, deps, name_of, of_type

VAULT = "aws:backup/vault:Vault"
PLAN = "aws:backup/plan:Plan"
SELECTION = "aws:backup/selection:Selection"
REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
COPY_REGION = Place("copy_region")


def copy_region(states: Mapping[str, State]) -> str | None:
    """The second region the plan keeps copies and replicas in, if any."""
    regions = [str(s["inputs"]["region"]) for s in (*of_type(states, VAULT), *of_type(states, "aws:s3/bucket:Bucket"))
               if s["inputs"].get("region")]  # fmt: skip
    return regions[0] if regions else None


def _rules(states: Mapping[str, State]) -> str:
    rules = [r for plan in of_type(states, PLAN) for r in plan["inputs"].get("rules") or []]
    return ", ".join(f"{r.get('ruleName', '')} {(r.get('lifecycle') or {}).get('deleteAfter', 0):g} d" for r in rules)


def recovery_nodes(states: Mapping[str, State]) -> Iterator[Node]:
    locked = {str(s["inputs"].get("backupVaultName")) for s in of_type(states, "aws:backup/vaultLockConfiguration:"
                                                                          "VaultLockConfiguration")}  # fmt: skip
    for vault in of_type(states, VAULT):
        name = str(vault["inputs"].get("name", ""))
        lock = "\nvault lock" if name in locked else ""
        if vault["inputs"].get("region"):
            yield Node(name_of(vault["urn"]), "backup", f"AWS Backup copies\n{name}{lock}", COPY_REGION)
        else:
            yield Node(name_of(vault["urn"]), "backup", f"AWS Backup vault\n{name}\n{_rules(states)}{lock}",
                       Place("region"))  # fmt: skip
    for bucket in of_type(states, "aws:s3/bucket:Bucket"):
        if bucket["inputs"].get("region"):
            data_class = (bucket["inputs"].get("tags") or {}).get("DataClass", "")
            label = f"S3 {name_of(bucket['urn']).removesuffix('-bucket')}\n{data_class}"
            yield Node(name_of(bucket["urn"]), "s3", label, COPY_REGION)


def recovery_edges(states: Mapping[str, State]) -> Iterator[Edge]:
    vaults = {str(v["inputs"].get("name", "")): name_of(v["urn"]) for v in of_type(states, VAULT)}
    for plan in of_type(states, PLAN):
        rules = plan["inputs"].get("rules") or []
        targets = {vaults.get(str(r.get("targetVaultName", ""))) for r in rules} - {None}
        copies = {
            name_of(urn)
            for urn in deps(plan, "rules")
            if states.get(urn, {}).get("type") == VAULT and states[urn]["inputs"].get("region")
        }
        for selection in of_type(states, SELECTION):
            if plan["urn"] in deps(selection, "planId"):
                for store in deps(selection, "resources"):
                    for target in targets:
                        yield Edge(name_of(store), str(target), "AWS Backup")
        for target in targets:
            for copy in copies:
                yield Edge(str(target), copy, "copy of every point")
    for replication in of_type(states, REPLICATION):
        for source in deps(replication, "bucket"):
            for replica in deps(replication, "rules"):
                if states.get(replica, {}).get("type") == "aws:s3/bucket:Bucket":
                    yield Edge(name_of(source), name_of(replica), "replication, 15 min (RTC)")
