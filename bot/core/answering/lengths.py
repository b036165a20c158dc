"""A document's length, added when a question asks it beside something else and the answer lacks it.

Asked for lengths alone ("how long are the three docs (CC, the mckinsey one, the scan)?"), the
page counts are the whole answer (``lengths_answer``): the passages giving them are spread over
several notes and rarely all rank near the top.

"How long is the supplement, and which organisation produced it for the Health Foundation?" was
answered with who wrote it: the sentences about its authors outranked the one giving its 32
pages, and the page count never appeared. Each document the question names whose length it asks
and the answer does not give gets one sentence, cited to ``contents.yaml``'s page counts.
"""

from __future__ import annotations

import re

from bot.core.answering.extractive import REPORT_LEAD
from bot.core.answering.relevance import named_documents
from bot.core.answering.topics import asked_focus
from bot.core.models import Answer, Citation, Scope
from knowledge.contents import Contents, Length
from knowledge.framework import DOCUMENT_TITLES

# a length asked ("how long is it", "page count", "how many pages"), not a duration ("how long
# did the scan take")
_LENGTH_ASKED = re.compile(
    r"\bhow\s+long\s+(?:is|are|was|were)\b(?![^?.]*\b(?:take|took|last|run\s+for)\b)"
    r"|\bhow\s+many\s+pages\b|\bpage[\s-]*counts?\b|\bpages?\s+long\b|\bnumber\s+of\s+pages\b"
    r"|\bhow\s+long\b[^?.]{0,40}\b(?:pages?|docs?|documents?|reports?|supplement|scan)\b",
    re.IGNORECASE,
)
_DURATION = re.compile(
    r"\bhow\s+long\b[^?.]*\b(?:take|took|taken|last|lasted|spend|spent|run\s+for)\b", re.I
)
_NAMES = {
    "constructive_comfort": "Constructive comfort",
    "supplement": "The supplement",
    "evidence_scan": "The evidence scan",
}


# "how long are the three docs?", "page counts for all the documents": every document
_EVERY_DOCUMENT = re.compile(
    r"\b(?:three|3|all|all\s+the|each\s+of\s+the)\s+(?:docs|documents|reports|papers|pdfs)\b", re.I
)
# a second ask joined on ("… and who produced it?"): not a question about lengths alone
_ANOTHER_ASK = re.compile(
    r"\b(?:and|also|plus)\b[^?.]*\b(?:who|what|which|when|where|why|did|does|do|is|are|was)\b", re.I
)


def lengths_answer(query: str, contents: Contents, scope: Scope) -> Answer | None:
    """The page counts, when the question asks only how long the documents are."""
    focus = asked_focus(query)
    if not _LENGTH_ASKED.search(focus) or _DURATION.search(focus) or _ANOTHER_ASK.search(focus):
        return None
    known = {length.document: length for length in contents.lengths}
    asked = named_documents(focus) or (list(known) if _EVERY_DOCUMENT.search(focus) else [])
    lengths = [known[d] for d in asked if d in known]
    if not lengths:
        return None
    said = " ".join(
        f"{_NAMES[length.document]} runs to {length.pages} pages. [{n}]"
        for n, length in enumerate(lengths, start=1)
    )
    citations = [_citation(n, length) for n, length in enumerate(lengths, start=1)]
    return Answer(scope=scope, answer=f"{REPORT_LEAD} {said}", citations=citations)


def with_lengths(query: str, answer: Answer, contents: Contents) -> Answer:
    """``answer`` with the page count of each named document whose length is asked but not given."""
    if not answer.grounded or not _LENGTH_ASKED.search(query) or _DURATION.search(query):
        return answer
    known = {length.document: length for length in contents.lengths}
    missing = [
        known[d]
        for d in named_documents(query)
        if d in known and not re.search(rf"\b{known[d].pages}\b", answer.answer)
    ]
    if not missing:
        return answer
    n = max((c.n for c in answer.citations), default=0) + 1
    said = " ".join(f"{_NAMES[m.document]} runs to {m.pages} pages." for m in missing)
    sentence = f"{said} [{n}]"
    first, sep, rest = answer.answer.partition("\n\n")
    if first.startswith(REPORT_LEAD):
        text = f"{first} {sentence}{sep}{rest}"
    else:
        text = f"{first}\n\n{REPORT_LEAD} {sentence}" + (f"\n\n{rest}" if rest else "")
    citation = _citation(n, missing[0])
    return answer.model_copy(update={"answer": text, "citations": [*answer.citations, citation]})


def _citation(n: int, length: Length) -> Citation:
    return Citation(
        n=n,
        title=DOCUMENT_TITLES.get(length.source.document, length.source.document),
        document=length.source.document,
        section=length.source.chapter,
        page=None,
        chunk_id=f"contents.yaml#length-{length.document}",
    )
