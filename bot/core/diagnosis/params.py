"""Every knob of the offline diagnosis model, in one place, and the calibrated values.

Two kinds of value live here:

- **Fixed knobs** (module constants): chosen by hand or by a search on our own training
  situations, never on evaluation data. Changing one changes what the fitted artefacts mean, so
  they are part of ``inputs_sha256`` and the freshness test fails until ``make fit`` is run.
- **Calibrated thresholds** (``Calibration``): searched by ``python -m bot.tools.calibrate`` on
  ``knowledge/training/situations/*.yaml`` and written to ``knowledge/fitted/calibration.yaml``
  with the hash of their inputs; the defaults below apply when that file is absent.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bot.common.yaml_files import load_yaml
from bot.core.diagnosis.presence import PresenceModel

KNOWLEDGE = Path(__file__).resolve().parents[3] / "knowledge"
PATH = KNOWLEDGE / "fitted" / "calibration.yaml"
# Fitted weights and training vectors shipped with the package (written by ``make fit``), so a
# first start on an empty data dir reads them instead of embedding and fitting for half a minute.
# Their file names are hashes of exactly what they were fitted on: a stale file is never used.
SHIPPED_CACHE = KNOWLEDGE / "fitted" / "cache"

# -- fixed knobs ---------------------------------------------------------------------------
MIN_WORDS = 4  # a clause shorter than this is merged with its neighbour
THIN_WORDS = 10  # messages shorter than this get follow-up questions
CONFIDENT = 0.6  # a top barrier score below this is a provisional reading
POSITION_WEIGHTS = (1.0, 0.75, 0.55, 0.4)  # prior of a clause's order in the message
# TF-IDF word cues beside the sentence vector in the message model (both heads), chosen
# leave-one-writer-out on our eleven older training files: 0.5 -> 2.0 raised macro-F1 0.805 ->
# 0.824 and primary accuracy 0.757 -> 0.780 (on nine files); with seventeen writers' files
# training it, 2.0 -> 4.0 raised primary accuracy 0.803 -> 0.811 at the same macro-F1 (3.0 and
# 6.0 scored between).
SPARSE_WEIGHT = 4.0
EVIDENCE_FLOOR = 0.35  # clause probability needed to quote it as evidence
# Weight of the TF-IDF word cues beside the sentence vector in the clause models, chosen on our
# training situations: telling words ("cynical", "rota", "never measured") separate barriers
# better than MiniLM's vectors of short clauses do, whose polar opposites sit close.
BARRIER_SPARSE_WEIGHT = 2.0
FACTOR_SPARSE_WEIGHT = 0.5
# A clause the writer marks as the main problem ("the real issue is…", emphasis.py): its barrier
# scores gain STRESS_PRESENCE and rank STRESS_WEIGHT higher, enough to lead. Chosen
# leave-one-writer-out on our eleven training files (weights 0.8, 1.5, 2.0 and 3.0 tried).
STRESS_PRESENCE = 0.2
STRESS_WEIGHT = 3.0
# A clause that follows a contrast ("keen, but the rota has four gaps"): its barriers rank this
# much higher (0.4, 0.6, 1.0, 1.2, 1.5 and 2.0 tried leave-one-writer-out; 1.0 scored best).
TURN_WEIGHT = 1.0
MAX_ACTIONS = 6
MIN_ACTIONS = 3

FIXED_KNOBS = {
    "MIN_WORDS": MIN_WORDS,
    "THIN_WORDS": THIN_WORDS,
    "CONFIDENT": CONFIDENT,
    "POSITION_WEIGHTS": POSITION_WEIGHTS,
    "SPARSE_WEIGHT": SPARSE_WEIGHT,
    "EVIDENCE_FLOOR": EVIDENCE_FLOOR,
    "BARRIER_SPARSE_WEIGHT": BARRIER_SPARSE_WEIGHT,
    "FACTOR_SPARSE_WEIGHT": FACTOR_SPARSE_WEIGHT,
    "STRESS_PRESENCE": STRESS_PRESENCE,
    "STRESS_WEIGHT": STRESS_WEIGHT,
    "TURN_WEIGHT": TURN_WEIGHT,
    "MAX_ACTIONS": MAX_ACTIONS,
    "MIN_ACTIONS": MIN_ACTIONS,
}


class Calibration(BaseModel):
    """Thresholds and weights used to turn scores into findings.

    With a fitted ``presence`` model a barrier is present when its probability reaches
    ``presence_floor`` (the likeliest one always is); ``barrier_floor`` and ``relative_floor``
    decide only without one (no calibration file).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    presence: PresenceModel | None = None
    presence_floor: float = Field(0.5, ge=0, le=1)
    barrier_floor: float = Field(0.5, ge=0, le=1)
    relative_floor: float = Field(0.45, ge=0, le=1)
    position_weight: float = Field(0.15, ge=0, le=1)
    message_weight: float = Field(0.0, ge=0, le=1)
    main_weight: float = Field(0.0, ge=0, le=1)
    reader_weight: float = Field(0.0, ge=0, le=5)
    factor_floor: float = Field(0.4, ge=0, le=1)
    factor_prior_weight: float = Field(0.5, ge=0, le=1)
    max_factors: int = Field(3, ge=1, le=7)
    approach_floor: float = Field(0.45, ge=0, le=1)


def training_inputs() -> list[Path]:
    """The files the fitted artefacts depend on: framework, exemplars, labelled situations.

    And the code that turns text into word features: a stemmer change alters every weight; and
    the fine-tuned reader's out-of-fold readings, on which its weights are calibrated.
    """
    training = KNOWLEDGE / "training"
    here = Path(__file__).resolve().parent
    return [
        here.parent / "wording.py",
        here / "features.py",
        KNOWLEDGE / "framework.yaml",
        training / "exemplars.yaml",
        *sorted((training / "exemplars").glob("*.yaml")),
        *sorted((training / "situations").glob("*.yaml")),
        *sorted((KNOWLEDGE / "fitted").glob("main-reader-oof.json")),
    ]


def inputs_sha256(
    paths: Iterable[Path] | None = None, knobs: Mapping[str, object] = FIXED_KNOBS
) -> str:
    """One hash over the training inputs' names and bytes and the knobs they are fitted with."""
    digest = hashlib.sha256(json.dumps(knobs, sort_keys=True).encode())
    for path in paths if paths is not None else training_inputs():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def recorded_inputs_sha256(path: Path = PATH) -> str | None:
    """The inputs hash written beside the calibrated values (None when absent)."""
    if not path.exists():
        return None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# inputs_sha256:"):
            return line.split(":", 1)[1].strip()
    return None


def seed_cache(cache_dir: Path, shipped: Path = SHIPPED_CACHE) -> int:
    """Copy the shipped fitted files into a data dir's cache (only those missing); returns count."""
    if not shipped.is_dir():
        return 0
    cache_dir.mkdir(parents=True, exist_ok=True)
    copied = 0
    for source in shipped.iterdir():
        target = cache_dir / source.name
        if source.suffix in {".npy", ".npz"} and not target.exists():
            partial = target.with_suffix(".seeding")
            shutil.copyfile(source, partial)
            partial.replace(target)
            copied += 1
    return copied


@lru_cache(maxsize=2)
def load_calibration(path: Path = PATH) -> Calibration:
    """The calibrated thresholds, or the defaults when no calibration file exists."""
    if not path.exists():
        return Calibration()
    return Calibration.model_validate(load_yaml(path) or {})
