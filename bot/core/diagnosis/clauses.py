"""Split a messy Slack message into clauses so each can be read on its own.

Contrast matters: in "the team are keen, but we have no time" the first clause argues *against*
a motivation barrier and the second for a headspace one. Splitting at sentence ends, semicolons
and contrast/consequence connectives keeps the two apart. Clauses are exact slices of the user's
text, so they can be quoted back as evidence.
"""

from __future__ import annotations

import re

from bot.core.diagnosis.params import MIN_WORDS

_HARD = re.compile(r"[.!?;:]+\s+|\n+|\s+[-–—]+\s+|\.\.\.+\s*|[.!?]+$")
_SUBJECT = (
    r"i|we|they|he|she|it|there|the|that|this|these|those|our|my|your|their|nobody|no one|"
    r"everyone|everybody|people|now|then|nothing|anything|everything|you"
)
_SOFT = re.compile(
    r",?\s+\b(?:but|however|although|though|whereas|except|yet|because|plus|"
    r"and then|and now|and also|which means|meaning|while|and)\b\s+|,\s+"
    # "so" joins clauses ("…, so nobody…") but also intensifies ("we're so short"): cut only
    # when a new subject follows it.
    rf"|\s+so\s+(?=(?:{_SUBJECT})\b)",
    re.IGNORECASE,
)
_STRIP = " ,.;:!?-–—\"'"


def split_clauses(text: str) -> list[str]:
    """Clauses of at least a few words, in order; short fragments join their neighbour."""
    spans: list[tuple[int, int]] = []
    for start, end in _segments(text, _HARD, 0, len(text), merge=False):
        spans.extend(_segments(text, _SOFT, start, end, merge=True))
    out = []
    for start, end in spans:
        clause = text[start:end].strip(_STRIP)
        if clause:
            out.append(clause)
    return out


def _segments(
    text: str, pattern: re.Pattern[str], start: int, end: int, *, merge: bool
) -> list[tuple[int, int]]:
    """(start, end) slices between matches; with ``merge`` short slices join a neighbour."""
    cuts: list[tuple[int, int]] = []
    pos = start
    for match in pattern.finditer(text, start, end):
        cuts.append((pos, match.start()))
        pos = match.end()
    cuts.append((pos, end))
    cuts = [c for c in cuts if text[c[0] : c[1]].strip(_STRIP)]
    if not merge:
        return cuts
    merged: list[tuple[int, int]] = []
    for cut in cuts:
        short = len(text[cut[0] : cut[1]].split()) < MIN_WORDS
        if merged and (short or len(text[merged[-1][0] : merged[-1][1]].split()) < MIN_WORDS):
            merged[-1] = (merged[-1][0], cut[1])
        else:
            merged.append(cut)
    return merged
