"""The calibration's array form decides exactly as ``find_barriers`` does, reading by reading."""

from __future__ import annotations

import itertools
import random

import pytest

from bot.core.diagnosis.findings import find_barriers
from bot.core.diagnosis.params import Calibration
from bot.core.diagnosis.presence import PresenceModel, fit_presence
from bot.core.diagnosis.reading import Reading
from bot.tools.calibrate import BarrierGrid, Labelled
from knowledge.exemplars import TrainingSituation
from knowledge.framework import BARRIER_IDS


def _labelled(seed: int, n: int = 300) -> Labelled:
    rng = random.Random(seed)
    data: Labelled = []
    for _ in range(n):
        gold = tuple(rng.sample(BARRIER_IDS, rng.randint(1, 3)))
        # coarse values make ties common, the case where order must agree too
        scores: dict[str, float] = {
            b: rng.choice([0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.9]) for b in BARRIER_IDS
        }
        first: dict[str, float] = {
            b: rng.choice([0.0, 0.25, 0.5]) for b in BARRIER_IDS if rng.random() < 0.6
        }
        message: dict[str, float] = {}
        main: dict[str, float] = {}
        reader: dict[str, float] = {}
        reader_present: dict[str, float] = {}
        if rng.random() < 0.7:  # the fine-tuned reader, when shipped
            reader = {b: rng.choice([0.05, 0.2, 0.7]) for b in BARRIER_IDS}
            reader_present = {b: rng.random() for b in BARRIER_IDS}
        if rng.random() < 0.8:
            message = {b: rng.random() for b in BARRIER_IDS}
            main = {b: rng.random() for b in BARRIER_IDS}
        stressed: dict[str, float] = {}
        if rng.random() < 0.3:  # a clause the writer marks as the main problem
            stressed = {b: rng.choice([0.0, 0.3, 0.8]) for b in BARRIER_IDS}
        turned: dict[str, float] = {}
        if rng.random() < 0.4:  # clauses after a contrast
            turned = {b: rng.choice([0.0, 0.2, 0.5]) for b in BARRIER_IDS}
        reading = Reading(
            barriers=scores,
            factors={},
            first_clause=first,
            message=message,
            main=main,
            reader=reader,
            reader_present=reader_present,
            stressed=stressed,
            turned=turned,
        )
        data.append((TrainingSituation(text="x", barriers=gold), reading))
    return data


def _presence(data: Labelled) -> PresenceModel:
    grid = BarrierGrid(data)
    return fit_presence(grid.features, [s.barriers for s, _r in data], epochs=200)


@pytest.mark.fast
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("fitted", [False, True], ids=["floors", "presence-model"])
def test_grid_matches_find_barriers(seed: int, fitted: bool) -> None:
    data = _labelled(seed)
    grid = BarrierGrid(data)
    presence = _presence(data) if fitted else None
    for floor, rel, pos, msg, main, reader in itertools.product(
        (0.25, 0.45), (0.3, 0.6), (0.0, 0.45), (0.0, 0.35), (0.0, 0.6), (0.0, 1.0)
    ):
        cal = Calibration(
            presence=presence,
            presence_floor=floor + 0.1,
            barrier_floor=floor,
            relative_floor=rel,
            position_weight=pos,
            message_weight=msg,
            main_weight=main,
            reader_weight=reader,
        )
        found, rank = grid.present(cal)
        for i, (_situation, reading) in enumerate(data):
            expected = [f.id for f in find_barriers(reading, cal)]
            got = [b for b in BARRIER_IDS if found[i, BARRIER_IDS.index(b)]]
            assert sorted(got) == sorted(expected)
            if expected:
                assert BARRIER_IDS[int(rank[i].argmax())] == expected[0]
