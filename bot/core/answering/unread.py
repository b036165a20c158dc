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


def not_held(query: str, matching: Matching) -> str | None:
    """The decline for a question about what the sources name but do not give, else None."""
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
