"""A first start fits nothing: the fitted files shipped in knowledge/fitted/cache/ are current."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.core.diagnosis.diagnose import Diagnoser
from bot.core.diagnosis.params import SHIPPED_CACHE, load_calibration
from knowledge.exemplars import default_exemplars
from knowledge.framework import default_framework


class CountingBatches:
    """Wraps the real embedder and counts the large (training) batches it is asked for."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.name, self.dimension = inner, inner.name, inner.dimension
        self.training_batches = 0

    def embed(self, texts: Sequence[str]) -> Any:
        if len(texts) >= 100:
            self.training_batches += 1
        return self.inner.embed(texts)


def test_an_empty_data_dir_starts_from_the_shipped_fit(embedder: Any, tmp_path: Path) -> None:
    counting = CountingBatches(embedder)
    cache = tmp_path / "data" / "cache"
    diagnoser = Diagnoser(
        counting,
        default_framework(),
        default_exemplars(),
        calibration=load_calibration(),
        cache_dir=cache,
    )
    assert counting.training_batches == 0, (
        "the shipped fitted files are stale: run `make fit` and commit knowledge/fitted/"
    )
    # a fit keyed by inputs that changed (a word list the features read, say) writes a new file:
    # the first start would then fit for minutes though it embedded nothing
    written = {p.name for p in cache.iterdir()} - {p.name for p in SHIPPED_CACHE.iterdir()}
    assert not written, f"refitted on a first start ({sorted(written)}): run `make fit`"
    assert {p.name for p in SHIPPED_CACHE.iterdir()} <= {p.name for p in cache.iterdir()}
    result = diagnoser.diagnose("the consultants don't think there is a problem with discharge")
    assert result.scope == "in_scope" and result.barriers
