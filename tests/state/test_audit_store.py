"""The audit log shared through the store: every host's records readable on any host, the file
in each data dir still written (the local copy), and a store outage never loses or fails one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.common.audit import audit_path, read_audit, read_audit_report, share_audit, write_audit
from bot.state.audit import StoreAudit, prune_audit
from tests.state.conftest import Clock


@pytest.fixture
def hosts(stores: Any, tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """Two hosts' data dirs, each sharing its audit log through its own store connection."""
    dirs = (tmp_path / "host-a", tmp_path / "host-b")
    for data, store in zip(dirs, stores, strict=True):
        share_audit(data, StoreAudit(store))
    yield dirs
    for data in dirs:
        share_audit(data, None)


def test_every_host_reads_every_hosts_records(hosts: Any) -> None:
    a, b = hosts
    write_audit(a, actor="U1", action="ingest", outcome="switched", files=2)
    write_audit(b, actor="U2", action="ingest", outcome="error", error="ParseError")
    for data in (a, b):
        assert [r["outcome"] for r in read_audit(data)] == ["switched", "error"]
    # each file is the local copy of that host's own records
    assert audit_path(a).read_text().count("\n") == 1 and "switched" in audit_path(a).read_text()
    assert "error" in audit_path(b).read_text() and "switched" not in audit_path(b).read_text()


def test_local_records_written_before_sharing_or_during_an_outage_still_show(
    hosts: Any, stores: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = hosts
    share_audit(a, None)
    write_audit(a, actor="U1", action="ingest", outcome="before-sharing")
    share_audit(a, StoreAudit(stores[0]))

    def down(self: Any, record: Any) -> None:
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(StoreAudit, "add_audit", down)
    write_audit(a, actor="U1", action="ingest", outcome="during-outage")  # does not raise
    monkeypatch.undo()
    write_audit(a, actor="U1", action="ingest", outcome="shared")
    assert [r["outcome"] for r in read_audit(a)] == ["before-sharing", "during-outage", "shared"]
    assert [r["outcome"] for r in read_audit(b)] == ["shared"]  # b sees what reached the store


def test_an_unreachable_store_leaves_the_local_copy_readable(
    hosts: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _b = hosts
    write_audit(a, actor="U1", action="ingest", outcome="switched")

    def down(self: Any) -> list[Any]:
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(StoreAudit, "audit_records", down)
    report = read_audit_report(a)
    assert [r["outcome"] for r in report.records] == ["switched"] and report.skipped == 0


def test_the_same_record_twice_is_one_row(stores: Any) -> None:
    shared = StoreAudit(stores[0])
    record = {"at": 5.0, "actor": "U1", "action": "ingest", "outcome": "ok"}
    shared.add_audit(record)
    StoreAudit(stores[1]).add_audit(dict(record))
    assert shared.audit_records() == [record]


def test_pruning_removes_only_old_audit_rows(stores: Any, clock: Clock) -> None:
    shared = StoreAudit(stores[0])
    shared.add_audit(
        {"at": clock.now - 400 * 86_400.0, "actor": "a", "action": "x", "outcome": "o"}
    )
    shared.add_audit({"at": clock.now - 10 * 86_400.0, "actor": "a", "action": "y", "outcome": "o"})
    assert prune_audit(stores[1], keep_days=365) == 1
    assert [r["action"] for r in shared.audit_records()] == ["y"]
