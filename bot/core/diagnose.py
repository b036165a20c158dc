"""diagnose(situation) -> Diagnosis: the framework applied to a change leader's own words.

Order of work: patient-data screen (nothing else sees the text if it fails), scope, clause-level
reading, then barriers, weak factors, approach types, actions and follow-up questions. With an
LLM configured, its reading is validated and merged; any failure keeps the offline result.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.core.clauses import split_clauses
from bot.core.followups import BY_BARRIER, GENERAL
from bot.core.models import ApproachFinding, BarrierFinding, Diagnosis, FactorFinding, Turn
from bot.core.privacy import screen
from bot.core.reading import Reading, SituationReader
from bot.core.scope import MESSAGES, ScopeClassifier
from bot.core.suggest import choose_actions
from bot.errors import LLMUnavailable
from knowledge.embeddings import Embedder
from knowledge.exemplars import Exemplars
from knowledge.framework import Framework

if TYPE_CHECKING:
    from bot.llm import LLMClient

logger = logging.getLogger(__name__)

BARRIER_FLOOR = 0.5
RELATIVE_FLOOR = 0.45
FACTOR_FLOOR = 0.4
APPROACH_FLOOR = 0.45
THIN_WORDS = 10
POSITION_WEIGHTS = (1.0, 0.75, 0.55, 0.4)


class Diagnoser:
    """Maps a described situation onto barriers, weak factors, approach types and actions."""

    def __init__(
        self,
        embedder: Embedder,
        framework: Framework,
        exemplars: Exemplars,
        llm: LLMClient | None = None,
    ) -> None:
        self._embedder = embedder
        self.framework = framework
        self.scope = ScopeClassifier(embedder, exemplars)
        self._reader = SituationReader(embedder, framework, exemplars)
        self._llm = llm

    def diagnose(self, situation: str, history: list[Turn] | None = None) -> Diagnosis:
        """The diagnosis of ``situation``; never raises for ordinary input."""
        privacy = screen(situation)
        if privacy.sensitive:
            return Diagnosis(scope="patient_data", message=privacy.message)
        clauses = split_clauses(situation) or [situation.strip() or "."]
        vectors = self._embedder.embed([situation, *clauses])
        decided = self.scope.classify(situation, vectors[0])
        if decided.scope != "in_scope":
            return Diagnosis(scope=decided.scope, message=MESSAGES.get(decided.scope, ""))
        offline = self._offline(situation, clauses, self._reader.read(clauses, vectors[1:]))
        if self._llm is None:
            return offline
        return self._with_llm(situation, offline)

    def _offline(self, text: str, clauses: list[str], reading: Reading) -> Diagnosis:
        barriers = self._barriers(reading)
        factors = self._factors(reading, barriers)
        approaches = self._approaches(barriers)
        thin = len(text.split()) < THIN_WORDS or not barriers or barriers[0].score < 0.6
        if not barriers:  # still give the best provisional reading
            best = max(reading.barriers, key=lambda b: reading.barriers[b])
            barriers = [
                BarrierFinding(
                    id=best,
                    score=round(reading.barriers[best], 3),
                    evidence=reading.evidence.get(best, [])[:1],
                )
            ]
            approaches = approaches or self._approaches(barriers)
        actions = choose_actions(self.framework, text, barriers, approaches)
        questions = self._follow_ups(barriers) if thin else []
        return Diagnosis(
            scope="in_scope",
            barriers=barriers,
            factors=factors,
            approaches=approaches,
            actions=actions,
            follow_up_questions=questions,
            message=_summary(self.framework, barriers, thin),
        )

    def _barriers(self, reading: Reading) -> list[BarrierFinding]:
        top = max(reading.barriers.values())
        found = [
            BarrierFinding(id=b, score=round(s, 3), evidence=reading.evidence.get(b, []))
            for b, s in reading.barriers.items()
            if s >= BARRIER_FLOOR and s >= RELATIVE_FLOOR * top
        ]
        return sorted(found, key=lambda f: -f.score)

    def _factors(self, reading: Reading, barriers: list[BarrierFinding]) -> list[FactorFinding]:
        prior: dict[str, float] = {}
        for finding in barriers:
            links = self.framework.barrier(finding.id).related_factors
            for pos, factor in enumerate(links):
                weight = POSITION_WEIGHTS[min(pos, len(POSITION_WEIGHTS) - 1)]
                prior[factor] = max(prior.get(factor, 0.0), finding.score * weight)
        scores = {f: 0.5 * reading.factors[f] + 0.5 * prior.get(f, 0.0) for f in reading.factors}
        found = [
            FactorFinding(id=f, score=round(s, 3))
            for f, s in scores.items()
            if s >= FACTOR_FLOOR
        ]
        return sorted(found, key=lambda f: -f.score)[:4]

    def _approaches(self, barriers: list[BarrierFinding]) -> list[ApproachFinding]:
        scores: dict[str, float] = {}
        for finding in barriers:
            for pos, approach in enumerate(self.framework.barrier(finding.id).approaches):
                weight = POSITION_WEIGHTS[min(pos, len(POSITION_WEIGHTS) - 1)]
                scores[approach] = max(scores.get(approach, 0.0), finding.score * weight)
        found = [
            ApproachFinding(id=a, score=round(s, 3))
            for a, s in scores.items()
            if s >= APPROACH_FLOOR
        ]
        return sorted(found, key=lambda f: -f.score)

    def _follow_ups(self, barriers: list[BarrierFinding]) -> list[str]:
        if not barriers or barriers[0].score < 0.5:
            return list(GENERAL[:3])
        return [GENERAL[0], BY_BARRIER[barriers[0].id], GENERAL[2]]

    def _with_llm(self, situation: str, offline: Diagnosis) -> Diagnosis:
        from bot.core.llm_diagnose import llm_diagnose

        assert self._llm is not None
        try:
            return llm_diagnose(situation, offline, self.framework, self._llm)
        except LLMUnavailable as exc:
            logger.info("llm diagnosis unavailable; offline result used")
            return offline.model_copy(update={"note": exc.user_message})


def _summary(framework: Framework, barriers: list[BarrierFinding], thin: bool) -> str:
    labels = [framework.barrier(b.id).label.lower() for b in barriers]
    if not labels:
        return "I could not see a clear barrier yet; a little more detail would help."
    lead = f"This looks mainly like a barrier of {labels[0]}"
    rest = f", with {' and '.join(labels[1:])} also in play" if len(labels) > 1 else ""
    hedge = " (a provisional reading: tell me a bit more)" if thin else ""
    return f"{lead}{rest}{hedge}."
