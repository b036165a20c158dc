"""Read a situation clause by clause: which barriers and weak factors does each clause show?

Two softmax classifiers are trained at start-up on our own exemplars (``knowledge/``): one over
the four barriers plus "none" (counter-signs such as "the team are keen", and neutral context),
one over the seven factors plus "none". A barrier's score is its strongest clause, so a contrast
clause ("really keen, but…") lands in "none" instead of lending weight to motivation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bot.core.classifier import SoftmaxClassifier
from knowledge.embeddings import Embedder, Vectors
from knowledge.exemplars import Exemplars
from knowledge.framework import BARRIER_IDS, FACTOR_IDS, Framework

NONE = "none"
EVIDENCE_FLOOR = 0.35


@dataclass
class Reading:
    """Scores in [0, 1] per barrier and factor, with the clauses that show each barrier."""

    barriers: dict[str, float]
    factors: dict[str, float]
    evidence: dict[str, list[str]] = field(default_factory=dict)


def _training_sets(
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


class SituationReader:
    """Clause-level barrier and factor scoring with classifiers fitted on our exemplars."""

    def __init__(self, embedder: Embedder, framework: Framework, exemplars: Exemplars) -> None:
        b_texts, b_labels, f_texts, f_labels = _training_sets(framework, exemplars)
        vectors = embedder.embed(b_texts + f_texts)
        self.barrier_model = SoftmaxClassifier([*BARRIER_IDS, NONE]).fit(
            vectors[: len(b_texts)], b_labels
        )
        self.factor_model = SoftmaxClassifier([*FACTOR_IDS, NONE]).fit(
            vectors[len(b_texts) :], f_labels
        )

    def read(self, clauses: list[str], vectors: Vectors) -> Reading:
        """Score every barrier and factor from clause vectors (one row per clause)."""
        pb = self.barrier_model.predict_proba(vectors)
        pf = self.factor_model.predict_proba(vectors)
        barriers: dict[str, float] = {b: float(pb[:, i].max()) for i, b in enumerate(BARRIER_IDS)}
        factors: dict[str, float] = {f: float(pf[:, i].max()) for i, f in enumerate(FACTOR_IDS)}
        evidence: dict[str, list[str]] = {}
        for i, b in enumerate(BARRIER_IDS):
            order = np.argsort(-pb[:, i])
            evidence[b] = [clauses[j] for j in order[:2] if pb[j, i] >= EVIDENCE_FLOOR]
        return Reading(barriers, factors, evidence)
