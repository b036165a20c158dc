"""Questions that set the documents side by side ("which of the three is shortest?").

"main report vs supplement: who wrote which, and how long is each?" is answered by one sentence
per document stating that fact; the retrieval for the whole question brings back whichever
document's sentences rank best and usually misses one. So each document is looked up on its
own, and its sentence is kept only when it names that document (or comes from its own notes) and
states the fact asked: a page count, authors, or a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.answering.relevance import (
    DOCUMENT_NAMES,
    first_named_at,
    from_document,
    is_fragment,
    is_meta,
    named_documents,
    names_document,
    sentence_scores,
)
from bot.core.answering.retrieve import Retriever
from bot.core.models import Passage

ALL_DOCUMENTS = ("constructive_comfort", "supplement", "evidence_scan")
# "which of the three docs …", "each one", "all three": every document, none named
_EVERY_DOCUMENT = re.compile(
    r"\b(?:(?:the|all|of the) (?:three|3)(?: (?:docs?|documents|publications|papers|pieces|"
    r"reports))?|all of them|each (?:one|document|doc|of them))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Fact:
    """A fact asked of each document: how it is asked, how a sentence states it, how to look."""

    asked: re.Pattern[str]
    stated: re.Pattern[str]
    search: str


_FACTS = (
    _Fact(
        re.compile(r"\b(pages?|long|longest|length|short|shortest|shorter|longer)\b", re.I),
        re.compile(r"\b\d+ pages\b", re.I),
        "how many pages is the {name}",
    ),
    _Fact(
        re.compile(r"\b(who wrote|wrote|written|authors?|who did|by whom)\b", re.I),
        re.compile(r"\b(written by|wrote|authors? (?:is|are|was|were)|by Dr|by the)\b", re.I),
        "who wrote the {name}",
    ),
    _Fact(
        re.compile(r"\b(when|published|came out|dates?|dated|year)\b", re.I),
        re.compile(
            r"\b(?:January|February|March|April|May|June|July|August|September|October|"
            r"November|December) \d{4}\b",
        ),
        "when was the {name} published",
    ),
)


@dataclass(frozen=True)
class DocumentSentence:
    """One document's sentence stating the fact asked, and the passage it is cited from."""

    document: str
    text: str
    passage: Passage


# "main report vs supplement", "the same people as", "by mckinsey as well": two named documents
# set against each other ("the scan that went alongside the report" only places one)
_COMPARING = re.compile(
    r"\b(vs\.?|versus|compar\w*|differ\w*|each|both|same|as well|too|which|longer|shorter|"
    r"longest|shortest|respectively)\b",
    re.IGNORECASE,
)


def documents_compared(query: str) -> list[str]:
    """The documents a question sets side by side on a fact about them, in the order named."""
    if not any(fact.asked.search(query) for fact in _FACTS):
        return []
    named = named_documents(query)
    if len(named) >= 2 and _COMPARING.search(query):
        return sorted(named, key=lambda document: first_named_at(query, document))
    return list(ALL_DOCUMENTS) if _EVERY_DOCUMENT.search(query) else []


def per_document(query: str, documents: list[str], retriever: Retriever) -> list[DocumentSentence]:
    """For each document and each fact asked, its best sentence stating that fact."""
    chosen: list[DocumentSentence] = []
    for document in documents:
        for fact in _FACTS:
            if not fact.asked.search(query):
                continue
            found = _stating(document, fact, retriever)
            if found is not None and all(found.text != c.text for c in chosen):
                chosen.append(found)
    return chosen


def _stating(document: str, fact: _Fact, retriever: Retriever) -> DocumentSentence | None:
    search = fact.search.format(name=DOCUMENT_NAMES[document])
    found = retriever.search(search, k=4)
    others = [d for d in ALL_DOCUMENTS if d != document]
    best: tuple[float, DocumentSentence] | None = None
    for passage, (sents, vecs) in zip(
        found.passages, retriever.sentences.get(found.passages), strict=True
    ):
        own = from_document(passage.origin or passage.title, [document])
        scores = sentence_scores(search, found.query_vector, sents, vecs, found.idf)
        for score, sentence in zip(scores, sents, strict=True):
            if is_meta(sentence) or is_fragment(sentence) or not fact.stated.search(sentence):
                continue
            if names_document(sentence, others) or not (
                own or names_document(sentence, [document])
            ):
                continue  # another document's fact, or one that may be about any of them
            if best is None or score > best[0]:
                best = (float(score), DocumentSentence(document, sentence, passage))
    return best[1] if best else None
