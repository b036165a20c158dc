"""Is a barrier present? One small regression per barrier over all four barriers' scores.

A single floor on each barrier's blended score treats the barriers alike and each alone. But the
scores lean on each other: a clause about "no time to learn the new system" lifts capability as
well as headspace, and the whole-message model is more trustworthy for some barriers than for
others. So presence is read from the clause and whole-message scores of all four barriers at
once, by a logistic regression per barrier fitted at ``make fit`` on our training situations'
cross-fitted readings. Leave-one-writer-out it raised barrier macro-F1 0.827 -> 0.833 (primary
accuracy 0.804 -> 0.802); on the 480 held-back situations 0.819 -> 0.829 and 0.719 -> 0.740,
mostly by no longer over-calling recognition (precision 0.75 -> 0.85). Since 2026-12-06 it also
reads the fine-tuned reader's presence probabilities (its out-of-fold ones at ``make fit``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from knowledge.framework import BARRIER_IDS, BarrierId

FloatArray = npt.NDArray[np.float64]
FEATURES = 3 * len(BARRIER_IDS)
"""The four clause-level scores, the four whole-message scores (0 when not used), then the
fine-tuned reader's four presence probabilities (``main_reader.py``; the whole-message scores
stand in when it is not shipped)."""


def feature_row(
    clause: Mapping[str, float],
    message: Mapping[str, float],
    reader: Mapping[str, float] | None = None,
) -> FloatArray:
    """One reading's features, in ``BARRIER_IDS`` order."""
    whole = reader or message
    return np.array(
        [clause.get(b, 0.0) for b in BARRIER_IDS]
        + [message.get(b, 0.0) for b in BARRIER_IDS]
        + [whole.get(b, 0.0) for b in BARRIER_IDS],
        dtype=np.float64,
    )


class PresenceModel(BaseModel):
    """Per barrier: weights over ``FEATURES`` and a bias (written to the calibration file)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    weights: dict[BarrierId, list[float]] = Field(min_length=len(BARRIER_IDS))
    bias: dict[BarrierId, float] = Field(min_length=len(BARRIER_IDS))

    def probabilities(self, rows: FloatArray) -> FloatArray:
        """Presence probability per row (reading) and column (barrier, ``BARRIER_IDS`` order)."""
        w = np.array([self.weights[b] for b in BARRIER_IDS], dtype=np.float64).T
        b = np.array([self.bias[b] for b in BARRIER_IDS], dtype=np.float64)
        result: FloatArray = 1.0 / (1.0 + np.exp(-(np.atleast_2d(rows) @ w + b)))
        return result


def fit_presence(
    rows: FloatArray, gold: Sequence[Sequence[str]], l2: float = 1e-2, epochs: int = 3000
) -> PresenceModel:
    """Class-balanced logistic regressions on standardised features, folded back to raw ones."""
    mean, scale = rows.mean(axis=0), rows.std(axis=0) + 1e-6
    z = (rows - mean) / scale
    weights: dict[BarrierId, list[float]] = {}
    bias: dict[BarrierId, float] = {}
    for barrier in BARRIER_IDS:
        y = np.array([barrier in g for g in gold], dtype=np.float64)
        share = float(np.clip(y.mean(), 1e-3, 1 - 1e-3))
        balance = np.where(y > 0, 0.5 / share, 0.5 / (1 - share))
        w, b = np.zeros(z.shape[1]), 0.0
        for _ in range(epochs):
            p = 1.0 / (1.0 + np.exp(-(z @ w + b)))
            grad = (p - y) * balance
            w -= 0.5 * (z.T @ grad / len(y) + l2 * w)
            b -= 0.5 * float(grad.mean())
        raw = w / scale
        weights[barrier] = [round(float(v), 6) for v in raw]
        bias[barrier] = round(b - float((raw * mean).sum()), 6)
    return PresenceModel(weights=weights, bias=bias)
