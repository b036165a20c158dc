"""Pydantic values the core returns to every surface (CLI, Slack): answers and diagnoses."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from knowledge.framework import ApproachId, BarrierId, FactorId, Provenance

Scope = Literal["in_scope", "question", "smalltalk", "out_of_scope", "patient_data", "injection"]
Mode = Literal["offline", "llm"]


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
    score: float = 0.0


class Citation(BaseModel):
    """A numbered citation; ``n`` matches the ``[n]`` marker in the answer text."""

    n: int = Field(ge=1)
    title: str
    document: str
    section: str = ""
    page: str | None = None
    chunk_id: str
    provenance: Provenance = "source"


def citation_for(n: int, passage: Passage) -> Citation:
    """The numbered citation of a retrieved passage."""
    return Citation(
        n=n,
        title=passage.title,
        document=passage.document,
        section=passage.section,
        page=passage.page,
        chunk_id=passage.chunk_id,
        provenance=passage.provenance,
    )


class Answer(BaseModel):
    """A grounded answer to a question about the guidance."""

    scope: Scope = "in_scope"
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    mode: Mode = "offline"
    grounded: bool = True
    note: str = ""


class BarrierFinding(BaseModel):
    """A barrier judged present, with the user's own words that point to it."""

    id: BarrierId
    score: float = Field(ge=0.0, le=1.0)
    evidence: list[str] = Field(default_factory=list)


class FactorFinding(BaseModel):
    """A success factor judged weak."""

    id: FactorId
    score: float = Field(ge=0.0, le=1.0)


class ApproachFinding(BaseModel):
    """An approach type recommended for the situation."""

    id: ApproachId
    score: float = Field(ge=0.0, le=1.0)


class SuggestedAction(BaseModel):
    """A concrete next step drawn from the framework, tied to the user's situation."""

    text: str
    barrier: BarrierId
    approach: ApproachId
    why: str
    source: SourceRef


class Diagnosis(BaseModel):
    """A situation mapped onto the framework (design.md section 3)."""

    scope: Scope = "in_scope"
    barriers: list[BarrierFinding] = Field(default_factory=list)
    factors: list[FactorFinding] = Field(default_factory=list)
    approaches: list[ApproachFinding] = Field(default_factory=list)
    actions: list[SuggestedAction] = Field(default_factory=list)
    follow_up_questions: list[str] = Field(default_factory=list)
    message: str = ""
    mode: Mode = "offline"
    note: str = ""


class Turn(BaseModel):
    """One earlier turn of a conversation (thread or chat), used to rewrite follow-ups."""

    role: Literal["user", "assistant"]
    text: str
