"""Turn a follow-up ("and what about the second one?") into a standalone question.

With no conversation before it, a bare fact about a document ("launch date exactly?", "who wrote
it?") is about the report itself: changebot's guidance is about Constructive comfort.
"""

from __future__ import annotations

import re

from bot.core.answering.relevance import MAIN_DOCUMENT, asks_a_document_fact, named_documents
from bot.core.answering.topics import asked_focus, topical_terms
from bot.core.models import Turn
from bot.core.wording import terms

THE_REPORT = "Constructive comfort"
_FACT_WORDS = frozenset(
    terms("page pages length run author authors title reference citation publication")
)

_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
    "6th": 6,
    "7th": 7,
    "last": -1,
}
_ORDINAL = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\b(?: one)?|\bnumber (\d)\b", re.I)
_FOLLOW_UP = re.compile(
    r"^\s*(and|what about|how about|tell me more|more on|why|so|ok|"
    r"what else)\b|\b(it|that|this|those|them|these|one)\b"
    # "this yr", "this morning": when, not what was said before
    r"(?!\s+(?:years?|yrs?|week|month|morning|afternoon|evening|quarter|qtr|time|winter|summer"
    r"|spring|autumn)\b)",
    re.I,
)
_NUMBERED = re.compile(r"^\s*(\d+)[.)]\s+(.+)$", re.M)


def standalone_question(question: str, history: list[Turn] | None) -> str:
    """The question with its referent filled in from the conversation, when it needs one."""
    if not history:
        return with_the_report(question)
    if len(question.split()) > 14 or not _FOLLOW_UP.search(question):
        return question
    last_answer = next((t.text for t in reversed(history) if t.role == "assistant"), "")
    last_question = next((t.text for t in reversed(history) if t.role == "user"), "")
    match = _ORDINAL.search(question)
    items = [m.group(2) for m in _NUMBERED.finditer(last_answer)]
    if match and items:
        n = int(match.group(2)) if match.group(2) else _ORDINALS[match.group(1).lower()]
        if -1 <= n <= len(items) and n != 0:
            item = items[n - 1] if n > 0 else items[-1]
            return f"{item.split(':')[0]}: {question}"
    return f"{last_question} {question}".strip()


# "what evidence did the report draw on?", "how did they get the evidence for it?": what the
# report rests on is its workstreams, though "evidence" alone finds the evidence scan
_BASIS_ASKED = re.compile(
    r"\b(?:based on|base (?:[\w']+ ){1,4}?on|draws? on|drew on|drawn on|built on|rests? on"
    r"|rested on|evidence (?:for|behind)"
    r"|what evidence|get the evidence|what went into|what else (?:did|do) they (?:draw|use))\b",
    re.IGNORECASE,
)


# "the barriers scan was based on 37 studies", "which of the three documents is based on …"
_OTHER_DOCUMENTS = re.compile(
    r"\b(?:scan|supplement|mckinsey(?:\s+one)?)\W+(?:\w+\W+){0,2}?(?:is|was|were|are)\s+"
    r"(?:based|built|drawn)\b|\b(?:documents|docs)\b",
    re.IGNORECASE,
)


# "sat in a finance mtg where someone said the health foundation reckons …", "someone at our
# practice development group said the barriers evidence scan was based on 37 NHS studies. that
# right?": who said it, and where, is scene; the claim after it is what is checked
_TOLD_BY = re.compile(
    r"^.*?\b(?P<teller>someone|somebody|a colleague|colleagues?|my\s+[\w-]+|our\s+[\w-]+|people"
    # "one of the managers insists …"
    r"|one\s+of\s+(?:the|my|our)\s+[\w-]+)"
    r"(?:\s+[\w'-]+){0,5}?\s+(?:said|says|told\s+(?:me|us)|tells\s+(?:me|us)|reckons|insists|"
    r"claims|claimed|argued|argues|suggested|keeps\s+saying|mentioned"
    # "a colleague keeps calling the scan a systematic review", "wants me to call it …"
    r"|keeps\s+calling|calls|called|wants\s+(?:me|us)\s+to\s+call|think|thinks|reckon)"
    r"(?:\s+that)?\s+(?=\S)",
    re.IGNORECASE,
)
# the claim is put for checking: "is that right?", "can you confirm", "or did they mangle it"
_CHECKED = re.compile(
    r"\b(?:right|true|correct|accurate|confirm|mangle\w*|making\s+it\s+up|wrong)\b", re.IGNORECASE
)
_CLAIM_END = re.compile(r"(?<!\bNo\.)(?<!\bno\.)(?<=[.?!])\s+")
_QUOTED_BEFORE = re.compile(r"['\"‘“](?P<phrase>[\w ,-]{3,60}?)['\"’”]")
_BACK_TO_QUOTE = re.compile(
    r"\b(?:that|this|the same)\s+(title|name|phrase|wording|heading)\b", re.I
)
# what a claim about the documents names: a document, the foundation, its authors or its figures
_ABOUT_THE_SOURCES = re.compile(
    r"\b(?:health foundation|hf|report|supplement|scan|mckinsey)\b", re.I
)


def claim_put_plainly(question: str) -> str:
    """A claim someone else made, as the claim and its check, without who made it or where.

    "someone at our practice development group said the barriers evidence scan was based on 37
    NHS studies. that right?" is searched and judged as "the barriers evidence scan was based on
    37 NHS studies. that right?": the practice development group is no topic the guidance must
    hold. A claim followed by another ask ("… was Evidence scan No. 42. What's it called?") is
    marked as checked, so its figure is weighed against the guidance, not asked about.
    """
    told = _TOLD_BY.match(question)
    if told is None:
        return question
    if "?" in question[: told.start("teller")]:
        # "what's the difference between an evidence scan and a systematic review? my director
        # keeps calling the scan one": the question asked first is what the claim is about
        return question
    rest = question[told.end() :].strip()
    quoted = _QUOTED_BEFORE.search(question[: told.start("teller")])
    if quoted is not None:
        # "a 'what good looks like' exercise … someone said the supplement has a chapter with
        # literally that title": the title told before the teller is what "that title" means
        rest = _BACK_TO_QUOTE.sub(lambda m: f"the {m[1]} '{quoted['phrase']}'", rest)
    claim, *after = _CLAIM_END.split(rest, maxsplit=1)
    if not _ABOUT_THE_SOURCES.search(claim) or (not named_documents(claim) and "?" not in rest):
        return question  # "my manager said we need to sort the rota": a story, not a claim
    if _CHECKED.search(rest) or claim.rstrip().endswith("?"):
        return rest
    return " ".join([claim.rstrip(" .") + ", is that right?", *after])


# a document called by its name and its subject: the name is enough to find its facts
_DESCRIBED_DOCUMENT = re.compile(
    r"\b(?P<name>evidence scan|supplement)\s+(?:on|of|into|about)\s+(?:the\s+)?(?:barriers"
    r"(?:\s+to\s+improvement)?(?:\s+in\s+the\s+nhs)?|(?:provider\s+)?transformation"
    r"(?:\s+in\s+(?:nhs\s+)?providers)?)\b",
    re.IGNORECASE,
)


def with_the_report(question: str) -> str:
    """``question`` with the report named when it asks a bare document fact of nothing named.

    Asked what the report rests on, it is searched with its workstreams named too. A claim told
    as someone else's is put plainly first (``claim_put_plainly``).
    """
    question = claim_put_plainly(question)
    if (
        _BASIS_ASKED.search(question)
        and set(named_documents(question)) <= {MAIN_DOCUMENT}
        and not _OTHER_DOCUMENTS.search(question)
    ):
        return f"{question.rstrip()} ({THE_REPORT}'s workstreams)"
    if (
        asks_a_document_fact(question)
        and not named_documents(question)
        and not [t for t in topical_terms(asked_focus(question)) if t not in _FACT_WORDS]
    ):
        return f"{question.rstrip()} ({THE_REPORT})"
    if asks_a_document_fact(question):
        # "who wrote the evidence scan on barriers to improvement?": the document by its name,
        # so its subject's words do not pull in passages on barriers instead of its authors
        return _DESCRIBED_DOCUMENT.sub(lambda m: m["name"], question)
    return question
