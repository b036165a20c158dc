"""Strict pydantic model of ``matching.yaml``: what a told situation is matched against.

When someone tells a story and asks what it is an instance of ("what does the evidence scan call
this?", "which type of national approach is that?"), the answer names the scan's own barrier or
the approach type by matching the story against these names, glosses and invented signs. Only
the answering code reads this file; the diagnosis trains on ``framework.yaml`` alone.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from knowledge.framework import ApproachId, BarrierId, Statement, load_validated

DEFAULT_PATH = Path(__file__).with_name("matching.yaml")

ScanCategory = Literal["initiative", "individual", "organisational", "system-wide"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScanBarrier(_Strict):
    """One of the evidence scan's sixteen named barriers, with signs to recognise it by."""

    id: str = Field(pattern=r"^[a-z_]+$")
    name: str
    category: ScanCategory
    phases: int = Field(ge=1, le=3)
    barriers: tuple[BarrierId, ...] = Field(min_length=1)
    gloss: str
    example: str | None = None
    signs: tuple[str, ...] = Field(min_length=3)


class Matching(_Strict):
    """The scan's barriers, how each approach type is met in everyday words, and the verdict."""

    balance_verdict: Statement
    approach_signs: dict[ApproachId, tuple[str, ...]]
    scan_barriers: tuple[ScanBarrier, ...] = Field(min_length=16, max_length=16)


def load_matching(path: Path = DEFAULT_PATH) -> Matching:
    """Load and validate the matching file, naming the file and field on any error."""
    return load_validated(path, Matching)


@lru_cache(maxsize=4)
def default_matching(path: Path = DEFAULT_PATH) -> Matching:
    """The bundled matching file, loaded once per process."""
    return load_matching(path)
