"""Short example phrasings that teach the offline classifiers (scope, barriers, factors).

``exemplars.yaml`` is written by us: invented, illustrative sentences in the voices of NHS change
leaders. They are training material for the local diagnosis model, never quoted as guidance.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.errors import KnowledgeError
from knowledge.framework import BarrierId, FactorId

DEFAULT_PATH = Path(__file__).with_name("exemplars.yaml")


class ScopeExemplars(BaseModel):
    """Messages that are not situations to diagnose."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    smalltalk: tuple[str, ...] = Field(min_length=15)
    out_of_scope: tuple[str, ...] = Field(min_length=20)
    question: tuple[str, ...] = Field(min_length=20)
    injection: tuple[str, ...] = Field(min_length=15)
    situation: tuple[str, ...] = Field(min_length=20)


class Exemplars(BaseModel):
    """All exemplar sets; every list holds single clauses or short sentences."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    barrier_signs: dict[BarrierId, tuple[str, ...]]
    counter_signs: dict[BarrierId, tuple[str, ...]]
    factor_signs: dict[FactorId, tuple[str, ...]]
    neutral: tuple[str, ...] = Field(min_length=20)
    scope: ScopeExemplars


def load_exemplars(path: Path = DEFAULT_PATH) -> Exemplars:
    """Load and validate the exemplar file, naming the field on error."""
    try:
        return Exemplars.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise KnowledgeError(f"Cannot read {path.name}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path.name} is not valid YAML") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise KnowledgeError(f"{path.name}: field '{where}': {first['msg']}") from exc


@lru_cache(maxsize=2)
def default_exemplars(path: Path = DEFAULT_PATH) -> Exemplars:
    """The bundled exemplars, loaded once."""
    return load_exemplars(path)
