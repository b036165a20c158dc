"""Placeholder loader, replaced in the next commit."""

from __future__ import annotations

from pathlib import Path

from bot.errors import UnreadableDocument
from ingestion.document import ParsedDocument


def load_docx(source: Path | bytes, name: str) -> ParsedDocument:
    """Not supported yet."""
    raise UnreadableDocument(name, "unsupported type (not yet supported)")
