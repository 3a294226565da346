"""The SQL of the database users task, run twice against a real PostgreSQL server.

Needs PostgreSQL's server programs (Debian: apt-get install postgresql, which .ci/run does);
skipped where they are missing. As root, the server runs as the postgres account.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from components.database_users import iam_user_sql


def server_program(name: str) -> str | None:
    """On PATH, or where Debian's postgresql package keeps it (not on PATH)."""
    return shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)


def as_server_user() -> list[str] | None:
    """The command prefix that runs the server's programs as a user PostgreSQL accepts."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    try:
        import pwd  # noqa: PLC0415

        pwd.getpwnam("postgres")
    except KeyError:
        return None
    return [runuser, "-u", "postgres", "--"] if runuser else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[Path, int]]:
    initdb, pg_ctl, psql = server_program("initdb"), server_program("pg_ctl"), shutil.which("psql")
    prefix = as_server_user()
    if not (initdb and pg_ctl and psql) or prefix is None:
        pytest.skip("PostgreSQL server programs (initdb, pg_ctl, psql) or a non-root account to run them are missing")
    # A temporary directory the postgres account can reach (pytest's are private to root).
    root = Path(tempfile.mkdtemp(prefix="webstack-postgres-"))
    root.chmod(0o755)
    data, sockets = root / "data", root / "sockets"
    data.mkdir()
    sockets.mkdir()
    if prefix:
        shutil.chown(root, "postgres")
        shutil.chown(data, "postgres")
        shutil.chown(sockets, "postgres")
    port = free_port()
    try:
        subprocess.run(
            [*prefix, initdb, "-D", str(data), "-A", "trust", "-U", "admin"], check=True, capture_output=True
        )
    except subprocess.CalledProcessError as error:
        shutil.rmtree(root, ignore_errors=True)
        raise AssertionError(f"initdb failed: {error.stderr!r}") from None
    subprocess.run(
        [*prefix, pg_ctl, "-D", str(data), "-w", "-l", str(root / "log"), "-o", f"-p {port} -k {sockets} -h ''",
         "start"],
        check=True, capture_output=True,
    )  # fmt: skip
    try:
        yield sockets, port
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], check=False, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def psql(server: tuple[Path, int], user: str, database: str, *commands: str) -> subprocess.CompletedProcess[str]:
    sockets, port = server
    arguments = ["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", str(sockets), "-p", str(port)]
    arguments += ["-U", user, "-d", database]
    for command in commands:
        arguments += ["-c", command]
    return subprocess.run(arguments, capture_output=True, text=True, check=False)


def test_the_users_sql_creates_iam_users_and_is_safe_to_run_after_every_deploy(server):
    # What RDS has and a plain server lacks: the database and the rds_iam role.
    assert psql(server, "admin", "postgres", "CREATE DATABASE app", "CREATE ROLE rds_iam").returncode == 0
    sql = iam_user_sql("app", ["app", "reporting"])
    for _ in range(2):  # every `webstack up` runs it again
        result = psql(server, "admin", "app", sql)
        assert result.returncode == 0, result.stderr
    membership = psql(server, "admin", "app", "SELECT pg_has_role('app', 'rds_iam', 'member')")
    assert membership.stdout.strip() == "t"
    # The app user owns what its migrations create, in the public schema of its database.
    created = psql(server, "app", "app", "CREATE TABLE orders (id int)", "SELECT tableowner FROM pg_tables "
                   "WHERE tablename = 'orders'")  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "app"
    assert psql(server, "reporting", "app", "SELECT current_user").stdout.strip() == "reporting"
