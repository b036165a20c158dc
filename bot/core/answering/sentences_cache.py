"""Sentence vectors of retrieved passages, cached per chunk (chunks never change in a version).

Reranking and the offline composer both work at sentence level; caching keeps a warm question
to one query embedding plus the few sentences not seen before.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

import numpy as np

from bot.core.models import Passage
from bot.core.wording import sentences, word_count
from knowledge.embeddings import Embedder, Vectors

_SOURCE_LINE = re.compile(r"^\s*(source|sources)\s*:", re.IGNORECASE)
_HEADING = re.compile(r"^#+\s")
_ASIDE = re.compile(r"^\(.*\)\.?$")
MAX_CACHED = 20_000


def usable_sentences(text: str) -> list[str]:
    """Sentences worth quoting: no source lines, headings or fragments."""
    return [
        s.strip()
        for s in sentences(text)
        if not _SOURCE_LINE.match(s)
        and not _HEADING.match(s)
        and not _ASIDE.match(s.strip())
        and word_count(s) >= 4
    ]


class SentenceCache:
    """Sentence lists and their vectors per chunk id, least recently used evicted."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._lock = threading.Lock()
        self._items: OrderedDict[str, tuple[list[str], Vectors]] = OrderedDict()

    def get(self, passages: list[Passage]) -> list[tuple[list[str], Vectors]]:
        """(sentences, vectors) for each passage, embedding only the ones not cached yet."""
        with self._lock:
            missing = [p for p in passages if p.chunk_id not in self._items]
        texts: list[str] = []
        spans: list[tuple[Passage, list[str]]] = []
        for passage in missing:
            found = usable_sentences(passage.text)
            spans.append((passage, found))
            texts.extend(found)
        vectors = self._embedder.embed(texts) if texts else np.zeros((0, 1), np.float32)
        with self._lock:
            start = 0
            for passage, found in spans:
                self._items[passage.chunk_id] = (found, vectors[start : start + len(found)])
                start += len(found)
            for passage in passages:
                self._items.move_to_end(passage.chunk_id)
            while len(self._items) > MAX_CACHED:
                self._items.popitem(last=False)
            return [self._items[p.chunk_id] for p in passages]
