"""The presence model: learns from all four barriers' scores, survives the calibration file."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from bot.core.diagnosis.findings import find_barriers
from bot.core.diagnosis.params import Calibration, load_calibration
from bot.core.diagnosis.presence import FEATURES, feature_row, fit_presence
from bot.core.diagnosis.reading import Reading
from knowledge.framework import BARRIER_IDS


def _synthetic(n: int = 400, seed: int = 7) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Headspace is present when its clause score is high *and* capability's is not: a rule a
    single floor on headspace's own score cannot express."""
    rng = np.random.default_rng(seed)
    rows = rng.random((n, FEATURES))
    gold = []
    for r in rows:
        labels = [b for i, b in enumerate(BARRIER_IDS) if r[i] > 0.5 and b != "headspace"]
        if r[2] > 0.4 and r[3] < 0.5:
            labels.append("headspace")
        gold.append(tuple(labels))
    return rows, gold


@pytest.mark.fast
def test_presence_learns_from_the_other_barriers_scores() -> None:
    rows, gold = _synthetic()
    model = fit_presence(rows, gold)
    probs = model.probabilities(rows)
    assert probs.shape == (len(rows), len(BARRIER_IDS))
    headspace = np.array(["headspace" in g for g in gold])
    accuracy = float(((probs[:, 2] >= 0.5) == headspace).mean())
    assert accuracy >= 0.85
    assert model.weights["headspace"][3] < 0  # capability's clause score argues against it


@pytest.mark.fast
def test_presence_model_round_trips_through_the_calibration_file(tmp_path) -> None:
    rows, gold = _synthetic(n=120)
    cal = Calibration(presence=fit_presence(rows, gold, epochs=200), presence_floor=0.55)
    path = tmp_path / "calibration.yaml"
    path.write_text(yaml.safe_dump(cal.model_dump(), sort_keys=True), encoding="utf-8")
    load_calibration.cache_clear()
    try:
        loaded = load_calibration(path)
    finally:
        load_calibration.cache_clear()
    assert loaded == cal
    np.testing.assert_allclose(
        loaded.presence.probabilities(rows), cal.presence.probabilities(rows)
    )  # type: ignore[union-attr]


@pytest.mark.fast
def test_the_likeliest_barrier_is_always_found() -> None:
    rows, gold = _synthetic(n=120)
    cal = Calibration(presence=fit_presence(rows, gold, epochs=200), presence_floor=1.0)
    reading = Reading(
        barriers={"recognition": 0.1, "motivation": 0.2, "headspace": 0.9, "capability": 0.1},
        factors={},
        message={"recognition": 0.1, "motivation": 0.1, "headspace": 0.8, "capability": 0.1},
    )
    found = find_barriers(reading, cal)
    assert [f.id for f in found] == ["headspace"]
    row = feature_row(reading.barriers, reading.message, reading.reader_present)
    probs = cal.presence.probabilities(row)  # type: ignore[union-attr]
    assert BARRIER_IDS[int(probs.argmax())] == "headspace"
