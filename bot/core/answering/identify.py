"""Name the framework item a question describes ("the barrier about having breathing room").

People often remember what a barrier, success factor or approach type is about but not its
name, and describe it in their own words ("the carrot-and-stick stuff aimed at individual
staff", "whats the barrier called that's about having the breathing room to work on change?").
Those words are rarely the guidance's, so the lexical gate declines them. When it does, the
description is matched against each item of the kind asked about, by the embedding model, over
the item's name, definition and the everyday signs or examples ``framework.yaml`` gives for it.
Only a question that asks which item something is (singular, no item named) is answered so;
"which factor did the interviews find weakest?" asks a finding, and is left to the guidance.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

import numpy as np

from bot.core.answering.framework_answers import (
    FrameworkAnswer,
    Item,
    framework_items,
    names_framework_item,
)
from bot.core.answering.topics import topical_terms
from knowledge.embeddings import Vectors
from knowledge.framework import Framework

# a runner-up this close to the best is named too: on the 22 described items of our question
# sets the best alone is right 14 times, the best two 19
NEAR = 0.06
MIN_DESCRIBED = 2  # topical terms the description needs besides the ask's own words

_KIND = (
    r"(?:barrier areas?|barriers?|areas?|success factors?|factors?|approach types?"
    r"|approaches|types?)"
)
_KIND_WORD = re.compile(rf"\b{_KIND}\b", re.IGNORECASE)
# "which of the 4 barriers is the one about …", "which success factor are we missing",
# "whats the barrier called that's …", "which of the three types does that fall under"
_ASKS_WHICH = re.compile(
    rf"\bwhich\s+(?:one\s+|single\s+)?(?:of\s+(?:the|its|their|your)\s+(?:[\w']+\s+){{0,2}})?"
    rf"(?:(?:report|framework|hf|cc)'?s?\s+)?(?:\d+\s+|three\s+|four\s+|seven\s+)?{_KIND}\b"
    rf"|\bwhat(?:'s|s| is)?\s+(?:the\s+)?(?:\w+\s+)?{_KIND}\s+(?:called|that'?s|thats|about|for)\b"
    rf"|\bwhat\s+{_KIND}\s+(?:is|does|would|are we|am i)\b",
    re.IGNORECASE,
)
# a list or a finding, not an item to name: "what are the seven factors?", "which barrier did
# the scan find most often?", "which factor matters most?"
_NOT_NAMING = re.compile(
    r"\b(?:are the|list|most|least|weakest|strongest|biggest|commonest|rank\w*|important"
    r"|priorit\w*|scan|supplement|mckinsey|interview\w*|found|find|finds|phases?|table"
    r"|recommend\w*|recs?|page|chapter|which two|which ones|rely|relies|relied|relying"
    r"|heavily|over-?used|under-?used|over-?relied"
    # "which barrier did they think was worst?" (not "the one about having no time to think")
    r"|(?:do|does|did)\s+(?:they|you|he|she|people|hf|it|the\s+\w+)\s+think|thought"
    r"|lean on|leaned|leaning|too much|difference between|vs|versus|each"
    r"|(?:is|are)(?:\s+not|n'?t))\b",
    re.IGNORECASE,
)
# a description put in quotes, as someone would say it: "is basically 'we're all too busy …'"
QUOTED = re.compile(r"(?<!\w)['‘\"“]((?:[^'’\"”]|(?<=\w)['’](?=\w)){8,200})['’\"”](?!\w)")
_ASK_WORDS = re.compile(
    r"\b(?:which|what|whats|called|name|proper|one|ones|fall|falls|under|sit|sits|fit|fits"
    r"|closest|nearest|missing|knock|knocks|out|is|that|this|it|about|basically|report|report's"
    r"|framework|three|four|seven|types?|barriers?|areas?|factors?|success|approach\w*)\b",
    re.IGNORECASE,
)
# the kind a word of the ask names: "barrier areas", "factors", "approach types", "types"
_KIND_OF = (("barrier", "barrier"), ("area", "barrier"), ("factor", "success factor"))


def kind_asked(question: str) -> str | None:
    """The kind of item a question asks to have named from a description, or None."""
    found = _ASKS_WHICH.search(question)
    # the words of a description quoted as someone would say it describe; they do not ask
    # ("… is basically 'we're too busy to even think about changing anything'")
    if found is None or _NOT_NAMING.search(QUOTED.sub(" ", question)):
        return None
    kind_word = _KIND_WORD.search(found.group(0))
    if kind_word is None:
        return None
    word = kind_word.group(0).lower()
    kind = next((kind for key, kind in _KIND_OF if key in word), "approach type")
    described = _ASK_WORDS.sub(" ", question)
    return kind if len(topical_terms(described)) >= MIN_DESCRIBED else None


def _described_items(framework: Framework) -> list[tuple[Item, tuple[str, ...]]]:
    """Each item with the texts a description is matched against: name, definition, signs."""
    texts: dict[str, tuple[str, ...]] = {}
    for b in framework.barriers:
        texts[b.id] = (b.label, b.definition.text, *(s.text for s in b.signs))
    for f in framework.factors:
        warning, good = (s.text for s in f.warning_signs), (g.text for g in f.good_looks_like)
        texts[f.id] = (f.label, f.definition.text, *warning, *good)
    for a in framework.approaches:
        texts[a.id] = (a.label, a.definition.text, *(x.text for x in a.examples))
    return [(item, texts[item.ident]) for item in framework_items(framework)]


class ItemFinder:
    """Finds the barrier, success factor or approach type a description is closest to."""

    def __init__(self, framework: Framework, embed: Callable[[list[str]], Vectors]) -> None:
        self._framework = framework
        self._embed = embed
        self._lock = threading.Lock()
        self._vectors: list[tuple[Item, Vectors]] | None = None

    def _items(self) -> list[tuple[Item, Vectors]]:
        with self._lock:  # embedded once, on the first question that needs them
            if self._vectors is None:
                items = _described_items(self._framework)
                self._vectors = [(item, self._embed(list(texts))) for item, texts in items]
            return self._vectors

    def answer(self, question: str) -> FrameworkAnswer | None:
        """An answer naming the item described, with its definition; None if none is asked for."""
        kind = kind_asked(question)
        if kind is None or names_framework_item(question, self._framework):
            return None
        vector = self._embed([question])[0]
        scored = sorted(
            (
                (float(np.max(vectors @ vector)), item)
                for item, vectors in self._items()
                if item.kind == kind
            ),
            key=lambda pair: -pair[0],
        )
        (best, item), (second, runner) = scored[0], scored[1]
        text = f"That sounds like {item.label} [1]. {item.text}"
        if best - second < NEAR:
            text += f" It is also close to {runner.label.lower()}."
        topic = f"identify-{kind.replace(' ', '-')}"
        return FrameworkAnswer(text, item.source, topic, item=item.ident)
