"""The single-writer lock: one ingest at a time per data directory.

Chroma is not safe with concurrent writers across processes, and two admins pressing "re-ingest"
at once must not build two versions. ``fcntl.flock`` is released by the kernel when the holder
dies (even on kill -9), so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from bot.common.errors import IngestLocked

logger = logging.getLogger(__name__)
SharedLock = Callable[[], AbstractContextManager[None]]
_shared: list[SharedLock] = []


def use_shared_lock(factory: SharedLock | None) -> None:
    """Also hold a lock other hosts see (a lease in the shared store) during every ingest.

    The file lock serialises writers on one machine; with a Chroma server shared by several
    hosts, the lease makes the second host's ingest (or prune) wait its turn instead of deleting
    a version the first is building. Set by the composition root when a shared database is used.
    """
    _shared.clear()
    if factory is not None:
        _shared.append(factory)


def lock_path(data_dir: Path) -> Path:
    """Where the lock file lives."""
    return data_dir / "ingest.lock"


@contextmanager
def ingest_lock(data_dir: Path) -> Iterator[None]:
    """Hold the writer lock for the block; raise ``IngestLocked`` at once if someone else has it."""
    path = lock_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IngestLocked() from exc
        try:  # the pid is for people reading the file; a full disk must not stop the lock
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError as exc:
            logger.warning("could not record the ingest lock holder (%s)", exc.strerror)
        logger.info("ingest lock taken by pid %d", os.getpid())
        try:
            with _shared[0]() if _shared else nullcontext():
                yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
