"""Make sure the guidance index exists and matches the guidance folder before serving.

Before anything reads the index, the embedded store is checked in a child process
(``ingestion.store_check``): a damaged store (a truncated database, a pointer to a missing
version, broken vector files that can crash Chroma's reader) puts the bot in degraded mode
instead of crashing it, or crashing it again on every restart. In degraded mode the bot runs,
questions get a plain "guidance unavailable" notice, and the log says what is damaged and how to
recover (`changebot restore <backup> --force`, or re-indexing). A whole store is also tidied: a
version an interrupted or failed ingest left behind is dropped.
"""

from __future__ import annotations

import atexit
import logging
import threading

from bot.common.audit import write_audit
from bot.common.errors import IngestLocked
from bot.services import Services
from ingestion.lock import ingest_lock
from ingestion.store_check import StoreProblem, check_store

logger = logging.getLogger(__name__)
WARM_JOIN_S = 30.0  # one batch takes well under a second
ACTOR = "changebot:start"


def check_index(services: Services) -> str | None:
    """None when the index can be served; else the admin's message, and the index is disabled.

    A Chroma server looks after its own storage, so only the embedded store is checked. While an
    ingest holds the writer lock the check is skipped (that ingest is reading the store happily).
    """
    index, settings = services.index, services.settings
    problem: StoreProblem | None = None
    if index.unavailable is not None:  # the database file was refused before Chroma opened it
        problem = StoreProblem(
            part="database", detail=index.unavailable, index_dir=settings.index_dir
        )
    elif settings.chroma_url:
        return None
    else:
        try:
            with ingest_lock(settings.data_dir):
                problem = check_store(settings.index_dir, index.namespace)
                if problem is None:
                    _drop_leftovers(services)
        except IngestLocked:
            logger.info("an ingest is running: the index check waits for the next start")
            return None
    if problem is None:
        return None
    message = problem.admin_message()
    index.disable(problem.detail)
    logger.error("%s", message)
    try:
        write_audit(
            settings.data_dir, actor=ACTOR, action="startup", outcome="degraded", part=problem.part
        )
    except OSError as exc:
        logger.error("could not write the audit record (%s)", exc.strerror)
    return message


def _drop_leftovers(services: Services) -> None:
    """Drop versions an interrupted or failed ingest left behind (never the live or previous)."""
    try:
        dropped = services.index.prune(services.settings.keep_versions)
    except Exception as exc:  # noqa: BLE001 - tidying is never a reason not to start
        logger.warning("could not drop leftover index versions (%s)", type(exc).__name__)
        return
    if dropped:
        logger.info("dropped %d leftover index versions", len(dropped))


def ensure_index(services: Services) -> bool:
    """Refresh the bundled guidance notes when they changed (or nothing is indexed yet).

    Every way of starting changebot calls this. Returns True when an ingest ran. It replaces only
    the *bundled* documents (added, changed and removed notes); documents an admin ingested are
    never touched. Unchanged notes are copied with their vectors, so a refresh is quick. A damaged
    store is never written to: the bot starts in degraded mode instead (see ``check_index``).
    """
    from ingestion.pipeline import ingest, is_stale

    if check_index(services) is not None:
        return False
    folder = services.settings.guidance_dir
    if services.index.live_name() is not None and not is_stale(services.index, folder):
        return False
    logger.info("refreshing the bundled guidance notes")
    report = ingest(
        [folder],
        services.index,
        services.settings,
        mode="replace",
        actor=ACTOR,
        owner="bundled",
    )
    logger.info("indexed %d documents", len(report.documents))
    return True


def warm_in_background(services: Services) -> threading.Thread:
    """Warm the sentence cache while the bot starts listening (long-running surfaces only).

    The thread stops between batches when the process exits: ONNX Runtime aborts the process
    ("terminate called without an active exception") if the interpreter exits mid-inference.
    """
    stop = threading.Event()

    def warm() -> None:
        try:
            count = services.retriever.warm(stop=stop)
            logger.info("sentence cache warmed for %d chunks", count)
        except Exception as exc:  # noqa: BLE001 - warming is an optimisation, never fatal
            logger.warning("could not warm the sentence cache (%s)", type(exc).__name__)

    thread = threading.Thread(target=warm, name="cb-warm", daemon=True)

    def finish() -> None:
        stop.set()
        thread.join(WARM_JOIN_S)

    atexit.register(finish)
    thread.start()
    return thread
