"""Example phrasings and labelled situations that teach the offline diagnosis model.

All of it is written by us: invented, illustrative sentences in the voices of NHS change leaders
(``training/exemplars.yaml`` and the batches in ``training/exemplars/``: an extra and a
hard-negative batch, then frontline and manager voices) and short labelled stories
(``training/situations/*.yaml``, one file per writer).
They are training material, never quoted as guidance, and no evaluation data is ever used to fit
or calibrate anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.common.errors import KnowledgeError
from bot.common.yaml_files import load_yaml
from knowledge.framework import ApproachId, BarrierId, FactorId

HERE = Path(__file__).parent
TRAINING = HERE / "training"
DEFAULT_PATH = TRAINING / "exemplars.yaml"
# every file in these folders is read, in name order: a new batch needs no code change
EXTRA_PATHS = tuple(sorted((TRAINING / "exemplars").glob("*.yaml")))
SITUATION_PATHS = tuple(sorted((TRAINING / "situations").glob("*.yaml")))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScopeExemplars(_Strict):
    """Messages that are not situations to diagnose."""

    smalltalk: tuple[str, ...] = Field(min_length=15)
    out_of_scope: tuple[str, ...] = Field(min_length=20)
    question: tuple[str, ...] = Field(min_length=20)
    injection: tuple[str, ...] = Field(min_length=15)
    situation: tuple[str, ...] = Field(min_length=20)


class Exemplars(_Strict):
    """All exemplar sets; every list holds single clauses or short sentences."""

    barrier_signs: dict[BarrierId, tuple[str, ...]]
    counter_signs: dict[BarrierId, tuple[str, ...]]
    factor_signs: dict[FactorId, tuple[str, ...]]
    neutral: tuple[str, ...] = Field(min_length=20)
    scope: ScopeExemplars


class ExtraExemplars(_Strict):
    """A further batch of barrier signs, counter-signs and neutral context for ``Exemplars``.

    ``training/exemplars/02-hard.yaml`` holds hard negatives: a barrier's topic words without
    the barrier.
    """

    barrier_signs: dict[BarrierId, tuple[str, ...]] = Field(default_factory=dict)
    counter_signs: dict[BarrierId, tuple[str, ...]] = Field(default_factory=dict)
    neutral: tuple[str, ...] = ()


class TrainingSituation(_Strict):
    """A whole invented message with the labels a careful reader of the framework would give."""

    text: str
    barriers: tuple[BarrierId, ...]
    factors: tuple[FactorId, ...] = ()
    approaches: tuple[ApproachId, ...] = ()


def _load_yaml(path: Path) -> Any:
    try:
        return load_yaml(path)
    except OSError as exc:
        raise KnowledgeError(f"Cannot read {path.name}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path.name} is not valid YAML") from exc


def _invalid(path: Path, exc: ValidationError) -> KnowledgeError:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return KnowledgeError(f"{path.name}: field '{where}': {first['msg']}")


def _merge(base: dict[Any, tuple[str, ...]], more: dict[Any, tuple[str, ...]]) -> dict[Any, Any]:
    keys = dict.fromkeys([*base, *more])  # ordered: the same training order in every process
    return {k: tuple(dict.fromkeys((*base.get(k, ()), *more.get(k, ())))) for k in keys}


def load_exemplars(path: Path = DEFAULT_PATH, extras: Sequence[Path] = EXTRA_PATHS) -> Exemplars:
    """Load and validate the exemplars, merging each extra batch that exists."""
    try:
        merged = Exemplars.model_validate(_load_yaml(path))
    except ValidationError as exc:
        raise _invalid(path, exc) from exc
    for extra in extras:
        if not extra.exists():
            continue
        try:
            more = ExtraExemplars.model_validate(_load_yaml(extra))
        except ValidationError as exc:
            raise _invalid(extra, exc) from exc
        merged = merged.model_copy(
            update={
                "barrier_signs": _merge(merged.barrier_signs, more.barrier_signs),
                "counter_signs": _merge(merged.counter_signs, more.counter_signs),
                "neutral": tuple(dict.fromkeys((*merged.neutral, *more.neutral))),
            }
        )
    return merged


def load_situations(
    paths: Sequence[Path] = SITUATION_PATHS,
) -> tuple[TrainingSituation, ...]:
    """The labelled training situations from every file given (absent files add nothing)."""
    found: list[TrainingSituation] = []
    for path in paths:
        if not path.exists():
            continue
        raw = _load_yaml(path) or []
        try:
            found += [TrainingSituation.model_validate(item) for item in raw]
        except ValidationError as exc:
            raise _invalid(path, exc) from exc
    return tuple(found)


@lru_cache(maxsize=2)
def default_exemplars(path: Path = DEFAULT_PATH) -> Exemplars:
    """The bundled exemplars, loaded once."""
    return load_exemplars(path)
