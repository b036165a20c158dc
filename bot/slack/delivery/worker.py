"""A bounded pool for the work that follows an ack (core calls, Slack posts, ingests).

Why not just bolt's executor: listeners must *claim* an event and return at once (ack first, under
100 ms), and under a burst we would rather tell someone "busy, try again" within a second than
queue their question behind hundreds of others (R11). ``submit`` therefore refuses when the
pending count reaches ``max_pending``, and the caller sends the polite reply. On Linux the worker
threads run at a lower CPU priority (nice +5) than the threads that verify and ack requests, so a
burst of embedding work cannot push acks past Slack's deadline.

Acks also come first *inside* the front: while any request is being verified and acked
(``AckGate``), a queued job waits (briefly, bounded) before it takes the GIL for its own Python
work (rendering, posting, store writes). Measured on 2 cores with the core in worker processes,
the reply work of the first answers otherwise lands in the middle of a burst's last acks.

``urgent_worker`` is a second, small pool for Slack calls that must not wait behind core work: a
``views.open`` whose trigger expires in 3 s, a "busy" notice, an admin command's reply.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

logger = logging.getLogger(__name__)
WORKER_NICE = 5


def _lower_priority() -> None:
    """Nice this worker thread (Linux threads have their own priority; elsewhere do nothing)."""
    if sys.platform.startswith("linux"):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICE)
        except OSError:
            logger.debug("could not lower worker priority")


class AckGate:
    """Counts requests being acked; lets background work wait until none is (bounded)."""

    def __init__(self) -> None:
        self._busy = 0
        self._quiet = threading.Condition()

    def enter(self) -> None:
        """A request started (before its signature check)."""
        with self._quiet:
            self._busy += 1

    def leave(self) -> None:
        """The request was answered."""
        with self._quiet:
            self._busy -= 1
            if not self._busy:
                self._quiet.notify_all()

    def wait_quiet(self, max_s: float = 0.25) -> None:
        """Return when no request is in progress, or after ``max_s`` (never starves the work)."""
        deadline = time.monotonic() + max_s
        with self._quiet:
            while self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self._quiet.wait(left)


class Worker:
    """``max_workers`` threads; at most ``max_pending`` jobs queued or running."""

    gate: AckGate | None = None  # set by the Slack runtime: jobs yield to acks in progress

    def __init__(
        self, max_workers: int = 4, max_pending: int = 64, name: str = "cb", *, nice: bool = True
    ) -> None:
        self._pool = ThreadPoolExecutor(
            max_workers=max_workers,
            thread_name_prefix=name,
            initializer=_lower_priority if nice else None,
        )
        self._slots = threading.BoundedSemaphore(max_pending)
        self._idle = threading.Condition()
        self._pending = 0

    def submit(self, job: Callable[[], object], label: str = "job") -> bool:
        """Queue ``job``; False (and nothing queued) when the pool is saturated."""
        if not self._slots.acquire(blocking=False):
            logger.warning("worker saturated; refused %s", label)
            return False
        with self._idle:
            self._pending += 1
        self._pool.submit(self._run, job, label)
        return True

    def _run(self, job: Callable[[], object], label: str) -> None:
        started = time.monotonic()
        try:
            if self.gate is not None:
                self.gate.wait_quiet()
            job()
        except Exception as exc:  # the job's own handler failed: log the type, never the text
            logger.error("%s failed unexpectedly (%s)", label, type(exc).__name__)
        finally:
            self._slots.release()
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()
            logger.debug("%s took %.0f ms", label, (time.monotonic() - started) * 1000)

    @property
    def pending(self) -> int:
        """Jobs queued or running now."""
        return self._pending

    def drain(self, timeout: float) -> bool:
        """Wait until no job is pending; False on timeout (used by shutdown and tests)."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def shutdown(self, timeout: float = 10.0) -> None:
        """Finish in-flight work (bounded), then stop the threads."""
        self.drain(timeout)
        self._pool.shutdown(wait=False, cancel_futures=True)


def urgent_worker() -> Worker:
    """Two threads at normal priority for quick Slack calls (forms, notices, admin replies)."""
    return Worker(max_workers=2, max_pending=256, name="cb-urgent", nice=False)
