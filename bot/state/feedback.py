"""👍/👎 feedback on answers and diagnoses, stored without message text, exported as aggregates.

Why this shape: feedback tells maintainers which barriers the diagnoser gets wrong and whether
answers are practical, without keeping what anyone wrote. A record is: when, what kind of item,
an opaque item id, the top barrier id (diagnoses), the vote, an optional reason from a fixed list,
and a pseudonymous voter key (so a changed vote replaces the earlier one). Records older than
``retention_days`` are pruned like the diagnosis history.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

Kind = Literal["answer", "diagnosis"]
Vote = Literal["up", "down"]
Reason = Literal["wrong_barrier", "missing_source", "not_practical", "other"]
REASONS: dict[str, str] = {
    "wrong_barrier": "Wrong barrier",
    "missing_source": "Missing or wrong source",
    "not_practical": "Not practical",
    "other": "Something else",
}

_lock = threading.Lock()


class FeedbackRecord(BaseModel):
    """One vote; no message text by construction."""

    at: float
    kind: Kind
    ref: str
    vote: Vote
    reason: Reason | None = None
    label: str = ""
    voter: str = ""


def feedback_path(data_dir: Path) -> Path:
    """Where feedback lives inside the data directory."""
    return data_dir / "feedback.jsonl"


def record_feedback(data_dir: Path, record: FeedbackRecord) -> None:
    """Append one record (thread-safe; one JSON line each)."""
    path = feedback_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock, path.open("a", encoding="utf-8") as handle:
        handle.write(record.model_dump_json() + "\n")


def read_feedback(data_dir: Path) -> list[FeedbackRecord]:
    """Every stored record, oldest first; unreadable lines are skipped."""
    path = feedback_path(data_dir)
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(FeedbackRecord.model_validate_json(line))
        except ValueError:
            continue
    return records


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


def prune_feedback(data_dir: Path, retention_days: int, now: float | None = None) -> int:
    """Drop records older than the retention period; returns how many went."""
    cutoff = (time.time() if now is None else now) - retention_days * 86_400.0
    with _lock:
        records = read_feedback(data_dir)
        kept = [r for r in records if r.at >= cutoff]
        if len(kept) != len(records):
            path = feedback_path(data_dir)
            tmp = path.with_suffix(".tmp")
            tmp.write_text("".join(r.model_dump_json() + "\n" for r in kept), encoding="utf-8")
            tmp.replace(path)
    return len(records) - len(kept)


def export_json(data_dir: Path) -> str:
    """The aggregates as pretty JSON (``changebot feedback --json``)."""
    return json.dumps(aggregate(read_feedback(data_dir)), indent=2, sort_keys=True)
