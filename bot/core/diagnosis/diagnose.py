"""diagnose(situation) -> Diagnosis: the framework applied to a change leader's own words.

Order of work: patient-data screen (nothing else sees the text if it fails), scope, clause-level
reading, then barriers, weak factors, approach types, actions and follow-up questions. With an
LLM configured, its reading is validated and merged; any failure keeps the offline result.
"""

from __future__ import annotations

import copy
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from bot.common.errors import LLMUnavailable
from bot.common.privacy import screen
from bot.core.diagnosis.clauses import split_clauses
from bot.core.diagnosis.findings import barrier_scores, find_approaches, find_barriers, find_factors
from bot.core.diagnosis.followups import BY_BARRIER, GENERAL
from bot.core.diagnosis.main_reader import MainReader, shipped_reader
from bot.core.diagnosis.message_model import MessageModel
from bot.core.diagnosis.params import (
    CONFIDENT,
    THIN_WORDS,
    Calibration,
    load_calibration,
    seed_cache,
)
from bot.core.diagnosis.reading import Reading, SituationReader
from bot.core.diagnosis.suggest import choose_actions
from bot.core.models import BarrierFinding, Diagnosis, Turn
from bot.core.scope import MESSAGES, ScopeClassifier
from knowledge.embeddings import Embedder, TrainingVectorCache, Vectors
from knowledge.exemplars import Exemplars, load_situations
from knowledge.framework import Framework

if TYPE_CHECKING:
    from bot.llm.client import LLMClient

logger = logging.getLogger(__name__)


class Diagnoser:
    """Maps a described situation onto barriers, weak factors, approach types and actions."""

    def __init__(
        self,
        embedder: Embedder,
        framework: Framework,
        exemplars: Exemplars,
        llm: LLMClient | None = None,
        calibration: Calibration | None = None,
        cache_dir: Path | None = None,
        seed: bool = True,
    ) -> None:
        self._embedder = embedder
        self.framework = framework
        self.calibration = calibration or load_calibration()
        if cache_dir is not None and seed:
            seed_cache(cache_dir)  # the fitted files shipped with the package: nothing to refit
        trainer = embedder if cache_dir is None else TrainingVectorCache(embedder, cache_dir)
        situations = load_situations()
        self.scope = ScopeClassifier(trainer, exemplars, cache_dir, [s.text for s in situations])
        self.reader = SituationReader(trainer, framework, exemplars, cache_dir)
        cal = self.calibration
        wanted = cal.message_weight > 0 or cal.main_weight > 0 or cal.presence is not None
        use_message = wanted and bool(situations)
        self.message_model = MessageModel(trainer, situations, cache_dir) if use_message else None
        # Calibrated with the reader (its weight, or the presence model that reads it): load it.
        with_reader = cal.reader_weight > 0 or cal.presence is not None
        self.main_reader: MainReader | None = shipped_reader() if with_reader else None
        self._llm = llm

    def with_llm(self, llm: LLMClient | None) -> Diagnoser:
        """The same fitted models with another (or no) language model: nothing is refitted."""
        twin = copy.copy(self)
        twin._llm = llm
        return twin

    def read(self, situation: str, vector: Vectors | None = None) -> tuple[str, Reading | None]:
        """Scope and (for situations) the clause-level reading; used by diagnose and calibration.

        With ``vector`` (the message's embedding, from ``respond``) the scope is taken as already
        decided in favour of a situation, and only the clauses are embedded.
        """
        clauses = split_clauses(situation) or [situation.strip() or "."]
        if vector is None:
            vectors = self._embedder.embed([situation, *clauses])
            vector, clause_vectors = vectors[0], vectors[1:]
            decided = self.scope.classify(situation, vector)
            if decided.scope != "in_scope":
                return decided.scope, None
        else:
            clause_vectors = self._embedder.embed(clauses)
        reading = self.reader.read(clauses, clause_vectors, situation)
        if self.message_model is not None:
            self.message_model.annotate(reading, situation, vector)
        if self.main_reader is not None:
            reading.reader, reading.reader_present = self.main_reader.read(situation)
        return "in_scope", reading

    def likeliest_barrier(self, description: str) -> str | None:
        """The barrier area a short description reads as most, offline, whatever its scope.

        "not having the skills to actually deliver change" is no situation, but the clause
        models read it as well as one; the answerer uses this to confirm the item it names.
        """
        if screen(description).sensitive or not description.strip():
            return None
        vector = self._embedder.embed([description])[0]
        _scope, reading = self.read(description, vector)
        if reading is None:
            return None
        scores = barrier_scores(reading, self.calibration)
        return max(scores, key=lambda b: scores[b]) if scores else None

    def diagnose(
        self, situation: str, history: list[Turn] | None = None, *, vector: Vectors | None = None
    ) -> Diagnosis:
        """The diagnosis of ``situation``; never raises for ordinary input.

        ``vector`` is passed by ``respond`` once it has routed the message here.
        """
        privacy = screen(situation)
        if privacy.sensitive:
            return Diagnosis(scope="patient_data", message=privacy.message)
        scope, reading = self.read(situation, vector)
        if reading is None:
            return Diagnosis(scope=scope, message=MESSAGES.get(scope, ""))
        offline = self._offline(situation, reading)
        return offline if self._llm is None else self._with_llm(situation, offline)

    def _offline(self, text: str, reading: Reading) -> Diagnosis:
        cal, fw = self.calibration, self.framework
        barriers = find_barriers(reading, cal)
        thin = len(text.split()) < THIN_WORDS or not barriers or barriers[0].score < CONFIDENT
        if not barriers:  # still give the best provisional reading
            scores = barrier_scores(reading, cal)
            best = max(scores, key=lambda b: scores[b])
            barriers = [
                BarrierFinding(
                    id=best,
                    score=round(scores[best], 3),
                    evidence=reading.evidence.get(best, [])[:1],
                )
            ]
        approaches = (
            find_approaches(barriers, fw, cal)
            or find_approaches(barriers, fw, cal.model_copy(update={"approach_floor": 0.0}))[:1]
        )
        return Diagnosis(
            scope="in_scope",
            barriers=barriers,
            factors=find_factors(reading, barriers, fw, cal),
            approaches=approaches,
            actions=choose_actions(fw, text, barriers, approaches),
            follow_up_questions=self._follow_ups(barriers) if thin else [],
            message=_summary(fw, barriers, thin),
        )

    def _follow_ups(self, barriers: list[BarrierFinding]) -> list[str]:
        if barriers[0].score < 0.5:
            return list(GENERAL[:3])
        return [GENERAL[0], BY_BARRIER[barriers[0].id], GENERAL[2]]

    def _with_llm(self, situation: str, offline: Diagnosis) -> Diagnosis:
        from bot.core.llm.diagnose import llm_diagnose

        assert self._llm is not None
        try:
            result: Diagnosis = llm_diagnose(situation, offline, self.framework, self._llm)
        except LLMUnavailable as exc:
            logger.info("llm diagnosis unavailable; offline result used")
            return offline.model_copy(update={"note": exc.user_message})
        return result


def _summary(framework: Framework, barriers: list[BarrierFinding], thin: bool) -> str:
    labels = [framework.barrier(b.id).label.lower() for b in barriers]
    lead = f"This looks mainly like a barrier of {labels[0]}"
    rest = f", with {' and '.join(labels[1:])} also in play" if len(labels) > 1 else ""
    hedge = " (a provisional reading: tell me a bit more)" if thin else ""
    return f"{lead}{rest}{hedge}."
