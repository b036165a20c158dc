"""Merge a validated model reading into the offline diagnosis (scores, ids and actions).

Why: neither reading is trusted alone. The offline method is calibrated but literal; the model
understands contrast and context but can be wrong or manipulated. Averaging where both speak,
admitting model-only findings only when grounded (a real quote, or a framework link to a barrier
in the result), and taking actions only from the framework keeps the result explainable.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Protocol

from bot.core.diagnosis.suggest import suggest_action
from bot.core.models import (
    ApproachFinding,
    BarrierFinding,
    Diagnosis,
    FactorFinding,
    SuggestedAction,
)
from knowledge.framework import Framework

if TYPE_CHECKING:
    from bot.core.llm.diagnose import LLMDiagnosis

MAX_ACTIONS = 6
MIN_ACTIONS = 3
MAX_EVIDENCE = 3


class _Scored(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def score(self) -> float: ...


def clip(score: float) -> float:
    """A score in [0, 1] (models return 1.7, -0.2 or NaN)."""
    return min(max(score, 0.0), 1.0) if score == score else 0.0


def merge(offline: Diagnosis, reply: LLMDiagnosis, framework: Framework) -> Diagnosis:
    """The combined diagnosis, ordered by score, with mode ``llm``."""
    barriers = _barriers(offline.barriers, reply)
    present = {b.id for b in barriers}
    factor_ok = {f.id for f in framework.factors if present & set(f.related_barriers)}
    factor_ok |= {f for b in framework.barriers if b.id in present for f in b.related_factors}
    approach_ok = {a.id for a in framework.approaches if present & set(a.helps_with)}
    approach_ok |= {a for b in framework.barriers if b.id in present for a in b.approaches}
    factors = [
        FactorFinding.model_validate({"id": i, "score": s})
        for i, s in _scores(offline.factors, reply.factors, factor_ok)
    ]
    approaches = [
        ApproachFinding.model_validate({"id": i, "score": s})
        for i, s in _scores(offline.approaches, reply.approaches, approach_ok)
    ]
    return offline.model_copy(
        update={
            "barriers": barriers,
            "factors": factors,
            "approaches": approaches,
            "actions": _actions(offline, reply.action_ids, barriers, framework),
            "mode": "llm",
            "note": "",
        }
    )


def _barriers(offline: list[BarrierFinding], reply: LLMDiagnosis) -> list[BarrierFinding]:
    merged = {b.id: b for b in offline}
    seen: set[str] = set()
    for proposed in reply.barriers:
        if proposed.id in seen:
            continue
        seen.add(proposed.id)
        before = merged.get(proposed.id)
        score = clip(proposed.score)
        if before is None:
            merged[proposed.id] = BarrierFinding(
                id=proposed.id, score=score, evidence=proposed.evidence
            )
            continue
        evidence = list(dict.fromkeys([*before.evidence, *proposed.evidence]))[:MAX_EVIDENCE]
        merged[proposed.id] = BarrierFinding(
            id=proposed.id, score=(before.score + score) / 2, evidence=evidence
        )
    ranked = sorted(merged.values(), key=lambda b: -b.score)
    if offline:  # the calibrated main barrier stays first (see ``keep_offline_primary``)
        return keep_offline_primary(ranked, offline[0].id)
    return ranked


def keep_offline_primary(ranked: list[BarrierFinding], primary: str) -> list[BarrierFinding]:
    """Put the offline reading's main barrier first; the model may add, drop or rescore others.

    Why: on the dev situations (every third one) a small model's rescoring moved the main barrier
    and primary accuracy fell from 0.929 offline to 0.714 merged, while the barrier sets were
    unchanged. The merged result must never score below the offline one, so the model informs
    the profile but does not overrule the calibrated choice of the barrier that blocks the rest.
    """
    first = [b for b in ranked if b.id == primary]
    return first + [b for b in ranked if b.id != primary] if first else ranked


def _scores(
    offline: Sequence[_Scored], proposed: Sequence[_Scored], allowed: AbstractSet[str]
) -> list[tuple[str, float]]:
    """Offline scores, averaged with the model's where both exist; model-only ids if allowed."""
    scores: dict[str, float] = {f.id: f.score for f in offline}
    seen: set[str] = set()
    for item in proposed:
        if item.id in seen:
            continue
        seen.add(item.id)
        if item.id in scores:
            scores[item.id] = (scores[item.id] + clip(item.score)) / 2
        elif item.id in allowed:
            scores[item.id] = clip(item.score)
    return sorted(scores.items(), key=lambda pair: -pair[1])


def _actions(
    offline: Diagnosis, action_ids: list[str], barriers: list[BarrierFinding], framework: Framework
) -> list[SuggestedAction]:
    """Model-chosen framework actions for barriers in the result, topped up with offline ones."""
    findings = {b.id: b for b in barriers}
    by_id = {a.id: (b.id, a) for b in framework.barriers for a in b.actions}
    chosen = [
        suggest_action(by_id[i][1], findings[by_id[i][0]])
        for i in dict.fromkeys(action_ids)
        if i in by_id and by_id[i][0] in findings
    ][:MAX_ACTIONS]
    if not chosen:
        return offline.actions
    texts = {a.text for a in chosen}
    for action in offline.actions:
        if len(chosen) >= MIN_ACTIONS:
            break
        if action.text not in texts:
            chosen.append(action)
            texts.add(action.text)
    return chosen
