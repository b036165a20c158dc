"""A small BM25 index over the live chunks: the lexical half of hybrid retrieval.

Postings are numpy arrays, so a query costs a few vector operations per query term even when a
term occurs in most of a 100k-chunk corpus.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from bot.core.wording import terms


class BM25:
    """Okapi BM25 (k1=1.2, b=0.75) over a fixed list of texts."""

    def __init__(self, texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        docs: dict[str, list[int]] = defaultdict(list)
        freqs: dict[str, list[int]] = defaultdict(list)
        lengths = np.zeros(len(texts), dtype=np.float32)
        for i, text in enumerate(texts):
            counts = Counter(terms(text))
            lengths[i] = sum(counts.values())
            for term, freq in counts.items():
                docs[term].append(i)
                freqs[term].append(freq)
        avg = float(lengths.mean()) if len(texts) else 1.0
        self._norm = k1 * (1 - b + b * lengths / max(avg, 1e-9))
        self._postings: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]] = {
            t: (np.array(docs[t], dtype=np.int64), np.array(freqs[t], dtype=np.float32))
            for t in docs
        }
        n = len(texts)
        self.idf = {t: math.log(1 + (n - len(d) + 0.5) / (len(d) + 0.5)) for t, d in docs.items()}
        self._k1 = k1
        self._size = n

    def knows(self, term: str) -> bool:
        """Whether ``term`` (already stemmed) occurs anywhere in the corpus."""
        return term in self.idf

    def occurs_in(self, term: str, rows: npt.NDArray[np.bool_]) -> bool:
        """Whether ``term`` occurs in any text whose row is set in ``rows`` (one per text)."""
        posting = self._postings.get(term)
        return posting is not None and bool(rows[posting[0]].any())

    def top(self, query: str, k: int) -> list[tuple[int, float]]:
        """The ``k`` best (text index, score) pairs for ``query``, best first."""
        scores = np.zeros(self._size, dtype=np.float32)
        for term in set(terms(query)):
            posting = self._postings.get(term)
            if posting is None:
                continue
            docs, tf = posting
            scores[docs] += self.idf[term] * tf * (self._k1 + 1) / (tf + self._norm[docs])
        if not self._size:
            return []
        k = min(k, self._size)
        best = np.argpartition(-scores, k - 1)[:k]
        return [
            (int(i), float(scores[i])) for i in best[np.argsort(-scores[best])] if scores[i] > 0
        ]
