"""👍/👎 feedback on answers and diagnoses, stored without message text, exported as aggregates.

Why this shape: feedback tells maintainers which barriers the diagnoser gets wrong and whether
answers are practical, without keeping what anyone wrote. A record is: when, what kind of item,
an opaque item id, the top barrier id (diagnoses), the vote, an optional reason from a fixed list,
and a pseudonymous voter key (so a changed vote replaces the earlier one). Records older than
``retention_days`` are pruned like the diagnosis history.

Where: pass ``store=`` (what the Slack app and ``changebot feedback`` should do) and votes live in
the shared store's ``changebot_feedback`` table, one row per voter and item (the newest vote wins,
as ``latest_votes`` counts them), so every replica adds to and reads the same votes, and pruning
is one ``DELETE`` of old rows that cannot touch a vote another process is writing. A
``feedback.jsonl`` left in the data dir (by an earlier release, or a caller without a store) is
imported into the store on the next call with ``store=`` and then deleted. Without a store, that
file is appended to (the file lock keeps a prune from dropping another process's new vote).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import delete, select

from bot.state.schema import feedback as table

if TYPE_CHECKING:
    from bot.state.store import SharedStore

logger = logging.getLogger(__name__)

Kind = Literal["answer", "diagnosis"]
Vote = Literal["up", "down"]
Reason = Literal["wrong_barrier", "missing_source", "not_practical", "other"]
REASONS: dict[str, str] = {
    "wrong_barrier": "Wrong barrier",
    "missing_source": "Missing or wrong source",
    "not_practical": "Not practical",
    "other": "Something else",
}
DAY_S = 86_400.0

_lock = threading.Lock()


class FeedbackRecord(BaseModel):
    """One vote; no message text by construction (bounded ids and labels only)."""

    at: float
    kind: Kind
    ref: str = Field(max_length=200)
    vote: Vote
    reason: Reason | None = None
    label: str = Field("", max_length=100)
    voter: str = Field("", max_length=64)


def feedback_path(data_dir: Path) -> Path:
    """Where feedback lives inside the data directory (without a store, or before one)."""
    return data_dir / "feedback.jsonl"


def record_feedback(
    data_dir: Path, record: FeedbackRecord, store: SharedStore | None = None
) -> None:
    """Keep one vote: in the store (replacing the voter's earlier vote), else in the file."""
    if store is None:
        path = feedback_path(data_dir)
        with _file_lock(data_dir), path.open("a", encoding="utf-8") as handle:
            handle.write(record.model_dump_json() + "\n")
        return
    import_file(data_dir, store)
    with store.transaction() as conn:
        conn.execute(_upsert(store).values(**record.model_dump()))


def read_feedback(data_dir: Path, store: SharedStore | None = None) -> list[FeedbackRecord]:
    """The stored records, oldest first (from the store: the latest per voter and item)."""
    if store is None:
        return _read_file(feedback_path(data_dir))
    import_file(data_dir, store)
    with store.reading() as conn:
        rows = conn.execute(
            select(
                table.c.at,
                table.c.kind,
                table.c.ref,
                table.c.vote,
                table.c.reason,
                table.c.label,
                table.c.voter,
            ).order_by(table.c.at, table.c.voter, table.c.kind, table.c.ref)
        ).all()
    return [FeedbackRecord.model_validate(row._asdict()) for row in rows]


def latest_votes(records: list[FeedbackRecord]) -> list[FeedbackRecord]:
    """One vote per voter and item: the last one wins (a 👎 followed by its reason counts once)."""
    latest: dict[tuple[str, str, str], FeedbackRecord] = {}
    for rec in records:
        latest[(rec.voter, rec.kind, rec.ref)] = rec
    return list(latest.values())


def aggregate(records: list[FeedbackRecord]) -> dict[str, Any]:
    """Counts by kind, vote, reason and top barrier; the share of helpful votes."""
    votes = latest_votes(records)
    by_kind: dict[str, dict[str, int]] = {}
    by_barrier: dict[str, dict[str, int]] = {}
    for rec in votes:
        by_kind.setdefault(rec.kind, {"up": 0, "down": 0})[rec.vote] += 1
        if rec.kind == "diagnosis" and rec.label:
            by_barrier.setdefault(rec.label, {"up": 0, "down": 0})[rec.vote] += 1
    reasons = Counter(rec.reason for rec in votes if rec.reason)
    ups = sum(1 for rec in votes if rec.vote == "up")
    return {
        "total": len(votes),
        "helpful_rate": round(ups / len(votes), 3) if votes else None,
        "by_kind": by_kind,
        "reasons": dict(sorted(reasons.items())),
        "by_barrier": dict(sorted(by_barrier.items())),
    }


def prune_feedback(
    data_dir: Path,
    retention_days: int,
    now: float | None = None,
    store: SharedStore | None = None,
) -> int:
    """Drop records older than the retention period; returns how many went.

    In the store this is one ``DELETE`` of old rows only, so it never removes a vote another
    replica is writing meanwhile; in the file, writers wait for the rewrite (the file lock).
    """
    if store is not None:
        cutoff = (store.clock() if now is None else now) - retention_days * DAY_S
        import_file(data_dir, store)
        with store.transaction() as conn:
            return int(conn.execute(delete(table).where(table.c.at < cutoff)).rowcount)
    cutoff = (time.time() if now is None else now) - retention_days * DAY_S
    with _file_lock(data_dir):
        path = feedback_path(data_dir)
        records = _read_file(path)
        kept = [r for r in records if r.at >= cutoff]
        if len(kept) != len(records):
            tmp = path.with_suffix(".tmp")
            tmp.write_text("".join(r.model_dump_json() + "\n" for r in kept), encoding="utf-8")
            tmp.replace(path)
    return len(records) - len(kept)


def export_json(data_dir: Path, store: SharedStore | None = None) -> str:
    """The aggregates as pretty JSON (``changebot feedback --json``)."""
    return json.dumps(aggregate(read_feedback(data_dir, store)), indent=2, sort_keys=True)


def import_file(data_dir: Path, store: SharedStore) -> int:
    """Move a ``feedback.jsonl`` from the data dir into the store (idempotent); returns new rows.

    The file is renamed under the file lock (a writer then starts a new file, imported next
    time), its votes are merged so that a vote already in the store and newer is kept, and it
    is deleted once they are committed. Importing the same file twice changes nothing.
    """
    path = feedback_path(data_dir)
    if not path.exists() and not any(data_dir.glob(f"{path.name}.importing-*")):
        return 0
    claimed = path.with_name(f"{path.name}.importing-{uuid.uuid4().hex[:8]}")
    with _file_lock(data_dir):
        try:
            os.rename(path, claimed)
        except FileNotFoundError:
            pass  # another process took it
    changed = 0
    for leftover in sorted(data_dir.glob(f"{path.name}.importing-*")):
        records = latest_votes(_read_file(leftover))
        with store.transaction() as conn:
            for record in records:
                changed += int(conn.execute(_upsert(store).values(**record.model_dump())).rowcount)
        leftover.unlink(missing_ok=True)
    if changed:
        logger.info("feedback: %d vote(s) imported from the data dir into the store", changed)
    return changed


def _upsert(store: SharedStore) -> Any:
    """Insert a vote, or replace this voter's vote on the item unless the stored one is newer."""
    statement = store.insert_or(table)
    fields = ("at", "vote", "reason", "label")
    return statement.on_conflict_do_update(
        index_elements=[table.c.voter, table.c.kind, table.c.ref],
        set_={name: statement.excluded[name] for name in fields},
        where=table.c.at <= statement.excluded.at,
    ).execution_options(preserve_rowcount=True)  # counted for inserts too


def _read_file(path: Path) -> list[FeedbackRecord]:
    """Every record in a feedback file, oldest first; unreadable lines are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    records = []
    for line in lines:
        try:
            records.append(FeedbackRecord.model_validate_json(line))
        except ValueError:
            continue
    return records


@contextmanager
def _file_lock(data_dir: Path) -> Iterator[None]:
    """Threads and processes writing, pruning or importing the file take turns."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with _lock, (data_dir / "feedback.lock").open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield
