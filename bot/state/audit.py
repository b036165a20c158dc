"""The shared copy of the audit log: every replica's admin actions and ingest runs in one table.

Why: with several hosts, an ingest run on one host is audited in that host's data dir, and
"admin status" asked of another replica would not see it. ``bot/common/audit.py`` keeps writing
its file (the local copy, readable with the database down) and, once ``share_audit`` names this
table for a data dir, also writes each record here and reads the union of both.

A row is the record as written (ids, counts, outcomes, error types; never content) keyed by the
sha256 of its canonical JSON, so writing the same record twice keeps one row. Rows older than
``AUDIT_KEEP_DAYS`` are pruned.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from bot.state.schema import audit as table

if TYPE_CHECKING:
    from bot.state.store import SharedStore

AUDIT_KEEP_DAYS = 365
READ_LIMIT = 20_000  # newest records a reader gets (the file keeps about as many)


def record_digest(record: dict[str, Any]) -> str:
    """The record's identity: sha256 of its canonical JSON."""
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


class StoreAudit:
    """``bot.common.audit.SharedAudit`` over a ``SharedStore``."""

    def __init__(self, store: SharedStore) -> None:
        self.store = store

    def add_audit(self, record: dict[str, Any]) -> None:
        """Keep one record (again: no change)."""
        line = json.dumps(record, sort_keys=True, ensure_ascii=True)
        statement = (
            self.store.insert_or(table)
            .values(digest=record_digest(record), at=float(record["at"]), record=line)
            .on_conflict_do_nothing(index_elements=[table.c.digest])
        )
        with self.store.transaction() as conn:
            conn.execute(statement)

    def audit_records(self) -> list[dict[str, Any]]:
        """The newest ``READ_LIMIT`` records, oldest first; rows that are not JSON are skipped."""
        with self.store.reading() as conn:
            rows = conn.execute(
                select(table.c.record).order_by(table.c.at.desc()).limit(READ_LIMIT)
            ).all()
        records = []
        for (line,) in reversed(rows):
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                records.append(value)
        return records


def prune_audit(store: SharedStore, keep_days: int = AUDIT_KEEP_DAYS) -> int:
    """Drop shared audit rows older than ``keep_days``; returns how many went."""
    cutoff = store.clock() - keep_days * 86_400.0
    with store.transaction() as conn:
        return int(conn.execute(delete(table).where(table.c.at < cutoff)).rowcount)
