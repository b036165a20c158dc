"""Which files an ingest covers, under which stable names, and whether the index is stale.

A document's identity is its path relative to the folder it was ingested from (or its file name
when given directly), so re-ingesting the same folder updates documents in place instead of adding
duplicates, whatever absolute path the folder is mounted at.
"""

from __future__ import annotations

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


def is_stale(index: KnowledgeIndex, folder: Path) -> bool:
    """True when the live index differs from ``folder``: a file added, removed or changed.

    Compares document names and file hashes with what the live version recorded, so ``make run``
    re-indexes only when the notes changed. Documents that failed to ingest count as missing, so a
    folder containing an unreadable file always looks stale.
    """
    live = {doc.document: doc.doc_hash for doc in index.documents()}
    on_disk = {src.document: src.path for src in discover([folder])}
    if set(live) != set(on_disk):
        return True
    return any(file_sha256(path) != live[name] for name, path in on_disk.items())
