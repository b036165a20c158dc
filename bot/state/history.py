"""Each user's last diagnoses, kept as ids and barrier labels only, pruned after a retention period.

Why so little: App Home shows "your last diagnoses" so people can pick up where they left off, but
a situation described in Slack may be sensitive. We keep the diagnosis id, when it happened and
which barrier ids were found; never the words. Users are keyed by a hash of team and user id.

Where: with a ``SharedStore`` (what the Slack app uses), in its ``changebot_history`` table, so
every replica shows the same list; a ``history.json`` left in the data dir by an earlier release
(or by a process without a store) is imported into the store once and then deleted. Without a
store, in that JSON file, written atomically (one process, e.g. a local tool).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel
from sqlalchemy import delete, select
from sqlalchemy.exc import OperationalError

from bot.state.schema import history as table

if TYPE_CHECKING:
    from bot.state.store import SharedStore

logger = logging.getLogger(__name__)

KEEP_PER_USER = 5
DAY_S = 86_400.0
SWEEP_EVERY_S = 3_600.0  # how often a writer also drops everyone's expired rows
ATTEMPTS = 3


class DiagnosisRecord(BaseModel):
    """One past diagnosis: opaque id, time, and the barrier ids it found (most important first)."""

    id: str
    at: float
    barriers: list[str]


def user_key(team_id: str, user_id: str) -> str:
    """A stable pseudonymous key, so the file holds no Slack ids."""
    return hashlib.sha256(f"{team_id}:{user_id}".encode()).hexdigest()[:32]


class DiagnosisHistory:
    """The last ``KEEP_PER_USER`` diagnoses per user: in the shared store, or a JSON file."""

    def __init__(
        self,
        data_dir: Path,
        retention_days: int,
        clock: Callable[[], float] = time.time,
        store: SharedStore | None = None,
    ) -> None:
        self.path = data_dir / "history.json"
        self.retention_s = retention_days * DAY_S
        self.clock = clock
        self.store = store
        self._lock = threading.Lock()
        self._swept = clock()  # the retention job runs at start; writers sweep hourly after
        if store is not None:
            self.import_file()

    def record(self, key: str, diagnosis_id: str, barriers: list[str]) -> None:
        """Remember one diagnosis for this user (the oldest beyond ``KEEP_PER_USER`` is dropped)."""
        if self.store is None:
            with self._lock, self._file_lock():
                data = self._load()
                entry = DiagnosisRecord(id=diagnosis_id, at=self.clock(), barriers=barriers)
                data[key] = [entry, *data.get(key, [])][:KEEP_PER_USER]
                self._save(data)
            return
        now = self.clock()
        for attempt in range(1, ATTEMPTS + 1):
            try:
                self._write(key, diagnosis_id, barriers, now)
                break
            except OperationalError:  # a deadlock between two trims of one user, a busy file
                if attempt == ATTEMPTS:
                    raise
        if now - self._swept >= SWEEP_EVERY_S:  # retention holds even if no job runs
            self._swept = now
            try:
                self.prune()
            except Exception as exc:  # noqa: BLE001 - the job retries; the record is saved
                logger.warning("history sweep failed (%s)", type(exc).__name__)

    def _write(self, key: str, diagnosis_id: str, barriers: list[str], now: float) -> None:
        """Upsert the record and trim this user's rows to the newest ``KEEP_PER_USER``."""
        assert self.store is not None
        with self.store.transaction() as conn:
            values = {"at": now, "barriers": json.dumps(list(barriers))}
            conn.execute(
                self.store.insert_or(table)
                .values(user_key=key, diagnosis_id=diagnosis_id, **values)
                .on_conflict_do_update(
                    index_elements=[table.c.user_key, table.c.diagnosis_id], set_=values
                )
            )
            newest = (
                select(table.c.seq)
                .where(table.c.user_key == key)
                .order_by(table.c.at.desc(), table.c.seq.desc())
                .limit(KEEP_PER_USER)
            )
            conn.execute(delete(table).where(table.c.user_key == key, table.c.seq.not_in(newest)))

    def recent(self, key: str) -> list[DiagnosisRecord]:
        """This user's diagnoses within the retention period, newest first."""
        if self.store is None:
            with self._lock:
                return self._load().get(key, [])
        cutoff = self.clock() - self.retention_s
        with self.store.reading() as conn:
            rows = conn.execute(
                select(table.c.diagnosis_id, table.c.at, table.c.barriers)
                .where(table.c.user_key == key, table.c.at >= cutoff)
                .order_by(table.c.at.desc(), table.c.seq.desc())
                .limit(KEEP_PER_USER)
            ).all()
        return [DiagnosisRecord(id=r[0], at=r[1], barriers=json.loads(r[2])) for r in rows]

    def prune(self) -> int:
        """Delete records older than the retention period; returns how many went."""
        cutoff = self.clock() - self.retention_s
        if self.store is not None:
            self.import_file()
            with self.store.transaction() as conn:
                return int(conn.execute(delete(table).where(table.c.at < cutoff)).rowcount)
        with self._lock, self._file_lock():
            raw = self._read() or {}
            kept = self._fresh(raw)
            removed = sum(len(v) for v in raw.values()) - sum(len(v) for v in kept.values())
            if removed:
                self._save(kept)
            return removed

    def import_file(self) -> int:
        """Move a ``history.json`` in the data dir into the store (idempotent); returns rows added.

        The file is renamed first, under the file lock, so a process still writing it starts a
        new one (imported next time) instead of losing a record; it is deleted only once its rows
        are committed. Rows already in the store stay as they are, so importing a file twice (a
        leftover of an import that crashed, or one another process is importing) adds nothing.
        """
        store = self.store
        if store is None:
            return 0
        if self.path.exists():
            claimed = self.path.with_name(f"{self.path.name}.importing-{uuid.uuid4().hex[:8]}")
            with self._lock, self._file_lock():
                try:
                    os.rename(self.path, claimed)
                except FileNotFoundError:
                    pass  # another process took it
        added = 0
        for path in sorted(self.path.parent.glob(f"{self.path.name}.importing-*")):
            data = self._read(path)
            if data is None:
                logger.warning("history: %s is unreadable and was left in place", path.name)
                continue
            rows = [
                {
                    "user_key": k,
                    "diagnosis_id": r.id,
                    "at": r.at,
                    "barriers": json.dumps(r.barriers),
                }
                for k, records in self._fresh(data).items()
                for r in reversed(records)  # oldest first, so the sequence follows time
            ]
            statement = (
                store.insert_or(table)
                .on_conflict_do_nothing(index_elements=[table.c.user_key, table.c.diagnosis_id])
                .execution_options(preserve_rowcount=True)  # counted for inserts too
            )
            with store.transaction() as conn:
                for row in rows:
                    added += int(conn.execute(statement.values(**row)).rowcount)
            path.unlink(missing_ok=True)
        if added:
            logger.info("history: %d record(s) imported from the data dir into the store", added)
        return added

    # -- the file (no store) ------------------------------------------------------------------
    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        """Across processes: writers of the file and the importer take turns."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.with_name("history.lock").open("a") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            yield

    def _read(self, path: Path | None = None) -> dict[str, list[DiagnosisRecord]] | None:
        """The file's records; {} when there is none, None when it cannot be read."""
        try:
            raw = json.loads((path or self.path).read_text(encoding="utf-8"))
            return {k: [DiagnosisRecord.model_validate(r) for r in v] for k, v in raw.items()}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, AttributeError, TypeError):
            return None

    def _fresh(self, data: dict[str, list[DiagnosisRecord]]) -> dict[str, list[DiagnosisRecord]]:
        cutoff = self.clock() - self.retention_s
        kept = {k: [r for r in v if r.at >= cutoff] for k, v in data.items()}
        return {k: v for k, v in kept.items() if v}

    def _load(self) -> dict[str, list[DiagnosisRecord]]:
        return self._fresh(self._read() or {})

    def _save(self, data: dict[str, list[DiagnosisRecord]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        payload = {k: [r.model_dump() for r in v] for k, v in data.items()}
        tmp.write_text(json.dumps(payload, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)
