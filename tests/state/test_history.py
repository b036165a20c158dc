"""Diagnosis history in the shared store: shared by replicas, bounded per user, pruned by age."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, select

from bot.state.history import DAY_S, KEEP_PER_USER, DiagnosisHistory, user_key
from bot.state.schema import history as table
from bot.state.store import SharedStore
from tests.state.conftest import Clock


def histories(stores: Any, clock: Clock, tmp_path: Path, days: int = 30) -> list[DiagnosisHistory]:
    """One history per replica, each with a data dir of its own."""
    return [
        DiagnosisHistory(tmp_path / f"data-{n}", days, clock=clock, store=store)
        for n, store in enumerate(stores)
    ]


def test_replicas_see_each_others_history(stores: Any, clock: Clock, tmp_path: Path) -> None:
    a, b = histories(stores, clock, tmp_path)
    key = user_key("T1", "U1")
    a.record(key, "d1", ["headspace", "motivation"])
    clock.now += 1
    b.record(key, "d2", ["resources"])
    expected = [("d2", ["resources"]), ("d1", ["headspace", "motivation"])]
    assert [(r.id, r.barriers) for r in a.recent(key)] == expected
    assert [(r.id, r.barriers) for r in b.recent(key)] == expected
    assert a.recent(user_key("T1", "U2")) == []


def test_each_user_keeps_the_newest_five_in_write_order(
    stores: Any, clock: Clock, tmp_path: Path
) -> None:
    a, b = histories(stores, clock, tmp_path)
    key = user_key("T1", "U1")
    for n in range(7):  # all at the same second: write order decides
        (a if n % 2 else b).record(key, f"d{n}", ["headspace"])
    assert [r.id for r in b.recent(key)] == ["d6", "d5", "d4", "d3", "d2"]
    with stores[0].reading() as conn:
        assert len(conn.execute(select(table.c.seq).where(table.c.user_key == key)).all()) == 5
    clock.now += 5
    a.record(key, "d3", ["motivation"])  # the same diagnosis again moves to the top
    assert [r.id for r in b.recent(key)][:2] == ["d3", "d6"]


def test_concurrent_writers_on_two_replicas_lose_nothing(
    stores: Any, clock: Clock, tmp_path: Path
) -> None:
    a, b = histories(stores, clock, tmp_path)
    users = [user_key("T1", f"U{n}") for n in range(8)]

    def write(history: DiagnosisHistory, user: str, tag: str) -> None:
        for n in range(KEEP_PER_USER // 2):
            history.record(user, f"{tag}{n}", ["headspace"])

    threads = [
        threading.Thread(target=write, args=(h, u, name))
        for u in users
        for h, name in ((a, "a"), (b, "b"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for user in users:
        assert sorted(r.id for r in a.recent(user)) == ["a0", "a1", "b0", "b1"]


def test_pruning_removes_only_records_past_retention(
    stores: Any, clock: Clock, tmp_path: Path
) -> None:
    a, b = histories(stores, clock, tmp_path, days=30)
    old, fresh = user_key("T1", "Uold"), user_key("T1", "Unew")
    a.record(old, "d-old", ["headspace"])
    clock.now += 20 * DAY_S
    b.record(fresh, "d-fresh", ["motivation"])
    clock.now += 11 * DAY_S  # d-old is 31 days old, d-fresh 11
    assert a.recent(old) == []  # out of its period even before the job runs
    assert b.prune() == 1
    assert a.prune() == 0
    assert [r.id for r in a.recent(fresh)] == ["d-fresh"]
    with stores[0].reading() as conn:
        assert conn.execute(select(table.c.diagnosis_id)).scalars().all() == ["d-fresh"]


def test_a_writer_also_sweeps_expired_rows(stores: Any, clock: Clock, tmp_path: Path) -> None:
    a, _b = histories(stores, clock, tmp_path, days=1)
    a.record(user_key("T1", "U1"), "d1", [])
    clock.now += 2 * DAY_S
    a.record(user_key("T1", "U2"), "d2", [])  # more than an hour later: sweeps
    with stores[0].reading() as conn:
        assert conn.execute(select(table.c.diagnosis_id)).scalars().all() == ["d2"]


def test_a_history_file_is_imported_once_and_deleted(
    stores: Any, clock: Clock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data-0"
    key = user_key("T1", "U1")
    file_history = DiagnosisHistory(data, 30, clock=clock)  # an earlier release: the file
    for n in range(3):
        file_history.record(key, f"d{n}", ["headspace"])
    clock.now -= 40 * DAY_S
    file_history.record(user_key("T1", "U2"), "too-old", ["headspace"])
    clock.now += 40 * DAY_S
    left_over = data / "history.json.importing-deadbeef"  # an import that crashed half-way
    left_over.write_text((data / "history.json").read_text())
    with caplog.at_level(logging.INFO, logger="bot.state.history"):
        a = DiagnosisHistory(data, 30, clock=clock, store=stores[0])
    assert "3 record(s) imported" in caplog.text  # the crashed import's copy added nothing
    assert not (data / "history.json").exists() and not left_over.exists()
    b = DiagnosisHistory(tmp_path / "data-1", 30, clock=clock, store=stores[1])
    assert [r.id for r in b.recent(key)] == ["d2", "d1", "d0"]
    assert b.recent(user_key("T1", "U2")) == []  # past retention: not imported
    assert a.import_file() == 0  # nothing left to import


def test_an_unreadable_history_file_is_left_in_place(
    stores: Any, clock: Clock, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "history.json").write_text("{not json")
    DiagnosisHistory(data, 30, clock=clock, store=stores[0])
    assert [p.name.startswith("history.json.importing-") for p in data.glob("history.json*")] == [
        True
    ]


def test_the_history_table_holds_ids_and_labels_only(
    stores: Any, clock: Clock, tmp_path: Path
) -> None:
    a, _b = histories(stores, clock, tmp_path)
    a.record(user_key("T1", "U1"), "d1", ["headspace"])
    store: SharedStore = stores[0]
    columns = {c["name"] for c in inspect(store.engine).get_columns("changebot_history")}
    assert columns == {"seq", "user_key", "diagnosis_id", "at", "barriers"}
    with store.reading() as conn:
        row = conn.execute(select(table)).one()._asdict()
    assert "U1" not in json.dumps(row) and "T1" not in json.dumps(row)
    assert json.loads(row["barriers"]) == ["headspace"]
