"""The offline composer: a short answer built from the best sentences of the best passages.

Sentences are chosen by the same relevance the reranker uses, kept in order of relevance, and
marked [n] to match the citations. What the report says (provenance "source") is kept apart from
changebot's own reading or suggestions, and the answer never passes 150 words before the sources.
"""

from __future__ import annotations

from bot.core.answering.question_form import question_form
from bot.core.answering.relevance import carries_answer, sentence_scores
from bot.core.answering.retrieve import Retrieval, Retriever
from bot.core.models import Answer, Citation, Passage, citation_for
from bot.core.wording import word_count

MAX_WORDS = 120
MAX_SENTENCES = 4
PASSAGES_USED = 5
RANK_PENALTY = 0.03
REPORT_LEAD = "The guidance says:"
OURS_LEAD = "changebot suggests (our reading, not the report's words):"


def not_covered() -> str:
    """The honest decline, with what changebot does cover."""
    return (
        "The guidance I have doesn't cover that, so I won't guess. I can help with the Health "
        "Foundation's Constructive comfort report (2015), its supplement on transformational "
        "change in NHS providers and the evidence scan on barriers to improvement: the four "
        "barrier areas, the seven success factors, the three approach types and the "
        "recommendations. For clinical questions, please use your local clinical guidance."
    )


def compose_offline(
    query: str, retrieval: Retrieval, retriever: Retriever, scope: str = "in_scope"
) -> Answer:
    """Pick the sentences that best answer ``query`` and cite where each came from."""
    passages = retrieval.passages[:PASSAGES_USED]
    candidates: list[tuple[float, int, str]] = []
    for rank, (sents, vecs) in enumerate(retriever.sentences.get(passages)):
        scores = sentence_scores(query, retrieval.query_vector, sents, vecs, retrieval.idf)
        candidates += [
            (float(sc) - RANK_PENALTY * rank, rank, s) for sc, s in zip(scores, sents, strict=True)
        ]
    picked: list[tuple[int, str]] = []
    words = len(OURS_LEAD.split()) + len(REPORT_LEAD.split())
    for _score, rank, sentence in sorted(candidates, key=lambda c: -c[0]):
        n = word_count(sentence) + 1
        if len(picked) >= MAX_SENTENCES or (picked and words + n > MAX_WORDS):
            continue
        picked.append((rank, sentence))
        words += n
    if not picked:
        return Answer(scope=scope, answer="", grounded=False)
    return _render(lead_with_answer(picked, question_form(query)), passages, scope)


def lead_with_answer(picked: list[tuple[int, str]], form: str | None) -> list[tuple[int, str]]:
    """Who, when and how-many questions lead with the sentence holding the name, date or number.

    The best-scoring sentence is often the one that shares most words with the question (a
    definition of the service asked about); the answer is the one that carries what was asked.
    """
    for strict in (True, False):
        carrying = [i for i, (_rank, s) in enumerate(picked) if carries_answer(form, s, strict)]
        if carrying:  # from the best-ranked passage (retrieval prefers the document named)
            i = min(carrying, key=lambda k: picked[k][0])
            return [picked[i], *picked[:i], *picked[i + 1 :]]
    return picked


def _render(picked: list[tuple[int, str]], passages: list[Passage], scope: str) -> Answer:
    numbers: dict[int, int] = {}
    citations: list[Citation] = []
    report: list[str] = []
    ours: list[str] = []
    for rank, sentence in picked:
        if rank not in numbers:
            numbers[rank] = len(numbers) + 1
            citations.append(citation_for(numbers[rank], passages[rank]))
        text = f"{sentence.rstrip('.')}. [{numbers[rank]}]"
        (report if passages[rank].provenance == "source" else ours).append(text)
    parts = []
    if report:
        parts.append(f"{REPORT_LEAD} " + " ".join(report))
    if ours:
        parts.append(f"{OURS_LEAD} " + " ".join(ours))
    return Answer(scope=scope, answer="\n\n".join(parts), citations=citations)
