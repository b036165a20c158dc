"""Each user's last diagnoses, kept as ids and barrier labels only, pruned after a retention period.

Why so little: App Home shows "your last diagnoses" so people can pick up where they left off, but
a situation described in Slack may be sensitive. We keep the diagnosis id, when it happened and
which barrier ids were found; never the words. Users are keyed by a hash of team and user id.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

KEEP_PER_USER = 5
DAY_S = 86_400.0


class DiagnosisRecord(BaseModel):
    """One past diagnosis: opaque id, time, and the barrier ids it found (most important first)."""

    id: str
    at: float
    barriers: list[str]


def user_key(team_id: str, user_id: str) -> str:
    """A stable pseudonymous key, so the file holds no Slack ids."""
    return hashlib.sha256(f"{team_id}:{user_id}".encode()).hexdigest()[:32]


class DiagnosisHistory:
    """A small JSON file under the data directory, written atomically."""

    def __init__(
        self, data_dir: Path, retention_days: int, clock: Callable[[], float] = time.time
    ) -> None:
        self.path = data_dir / "history.json"
        self.retention_s = retention_days * DAY_S
        self.clock = clock
        self._lock = threading.Lock()

    def record(self, key: str, diagnosis_id: str, barriers: list[str]) -> None:
        """Remember one diagnosis for this user (the oldest beyond ``KEEP_PER_USER`` is dropped)."""
        with self._lock:
            data = self._load()
            entry = DiagnosisRecord(id=diagnosis_id, at=self.clock(), barriers=barriers)
            data[key] = [entry, *data.get(key, [])][:KEEP_PER_USER]
            self._save(data)

    def recent(self, key: str) -> list[DiagnosisRecord]:
        """This user's diagnoses within the retention period, newest first."""
        with self._lock:
            return self._load().get(key, [])

    def prune(self) -> int:
        """Delete records older than the retention period; returns how many went."""
        with self._lock:
            raw = self._read()
            kept = self._fresh(raw)
            removed = sum(len(v) for v in raw.values()) - sum(len(v) for v in kept.values())
            if removed:
                self._save(kept)
            return removed

    def _read(self) -> dict[str, list[DiagnosisRecord]]:
        if not self.path.exists():
            return {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {k: [DiagnosisRecord.model_validate(r) for r in v] for k, v in raw.items()}

    def _fresh(self, data: dict[str, list[DiagnosisRecord]]) -> dict[str, list[DiagnosisRecord]]:
        cutoff = self.clock() - self.retention_s
        kept = {k: [r for r in v if r.at >= cutoff] for k, v in data.items()}
        return {k: v for k, v in kept.items() if v}

    def _load(self) -> dict[str, list[DiagnosisRecord]]:
        return self._fresh(self._read())

    def _save(self, data: dict[str, list[DiagnosisRecord]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        payload = {k: [r.model_dump() for r in v] for k, v in data.items()}
        tmp.write_text(json.dumps(payload, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)
