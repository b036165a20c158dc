"""A real PostgreSQL server for the tests, started from the machine's packages (Debian's).

One throwaway cluster per test session on a free loopback port with trust authentication, in a
temporary folder; stopped and deleted at the end. PostgreSQL refuses to run as root, so as root
the server runs as the ``postgres`` system user the Debian package creates.
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

MISSING = (
    "PostgreSQL server binaries not found: install Debian's `postgresql` package "
    "(`.ci/run` does this on a fresh machine)."
)


def _binary(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        pytest.fail(MISSING)
    return found[-1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PostgresServer:
    """A running cluster; ``url(db)`` gives a SQLAlchemy URL for a fresh database."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="cb-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(_binary("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres")
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            _binary("pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(self.root / "log"), "-w", "start",
        )  # fmt: skip
        self._databases = 0

    def _run(self, *command: str) -> None:
        done = subprocess.run(
            _as_server_user(list(command)), capture_output=True, text=True, timeout=120
        )
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {done.stderr[-2000:]}")

    def url(self) -> str:
        """A new empty database on this server (one per caller, so tests never share state)."""
        import psycopg

        self._databases += 1
        name = f"changebot_{os.getpid()}_{self._databases}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        """Stop the server and delete its files."""
        try:
            self._run(_binary("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the whole test session."""
    server = PostgresServer()
    try:
        yield server
    finally:
        server.stop()
