"""Calibrate the diagnosis thresholds on our own labelled situations (a build-time step).

``make fit`` (``python -m bot.tools.calibrate``) reads ``knowledge/training/situations/*.yaml``
(written by us, never the evaluation files), reads each situation once, fits the presence model
(``presence.py``) on the cross-fitted readings, grid-searches the floors and weights in
``Calibration`` and writes ``knowledge/fitted/calibration.yaml`` with the hash of
its inputs. The clause models are fitted on the exemplar sentences only, so these situations
are unseen by them: a fair calibration set. The fine-tuned reader did learn from them, so its
out-of-fold readings (``make fit-reader``) stand in for its own.
``--by-writer`` writes nothing and reports leave-one-writer-out scores instead (each file is one
writer's work): an estimate of quality on wording the calibration never saw.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml

from bot.core.diagnosis.diagnose import Diagnoser
from bot.core.diagnosis.findings import find_approaches, find_barriers, find_factors
from bot.core.diagnosis.main_reader import out_of_fold_readings, text_key
from bot.core.diagnosis.message_model import MessageModel
from bot.core.diagnosis.params import (
    PATH,
    STRESS_PRESENCE,
    STRESS_WEIGHT,
    TURN_WEIGHT,
    Calibration,
    inputs_sha256,
)
from bot.core.diagnosis.presence import FEATURES, feature_row, fit_presence
from bot.core.diagnosis.reading import Reading
from knowledge.embeddings import Embedder, MemoEmbedder, local_embedder
from knowledge.exemplars import (
    SITUATION_PATHS,
    TrainingSituation,
    default_exemplars,
    load_situations,
)
from knowledge.framework import BARRIER_IDS, Framework, default_framework

Labelled = list[tuple[TrainingSituation, Reading]]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def _f1(pairs: Iterable[tuple[set[Any], set[Any]]]) -> float:
    tp = fp = fn = 0
    for gold, pred in pairs:
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


class BarrierGrid:
    """``find_barriers``'s decisions for a whole labelled set at once, as arrays.

    The calibration grid scores hundreds of settings on every situation; deciding one reading
    at a time made that search most of a ``make fit`` run. The arithmetic is the same as
    ``find_barriers`` (a test holds them together), ties included: both keep the earlier barrier.
    """

    def __init__(self, data: Labelled) -> None:
        def rows(pick: Callable[[TrainingSituation, Reading, str], float]) -> FloatArray:
            return np.array([[pick(s, r, b) for b in BARRIER_IDS] for s, r in data], np.float64)

        self.clause = rows(lambda _s, r, b: r.barriers[b])
        self.message = rows(lambda _s, r, b: r.message.get(b, 0.0))
        self.first = rows(lambda _s, r, b: r.first_clause.get(b, 1.0))
        self.main = rows(lambda _s, r, b: r.main.get(b, 0.0))
        self.reader = rows(lambda _s, r, b: r.reader.get(b, 0.0))
        self.stressed = rows(lambda _s, r, b: r.stressed.get(b, 0.0))
        self.turned = rows(lambda _s, r, b: r.turned.get(b, 0.0))
        self.gold = rows(lambda s, _r, b: float(b in s.barriers)) > 0
        self.gold_main = np.array([BARRIER_IDS.index(s.barriers[0]) for s, _r in data])
        self.has_message = np.array([bool(r.message) for _s, r in data])
        self.features = (
            np.stack([feature_row(r.barriers, r.message, r.reader_present) for _s, r in data])
            if data
            else np.zeros((0, FEATURES))
        )

    def present(self, cal: Calibration) -> tuple[BoolArray, FloatArray]:
        """Which barriers each situation is found to show, and their ranking scores."""
        w = np.where(self.has_message, cal.message_weight, 0.0)[:, None]
        scores = np.minimum(
            1.0, (1 - w) * self.clause + w * self.message + STRESS_PRESENCE * self.stressed
        )
        if cal.presence is not None:
            probs = cal.presence.probabilities(self.features)
            found = probs >= cal.presence_floor
            found[np.arange(len(probs)), probs.argmax(axis=1)] = True
        else:
            top = scores.max(axis=1, keepdims=True)
            found = (scores >= cal.barrier_floor) & (scores >= cal.relative_floor * top)
        rank = (
            scores
            - cal.position_weight * self.first
            + cal.main_weight * self.main
            + cal.reader_weight * self.reader
            + STRESS_WEIGHT * self.stressed
            + TURN_WEIGHT * self.turned
        )
        return found, np.where(found, rank, -np.inf)

    def quality(self, cal: Calibration) -> tuple[float, float]:
        """(macro-F1 over the four barriers, primary-barrier accuracy)."""
        found, rank = self.present(cal)
        tp = (found & self.gold).sum(axis=0)
        wrong = (found & ~self.gold).sum(axis=0) + (~found & self.gold).sum(axis=0)
        f1 = np.where(tp > 0, 2 * tp / np.maximum(2 * tp + wrong, 1), 0.0)
        primary = found.any(axis=1) & (rank.argmax(axis=1) == self.gold_main)
        return float(f1.mean()), float(primary.mean())


def barrier_quality(data: Labelled, cal: Calibration) -> tuple[float, float]:
    """(macro-F1 over the four barriers, primary-barrier accuracy)."""
    return BarrierGrid(data).quality(cal)


def _best(candidates: Sequence[Calibration], score: Callable[[Calibration], float]) -> Calibration:
    return max(candidates, key=score)


def use_out_of_fold_reader(data: Labelled) -> None:
    """Give each situation the main-barrier reader's out-of-fold reading (when one is shipped).

    The shipped reader was trained on these very situations, so its own readings of them would
    flatter it; ``make fit-reader`` stores each one as read by a reader fitted without its
    writer's fold of files.
    """
    readings = out_of_fold_readings()
    if not readings:
        return
    missing = [s.text[:40] for s, _r in data if text_key(s.text) not in readings]
    if missing:
        raise SystemExit(
            f"{len(missing)} situations have no out-of-fold reading (first: {missing[0]!r}…): "
            "the reader is older than the training data; run make fit-reader, then make fit."
        )
    for situation, reading in data:
        row = readings[text_key(situation.text)]
        reading.reader = {b: row[i] for i, b in enumerate(BARRIER_IDS)}
        reading.reader_present = {b: row[len(BARRIER_IDS) + i] for i, b in enumerate(BARRIER_IDS)}


READER_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5)
"""The fine-tuned reader's weight in the ranking, searched jointly with the other weights."""


def calibrate(data: Labelled, framework: Framework) -> tuple[Calibration, dict[str, float]]:
    """Fit the presence model; grid-search barrier, factor, then approach settings; score them."""
    barriers = BarrierGrid(data)
    has_reader = any(r.reader for _s, r in data)
    base = Calibration(presence=fit_presence(barriers.features, [s.barriers for s, _r in data]))
    grid = [
        base.model_copy(
            update={
                "presence_floor": f,
                "position_weight": w,
                "message_weight": m,
                "main_weight": h,
                "reader_weight": g,
            }
        )
        for f, w, m, h, g in itertools.product(
            (0.4, 0.45, 0.5, 0.55, 0.6),
            # Where the main barrier is first mentioned: over our nine writers' two-barrier
            # situations it is the earlier one 75% of the time, the higher clause score 60%.
            (0.3, 0.45, 0.6),
            (0.2, 0.35, 0.5),
            # The main-barrier head only reorders, but searched jointly: with it the blend
            # that suits the order best can differ.
            (0.0, 0.2, 0.4, 0.6),
            READER_WEIGHTS if has_reader else (0.0,),
        )
    ]
    cal = _best(grid, lambda c: float(sum(barriers.quality(c))))
    found = [find_barriers(r, cal) for _s, r in data]

    def factor_f1(c: Calibration) -> float:
        return _f1(
            (set(s.factors), {f.id for f in find_factors(r, b, framework, c)})
            for (s, r), b in zip(data, found, strict=True)
        )

    cal = _best(
        [
            cal.model_copy(update={"factor_floor": f, "factor_prior_weight": w, "max_factors": m})
            for f, w, m in itertools.product(
                (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5), (0.15, 0.3, 0.5, 0.7), (2, 3, 4)
            )
        ],
        factor_f1,
    )

    def approach_f1(c: Calibration) -> float:
        return _f1(
            (set(s.approaches), {a.id for a in find_approaches(b, framework, c)})
            for s, b in zip((s for s, _r in data), found, strict=True)
        )

    cal = _best(
        [
            cal.model_copy(update={"approach_floor": f})
            for f in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
        ],
        approach_f1,
    )
    macro, primary = barriers.quality(cal)
    return cal, {
        "barrier_macro_f1": round(macro, 3),
        "primary_accuracy": round(primary, 3),
        "factor_micro_f1": round(factor_f1(cal), 3),
        "approach_micro_f1": round(approach_f1(cal), 3),
        "situations": len(data),
    }


def cross_fit_messages(data: Labelled, embedder: Embedder, folds: int = 5) -> None:
    """Give each situation whole-message scores from a model that never saw it (k-fold)."""
    vectors = embedder.embed([s.text for s, _r in data])
    for fold in range(folds):
        train = [s for i, (s, _r) in enumerate(data) if i % folds != fold]
        model = MessageModel(embedder, train)
        for i, (situation, reading) in enumerate(data):
            if i % folds == fold:
                model.annotate(reading, situation.text, vectors[i])


def _read(diagnoser: Diagnoser, situations: Iterable[TrainingSituation]) -> Labelled:
    data: Labelled = []
    for situation in situations:
        _scope, reading = diagnoser.read(situation.text)
        if reading is not None and situation.barriers:
            data.append((situation, reading))
    return data


def by_writer(
    diagnoser: Diagnoser, framework: Framework, embedder: Embedder
) -> list[tuple[str, int, float, float]]:
    """Leave one writer out: calibrate on the other situation files, score the held-out one.

    Each file was written by a different hand, so this estimates quality on wording the
    calibration never saw. Returns (file, situations, barrier macro-F1, primary accuracy).
    """
    files = {path.name: _read(diagnoser, load_situations([path])) for path in SITUATION_PATHS}
    use_out_of_fold_reader([item for data in files.values() for item in data])
    results = []
    for held, test in files.items():
        train = [item for name, data in files.items() if name != held for item in data]
        cross_fit_messages(train, embedder)
        cal, _scores = calibrate(train, framework)
        model = MessageModel(embedder, [s for s, _r in train])
        vectors = embedder.embed([s.text for s, _r in test])
        for (situation, reading), vector in zip(test, vectors, strict=True):
            model.annotate(reading, situation.text, vector)
        macro, primary = barrier_quality(test, cal)
        results.append((held, len(test), round(macro, 3), round(primary, 3)))
    return results


def main() -> None:
    """Calibrate and write ``knowledge/fitted/calibration.yaml`` (``--by-writer``: only report)."""
    framework = default_framework()
    embedder = MemoEmbedder(local_embedder())
    diagnoser = Diagnoser(
        local_embedder(), framework, default_exemplars(), calibration=Calibration()
    )
    if "--by-writer" in sys.argv[1:]:
        for row in by_writer(diagnoser, framework, embedder):
            print("held out {}: {} situations, macro-F1 {}, primary {}".format(*row))  # noqa: T201
        return
    data = _read(diagnoser, load_situations())
    use_out_of_fold_reader(data)
    cross_fit_messages(data, embedder)
    cal, scores = calibrate(data, framework)
    header = "".join(f"# {k}: {v}\n" for k, v in scores.items())
    PATH.parent.mkdir(parents=True, exist_ok=True)
    PATH.write_text(
        "# Written by `make fit` (python -m bot.tools.calibrate) from knowledge/training/.\n"
        f"# inputs_sha256: {inputs_sha256()}\n"
        "# Scores on our training situations with these values:\n"
        + header
        + yaml.safe_dump(cal.model_dump(), sort_keys=True),
        encoding="utf-8",
    )
    print(header, end="")  # noqa: T201 - a build-time command


if __name__ == "__main__":
    main()
