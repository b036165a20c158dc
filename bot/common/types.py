"""Value types shared by every layer: where a piece of guidance comes from and what was retrieved.

They live in the leaf package so that the knowledge index (which stores passages) and the core
(which cites them) agree on one shape without the lower layer importing the higher one.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Provenance = Literal["source", "interpretation", "suggestion"]


class SourceRef(BaseModel):
    """Where a suggestion or passage comes from."""

    model_config = ConfigDict(frozen=True)

    document: str
    title: str = ""
    section: str = ""
    page: str | None = None
    provenance: Provenance = "source"


class Passage(BaseModel):
    """One retrieved chunk of guidance with its position and score."""

    model_config = ConfigDict(frozen=True)

    chunk_id: str
    text: str
    title: str
    document: str
    section: str = ""
    page: str | None = None
    provenance: Provenance = "source"
    origin: str = ""
    owner: str = ""  # "bundled" (changebot's notes) or "admin" (a trust's own documents)
    score: float = 0.0
