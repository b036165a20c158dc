"""Admin ingests from Slack: one at a time, in the background, reported in one updated message.

Why a dedicated single thread: an ingest embeds every new chunk (tens of seconds to minutes) and
must not take a worker that answers questions (LD3). A second request while one runs is refused at
once in plain words (A7); the pipeline's own file lock still guards against the CLI or another
process (``IngestLocked``). Progress edits the same DM message at most once a second.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal

from bot.common.audit import write_audit
from bot.common.errors import ChangebotError
from bot.slack.delivery.poster import Poster
from bot.slack.flows.file_download import Downloaded
from bot.slack.flows.permissions import Actor
from bot.slack.render.admin import progress_message, report_message
from bot.slack.render.blocks import error_message
from bot.workers.gateway import Core
from ingestion.report import DocumentResult, IngestReport, Progress

logger = logging.getLogger(__name__)
BUSY = "An ingest is already running. I'll post its report when it finishes; try again after that."
Prepare = Callable[[], Downloaded]


class IngestRunner:
    """Runs at most one Slack-started ingest at a time."""

    def __init__(self, core: Core, poster: Poster, min_update_s: float = 1.0) -> None:
        self.core = core
        self.poster = poster
        self.min_update_s = min_update_s
        self._busy = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest")

    @property
    def running(self) -> bool:
        """True while an ingest started from Slack is in progress."""
        return self._busy.locked()

    def start(
        self,
        actor: Actor,
        label: str,
        prepare: Prepare,
        mode: Literal["add", "replace"] = "add",
        cleanup: Path | None = None,
        owner: Literal["bundled", "admin"] = "admin",
    ) -> bool:
        """Queue an ingest; False when one is already running (nothing queued)."""
        if not self._busy.acquire(blocking=False):
            return False
        self._pool.submit(self._run, actor, label, prepare, mode, cleanup, owner)
        return True

    def _run(
        self,
        actor: Actor,
        label: str,
        prepare: Prepare,
        mode: Literal["add", "replace"],
        cleanup: Path | None,
        owner: Literal["bundled", "admin"] = "admin",
    ) -> None:
        target = self.poster.dm(actor.user_id, progress_message(None, label))
        outcome = "error"
        try:
            fetched = prepare()
            report = self._ingest(actor, label, fetched, mode, target, owner)
            outcome = report.outcome
            rendered = report_message(report, label)
        except ChangebotError as exc:
            rendered = error_message(exc)
        except Exception as exc:  # never silent, never raw: the admin gets a plain message
            logger.error("slack ingest failed (%s)", type(exc).__name__)
            rendered = error_message(exc)
        finally:
            if cleanup is not None:
                shutil.rmtree(cleanup, ignore_errors=True)
            self._busy.release()
        write_audit(
            self.core.settings.data_dir,
            actor=f"slack:{actor.label}",
            action="slack.ingest",
            outcome=outcome,
            mode=mode,
            user_id=actor.user_id,
            team_id=actor.team_id,
        )
        if target:
            self.poster.update(target[0], target[1], rendered)

    def _ingest(
        self,
        actor: Actor,
        label: str,
        fetched: Downloaded,
        mode: Literal["add", "replace"],
        target: tuple[str, str] | None,
        owner: Literal["bundled", "admin"] = "admin",
    ) -> IngestReport:
        problems = [
            DocumentResult(document=name, status="failed", reason=why)
            for name, why in fetched.problems
        ]
        if not fetched.paths:
            return IngestReport(
                mode=mode, outcome="unchanged", documents=problems, message="Nothing was ingested."
            )
        report = self.core.ingest(
            list(fetched.paths),
            mode=mode,
            progress=self._progress(label, target),
            actor=f"slack:{actor.label}",
            owner=owner,
        )
        report.documents.extend(problems)
        return report

    def _progress(self, label: str, target: tuple[str, str] | None) -> Callable[[Progress], None]:
        last = [0.0]

        def update(tick: Progress) -> None:
            now = time.monotonic()
            if target and now - last[0] >= self.min_update_s:
                last[0] = now
                self.poster.update(target[0], target[1], progress_message(tick, label))

        return update

    def shutdown(self) -> None:
        """Stop accepting work; an ingest in flight finishes in its own thread."""
        self._pool.shutdown(wait=False)
