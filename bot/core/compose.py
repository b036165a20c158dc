"""The offline composer: a short answer built from the best sentences of the best passages.

It adds [n] markers that match the citations.

It separates what the report says (provenance "source") from changebot's own reading or
suggestions, and never goes past 150 words before the sources.
"""

from __future__ import annotations

import re

import numpy as np

from bot.core.models import Answer, Citation, Passage
from bot.core.retrieve import Retriever
from bot.core.text import sentences, terms, word_count

MAX_WORDS = 130
MAX_SENTENCES = 4
PASSAGES_USED = 4
_SOURCE_LINE = re.compile(r"^\s*(source|sources)\s*:", re.IGNORECASE)
_HEADING = re.compile(r"^#+\s")
_NAME = re.compile(r"\b[A-Z][a-z]+(?: de| van)? [A-Z][a-z]+\b")
_DATE = re.compile(
    r"\b(19|20)\d{2}\b|\b(January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\b"
)
_NUMBER = re.compile(r"\d")
_ASKS = (
    (re.compile(r"\b(who|author|wrote|written)\b", re.I), _NAME),
    (re.compile(r"\b(when|year|date|published|came out)\b", re.I), _DATE),
    (
        re.compile(r"\b(how (much|many)|percentage|per ?cent|figure|number of|rate)\b", re.I),
        _NUMBER,
    ),
)


def _answer_type_bonus(query: str, sentence: str) -> float:
    """Small lift for sentences carrying the kind of thing asked for (names, dates, numbers)."""
    return sum(0.12 for asks, has in _ASKS if asks.search(query) and has.search(sentence))


def not_covered() -> str:
    """The honest decline, with what changebot does cover."""
    return (
        "The guidance I have doesn't cover that, so I won't guess. I can help with the Health "
        "Foundation's Constructive comfort report (2015), its supplement on transformational "
        "change in NHS providers and the evidence scan on barriers to improvement: the four "
        "barrier areas, the seven success factors, the three approach types and the "
        "recommendations. For clinical questions, please use your local clinical guidance."
    )


def _candidates(passages: list[Passage]) -> list[tuple[int, int, str]]:
    """(passage index, position, sentence) for every usable sentence."""
    out = []
    for p_index, passage in enumerate(passages[:PASSAGES_USED]):
        for position, sentence in enumerate(sentences(passage.text)):
            if _SOURCE_LINE.match(sentence) or _HEADING.match(sentence) or word_count(sentence) < 4:
                continue
            out.append((p_index, position, sentence.strip()))
    return out


def compose_offline(
    query: str, passages: list[Passage], retriever: Retriever, scope: str = "in_scope"
) -> Answer:
    """Pick the sentences that best answer ``query`` and cite where each came from."""
    candidates = _candidates(passages)
    if not candidates:
        return Answer(scope=scope, answer="", grounded=False)
    vectors = retriever.embed([query, *(c[2] for c in candidates)])
    dense = vectors[1:] @ vectors[0]
    q_terms = set(terms(query))
    scores = []
    for (p_index, _pos, sentence), sim in zip(candidates, dense, strict=True):
        overlap = len(q_terms & set(terms(sentence))) / (len(q_terms) or 1)
        scores.append(
            float(sim) + 0.35 * overlap + _answer_type_bonus(query, sentence) - 0.04 * p_index
        )
    picked: list[int] = []
    words = 0
    for i in np.argsort(-np.array(scores)):
        n = word_count(candidates[i][2])
        if len(picked) >= MAX_SENTENCES or (picked and words + n > MAX_WORDS):
            continue
        picked.append(int(i))
        words += n
    picked.sort(key=lambda i: (candidates[i][0], candidates[i][1]))
    return _render(picked, candidates, passages, scope)


def _render(
    picked: list[int], candidates: list[tuple[int, int, str]], passages: list[Passage], scope: str
) -> Answer:
    numbers: dict[int, int] = {}
    citations: list[Citation] = []
    report: list[str] = []
    ours: list[str] = []
    for i in picked:
        p_index, _pos, sentence = candidates[i]
        if p_index not in numbers:
            numbers[p_index] = len(numbers) + 1
            p = passages[p_index]
            citations.append(
                Citation(
                    n=numbers[p_index],
                    title=p.title,
                    document=p.document,
                    section=p.section,
                    page=p.page,
                    chunk_id=p.chunk_id,
                    provenance=p.provenance,
                )
            )
        text = f"{sentence.rstrip('.')}. [{numbers[p_index]}]"
        (report if passages[p_index].provenance == "source" else ours).append(text)
    parts = []
    if report:
        parts.append("The guidance says: " + " ".join(report))
    if ours:
        parts.append("changebot suggests (our reading, not the report's words): " + " ".join(ours))
    return Answer(scope=scope, answer="\n\n".join(parts), citations=citations)
