"""A tiny softmax-regression classifier over sentence features, trained from our exemplars.

It learns from the exemplars we wrote in ``knowledge/``; no evaluation data is ever used to fit
it. Fitting takes seconds on two cores, so fitted weights are cached on disk (keyed by the exact
training data and settings) and every later start loads them instead.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from knowledge.embeddings import Vectors

IntArray = npt.NDArray[np.int64]


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

    def fit(
        self, x: Vectors | Callable[[], Vectors], y: Sequence[str], inputs: str | None = None
    ) -> SoftmaxClassifier:
        """Fit on rows ``x`` with string labels ``y`` (balanced so small classes still count).

        ``x`` and ``inputs`` are as in ``fit_together``.
        """
        fit_together(x, [(self, y, None)], inputs)
        return self

    def _load(self, path: Path | None) -> bool:
        if path is None or not path.exists():
            return False
        try:
            with np.load(path) as saved:
                self._w, self._b = saved["w"], saved["b"]
        except (OSError, ValueError, KeyError):
            return False
        return True

    def _targets(self, y: Sequence[str], rows: IntArray, n: int) -> tuple[Vectors, Vectors]:
        """One-hot targets and class-balanced row weights over all ``n`` rows (0 off ``rows``)."""
        idx = np.array([self.labels.index(label) for label in y], dtype=np.int64)
        onehot = np.zeros((n, len(self.labels)), dtype=np.float32)
        onehot[rows, idx] = 1.0
        counts = np.bincount(idx, minlength=len(self.labels)).astype(np.float32)
        weights = np.zeros((n, 1), dtype=np.float32)
        weights[rows, 0] = (len(idx) / (len(self.labels) * np.clip(counts, 1, None)))[idx]
        weights /= np.float32(len(idx))
        return onehot, weights

    def _cache_path(self, rows_key: bytes, y: Sequence[str]) -> Path | None:
        if self._cache_dir is None:
            return None
        digest = hashlib.sha256(rows_key)
        settings = (self.labels, self._l2, self._epochs, self._rate, list(y))
        digest.update(repr(settings).encode())
        return self._cache_dir / f"softmax-{digest.hexdigest()[:32]}.npz"

    def predict_proba(self, x: Vectors) -> Vectors:
        """Class probabilities per row, columns in ``labels`` order."""
        return _softmax((x @ self._w + self._b) / self._temperature)


# (classifier, its labels, the rows of ``x`` it learns from or None for all)
Head = tuple[SoftmaxClassifier, Sequence[str], "IntArray | None"]


def fit_together(
    x: Vectors | Callable[[], Vectors], heads: Sequence[Head], inputs: str | None = None
) -> None:
    """Fit several classifiers on rows of the same ``x`` in one gradient descent.

    The heads' weights sit side by side in one matrix, so every epoch reads ``x`` once for all
    of them instead of once each (the whole-message model's five heads fit about four times
    faster); each head's gradient only touches its own columns, so the result is the separate
    fits' up to float rounding. A head with a cached fit is loaded, not refitted.

    Cached fits are keyed by the rows they learn from: their bytes, or, when the caller gives
    ``inputs`` (a digest of everything ``x`` is computed from), that digest and the row numbers.
    Then ``x`` may be a function that builds it, called only when some head must be fitted: a
    start with every fit cached never builds the training features at all.
    """
    if inputs is None and callable(x):
        x = x()
    todo: list[tuple[SoftmaxClassifier, Sequence[str], IntArray | None, Path | None]] = []
    for model, y, rows in heads:
        picked = None if rows is None else np.asarray(rows, dtype=np.int64)
        path = model._cache_path(_rows_key(x, picked, inputs), y)
        if not model._load(path):
            todo.append((model, y, picked, path))
    if not todo:
        return
    if callable(x):
        x = x()
    epochs, rate = todo[0][0]._epochs, todo[0][0]._rate
    if any((m._epochs, m._rate) != (epochs, rate) for m, *_rest in todo):
        raise ValueError("classifiers fitted together must share epochs and rate")
    edges = np.cumsum([0] + [len(m.labels) for m, *_rest in todo]).tolist()
    cols = [slice(a, b) for a, b in zip(edges, edges[1:], strict=False)]
    targets = [
        m._targets(y, np.arange(len(x)) if rows is None else rows, len(x))
        for m, y, rows, _path in todo
    ]
    l2 = np.concatenate([np.full(len(m.labels), m._l2, np.float32) for m, *_rest in todo])
    w = np.zeros((x.shape[1], edges[-1]), dtype=np.float32)
    b = np.zeros(edges[-1], dtype=np.float32)
    grad = np.zeros((len(x), edges[-1]), dtype=np.float32)
    for _ in range(epochs):
        z = x @ w + b
        for col, (onehot, weights) in zip(cols, targets, strict=True):
            grad[:, col] = (_softmax(z[:, col]) - onehot) * weights
        w -= rate * (x.T @ grad + l2 * w)
        b -= rate * grad.sum(axis=0)
    for col, (model, _y, _rows, path) in zip(cols, todo, strict=True):
        model._w, model._b = np.ascontiguousarray(w[:, col]), b[col].copy()
        if path is not None:
            _save(path, model._w, model._b)


def _rows_key(
    x: Vectors | Callable[[], Vectors], rows: IntArray | None, inputs: str | None
) -> bytes:
    """What identifies the rows a head learns from (see ``fit_together``)."""
    if inputs is not None:
        numbers = b"" if rows is None else rows.tobytes()
        return hashlib.sha256(inputs.encode() + b"\x00" + numbers).digest()
    assert not callable(x)  # fit_together builds x first when no digest is given
    picked = x if rows is None else x[rows]
    return np.ascontiguousarray(picked, dtype=np.float32).tobytes()


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
