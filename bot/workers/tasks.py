"""What runs inside a worker process: the services, built once, and the calls the front sends.

Every function here is module-level (the pool pickles a reference to it) and returns either its
result or a ``Failure``: exceptions do not cross the process boundary, because some of ours take
more than a message to build and a library's exception text must never reach a user anyway.
Workers run at a lower CPU priority than the front and ignore Ctrl-C (the front stops them).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.common.errors import ChangebotError

if TYPE_CHECKING:
    from bot.core.models import Reply, Turn
    from bot.core.respond import Mode
    from bot.services import Services
    from bot.settings import Settings
    from bot.workers.gateway import IndexFigures, IngestMode, Owner
    from knowledge.index import DocumentInfo

logger = logging.getLogger(__name__)
WORKER_NICE = 10
"""Workers yield the CPU to the front: an ack needs a few milliseconds, an answer tens of them."""

_services: Services | None = None


@dataclass(frozen=True)
class Failure:
    """A call that failed in a worker: the error's class name and its plain message."""

    kind: str
    message: str

    def error(self) -> ChangebotError:
        """The same kind of ``ChangebotError`` in the caller's process, with the same message."""
        cls = _ERRORS.get(self.kind, ChangebotError)
        error = cls.__new__(cls)
        ChangebotError.__init__(error, self.message)
        return error


def _error_classes() -> dict[str, type[ChangebotError]]:
    found: dict[str, type[ChangebotError]] = {}
    pending: list[type[ChangebotError]] = [ChangebotError]
    while pending:
        cls = pending.pop()
        found[cls.__name__] = cls
        pending.extend(cls.__subclasses__())
    return found


_ERRORS = _error_classes()


def _failure(exc: Exception) -> Failure:
    if isinstance(exc, ChangebotError):
        return Failure(type(exc).__name__, exc.user_message)
    logger.error("worker call failed (%s)", type(exc).__name__)  # type only: never the text
    return Failure("ChangebotError", ChangebotError.default_message)


def _quiet_child(nice: int, *, ignore_term: bool) -> None:
    """Ignore Ctrl-C (the parent decides when we stop) and step back from the CPU.

    Workers also ignore SIGTERM: a deploy that signals the whole process group must let the
    front drain its in-flight replies, which the workers are computing. The ingest child keeps
    SIGTERM: stopping it mid-build leaves the live version serving and the staged one for prune.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN if ignore_term else signal.SIG_DFL)
    try:
        os.nice(nice)
    except OSError:
        logger.debug("could not lower worker priority")


def _exit_with_parent(interval_s: float = 1.0) -> None:
    """Leave when the front is gone (killed with -9, it cannot stop us): no orphaned workers."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(interval_s)
        os._exit(0)

    threading.Thread(target=watch, name="cb-parent-watch", daemon=True).start()


def init_worker(settings: Settings) -> None:
    """Pool initializer: build the services once and warm the models in this process."""
    global _services
    from bot.common.logs import configure_logging
    from bot.services import build_services

    _quiet_child(WORKER_NICE, ignore_term=True)
    _exit_with_parent()
    configure_logging(settings.log_level, settings.log_format == "json")
    from bot.startup import warm_in_background

    _services = build_services(settings)
    if settings.embeddings == "local":  # load the model now, not on the first question
        _services.embedder.embed(["warm up"])
    warm_in_background(_services)


def _ready_services() -> Services:
    if _services is None:
        raise ChangebotError("The worker process is not initialised.")
    return _services


def respond(text: str, history: list[Turn] | None, mode: Mode) -> Reply | Failure:
    """``Responder.respond`` in this worker."""
    try:
        return _ready_services().responder.respond(text, history, mode=mode)
    except Exception as exc:  # noqa: BLE001 - becomes a plain failure for the front
        return _failure(exc)


def documents() -> list[DocumentInfo] | Failure:
    """The live index's documents."""
    try:
        return _ready_services().index.documents()
    except Exception as exc:  # noqa: BLE001
        return _failure(exc)


def figures() -> IndexFigures | Failure:
    """Version, documents and chunks of the live index."""
    from bot.workers.gateway import index_figures

    try:
        return index_figures(_ready_services())
    except Exception as exc:  # noqa: BLE001
        return _failure(exc)


PREPARE_WAIT_S = 600.0


def prepare_index(services: Services, wait_s: float = PREPARE_WAIT_S) -> bool:
    """``ensure_index``, waiting while another replica holds the ingest lock.

    Two replicas started together (a compose file, a rolling deploy) both find the shared index
    stale; one refreshes it and the other waits for it, then finds nothing left to do.
    """
    from bot.common.errors import IngestLocked
    from bot.startup import ensure_index

    deadline = time.monotonic() + wait_s
    while True:
        try:
            return ensure_index(services)
        except IngestLocked:
            if time.monotonic() > deadline:
                raise
            logger.info("another process is preparing the index; waiting for it")
            time.sleep(1.0)


def prepare() -> bool | Failure:
    """Refresh the bundled notes if they changed (one worker does this before serving)."""
    try:
        return prepare_index(_ready_services())
    except Exception as exc:  # noqa: BLE001
        return _failure(exc)


def warm() -> int:
    """A no-op call that makes the pool start (and initialise) a process; returns its pid."""
    _ready_services()
    threading.Event().wait(0.05)  # hold this process briefly so the next call starts another
    return os.getpid()


def write_index(
    settings: Settings,
    conn: Connection,
    paths: list[Path],
    documents: list[str],
    mode: IngestMode | None,
    owner: Owner,
    actor: str,
) -> None:
    """Child-process entry for the index's single writer: an ingest (``mode``) or a removal.

    Sends ``("progress", Progress)`` while it runs, then ``("done", IngestReport)`` or
    ``("failed", Failure)``. Runs at a lower priority than the workers that answer questions.
    """
    from bot.common.logs import configure_logging
    from bot.services import build_services
    from ingestion.pipeline import ingest, remove

    _quiet_child(WORKER_NICE + 5, ignore_term=False)
    configure_logging(settings.log_level, settings.log_format == "json")
    message: tuple[str, Any]
    try:
        services = build_services(settings)
        if mode is None:
            report = remove(documents, services.index, services.settings, actor=actor)
        else:
            report = ingest(
                paths,
                services.index,
                services.settings,
                mode=mode,
                progress=lambda tick: conn.send(("progress", tick)),
                actor=actor,
                owner=owner,
            )
        message = ("done", report)
    except Exception as exc:  # noqa: BLE001 - the parent tells the admin in plain words
        message = ("failed", _failure(exc))
    conn.send(message)
    conn.close()
