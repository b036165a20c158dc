"""The bundled guidance's vectors ship with the package, are current, and are the model's own."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.services import make_embedder
from bot.settings import Settings
from bot.tools.ship_cache import index_bundled
from knowledge.embeddings import MemoEmbedder, Vectors, local_embedder
from knowledge.shipped_vectors import (
    SHIPPED_VECTORS,
    ShippedVectors,
    save_table,
)


class Counting:
    """The real model, counting the texts that reach it."""

    def __init__(self) -> None:
        self.model = local_embedder()
        self.name, self.dimension = self.model.name, self.model.dimension
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.texts.extend(texts)
        return self.model.embed(texts)


class Hashed:
    """A deterministic stand-in model for the table's own mechanics (no ONNX needed)."""

    def __init__(self, name: str = "hashed", dimension: int = 8) -> None:
        self.name, self.dimension = name, dimension
        self.calls: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.calls.append(list(texts))
        rows = [
            np.frombuffer(hashlib.sha256(t.encode()).digest()[: self.dimension], np.uint8)
            for t in texts
        ]
        return np.array(rows, dtype=np.float32).reshape(len(texts), self.dimension)


@pytest.fixture(scope="module")
def first_start(tmp_path_factory: pytest.TempPathFactory) -> tuple[Counting, MemoEmbedder]:
    """A first start's own embedding work (index the notes, warm every sentence) via the table."""
    counting = Counting()
    recorder = MemoEmbedder(ShippedVectors(counting))
    index_bundled(recorder, tmp_path_factory.mktemp("first-start"))
    return counting, recorder


def test_a_first_start_embeds_none_of_the_bundled_notes(
    first_start: tuple[Counting, MemoEmbedder],
) -> None:
    counting, recorder = first_start
    assert SHIPPED_VECTORS.exists(), "knowledge/fitted/guidance-vectors.npz is missing: make fit"
    assert len(recorder.seen) > 500  # chunks, their sentences and the framework's signs
    assert counting.texts == [], (
        f"{len(counting.texts)} bundled texts are not in the shipped vectors (first: "
        f"{counting.texts[0][:60]!r}): the guidance changed since the last fit; run `make fit` "
        "and commit knowledge/fitted/guidance-vectors.npz"
    )


def test_the_shipped_vectors_are_the_models_own(
    first_start: tuple[Counting, MemoEmbedder],
) -> None:
    _counting, recorder = first_start
    texts = sorted(recorder.seen)[::25]
    fresh = local_embedder().embed(texts)
    shipped = np.stack([recorder.seen[t] for t in texts])
    assert len(texts) >= 20
    assert np.allclose(shipped, fresh, atol=1e-4)


def test_the_default_embedder_uses_the_table(tmp_path: Path) -> None:
    embedder = make_embedder(Settings(data_dir=tmp_path))
    assert isinstance(embedder, ShippedVectors)
    assert len(embedder) > 500
    assert embedder.name == local_embedder().name  # stored versions and caches still match


def test_known_texts_come_from_the_table_and_only_the_rest_is_embedded(tmp_path: Path) -> None:
    model = Hashed()
    known = [f"note sentence {n}" for n in range(300)]  # enough keys to meet every byte value
    table = tmp_path / "vectors.npz"
    assert save_table(table, model.name, dict(zip(known, model.embed(known), strict=True))) == 300
    model.calls.clear()
    shipped = ShippedVectors(model, table)
    batch = ["a question nobody shipped", known[7], known[299], "an admin's document"]
    got = shipped.embed(batch)
    assert model.calls == [["a question nobody shipped", "an admin's document"]]
    assert np.array_equal(got, Hashed().embed(batch))  # same rows, same order
    model.calls.clear()
    assert np.array_equal(shipped.embed(known), Hashed().embed(known))
    assert model.calls == []


def test_another_models_table_is_never_used(tmp_path: Path) -> None:
    table = tmp_path / "vectors.npz"
    save_table(table, "another-model", {"a sentence": np.ones(8, np.float32)})
    model = Hashed()
    shipped = ShippedVectors(model, table)
    assert len(shipped) == 0
    assert np.array_equal(shipped.embed(["a sentence"]), Hashed().embed(["a sentence"]))
    assert model.calls == [["a sentence"]]


def test_a_damaged_or_missing_table_only_costs_time(tmp_path: Path) -> None:
    damaged = tmp_path / "vectors.npz"
    damaged.write_bytes(b"not a numpy archive")
    for path in (damaged, tmp_path / "absent.npz"):
        model = Hashed()
        shipped = ShippedVectors(model, path)
        assert len(shipped) == 0
        assert np.array_equal(shipped.embed(["x y z"]), Hashed().embed(["x y z"]))
