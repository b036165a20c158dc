"""Feedback and diagnosis history keep ids, labels and counts only, and honour retention (P7)."""

import json
from pathlib import Path

from bot.state.feedback import (
    FeedbackRecord,
    aggregate,
    export_json,
    prune_feedback,
    read_feedback,
    record_feedback,
)
from bot.state.history import DiagnosisHistory, user_key


def vote(ref: str, v: str, voter: str = "h1", **kw) -> FeedbackRecord:
    return FeedbackRecord(
        at=kw.pop("at", 1000.0),
        kind=kw.pop("kind", "diagnosis"),
        ref=ref,
        vote=v,
        voter=voter,
        **kw,
    )


def test_aggregate_counts_last_vote_per_voter(tmp_path: Path) -> None:
    record_feedback(tmp_path, vote("d1", "down", label="headspace"))
    record_feedback(tmp_path, vote("d1", "down", label="headspace", reason="wrong_barrier"))
    record_feedback(tmp_path, vote("d1", "up", voter="h2", label="headspace"))
    record_feedback(tmp_path, vote("a1", "up", kind="answer"))
    agg = aggregate(read_feedback(tmp_path))
    assert agg["total"] == 3
    assert agg["by_kind"] == {"diagnosis": {"up": 1, "down": 1}, "answer": {"up": 1, "down": 0}}
    assert agg["reasons"] == {"wrong_barrier": 1}
    assert agg["by_barrier"] == {"headspace": {"up": 1, "down": 1}}
    assert agg["helpful_rate"] == 0.667
    assert json.loads(export_json(tmp_path)) == agg


def test_feedback_file_has_no_text_fields(tmp_path: Path) -> None:
    record_feedback(tmp_path, vote("d1", "up"))
    stored = json.loads((tmp_path / "feedback.jsonl").read_text())
    assert set(stored) == {"at", "kind", "ref", "vote", "reason", "label", "voter"}


def test_feedback_retention(tmp_path: Path) -> None:
    record_feedback(tmp_path, vote("old", "up", at=0.0))
    record_feedback(tmp_path, vote("new", "up", at=100 * 86400.0))
    assert prune_feedback(tmp_path, retention_days=30, now=100 * 86400.0 + 1) == 1
    assert [r.ref for r in read_feedback(tmp_path)] == ["new"]


def test_empty_aggregate(tmp_path: Path) -> None:
    assert aggregate(read_feedback(tmp_path)) == {
        "total": 0,
        "helpful_rate": None,
        "by_kind": {},
        "reasons": {},
        "by_barrier": {},
    }


def test_history_keeps_labels_only_and_prunes(tmp_path: Path) -> None:
    now = [1_000_000.0]
    history = DiagnosisHistory(tmp_path, retention_days=30, clock=lambda: now[0])
    key = user_key("T1", "U1")
    assert "U1" not in key
    for n in range(7):
        history.record(key, f"d{n}", ["headspace"])
    assert [r.id for r in history.recent(key)] == ["d6", "d5", "d4", "d3", "d2"]
    assert "U1" not in (tmp_path / "history.json").read_text()
    now[0] += 31 * 86400
    history.record(user_key("T1", "U2"), "fresh", ["motivation"])
    assert history.recent(key) == []
    assert history.prune() == 0  # stale records already dropped on the last write
    assert [r.id for r in history.recent(user_key("T1", "U2"))] == ["fresh"]


def test_history_prune_counts(tmp_path: Path) -> None:
    now = [0.0]
    history = DiagnosisHistory(tmp_path, retention_days=1, clock=lambda: now[0])
    history.record("k", "d1", [])
    now[0] = 2 * 86400
    assert history.prune() == 1
