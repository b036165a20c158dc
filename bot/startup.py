"""Make sure the guidance index exists and matches the guidance folder before serving."""

from __future__ import annotations

import atexit
import logging
import threading

from bot.services import Services

logger = logging.getLogger(__name__)
WARM_JOIN_S = 30.0  # one batch takes well under a second


def ensure_index(services: Services) -> bool:
    """Refresh the bundled guidance notes when they changed (or nothing is indexed yet).

    Every way of starting changebot calls this. Returns True when an ingest ran. It replaces only
    the *bundled* documents (added, changed and removed notes); documents an admin ingested are
    never touched. Unchanged notes are copied with their vectors, so a refresh is quick.
    """
    from ingestion.pipeline import ingest, is_stale

    folder = services.settings.guidance_dir
    if services.index.live_name() is not None and not is_stale(services.index, folder):
        return False
    logger.info("refreshing the bundled guidance notes")
    report = ingest(
        [folder],
        services.index,
        services.settings,
        mode="replace",
        actor="changebot:start",
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
