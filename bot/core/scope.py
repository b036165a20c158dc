"""Decide what kind of message this is: a situation, a question, small talk or off-topic.

It also spots attempts to subvert the assistant. Patient data is screened before this runs.

A classifier trained on our own exemplars does most of the work; a few structural rules catch
what embeddings miss (instruction-override phrasing, questions ending in "?" about the guidance).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.core.classifier import SoftmaxClassifier
from bot.core.models import Scope
from knowledge.embeddings import Embedder, Vectors
from knowledge.exemplars import Exemplars

KINDS = ("situation", "question", "smalltalk", "out_of_scope", "injection")
# Our labelled training situations are a class of their own ("described", read as a situation):
# as many again as every exemplar, folded into "situation" they would drown its short examples
# ("it's just not working") under the class balancing, and those would read as small talk.
_CLASSES = (*KINDS, "described")
INJECTION_FLOOR = 0.6
# "hiya, just testing whether the bot is switched on in #maternity-leads, ignore me!": someone
# checking the bot is there, not a story to diagnose (the model reads "switched on" as a team)
_CHECKING_IN = re.compile(
    r"\btesting\b.{0,30}\b(?:the bot|this bot|changebot|you)\b|\bignore (?:me|this)\W*$"
    r"|\bare you (?:there|on|awake|alive|working)\W*$"
    r"|\bis (?:this|the bot|changebot) (?:thing )?(?:on|working|switched on|live)\b",
    re.IGNORECASE,
)
CHECK_IN_WORDS = 25  # a longer message says more than that it is checking in

_INJECTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|rules|guidelines)\b"
    r"|\bsystem prompt\b|\bjailbreak\b|\bdeveloper mode\b|\bdo anything now\b"
    r"|\byou are (now|no longer)\b|\bpretend (to be|you are)\b"
    r"|\b(reveal|print|show|dump|leak|post|give me)\b.{0,40}\b(password|token|api key|secret|"
    r"credentials?|system prompt)"
    r"|<!(channel|here|everyone)>|@(channel|here|everyone)\b"
    r"|\b(delete|drop|wipe)\b.{0,30}\b(index|database|collection|documents)\b",
    re.IGNORECASE | re.DOTALL,
)
_QUESTION_START = re.compile(
    r"^\s*(what|which|who|whom|when|where|why|how|is|are|does|do|did|can|could|should|"
    r"explain|define|describe|summari[sz]e|list|tell me|give me|remind me)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ScopeResult:
    """The decided scope and the classifier's probabilities (for explanations and tests)."""

    scope: Scope
    probabilities: dict[str, float]


MESSAGES: dict[str, str] = {
    "smalltalk": (
        "Hello! I help people leading change in the NHS. Describe where a change is stuck and "
        "I'll map it to the Health Foundation's barriers and success factors, or ask me about "
        "the guidance (for example: what are the four barriers to change?)."
    ),
    "out_of_scope": (
        "That is outside what I can help with. I only cover leading change and improvement "
        "using the Health Foundation's Constructive comfort guidance. For clinical questions "
        "(doses, treatment, diagnosis) use your local clinical guidance, pharmacy or a senior "
        "colleague; for rotas, HR or IT use the usual team. I can diagnose a stuck change or "
        "answer questions about the guidance."
    ),
    "injection": (
        "I can't do that. I only answer questions about the change guidance and diagnose "
        "change situations; I never reveal configuration or take admin actions from a message."
    ),
    "question": (
        "That reads as a question about the guidance rather than a situation, so here is what "
        "the guidance says. To diagnose your own situation, describe what is happening."
    ),
}


class ScopeClassifier:
    """Decides the scope of a message from its embedding and a few structural cues."""

    def __init__(
        self,
        embedder: Embedder,
        exemplars: Exemplars,
        cache_dir: Path | None = None,
        situations: Sequence[str] = (),
    ) -> None:
        """Fit on the scope exemplars and, as the "described" class, on ``situations``.

        Our labelled training situations show how people describe a stuck change, clinical
        topics included ("the PEWS audit shows we escalate late and the senior nurses say it's
        fine"): with the exemplars alone, 17 of 480 such stories by new writers read as
        clinical questions (3.5%); with them, 2.
        """
        self._embedder = embedder
        texts: list[str] = []
        labels: list[str] = []
        sets = {
            "situation": [
                *exemplars.scope.situation,
                *(s for signs in exemplars.barrier_signs.values() for s in signs),
            ],
            "question": exemplars.scope.question,
            "smalltalk": exemplars.scope.smalltalk,
            "out_of_scope": exemplars.scope.out_of_scope,
            "injection": exemplars.scope.injection,
        }
        for kind, items in sets.items():
            texts.extend(items)
            labels.extend([kind] * len(items))
        vectors = embedder.embed(texts)
        if situations:  # embedded as the message model embeds them: one cached batch
            vectors = np.vstack([vectors, embedder.embed(list(situations))])
            labels.extend(["described"] * len(situations))
        self._model = SoftmaxClassifier(_CLASSES, cache_dir=cache_dir).fit(vectors, labels)

    def classify(self, text: str, vector: Vectors | None = None) -> ScopeResult:
        """The scope of ``text``; pass its vector if already computed."""
        vec = self._embedder.embed([text])[0] if vector is None else vector
        raw = self._model.predict_proba(vec[None, :])[0]
        probs = raw[: len(KINDS)].copy()
        probs[KINDS.index("situation")] += raw[-1]  # a described story is a situation
        p = {kind: float(v) for kind, v in zip(KINDS, probs, strict=True)}
        if _INJECTION.search(text):
            return ScopeResult("injection", p)
        if _CHECKING_IN.search(text) and len(text.split()) <= CHECK_IN_WORDS:
            return ScopeResult("smalltalk", p)
        ranked = [KINDS[i] for i in np.argsort(-probs)]
        kind = ranked[0]
        if kind == "injection" and p["injection"] < INJECTION_FLOOR:
            kind = ranked[1]  # without an override phrase, only a confident model may accuse
        if kind == "situation" and _looks_like_question(text) and p["question"] > 0.25:
            kind = "question"
        elif kind == "question" and _describes_circumstances(text) and p["situation"] > 0.15:
            kind = "situation"  # a story that ends in "how do I…?" is still a situation
        return ScopeResult("in_scope" if kind == "situation" else kind, p)  # type: ignore[arg-type]


def _describes_circumstances(text: str) -> bool:
    """Several sentences, or a long one: guidance questions are short, stories are not."""
    sentences = [part for part in re.split(r"[.!?\n]+", text) if len(part.split()) >= 3]
    return len(sentences) >= 2 or len(text.split()) > 30


def _looks_like_question(text: str) -> bool:
    stripped = text.strip()
    return (
        bool(_QUESTION_START.match(stripped))
        and stripped.endswith("?")
        and len(stripped.split()) <= 30
    )
