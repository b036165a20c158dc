"""Read a situation clause by clause: which barriers and weak factors does each clause show?

Each clause is scored by an ensemble of a softmax regression (sentence vector + TF-IDF cues) and
nearest-exemplar similarity, both fitted at start-up on our own exemplars (``knowledge/``), over
the classes plus "none" (counter-signs such as "the team are keen", and neutral context). A
contrast clause ("really keen, but…") therefore lands in "none" instead of lending weight to
motivation. A barrier's score mixes its strongest clause with how much of the message shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.core.classifier import SoftmaxClassifier
from bot.core.diagnosis.emphasis import stressed_clauses, turned_clauses
from bot.core.diagnosis.features import (
    NearestExemplars,
    TfidfFeatures,
    combine,
    inputs_digest,
)
from bot.core.diagnosis.params import BARRIER_SPARSE_WEIGHT, EVIDENCE_FLOOR, FACTOR_SPARSE_WEIGHT
from knowledge.embeddings import Embedder, Vectors
from knowledge.exemplars import Exemplars
from knowledge.framework import BARRIER_IDS, FACTOR_IDS, Framework

NONE = "none"


@dataclass
class Reading:
    """Scores in [0, 1] per barrier and factor, where each barrier first shows, and evidence.

    ``message`` and ``main`` are the whole-message model's presence and main-barrier
    probabilities (empty when it is not used); ``stressed`` and ``turned`` are each barrier's
    strongest reading in the clauses the writer marks as the main problem and in those that
    follow a contrast ("…, but …"), empty when there are none. ``reader`` and
    ``reader_present`` are the fine-tuned reader's main-barrier and presence probabilities
    (``main_reader.py``), empty when it is not shipped.
    """

    barriers: dict[str, float]
    factors: dict[str, float]
    first_clause: dict[str, float] = field(default_factory=dict)
    message: dict[str, float] = field(default_factory=dict)
    main: dict[str, float] = field(default_factory=dict)
    reader: dict[str, float] = field(default_factory=dict)
    reader_present: dict[str, float] = field(default_factory=dict)
    stressed: dict[str, float] = field(default_factory=dict)
    turned: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)


class ClauseModel:
    """Ensemble clause classifier over a fixed label set (the last label is "none")."""

    def __init__(
        self,
        labels: Sequence[str],
        texts: list[str],
        targets: list[str],
        vectors: Vectors,
        sparse_weight: float,
        cache_dir: Path | None = None,
    ) -> None:
        self.labels = list(labels)
        self._sparse = TfidfFeatures(texts)
        self._sparse_weight = sparse_weight
        self._regression = SoftmaxClassifier(
            self.labels, l2=1e-4, epochs=600, cache_dir=cache_dir
        ).fit(
            lambda: combine(vectors, self._sparse.training_matrix(), sparse_weight),
            targets,
            inputs=inputs_digest(vectors, self._sparse, sparse_weight),
        )
        self._neighbours = NearestExemplars(self.labels).fit(vectors, targets)

    def predict_proba(self, texts: Sequence[str], vectors: Vectors) -> Vectors:
        """Average of the two members' class probabilities, one row per clause."""
        dense_sparse = combine(vectors, self._sparse.transform(texts), self._sparse_weight)
        result: Vectors = 0.5 * self._regression.predict_proba(dense_sparse) + 0.5 * (
            self._neighbours.predict_proba(vectors)
        )
        return result


def training_sets(
    framework: Framework, exemplars: Exemplars
) -> tuple[list[str], list[str], list[str], list[str]]:
    """(barrier texts, barrier labels, factor texts, factor labels), "none" included."""
    none = [*exemplars.neutral, *(s for v in exemplars.counter_signs.values() for s in v)]
    b_texts, b_labels = list(none), [NONE] * len(none)
    for barrier in framework.barriers:
        signs = [s.text for s in barrier.signs] + list(exemplars.barrier_signs.get(barrier.id, ()))
        b_texts += signs
        b_labels += [barrier.id] * len(signs)
    f_texts, f_labels = list(exemplars.neutral), [NONE] * len(exemplars.neutral)
    for factor in framework.factors:
        signs = [s.text for s in factor.warning_signs] + list(
            exemplars.factor_signs.get(factor.id, ())
        )
        f_texts += signs
        f_labels += [factor.id] * len(signs)
    return b_texts, b_labels, f_texts, f_labels


def aggregate(p: Vectors) -> Vectors:
    """Per-label message score: 70% strongest clause, 30% how widely the label shows."""
    result: Vectors = 0.7 * p.max(axis=0) + 0.3 * np.clip(p.sum(axis=0) / 2, 0, 1)
    return result


class SituationReader:
    """Clause-level barrier and factor scoring with models fitted on our exemplars."""

    def __init__(
        self,
        embedder: Embedder,
        framework: Framework,
        exemplars: Exemplars,
        cache_dir: Path | None = None,
    ) -> None:
        b_texts, b_labels, f_texts, f_labels = training_sets(framework, exemplars)
        vectors = embedder.embed(b_texts + f_texts)
        self.barrier_model = ClauseModel(
            [*BARRIER_IDS, NONE],
            b_texts,
            b_labels,
            vectors[: len(b_texts)],
            BARRIER_SPARSE_WEIGHT,
            cache_dir,
        )
        self.factor_model = ClauseModel(
            [*FACTOR_IDS, NONE],
            f_texts,
            f_labels,
            vectors[len(b_texts) :],
            FACTOR_SPARSE_WEIGHT,
            cache_dir,
        )

    def read(self, clauses: list[str], vectors: Vectors, text: str) -> Reading:
        """Score every barrier and factor from clause vectors (one row per clause).

        ``text`` is the message the clauses were cut from (to see the contrasts between them).
        """
        pb = self.barrier_model.predict_proba(clauses, vectors)[:, : len(BARRIER_IDS)]
        pf = self.factor_model.predict_proba(clauses, vectors)[:, : len(FACTOR_IDS)]
        b_scores, f_scores = aggregate(pb), aggregate(pf)
        reading = Reading(
            barriers={b: float(b_scores[i]) for i, b in enumerate(BARRIER_IDS)},
            factors={f: float(f_scores[i]) for i, f in enumerate(FACTOR_IDS)},
        )
        last = max(1, len(clauses) - 1)
        for i, b in enumerate(BARRIER_IDS):
            order = np.argsort(-pb[:, i])
            reading.evidence[b] = [clauses[j] for j in order[:2] if pb[j, i] >= EVIDENCE_FLOOR]
            hits = np.flatnonzero(pb[:, i] >= EVIDENCE_FLOOR)
            reading.first_clause[b] = float(hits[0] / last) if len(hits) else 1.0
        reading.stressed = _strongest(pb, stressed_clauses(clauses))
        reading.turned = _strongest(pb, turned_clauses(text, clauses))
        return reading


def _strongest(p: Vectors, rows: list[int]) -> dict[str, float]:
    """Each barrier's highest probability over ``rows`` of ``p`` (empty when no rows)."""
    if not rows:
        return {}
    top = p[rows].max(axis=0)
    return {b: float(top[i]) for i, b in enumerate(BARRIER_IDS)}
