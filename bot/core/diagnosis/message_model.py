"""Whole-message barrier probabilities, learned from our own labelled training situations.

The clause model reads each clause alone; this one reads the message as a whole (one-vs-rest
regression on its vector and TF-IDF cues), so context spread across clauses still counts. How
much it weighs against the clause reading is calibrated with cross-fitting (``calibrate.py``).

A second head reads which barrier the writer holds to be the *main* one (the first label of each
training situation): the one that blocks the others, which is not always the loudest clause
("they've seen the data, they just don't believe it will change anything" is mainly motivation
though it speaks of data). It only reorders the barriers found; it never adds or removes one.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.core.classifier import SoftmaxClassifier, fit_together
from bot.core.diagnosis.features import TfidfFeatures, combine, inputs_digest
from bot.core.diagnosis.params import SPARSE_WEIGHT
from bot.core.diagnosis.reading import Reading
from knowledge.embeddings import Embedder, Vectors
from knowledge.exemplars import TrainingSituation
from knowledge.framework import BARRIER_IDS


class MessageModel:
    """One present/absent classifier per barrier over whole messages, and a main-barrier head."""

    def __init__(
        self,
        embedder: Embedder,
        situations: Sequence[TrainingSituation],
        cache_dir: Path | None = None,
    ) -> None:
        texts = [s.text for s in situations]
        self._sparse = TfidfFeatures(texts)
        vectors = embedder.embed(texts)
        self._models = {
            b: SoftmaxClassifier(("absent", "present"), l2=1e-3, epochs=400, cache_dir=cache_dir)
            for b in BARRIER_IDS
        }
        self._main = SoftmaxClassifier(BARRIER_IDS, l2=1e-3, epochs=400, cache_dir=cache_dir)
        named = np.array([i for i, s in enumerate(situations) if s.barriers], dtype=np.int64)
        fit_together(
            lambda: combine(vectors, self._sparse.training_matrix(), SPARSE_WEIGHT),
            [
                *(
                    (model, ["present" if b in s.barriers else "absent" for s in situations], None)
                    for b, model in self._models.items()
                ),
                (self._main, [situations[i].barriers[0] for i in named], named),
            ],
            inputs=inputs_digest(vectors, self._sparse, SPARSE_WEIGHT),
        )

    def _features(self, text: str, vector: Vectors) -> Vectors:
        return combine(vector[None, :], self._sparse.transform([text]), SPARSE_WEIGHT)

    def predict(self, text: str, vector: Vectors) -> dict[str, float]:
        """Probability that each barrier is present in the message."""
        return self._present(self._features(text, vector))

    def predict_main(self, text: str, vector: Vectors) -> dict[str, float]:
        """Probability that each barrier is the main one, the one the writer would name first."""
        return self._main_barrier(self._features(text, vector))

    def annotate(self, reading: Reading, text: str, vector: Vectors) -> None:
        """Give ``reading`` both heads' scores, reading the message's features once."""
        features = self._features(text, vector)
        reading.message, reading.main = self._present(features), self._main_barrier(features)

    def _present(self, features: Vectors) -> dict[str, float]:
        return {b: float(m.predict_proba(features)[0, 1]) for b, m in self._models.items()}

    def _main_barrier(self, features: Vectors) -> dict[str, float]:
        probs = self._main.predict_proba(features)[0]
        return {b: float(probs[i]) for i, b in enumerate(BARRIER_IDS)}
