"""Name what a told situation is an instance of: the scan's barrier, or the approach applied.

A ward sister who writes that "every profession says it's not our job" and asks what the
evidence scan calls it wants the scan's own name, role demarcation, not only the framework's
barrier area; a director who writes that "the regulator put us in special measures" and asks
which type of national approach that is wants Type 1, prod organisations, not the types that
would help. Each candidate (the scan's sixteen named barriers; the three approach types) is
matched by the embedding model against each clause of the story, over its name, gloss or
definition and the everyday signs ``knowledge/matching.yaml`` gives for it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import numpy as np

from bot.core.answering.question_form import message_parts
from bot.core.answering.topics import only_says_who_asks
from knowledge.embeddings import Vectors
from knowledge.framework import Approach, Framework, Source
from knowledge.matching import Matching, ScanBarrier

LINKED = 0.03  # preference for a scan barrier that bears on a barrier area the diagnosis found
NEAR = 0.03  # a runner-up this close to the best is named too
SURE = 0.7  # a scan barrier this close to a story is named even when the scan was not asked about
CLEAR_MARGIN = 0.2  # … when no other scan barrier comes within this of it
MIN_WORDS = 3  # a shorter clause of the story ("so frustrating") is left out
MIN_STORY_WORDS = 8  # "commissioner. we'd rather fund … - does the report back that?" is one ask
# "we'd rather fund improvement support than add more contract penalties": what is set aside
# after "than" or "instead of" is not what the story describes
_SET_ASIDE = re.compile(r"\b(?:than|instead of)\b.*", re.IGNORECASE)
# clauses of a sentence run together with commas and dashes: "head of nursing here, our trust
# went into special measures, in HF terms what type is that"
_CLAUSE_BREAK = re.compile(r",\s+|\s+[-\u2013\u2014]\s+|;\s*")
# "… a national tool and honestly half the team couldnt make sense of it so it just sat in a
# drawer": a clause joined to the next by a conjunction and its own subject; both the whole clause
# and its parts are matched, so "our dashboards are late and nobody uses them" keeps its subject
_JOINED = re.compile(
    r"\s+(?:and|so|but|cos|because)\s+(?=(?:honestly\s+|then\s+|now\s+)?(?:i|we|they|it|he|she|"
    r"half|most|some|staff|the\s+team)\b)",
    re.IGNORECASE,
)
# who is writing, not what happened: "porter supervisor here", "I'm a band 7 physio"
_SIGNING_IN = re.compile(
    r"^\s*(?:(?:[\w&'/-]+\s+){1,5}here"
    r"|(?:i'?m|i am)\s+(?:an?|the)\s+(?:[\w&'/-]+\s*){1,5})\W*$",
    re.IGNORECASE,
)
PHASES = {1: "one of the three phases", 2: "two of the three phases", 3: "all three phases"}
# where the scan's table of barriers is: its names, categories and phases
SCAN_TABLE = Source(document="evidence_scan", chapter="Key messages", page="3")

Candidate = TypeVar("Candidate", ScanBarrier, Approach)


def told_story(text: str, asks: str) -> str:
    """The message without its asks, or whole when the story is told inside the ask."""
    story = text.replace(asks, " ").strip()
    return story if len(story.split()) >= MIN_STORY_WORDS else text


def story_sentences(story: str) -> list[str]:
    """The sentences of a story worth matching, each without what it sets aside."""
    clauses = [c for p in message_parts(story) for c in _CLAUSE_BREAK.split(p)]
    parts = [p for c in clauses for p in dict.fromkeys([c, *_JOINED.split(c)])]
    told = [
        _SET_ASIDE.sub("", c).strip()
        for c in parts
        if not (_SIGNING_IN.match(c) or only_says_who_asks(c))
    ]
    return [p for p in told if len(p.split()) >= MIN_WORDS] or [story]


class _Matcher(Generic[Candidate]):
    """Candidates embedded once, on first use, and scored against a story's sentences."""

    def __init__(
        self,
        candidates: Sequence[tuple[Candidate, tuple[str, ...]]],
        embed: Callable[[list[str]], Vectors],
    ) -> None:
        self._candidates: Sequence[tuple[Candidate, tuple[str, ...]]] = candidates
        self._embed = embed
        self._lock = threading.Lock()
        self._vectors: list[tuple[Candidate, Vectors]] | None = None

    def scored(
        self, story: str, bonus: Callable[[Candidate], float]
    ) -> list[tuple[float, Candidate]]:
        """Every candidate with its best sentence-to-text similarity, best first."""
        with self._lock:
            if self._vectors is None:
                self._vectors = [(c, self._embed(list(t))) for c, t in self._candidates]
            vectors = self._vectors
        sentences = self._embed(story_sentences(story))
        scored = [(float(np.max(v @ sentences.T)) + bonus(c), c) for c, v in vectors]
        return sorted(scored, key=lambda pair: -pair[0])


class ScanFinder:
    """Finds the evidence scan's named barriers closest to a described situation."""

    def __init__(self, matching: Matching, embed: Callable[[list[str]], Vectors]) -> None:
        texts = [(s, (s.name, s.gloss, *s.signs)) for s in matching.scan_barriers]
        self._matcher = _Matcher(texts, embed)

    def nearest(self, story: str, found: Sequence[str]) -> list[ScanBarrier]:
        """The best match for the ``story`` told, and the runner-up when it is as close.

        ``story`` is the message without its asks: "what does the evidence scan call this?"
        would otherwise pull towards "Insufficient evidence base". ``found`` are the barrier
        areas the diagnosis found, main first: a scan barrier that bears on one of the first
        two is preferred by a small margin, as the diagnosis has read the whole story.
        """
        linked = set(found[:2])
        scored = self._matcher.scored(story, lambda s: LINKED if linked & set(s.barriers) else 0)
        (best, first), (second, runner) = scored[0], scored[1]
        return [first, runner] if best - second < NEAR else [first]

    def clear(self, story: str) -> list[ScanBarrier]:
        """The scan's barrier the story plainly describes, unasked ("restructured 3 times").

        Only a close match well ahead of the next: over our question sets' stories, matches
        above ``SURE`` with a ``CLEAR_MARGIN`` lead named the barrier a careful reader would.
        """
        scored = self._matcher.scored(story, lambda _s: 0.0)
        (best, first), (second, _runner) = scored[0], scored[1]
        return [first] if best >= SURE and best - second >= CLEAR_MARGIN else []


class ApproachFinder:
    """Finds the approach type a story describes national bodies (or the asker) applying."""

    def __init__(
        self, framework: Framework, matching: Matching, embed: Callable[[list[str]], Vectors]
    ) -> None:
        signs = matching.approach_signs
        texts = [
            (a, (a.label, a.definition.text, *signs.get(a.id, ()))) for a in framework.approaches
        ]
        self._matcher = _Matcher(texts, embed)

    def described(self, story: str) -> Approach:
        """The approach type the ``story`` describes, the closest of the three."""
        return self._matcher.scored(story, lambda _: 0.0)[0][1]


def scan_sentence(found: Sequence[ScanBarrier], marker: str = "", brief: bool = False) -> str:
    """The scan's names for the situation, told with their category and phases.

    ``marker`` is the citation marker, placed before the first sentence's full stop. ``brief``
    (the scan named unasked) gives the name and its category only.
    """
    first = found[0]
    if brief:
        end = f" {marker}." if marker else "."
        return (
            f"In the evidence scan's terms this is closest to '{first.name}', one of its "
            f"{first.category} barriers{end}"
        )
    text = (
        f"In the evidence scan's terms this is closest to '{first.name}', one of its "
        f"{first.category} barriers, marked in {PHASES[first.phases]} of an initiative"
    )
    if len(found) > 1:
        text += f", or to '{found[1].name}' ({found[1].category})"
    text += f" {marker}." if marker else "."
    shown = next((s for s in found if s.example), None)
    if shown is not None:  # "… and is there a similar example in there?"
        text += f" For {shown.name.lower()}, {shown.example}."
    return text
