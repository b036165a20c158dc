"""What a trust's figure is asked for: a quarter, a month, a year, a numbered ward or band.

"what was RN turnover back in Q1?" is not answered by a Q2 report's turnover, however close the
passages; nor "when is ward 12 getting refurbished?" by ward 14's decant plan, nor "the bank rate
for a band 8a" by a table that stops at band 7. When no passage retrieved names the quarter,
month, year or numbered unit the question asks about, the trust's documents do not state it,
and the question is declined rather than answered with the neighbouring figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from bot.core.wording import MONTH_NAMES, terms

_MONTHS = tuple(name.lower() for name in MONTH_NAMES)
# "sept", "oct", "jan": how people shorten a month; a bare "may" is a month only after a
# preposition ("in may", not "may i …"), and "march" only when not a verb ("march on")
_MONTH_WORD = re.compile(
    r"\b(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|(?<=in |by |of )may|"
    r"(?<=for |ing )may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|"
    r"dec(?:ember)?)\b(?!\s+(?:on|past|through)\b)",
    re.IGNORECASE,
)
_QUARTER = re.compile(r"\b(?:q|quarter\s*)(?P<n>[1-4])\b", re.IGNORECASE)
# "ward 12", "band 8a", "theatres 1 and 2", "cat 4": a unit or grade named by its number
_NUMBERED = re.compile(
    r"\b(?P<word>ward|band|theatre|cat|category|phase|bay|cohort|tier|stage|wave|pod)s?\s*"
    r"(?P<n>\d{1,2}[a-c]?)s?\b(?!\s*(?:%|per\s*cent|hours?|hrs?|days?|weeks?|wks?|mins?))",
    re.IGNORECASE,
)
# "2023/24", "23/24", "2024-25": a financial year; "2023" alone: a calendar year
_SPAN = re.compile(r"\b(?:20)?(?P<a>1[5-9]|[2-4]\d)\s*[/-]\s*(?:20)?(?P<b>[1-4]\d)\b(?![/-]\d)")
_YEAR = re.compile(r"(?<![/.-])\b(?P<year>20[1-4]\d)\b(?!\s*[/-]\s*\d)")


@dataclass(frozen=True)
class Qualifier:
    """One thing a figure is asked for, with the patterns a passage naming it would match."""

    said: str
    patterns: tuple[re.Pattern[str], ...]
    dated: bool = False  # a month or year: a yes/no question may be answered "no, in May"

    def named_in(self, text: str) -> bool:
        """Whether ``text`` names it in any of its spellings."""
        return any(p.search(text) for p in self.patterns)


@cache
def _month_pattern(index: int) -> re.Pattern[str]:
    name = _MONTHS[index]
    # "1 October", "Oct-25", "10/2025" and "01/10/2025" name October too
    numeric = rf"\b\d{{1,2}}[/.]0?{index + 1}[/.](?:20)?\d\d\b|\b0?{index + 1}/20\d\d\b"
    short = "sept?" if name == "september" else name[:3]
    return re.compile(rf"\b(?:{name}|{short})\b|{numeric}", re.IGNORECASE)


def _month_index(word: str) -> int:
    word = word.lower()
    return next(i for i, name in enumerate(_MONTHS) if name.startswith(word[:3]))


@cache
def _quarter_patterns(n: int) -> tuple[re.Pattern[str], ...]:
    first, last = _MONTHS[(3 * n) % 12][:3], _MONTHS[(3 * n + 2) % 12][:3]
    return (
        re.compile(rf"\b(?:q|quarter\s*){n}\b", re.IGNORECASE),
        # "Apr-Jun", "April to June 2025": the quarter by its months
        re.compile(rf"\b{first}[a-z]*\.?\s*(?:-|\u2013|to|until)\s*{last}", re.IGNORECASE),
    )


@cache
def _span_pattern(a: int, b: int) -> re.Pattern[str]:
    return re.compile(rf"\b(?:20)?{a}\s*[/-]\s*(?:20)?{b}\b")


# a clause asks when it ends in "?", has a question word or names a figure; "one of my ladies is
# an inpatient on ward 9 so …", "want to send my band 6s", "need it for the July board" only tell
_CLAUSE_BREAK = re.compile(r"[.,;:!?\n]+|\s+(?:-|\u2013|so|because|as)\s+", re.IGNORECASE)
_ASKING = re.compile(
    r"\b(?:what|what's|whats|which|how|when|when's|whens|who|who's|whos|where|where's|wheres|"
    r"rate|figure|figures|number|numbers|percentage|total)\b|%"
    r"|^\s*(?:is|are|was|were|did|does|do|has|have|can|will)\b",
    re.IGNORECASE,
)


def asked_qualifiers(text: str) -> list[Qualifier]:
    """The quarters, months, years and numbered units ``text`` asks a figure for."""
    pieces = _CLAUSE_BREAK.split(text)
    breaks = [m.group() for m in _CLAUSE_BREAK.finditer(text)] + [""]
    return [
        q
        for clause, after in zip(pieces, breaks, strict=True)
        if "?" in after or _ASKING.search(clause)
        for q in _in(clause)
    ]


# "between July and Sept", "from april to june": three months that make a quarter
_A_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MONTH_RANGE = re.compile(
    rf"(?:\b(?:between|from)\s+)?\b(?P<a>{_A_MONTH})(?:\s+(?:and|to|until)\s+|\s*[-\u2013]\s*)"
    rf"(?P<b>{_A_MONTH})\b",
    re.IGNORECASE,
)


def _quarters_in(text: str) -> list[tuple[re.Match[str], int]]:
    """Each range of months in ``text`` that makes a quarter, with that quarter's number."""
    return [
        (match, quarter)
        for match in _MONTH_RANGE.finditer(text)
        if (quarter := _quarter_of(match["a"], match["b"])) is not None
    ]


def quarter_ranges(text: str) -> list[Qualifier]:
    """Each range of months in ``text`` that makes a quarter, as that quarter's qualifier."""
    return [
        Qualifier(match.group(0), _quarter_patterns(quarter), dated=True)
        for match, quarter in _quarters_in(text)
    ]


def quarter_range_names(text: str) -> set[str]:
    """The quarters ("q2") that ranges of months in ``text`` make ("jul-sep")."""
    return {f"q{quarter}" for _match, quarter in _quarters_in(text)}


def quarter_range_terms(text: str) -> set[str]:
    """The month terms of each range in ``text`` that makes a quarter ("jul-sep").

    A report's "Q2" names them, so they are not words a passage must hold.
    """
    return {t for match, _q in _quarters_in(text) for t in terms(f"{match['a']} {match['b']}")}


def _quarter_of(first: str, last: str) -> int | None:
    """The financial quarter (Q1 April to June) that months ``first`` to ``last`` make, if any."""
    a, b = _month_index(first), _month_index(last)
    if a % 3 != 0 or (b - a) % 12 != 2:
        return None
    return ((a - 3) % 12) // 3 + 1


def _in(text: str) -> list[Qualifier]:
    found: list[Qualifier] = []
    for match in _QUARTER.finditer(text):
        found.append(Qualifier(match.group(0), _quarter_patterns(int(match["n"]))))
    # "how many between July and Sept?" is asked of the quarter: a report's "Q2" names it
    ranged: set[int] = set()
    for match, quarter in _quarters_in(text):
        found.append(Qualifier(match.group(0), _quarter_patterns(quarter), dated=True))
        ranged.update(range(match.start(), match.end()))
    for match in _NUMBERED.finditer(text):
        word = match["word"].lower()
        word = "cat(?:egory)?" if word.startswith("cat") else re.escape(word)
        pattern = re.compile(rf"\b{word}s?\W{{0,3}}{re.escape(match['n'])}\b", re.IGNORECASE)
        found.append(Qualifier(match.group(0), (pattern,)))
    for match in _MONTH_WORD.finditer(text):
        if match.start() in ranged:
            continue
        index = _month_index(match["month"])
        found.append(Qualifier(match.group(0), (_month_pattern(index),), dated=True))
    for match in _SPAN.finditer(text):
        a, b = int(match["a"]), int(match["b"])
        if b == a + 1:
            found.append(Qualifier(match.group(0), (_span_pattern(a, b),), dated=True))
    for match in _YEAR.finditer(text):
        year = match["year"]
        found.append(Qualifier(year, (re.compile(rf"\b{year}\b"),), dated=True))
    return found


def unnamed_qualifiers(
    asked: str, passages: Iterable[str], yes_no: bool = False
) -> list[Qualifier]:
    """The qualifiers asked for that no passage names.

    A month or year in a yes/no question is left out: "is the study day in May?" is answered
    "no, it is in June", not declined.
    """
    texts = list(passages)
    return [
        q
        for q in asked_qualifiers(asked)
        if not (yes_no and q.dated) and not any(q.named_in(t) for t in texts)
    ]
