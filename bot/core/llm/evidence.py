"""Check that a model's "evidence" quote really is in the user's text, and return it as written.

Why: a diagnosis quotes the user's own words back to them. A model may paraphrase or invent a
quote; only spans that occur in the text (ignoring case, runs of whitespace, curly quotes and
surrounding punctuation) are kept, and the user's original spelling is what gets shown.
"""

from __future__ import annotations

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_EDGES = " \t\n\"'.,;:!?\u2026()[]"
MIN_CHARS = 3


def _normalised(text: str) -> tuple[str, list[int]]:
    """Casefolded, whitespace-collapsed text and, per character, its index in ``text``."""
    chars: list[str] = []
    origin: list[int] = []
    in_space = True
    for i, ch in enumerate(text.translate(_QUOTES)):
        if ch.isspace():
            if not in_space:
                chars.append(" ")
                origin.append(i)
            in_space = True
            continue
        for folded in ch.casefold():
            chars.append(folded)
            origin.append(i)
        in_space = False
    return "".join(chars), origin


def find_span(text: str, quote: str) -> str | None:
    """The part of ``text`` that ``quote`` quotes, in the user's own spelling, or None."""
    wanted, _ = _normalised(quote.translate(_QUOTES).strip(_EDGES))
    wanted = wanted.strip()
    if len(wanted) < MIN_CHARS:
        return None
    haystack, origin = _normalised(text)
    at = haystack.find(wanted)
    if at < 0:
        return None
    return text[origin[at] : origin[at + len(wanted) - 1] + 1]


def real_spans(text: str, quotes: list[str], limit: int = 3) -> list[str]:
    """The quotes that occur in ``text`` (as the user wrote them), without duplicates."""
    found: list[str] = []
    for quote in quotes:
        span = find_span(text, quote)
        if span is not None and span.casefold() not in {f.casefold() for f in found}:
            found.append(span)
    return found[:limit]
