"""Lists in a trust's documents: a sentence that announces one and the bullets that follow it.

"The service does not accept:" means nothing alone, and "- the ulcer has not healed within 12
weeks; or" is half a rule: read together ("Refer to the TVN service if: the ulcer has reduced by
less than 40% after 4 weeks; the ulcer has not healed within 12 weeks") they answer "what's the
cutoff for sending a leg ulcer to TVN?". Sentences come without their bullet marks
(``wording.sentences``), so the passage's own text says which were bullets.
"""

from __future__ import annotations

import re

from bot.core.wording import word_count

MAX_LIST_WORDS = 90  # a longer list stays as separate sentences: one lead must not fill the answer
_PROBE = 40  # characters of an item looked for after a bullet mark in the passage's text


def _bulleted(sentence: str, text: str) -> bool:
    """Whether ``sentence`` starts a bullet or numbered line of ``text``."""
    probe = re.escape(sentence[:_PROBE])
    return re.search(rf"(?m)^[ \t]*(?:[-*\u2022]|\d+[.)])[ \t]+{probe}", text) is not None


def announced_lists(sentences: list[str], text: str) -> dict[int, list[int]]:
    """Each sentence ending in ":" mapped to the bulleted sentences right after it.

    Only lists short enough to quote whole (``MAX_LIST_WORDS``) and with at least two items.
    """
    found: dict[int, list[int]] = {}
    for i, sentence in enumerate(sentences):
        if not sentence.rstrip().endswith(":"):
            continue
        items: list[int] = []
        for j in range(i + 1, len(sentences)):
            if not _bulleted(sentences[j], text):
                break
            items.append(j)
        words = word_count(sentence) + sum(word_count(sentences[j]) for j in items)
        if len(items) >= 2 and words <= MAX_LIST_WORDS:
            found[i] = items
    return found


_JOINER = re.compile(r"[\s;,.]*(?:\b(?:or|and)\b)?[\s;,.]*$", re.IGNORECASE)


def as_one_sentence(intro: str, items: list[str]) -> str:
    """The announcing sentence and its items as one: "… does not accept: children; stroke; …".

    An item's own joining word ("…; or") goes: the items are joined here.
    """
    return f"{intro.rstrip()} {'; '.join(_JOINER.sub('', item) for item in items)}"
