"""One retention pass prunes every kind of row by its own period and keeps everything younger."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.state import rates
from bot.state.audit import StoreAudit
from bot.state.feedback import DAY_S, FeedbackRecord, read_feedback, record_feedback
from bot.state.history import DiagnosisHistory
from bot.state.retention import prune_all
from tests.state.conftest import Clock


def test_one_pass_prunes_old_rows_of_every_kind_only(
    stores: Any, clock: Clock, tmp_path: Path
) -> None:
    a, b = stores
    shared_audit = StoreAudit(a)

    def write_all(tag: str) -> None:
        history = DiagnosisHistory(tmp_path, 30, clock=clock, store=a)  # a fresh one: no sweep
        history.record(f"user-{tag}", f"d-{tag}", ["headspace"])
        record_feedback(
            tmp_path,
            FeedbackRecord(at=clock.now, kind="answer", ref=f"a-{tag}", vote="up", voter="v"),
            store=a,
        )
        rates.admit(a, f"T1:{tag}", 5)
        a.claim(f"event:{tag}", ttl_s=3600)
        shared_audit.add_audit({"at": clock.now, "actor": "u", "action": tag, "outcome": "ok"})

    write_all("old")
    clock.now += 400 * DAY_S
    write_all("new")
    clock.now += 1
    assert prune_all(b, tmp_path / "other-host", retention_days=30) == {
        "history": 1,
        "feedback": 1,
        "rate_hits": 1,
        "claims": 1,
        "audit": 1,
        "plans": 0,
        "insights": 0,
    }
    history = DiagnosisHistory(tmp_path, 30, clock=clock, store=b)
    assert [r.id for r in history.recent("user-new")] == ["d-new"]
    assert [r.ref for r in read_feedback(tmp_path, b)] == ["a-new"]
    assert rates.admitted_count(b, "T1:new") == 1
    assert b.claim("event:new", ttl_s=60) is False
    assert [r["action"] for r in shared_audit.audit_records()] == ["new"]
    assert prune_all(b, tmp_path, retention_days=30) == dict.fromkeys(
        ("history", "feedback", "rate_hits", "claims", "audit", "plans", "insights"), 0
    )
