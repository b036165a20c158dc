"""Typing slips put right against the index's own words ("thromectomy" for "thrombectomy").

Before that, a possessive typed without its apostrophe ("st aldhelms") is written as the trust's
own documents write it ("St Aldhelm's").

Chat is typed fast. A slip in the one word that names what is asked makes retrieval miss it and
the key-terms gate decline a question the documents answer. A word is corrected only when all
three hold, so a real word is never swapped for a neighbour ("deferral" is not "referral"):

- it is long (``MIN_LETTERS``), so short names and initialisms are left alone;
- neither the index nor an English dictionary knows it (``pyspellchecker``'s word list,
  packaged on PyPI and read offline);
- exactly one word one edit away (a letter dropped, added, changed or two swapped) is a term
  the index uses.

When no word one edit away is the index's, the slip may be in a word that only frames the
question ("actualy", "tomorow"): it is read as that word when the likeliest dictionary word one
edit away (by the list's own frequencies) is one that frames, never one that names a topic.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from bot.core.answering.topics import FRAME_TERMS, GENERIC_TERMS
from bot.core.wording import STOPWORDS, terms

MIN_LETTERS = 7
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# a whole word of letters: not part of a hyphenated word, a possessive or an identifier
_WORD = re.compile(rf"(?<![\w'’-])[A-Za-z]{{{MIN_LETTERS},}}(?![\w'’-])")


@cache
def _dictionary() -> frozenset[str]:
    """English words (about 160,000), loaded once on the first unknown long word."""
    return frozenset(_counts())


@cache
def _counts() -> dict[str, int]:
    """How often each dictionary word is written (the same list as ``_dictionary``)."""
    from spellchecker import SpellChecker  # noqa: PLC0415 - loaded only when a slip is possible

    return dict(SpellChecker(distance=1).word_frequency.dictionary)


def is_english(word: str) -> bool:
    """Whether ``word`` (any case) is in the English dictionary."""
    return word.lower() in _dictionary()


MIN_ADVERB = 7  # "publicly"; shorter "-ly" words are too often nouns ("family", "reply")
# "-ly" words that name who or when, or are nouns, though a word is left without it
_LY_NOT_MANNER = frozenset(
    "elderly friendly costly timely likely unlikely monthly quarterly weekly yearly nightly "
    "hourly deadly orderly homely worldly scholarly leisurely lively ghostly stately anomaly "
    "assembly lonely lovely kindly".split()
)


def manner_adverb(word: str) -> bool:
    """Whether ``word`` is an adverb made from an English word ("historically", "publicly").

    Such a word says how something is asked about, not what: "had the NHS ever achieved that
    historically?" asks about the rate. Nouns ending in "ly" ("family", "assembly") are not a
    dictionary word without it.
    """
    low = word.lower()
    if len(low) < MIN_ADVERB or not low.endswith("ly") or low in _LY_NOT_MANNER:
        return False
    return any(base in _dictionary() for base in (low[:-2], low[:-3] + "y", low[:-2] + "e"))


def _one_edit(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    changes = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    return set(deletes + swaps + changes + inserts) - {word}


def correction(word: str, knows: Callable[[str], bool]) -> str | None:
    """The one indexed word ``word`` is a slip for, or ``None`` (see the module docstring)."""
    low = word.lower()
    own = terms(low)
    if len(low) < MIN_LETTERS or not own or knows(own[0]) or is_english(low):
        return None
    found: dict[str, str] = {}
    for edit in sorted(_one_edit(low)):
        term = terms(edit)
        if len(term) == 1 and knows(term[0]):
            found.setdefault(term[0], edit)
    if not found:
        return _framing_slip(low)
    if len(found) != 1:
        return None  # ambiguous: leave the asker's word
    return next(iter(found.values()))


def _framing_slip(low: str) -> str | None:
    """The one word that only frames a question ``low`` is a slip for ("actualy", "tomorow").

    Left as typed, a slip is a word the index never uses, so it weighs as much as the rarest
    topic a passage must hold, and "how many cases are we actualy getting through" was declined.
    """
    counts = _counts()
    english = sorted((e for e in _one_edit(low) if e in counts), key=lambda e: (-counts[e], e))
    if not english:
        return None
    likeliest = english[0]  # "realy" is "really" before "relay"
    own = terms(likeliest)
    framing = all(t in STOPWORDS or t in FRAME_TERMS or t in GENERIC_TERMS for t in own)
    return likeliest if own and framing else None


_JOINED_BY_TERMS = 5  # from five letters the stemmer drops a plural's "s" as terms drops "'s"


def owned(word: str, knows: Callable[[str], bool]) -> str | None:
    """``word`` with or without the possessive's apostrophe, as the index writes it.

    "st aldhelms" is typed for the "St Aldhelm's Hospital" of a trust's documents, and
    "st brannock's" for "St Brannocks": only a word the index never uses is changed.
    """
    if word.isupper():
        return None  # "NEWS 5+" is an acronym (the early warning score), never "new's"
    low = word.lower()
    if len(low.replace("'", "")) >= _JOINED_BY_TERMS:
        # "aldhelms" and "Aldhelm's" are one term already; rewriting "bookings" as "booking's"
        # would only stem it further ("book") than the documents' "bookings"
        return None
    own = terms(low)
    if not own or knows(own[0]):
        return None
    if "'" in low:
        forms = [low.replace("'s", "s").replace("'", ""), low.replace("'s", "").replace("'", "")]
    else:
        forms = [f"{low[:-1]}'s" if low.endswith("s") else f"{low}'s", f"{low}'"]
    for form in forms:
        term = terms(form)
        if len(term) == 1 and knows(term[0]):
            return form
    return None


_OWNED = re.compile(r"(?<![\w'’-])[A-Za-z]{3,}(?:'s?)?(?![\w'’-])")


def corrected(
    query: str, knows: Callable[[str], bool], documents_know: Callable[[str], bool]
) -> str:
    """``query`` with its slips and possessives in the words the index uses.

    Slips (``correction``) follow the whole index (``knows``); possessives (``owned``) only the
    trust's own documents (``documents_know``): the guidance's notes name bodies a question may
    only suppose ("the kings fund").
    """

    def fix(found: re.Match[str]) -> str:
        return correction(found.group(0), knows) or found.group(0)

    def own(found: re.Match[str]) -> str:
        return owned(found.group(0), documents_know) or found.group(0)

    return _WORD.sub(fix, _OWNED.sub(own, query))
