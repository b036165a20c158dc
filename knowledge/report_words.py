"""Strict pydantic model of ``report_words.yaml``: the report's key words for four factor labels.

Our labels for four success factors paraphrase the report. Someone quoting the factors in a board
paper needs the report's own words; these are given beside our label, quoted and attributed,
only when the exact wording is asked for. Only the answering code reads this file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from knowledge.framework import FactorId, Source, load_validated

DEFAULT_PATH = Path(__file__).with_name("report_words.yaml")
MAX_QUOTED_WORDS = 7  # never an eight-word run of the report's text


class ReportWords(BaseModel):
    """The report's key words for factors whose labels are in our words, and where they are."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Source
    factors: dict[FactorId, str] = Field(min_length=1)

    @field_validator("factors")
    @classmethod
    def _short_quotes(cls, factors: dict[FactorId, str]) -> dict[FactorId, str]:
        for ident, words in factors.items():
            if len(words.split()) > MAX_QUOTED_WORDS:
                raise ValueError(f"{ident}: quote at most {MAX_QUOTED_WORDS} words")
        return factors


def load_report_words(path: Path = DEFAULT_PATH) -> ReportWords:
    """Load and validate the file, naming the file and field on any error."""
    return load_validated(path, ReportWords)


@lru_cache(maxsize=4)
def default_report_words(path: Path = DEFAULT_PATH) -> ReportWords:
    """The bundled file, loaded once per process."""
    return load_report_words(path)
