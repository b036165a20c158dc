"""Clause features for the diagnosis classifiers: the sentence vector plus TF-IDF word cues.

The embedding captures meaning; the sparse word and bigram weights (learned from our exemplars)
let the classifier use telling words such as "trained", "rota" or "bought in" directly.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from bot.core.wording import terms
from knowledge.embeddings import Vectors


def _tokens(text: str) -> list[str]:
    words = terms(text)
    return words + [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)]


class TfidfFeatures:
    """L2-normalised TF-IDF over unigrams and bigrams seen at least twice in training."""

    def __init__(self, corpus: Sequence[str], min_df: int = 2) -> None:
        df: Counter[str] = Counter()
        for text in corpus:
            df.update(set(_tokens(text)))
        kept = sorted(t for t, n in df.items() if n >= min_df)
        self._vocab = {t: i for i, t in enumerate(kept)}
        self._idf = np.array([math.log(len(corpus) / df[t]) for t in kept], dtype=np.float32)

    def transform(self, texts: Sequence[str]) -> Vectors:
        """One row per text."""
        out = np.zeros((len(texts), len(self._vocab)), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in _tokens(text):
                col = self._vocab.get(token)
                if col is not None:
                    out[row, col] += self._idf[col]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        result: Vectors = out / np.clip(norms, 1e-9, None)
        return result


def combine(vectors: Vectors, sparse: Vectors, weight: float) -> Vectors:
    """Concatenate dense and weighted sparse features."""
    result: Vectors = np.hstack([vectors, weight * sparse]).astype(np.float32)
    return result


class NearestExemplars:
    """Class scores from the mean similarity to each class's k most similar exemplars."""

    def __init__(self, labels: Sequence[str], k: int = 7, sharpness: float = 0.05) -> None:
        self.labels = list(labels)
        self._k, self._sharpness = k, sharpness
        self._vectors = np.zeros((0, 1), dtype=np.float32)
        self._classes = np.zeros(0, dtype=np.int64)

    def fit(self, vectors: Vectors, labels: Sequence[str]) -> NearestExemplars:
        """Remember the exemplars."""
        self._vectors = vectors
        self._classes = np.array([self.labels.index(label) for label in labels])
        return self

    def predict_proba(self, vectors: Vectors) -> Vectors:
        """Softmax over classes of the top-k mean cosine similarity."""
        sims = vectors @ self._vectors.T
        scores = np.zeros((len(vectors), len(self.labels)), dtype=np.float32)
        for c in range(len(self.labels)):
            own = sims[:, self._classes == c]
            k = min(self._k, own.shape[1])
            scores[:, c] = np.sort(own, axis=1)[:, -k:].mean(axis=1) if k else -1.0
        z = (scores - scores.max(axis=1, keepdims=True)) / self._sharpness
        e = np.exp(z)
        result: Vectors = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
        return result
