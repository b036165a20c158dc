"""Turn clause-level scores into findings: barriers present, weak factors, approach types.

Pure functions of a ``Reading``, the framework's cross-links and the calibrated thresholds, so
the calibration script and the diagnoser share exactly the same decisions.
"""

from __future__ import annotations

from bot.core.diagnosis.params import (
    POSITION_WEIGHTS,
    STRESS_PRESENCE,
    STRESS_WEIGHT,
    TURN_WEIGHT,
    Calibration,
)
from bot.core.diagnosis.presence import feature_row
from bot.core.diagnosis.reading import Reading
from bot.core.models import ApproachFinding, BarrierFinding, FactorFinding
from knowledge.framework import BARRIER_IDS, Framework


def _weight(position: int) -> float:
    return POSITION_WEIGHTS[min(position, len(POSITION_WEIGHTS) - 1)]


def find_barriers(reading: Reading, cal: Calibration) -> list[BarrierFinding]:
    """Barriers judged present (``presence.py``, else above the floors), most important first.

    The order is the score, nudged towards earlier mention (people tend to lead with what
    troubles them most) and towards the barrier the whole-message model and the fine-tuned
    reader read as the main one;
    a barrier in a clause the writer marks as the main problem ("the real issue is…") leads,
    and one read after a contrast ("keen, but…") gains.
    """
    scores = barrier_scores(reading, cal)
    if cal.presence is not None:
        row = feature_row(reading.barriers, reading.message, reading.reader_present)
        probs = cal.presence.probabilities(row)[0]
        likeliest = int(probs.argmax())
        present: list[str] = [
            b for i, b in enumerate(BARRIER_IDS) if probs[i] >= cal.presence_floor or i == likeliest
        ]
    else:
        top = max(scores.values())
        present = [
            b for b, s in scores.items() if s >= cal.barrier_floor and s >= cal.relative_floor * top
        ]

    def rank(barrier: str) -> float:
        return (
            scores[barrier]
            - cal.position_weight * reading.first_clause.get(barrier, 1.0)
            + cal.main_weight * reading.main.get(barrier, 0.0)
            + cal.reader_weight * reading.reader.get(barrier, 0.0)
            + STRESS_WEIGHT * reading.stressed.get(barrier, 0.0)
            + TURN_WEIGHT * reading.turned.get(barrier, 0.0)
        )

    return [
        BarrierFinding(id=b, score=round(scores[b], 3), evidence=reading.evidence.get(b, []))
        for b in sorted(present, key=rank, reverse=True)
    ]


def barrier_scores(reading: Reading, cal: Calibration) -> dict[str, float]:
    """Clause-level scores blended with the whole-message model (when it has a say).

    A barrier the writer stresses as the main problem gains ``STRESS_PRESENCE`` (capped at 1).
    """
    w = cal.message_weight if reading.message else 0.0
    return {
        b: min(
            1.0,
            (1 - w) * s
            + w * reading.message.get(b, 0.0)
            + STRESS_PRESENCE * reading.stressed.get(b, 0.0),
        )
        for b, s in reading.barriers.items()
    }


def find_factors(
    reading: Reading, barriers: list[BarrierFinding], framework: Framework, cal: Calibration
) -> list[FactorFinding]:
    """Weak factors: the clause classifier blended with the barriers' linked factors."""
    prior: dict[str, float] = {}
    for finding in barriers:
        for pos, factor in enumerate(framework.barrier(finding.id).related_factors):
            prior[factor] = max(prior.get(factor, 0.0), finding.score * _weight(pos))
    w = cal.factor_prior_weight
    scores = {f: (1 - w) * s + w * prior.get(f, 0.0) for f, s in reading.factors.items()}
    found = [
        FactorFinding(id=f, score=round(s, 3)) for f, s in scores.items() if s >= cal.factor_floor
    ]
    return sorted(found, key=lambda f: -f.score)[: cal.max_factors]


def find_approaches(
    barriers: list[BarrierFinding], framework: Framework, cal: Calibration
) -> list[ApproachFinding]:
    """Approach types that fit the barriers found, via the framework's barrier->approach links."""
    scores: dict[str, float] = {}
    for rank, finding in enumerate(barriers):
        for pos, approach in enumerate(framework.barrier(finding.id).approaches):
            score = finding.score * _weight(pos) * _weight(rank)
            scores[approach] = max(scores.get(approach, 0.0), score)
    found = [
        ApproachFinding(id=a, score=round(s, 3))
        for a, s in scores.items()
        if s >= cal.approach_floor
    ]
    return sorted(found, key=lambda f: -f.score)
