"""Exact answers about the evidence scan's barrier table: its four groups and the phases marked.

"How does the scan group the barriers?", "what sits under the system-wide barriers?" and "which
barriers are flagged in all three phases?" have one right answer, the table itself, and the
notes' sentences spread it over several passages that rarely all rank in the top five. So, like
the framework's own lists, they are answered from structured data: ``knowledge/matching.yaml``
``scan_barriers`` (names, categories and phase counts as the scan's table gives them). Which
phases a barrier marked in one or two of them falls in is not known (our copy of the table lost
its column alignment), so "is staff resistance ticked for delivery?" is left to the guidance;
which barriers are marked in only one, or in two, is known from the counts and listed.
"""

from __future__ import annotations

import re

from bot.core.answering.framework_answers import FrameworkAnswer
from bot.core.answering.story_match import PHASES, SCAN_TABLE
from knowledge.matching import Matching, ScanBarrier

CATEGORY_NAMES = {
    "initiative": "initiative-related",
    "individual": "individual",
    "organisational": "organisational",
    "system-wide": "system-wide",
}

_SCAN = re.compile(
    r"\b(?:evidence\s+scan|scan'?s?|barriers?\s+(?:paper|evidence\s+scan)"
    r"|what'?s\s+getting\s+in\s+the\s+way)\b",
    re.IGNORECASE,
)
# "flagged in all 3 phases", "ticked against every phase"
_ALL_PHASES = re.compile(
    r"\b(?:all|every|each\s+of\s+the)\s+(?:three\s+|3\s+)?(?:of\s+the\s+)?phases\b|\bevery\s+phase\b",
    re.IGNORECASE,
)
# "which two phases is staff resistance in?": the table as we hold it does not say
_WHICH_PHASES = re.compile(
    r"\bwhich\s+(?:two\s+|2\s+|one\s+|1\s+)?phases?\b|\b(?:ticked|marked|flagged)\s+(?:for|in|against)"
    r"\s+(?:design|development|delivery|dissemination)",
    re.IGNORECASE,
)
# "how does the scan group the barriers", "what are the scan's groups", "what sits under the
# system-wide barriers", "need the full list", "where does role demarcation sit"
_GROUPS = re.compile(
    r"\bgroups?\s+(?:the\s+|its\s+)?barriers\b|\bgroup(?:ing|ed)s?\b|\bcategori[sz]\w+"
    r"|\b(?:its|scan'?s|what|which|into|four|4|the|other)\s+(?:main\s+)?(?:groups?|categor(?:y|ies))\b"
    r"|\bsorts?\s+(?:the\s+|its\s+)?barriers\b|\bputs?\s+the\s+barriers\b|\bsits?\s+(?:under|in)\b"
    r"|\bwhere\s+does\s+.{1,40}?\s+sit\b|\b(?:full|own)\s+list\b|\blist\s+of\s+(?:the\s+)?barriers\b",
    re.IGNORECASE,
)
# "which barriers only get flagged against a single phase?": counted in the table, so known
_N_PHASES = re.compile(
    r"\b(?:only\s+|just\s+)?(?P<n>one|1|a\s+single|single|two|2)\s+(?:of\s+the\s+)?"
    r"(?:three\s+|3\s+)?phases?\b",
    re.IGNORECASE,
)
_WHICH_BARRIERS = re.compile(r"\b(?:which|what|list|name)\b[^?.]{0,30}\bbarriers?\b", re.IGNORECASE)
# the phases an initiative passes through, asked as such ("what are the stages?")
_STAGES = re.compile(r"\b(?:stages?|phases?)\b", re.IGNORECASE)
_CATEGORIES = re.compile(r"\b(?:categor(?:y|ies)|groups?|groupings?)\b", re.IGNORECASE)
# "which category has been studied most?" asks the scan's finding, not its table; "international
# research groups barriers into 4 buckets" is the earlier research it reviews
_A_FINDING = re.compile(
    r"\b(?:most|least|often|studied|researched|rank\w*|common\w*|frequent\w*|international)\b",
    re.IGNORECASE,
)
_CATEGORY_NAMED = {
    "initiative": re.compile(r"\binitiative(?:[- ]related)?\s+barriers?\b", re.IGNORECASE),
    "individual": re.compile(r"\bindividual(?:[- ]level)?\s+barriers?\b", re.IGNORECASE),
    "organisational": re.compile(r"\borgani[sz]ational\s+barriers?\b", re.IGNORECASE),
    "system-wide": re.compile(r"\bsystem(?:[- ]wide|[- ]level)?\s+barriers?\b", re.IGNORECASE),
}
# "how does that compare with the 4 barrier areas in the main report?"
_REPORT_AREAS = re.compile(
    r"\b(?:4|four)\s+(?:barrier\s+)?areas\b|\bmain\s+report'?s?\b|\breport'?s\s+(?:4|four)\b",
    re.IGNORECASE,
)


_NUMBER_WORDS = {4: "four", 5: "five", 7: "seven", 16: "sixteen"}


def _listed(names: list[str]) -> str:
    """The scan's names, quoted as its labels: several contain "and" themselves."""
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _number(n: int) -> str:
    return _NUMBER_WORDS.get(n, str(n))


def _by_category(matching: Matching) -> dict[str, list[ScanBarrier]]:
    grouped: dict[str, list[ScanBarrier]] = {c: [] for c in CATEGORY_NAMES}
    for s in matching.scan_barriers:
        grouped[s.category].append(s)
    return grouped


def _by_group(barriers: list[ScanBarrier]) -> list[str]:
    """One entry a group, in table order: "'Management' and 'Lack of funding' (organisational)"."""
    return [
        f"{_listed(names)} ({CATEGORY_NAMES[c]})"
        for c in CATEGORY_NAMES
        if (names := [s.name for s in barriers if s.category == c])
    ]


def scan_reply(query: str, matching: Matching) -> FrameworkAnswer | None:
    """The scan's groups or its all-phase barriers when that is what is asked, else None."""
    if not _SCAN.search(query) or _WHICH_PHASES.search(query):
        return None
    if _ALL_PHASES.search(query):
        every = [s for s in matching.scan_barriers if s.phases == 3]
        by_group = _by_group(every)
        counts = f"{_number(len(every))} of its {_number(len(matching.scan_barriers))} barriers"
        text = (
            f"The evidence scan marks {counts} in all three phases of an initiative (design or "
            f"development, delivery and dissemination) [1]: {'; '.join(by_group)}. The others "
            "are marked in one or two."
        )
        named = [b for b in matching.scan_barriers if b.name.lower() in query.lower()]
        if named:
            # "is staff resistance one of the barriers found in every phase?": that one first
            b = named[0]
            verdict = (
                f"Yes: '{b.name}' is marked in all three phases [1]. "
                if b.phases == 3
                else f"No: '{b.name}' is marked in {PHASES[b.phases]}, not in all three [1]. "
            )
            text = verdict + text
        return FrameworkAnswer(text, SCAN_TABLE, "scan-all-phases", file="matching.yaml")
    counted = _N_PHASES.search(query)
    if counted and _WHICH_BARRIERS.search(query):
        return _marked_in(1 if counted["n"].lower() not in {"two", "2"} else 2, matching)
    if _STAGES.search(query) and not _CATEGORIES.search(query):
        return None  # "the scan sorts barriers by stage … what are the stages?": its phases
    grouped = _by_category(matching)
    named = [s for s in matching.scan_barriers if s.name.lower() in query.lower()]
    asked = [c for c, pattern in _CATEGORY_NAMED.items() if pattern.search(query)]
    if not (_GROUPS.search(query) or asked) or _A_FINDING.search(query):
        return None
    lines = []
    if named:  # "where does 'role demarcation' sit?"
        s = named[0]
        lines.append(
            f"'{s.name}' is one of the evidence scan's {CATEGORY_NAMES[s.category]} barriers, "
            f"marked in {PHASES[s.phases]} [1]."
        )
    for c in asked:
        members = [s.name for s in grouped[c]]
        lines.append(
            f"The evidence scan's {CATEGORY_NAMES[c]} barriers are {_listed(members)} [1]."
        )
    rest = [c for c in grouped if c not in asked]
    lead = (
        "Its other categories"
        if asked
        else (
            f"The evidence scan sorts its {_number(len(matching.scan_barriers))} barriers into "
            "four categories [1]"
        )
    )
    lines.append(f"{lead}:")
    lines += [f"- {CATEGORY_NAMES[c]}: {_listed([s.name for s in grouped[c]])}" for c in rest]
    if _REPORT_AREAS.search(query):
        lines.append(
            "Constructive comfort's four barrier areas (recognition, motivation, headspace and "
            "capability) are a different cut: they name what people lack for change, where "
            "the scan names where an obstacle sits. In changebot's mapping, for example, lack "
            "of time allocated bears on headspace and role demarcation on motivation."
        )
    return FrameworkAnswer("\n".join(lines), SCAN_TABLE, "scan-groups", file="matching.yaml")


def _marked_in(phases: int, matching: Matching) -> FrameworkAnswer:
    """The barriers the scan's table marks in one (or two) of the three phases, by group."""
    marked = [s for s in matching.scan_barriers if s.phases == phases]
    by_group = _by_group(marked)
    counts = f"{_number(len(marked))} of its {_number(len(matching.scan_barriers))} barriers"
    which = "which phase each is" if phases == 1 else "which two phases each is"
    text = (
        f"The evidence scan marks {counts} in {PHASES[phases]} of an initiative [1]: "
        f"{'; '.join(by_group)}. Our copy of its table does not show {which} marked in."
    )
    return FrameworkAnswer(text, SCAN_TABLE, f"scan-{phases}-phases", file="matching.yaml")
