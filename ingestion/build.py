"""Build one staged index version: copy unchanged documents, parse and embed the rest.

Everything here writes only to the staged collection; the live version is read (to copy vectors
of unchanged documents) but never modified, so any failure can simply drop the staged version.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Sequence
from pathlib import Path

from bot.common.errors import UnreadableDocument
from bot.common.hashing import file_sha256
from bot.common.privacy import flagged_spans, screen
from ingestion.chunking import make_chunks, sha256_text
from ingestion.discover import SourceFile
from ingestion.initials import with_names
from ingestion.limits import IngestLimits
from ingestion.report import DocumentResult, Progress, ProgressCallback
from ingestion.sandbox import ParserSandbox
from ingestion.sniff import sniff
from knowledge.index import Chunk, KnowledgeIndex, embedding_text

logger = logging.getLogger(__name__)
EMBED_BATCH = 32


def withhold_patient_data(chunks: list[Chunk]) -> tuple[list[Chunk], list[str]]:
    """Chunks safe to index, and the pages (or "?") of chunks withheld for patient data.

    A flagged chunk keeps only its paragraphs clear of patient data
    (``without_flagged_paragraphs``), or is dropped whole: the report names the page so an admin
    can fix the source, but never repeats the identifier. The title and heading path are
    screened with the body: they are stored, embedded and shown in citations too.
    """
    kept, pages = [], []
    for chunk in chunks:
        if screen(f"{chunk.title}\n{chunk.section}\n{chunk.text}").sensitive:
            pages.append(chunk.page or "?")
            rest = without_flagged_paragraphs(chunk)
            if rest is not None:
                kept.append(rest)
        else:
            kept.append(chunk)
    return kept, sorted(set(pages), key=lambda p: (len(p), p))


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_LINE_BREAK = re.compile(r"\n")


def _pieces(text: str) -> tuple[list[tuple[int, int]], str]:
    """Each paragraph's (start, end) in ``text``, and the separator that joins them again.

    A text of one paragraph is cut into its lines instead (a typed table, a list).
    """
    for pattern, joiner in ((_PARAGRAPH_BREAK, "\n\n"), (_LINE_BREAK, "\n")):
        spans, start = [], 0
        for brk in pattern.finditer(text):
            spans.append((start, brk.start()))
            start = brk.end()
        spans.append((start, len(text)))
        spans = [(a, b) for a, b in spans if text[a:b].strip()]
        if len(spans) > 1:
            return spans, joiner
    return [(0, len(text))], "\n\n"


def without_flagged_paragraphs(chunk: Chunk) -> Chunk | None:
    """The chunk without the paragraphs that hold patient data, or None when nothing can stay.

    A contacts table's row with someone's own number, or one case in a list of lessons, should
    not cost the trust every other row or lesson beside it. What is kept must pass the screen on
    its own, with the title and headings, so data spread over two paragraphs (a name in one, a
    date of birth in the next) takes both with it, and a flagged heading takes the whole chunk.
    """
    head = f"{chunk.title}\n{chunk.section}\n"
    flagged = flagged_spans(head + chunk.text)
    if not flagged or any(start < len(head) for start, _end in flagged):
        return None
    spans, joiner = _pieces(chunk.text)
    offset = len(head)
    kept = [
        chunk.text[a:b].strip()
        for a, b in spans
        if not any(start < offset + b and end > offset + a for start, end in flagged)
    ]
    if not kept or len(kept) == len(spans):
        return None
    text = joiner.join(kept)
    if screen(head + text).sensitive:
        return None
    return chunk.model_copy(update={"text": text, "content_hash": sha256_text(text)})


WITHHELD_NAME = "(a file whose name was withheld)"


class VersionBuilder:
    """Fills one staged version; counts what it wrote so validation can check it."""

    def __init__(
        self,
        index: KnowledgeIndex,
        settings: IngestLimits,
        staged: str,
        sandbox: ParserSandbox | None,
        progress: ProgressCallback | None = None,
        owner: str = "admin",
    ) -> None:
        self.index = index
        self.owner = owner
        self.settings = settings
        self.staged = staged
        self.sandbox = sandbox
        self.progress = progress
        self.written = 0
        self.embedded = 0
        self.docs_done = 0
        self.docs_total = 0
        self.hashes: dict[str, str] = {}

    def _tick(self, current: str) -> None:
        if self.progress is not None:
            self.progress(
                Progress(
                    documents_done=self.docs_done,
                    documents_total=self.docs_total,
                    chunks_done=self.written,
                    current=current,
                )
            )

    def copy(self, live: str, chunks: Sequence[Chunk], owner: str | None = None) -> None:
        """Copy chunks and their stored vectors from the live version (no re-embedding).

        ``owner`` re-labels them when this run takes the document over (its own, unchanged file).
        """
        for start in range(0, len(chunks), 500):
            part = list(chunks[start : start + 500])
            if owner is not None:
                part = [
                    c if c.owner == owner else c.model_copy(update={"owner": owner}) for c in part
                ]
            vectors = self.index.vectors_for(live, [c.chunk_id for c in part])
            self.index.add(self.staged, part, [vectors[c.chunk_id] for c in part])
            self.written += len(part)
        if chunks:
            self.hashes.setdefault(chunks[0].doc_hash, chunks[0].document)

    def embed(self, chunks: Sequence[Chunk], name: str) -> None:
        """Embed new chunks in batches, adding each batch as soon as it is ready."""
        for start in range(0, len(chunks), EMBED_BATCH):
            part = list(chunks[start : start + EMBED_BATCH])
            vectors = self.index.embedder.embed([embedding_text(c) for c in part])
            self.index.add(self.staged, part, vectors)
            self.written += len(part)
            self.embedded += len(part)
            self._tick(name)

    def document(self, src: SourceFile, live: str | None, old: list[Chunk]) -> DocumentResult:
        """Ingest one file; a per-file problem becomes a failed row, keeping the old chunks."""
        if screen(src.document).sensitive:  # the name is stored, shown and embedded: never that
            self.docs_done += 1
            return DocumentResult(
                document=WITHHELD_NAME,
                status="failed",
                reason="its file name contains patient-identifiable data; rename it and ingest "
                "it again",
            )
        if src.problem:  # e.g. a second file with a name already taken: it never replaces one
            self.docs_done += 1
            return DocumentResult(document=src.document, status="failed", reason=src.problem)
        started = time.monotonic()
        try:
            result = self._document(src, live, old)
        except UnreadableDocument as exc:
            result = DocumentResult(document=src.document, status="failed", reason=exc.reason)
            if old and live:
                self.copy(live, old, self.owner)
                result.reason += " (the previously indexed version is kept)"
        result.seconds = round(time.monotonic() - started, 3)
        self.docs_done += 1
        self._tick(src.document)
        logger.info("document %s: %s, %d chunks", result.status, src.document[-40:], result.chunks)
        return result

    def _document(self, src: SourceFile, live: str | None, old: list[Chunk]) -> DocumentResult:
        name = src.document
        doc_hash = _checked_hash(src.path, name, self.settings.ingest_max_file_mb)
        if old and live and old[0].doc_hash == doc_hash:
            self.copy(live, old, self.owner)
            pages = {c.page for c in old if c.page}
            return DocumentResult(
                document=name, status="unchanged", chunks=len(old), pages=len(pages) or None
            )
        if doc_hash in self.hashes:
            raise UnreadableDocument(name, f"same content as {self.hashes[doc_hash]} (duplicate)")
        assert self.sandbox is not None, "documents are parsed only in a sandboxed child"
        parsed = self.sandbox.parse(src.path, sniff(src.path, name), name)
        chunks, withheld = withhold_patient_data(
            make_chunks(with_names(parsed), document=name, doc_hash=doc_hash, owner=self.owner)
        )
        if not chunks:
            raise UnreadableDocument(name, "every passage contains patient-identifiable data")
        self.embed(chunks, name)
        self.hashes[doc_hash] = name
        return DocumentResult(
            document=name,
            status="updated" if old else "added",
            chunks=len(chunks),
            pages=parsed.pages,
            withheld_pages=withheld,
            reason=_withheld_reason(withheld),
        )


def _withheld_reason(pages: list[str]) -> str:
    if not pages:
        return ""
    return (
        "passages on page(s) " + ", ".join(pages) + " were not indexed because they contain "
        "patient-identifiable data"
    )


# Raised whenever the parsers read a format differently (2: Word bullets keep their "- " mark;
# 3: lines wrapped for width are joined; 4: a PDF table's columns under a group name carry it, a
# Word table keeps its empty cells, a chunk cut inside a table repeats its header; 5: a saved
# email is titled by its subject, one header line per paragraph; 6: initials a document defines
# for a person are written with the name, ``initials.py``, and a Markdown table is read one
# paragraph per row; 7: a plain-text document's rule lines are dropped, a line mostly in capitals
# keeps its line, and initials that are also an acronym are named where the person acts; 8: a
# passage with patient data loses only its flagged paragraphs, a contacts table's rows are a
# service's lines, a plain-text table typed under a rule of dashes is read one row per paragraph,
# and a list of who was there may give each person's initials first; 9: an email thread's quoted
# replies are read as text, its repeated subject, header run-ons and footer dropped, and a list
# indented under a line that introduces it keeps a line per item; 10: columns aligned with no
# rule under them, three rows or more, are one paragraph per row): a document indexed by
# older parsers is then read again on the next ingest, not kept unchanged.
PARSING = 10


def _checked_hash(path: Path, name: str, max_mb: int) -> str:
    """Size checks from ``stat`` before reading a byte, then the file's sha256 with ``PARSING``."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableDocument(name, "file not found or not readable") from exc
    if size == 0:
        raise UnreadableDocument(name, "empty file")
    if size > max_mb * 1024 * 1024:
        raise UnreadableDocument(
            name, f"over the size limit ({size / 1048576:.0f} MB; the limit is {max_mb} MB)"
        )
    return hashlib.sha256(f"{PARSING}:{file_sha256(path)}".encode()).hexdigest()
