"""Replies promised but not yet sent, kept on disk so a restart can apologise for lost ones.

Once changebot has acked a message, Slack will not redeliver it. If the process is killed before
the reply is posted (a crash, an OOM kill, a redeploy that runs out of patience), the person
would wait forever. So each accepted job leaves a small file here from the ack until the reply is
posted. On start, every file left behind becomes one short apology ("please ask again") in the
same thread or privately, then is deleted. The file is deleted *before* the apology is sent, so
a second crash can lose an apology but never send two.

Policy: files older than ``max_age_s`` (30 minutes by default) are dropped without an apology,
because an apology hours later is noise. Only ids are stored (channel, thread, user, time),
never the message text: nothing in this folder can carry patient data.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

logger = logging.getLogger(__name__)
MAX_AGE_S = 1800.0
APOLOGY = "Sorry, changebot restarted before it could reply to your last message. Please ask again."


class Pending(BaseModel):
    """Where the promised reply would have gone; ids only."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["thread", "private"]
    channel: str
    user: str
    thread_ts: str | None = None
    at: float = 0.0


class InFlightJournal:
    """One file per accepted job in ``folder``; written at ack time, deleted when done."""

    def __init__(self, folder: Path, max_age_s: float = MAX_AGE_S) -> None:
        self.folder = folder
        self.max_age_s = max_age_s

    def open(self, pending: Pending) -> str:
        """Record a promise; returns its id. Never raises: a full disk must not block the ack."""
        entry_id = uuid.uuid4().hex
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            staged = self.folder / f".{entry_id}.tmp"
            stamped = pending.model_copy(update={"at": time.time()})
            staged.write_text(stamped.model_dump_json(), encoding="utf-8")
            os.replace(staged, self.folder / f"{entry_id}.json")
        except OSError as exc:
            logger.warning("in-flight journal not written (%s)", type(exc).__name__)
        return entry_id

    def close(self, entry_id: str) -> None:
        """The reply was sent (or the job ended with a message of its own)."""
        (self.folder / f"{entry_id}.json").unlink(missing_ok=True)

    def tracked(self, pending: Pending, job: Callable[[], None]) -> tuple[str, Callable[[], None]]:
        """Open an entry now and return (id, job that closes it however it ends)."""
        entry_id = self.open(pending)

        def run() -> None:
            try:
                job()
            finally:
                self.close(entry_id)

        return entry_id, run

    def recover(self) -> list[Pending]:
        """Take every entry left by a previous process: delete them all, return the recent ones."""
        if not self.folder.is_dir():
            return []
        recent: list[Pending] = []
        now = time.time()
        for path in sorted(self.folder.iterdir()):
            try:
                raw = path.read_text(encoding="utf-8") if path.suffix == ".json" else None
            except OSError:
                raw = None
            path.unlink(missing_ok=True)
            if raw is None:
                continue
            try:
                pending = Pending.model_validate_json(raw)
            except ValidationError:
                logger.warning("unreadable in-flight entry dropped")
                continue
            if now - pending.at <= self.max_age_s:
                recent.append(pending)
        if recent:
            logger.info("%d replies were lost in a restart; apologising", len(recent))
        return recent
