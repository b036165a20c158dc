"""Retriever warm-up: the sentence cache is filled before the first questions need it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.answering.retrieve import Retriever
from knowledge.embeddings import Vectors


class CountingEmbedder:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, real: Any) -> None:
        self.real, self.texts = real, 0
        self.name: str = real.name
        self.dimension: int = real.dimension

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.texts += len(texts)
        result: Vectors = self.real.embed(texts)
        return result


def test_warm_embeds_every_chunk_once_so_questions_embed_only_themselves(
    bundled_services: Any,
) -> None:
    embedder = CountingEmbedder(bundled_services.embedder)
    retriever = Retriever(bundled_services.index, embedder, bundled_services.framework)
    warmed = retriever.warm()
    assert warmed == bundled_services.index.count() > 0
    before = embedder.texts
    retriever.search("how do I protect time for improvement on a busy ward?")
    assert embedder.texts - before == 1  # the query; every passage's sentences were cached
