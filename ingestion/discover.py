"""Which files an ingest covers, under which stable names, and whether the index is stale.

A document's identity is its path relative to the folder it was ingested from (or its file name
when given directly), so re-ingesting the same folder updates documents in place instead of adding
duplicates, whatever absolute path the folder is mounted at.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel

from bot.common.hashing import file_sha256
from knowledge.index import KnowledgeIndex


class SourceFile(BaseModel):
    """A file to ingest and the name it is known by in the index."""

    path: Path
    document: str


def discover(paths: Iterable[Path]) -> list[SourceFile]:
    """Files given directly, plus every visible regular file under given folders (sorted)."""
    found: dict[str, SourceFile] = {}
    for raw in paths:
        path = Path(raw).expanduser().resolve()
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                rel = file.relative_to(path)
                if file.is_file() and not any(p.startswith(".") for p in rel.parts):
                    found.setdefault(rel.as_posix(), SourceFile(path=file, document=rel.as_posix()))
        else:
            found.setdefault(path.name, SourceFile(path=path, document=path.name))
    return list(found.values())


def folder_fingerprint(paths: Iterable[Path]) -> str:
    """One hash over the names and contents of every file an ingest of ``paths`` would read."""
    digest = hashlib.sha256()
    for src in sorted(discover(paths), key=lambda s: s.document):
        digest.update(f"{src.document}\0{file_sha256(src.path)}\0".encode())
    return digest.hexdigest()


def is_stale(index: KnowledgeIndex, folder: Path) -> bool:
    """True when the bundled notes in the live index were not built from ``folder`` as it is now.

    Compares the folder's fingerprint with the one the live version recorded when the bundled
    notes were last refreshed, so ``make run`` re-indexes only when a note was added, changed or
    removed; a file that failed to ingest does not make every start re-index, and documents an
    admin added never make the index look stale.
    """
    if index.live_name() is None:
        return bool(discover([folder]))
    recorded = index.version_notes().get("bundled_sha")
    return recorded != folder_fingerprint([folder])
