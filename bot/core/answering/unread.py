"""What changebot's sources name but do not give: said plainly instead of answered around.

The guidance knows that the supplement has a chapter 6 called "Improving the odds" and a scenario
that opens "Imagine you are…", but not what either says (``sources-and-coverage.md``); it knows
that the evidence scan marks staff resistance in two of its three phases, but not which two (our
copy of the table lost its column alignment). Asked for those, the notes' sentences about the
chapter's page or the scenario's existence were given as if they answered: these questions are
declined, with what changebot does know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.answering.story_match import PHASES
from knowledge.matching import Matching


@dataclass(frozen=True)
class _NamedOnly:
    """A part of a source known by its name or opening words, not its content."""

    named: re.Pattern[str]
    known: str


_NAMED_ONLY = (
    _NamedOnly(
        re.compile(r"\bimproving\s+the\s+odds\b", re.IGNORECASE),
        "the supplement's chapter 6 is called 'Improving the odds' and starts on page 27",
    ),
    _NamedOnly(
        re.compile(r"\bimagine\s+you\s+are\b", re.IGNORECASE),
        "the supplement uses an illustrative scenario that opens 'Imagine you are…'",
    ),
)
# what it says, not where it is: "what does it describe?", "key points pls", "who is the person
# in it", "what actions does it set out"
_CONTENT_ASKED = re.compile(
    r"\b(?:say|says|said|describe[sd]?|set(?:s)?\s+out|recommend\w*|propos\w*|suggest\w*|cover|"
    r"covers|about|scenario\s+exactly|point|points|actions?|steps?|happen\w*|person|making|means?|"
    r"argue\w*|conclu\w*|contents?|contain\w*|summar\w*|gist|exactly)\b",
    re.IGNORECASE,
)
# where it is, not what it says: "what page does it start on?" (but "a bit that starts 'Imagine
# you are…'" only names it)
_PLACE_ASKED = re.compile(
    r"\b(?:pages?|(?:start|starts|begin|begins)\s+on|which\s+chapter|what\s+chapter|"
    r"chapter\s+number|how\s+long|title)\b",
    re.IGNORECASE,
)
# "which two phases is staff resistance ticked for?", "it's delivery and dissemination isn't it?"
_PHASE_ASKED = re.compile(
    r"\bwhich\s+(?:two\s+|2\s+|one\s+|1\s+)?phases?\b"
    r"|\b(?:design|development|delivery|dissemination|spread)\b",
    re.IGNORECASE,
)


# Constructive comfort itself, not its companions (whose contents are known)
_MAIN_REPORT = re.compile(r"\bconstructive comfort\b|\bmain report\b|\bcc\b|\bthe report\b", re.I)
_COMPANION = re.compile(
    r"\bsupplement\b|\bmckinsey\b|transformational change|\bscan\b|getting in the way", re.I
)
# a page or chapter to turn to: "which page of constructive comfort covers headspace?", "chapter
# and page pls" (not its length, nor the web page it lives on)
_PAGE_ASKED = re.compile(
    r"\b(?:which|what)\s+(?:chapter|section)\b"
    r"|\b(?:which|what)\s+page\s+(?:of|in|is|does|do|are|has|covers?|discuss\w*)\b"
    r"|\bon\s+(?:which|what)\s+page\b|\bpage\s*(?:number|no\.?|ref)\b"
    r"|\bchapter\s*(?:and|\+|&)\s*page\b|\b(?:start|starts|begin|begins)\s+on\s+page\b",
    re.IGNORECASE,
)
_WEB_PAGE = re.compile(r"\b(?:web\s*page|website|project page|publication page|url|link)\b", re.I)


# "which 12 databases did the scan search, and what search terms?": counted, never named
_DATABASES_NAMED = re.compile(
    r"\b(?:which|what|name|names|list)\b[^?.]{0,30}\bdatabases\b"
    r"|\bsearch\s+(?:terms|strings?|strategy|queries)\b",
    re.IGNORECASE,
)
# "roughly whats the word count of the main report?": only the page counts are known
_WORDS_COUNTED = re.compile(
    r"\bword\s*-?\s*counts?\b|\bhow\s+many\s+words\b|\bnumber\s+of\s+words\b", re.IGNORECASE
)
# what one of the supplement's acknowledged contributors said or did: only their names are known
_CONTRIBUTOR = re.compile(
    r"\b(?:ian\s+carruthers|penny\s+dash|heather\s+lawrence|mark\s+newbold|celia\s+skinner|"
    r"neil\s+griffiths)\b",
    re.IGNORECASE,
)
_SAID_OR_DID = re.compile(
    r"\b(?:say|said|says|tell|told|describe\w*|do|did|lead|led|quote\w*|view|think|thought)\b",
    re.IGNORECASE,
)


def not_held(query: str, matching: Matching) -> str | None:
    """The decline for a question about what the sources name but do not give, else None."""
    if _DATABASES_NAMED.search(query):
        return (
            "changebot's sources say only that the evidence scan searched 12 bibliographic "
            "databases for research available as of October 2014; they do not name the "
            "databases or give the search terms, so I won't guess."
        )
    if _WORDS_COUNTED.search(query):
        return (
            "changebot's sources give the documents' lengths in pages, not words: Constructive "
            "comfort runs to 40 pages, the supplement to 32 and the evidence scan to 28. I won't "
            "guess a word count."
        )
    contributor = _CONTRIBUTOR.search(query)
    if contributor is not None and _SAID_OR_DID.search(query):
        return (
            f"changebot's sources name {contributor.group(0).title()} only among the "
            "supplement's 34 acknowledged contributors; they do not give what any contributor "
            "said or did, so I won't guess."
        )
    if (
        _PAGE_ASKED.search(query)
        and _MAIN_REPORT.search(query)
        and not _COMPANION.search(query)
        and not _WEB_PAGE.search(query)
    ):
        # "which page of constructive comfort covers the headspace barrier?"
        return (
            "changebot's sources do not give Constructive comfort's chapter list or page "
            "numbers (only that it runs to 40 pages), so I won't guess a page or chapter."
        )
    for part in _NAMED_ONLY:
        found = part.named.search(query)
        if found is None:
            continue
        rest = query[: found.start()] + query[found.end() :]
        if _CONTENT_ASKED.search(rest) and not _PLACE_ASKED.search(rest):
            return (
                f"changebot's sources say only that {part.known}; they do not give what it "
                "says, so I won't guess."
            )
    low = query.lower()
    for barrier in matching.scan_barriers:
        if barrier.phases < 3 and barrier.name.lower() in low and _PHASE_ASKED.search(query):
            return (
                f"The evidence scan marks '{barrier.name}' in {PHASES[barrier.phases]} of an "
                "initiative, but changebot's copy of its table does not show which, so I won't "
                "guess."
            )
    return None
