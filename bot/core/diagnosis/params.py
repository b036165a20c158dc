"""Decision thresholds of the offline diagnosis, calibrated on our own labelled situations.

``python -m bot.tools.calibrate`` searches them on ``knowledge/situations_train*.yaml`` and writes
``knowledge/calibration.yaml``; the defaults below apply when that file is absent.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

PATH = Path(__file__).resolve().parents[3] / "knowledge" / "calibration.yaml"


class Calibration(BaseModel):
    """Thresholds and weights used to turn scores into findings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    barrier_floor: float = Field(0.5, ge=0, le=1)
    relative_floor: float = Field(0.45, ge=0, le=1)
    position_weight: float = Field(0.15, ge=0, le=1)
    message_weight: float = Field(0.0, ge=0, le=1)
    factor_floor: float = Field(0.4, ge=0, le=1)
    factor_prior_weight: float = Field(0.5, ge=0, le=1)
    max_factors: int = Field(3, ge=1, le=7)
    approach_floor: float = Field(0.45, ge=0, le=1)


@lru_cache(maxsize=2)
def load_calibration(path: Path = PATH) -> Calibration:
    """The calibrated thresholds, or the defaults when no calibration file exists."""
    if not path.exists():
        return Calibration()
    return Calibration.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
