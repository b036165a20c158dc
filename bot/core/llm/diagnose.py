"""Diagnose a situation with the language model, then validate and merge with the offline reading.

Why it is built this way: the model proposes, the framework and the user's own words decide.
The schema only admits framework ids (Literal types, including the action ids of this framework)
and short, bounded fields, which also keeps weak local models on the rails. Then:

- an evidence quote survives only if it is really in the user's text;
- a barrier the offline method did not see is added only with at least one real quote;
- factors and approaches are added only when they relate to a barrier in the result;
- scores are clipped to [0, 1] and averaged with the offline score where both exist;
- actions are always framework actions (chosen by id), never model-written text.

The model's reply never becomes free text for the user. Any failure raises ``LLMUnavailable`` and
the caller keeps the offline diagnosis with a note.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

import prompts
from bot.common.errors import LLMUnavailable
from bot.core.llm.evidence import real_spans
from bot.core.llm.merge import merge
from bot.core.llm.output_filter import delimit
from bot.core.models import Diagnosis
from bot.llm.client import LLMClient
from knowledge.framework import ApproachId, BarrierId, FactorId, Framework

logger = logging.getLogger(__name__)

Quote = Annotated[str, Field(max_length=200)]
NOTHING_USABLE = (
    "The language model's reading did not match your words, so this reply comes from "
    "changebot's offline method."
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore")


class LLMBarrier(_Strict):
    """A barrier the model sees, with quotes from the user's text."""

    id: BarrierId
    score: float
    evidence: list[Quote] = Field(default_factory=list, max_length=3)


class LLMFactor(_Strict):
    """A success factor the model judges weak."""

    id: FactorId
    score: float


class LLMApproach(_Strict):
    """An approach type the model recommends."""

    id: ApproachId
    score: float


class LLMDiagnosis(_Strict):
    """What the model must return; ``action_ids`` is narrowed to the framework's ids per call."""

    barriers: list[LLMBarrier] = Field(default_factory=list, max_length=4)
    factors: list[LLMFactor] = Field(default_factory=list, max_length=7)
    approaches: list[LLMApproach] = Field(default_factory=list, max_length=3)
    action_ids: list[str] = Field(default_factory=list, max_length=6)


@lru_cache(maxsize=4)
def schema_for(action_ids: tuple[str, ...]) -> type[LLMDiagnosis]:
    """LLMDiagnosis with ``action_ids`` restricted to these framework action ids."""
    action_id: Any = Literal[action_ids] if action_ids else str
    return create_model(
        "LLMDiagnosis",
        __base__=LLMDiagnosis,
        action_ids=(list[action_id], Field(default_factory=list, max_length=6)),
    )


def llm_diagnose(
    situation: str, offline: Diagnosis, framework: Framework, llm: LLMClient
) -> Diagnosis:
    """The offline diagnosis refined by the model; LLMUnavailable when the model adds nothing."""
    if offline.scope != "in_scope":
        return offline  # refusals (patient data, clinical, injection) never reach a model
    actions = tuple(a.id for b in framework.barriers for a in b.actions)
    system = prompts.render("diagnose", canary=llm.canary, **_catalogue(framework))
    user = f"<situation>{delimit(situation)}</situation>"
    reply = llm.structured([("system", system), ("user", user)], schema_for(actions))
    for barrier in reply.barriers:
        barrier.evidence = real_spans(situation, barrier.evidence)
    offline_ids = {b.id for b in offline.barriers}
    accepted = [b for b in reply.barriers if b.evidence or b.id in offline_ids]
    logger.info(
        "llm diagnosis: %d barrier(s) proposed, %d accepted", len(reply.barriers), len(accepted)
    )
    if reply.barriers and not accepted:
        raise LLMUnavailable(NOTHING_USABLE)
    reply.barriers = accepted
    return merge(offline, reply, framework)


def _catalogue(framework: Framework) -> dict[str, str]:
    """The framework's ids and meanings for the prompt (our own text), kept short.

    Small local models take about 10 s per thousand prompt tokens, so factor and approach
    meanings are trimmed and actions are listed by their (descriptive) ids per barrier.
    """
    return {
        "barriers": "\n".join(f"- {b.id}: {b.definition.text}" for b in framework.barriers),
        "factors": "\n".join(f"- {f.id}: {_short(f.definition.text)}" for f in framework.factors),
        "approaches": "\n".join(
            f"- {a.id}: {_short(a.definition.text)}" for a in framework.approaches
        ),
        "actions": "\n".join(
            f"- {b.id}: {', '.join(a.id for a in b.actions)}" for b in framework.barriers
        ),
    }


def _short(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "\u2026"
