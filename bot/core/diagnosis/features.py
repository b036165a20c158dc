"""Clause features for the diagnosis classifiers: the sentence vector plus TF-IDF word cues.

The embedding captures meaning; the sparse word and bigram weights (learned from our exemplars)
let the classifier use telling words such as "trained", "rota" or "bought in" directly.
"""

from __future__ import annotations

import hashlib
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
        self._corpus = [_tokens(text) for text in corpus]
        df: Counter[str] = Counter()
        for tokens in self._corpus:
            df.update(set(tokens))
        kept = sorted(t for t, n in df.items() if n >= min_df)
        self._vocab = {t: i for i, t in enumerate(kept)}
        self._idf = np.array([math.log(len(corpus) / df[t]) for t in kept], dtype=np.float32)
        digest = hashlib.sha256(f"tfidf-{min_df}".encode())
        for tokens in self._corpus:
            digest.update(("\x1e" + "\x1f".join(tokens)).encode())
        self.fingerprint = digest.hexdigest()
        """Identifies the training matrix exactly: it is a function of the corpus's tokens."""

    def transform(self, texts: Sequence[str]) -> Vectors:
        """One row per text."""
        return self._matrix([_tokens(text) for text in texts])

    def training_matrix(self) -> Vectors:
        """``transform`` of the corpus, from the tokens already read."""
        return self._matrix(self._corpus)

    def _matrix(self, token_lists: Sequence[list[str]]) -> Vectors:
        out = np.zeros((len(token_lists), len(self._vocab)), dtype=np.float32)
        for row, tokens in enumerate(token_lists):
            for token in tokens:
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


def inputs_digest(vectors: Vectors, sparse: TfidfFeatures, weight: float) -> str:
    """Identifies ``combine(vectors, sparse.training_matrix(), weight)`` without building it."""
    digest = hashlib.sha256(np.ascontiguousarray(vectors, dtype=np.float32).tobytes())
    digest.update(f"{sparse.fingerprint} {weight!r} {vectors.shape}".encode())
    return digest.hexdigest()


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
