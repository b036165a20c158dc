"""The fitted artefacts are never stale: they record the hash of what they were fitted on."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.diagnosis.params import (
    PATH,
    inputs_sha256,
    load_calibration,
    recorded_inputs_sha256,
    training_inputs,
)

pytestmark = pytest.mark.fast


def test_calibration_matches_its_inputs() -> None:
    assert PATH.exists(), "knowledge/fitted/calibration.yaml is missing: run `make fit`"
    assert recorded_inputs_sha256() == inputs_sha256(), (
        "training data or a fixed knob changed since the last fit: run `make fit` and commit "
        "knowledge/fitted/calibration.yaml"
    )
    assert load_calibration().message_weight >= 0


def test_every_training_file_counts(tmp_path: Path) -> None:
    """A new training batch changes the hash without any code change (the folders are globbed)."""
    inputs = training_inputs()
    assert any(p.parent.name == "situations" for p in inputs)
    assert any(p.parent.name == "exemplars" for p in inputs)
    extra = tmp_path / "99-new.yaml"
    extra.write_text("- text: a new situation\n", encoding="utf-8")
    assert inputs_sha256([*inputs, extra]) != inputs_sha256(inputs)


def test_main_reader_matches_its_inputs() -> None:
    """The fine-tuned reader was fitted on today's situations, and its file is the one recorded."""
    from bot.common.hashing import file_sha256
    from bot.core.diagnosis.main_reader import READER_PATH, recorded
    from bot.tools.fit_reader import situations_sha256

    assert READER_PATH.exists(), "knowledge/fitted/main-reader.onnx is missing: make fit-reader"
    assert recorded("inputs_sha256") == situations_sha256(), (
        "the labelled situations changed since the reader was fitted: run `make fit-reader`, "
        "then `make fit`"
    )
    assert recorded("onnx_sha256") == file_sha256(READER_PATH)


def test_every_training_situation_has_an_out_of_fold_reading() -> None:
    """``make fit`` weighs the reader on readings it never trained on: one per situation."""
    from bot.core.diagnosis.main_reader import out_of_fold_readings, recorded, text_key
    from knowledge.exemplars import load_situations

    readings = out_of_fold_readings()
    named = [s for s in load_situations() if s.barriers]
    assert len(readings) == len(named) == recorded("out_of_fold_rows")
    for situation in named:
        row = readings[text_key(situation.text)]
        assert len(row) == 8 and abs(sum(row[:4]) - 1.0) < 1e-3
