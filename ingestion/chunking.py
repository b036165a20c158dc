"""Heading- and paragraph-aware chunks measured in the embedding model's own tokens.

MiniLM silently truncates at 256 tokens, so a chunk measured in words or tiktoken tokens can lose
its tail without anyone noticing. We split on paragraphs, then lines, sentences and words with a
MiniLM token counter, aiming at <=220 tokens with ~30 tokens of overlap, and hard-cap at 256.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import time
from collections.abc import Callable, Iterator
from functools import lru_cache

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ingestion.document import Block, ParsedDocument
from knowledge.embeddings import MAX_TOKENS, TokenCounter
from knowledge.framework import DOCUMENT_TITLES
from knowledge.index import Chunk

TARGET_TOKENS = 220
OVERLAP_TOKENS = 30
SECTION_SEPARATOR = " > "


@lru_cache(maxsize=1)
def token_counter() -> Callable[[str], int]:
    """The shared MiniLM token counter (loading the tokenizer takes ~50 ms)."""
    return TokenCounter()


def _splitter(chunk_size: int) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        chunk_size=chunk_size,
        chunk_overlap=OVERLAP_TOKENS,
        length_function=token_counter(),
        separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""],
        keep_separator="end",
    )


def split_text(text: str) -> list[str]:
    """Pieces of ``text`` each within the model's window (<=220 tokens aimed, 256 guaranteed)."""
    count = token_counter()
    pieces = [p.strip() for p in _splitter(TARGET_TOKENS).split_text(text) if p.strip()]
    out: list[str] = []
    for piece in pieces:
        if count(piece) <= MAX_TOKENS:
            out.append(piece)
        else:  # token counts are not additive; re-split the rare overshoot more finely
            out.extend(p.strip() for p in _splitter(TARGET_TOKENS // 2).split_text(piece))
    return [p for p in out if p]


_RULE = re.compile(r"\|?[\s:|-]*-[\s:|-]*\|?")


def with_table_headers(pieces: list[str]) -> list[str]:
    """Pieces where one cut inside a table starts again with that table's header row.

    "Lower GI | 64.3% | 62.1% | 59.8%" means nothing without "Tumour site | Jul 2025 | Aug
    2025 | Sep 2025" above it: a chunk that starts in a table's rows gets its header back.
    """
    count = token_counter()
    out: list[str] = []
    header: str | None = None  # the header of the table the last piece ended in
    for piece in pieces:
        lines = [line for line in piece.splitlines() if line.strip()]
        if header and lines and " | " in lines[0] and header not in piece:
            joined = f"{header}\n\n{piece}"
            piece = joined if count(joined) <= MAX_TOKENS else piece
        header, in_table = None, False
        for line in piece.splitlines():
            if not line.strip() or (in_table and _RULE.fullmatch(line.strip())):
                continue  # Markdown's "|---|---|" under the header is not a row
            if " | " in line and not in_table:
                header = line
            in_table = " | " in line
        header = header if in_table else None
        out.append(piece)
    return out


# a contact a heading gives: "## The 24-hour triage line: 01632 960 418", "Contact: pals@…"
_CONTACT_IN_HEADING = re.compile(
    r"\b0\d{3,4}[ -]?\d{3}[ -]?\d{3,4}\b|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\bext(?:ension|n)?\.?\s*\d{3,5}\b",
    re.IGNORECASE,
)


def _groups(blocks: list[Block]) -> Iterator[tuple[tuple[str, ...], int | None, str]]:
    """Consecutive blocks with the same section and page, joined: a chunk never spans pages.

    A heading that gives a contact is also the first line of its section's text: "The 24-hour
    triage line: 01632 960 418" is the only place a leaflet writes its number, and an answer
    quotes sentences, not the heading path.
    """
    headed: set[tuple[str, ...]] = set()
    for (section, page), run in itertools.groupby(blocks, key=lambda b: (b.section, b.page)):
        text = "\n\n".join(b.text for b in run)
        heading = section[-1] if section else ""
        if section not in headed and _CONTACT_IN_HEADING.search(heading) and heading not in text:
            text = f"{heading.rstrip('.:')}.\n\n{text}"
        headed.add(section)
        yield section, page, text


def sha256_text(text: str) -> str:
    """Hex sha256 of UTF-8 text (content hashes make re-ingest idempotent)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_chunks(
    parsed: ParsedDocument,
    *,
    document: str,
    doc_hash: str,
    ingested_at: float | None = None,
    owner: str = "admin",
) -> list[Chunk]:
    """Chunks with everything a citation needs: document, title, section path, page, provenance.

    ``chunk_id`` is derived from the file's hash and the chunk's position, so an unchanged file
    always yields the same ids and a changed one never collides with its old chunks.
    """
    meta = parsed.front_matter
    origin = DOCUMENT_TITLES.get(meta.get("document", ""), "") or parsed.title
    provenance = meta.get("provenance", "").strip() or "source"
    when = time.time() if ingested_at is None else ingested_at
    chunks: list[Chunk] = []
    for section, page, text in _groups(parsed.blocks):
        for piece in with_table_headers(split_text(text)):
            chunks.append(
                Chunk(
                    chunk_id=f"{doc_hash[:12]}-{len(chunks):04d}",
                    text=piece,
                    document=document,
                    title=parsed.title,
                    section=SECTION_SEPARATOR.join(section),
                    page=str(page) if page is not None else None,
                    provenance=provenance,
                    origin=origin,
                    owner=owner,
                    content_hash=sha256_text(piece),
                    doc_hash=doc_hash,
                    ingested_at=when,
                )
            )
    return chunks
