"""Pydantic values the core returns to every surface (CLI, Slack): answers and diagnoses."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from bot.common.types import Passage, Provenance, SourceRef
from knowledge.framework import ApproachId, BarrierId, FactorId

__all__ = [
    "Answer",
    "ApproachFinding",
    "BarrierFinding",
    "Citation",
    "Diagnosis",
    "FactorFinding",
    "Passage",
    "Reply",
    "SourceRef",
    "SuggestedAction",
    "Turn",
    "citation_for",
]

Scope = Literal["in_scope", "question", "smalltalk", "out_of_scope", "patient_data", "injection"]
Mode = Literal["offline", "llm"]


class Citation(BaseModel):
    """A numbered citation; ``n`` matches the ``[n]`` marker in the answer text."""

    n: int = Field(ge=1)
    title: str
    document: str
    section: str = ""
    page: str | None = None
    chunk_id: str
    provenance: Provenance = "source"
    owner: str = ""


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
        owner=passage.owner,
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
    """A concrete next step drawn from the framework, tied to the user's situation.

    ``id`` is the framework action's id, so plans and outcomes ("tried by 9 teams") count one
    action however its card was rendered; empty only for an action built outside the framework.
    """

    text: str
    id: str = ""
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


class Reply(BaseModel):
    """What ``respond`` returns to every surface: an answer, a diagnosis, or a short notice."""

    kind: Literal["answer", "diagnosis", "notice"]
    scope: Scope = "question"
    answer: Answer | None = None
    diagnosis: Diagnosis | None = None
    notice: str = ""

    @classmethod
    def of_answer(cls, answer: Answer) -> Reply:
        """An answer (a decline is an answer with ``grounded`` false)."""
        return cls(kind="answer", scope=answer.scope, answer=answer)

    @classmethod
    def of_diagnosis(cls, diagnosis: Diagnosis) -> Reply:
        """A diagnosis; one that reports another scope becomes a notice with its message."""
        if diagnosis.scope != "in_scope":
            return cls.notice_of(diagnosis.scope, diagnosis.message)
        return cls(kind="diagnosis", scope="in_scope", diagnosis=diagnosis)

    @classmethod
    def notice_of(cls, scope: Scope, text: str) -> Reply:
        """A short notice: patient data refused, a greeting, off-topic or an attempt to subvert."""
        return cls(kind="notice", scope=scope, notice=text)

    def as_answer(self) -> Answer:
        """The reply in ``ask``'s shape (a notice becomes an ungrounded answer)."""
        if self.answer is not None:
            return self.answer
        return Answer(scope=self.scope, answer=self.notice, grounded=False)

    def as_diagnosis(self) -> Diagnosis:
        """The reply in ``diagnose``'s shape (a notice becomes a diagnosis with its message)."""
        if self.diagnosis is not None:
            return self.diagnosis
        return Diagnosis(scope=self.scope, message=self.notice)
