"""A tiny softmax-regression classifier over sentence features, trained from our exemplars.

It learns from the exemplars we wrote in ``knowledge/``; no evaluation data is ever used to fit
it. Fitting takes seconds on two cores, so fitted weights are cached on disk (keyed by the exact
training data and settings) and every later start loads them instead.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

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
        cache_dir: Path | None = None,
    ) -> None:
        self.labels = list(labels)
        self._l2, self._epochs, self._rate = l2, epochs, rate
        self._temperature = temperature
        self._cache_dir = cache_dir
        self._w = np.zeros((0, len(self.labels)), dtype=np.float32)
        self._b = np.zeros(len(self.labels), dtype=np.float32)

    def fit(self, x: Vectors, y: Sequence[str]) -> SoftmaxClassifier:
        """Fit on rows ``x`` with string labels ``y`` (balanced so small classes still count)."""
        path = self._cache_path(x, y)
        if path is not None and path.exists():
            try:
                with np.load(path) as saved:
                    self._w, self._b = saved["w"], saved["b"]
                return self
            except (OSError, ValueError, KeyError):
                pass
        self._w, self._b = self._descend(x, y)
        if path is not None:
            _save(path, self._w, self._b)
        return self

    def _descend(self, x: Vectors, y: Sequence[str]) -> tuple[Vectors, Vectors]:
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
        return w, b

    def _cache_path(self, x: Vectors, y: Sequence[str]) -> Path | None:
        if self._cache_dir is None:
            return None
        digest = hashlib.sha256(np.ascontiguousarray(x, dtype=np.float32).tobytes())
        settings = (self.labels, self._l2, self._epochs, self._rate, list(y))
        digest.update(repr(settings).encode())
        return self._cache_dir / f"softmax-{digest.hexdigest()[:32]}.npz"

    def predict_proba(self, x: Vectors) -> Vectors:
        """Class probabilities per row, columns in ``labels`` order."""
        return _softmax((x @ self._w + self._b) / self._temperature)


def _save(path: Path, w: Vectors, b: Vectors) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
        np.savez(partial, w=w, b=b)
        os.replace(partial, path)
    except OSError:
        pass  # a read-only data directory only costs start-up time


def _softmax(z: Vectors) -> Vectors:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    result: Vectors = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
    return result
