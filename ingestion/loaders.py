"""One loader per format, behind one ``load_document`` that routes by sniffed type.

Loaders turn bytes into ``ParsedDocument`` (text blocks with page and heading positions) and raise
``UnreadableDocument`` with a plain reason for anything they cannot read. They run inside the
parsing child process (see ``sandbox``), never in the bot's own process.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.common.errors import UnreadableDocument
from ingestion.document import Kind, ParsedDocument
from ingestion.markdown import load_markdown, load_text

__all__ = ["load_document", "load_markdown", "load_text", "load_pdf", "load_docx", "load_html"]


def load_pdf(path: Path, name: str) -> ParsedDocument:
    """PDF via pdfminer.six, page by page (see ``ingestion.pdf``)."""
    from ingestion.pdf import load_pdf as _load

    return _load(path, name)


def load_docx(path: Path, name: str) -> ParsedDocument:
    """Word .docx via python-docx after zip-bomb and XXE checks (see ``ingestion.docx``)."""
    from ingestion.word import load_docx as _load

    return _load(path, name)


def load_html(data: bytes, name: str) -> ParsedDocument:
    """HTML main content only (see ``ingestion.html``)."""
    from ingestion.html import load_html as _load

    return _load(data, name)


def _from_bytes(
    loader: Callable[[bytes, str], ParsedDocument],
) -> Callable[[Path, str], ParsedDocument]:
    return lambda path, name: loader(path.read_bytes(), name)


_LOADERS: dict[Kind, Callable[[Path, str], ParsedDocument]] = {
    "pdf": load_pdf,
    "docx": load_docx,
    "html": _from_bytes(load_html),
    "markdown": _from_bytes(load_markdown),
    "text": _from_bytes(load_text),
}


def load_document(path: Path, kind: Kind, name: str) -> ParsedDocument:
    """Parse ``path`` as ``kind``; the result always has some text, or this raises."""
    parsed = _LOADERS[kind](path, name)
    if parsed.char_count() == 0:
        raise UnreadableDocument(name, "contains no text")
    return parsed
