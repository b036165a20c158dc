"""The fine-tuned main-barrier reader: checked before use; its main reading only reorders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.diagnosis import main_reader
from bot.core.diagnosis.findings import find_barriers
from bot.core.diagnosis.main_reader import MANIFEST_PATH, READER_PATH, MainReader
from bot.core.diagnosis.params import Calibration
from bot.core.diagnosis.reading import Reading
from knowledge.framework import BARRIER_IDS


@pytest.fixture(scope="module")
def reader() -> MainReader:
    return MainReader()


def test_reads_probabilities_for_every_barrier(reader: MainReader) -> None:
    main, present = reader.read("Nobody on the ward thinks our falls rate is a problem.")
    assert set(main) == set(present) == set(BARRIER_IDS)
    assert abs(sum(main.values()) - 1.0) < 1e-4
    assert all(0.0 <= p <= 1.0 for p in present.values())


def test_the_blocking_barrier_leads_over_the_louder_topic(reader: MainReader) -> None:
    """Data is mentioned, but what blocks is that nobody believes anything will change."""
    main, _present = reader.read(
        "The team have all seen the audit data and agree the handovers are unsafe. They just "
        "don't believe anything will change this time, so nobody volunteers for the pilot."
    )
    assert max(main, key=lambda b: main[b]) == "motivation"
    main, _present = reader.read(
        "Everyone wants the new discharge process and the consultants back it, but the ward is "
        "running on agency staff and nobody has an hour free to plan anything."
    )
    assert max(main, key=lambda b: main[b]) == "headspace"


def test_long_posts_are_read_without_error(reader: MainReader) -> None:
    main, _present = reader.read("We have tried everything. " * 200)
    assert abs(sum(main.values()) - 1.0) < 1e-4
    main, _present = reader.read("")
    assert abs(sum(main.values()) - 1.0) < 1e-4


def test_a_tampered_file_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / READER_PATH.name
    shutil.copyfile(READER_PATH, copy)
    shutil.copyfile(MANIFEST_PATH, copy.with_suffix(".yaml"))
    MainReader(copy)  # the untouched copy loads
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="does not match its manifest"):
        MainReader(copy)
    copy.with_suffix(".yaml").unlink()
    with pytest.raises(ValueError, match="does not match its manifest"):
        MainReader(copy)


def test_diagnosis_runs_without_the_reader_when_it_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(main_reader, "READER_PATH", tmp_path / "absent.onnx")
    main_reader.shipped_reader.cache_clear()
    try:
        assert main_reader.shipped_reader() is None
    finally:
        main_reader.shipped_reader.cache_clear()


def test_reader_weight_reorders_the_barriers_found_and_never_adds_one() -> None:
    reading = Reading(
        barriers={"recognition": 0.8, "motivation": 0.6, "headspace": 0.1, "capability": 0.0},
        factors={},
        reader={"recognition": 0.1, "motivation": 0.2, "headspace": 0.7, "capability": 0.0},
    )
    plain = Calibration(position_weight=0.0, relative_floor=0.5)
    heavy = plain.model_copy(update={"reader_weight": 1.0})
    assert [f.id for f in find_barriers(reading, plain)] == ["recognition", "motivation"]
    # headspace reads as the main barrier to the reader, but no clause shows it: not added
    assert [f.id for f in find_barriers(reading, heavy)] == ["recognition", "motivation"]
    reading.reader["motivation"] = 0.9
    assert [f.id for f in find_barriers(reading, heavy)] == ["motivation", "recognition"]
