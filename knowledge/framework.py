"""Strict pydantic model of ``framework.yaml``: the framework changebot reasons with.

Ids are Literals taken from ``shared/framework-ids.md`` so a typo in the YAML fails at load time
instead of silently producing a barrier nobody can match.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.common.errors import KnowledgeError
from bot.common.types import Provenance
from bot.common.yaml_files import load_yaml

BarrierId = Literal["recognition", "motivation", "headspace", "capability"]
FactorId = Literal[
    "leadership",
    "culture",
    "management_practices",
    "capabilities",
    "data_analytics",
    "resources_support",
    "enabling_environment",
]
ApproachId = Literal["prod_organisations", "proactive_support", "people_focused"]
RecommendationId = Literal[
    "shared_view", "organisational_levers", "invest_in_support", "focus_on_people"
]
DocumentId = Literal["constructive_comfort", "supplement", "evidence_scan", "health_foundation_web"]
Setting = Literal["any", "ward", "board", "system", "primary_care", "community"]

BARRIER_IDS: tuple[BarrierId, ...] = ("recognition", "motivation", "headspace", "capability")
FACTOR_IDS: tuple[FactorId, ...] = (
    "leadership",
    "culture",
    "management_practices",
    "capabilities",
    "data_analytics",
    "resources_support",
    "enabling_environment",
)
APPROACH_IDS: tuple[ApproachId, ...] = ("prod_organisations", "proactive_support", "people_focused")

DEFAULT_PATH = Path(__file__).with_name("framework.yaml")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where a statement comes from: document, chapter (or web page), page if known."""

    document: DocumentId
    chapter: str
    page: str | None = None


class Statement(_Strict):
    """A sentence in our own words, with how far the documents support it."""

    text: str = Field(min_length=3)
    provenance: Provenance
    source: Source


class Sign(_Strict):
    """How someone in the NHS might describe a barrier in everyday words (invented)."""

    text: str = Field(min_length=3)
    voice: str


class Action(_Strict):
    """A concrete next step a change leader can take, with the reason it helps."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    text: str
    why: str
    approach: ApproachId
    settings: tuple[Setting, ...] = ("any",)
    provenance: Provenance
    source: Source


class Barrier(_Strict):
    """One of the four barrier areas."""

    id: BarrierId
    label: str
    definition: Statement
    causes: tuple[Statement, ...] = Field(min_length=2)
    signs: tuple[Sign, ...] = Field(min_length=12)
    related_factors: tuple[FactorId, ...] = Field(min_length=1)
    approaches: tuple[ApproachId, ...] = Field(min_length=1)
    actions: tuple[Action, ...] = Field(min_length=3)


class FactorActions(_Strict):
    """Actions for a success factor at three levels of the system."""

    team: tuple[Action, ...] = Field(min_length=1)
    organisation: tuple[Action, ...] = Field(min_length=1)
    system: tuple[Action, ...] = Field(min_length=1)


class Factor(_Strict):
    """One of the seven success factors."""

    id: FactorId
    label: str
    definition: Statement
    good_looks_like: tuple[Statement, ...] = Field(min_length=2)
    warning_signs: tuple[Sign, ...] = Field(min_length=6)
    related_barriers: tuple[BarrierId, ...] = Field(min_length=1)
    actions: FactorActions


class Approach(_Strict):
    """One of the three approach types national bodies use."""

    id: ApproachId
    type_number: int = Field(ge=1, le=3)
    label: str
    definition: Statement
    examples: tuple[Statement, ...] = Field(min_length=2)
    helps_with: tuple[BarrierId, ...] = Field(min_length=1)


class Recommendation(_Strict):
    """One of the four recommendations to national bodies."""

    id: RecommendationId
    label: str
    summary: Statement
    approach: ApproachId | None = None


class Framework(_Strict):
    """The whole framework, in the order the report presents it."""

    barriers: tuple[Barrier, ...] = Field(min_length=4, max_length=4)
    factors: tuple[Factor, ...] = Field(min_length=7, max_length=7)
    approaches: tuple[Approach, ...] = Field(min_length=3, max_length=3)
    recommendations: tuple[Recommendation, ...] = Field(min_length=4, max_length=4)

    def barrier(self, barrier_id: str) -> Barrier:
        """The barrier with this id (KeyError if unknown)."""
        return {b.id: b for b in self.barriers}[barrier_id]  # type: ignore[index]

    def factor(self, factor_id: str) -> Factor:
        """The factor with this id (KeyError if unknown)."""
        return {f.id: f for f in self.factors}[factor_id]  # type: ignore[index]

    def approach(self, approach_id: str) -> Approach:
        """The approach with this id (KeyError if unknown)."""
        return {a.id: a for a in self.approaches}[approach_id]  # type: ignore[index]


DOCUMENT_TITLES: dict[str, str] = {
    "constructive_comfort": (
        "Constructive comfort: accelerating change in the NHS (Health Foundation, 2015)"
    ),
    "supplement": (
        "Transformational change in NHS providers "
        "(McKinsey Hospital Institute for the Health Foundation, 2015)"
    ),
    "evidence_scan": (
        "What's getting in the way? Barriers to improvement in the NHS (Evidence scan No. 24, 2015)"
    ),
    "health_foundation_web": "Health Foundation web pages about Constructive comfort (2015)",
}


Model = TypeVar("Model", bound=BaseModel)


def load_validated(path: Path, model: type[Model]) -> Model:
    """Load a YAML file into a strict model, naming the file and field on any error."""
    try:
        return model.model_validate(load_yaml(path))
    except OSError as exc:
        raise KnowledgeError(f"Cannot read {path.name}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path.name} is not valid YAML ({exc.__class__.__name__})") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise KnowledgeError(f"{path.name}: field '{where}': {first['msg']}") from exc


def load_framework(path: Path = DEFAULT_PATH) -> Framework:
    """Load and validate the framework file, naming the file and field on any error."""
    return load_validated(path, Framework)


@lru_cache(maxsize=4)
def default_framework(path: Path = DEFAULT_PATH) -> Framework:
    """The bundled framework, loaded once per process."""
    return load_framework(path)
