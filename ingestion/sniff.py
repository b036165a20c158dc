"""File type by magic bytes, not by extension: a PDF named .docx is still a PDF.

Binary formats are recognised by their signatures; text formats by their first bytes (HTML tags,
front matter). The extension only separates Markdown from plain text, which are both text.

This runs in the bot's own process, so it reads the first few kilobytes and nothing else: a zip
file is only *called* a Word document here. Its directory (entry count, declared sizes, whether
``word/document.xml`` is there) is read by ``ingestion.word`` inside the sandboxed parsing child,
where a hostile directory (a bomb of entries or sizes) can only hurt a process with limits.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.common.errors import UnreadableDocument
from ingestion.document import Kind
from ingestion.text import decode, looks_binary

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OTHER_BINARY = {
    b"\x7fELF": "a program, not a document",
    b"MZ": "a program, not a document",
    b"\x89PNG": "an image: supply a PDF or Word document with a text layer",
    b"\xff\xd8\xff": "an image: supply a PDF or Word document with a text layer",
    b"GIF8": "an image: supply a PDF or Word document with a text layer",
    b"\x1f\x8b": "a compressed archive: unpack it first",
    b"Rar!": "a compressed archive: unpack it first",
    b"7z\xbc\xaf": "a compressed archive: unpack it first",
    b"{\\rtf": "a Rich Text file: save it as .docx or PDF",
}
_HTML = re.compile(rb"<\s*(!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_MARKDOWN_EXT = {".md", ".markdown", ".mdown"}
HEAD_BYTES = 8192


def sniff(path: Path, name: str) -> Kind:
    """The kind of document at ``path``; ``UnreadableDocument`` for anything we cannot read."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head.strip(b" \t\r\n\x00"):
        raise UnreadableDocument(name, "empty file")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"  # the parsing child checks the zip directory and refuses non-Word zips
    if head.startswith(OLE_MAGIC):
        raise UnreadableDocument(
            name, "password-protected or old-format Office file: save it as an unprotected .docx"
        )
    for magic, what in _OTHER_BINARY.items():
        if head.startswith(magic):
            raise UnreadableDocument(name, f"unsupported type ({what})")
    if looks_binary(head):
        raise UnreadableDocument(
            name, "unsupported type (not a PDF, Word, HTML, Markdown or text file)"
        )
    return _text_kind(head, path)


def _text_kind(head: bytes, path: Path) -> Kind:
    text = decode(head).lstrip()
    if _HTML.search(text[:2048].encode("utf-8", "replace")):
        return "html"
    if path.suffix.lower() in _MARKDOWN_EXT or text.startswith("---\n"):
        return "markdown"
    return "text"
