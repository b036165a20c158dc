"""Bring the shared store's database to the newest schema when a store opens (Alembic, in-process).

Why this way:

- The revisions ship inside the package (``bot/state/migrations``) and run programmatically, so
  no ``alembic.ini`` is needed where changebot runs and every replica upgrades on start.
- Two processes may open the store at the same moment, so the upgrade holds a lock, re-reads
  the version under it and runs in the same transaction: on PostgreSQL an advisory transaction
  lock (its DDL is transactional); on SQLite a ``BEGIN IMMEDIATE`` on a connection of its own
  (the database's write lock, waited for by the others; the driver's own transaction handling is
  switched off for it so the DDL is inside that transaction too). A database already at the
  newest revision is recognised without taking the lock.
- A database made by a release before migrations (``create_all`` plus a ``changebot_schema``
  row) has no version table: revision 0001 creates only the tables it lacks, so it is adopted
  with its rows and then upgraded like any other.
- A database already at a revision this release does not know was upgraded by a newer replica;
  revisions only add, so this one carries on with a warning instead of refusing to start.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

logger = logging.getLogger(__name__)

VERSION_TABLE = "changebot_alembic_version"
MIGRATIONS = Path(__file__).with_name("migrations")
PG_LOCK_KEY = int.from_bytes(b"cbschema", "big")  # one advisory lock id for schema changes
SQLITE_LOCK_WAIT_S = 120.0


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic config for the packaged revisions, on ``connection`` (or ``url``)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision this release knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (None: new, or made before migrations)."""
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def upgrade(engine: Engine) -> str | None:
    """Upgrade the database behind ``engine`` to the newest revision; returns its revision."""
    head = head_revision()
    with engine.connect() as conn:
        found = current_revision(conn)
    if found == head:
        return found
    if engine.dialect.name == "sqlite" and not _in_memory(engine):
        locker = _sqlite_locking_engine(engine)
        try:
            with locker.begin() as conn:  # BEGIN IMMEDIATE: waits for another process's upgrade
                return _upgrade_locked(conn, head)
        finally:
            locker.dispose()
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
        return _upgrade_locked(conn, head)


def _upgrade_locked(conn: Connection, head: str) -> str | None:
    """Under the lock: read the version again and run whatever is still missing."""
    found = current_revision(conn)
    if found == head:
        return found  # another process upgraded while this one waited for the lock
    script = ScriptDirectory.from_config(alembic_config())
    if found is not None and found not in {rev.revision for rev in script.walk_revisions()}:
        logger.warning(
            "shared store schema is at %s, newer than this release (%s); carrying on", found, head
        )
        return found
    if found is None and "changebot_claims" in inspect(conn).get_table_names():
        logger.info("shared store made before migrations: adopting it (its rows are kept)")
    command.upgrade(alembic_config(conn), "head")
    logger.info("shared store schema upgraded from %s to %s", found or "nothing", head)
    return head


def _in_memory(engine: Engine) -> bool:
    database = engine.url.database or ""
    return database in ("", ":memory:") or engine.url.query.get("mode") == "memory"


def _sqlite_locking_engine(engine: Engine) -> Engine:
    """A one-connection engine whose transactions are ``BEGIN IMMEDIATE`` (DDL included)."""
    locker = create_engine(
        engine.url, poolclass=NullPool, connect_args={"timeout": SQLITE_LOCK_WAIT_S}
    )

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # the driver issues no BEGIN of its own
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    def on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    event.listen(locker, "connect", on_connect)
    event.listen(locker, "begin", on_begin)
    return locker
