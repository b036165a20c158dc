"""Fixtures for the shared store: each test gets a fresh database on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.state.store import SharedStore
from tests.servers.postgres import PostgresServer
from tests.servers.postgres import postgres as postgres  # noqa: F401 - shared fixture


class Clock:
    """A settable wall clock shared by the stores of one test."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of a new, empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'state.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres")
        yield server.url()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def stores(backend: str, clock: Clock) -> Iterator[tuple[SharedStore, SharedStore]]:
    """Two replicas' connections to the same store."""
    a, b = SharedStore(backend, clock=clock), SharedStore(backend, clock=clock)
    yield a, b
    a.close()
    b.close()
