"""Strict pydantic model of ``contents.yaml``: the companion documents' contents pages.

"what is chapter 5 of the supplement called?" or "which page does 'What good looks like' start
on, and what's the chapter after it?" is answered by a row of a contents page, which retrieval
over sentences finds only in part. Only the answering code reads this file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from knowledge.framework import DocumentId, Source, load_validated

DEFAULT_PATH = Path(__file__).with_name("contents.yaml")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Part(_Strict):
    """One row of a contents page: a chapter (numbered or not), its title and first page."""

    number: int | None = Field(default=None, ge=1)
    title: str = Field(min_length=3)
    page: int = Field(ge=1)
    about: str = Field(min_length=3)


class DocumentContents(_Strict):
    """A document's contents page, in order, with where the list comes from."""

    document: DocumentId
    source: Source
    parts: tuple[Part, ...] = Field(min_length=2)


class Length(_Strict):
    """How many pages a document runs to, and where that count comes from."""

    document: DocumentId
    pages: int = Field(ge=1)
    source: Source


class Contents(_Strict):
    """The contents pages changebot knows (Constructive comfort's own is not among them)."""

    documents: tuple[DocumentContents, ...] = Field(min_length=1)
    lengths: tuple[Length, ...] = ()

    def of(self, document: DocumentId) -> DocumentContents | None:
        """The contents of ``document``, if known."""
        return next((d for d in self.documents if d.document == document), None)


def load_contents(path: Path = DEFAULT_PATH) -> Contents:
    """Load and validate the contents file, naming the file and field on any error."""
    return load_validated(path, Contents)


@lru_cache(maxsize=4)
def default_contents(path: Path = DEFAULT_PATH) -> Contents:
    """The bundled contents file, loaded once per process."""
    return load_contents(path)
