"""Start-up caches: exemplar vectors and fitted weights are reused, never stale."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.core.classifier import SoftmaxClassifier, fit_together
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


def test_heads_fitted_together_match_separate_fits(tmp_path: Path) -> None:
    """One descent for several heads gives each head its own fit, rows subset included."""
    rng = np.random.default_rng(7)
    x = rng.normal(size=(60, 12)).astype(np.float32)
    present = ["present" if v > 0 else "absent" for v in x[:, 0]]
    rows = np.arange(0, 60, 3)
    main = ["a" if v > 0 else "b" if v > -0.5 else "c" for v in x[rows, 1]]
    together = [
        SoftmaxClassifier(["absent", "present"], epochs=50),
        SoftmaxClassifier(["a", "b", "c"], l2=1e-2, epochs=50, cache_dir=tmp_path),
    ]
    fit_together(x, [(together[0], present, None), (together[1], main, rows)])
    alone = SoftmaxClassifier(["absent", "present"], epochs=50).fit(x, present)
    alone_main = SoftmaxClassifier(["a", "b", "c"], l2=1e-2, epochs=50).fit(x[rows], main)
    assert np.allclose(together[0].predict_proba(x), alone.predict_proba(x), atol=1e-5)
    assert np.allclose(together[1].predict_proba(x), alone_main.predict_proba(x), atol=1e-5)
    # the subset head's cache is keyed by its own rows, so a lone fit on them loads it
    cached = SoftmaxClassifier(["a", "b", "c"], l2=1e-2, epochs=50, cache_dir=tmp_path)
    assert np.array_equal(cached.fit(x[rows], main).predict_proba(x), together[1].predict_proba(x))


def test_a_fit_keyed_by_its_inputs_never_builds_features_once_cached(tmp_path: Path) -> None:
    """A start with every fit cached skips the training feature matrices altogether."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(40, 6)).astype(np.float32)
    y = ["a" if v > 0 else "b" for v in x[:, 0]]
    built: list[int] = []

    def features() -> np.ndarray:
        built.append(1)
        return x

    first = SoftmaxClassifier(["a", "b"], epochs=50, cache_dir=tmp_path)
    first.fit(features, y, inputs="exemplars-v1")
    again = SoftmaxClassifier(["a", "b"], epochs=50, cache_dir=tmp_path)
    again.fit(features, y, inputs="exemplars-v1")
    assert built == [1]  # built for the fit, not for the load
    assert np.array_equal(first.predict_proba(x), again.predict_proba(x))
    direct = SoftmaxClassifier(["a", "b"], epochs=50).fit(x, y)
    assert np.allclose(first.predict_proba(x), direct.predict_proba(x), atol=1e-6)
    SoftmaxClassifier(["a", "b"], epochs=50, cache_dir=tmp_path).fit(features, y, "exemplars-v2")
    assert built == [1, 1]  # other inputs, another fit
    assert len(list(tmp_path.glob("softmax-*.npz"))) == 2


def test_tfidf_training_matrix_and_fingerprint() -> None:
    """The training matrix is the corpus transformed; the fingerprint follows its tokens."""
    from bot.core.diagnosis.features import TfidfFeatures, inputs_digest

    corpus = ["staff are trained in QI", "no protected time on the rota", "staff lack time"]
    features = TfidfFeatures(corpus, min_df=1)
    assert np.array_equal(features.training_matrix(), features.transform(corpus))
    assert features.fingerprint == TfidfFeatures(list(corpus), min_df=1).fingerprint
    reworded = TfidfFeatures([*corpus[:2], "staff lack protected time"], min_df=1)
    assert reworded.fingerprint != features.fingerprint
    assert TfidfFeatures(corpus, min_df=2).fingerprint != features.fingerprint
    vectors = np.ones((3, 4), np.float32)
    assert inputs_digest(vectors, features, 2.0) != inputs_digest(vectors, features, 1.0)
    assert inputs_digest(vectors, features, 2.0) != inputs_digest(vectors * 2, features, 2.0)
