"""Sliding-window rate limits in the shared store, so a limit holds across every replica.

One row per admitted request (a hash of the limited key and the time), kept for one window.
Admitting is a single conditional ``INSERT … SELECT … WHERE (count in the window) < limit``:
SQLite runs a writing statement under its database write lock, and on PostgreSQL a transaction
advisory lock on the key's hash serialises the replicas that admit the same key, so two replicas
never both take the last slot. Refused requests are not recorded, as in memory.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, insert, literal, select, text

from bot.state.schema import rate_hits

if TYPE_CHECKING:
    from bot.state.store import SharedStore

WINDOW_S = 60.0  # the sliding window of per-user limits
PG_LOCK_CLASS = int.from_bytes(b"cbrl", "big")  # first half of the advisory lock id


def rate_key(key: str) -> str:
    """The stored form of a limited key (a user label): a hash, never the Slack ids."""
    return hashlib.sha256(f"rate:{key}".encode()).hexdigest()[:32]


def admit(store: SharedStore, key: str, limit: int, window_s: float = WINDOW_S) -> bool:
    """Record a request for ``key`` if fewer than ``limit`` were admitted in the last window."""
    hashed = rate_key(key)
    now = store.clock()
    since = now - window_s
    in_window = (
        select(func.count())
        .select_from(rate_hits)
        .where(rate_hits.c.key == hashed, rate_hits.c.at > since)
        .scalar_subquery()
    )
    row = select(literal(uuid.uuid4().hex), literal(hashed), literal(now)).where(in_window < limit)
    with store.transaction() as conn:
        if store.backend == "postgresql":
            objid = int.from_bytes(bytes.fromhex(hashed[:8]), "big", signed=True)
            conn.execute(
                text("SELECT pg_advisory_xact_lock(:cls, :obj)"),
                {"cls": PG_LOCK_CLASS, "obj": objid},
            )
        admitted = conn.execute(
            insert(rate_hits).from_select(["id", "key", "at"], row).returning(rate_hits.c.id)
        ).first()
        conn.execute(delete(rate_hits).where(rate_hits.c.key == hashed, rate_hits.c.at <= since))
    return admitted is not None


def admitted_count(store: SharedStore, key: str, window_s: float = WINDOW_S) -> int:
    """How many requests for ``key`` were admitted in the last window (for status and tests)."""
    since = store.clock() - window_s
    with store.reading() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(rate_hits)
                .where(rate_hits.c.key == rate_key(key), rate_hits.c.at > since)
            ).scalar_one()
        )


def prune_hits(store: SharedStore, window_s: float = WINDOW_S, now: float | None = None) -> int:
    """Drop every key's rows older than one window (the per-key ones go as keys are used)."""
    cutoff = (store.clock() if now is None else now) - window_s
    with store.transaction() as conn:
        return int(conn.execute(delete(rate_hits).where(rate_hits.c.at <= cutoff)).rowcount)
