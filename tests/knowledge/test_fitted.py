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
