"""Append-only audit log of admin actions and ingest runs: who, what, when, outcome; no content."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

_lock = threading.Lock()


def audit_path(data_dir: Path) -> Path:
    """Where the audit log lives inside the data directory."""
    return data_dir / "audit.jsonl"


def write_audit(data_dir: Path, *, actor: str, action: str, outcome: str, **details: Any) -> None:
    """Append one JSON line; ``details`` must be ids and counts only, never message text."""
    record = {"at": time.time(), "actor": actor, "action": action, "outcome": outcome, **details}
    path = audit_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, sort_keys=True) + "\n"
    with _lock, path.open("a", encoding="utf-8") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


def read_audit(data_dir: Path) -> list[dict[str, Any]]:
    """All audit records, oldest first (empty when none)."""
    path = audit_path(data_dir)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
