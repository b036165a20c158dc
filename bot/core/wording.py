"""Small text utilities shared by retrieval, answering and diagnosis (no model calls)."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9][a-z0-9'£%\-]*")
_SENTENCE = re.compile(
    r"(?<!\bNo\.)(?<!\bno\.)(?<!\bp\.)(?<!\bpp\.)(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)"
    r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\bSt\.)"
    # "Amira is on ext. 4478": a phone extension's number is not a new sentence
    r"(?<!\bext\.)(?<!\bExt\.)(?<!\btel\.)(?<!\bTel\.)"
    r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[*])|\n{2,}|\n(?=[-*•] )|\n(?=\d+\. )"
)
_TABLE_ROW = re.compile(r"^[^\n|]*\S \| \S[^\n]*$")
PART_END = re.compile(
    # not after an abbreviation: "which colleges, e.g. RCN or RCP, …" is one sentence
    r"(?<![Ee]\.g\.)(?<![Ii]\.e\.)(?<!\bvs\.)(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bMrs\.)"
    r"(?<=[.!?\n])\s+"
)
"""Where a chat message's sentences end: after ".", "!", "?" or a line break."""
_BULLET = re.compile(r"^[-*•]\s+")
_EMPHASIS = re.compile(r"(?<=[\w?!.,'’])\*|\*(?=[\w'‘])")  # an asterisk that opens or closes

STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from into about over under than then
    is are was were be been being am do does did doing have has had having i me my we our you
    your he she they them their it its this that these those there here what which who whom
    whose when where why how can could should would will shall may might must not no nor so
    too very just also only any some all each more most other such own same both few as up
    out off again further once s t don't isn't aren't wasn't weren't i'm we're they're it's
    what's let's please tell me give list name say says said does did according re ve ll""".split()
)
# the months as documents write them, for dates asked about and dates given
MONTH_NAMES = (
    "January February March April May June July August September October November December".split()
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (keeps digits, %, £ and hyphenated words)."""
    return _WORD.findall(text.lower())


_DOUBLED = re.compile(r"([bgmnprt])\1$")


def stem(word: str) -> str:
    """A deliberately light stemmer: enough to match plurals and -ing/-ed forms.

    "sitting", "planned" and "referred" lose the consonant doubled before the ending ("sit",
    "plan", "refer"); "staffing", "called" and "missed" keep theirs.
    """
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            base = word[: len(word) - len(suffix)]
            if suffix in {"ing", "ed"}:
                base = _DOUBLED.sub(r"\1", base)
            return base + keep
    return word


# "Sep 2025", "sept", "aug": a month shortened is the month
_SHORT_MONTHS = {
    name[:3].lower(): stem(name.lower()) for name in MONTH_NAMES if name[:3].lower() != "may"
} | {"sept": stem("september")}
_MONTHS = frozenset(name.lower() for name in MONTH_NAMES)


def _term(word: str) -> str:
    """One word as a term: "Sep" and "sept" are September; "Taunt's" is "Taunt"."""
    word = word.strip("'-")
    if word.endswith("'s"):  # a possessive: the curly "’s" never joins the word at all
        word = word[:-2]
    return _SHORT_MONTHS.get(word) or stem(word)


def _months(word: str) -> list[str]:
    """The months of a range typed as one word ("jul-sep", "april-june"), else nothing."""
    parts = word.split("-")
    months = [_SHORT_MONTHS.get(p) or (stem(p) if p in _MONTHS else "") for p in parts]
    return months if len(parts) > 1 and all(months) else []


# "4-hour standard", "the 12-week wait": a number and its unit, as "4 hours" and "12 weeks" are
_SPAN = re.compile(
    r"^(\d+(?:\.\d+)?)-(hours?|hrs?|days?|weeks?|wks?|minutes?|mins?|months?|years?)$"
)
_UNITS = {
    "hr": "hour",
    "hrs": "hour",
    "wk": "week",
    "wks": "week",
    "min": "minute",
    "mins": "minute",
}


def _span(word: str) -> list[str]:
    """A number joined to its unit ("4-hour") as the number and the unit, else nothing."""
    found = _SPAN.match(word)
    if found is None:
        return []
    number, unit = found.group(1), stem(_UNITS.get(found.group(2), found.group(2)))
    return [number, unit] if len(number) > 1 else [unit]  # as "4 hours" gives no term for "4"


def _content(word: str) -> bool:
    """Not a stopword, even as "that's" or "there's"."""
    return word not in STOPWORDS and len(word) > 1 and word.removesuffix("'s") not in STOPWORDS


def terms(text: str) -> list[str]:
    """Stemmed content terms for lexical matching."""
    return [
        term for w in words(text) if _content(w) for term in (_months(w) or _span(w) or [_term(w)])
    ]


MONTH_TERMS = frozenset(terms(" ".join(MONTH_NAMES)))
"""The month names as ``terms`` gives them."""


def sentences(text: str) -> list[str]:
    """Split prose into sentences, keeping bullet items as their own sentences.

    A title in italics may hold a question mark ("*What's getting in the way? Barriers to
    improvement in the NHS* is …"): a split inside an open emphasis span is undone.
    """
    joined: list[str] = []
    # a table's row is one sentence whatever its cells hold ("… cut-off, incl. Fridays | TH")
    blocks = re.split(r"\n{2,}", text)
    pieces = [
        part
        for block in blocks
        for part in ([block] if _TABLE_ROW.match(block) else _SENTENCE.split(block))
    ]
    for part in pieces:
        if joined and len(_EMPHASIS.findall(joined[-1])) % 2 == 1:
            joined[-1] = f"{joined[-1]} {part}"
        else:
            joined.append(part)
    parts = [_BULLET.sub("", p.strip(" \n")).strip(" -•") for p in joined]
    return [p for p in parts if len(p) > 2]


def word_count(text: str) -> int:
    """Words as a reader would count them."""
    return len(text.split())
