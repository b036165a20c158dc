"""Staff's acronyms that a trust's documents only ever spell out.

"who authorises an OOA placement?" is about the report's "Out of Area Placements", and "the LD
liaison team" is its "Learning Disability Liaison Service": people abbreviate what the document
writes in full, so the acronym is an unknown word and the question looked uncovered. An acronym
is read as the capitalised phrase of a retrieved passage whose initials spell it ("of" may be a
letter or be skipped), or as a hyphenated compound that spells it ("return-to-work"), never as
loose lower-case words, which spell too much by chance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MIN_LETTERS = 2
MAX_LETTERS = 5
MIN_COMPOUND = 3  # "follow-up" must not be read as "FU"
MAX_EXTRA_WORDS = 2  # small words a phrase may carry beyond its letters ("in", "and", "the")
_SMALL = frozenset({"of", "and", "in", "the", "for", "to", "on", "&"})
_WORD = re.compile(r"[A-Za-z][A-Za-z']*|&")
_COMPOUND = re.compile(r"\b[A-Za-z]+(?:-[A-Za-z]+){1,4}\b")


def _spells(words: list[str], start: int, letters: str) -> int | None:
    """The end of a phrase from ``start`` whose initials spell ``letters``, or None."""

    def walk(i: int, j: int, extra: int) -> int | None:
        if j == len(letters):
            return i
        if i >= len(words) or extra > MAX_EXTRA_WORDS:
            return None
        word = words[i]
        small = word.lower() in _SMALL
        if word[0].lower() == letters[j] and (word[0].isupper() or small):
            end = walk(i + 1, j + 1, extra)
            if end is not None:
                return end
        return walk(i + 1, j, extra + 1) if small and j > 0 else None

    return walk(start, 0, 0)


def spelled_out(acronym: str, texts: Iterable[str]) -> str | None:
    """The phrase of ``texts`` that ``acronym`` abbreviates ("OOA": "Out of Area"), if any."""
    letters = acronym.lower()
    if not (MIN_LETTERS <= len(letters) <= MAX_LETTERS and letters.isalpha()):
        return None
    for text in texts:
        # a hyphenated compound spells it whatever its case ("return-to-work" for RTW)
        compounds: list[str] = _COMPOUND.findall(text) if len(letters) >= MIN_COMPOUND else []
        for compound in compounds:
            parts = compound.split("-")
            if "".join(part[0] for part in parts).lower() == letters:
                return compound
        words = _WORD.findall(text)
        for start, word in enumerate(words):
            if not word[0].isupper() or word[0].lower() != letters[0]:
                continue
            end = _spells(words, start, letters)
            if end is not None and words[end - 1].lower() not in _SMALL:
                return " ".join(words[start:end])
    return None
