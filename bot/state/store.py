"""The shared store: state that every replica must see, in SQLite (default) or PostgreSQL.

(Only these two: claims use their common ``INSERT … ON CONFLICT … RETURNING``.)

One SQLAlchemy Core schema, the same on both backends (``schema.py``), created and upgraded by
the packaged Alembic revisions when a store opens (``migrate.py``). This module keeps:

- ``claims``: event ids and ``(channel, ts)`` keys with an expiry, so a retry or a second delivery
  that reaches another replica is still answered once;
- ``inflight``: replies promised at ack time, with the replica that owns each and a lease; a
  replica takes over only its own previous incarnation's promises or ones whose lease expired,
  and each is taken by exactly one taker (a conditional delete);
- ``cards``: diagnosis cards kept for "Share" and "More actions", whichever replica gets the click;
- ``leases``: one holder at a time across hosts (the ingest lease).

Beside them, with their own queries over ``transaction()``: diagnosis history (``history.py``),
feedback (``feedback.py``), per-user rate limits (``rates.py``) and the shared copy of the audit
log (``audit.py``); ``retention.py`` prunes them all.

SQLite lives in the data dir with WAL, so processes on one machine share it; set
``CHANGEBOT_DATABASE_URL`` to a PostgreSQL URL to share it between hosts. Only ids, times and
rendered labels are stored, never message text.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, delete, event, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import StaticPool

from bot.state.migrate import upgrade
from bot.state.schema import cards, claims, inflight, leases, metadata

__all__ = [
    "Busy",
    "SharedStore",
    "cards",
    "claims",
    "inflight",
    "leases",
    "make_engine",
    "metadata",
]

logger = logging.getLogger(__name__)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL and a busy timeout so processes can share it."""
    if url.startswith("sqlite"):
        # one connection per process, used under SharedStore's lock: no pool to queue for on
        # the ack path, and SQLite serialises writers anyway
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 5}, poolclass=StaticPool
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


class Busy(Exception):
    """A lease is held by another replica."""

    def __init__(self, holder: str, since: float) -> None:
        super().__init__(holder)
        self.holder = holder
        self.since = since


class GroupCommit:
    """Rows written by many threads at once, committed together: one writer at a time.

    A caller adds its row and waits. Whoever finds no write under way becomes the writer: it
    takes every row waiting (its own included), commits them in one transaction and wakes their
    callers; rows that arrived meanwhile go in the next transaction, written by one of their own
    callers. Each caller returns only after the transaction holding its row committed, and raises
    that transaction's error if it failed. Under a burst of N callers this is a handful of commits
    rather than N, each waiting for the store's write lock in turn.
    """

    def __init__(self, write: Callable[[list[dict[str, Any]]], None]) -> None:
        self._write = write
        self._cond = threading.Condition()
        self._waiting: list[_Slot] = []
        self._writing = False

    def write(self, row: dict[str, Any]) -> None:
        """Return once ``row`` is committed (with whatever rows were waiting beside it)."""
        slot = _Slot(row)
        with self._cond:
            self._waiting.append(slot)
            while self._writing and not slot.done:
                self._cond.wait()
            if not slot.done:
                self._writing = True
                batch, self._waiting = self._waiting, []
        if not slot.done:
            error: BaseException | None = None
            try:
                self._write([s.row for s in batch])
            except BaseException as exc:  # handed to every caller whose row it carried
                error = exc
            with self._cond:
                for waiter in batch:
                    waiter.done, waiter.error = True, error
                self._writing = False
                self._cond.notify_all()
        if slot.error is not None:
            raise slot.error


class _Slot:
    """One caller's row in ``GroupCommit`` and how its transaction ended."""

    __slots__ = ("done", "error", "row")

    def __init__(self, row: dict[str, Any]) -> None:
        self.row = row
        self.done = False
        self.error: BaseException | None = None


class SharedStore:
    """Claims, promised replies, cards, leases and the tables of the modules beside this one."""

    def __init__(self, url: str, clock: Any = time.time) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.clock = clock
        self._write_lock: Any = (
            threading.Lock() if self.engine.dialect.name == "sqlite" else contextlib.nullcontext()
        )
        self._promises = GroupCommit(self._insert_promises)
        try:
            self.revision = upgrade(self.engine)  # to the newest schema, under a lock (migrate.py)
        except BaseException:
            self.engine.dispose()
            raise

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction (for the modules that keep their own tables here)."""
        with self._tx() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read-only connection."""
        with self._read() as conn:
            yield conn

    def insert_or(self, table: Any) -> Any:
        """This backend's ``INSERT`` with ``ON CONFLICT`` (both backends support it)."""
        return (sqlite_insert if self.backend == "sqlite" else pg_insert)(table)

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        """One write transaction; on SQLite, serialised in-process first.

        SQLite allows one writer at a time and a waiting writer polls with growing sleeps (its
        busy handler), which under a burst of acks turns a 0.1 ms write into tens of ms. Taking
        a process lock first keeps the waiting in a queue instead; PostgreSQL needs none.
        """
        with self._write_lock, self.engine.begin() as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A read; on SQLite it shares the one connection, so it takes the same lock."""
        with self._write_lock, self.engine.connect() as conn:
            yield conn

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql`` (for logs and /readyz)."""
        return self.engine.dialect.name

    def ping(self) -> bool:
        """True when the store answers a trivial query."""
        try:
            with self._read() as conn:
                conn.execute(select(1))
            return True
        except Exception:  # noqa: BLE001 - readiness reports, never raises
            return False

    # -- claims ------------------------------------------------------------------------------
    def claim(self, key: str, ttl_s: float) -> bool:
        """True for the first claimant of ``key`` (or of an expired claim), False for the rest."""
        now = self.clock()
        statement = (
            self.insert_or(claims)
            .values(key=key, expires_at=now + ttl_s)
            .on_conflict_do_update(
                index_elements=[claims.c.key],
                set_={"expires_at": now + ttl_s},
                where=claims.c.expires_at < now,
            )
            .returning(claims.c.key)  # a row only when inserted or taken over
        )
        with self._tx() as conn:
            return conn.execute(statement).first() is not None

    def prune_claims(self) -> int:
        """Drop expired claims (called now and then; claims expire logically anyway)."""
        with self._tx() as conn:
            return int(
                conn.execute(delete(claims).where(claims.c.expires_at < self.clock())).rowcount
            )

    # -- promised replies ----------------------------------------------------------------------
    def promise(self, payload: str, owner: str, lease_s: float) -> str:
        """Record a reply owed (ids only, in ``payload``); returns its id once it is committed.

        Called on the ack path, often by many request threads at once: concurrent promises are
        written together in one transaction (``_promises``), so a burst of acks waits for a few
        commits instead of queuing for one commit each. The row is committed before this
        returns, as before; a failed commit raises in every caller whose row it carried.
        """
        entry_id = uuid.uuid4().hex
        now = self.clock()
        self._promises.write(
            {
                "id": entry_id,
                "owner": owner,
                "lease_until": now + lease_s,
                "created_at": now,
                "payload": payload,
            }
        )
        return entry_id

    def _insert_promises(self, rows: list[dict[str, Any]]) -> None:
        with self._tx() as conn:
            conn.execute(insert(inflight), rows)

    def fulfil(self, entry_id: str) -> None:
        """The reply was delivered (or the job ended with a message of its own)."""
        with self._tx() as conn:
            conn.execute(delete(inflight).where(inflight.c.id == entry_id))

    def take_lost(self, owner: str, *, own_too: bool) -> list[tuple[float, str]]:
        """Promises whose lease expired (and, with ``own_too``, all of ``owner``'s own).

        Each row is deleted by exactly one taker, whichever replica asks first; returns
        ``(created_at, payload)`` for the rows this caller took.
        """
        now = self.clock()
        condition = inflight.c.lease_until < now
        if own_too:
            condition = condition | (inflight.c.owner == owner)
        with self._read() as conn:
            rows = conn.execute(select(inflight.c.id).where(condition)).all()
        taken: list[tuple[float, str]] = []
        for (entry_id,) in rows:
            with self._tx() as conn:
                row = conn.execute(
                    delete(inflight)
                    .where(inflight.c.id == entry_id)
                    .returning(inflight.c.created_at, inflight.c.payload)
                ).first()
            if row is not None:
                taken.append((float(row[0]), str(row[1])))
        return taken

    def pending_count(self) -> int:
        """Promises not yet fulfilled (for status and tests)."""
        with self._read() as conn:
            return len(conn.execute(select(inflight.c.id)).all())

    # -- leases (one holder at a time, across hosts) ----------------------------------------------
    def acquire(self, name: str, owner: str, ttl_s: float) -> tuple[bool, str, float]:
        """Take lease ``name`` (free, expired or already ours); returns (taken, holder, since)."""
        now = self.clock()
        with self._tx() as conn:
            taken = conn.execute(
                update(leases)
                .where(leases.c.name == name, (leases.c.until < now) | (leases.c.owner == owner))
                .values(owner=owner, since=now, until=now + ttl_s)
            ).rowcount
        if not taken:
            try:
                with self._tx() as conn:
                    conn.execute(
                        insert(leases).values(name=name, owner=owner, since=now, until=now + ttl_s)
                    )
                taken = 1
            except IntegrityError:
                taken = 0
        if taken:
            return True, owner, now
        with self._read() as conn:
            row = conn.execute(
                select(leases.c.owner, leases.c.since).where(leases.c.name == name)
            ).first()
        return False, str(row[0]) if row else "?", float(row[1]) if row else now

    def renew(self, name: str, owner: str, ttl_s: float) -> bool:
        """Extend a lease we hold; False if it was lost (expired and taken by another)."""
        with self._tx() as conn:
            return bool(
                conn.execute(
                    update(leases)
                    .where(leases.c.name == name, leases.c.owner == owner)
                    .values(until=self.clock() + ttl_s)
                ).rowcount
            )

    def release(self, name: str, owner: str) -> None:
        """Give a lease back (only if we hold it)."""
        with self._tx() as conn:
            conn.execute(delete(leases).where(leases.c.name == name, leases.c.owner == owner))

    @contextmanager
    def lease(self, name: str, owner: str, ttl_s: float = 60.0) -> Iterator[None]:
        """Hold ``name`` for the block, renewed in the background; ``Busy`` if another holds it."""
        taken, holder, since = self.acquire(name, owner, ttl_s)
        if not taken:
            raise Busy(holder, since)
        stop = threading.Event()

        def keep() -> None:
            while not stop.wait(ttl_s / 3):
                if not self.renew(name, owner, ttl_s):
                    logger.warning("lease %s lost", name)
                    return

        keeper = threading.Thread(target=keep, name=f"cb-lease-{name}", daemon=True)
        keeper.start()
        try:
            yield
        finally:
            stop.set()
            keeper.join(5)
            self.release(name, owner)

    # -- cards ---------------------------------------------------------------------------------
    def put_card(self, card_id: str, payload: str, ttl_s: float) -> None:
        """Keep a card for later clicks (replaces one with the same id)."""
        expires = self.clock() + ttl_s
        with self._tx() as conn:
            conn.execute(delete(cards).where(cards.c.card_id == card_id))
            conn.execute(insert(cards).values(card_id=card_id, expires_at=expires, payload=payload))
            conn.execute(delete(cards).where(cards.c.expires_at < self.clock()))

    def get_card(self, card_id: str) -> str | None:
        """A card's payload, or None when unknown or expired."""
        with self._read() as conn:
            row = conn.execute(
                select(cards.c.payload).where(
                    cards.c.card_id == card_id, cards.c.expires_at >= self.clock()
                )
            ).first()
        return None if row is None else str(row[0])

    def close(self) -> None:
        """Release pooled connections."""
        self.engine.dispose()
