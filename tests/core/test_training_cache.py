"""Start-up caches: exemplar vectors and fitted weights are reused, never stale."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.core.classifier import SoftmaxClassifier
from knowledge.embeddings import TrainingVectorCache


class CountingEmbedder:
    name = "counting"
    dimension = 4

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts):  # type: ignore[no-untyped-def]
        self.calls += 1
        rows = np.array([[len(t), t.count("a"), t.count("e"), 1.0] for t in texts], np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_large_batches_are_cached_small_ones_pass_through(tmp_path: Path) -> None:
    inner = CountingEmbedder()
    cache = TrainingVectorCache(inner, tmp_path, min_batch=3)
    texts = ["alpha", "beta", "gamma", "delta"]
    first = cache.embed(texts)
    again = cache.embed(texts)
    assert inner.calls == 1 and np.array_equal(first, again)
    cache.embed(["alpha", "beta", "gamma", "epsilon"])  # edited exemplars miss the cache
    cache.embed(["one query"])
    cache.embed(["one query"])
    assert inner.calls == 4
    assert len(list(tmp_path.glob("vectors-*.npy"))) == 2


def test_fitted_weights_are_reused_and_keyed_by_data(tmp_path: Path) -> None:
    x = np.eye(4, dtype=np.float32)
    y = ["a", "b", "a", "b"]
    fitted = SoftmaxClassifier(["a", "b"], cache_dir=tmp_path).fit(x, y)
    loaded = SoftmaxClassifier(["a", "b"], cache_dir=tmp_path).fit(x, y)
    assert np.allclose(fitted.predict_proba(x), loaded.predict_proba(x))
    assert fitted.predict_proba(x)[0].argmax() == 0
    SoftmaxClassifier(["a", "b"], cache_dir=tmp_path).fit(x, ["b", "a", "b", "a"])
    assert len(list(tmp_path.glob("softmax-*.npz"))) == 2


def test_corrupt_cache_file_is_ignored(tmp_path: Path) -> None:
    inner = CountingEmbedder()
    cache = TrainingVectorCache(inner, tmp_path, min_batch=1)
    cache.embed(["alpha"])
    for path in tmp_path.glob("vectors-*.npy"):
        path.write_bytes(b"garbage")
    assert cache.embed(["alpha"]).shape == (1, 4) and inner.calls == 2
