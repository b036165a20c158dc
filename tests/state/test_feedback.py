"""Feedback in the shared store: every replica's votes in one place, the newest vote per voter and
item wins, and pruning removes old votes only, whatever other replicas write meanwhile."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import func, inspect, select

from bot.state.feedback import (
    DAY_S,
    FeedbackRecord,
    aggregate,
    export_json,
    feedback_path,
    prune_feedback,
    read_feedback,
    record_feedback,
)
from bot.state.schema import feedback as table
from tests.state.conftest import Clock

ROOT = Path(__file__).resolve().parents[2]


def vote(ref: str, v: str, voter: str = "h1", **kw: Any) -> FeedbackRecord:
    return FeedbackRecord.model_validate(
        {"at": kw.pop("at", 1000.0), "kind": kw.pop("kind", "diagnosis"), "ref": ref, "vote": v}
        | {"voter": voter, **kw}
    )


def count_rows(store: Any) -> int:
    with store.reading() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_replicas_count_each_others_votes(stores: Any, tmp_path: Path) -> None:
    a, b = stores
    da, db = tmp_path / "a", tmp_path / "b"
    record_feedback(da, vote("d1", "down", label="headspace"), store=a)
    record_feedback(db, vote("d1", "down", label="headspace", reason="wrong_barrier"), store=b)
    record_feedback(da, vote("d1", "up", voter="h2", label="headspace"), store=a)
    record_feedback(db, vote("a1", "up", kind="answer"), store=b)
    for data, store in ((da, a), (db, b)):
        agg = aggregate(read_feedback(data, store))
        assert agg["total"] == 3
        assert agg["by_kind"] == {"diagnosis": {"up": 1, "down": 1}, "answer": {"up": 1, "down": 0}}
        assert agg["reasons"] == {"wrong_barrier": 1}
        assert agg["by_barrier"] == {"headspace": {"up": 1, "down": 1}}
        assert agg["helpful_rate"] == 0.667
    assert export_json(da, a) == export_json(db, b)
    assert count_rows(a) == 3  # one row per voter and item
    assert not feedback_path(da).exists() and not feedback_path(db).exists()


def test_an_older_vote_never_replaces_a_newer_one(stores: Any, tmp_path: Path) -> None:
    a, b = stores
    record_feedback(tmp_path, vote("d1", "up", at=2000.0), store=a)
    record_feedback(tmp_path, vote("d1", "down", at=1500.0, reason="other"), store=b)  # late
    [kept] = read_feedback(tmp_path, a)
    assert (kept.vote, kept.reason, kept.at) == ("up", None, 2000.0)


def test_concurrent_votes_from_two_replicas_are_all_kept(stores: Any, tmp_path: Path) -> None:
    a, b = stores

    def cast(store: Any, voter: str) -> None:
        for n in range(10):
            record_feedback(tmp_path, vote(f"d{n}", "up", voter=voter), store=store)

    threads = [
        threading.Thread(target=cast, args=(store, f"{name}{n}"))
        for n in range(4)
        for store, name in ((a, "a"), (b, "b"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(read_feedback(tmp_path, b)) == count_rows(a) == 80


def test_pruning_keeps_votes_other_replicas_write_meanwhile(
    stores: Any, clock: Clock, tmp_path: Path
) -> None:
    a, b = stores
    old = [vote(f"old{n}", "down", voter=f"v{n}", at=clock.now - 40 * DAY_S) for n in range(20)]
    for record in old:
        record_feedback(tmp_path, record, store=a)
    stop = threading.Event()
    written: list[str] = []

    def keep_voting() -> None:
        n = 0
        while not stop.is_set() or n < 30:
            ref = f"new{n}"
            record_feedback(tmp_path, vote(ref, "up", voter="w", at=clock.now), store=b)
            written.append(ref)
            n += 1

    writer = threading.Thread(target=keep_voting)
    writer.start()
    pruned = [prune_feedback(tmp_path, retention_days=30, store=a) for _ in range(5)]
    stop.set()
    writer.join()
    assert sum(pruned) == 20
    assert sorted(r.ref for r in read_feedback(tmp_path, a)) == sorted(written)


def test_a_feedback_file_is_imported_once_merging_by_time(stores: Any, tmp_path: Path) -> None:
    a, b = stores
    data = tmp_path / "data"
    record_feedback(data, vote("d1", "up", voter="h1", at=900.0))  # no store: the file
    record_feedback(data, vote("d1", "down", voter="h1", at=950.0, reason="other"))
    record_feedback(data, vote("d2", "up", voter="h1", at=900.0))
    with feedback_path(data).open("a") as handle:
        handle.write("not json\n")  # a torn line is skipped, not fatal
    record_feedback(tmp_path / "elsewhere", vote("d2", "down", voter="h1", at=990.0), store=b)
    rows = read_feedback(data, a)  # imports the file first
    assert not feedback_path(data).exists()
    assert [(r.ref, r.vote, r.reason) for r in rows] == [
        ("d1", "down", "other"),
        ("d2", "down", None),
    ]
    assert read_feedback(data, a) == rows  # importing again (nothing left) changes nothing


def test_file_mode_pruning_keeps_another_process_s_votes(tmp_path: Path) -> None:
    """Without a store: a prune rewriting the file waits for, and keeps, another process's votes."""
    record_feedback(tmp_path, vote("old", "up", at=0.0))
    script = (
        "import sys; from pathlib import Path; "
        "from bot.state.feedback import FeedbackRecord, record_feedback\n"
        "for n in range(300):\n"
        "    record_feedback(Path(sys.argv[1]), FeedbackRecord(at=1e9, kind='answer', "
        "ref=f'r{n}', vote='up', voter='p'))\n"
    )
    writer = subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT)
    removed = 0
    while writer.poll() is None:
        removed += prune_feedback(tmp_path, retention_days=30, now=1e9)
    assert writer.returncode == 0
    removed += prune_feedback(tmp_path, retention_days=30, now=1e9)
    assert removed == 1
    assert sorted(r.ref for r in read_feedback(tmp_path)) == sorted(f"r{n}" for n in range(300))


def test_the_feedback_table_has_no_text_fields(stores: Any) -> None:
    a, _b = stores
    columns = {c["name"] for c in inspect(a.engine).get_columns("changebot_feedback")}
    assert columns == {"at", "kind", "ref", "vote", "reason", "label", "voter"}
