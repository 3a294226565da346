"""The Lambda function that rotates an ElastiCache replication group's AUTH token for Secrets Manager.

Shipped as its own source (CacheTokenRotation inlines this file as index.py): the standard library
and boto3 (in every Lambda Python runtime) only. Secrets Manager calls it four times per rotation,
each step safe to repeat:

- createSecret: a new 64-character token in a new version labelled AWSPENDING (the JSON keeps the
  host, port and TLS of the current version; the URL is rebuilt).
- setSecret: ElastiCache accepts it beside the current one (ModifyReplicationGroup, strategy
  ROTATE). A group accepts two tokens at most, so the token before the current one, if the group
  still accepts it, is first retired with strategy SET (the current token becomes the only one).
- testSecret: AUTH with the pending token over TLS must succeed.
- finishSecret: AWSCURRENT moves to the new version, and the ECS services that inject the secret
  are redeployed, since ECS reads secrets only when a task starts. Their old tasks keep working
  meanwhile: the previous token stays valid until the next rotation retires it.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import ssl
import string
import time
from collections.abc import Callable, Mapping
from typing import Any

TOKEN_LENGTH = 64
# ElastiCache takes 16-128 printable characters with few symbols; letters and digits need no quoting
# in a rediss:// URL either.
TOKEN_ALPHABET = string.ascii_letters + string.digits
PENDING, CURRENT, PREVIOUS = "AWSPENDING", "AWSCURRENT", "AWSPREVIOUS"
# How long setSecret waits for the group to apply a change before it gives up (Secrets Manager calls
# the step again later); the function's timeout must be longer.
WAIT_SECONDS = 240
POLL_SECONDS = 10

Probe = Callable[[str, int, str], bool]


class RotationNotReady(Exception):
    """The replication group is busy (modifying, or applying a token): the step is tried again later."""


def new_token() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


def connection_url(token: str, host: str, port: int) -> str:
    return f"rediss://:{token}@{host}:{port}"


def auth_exchange(stream: socket.socket, token: str) -> bool:
    """AUTH with ``token`` as RESP (an array of two bulk strings); True when the cache answers +OK."""
    stream.sendall(f"*2\r\n$4\r\nAUTH\r\n${len(token)}\r\n{token}\r\n".encode())
    return stream.recv(256).startswith(b"+OK")


def auth_accepted(host: str, port: int, token: str, timeout: float = 5.0) -> bool:
    """Whether the cache accepts AUTH with ``token``, over TLS with the endpoint's certificate
    verified against its host name (the group requires in-transit encryption)."""
    context = ssl.create_default_context()
    with (
        socket.create_connection((host, port), timeout=timeout) as raw,
        context.wrap_socket(raw, server_hostname=host) as tls,
    ):
        return auth_exchange(tls, token)


class Rotation:
    """The four steps against injected clients (boto3's in Lambda, stubs in tests)."""

    def __init__(
        self,
        secrets_client: Any,
        cache_client: Any,
        ecs_client: Any,
        probe: Probe,
        *,
        environ: Mapping[str, str],
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.secrets = secrets_client
        self.cache = cache_client
        self.ecs = ecs_client
        self.probe = probe
        self.group_id = environ["REPLICATION_GROUP_ID"]
        self.services: list[dict[str, str]] = json.loads(environ.get("SERVICES", "[]"))
        self.sleep = sleep

    # -- the entry point -------------------------------------------------------------------------

    def run(self, event: Mapping[str, str]) -> None:
        arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
        metadata = self.secrets.describe_secret(SecretId=arn)
        if not metadata.get("RotationEnabled"):
            raise ValueError(f"secret {arn} is not enabled for rotation")
        stages = metadata.get("VersionIdsToStages", {})
        if token not in stages:
            raise ValueError(f"secret {arn} has no version {token} to rotate")
        if CURRENT in stages[token]:
            return  # this rotation has finished already
        if PENDING not in stages[token]:
            raise ValueError(f"version {token} of secret {arn} is not AWSPENDING")
        steps = {
            "createSecret": self.create_secret,
            "setSecret": self.set_secret,
            "testSecret": self.test_secret,
            "finishSecret": self.finish_secret,
        }
        if step not in steps:
            raise ValueError(f"unknown rotation step {step!r}")
        steps[step](arn, token)

    # -- the four steps --------------------------------------------------------------------------

    def create_secret(self, arn: str, token: str) -> None:
        current = self._value(arn, CURRENT)
        try:
            self._value(arn, PENDING, token)
            return  # made by an earlier attempt of this step
        except self.secrets.exceptions.ResourceNotFoundException:
            pass
        auth_token = new_token()
        pending = {
            **current,
            "auth_token": auth_token,
            "url": connection_url(auth_token, current["host"], int(current["port"])),
        }
        self.secrets.put_secret_value(
            SecretId=arn, ClientRequestToken=token, SecretString=json.dumps(pending), VersionStages=[PENDING]
        )

    def set_secret(self, arn: str, token: str) -> None:
        pending = self._value(arn, PENDING, token)
        if self._accepted(pending):
            return  # set by an earlier attempt of this step
        current = self._value(arn, CURRENT)
        self._wait_until_available()
        previous = self._previous(arn)
        if previous is not None and previous["auth_token"] != current["auth_token"] and self._accepted(previous):
            # The group still accepts the token before the current one: it holds two already.
            self._modify(current["auth_token"], "SET")
        self._modify(pending["auth_token"], "ROTATE")

    def test_secret(self, arn: str, token: str) -> None:
        if not self._accepted(self._value(arn, PENDING, token)):
            raise ValueError(f"the cache {self.group_id} refuses AUTH with the pending token of {arn}")

    def finish_secret(self, arn: str, token: str) -> None:
        stages = self.secrets.describe_secret(SecretId=arn)["VersionIdsToStages"]
        current = next((version for version, labels in stages.items() if CURRENT in labels), None)
        if current != token:
            self.secrets.update_secret_version_stage(
                SecretId=arn, VersionStage=CURRENT, MoveToVersionId=token, RemoveFromVersionId=current
            )
        for service in self.services:
            self.ecs.update_service(cluster=service["cluster"], service=service["service"], forceNewDeployment=True)

    # -- helpers ---------------------------------------------------------------------------------

    def _value(self, arn: str, stage: str, version: str | None = None) -> dict[str, Any]:
        request = {"SecretId": arn, "VersionStage": stage}
        if version is not None:
            request["VersionId"] = version
        return json.loads(self.secrets.get_secret_value(**request)["SecretString"])

    def _previous(self, arn: str) -> dict[str, Any] | None:
        try:
            return self._value(arn, PREVIOUS)
        except self.secrets.exceptions.ResourceNotFoundException:
            return None

    def _accepted(self, value: Mapping[str, Any]) -> bool:
        return self.probe(str(value["host"]), int(value["port"]), str(value["auth_token"]))

    def _group(self) -> dict[str, Any]:
        return self.cache.describe_replication_groups(ReplicationGroupId=self.group_id)["ReplicationGroups"][0]

    def _wait_until_available(self) -> None:
        """Until the group is available with no token change pending; RotationNotReady after WAIT_SECONDS."""
        waited = 0.0
        while True:
            group = self._group()
            if group["Status"] == "available" and "AuthTokenStatus" not in group.get("PendingModifiedValues", {}):
                return
            if waited >= WAIT_SECONDS:
                raise RotationNotReady(f"{self.group_id} is {group['Status']}: the rotation is tried again later")
            self.sleep(POLL_SECONDS)
            waited += POLL_SECONDS

    def _modify(self, auth_token: str, strategy: str) -> None:
        self.cache.modify_replication_group(
            ReplicationGroupId=self.group_id,
            AuthToken=auth_token,
            AuthTokenUpdateStrategy=strategy,
            ApplyImmediately=True,
        )
        self._wait_until_available()


def handler(event: Mapping[str, str], context: object) -> None:
    import boto3  # noqa: PLC0415 - in the Lambda runtime only; the tests inject stubs

    Rotation(
        boto3.client("secretsmanager"),
        boto3.client("elasticache"),
        boto3.client("ecs"),
        auth_accepted,
        environ=os.environ,
    ).run(event)
