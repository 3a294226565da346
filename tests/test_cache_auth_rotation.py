"""The cache AUTH rotation function's four steps, against stub Secrets Manager, ElastiCache and ECS
clients that behave like the services where the function relies on them."""

from __future__ import annotations

import json
import socket
import threading
from typing import Any

import pytest

from components import cache_auth_rotation as rotation
from components.cache_auth_rotation import CURRENT, PENDING, PREVIOUS, Rotation, RotationNotReady

ARN = "arn:aws:secretsmanager:me-south-1:123456789012:secret:exiuscart-prod/cache/auth-AbCdEf"
HOST = "master.exiuscart-prod-cache.abc123.mes1.cache.amazonaws.com"


class NotFound(Exception):
    """Secrets Manager's ResourceNotFoundException."""


class StubSecrets:
    """Versions with staging labels, as Secrets Manager keeps them."""

    class exceptions:
        ResourceNotFoundException = NotFound

    def __init__(self, token: str, rotation_enabled: bool = True) -> None:
        self.rotation_enabled = rotation_enabled
        self.versions: dict[str, tuple[dict[str, Any] | None, set[str]]] = {
            "v0": ({"auth_token": token, "host": HOST, "port": 6379, "tls": True, "url": "rediss://..."}, {CURRENT})
        }

    def describe_secret(self, SecretId: str) -> dict[str, Any]:
        return {
            "RotationEnabled": self.rotation_enabled,
            "VersionIdsToStages": {v: sorted(stages) for v, (_, stages) in self.versions.items() if stages},
        }

    def get_secret_value(self, SecretId: str, VersionStage: str, VersionId: str | None = None) -> dict[str, Any]:
        for version, (value, stages) in self.versions.items():
            if value is not None and VersionStage in stages and VersionId in (None, version):
                return {"SecretString": json.dumps(value), "VersionId": version}
        raise NotFound(VersionStage)

    def put_secret_value(
        self,
        SecretId: str,
        ClientRequestToken: str,
        SecretString: str,
        VersionStages: list[str],
    ) -> None:
        for _, stages in self.versions.values():
            stages.difference_update(VersionStages)
        self.versions[ClientRequestToken] = (json.loads(SecretString), set(VersionStages))

    def update_secret_version_stage(
        self,
        SecretId: str,
        VersionStage: str,
        MoveToVersionId: str,
        RemoveFromVersionId: str,
    ) -> None:
        for _, stages in self.versions.values():
            stages.discard(PREVIOUS)
        old = self.versions[RemoveFromVersionId][1]
        old.discard(VersionStage)
        old.add(PREVIOUS)
        self.versions[MoveToVersionId][1].add(VersionStage)
        self.versions[MoveToVersionId][1].discard(PENDING)

    def start(self, version: str) -> None:
        """What RotateSecret does before calling the function: a version labelled AWSPENDING, no value yet."""
        for _, stages in self.versions.values():
            stages.discard(PENDING)
        self.versions[version] = (None, {PENDING})

    def value(self, stage: str) -> dict[str, Any]:
        return json.loads(self.get_secret_value(ARN, stage)["SecretString"])


class StubCache:
    """A replication group that accepts at most two tokens: ROTATE adds one (refused with two),
    SET leaves only the one given; each change keeps the group modifying for ``busy_polls``."""

    def __init__(self, token: str, busy_polls: int = 1) -> None:
        self.tokens = [token]
        self.busy_polls = busy_polls
        self.busy = 0
        self.calls: list[tuple[str, str]] = []

    def modify_replication_group(
        self,
        ReplicationGroupId: str,
        AuthToken: str,
        AuthTokenUpdateStrategy: str,
        ApplyImmediately: bool,
    ) -> None:
        assert ReplicationGroupId == "exiuscart-prod-cache" and ApplyImmediately
        assert self.busy == 0, "modified while a change was being applied"
        if AuthTokenUpdateStrategy == "ROTATE":
            assert len(self.tokens) < 2, "a third token"
            self.tokens.append(AuthToken)
        else:
            assert AuthTokenUpdateStrategy == "SET" and AuthToken in self.tokens
            self.tokens = [AuthToken]
        self.calls.append((AuthTokenUpdateStrategy, AuthToken))
        self.busy = self.busy_polls

    def describe_replication_groups(self, ReplicationGroupId: str) -> dict[str, Any]:
        if self.busy:
            self.busy -= 1
            return {
                "ReplicationGroups": [{"Status": "modifying", "PendingModifiedValues": {"AuthTokenStatus": "ROTATING"}}]
            }
        return {"ReplicationGroups": [{"Status": "available", "PendingModifiedValues": {}}]}

    def accepts(self, host: str, port: int, token: str) -> bool:
        assert (host, port) == (HOST, 6379)
        return token in self.tokens


class StubEcs:
    def __init__(self) -> None:
        self.deployed: list[tuple[str, str]] = []

    def update_service(self, cluster: str, service: str, forceNewDeployment: bool) -> None:
        assert forceNewDeployment
        self.deployed.append((cluster, service))


SERVICES = [{"cluster": "exiuscart-prod", "service": "exiuscart-prod-api"}]


def stubs(token: str = "T0" * 32, **cache: Any) -> tuple[StubSecrets, StubCache, StubEcs, Rotation]:
    secrets, group, ecs = StubSecrets(token), StubCache(token, **cache), StubEcs()
    environ = {"REPLICATION_GROUP_ID": "exiuscart-prod-cache", "SERVICES": json.dumps(SERVICES)}
    return secrets, group, ecs, Rotation(secrets, group, ecs, group.accepts, environ=environ, sleep=lambda _: None)


def rotate(secrets: StubSecrets, function: Rotation, version: str) -> None:
    secrets.start(version)
    for step in ("createSecret", "setSecret", "testSecret", "finishSecret"):
        function.run({"SecretId": ARN, "ClientRequestToken": version, "Step": step})


def test_a_rotation_adds_the_new_token_beside_the_old_makes_it_current_and_redeploys_the_services():
    secrets, group, ecs, function = stubs()
    rotate(secrets, function, "v1")
    new = secrets.value(CURRENT)
    assert new["auth_token"] != "T0" * 32 and len(new["auth_token"]) == 64 and new["auth_token"].isalnum()
    assert new["url"] == f"rediss://:{new['auth_token']}@{HOST}:6379" and new["tls"] is True
    assert group.tokens == ["T0" * 32, new["auth_token"]]  # running tasks keep working with the old one
    assert group.calls == [("ROTATE", new["auth_token"])]
    assert ecs.deployed == [("exiuscart-prod", "exiuscart-prod-api")]
    assert secrets.value(PREVIOUS)["auth_token"] == "T0" * 32


def test_the_next_rotation_first_retires_the_token_before_the_current_one():
    """A group holds two tokens at most: the one two rotations old goes (SET) before the new one comes."""
    secrets, group, _, function = stubs()
    rotate(secrets, function, "v1")
    first = secrets.value(CURRENT)["auth_token"]
    rotate(secrets, function, "v2")
    second = secrets.value(CURRENT)["auth_token"]
    assert group.calls == [("ROTATE", first), ("SET", first), ("ROTATE", second)]
    assert group.tokens == [first, second]


def test_every_step_may_run_again_without_doing_it_twice():
    secrets, group, ecs, function = stubs()
    secrets.start("v1")
    for step in ("createSecret", "createSecret", "setSecret", "setSecret", "testSecret"):
        function.run({"SecretId": ARN, "ClientRequestToken": "v1", "Step": step})
    assert len(secrets.versions) == 2 and len(group.calls) == 1
    function.run({"SecretId": ARN, "ClientRequestToken": "v1", "Step": "finishSecret"})
    function.run({"SecretId": ARN, "ClientRequestToken": "v1", "Step": "finishSecret"})  # already current: no-op
    assert ecs.deployed == [("exiuscart-prod", "exiuscart-prod-api")]


def test_a_busy_group_makes_set_secret_retry_later_without_changing_anything():
    secrets, group, _, function = stubs(busy_polls=0)
    group.busy = 10**6  # modifying for ever (a node replacement, say)
    secrets.start("v1")
    function.run({"SecretId": ARN, "ClientRequestToken": "v1", "Step": "createSecret"})
    with pytest.raises(RotationNotReady, match="tried again later"):
        function.run({"SecretId": ARN, "ClientRequestToken": "v1", "Step": "setSecret"})
    assert group.calls == []


def test_test_secret_fails_when_the_cache_refuses_the_pending_token():
    secrets, _group, _, function = stubs()
    secrets.start("v1")
    function.run({"SecretId": ARN, "ClientRequestToken": "v1", "Step": "createSecret"})
    with pytest.raises(ValueError, match="refuses AUTH with the pending token"):
        function.run({"SecretId": ARN, "ClientRequestToken": "v1", "Step": "testSecret"})


@pytest.mark.parametrize(
    ("enabled", "version", "step", "error"),
    [
        (False, "v1", "createSecret", "not enabled for rotation"),
        (True, "v9", "createSecret", "has no version v9"),
        (True, "v1", "dropSecret", "unknown rotation step"),
    ],
)
def test_the_function_refuses_what_secrets_manager_would_never_ask(enabled, version, step, error):
    secrets, _, _, function = stubs()
    secrets.rotation_enabled = enabled
    secrets.versions["v1"] = (None, {PENDING})
    with pytest.raises(ValueError, match=error):
        function.run({"SecretId": ARN, "ClientRequestToken": version, "Step": step})


def test_a_version_that_is_not_pending_is_refused():
    secrets, _, _, function = stubs()
    secrets.versions["v1"] = (None, {PREVIOUS})
    with pytest.raises(ValueError, match="is not AWSPENDING"):
        function.run({"SecretId": ARN, "ClientRequestToken": "v1", "Step": "setSecret"})


def test_auth_speaks_resp_and_reads_the_reply():
    """The AUTH command as RESP (an array of bulk strings) and +OK or an error back."""
    for reply, accepted in ((b"+OK\r\n", True), (b"-WRONGPASS invalid username-password pair\r\n", False)):
        ours, theirs = socket.socketpair()
        received: list[bytes] = []

        def cache(sock: socket.socket = theirs, answer: bytes = reply, into: list[bytes] = received) -> None:
            into.append(sock.recv(256))
            sock.sendall(answer)

        server = threading.Thread(target=cache)
        server.start()
        assert rotation.auth_exchange(ours, "s3cr3t") is accepted
        server.join()
        ours.close()
        theirs.close()
        assert received == [b"*2\r\n$4\r\nAUTH\r\n$6\r\ns3cr3t\r\n"]


def test_the_function_is_inlined_as_its_own_source():
    """CacheTokenRotation ships this module as index.py: the standard library and boto3 only."""
    source = open(rotation.__file__).read()  # noqa: SIM115
    imports = {line.split()[1].split(".")[0] for line in source.splitlines() if line.startswith(("import ", "from "))}
    assert imports <= {
        "__future__",
        "json",
        "os",
        "secrets",
        "socket",
        "ssl",
        "string",
        "time",
        "collections",
        "typing",
    }
    assert "import boto3" in source
