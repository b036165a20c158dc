"""A small BM25 index over the live chunks: the lexical half of hybrid retrieval.

Postings lists keep a query proportional to the documents that share its terms, so the lexical
side stays fast on large corpora.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

from bot.core.text import terms


class BM25:
    """Okapi BM25 (k1=1.2, b=0.75) over a fixed list of texts."""

    def __init__(self, texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        self._postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        lengths = []
        for i, text in enumerate(texts):
            counts = Counter(terms(text))
            lengths.append(sum(counts.values()))
            for term, freq in counts.items():
                self._postings[term].append((i, freq))
        avg = (sum(lengths) / len(lengths)) if lengths else 1.0
        self._norm = [k1 * (1 - b + b * n / avg) for n in lengths]
        n_docs = len(lengths)
        self.idf = {
            t: math.log(1 + (n_docs - len(p) + 0.5) / (len(p) + 0.5))
            for t, p in self._postings.items()
        }
        self._k1 = k1

    def knows(self, term: str) -> bool:
        """Whether ``term`` (already stemmed) occurs anywhere in the corpus."""
        return term in self.idf

    def top(self, query: str, k: int) -> list[tuple[int, float]]:
        """The ``k`` best (text index, score) pairs for ``query``, best first."""
        scores: dict[int, float] = defaultdict(float)
        for term in set(terms(query)):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for doc, freq in self._postings[term]:
                scores[doc] += idf * freq * (self._k1 + 1) / (freq + self._norm[doc])
        return sorted(scores.items(), key=lambda item: -item[1])[:k]
