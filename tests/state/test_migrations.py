"""Migrations: a new store is at head and matches schema.py; an old create_all database is adopted
with its rows; upgrading is idempotent and safe when several processes open the store at once."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Float, MetaData, String, Table, Text, inspect, select, text

from bot.state import migrate
from bot.state.migrate import VERSION_TABLE, head_revision, upgrade
from bot.state.schema import metadata
from bot.state.store import SharedStore, make_engine
from tests.state.conftest import Clock

ROOT = Path(__file__).resolve().parents[2]


def old_release_metadata(with_leases: bool = True) -> MetaData:
    """The schema exactly as the releases before migrations declared it (frozen copy)."""
    old = MetaData()
    Table(
        "changebot_claims",
        old,
        Column("key", String(300), primary_key=True),
        Column("expires_at", Float, nullable=False, index=True),
    )
    Table(
        "changebot_inflight",
        old,
        Column("id", String(32), primary_key=True),
        Column("owner", String(200), nullable=False, index=True),
        Column("lease_until", Float, nullable=False, index=True),
        Column("created_at", Float, nullable=False),
        Column("payload", Text, nullable=False),
    )
    Table(
        "changebot_cards",
        old,
        Column("card_id", String(64), primary_key=True),
        Column("expires_at", Float, nullable=False, index=True),
        Column("payload", Text, nullable=False),
    )
    if with_leases:  # added by a later release; older databases do not have it
        Table(
            "changebot_leases",
            old,
            Column("name", String(100), primary_key=True),
            Column("owner", String(200), nullable=False),
            Column("since", Float, nullable=False),
            Column("until", Float, nullable=False),
        )
    Table(
        "changebot_schema",
        old,
        Column("name", String(50), primary_key=True),
        Column("value", String(50), nullable=False),
    )
    return old


def make_old_database(url: str, now: float, with_leases: bool = True) -> None:
    """What an old release left behind: its tables, its schema row and live rows in each."""
    engine = make_engine(url)
    old = old_release_metadata(with_leases)
    old.create_all(engine)
    with engine.begin() as conn:
        conn.execute(old.tables["changebot_schema"].insert().values(name="schema", value="1"))
        conn.execute(
            old.tables["changebot_claims"].insert().values(key="event:Old", expires_at=now + 600)
        )
        conn.execute(
            old.tables["changebot_inflight"]
            .insert()
            .values(
                id="p1", owner="old-replica", lease_until=now - 1, created_at=now - 5, payload="{}"
            )
        )
        conn.execute(
            old.tables["changebot_cards"]
            .insert()
            .values(card_id="card-old", expires_at=now + 600, payload='{"kept": true}')
        )
        if with_leases:
            conn.execute(
                old.tables["changebot_leases"]
                .insert()
                .values(name="ingest", owner="old-host", since=now, until=now + 600)
            )
    engine.dispose()


def schema_differences(store: SharedStore) -> list[Any]:
    """What autogenerate would change to make the database match schema.py (none expected)."""
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"version_table": VERSION_TABLE, "compare_type": True}
        )
        return list(compare_metadata(context, metadata))


def version_rows(store: SharedStore) -> list[str]:
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))]


def test_a_new_store_is_at_head_and_matches_the_declared_schema(backend: str, clock: Clock) -> None:
    store = SharedStore(backend, clock=clock)
    try:
        assert store.revision == head_revision() == "0005"
        assert version_rows(store) == ["0005"]
        assert schema_differences(store) == []
        names = set(inspect(store.engine).get_table_names())
        assert {t for t in metadata.tables} | {VERSION_TABLE} == names
    finally:
        store.close()


def test_upgrading_again_changes_nothing_and_keeps_rows(backend: str, clock: Clock) -> None:
    first = SharedStore(backend, clock=clock)
    first.put_card("c1", '{"n": 1}', ttl_s=600)
    first.close()
    second = SharedStore(backend, clock=clock)  # a restart: already at head
    try:
        assert upgrade(second.engine) == head_revision()  # and once more, directly
        assert version_rows(second) == [head_revision()]
        assert second.get_card("c1") == '{"n": 1}'
        assert schema_differences(second) == []
    finally:
        second.close()


@pytest.mark.parametrize("with_leases", [True, False], ids=["last-release", "before-leases"])
def test_a_database_from_before_migrations_is_adopted_with_its_rows(
    backend: str, clock: Clock, with_leases: bool, caplog: pytest.LogCaptureFixture
) -> None:
    make_old_database(backend, clock.now, with_leases)
    with caplog.at_level(logging.INFO, logger="bot.state.migrate"):
        store = SharedStore(backend, clock=clock)
    try:
        assert "adopting it" in caplog.text
        assert version_rows(store) == [head_revision()]
        assert schema_differences(store) == []
        # every old row is still there and still means what it meant
        assert store.claim("event:Old", ttl_s=60) is False
        assert store.get_card("card-old") == '{"kept": true}'
        assert store.take_lost("new-replica", own_too=False) == [(clock.now - 5, "{}")]
        taken, holder, _since = store.acquire("ingest", "new-host", ttl_s=60)
        assert (taken, holder) == ((False, "old-host") if with_leases else (True, "new-host"))
        with store.engine.connect() as conn:
            marker = conn.execute(text("SELECT value FROM changebot_schema")).scalar_one()
        assert marker == "1"  # left for an older release opened after a rollback
        # and the new tables work at once
        store.put_card("card-new", "{}", ttl_s=60)
        assert store.get_card("card-new") == "{}"
    finally:
        store.close()


def test_a_database_newer_than_this_release_is_used_as_it_is(
    backend: str, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    store = SharedStore(backend, clock=clock)
    with store.engine.begin() as conn:
        conn.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '0099'"))
    store.close()
    with caplog.at_level(logging.WARNING, logger="bot.state.migrate"):
        again = SharedStore(backend, clock=clock)
    try:
        assert again.revision == "0099" and "newer than this release" in caplog.text
        assert again.claim("event:x", ttl_s=60) is True
    finally:
        again.close()


def test_the_upgrade_waits_for_the_lock_another_process_holds(backend: str) -> None:
    """Hold the migration lock the way a second process would; the store waits for it."""
    held = threading.Event()
    release = threading.Event()

    def hold_lock() -> None:
        if backend.startswith("sqlite"):
            raw = sqlite3.connect(backend.removeprefix("sqlite:///"), isolation_level=None)
            raw.execute("PRAGMA journal_mode=WAL")
            raw.execute("BEGIN IMMEDIATE")
            held.set()
            release.wait(10)
            raw.execute("ROLLBACK")
            raw.close()
        else:
            engine = make_engine(backend)
            with engine.begin() as conn:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": migrate.PG_LOCK_KEY})
                held.set()
                release.wait(10)
            engine.dispose()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    assert held.wait(10)
    opened: list[float] = []

    def open_store() -> None:
        SharedStore(backend).close()
        opened.append(time.monotonic())

    opener = threading.Thread(target=open_store)
    opener.start()
    time.sleep(0.5)
    assert opened == []  # still waiting for the lock
    released_at = time.monotonic()
    release.set()
    holder.join(10)
    opener.join(30)
    assert len(opened) == 1 and opened[0] >= released_at


def test_processes_opening_a_new_store_at_once_all_succeed(backend: str) -> None:
    script = (
        "import sys; from bot.state.store import SharedStore; "
        "s = SharedStore(sys.argv[1]); print(s.revision); s.close()"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, backend],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err[-800:] for _out, err in results]
    assert [out.strip() for out, _err in results] == [head_revision()] * 4
    store = SharedStore(backend)
    try:
        assert version_rows(store) == [head_revision()]
        assert schema_differences(store) == []
        with store.engine.connect() as conn:
            assert conn.execute(select(metadata.tables["changebot_claims"])).all() == []
    finally:
        store.close()


def test_a_failed_upgrade_leaves_the_database_as_it_was(backend: str, monkeypatch: Any) -> None:
    """The revisions run in one transaction on both backends: no half-made schema is left."""
    from alembic import command

    real_upgrade = command.upgrade

    def failing_upgrade(config: Any, revision: str) -> None:
        real_upgrade(config, "0002")  # some revisions run inside the transaction...
        raise RuntimeError("disk on fire")  # ...then the next one fails

    monkeypatch.setattr(command, "upgrade", failing_upgrade)
    with pytest.raises(RuntimeError, match="disk on fire"):
        SharedStore(backend)
    engine = make_engine(backend)
    assert inspect(engine).get_table_names() == []
    engine.dispose()
    monkeypatch.setattr(command, "upgrade", real_upgrade)
    store = SharedStore(backend)
    assert store.revision == head_revision() and schema_differences(store) == []
    store.close()
