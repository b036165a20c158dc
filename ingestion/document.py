"""What a loader returns: plain text blocks with their positions, before chunking.

Kept as pydantic so a parsed document can cross the boundary from the parsing child process as
JSON (no pickle, so a hostile file cannot smuggle objects into the parent).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["pdf", "docx", "html", "markdown", "text"]


class Block(BaseModel):
    """A run of text that shares one section path and one page."""

    model_config = ConfigDict(frozen=True)

    text: str
    section: tuple[str, ...] = ()
    page: int | None = None


class ParsedDocument(BaseModel):
    """A whole document as text blocks in reading order, plus what it says about itself."""

    kind: Kind
    title: str
    blocks: list[Block] = Field(default_factory=list)
    pages: int | None = None
    front_matter: dict[str, str] = Field(default_factory=dict)

    def char_count(self) -> int:
        """Visible characters across blocks (zero means nothing worth indexing)."""
        return sum(len(b.text.strip()) for b in self.blocks)
