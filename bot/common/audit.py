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
from typing import Any

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
KEEP = 3
REQUIRED = {"at": (int, float), "actor": (str,), "action": (str,), "outcome": (str,)}

_lock = threading.Lock()


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


def read_audit(data_dir: Path) -> list[dict[str, Any]]:
    """All readable audit records, oldest first (empty when none); bad lines are skipped."""
    return read_audit_report(data_dir).records


def read_audit_report(data_dir: Path) -> AuditRead:
    """All readable records across the kept files, oldest first, and the count of skipped lines."""
    result = AuditRead()
    for path in rotated_paths(data_dir):
        _read_into(path, result)
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


def _parse(raw: bytes) -> dict[str, Any] | None:
    """One line as a record, or None when it is torn, not UTF-8/JSON, or lacks the base fields."""
    try:
        record = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(record, dict):
        return None
    for key, types in REQUIRED.items():
        value = record.get(key)
        if not isinstance(value, types) or isinstance(value, bool):
            return None
    return record if math.isfinite(record["at"]) else None
