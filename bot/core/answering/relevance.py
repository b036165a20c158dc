"""How well a sentence answers a question: meaning, shared terms, and the kind of thing asked.

Shared by the reranker and the offline composer so both judge sentences the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

from bot.core.wording import terms
from knowledge.embeddings import Vectors

_AUTHORSHIP = re.compile(
    r"\b(written by|wrote|authors?|co-?authors?|by Dr|edited by|led by|leads|is led|run by|"
    r"owned by|owns|chaired by|chairs|responsible for|lead (nurse|clinician|manager))\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b(19|20)\d{2}\b|\b(January|February|March|April|May|June|July|August|"
    r"September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday|weekly|monthly|fortnightly|\d{1,2}(am|pm|:\d{2}))\b"
)
_NUMBER = re.compile(r"\d")
_ASKS = (
    (re.compile(r"\b(who|whom|author|authors|wrote|written)\b", re.I), _AUTHORSHIP),
    (re.compile(r"\b(when|year|date|published|came out|how often|what time)\b", re.I), _DATE),
    (
        re.compile(r"\b(how (much|many)|percentage|per ?cent|figure|number of|rate)\b", re.I),
        _NUMBER,
    ),
)
# When a question names a document, passages from that document are preferred.
_DOCUMENT_CUES = (
    (
        re.compile(r"\b(the report|constructive comfort|main report)\b", re.I),
        "constructive comfort",
    ),
    (
        re.compile(r"\b(supplement|transformational change|mckinsey)\b", re.I),
        "transformational change",
    ),
    (re.compile(r"\b(evidence scan|the scan|getting in the way)\b", re.I), "getting in the way"),
)
DOCUMENT_BONUS = 0.08
OVERLAP_WEIGHT = 0.35
TYPE_BONUS = 0.25


_COUNT = re.compile(r"\b\d[\d,.]*\s?(%|per ?cent|[a-z]{3,})")
_NAME = re.compile(r"\b[A-Z][a-z]+ (?:[A-Z]\.? )?[A-Z][a-z]+\b")
CARRIES: dict[str, re.Pattern[str]] = {"when": _DATE, "how_many": _NUMBER}


def carries_answer(form: str | None, sentence: str, strict: bool = True) -> bool:
    """Whether ``sentence`` holds the kind of thing a who/when/how-many question asks for.

    For *who*, ``strict`` wants a role cue ("led by", "owns", "wrote"); the looser pass accepts
    any two capitalised words, which also matches place names.
    """
    if form == "who":
        return bool(_AUTHORSHIP.search(sentence) or (not strict and _NAME.search(sentence)))
    if form == "how_many" and strict:  # a count of something, not the day of a date
        return bool(_COUNT.search(sentence))
    pattern = CARRIES.get(form or "")
    return bool(pattern and pattern.search(sentence))


def answer_type_bonus(query: str, sentence: str) -> float:
    """A lift for sentences carrying what was asked for (names, dates or numbers)."""
    return sum(TYPE_BONUS for asks, has in _ASKS if asks.search(query) and has.search(sentence))


def sentence_scores(
    query: str,
    query_vector: Vectors,
    sentences: list[str],
    vectors: Vectors,
    idf: Mapping[str, float] | None = None,
) -> Vectors:
    """One relevance score per sentence; shared rare terms count more than common ones."""
    if not sentences:
        return np.zeros(0, dtype=np.float32)
    weights = {t: (idf or {}).get(t, 1.0) for t in set(terms(query))}
    total = sum(weights.values()) or 1.0
    sims = vectors @ query_vector
    extra = [
        OVERLAP_WEIGHT * sum(weights[t] for t in weights.keys() & set(terms(s))) / total
        + answer_type_bonus(query, s)
        for s in sentences
    ]
    result: Vectors = (sims + np.array(extra, dtype=np.float32)).astype(np.float32)
    return result


def document_bonus(query: str, origin: str) -> float:
    """A lift for passages from the document the question names ("the scan", "the report")."""
    low = origin.lower()
    named = [key for cue, key in _DOCUMENT_CUES if cue.search(query)]
    return DOCUMENT_BONUS if named and any(key in low for key in named) else 0.0
