"""Append-only audit log of admin actions and ingest runs: who, what, when, outcome; no content.

Why it is written this way:

- One record is one line, appended with a single ``os.write`` on an ``O_APPEND`` descriptor under
  a process-wide lock, so concurrent writers (threads here, other processes through ``O_APPEND``)
  never interleave inside a line.
- A crash can still leave a torn last line. The next write starts on a fresh line, and readers
  skip (and count) any line that is not a whole record, so one bad line never hides the rest or
  breaks admin status for good.
- The file is rotated at ``MAX_BYTES`` (``audit.jsonl.1`` ... ``audit.jsonl.<KEEP>``, oldest
  dropped), so it never grows without bound; readers see the kept files oldest first.
- Records carry ids, counts, outcomes and error *types* only; nothing here logs a line's content.
- With several hosts, the composition root may also ``share_audit`` a data dir's log with the
  shared store (``bot/state/audit.py``): each record then goes to the file first (the local copy,
  which works with the database down) and to the store, and readers get the union of both,
  without duplicates, so "admin status" on any replica sees every replica's ingests. A failed
  shared write is logged and never fails the audited action.
"""

from __future__ import annotations

import json
import logging
import math
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
KEEP = 3
REQUIRED = {"at": (int, float), "actor": (str,), "action": (str,), "outcome": (str,)}

_lock = threading.Lock()


class SharedAudit(Protocol):
    """Where a data dir's audit records are also kept, for every replica to read."""

    def add_audit(self, record: dict[str, Any]) -> None:
        """Keep one record (writing the same record twice keeps one)."""

    def audit_records(self) -> list[dict[str, Any]]:
        """The shared records, oldest first."""


_shared: dict[Path, SharedAudit] = {}


def share_audit(data_dir: Path, shared: SharedAudit | None) -> None:
    """Also write (and read) ``data_dir``'s audit log through ``shared``; None stops that."""
    key = data_dir.resolve()
    if shared is None:
        _shared.pop(key, None)
    else:
        _shared[key] = shared


def _shared_for(data_dir: Path) -> SharedAudit | None:
    return _shared.get(data_dir.resolve()) if _shared else None


@dataclass
class AuditRead:
    """The readable records, oldest first, and how many lines had to be skipped."""

    records: list[dict[str, Any]] = field(default_factory=list)
    skipped: int = 0


def audit_path(data_dir: Path) -> Path:
    """Where the audit log lives inside the data directory."""
    return data_dir / "audit.jsonl"


def rotated_paths(data_dir: Path) -> list[Path]:
    """The current file and its kept predecessors, oldest first."""
    path = audit_path(data_dir)
    return [_numbered(path, n) for n in range(KEEP, 0, -1)] + [path]


def write_audit(data_dir: Path, *, actor: str, action: str, outcome: str, **details: Any) -> None:
    """Append one JSON line; ``details`` must be ids and counts only, never message text."""
    record = {"at": time.time(), "actor": actor, "action": action, "outcome": outcome, **details}
    line = (json.dumps(record, sort_keys=True, ensure_ascii=True) + "\n").encode("ascii")
    path = audit_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock:
        _rotate_if_full(path, len(line))
        _append_line(path, line)
    shared = _shared_for(data_dir)
    if shared is not None:
        try:
            shared.add_audit(record)
        except Exception as exc:  # noqa: BLE001 - the local copy has it; never fail the action
            logger.warning("audit: shared copy not written (%s)", type(exc).__name__)


def read_audit(data_dir: Path) -> list[dict[str, Any]]:
    """All readable audit records, oldest first (empty when none); bad lines are skipped."""
    return read_audit_report(data_dir).records


def read_audit_report(data_dir: Path) -> AuditRead:
    """All readable records across the kept files, oldest first, and the count of skipped lines."""
    result = AuditRead()
    for path in rotated_paths(data_dir):
        _read_into(path, result)
    shared = _shared_for(data_dir)
    if shared is not None:
        _merge_shared(shared, result)
    if result.skipped:
        logger.warning("audit log: skipped %d unreadable line(s)", result.skipped)
    return result


def _append_line(path: Path, line: bytes) -> None:
    """Append ``line`` with one write, first ending a torn last line so it stays on its own."""
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)
    try:
        if _ends_torn(fd):
            line = b"\n" + line
        written = os.write(fd, line)
        if written != len(line):  # only on a full disk; finish the line rather than tear it
            os.write(fd, line[written:])
        os.fsync(fd)
    finally:
        os.close(fd)


def _ends_torn(fd: int) -> bool:
    """True when the file is not empty and its last byte is not a newline (a crash mid-write)."""
    if os.fstat(fd).st_size == 0:
        return False
    os.lseek(fd, -1, os.SEEK_END)  # reading only: O_APPEND still sends the write to the end
    return os.read(fd, 1) != b"\n"


def _rotate_if_full(path: Path, incoming: int) -> None:
    """Shift ``audit.jsonl`` -> ``.1`` -> ... -> ``.KEEP`` when the next line would pass the cap."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    if size == 0 or size + incoming <= MAX_BYTES:
        return
    for n in range(KEEP, 0, -1):  # .KEEP-1 overwrites (drops) .KEEP, ..., the current becomes .1
        source = path if n == 1 else _numbered(path, n - 1)
        try:
            source.replace(_numbered(path, n))
        except FileNotFoundError:
            continue  # fewer old files so far, or another process rotated first
    logger.info("audit log rotated at %d bytes", size)


def _numbered(path: Path, n: int) -> Path:
    return path.with_name(f"{path.name}.{n}")


def _read_into(path: Path, result: AuditRead) -> None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    for raw in data.split(b"\n"):
        if not raw.strip():
            continue
        record = _parse(raw)
        if record is None:
            result.skipped += 1
        else:
            result.records.append(record)


def _merge_shared(shared: SharedAudit, result: AuditRead) -> None:
    """Add the shared records this data dir's files do not have; keep the order by time."""
    try:
        records = shared.audit_records()
    except Exception as exc:  # noqa: BLE001 - the local copy still answers
        logger.warning("audit: shared copy not read (%s); local records only", type(exc).__name__)
        return
    seen = {_canonical(r) for r in result.records}
    for record in records:
        if _valid(record) is None:
            result.skipped += 1
        elif _canonical(record) not in seen:
            seen.add(_canonical(record))
            result.records.append(record)
    result.records.sort(key=lambda r: float(r["at"]))  # stable: file order within one time


def _canonical(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=True)


def _parse(raw: bytes) -> dict[str, Any] | None:
    """One line as a record, or None when it is torn, not UTF-8/JSON, or lacks the base fields."""
    try:
        record = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return _valid(record)


def _valid(record: Any) -> dict[str, Any] | None:
    """``record`` when it is a dict with the base fields and a finite time, else None."""
    if not isinstance(record, dict):
        return None
    for key, types in REQUIRED.items():
        value = record.get(key)
        if not isinstance(value, types) or isinstance(value, bool):
            return None
    return record if math.isfinite(record["at"]) else None
