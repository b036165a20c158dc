"""Which files an ingest covers, under which stable names, and whether the index is stale.

A document's identity is its path relative to the folder it was ingested from (or its file name
when given directly), so re-ingesting the same folder updates documents in place instead of adding
duplicates, whatever absolute path the folder is mounted at.

That name is stored, embedded (as a title), shown in reports and cited in Slack, so it is made
safe first (``document_name``): control characters and bidi or invisible characters become ``_``
(a right-to-left override cannot make ``x\u202efdp.md`` look like ``xdm.pdf``), and very long names
are shortened with a hash of the full name. Nothing is ever written under a document's name: the
index stores chunks under ids derived from the file's content hash. Two files that would share a
name in one run never replace each other: the later one is reported as failed, with the reason.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel

from bot.common.hashing import file_sha256
from knowledge.index import KnowledgeIndex

MAX_NAME = 160
# C0/C1 controls, bidi embeddings/overrides/isolates, zero-width and other invisible characters.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff"
    "\U000e0000-\U000e007f]"
)


class SourceFile(BaseModel):
    """A file to ingest, the name it is known by in the index, and why it cannot be (if so)."""

    path: Path
    document: str
    problem: str = ""


def document_name(raw: str) -> str:
    """The name a file is stored, shown and cited under: printable, one line, at most MAX_NAME.

    A long name keeps its start and its extension around a short hash of the whole name, so two
    long names that differ only at the end stay two documents.
    """
    name = _UNSAFE.sub("_", unicodedata.normalize("NFC", raw))
    if len(name) <= MAX_NAME:
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    suffix = Path(name).suffix if len(Path(name).suffix) <= 10 else ""
    return f"{name[: MAX_NAME - len(suffix) - 9]}~{digest}{suffix}"


def discover(paths: Iterable[Path]) -> list[SourceFile]:
    """Files given directly, plus every visible regular file under given folders (sorted).

    A file whose name is already taken in this run (the same base name given twice, or two names
    that only differ by unsafe characters) is kept as a failed entry, never dropped or merged.
    """
    found: list[SourceFile] = []
    taken: set[str] = set()
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw).expanduser().resolve()
        if path.is_dir():
            files = [
                (file, file.relative_to(path).as_posix())
                for file in sorted(path.rglob("*"))
                if file.is_file()
                and not any(p.startswith(".") for p in file.relative_to(path).parts)
            ]
        else:
            files = [(path, path.name)]
        for file, rel in files:
            if file in seen:
                continue  # the same file reached twice (a folder and a file inside it)
            seen.add(file)
            name = document_name(rel)
            problem = ""
            if name in taken:
                problem = (
                    "another file in this run has the same name, so this one was not ingested "
                    "(nothing was overwritten); rename one of them and ingest it again"
                )
            taken.add(name)
            found.append(SourceFile(path=file, document=name, problem=problem))
    return found


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
