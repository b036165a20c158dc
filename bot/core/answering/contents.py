"""Where a chapter is and what it is called, read off the companion documents' contents pages.

"What is chapter 5 of the supplement called?", "which chapter covers the wider system getting
in providers' way, and on which page does it start?", "which page does 'What good looks like'
begin on, and what's the chapter straight after it called?": each is answered by one or two rows
of a contents page. Searched as prose, the sentence giving one row was found and the row asked
about, or the one after it, was not. The rows are in ``knowledge/contents.yaml``; Constructive
comfort's own chapter list is not known, so a question about it is left to the decline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.answering.framework_answers import FrameworkAnswer
from bot.core.answering.question_form import message_parts
from bot.core.wording import terms
from knowledge.contents import Contents, DocumentContents, Part
from knowledge.framework import DocumentId

# the documents as askers name them
_SUPPLEMENT = re.compile(
    r"\bsupplement\b|\bmckinsey\b|\bmhi\b|transformational change|provider transformation",
    re.IGNORECASE,
)
_SCAN = re.compile(
    r"\bevidence scan\b|\bscan\b|what'?s getting in the way|\bde silva\b|evidence centre",
    re.IGNORECASE,
)
_NAMES: tuple[tuple[DocumentId, re.Pattern[str]], ...] = (
    ("supplement", _SUPPLEMENT),
    ("evidence_scan", _SCAN),
)
# where a part is, or what it is called, not what it says
_PLACE_ASKED = re.compile(
    r"\b(?:which|what)\s+(?:chapter|section|part|bit|page)s?\b"
    r"|\bpage\s*(?:number|no\.?|#|ref)"
    r"|\b(?:start|starts|begin|begins|starting|beginning)\s+on\b"
    r"|\bon\s+(?:which|what)\s+page\b"
    r"|\bchapter\s*(?:\+|and|&)\s*page\b"
    r"|\bhow\s+many\s+(?:chapters|sections)\b"
    r"|\b(?:contents|chapter\s+(?:list|titles|headings))\b",
    re.IGNORECASE,
)
# "what's chapter 5 called?", "supplement ch 6 title?": a name asked, with a chapter in view
_NAME_ASKED = re.compile(r"\b(?:called|titled|title|named|heading)\b", re.IGNORECASE)
_CHAPTER_WORD = re.compile(r"\b(?:chapter|chap|ch|section)s?\b", re.IGNORECASE)
# a length, not a place: "how long is the supplement, page count?"
_LENGTH_ASKED = re.compile(
    r"\bhow\s+(?:long|many\s+pages)\b|\bpage\s*counts?\b|\bpages\s+long\b|\bnumber\s+of\s+pages\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_NUMBERED = re.compile(
    r"\b(?:chapter|ch\.?|chap\.?)\s*(\d+|one|two|three|four|five|six|seven)\b", re.IGNORECASE
)
_AFTER = re.compile(
    r"\b(?:after|following|afterwards|next)\b|\bthat follows\b|\bcomes? next\b", re.IGNORECASE
)
_BEFORE = re.compile(r"\b(?:before|preceding|previous|prior)\b", re.IGNORECASE)
_COUNT_ASKED = re.compile(r"\bhow\s+many\s+(?:chapters|sections)\b", re.IGNORECASE)
_LIST_ASKED = re.compile(
    r"\b(?:list|what\s+are|give\s+me|run\s+through)\s+(?:all\s+)?(?:the\s+|its\s+)?"
    r"(?:chapters|sections|contents|chapter\s+(?:titles|headings))\b"
    r"|\btable\s+of\s+contents\b|\bcontents\s+page\b",
    re.IGNORECASE,
)
# words a description of a part shares with every part, or with the question's frame
_NOT_DESCRIBING = frozenset(
    terms(
        "chapter chapters section sections part bit page pages start starts begin begins "
        "called title named supplement mckinsey hospital institute transformational change nhs "
        "providers provider evidence scan report document cover covers talk talks about look "
        "looks which what where number read want send team trust quick pls please"
    )
)
# "…? and where's the bit about …", "… chapter, and what page does it start on": asks joined
_JOINED = re.compile(
    r"(?:\s*,\s*|\s+)(?:and also|and|also|plus|\+|&)\s+"
    r"(?=where|what|which|how|(?:on|in|at)\s+(?:which|what))",
    re.IGNORECASE,
)
MIN_DESCRIBED = 2  # shared words that pick a part out by what it is about


@dataclass(frozen=True)
class _Asked:
    """A part of a document, found by its number, its title or what it is about."""

    document: DocumentContents
    index: int
    by_title: bool


def contents_reply(query: str, contents: Contents) -> FrameworkAnswer | None:
    """Where the asked chapter starts and what it is called, or None if no part is asked for.

    Only a place or a name is answered ("what does chapter 6 say?" is not: its content is not
    known), and only for a document whose contents are known.
    """
    named_asked = bool(_NAME_ASKED.search(query) and _CHAPTER_WORD.search(query))
    if not (_PLACE_ASKED.search(query) or named_asked) or _LENGTH_ASKED.search(query):
        return None
    documents = _documents_named(query, contents)
    if not documents:
        return None
    if len(documents) == 1 and (_COUNT_ASKED.search(query) or _LIST_ASKED.search(query)):
        return _whole_list(documents[0])
    asked: list[_Asked] = []
    pieces = _pieces(query)
    for piece in pieces:
        found_here = _parts_asked(piece, documents)
        if (
            not found_here
            and len(pieces) > 1
            and len(documents) == 1
            and _PLACE_ASKED.search(piece)
            and len(set(terms(piece)) - _NOT_DESCRIBING) >= MIN_DESCRIBED
        ):
            # "on which page does the section on what the NHS studies found begin, and on
            # which page does the summary begin?": a part described and not made out, so the
            # whole contents page answers both ("…, and on which page does it start?" describes
            # none)
            return _whole_list(documents[0])
        asked += [a for a in found_here if a not in asked]
    if not asked:
        return None
    found = asked[0]
    lines = [
        _row_sentence(a.document, a.document.parts[a.index], again=i > 0)
        for i, a in enumerate(asked)
    ]
    parts = found.document.parts
    if found.index + 1 < len(parts) and _AFTER.search(query) and len(asked) == 1:
        lines.append(f"The one after it is {_described(parts[found.index + 1])}.")
    elif found.index > 0 and _BEFORE.search(query) and len(asked) == 1:
        lines.append(f"The one before it is {_described(parts[found.index - 1])}.")
    return FrameworkAnswer(
        text=" ".join(lines) + " [1]",
        source=found.document.source,
        topic=f"contents-{found.document.document}",
        file="contents.yaml",
    )


def _documents_named(query: str, contents: Contents) -> list[DocumentContents]:
    """The documents the question names whose contents are known (both if it names none)."""
    named = [doc for doc, pattern in _NAMES if pattern.search(query)]
    if not named:
        return list(contents.documents)
    return [d for d in (contents.of(n) for n in named) if d is not None]


def _pieces(query: str) -> list[str]:
    """The question, then its sentences and joined asks when it asks for more than one part.

    "what page does the chapter on the seven factors in practice start on? and where's the bit
    about how the system could help …": each ask describes its own part.
    """
    split = [
        chunk.strip()
        for part in message_parts(query)
        for chunk in _JOINED.split(part)
        if chunk and chunk.strip()
    ]
    return split if len(split) > 1 else [query]


def _parts_asked(query: str, documents: list[DocumentContents]) -> list[_Asked]:
    """The parts asked about: by number, by a title quoted or written out, or by description."""
    numbered = _NUMBERED.search(query)
    if numbered is not None:
        wanted = numbered.group(1).lower()
        number = _NUMBER_WORDS.get(wanted) or int(wanted)
        for doc in documents:
            for i, part in enumerate(doc.parts):
                if part.number == number:
                    return [_Asked(doc, i, by_title=False)]
        return []
    low = _plain(query)
    by_title = [
        _Asked(doc, i, by_title=True)
        for doc in documents
        for i, part in enumerate(doc.parts)
        if _title_words(part) in low
    ]
    if by_title:
        return by_title[:2]
    if len(documents) != 1:
        return []  # a description alone, with no document named, could be of either
    asked_terms = set(terms(query)) - _NOT_DESCRIBING
    scored = sorted(
        ((*_described_by(asked_terms, part), i) for i, part in enumerate(documents[0].parts)),
        reverse=True,
    )
    best, second = scored[0], scored[1]
    if best[0] < MIN_DESCRIBED or best[:2] == second[:2]:
        return []
    return [_Asked(documents[0], best[2], by_title=False)]


def _described_by(asked_terms: set[str], part: Part) -> tuple[int, float]:
    """How many asked words a part's title and gloss share, then the share of its title named.

    "the seven success factors chapter" names all of chapter 3's title but little of chapter
    4's ("What good looks like – the seven success factors in practice").
    """
    title = set(terms(part.title)) - _NOT_DESCRIBING
    shared = asked_terms & (title | set(terms(part.about)))
    return len(shared), len(asked_terms & title) / max(1, len(title))


def _title_words(part: Part) -> str:
    """A title as a question writes it out: its main clause, plain ("what good looks like")."""
    return _plain(re.split(r"\s+[–-]\s+", part.title)[0])


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("'", "")))


def _described(part: Part) -> str:
    """A part named in passing: "chapter 5, 'How the system …', which starts on page 25"."""
    name = f"chapter {part.number}, '{part.title}'," if part.number else f"'{part.title}',"
    return f"{name} which starts on page {part.page}"


def _row_sentence(document: DocumentContents, part: Part, *, again: bool = False) -> str:
    """One row of a contents page as a sentence (the document named once, in the first)."""
    where = "the supplement" if document.document == "supplement" else "the evidence scan"
    if part.number is not None:
        of = "" if again else f" of {where}"
        return f"Chapter {part.number}{of} is '{part.title}'; it starts on page {part.page}."
    if again:
        return f"'{part.title}' starts on page {part.page}."
    return f"In {where}, '{part.title}' starts on page {part.page}."


def _whole_list(document: DocumentContents) -> FrameworkAnswer:
    """The contents page in full: how many chapters, each with its first page."""
    where = "The supplement" if document.document == "supplement" else "The evidence scan"
    numbered = [p for p in document.parts if p.number is not None]
    rows = "\n".join(
        f"• {f'{p.number}. ' if p.number else ''}{p.title}, page {p.page}" for p in document.parts
    )
    count = (
        f"{where} has {len(numbered)} numbered chapters, with a summary before them and "
        "references after:"
        if numbered
        else f"{where} has {len(document.parts)} sections:"
    )
    return FrameworkAnswer(
        text=f"{count} [1]\n{rows}",
        source=document.source,
        topic=f"contents-{document.document}",
        file="contents.yaml",
    )
