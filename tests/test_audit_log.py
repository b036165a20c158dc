"""The audit log survives torn and corrupt lines, rotates at a size cap, and never interleaves."""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.common import audit
from bot.common.audit import audit_path, read_audit, read_audit_report, write_audit

SECRET_WORDS = "secret patient words"


def ingest(data: Path, outcome: str = "switched", **details) -> None:
    write_audit(data, actor="cli:test", action="ingest", outcome=outcome, **details)


def append_raw(data: Path, raw: bytes) -> None:
    with audit_path(data).open("ab") as handle:
        handle.write(raw)


class FakeIndex:
    def live_name(self) -> str:
        return "changebot_v2"

    def documents(self) -> list[str]:
        return ["a", "b"]

    def count(self) -> int:
        return 7


def status_for(data: Path):
    """Admin status over a fake index (imported here: spawned writers need not load the bot)."""
    from bot.slack.flows.admin_status import index_status
    from bot.workers.gateway import LocalCore

    services = SimpleNamespace(
        index=FakeIndex(), settings=SimpleNamespace(data_dir=data), framework=None, store=None
    )
    return index_status(LocalCore(services))  # type: ignore[arg-type]


# -- torn and corrupt lines ----------------------------------------------------------------------

CORRUPT_LINES = {
    "torn-json": b'{"action": "ingest", "at": 17',
    "not-json": SECRET_WORDS.encode(),
    "not-utf8": b'{"action": "ingest", "x": "\xff\xfe"}',
    "json-list": b'["ingest"]',
    "json-number": b"42",
    "missing-at": b'{"action": "ingest", "actor": "a", "outcome": "error"}',
    "string-at": b'{"action": "ingest", "actor": "a", "outcome": "error", "at": "soon"}',
    "nan-at": b'{"action": "ingest", "actor": "a", "outcome": "error", "at": NaN}',
    "bool-at": b'{"action": "ingest", "actor": "a", "outcome": "error", "at": true}',
    "deep-nesting": b"[" * 100_000 + b"]" * 100_000,
}


@pytest.mark.parametrize("bad", CORRUPT_LINES.values(), ids=CORRUPT_LINES.keys())
def test_a_corrupt_line_is_skipped_and_counted(tmp_path: Path, bad: bytes) -> None:
    ingest(tmp_path, version="v1")
    append_raw(tmp_path, bad + b"\n")
    ingest(tmp_path, "error", error="IngestionError")
    report = read_audit_report(tmp_path)
    assert report.skipped == 1
    assert [r["outcome"] for r in report.records] == ["switched", "error"]
    assert [r["outcome"] for r in read_audit(tmp_path)] == ["switched", "error"]


def test_a_torn_last_line_does_not_swallow_the_next_record(tmp_path: Path) -> None:
    """A crash mid-write leaves no newline; the next record still starts on a line of its own."""
    ingest(tmp_path, version="v1")
    append_raw(tmp_path, b'{"action": "ingest", "outcome": "swi')  # the crash
    ingest(tmp_path, version="v2")
    report = read_audit_report(tmp_path)
    assert [r["version"] for r in report.records] == ["v1", "v2"]
    assert report.skipped == 1
    assert audit_path(tmp_path).read_bytes().endswith(b"\n")


def test_admin_status_survives_corrupt_lines_and_says_so(tmp_path: Path, caplog) -> None:
    ingest(tmp_path, version="v1")
    ingest(tmp_path, "error", error="IngestionError")
    append_raw(tmp_path, b'{"at": 1, "acti' + SECRET_WORDS.encode() + b"\n\xff\n")
    ingest(tmp_path, version="v2")
    append_raw(tmp_path, b'{"action": "ingest", "at": 99')  # torn at the very end
    status = status_for(tmp_path)
    assert (status.version, status.documents, status.chunks) == ("changebot_v2", 2, 7)
    assert status.last_ingest == read_audit(tmp_path)[-1]["at"]
    assert status.last_error is not None
    assert "IngestionError" in status.last_error
    assert "3 unreadable audit log line(s) skipped" in status.last_error
    assert SECRET_WORDS not in caplog.text and "3 unreadable" in caplog.text


def test_admin_status_with_an_unreadable_audit_file(tmp_path: Path) -> None:
    audit_path(tmp_path).mkdir(parents=True)  # reading a directory raises IsADirectoryError
    status = status_for(tmp_path)
    assert status.last_ingest is None and status.last_error


def test_no_audit_log_yet(tmp_path: Path) -> None:
    assert read_audit(tmp_path / "missing") == []
    assert status_for(tmp_path).last_error is None


# -- rotation ------------------------------------------------------------------------------------


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(audit, "MAX_BYTES", 2000)
    return 2000


def test_rotation_keeps_three_old_files_under_the_cap(tmp_path: Path, small_cap: int) -> None:
    for n in range(400):
        ingest(tmp_path, n=n)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["audit.jsonl", "audit.jsonl.1", "audit.jsonl.2", "audit.jsonl.3"]
    assert all((tmp_path / name).stat().st_size <= small_cap for name in files)
    numbers = [r["n"] for r in read_audit(tmp_path)]
    assert numbers == list(range(numbers[0], 400))  # oldest first, nothing lost inside the window
    assert 0 < numbers[0] and len(numbers) > 3 * small_cap // 150


def test_default_cap_and_keep() -> None:
    assert audit.MAX_BYTES == 5 * 1024 * 1024 and audit.KEEP == 3


def test_rotation_reads_rotated_files_oldest_first(tmp_path: Path, small_cap: int) -> None:
    """Admin status still finds the last failure after it has been rotated out of the live file."""
    ingest(tmp_path, "error", error="ParseError")
    for n in range(20):
        write_audit(tmp_path, actor="slack:T1:U1", action="slack.status", outcome="allowed", n=n)
    assert (tmp_path / "audit.jsonl.1").exists()
    status = status_for(tmp_path)
    assert status.last_error is not None and "ParseError" in status.last_error


# -- concurrency ---------------------------------------------------------------------------------


def _hammer(data: Path, writer: int, count: int) -> None:
    for n in range(count):
        # records of varied length make an interleaved write visible as a broken line
        ingest(data, writer=writer, n=n, pad="x" * ((writer * 37 + n * 11) % 300))


def test_threads_never_interleave_lines(tmp_path: Path) -> None:
    threads = [threading.Thread(target=_hammer, args=(tmp_path, w, 150)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    report = read_audit_report(tmp_path)
    assert report.skipped == 0 and len(report.records) == 8 * 150
    for w in range(8):
        assert [r["n"] for r in report.records if r["writer"] == w] == list(range(150))


def test_threads_rotating_together_lose_nothing_inside_the_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit, "MAX_BYTES", 200_000)
    threads = [threading.Thread(target=_hammer, args=(tmp_path, w, 150)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    report = read_audit_report(tmp_path)
    assert (tmp_path / "audit.jsonl.1").exists()
    assert report.skipped == 0 and len(report.records) == 8 * 150
    assert all(p.stat().st_size <= 200_000 for p in tmp_path.iterdir())


def test_processes_never_interleave_lines(tmp_path: Path) -> None:
    """O_APPEND keeps lines whole across processes too (the CLI and the bot share the file)."""
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_hammer, args=(tmp_path, w, 100)) for w in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    report = read_audit_report(tmp_path)
    assert report.skipped == 0 and len(report.records) == 300


def test_each_record_is_one_write_of_one_line(tmp_path: Path, monkeypatch) -> None:
    """The line goes out in a single ``os.write`` (what makes O_APPEND atomic per line)."""
    writes: list[bytes] = []
    real_write = os.write

    def spy(fd: int, data: bytes) -> int:
        writes.append(bytes(data))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", spy)
    ingest(tmp_path, version="v1")
    ingest(tmp_path, version="v2")
    assert len(writes) == 2
    assert all(w.endswith(b"\n") and w.count(b"\n") == 1 for w in writes)
    assert json.loads(writes[1])["version"] == "v2"
