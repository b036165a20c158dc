"""A tiny softmax-regression classifier over sentence embeddings, trained at start-up.

It learns from the exemplars we wrote in ``knowledge/`` (a few hundred short sentences), which
takes well under a second; no evaluation data is ever used to fit it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from knowledge.embeddings import Vectors


class SoftmaxClassifier:
    """Multinomial logistic regression with L2, class-balanced, fitted by gradient descent."""

    def __init__(
        self,
        labels: Sequence[str],
        l2: float = 1e-3,
        epochs: int = 300,
        rate: float = 2.0,
        temperature: float = 1.0,
    ) -> None:
        self.labels = list(labels)
        self._l2, self._epochs, self._rate = l2, epochs, rate
        self._temperature = temperature
        self._w = np.zeros((0, len(self.labels)), dtype=np.float32)
        self._b = np.zeros(len(self.labels), dtype=np.float32)

    def fit(self, x: Vectors, y: Sequence[str]) -> SoftmaxClassifier:
        """Fit on rows ``x`` with string labels ``y`` (balanced so small classes still count)."""
        idx = np.array([self.labels.index(label) for label in y])
        onehot = np.eye(len(self.labels), dtype=np.float32)[idx]
        counts = onehot.sum(axis=0)
        weights = (len(idx) / (len(self.labels) * np.clip(counts, 1, None)))[idx][:, None]
        w = np.zeros((x.shape[1], len(self.labels)), dtype=np.float32)
        b = np.zeros(len(self.labels), dtype=np.float32)
        for _ in range(self._epochs):
            p = _softmax(x @ w + b)
            grad = (p - onehot) * weights / len(idx)
            w -= self._rate * (x.T @ grad + self._l2 * w)
            b -= self._rate * grad.sum(axis=0)
        self._w, self._b = w, b
        return self

    def predict_proba(self, x: Vectors) -> Vectors:
        """Class probabilities per row, columns in ``labels`` order."""
        return _softmax((x @ self._w + self._b) / self._temperature)


def _softmax(z: Vectors) -> Vectors:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    result: Vectors = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
    return result
