"""``PooledCore``: the core in worker processes, so the front that acks never waits for the CPU.

Why processes: with the core in the front's process, 50 concurrent requests on 2 cores queued the
acks behind embedding and diagnosis work for the GIL (ack p99 120-280 ms against a 100 ms
target). Here the front keeps only Slack, the shared store and the framework's text; ``workers``
spawned processes build the services once each and run ``respond`` and the index reads at a
lower CPU priority. The index's single writer (an ingest or a removal started from Slack) runs in
a child process of its own, reporting progress through a pipe.

A worker that dies (killed, out of memory, a native crash) breaks the pool: every call waiting on
it gets ``WorkerLost`` (the Slack layer turns that into the one apology) and the next call starts
a fresh pool. Nothing is re-run blindly: a message that crashed a worker would crash the next one.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bot.common.errors import ChangebotError, IngestionError
from bot.workers import tasks
from bot.workers.gateway import CoreStopped, IndexFigures, IngestMode, Owner, ProgressSink
from bot.workers.tasks import Failure

if TYPE_CHECKING:
    from bot.core.models import Reply, Turn
    from bot.core.respond import Mode
    from bot.settings import Settings
    from bot.state.store import SharedStore
    from ingestion.report import IngestReport
    from knowledge.framework import Framework
    from knowledge.index import DocumentInfo

logger = logging.getLogger(__name__)
SPAWN = multiprocessing.get_context("spawn")  # no inherited threads, locks or sockets
T = TypeVar("T")


class WorkerLost(ChangebotError):
    """The worker process running a call stopped before it answered."""

    default_message = (
        "Sorry, I lost track of that while working on it (a worker process stopped). "
        "Please send it again."
    )


class WritingFailed(IngestionError):
    """The ingest child stopped without a report."""

    default_message = (
        "The ingest stopped unexpectedly before it finished. Nothing was changed: the previous "
        "guidance keeps serving. Try again, or ask whoever runs changebot to check its logs."
    )


class PooledCore:
    """``Core`` over a pool of worker processes (see the module docstring)."""

    def __init__(
        self, settings: Settings, framework: Framework, store: SharedStore, workers: int
    ) -> None:
        if workers < 1:
            raise ValueError("PooledCore needs at least one worker; use LocalCore for none")
        self.settings = settings
        self.framework = framework
        self.store = store
        self.workers = workers
        self._lock = threading.Lock()
        self._pool = self._new_pool()
        self._ready = threading.Event()
        self._closing = threading.Event()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=SPAWN,
            initializer=tasks.init_worker,
            initargs=(self.settings,),
        )

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> bool:
        """Prepare the index in one worker, then start (and warm) every worker; True if ready."""
        refreshed = self._call(tasks.prepare)
        pids = {f.result() for f in [self._submit(tasks.warm) for _ in range(self.workers)]}
        if self.figures().version is None:
            raise ChangebotError("The guidance index is empty; run `changebot ingest` first.")
        logger.info(
            "core workers ready (%d processes, bundled notes %s)",
            len(pids),
            "refreshed" if refreshed else "current",
        )
        self._ready.set()
        return True

    def ready(self) -> bool:
        """Ready after ``start`` (which checked the index) and until ``close``.

        Cheap on purpose: a load balancer's probe must not queue behind answers in the workers.
        """
        return self._ready.is_set() and not self._closing.is_set()

    def close(self, timeout: float = 10.0) -> None:
        """Refuse new calls, let running ones finish within ``timeout``, then stop the workers."""
        self._closing.set()
        with self._lock:
            pool = self._pool
        done = threading.Event()

        def wait() -> None:
            pool.shutdown(wait=True, cancel_futures=True)
            done.set()

        threading.Thread(target=wait, name="cb-pool-stop", daemon=True).start()
        if not done.wait(timeout):
            logger.warning("core workers still busy after %.0f s; stopping them", timeout)
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.kill()  # workers ignore SIGTERM (a deploy signals the whole group)

    def pids(self) -> list[int]:
        """The worker processes now running (for benchmarks and tests)."""
        with self._lock:
            processes = getattr(self._pool, "_processes", None) or {}
            return [p.pid for p in processes.values() if p.pid is not None]

    # -- calls --------------------------------------------------------------------------------
    def respond(self, text: str, history: list[Turn] | None = None, mode: Mode = "auto") -> Reply:
        """``respond`` in a worker."""
        reply: Reply = self._call(tasks.respond, text, history, mode)
        return reply

    def documents(self) -> list[DocumentInfo]:
        """The live index's documents, read in a worker."""
        docs: list[DocumentInfo] = self._call(tasks.documents)
        return docs

    def figures(self) -> IndexFigures:
        """Counts of the live index, read in a worker."""
        figures: IndexFigures = self._call(tasks.figures)
        return figures

    def ingest(
        self,
        paths: list[Path],
        *,
        mode: IngestMode,
        owner: Owner,
        actor: str,
        progress: ProgressSink | None = None,
    ) -> IngestReport:
        """An ingest in a child process of its own (the index's single writer)."""
        return self._write(paths, [], mode, owner, actor, progress)

    def remove(self, documents: list[str], actor: str) -> IngestReport:
        """A removal in a child process of its own."""
        return self._write([], documents, None, "admin", actor, None)

    # -- plumbing ------------------------------------------------------------------------------
    def _submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        if self._closing.is_set():
            raise CoreStopped()
        with self._lock:
            pool = self._pool
        try:
            return pool.submit(fn, *args)
        except BrokenProcessPool:  # the job never ran: a fresh pool may take it
            return self._replace(pool).submit(fn, *args)

    def _call(self, fn: Callable[..., T | Failure], *args: Any) -> T:
        with self._lock:
            pool = self._pool
        future = self._submit(fn, *args)
        try:
            result = future.result()
        except (BrokenProcessPool, CancelledError):
            if self._closing.is_set():  # stopped at the shutdown bound: left to the journal
                raise CoreStopped() from None
            logger.error("a core worker stopped; starting a fresh pool")
            self._replace(pool)
            raise WorkerLost() from None
        if isinstance(result, Failure):
            raise result.error()
        return result

    def _replace(self, broken: ProcessPoolExecutor) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is broken:
                self._pool = self._new_pool()
                broken.shutdown(wait=False, cancel_futures=True)
            return self._pool

    def _write(
        self,
        paths: list[Path],
        documents: list[str],
        mode: IngestMode | None,
        owner: Owner,
        actor: str,
        progress: ProgressSink | None,
    ) -> IngestReport:
        receive, send = SPAWN.Pipe(duplex=False)
        child = SPAWN.Process(
            target=tasks.write_index,
            args=(self.settings, send, paths, documents, mode, owner, actor),
            name="cb-ingest",
            daemon=True,
        )
        child.start()
        send.close()
        try:
            while True:
                try:
                    kind, payload = receive.recv()
                except EOFError:
                    child.join(5)
                    logger.error("ingest child stopped (exit code %s)", child.exitcode)
                    raise WritingFailed() from None
                if kind == "progress":
                    if progress is not None:
                        progress(payload)
                    continue
                if kind == "failed":
                    raise payload.error()
                report: IngestReport = payload
                return report
        finally:
            receive.close()
            child.join(10)
