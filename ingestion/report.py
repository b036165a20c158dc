"""IngestReport: what one ingest run did, per document, in plain words (no document content)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, Field

Status = Literal["added", "updated", "unchanged", "removed", "failed"]
Outcome = Literal["switched", "unchanged", "aborted", "empty"]


class DocumentResult(BaseModel):
    """One document's fate in a run; ``reason`` is safe to show an admin (never file content)."""

    document: str
    status: Status
    reason: str = ""
    chunks: int = 0
    pages: int | None = None
    seconds: float = 0.0
    withheld_pages: list[str] = Field(default_factory=list)


class IngestReport(BaseModel):
    """The outcome of ``ingest``: the new live version (if any) and a row per document."""

    mode: Literal["add", "replace", "remove"]
    outcome: Outcome
    version: str | None = None
    previous: str | None = None
    documents: list[DocumentResult] = Field(default_factory=list)
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    message: str = ""

    def count(self, status: Status) -> int:
        """How many documents ended with ``status``."""
        return sum(1 for d in self.documents if d.status == status)

    @property
    def failed(self) -> list[DocumentResult]:
        """The documents that could not be ingested."""
        return [d for d in self.documents if d.status == "failed"]

    @property
    def ok(self) -> bool:
        """True when the run completed and no document failed."""
        return self.outcome != "aborted" and not self.failed


class Progress(BaseModel):
    """A progress tick for a UI: documents and chunks done so far."""

    documents_done: int
    documents_total: int
    chunks_done: int
    current: str = ""


ProgressCallback = Callable[[Progress], None]
