"""Plain words for a failed write: a full disk (or a file-size limit) is not a bug in changebot.

Chroma reports SQLite's errors in its own words ("database or disk is full", or "disk I/O error"
when the kernel refused a write with ``EFBIG``), Python raises ``OSError`` with ``ENOSPC``; an admin
needs one sentence either way: what happened, that nothing changed, and what to do.
"""

from __future__ import annotations

import errno
import resource
import shutil
from collections.abc import Iterator
from pathlib import Path

NO_SPACE_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
_FULL_WORDS = ("database or disk is full", "no space left", "file too large", "disk quota")
_IO_WORDS = ("disk i/o error", "input/output error")
LOW_FREE_BYTES = 64 * 1024 * 1024
NOTHING_CHANGED = (
    "Nothing changed: the previous guidance is still serving, and the unfinished version is "
    "cleared away (at the latest by the next start or ingest)."
)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _at_a_limit(data_dir: Path) -> bool:
    """Whether the disk under ``data_dir`` is (nearly) full, or a file reached RLIMIT_FSIZE."""
    try:
        if shutil.disk_usage(data_dir).free < LOW_FREE_BYTES:
            return True
    except OSError:
        pass
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit == resource.RLIM_INFINITY:
        return False
    sizes = [p.stat().st_size for p in data_dir.rglob("*") if p.is_file()]
    return bool(sizes) and max(sizes) >= limit - (1 << 20)


def write_failure(exc: BaseException, data_dir: Path) -> str | None:
    """The admin's message when ``exc`` is a failed write under ``data_dir``; None otherwise."""
    chain = list(_chain(exc))
    codes = {e.errno for e in chain if isinstance(e, OSError)}
    text = " ".join(str(e).lower() for e in chain)
    full = bool(codes & NO_SPACE_ERRNOS) or any(words in text for words in _FULL_WORDS)
    io_error = errno.EIO in codes or any(words in text for words in _IO_WORDS)
    if io_error and not full:
        full = _at_a_limit(data_dir)
    if full:
        return (
            "The ingest stopped because the disk is full: there was no room to write the new "
            f"index in {data_dir} (no space left, or a file-size limit reached). "
            f"{NOTHING_CHANGED} Free some disk space there, then run the ingest again."
        )
    if io_error:
        return (
            f"The ingest stopped because writing the new index in {data_dir} failed (a disk "
            f"input/output error). {NOTHING_CHANGED} Check that disk, then run the ingest again."
        )
    return None
