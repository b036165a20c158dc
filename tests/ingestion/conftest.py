"""Fixtures for ingestion tests: a real embedded Chroma, the real local embedder (counted)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.settings import Settings
from ingestion.sandbox import Limits, ParserSandbox
from knowledge.embeddings import Vectors, local_embedder
from knowledge.index import KnowledgeIndex, make_client


class CountingEmbedder:
    """Wraps the local embedder and counts texts embedded (to prove what was re-embedded)."""

    def __init__(self) -> None:
        self._inner = local_embedder()
        self.name = self._inner.name
        self.dimension = self._inner.dimension
        self.calls = 0
        self.texts = 0

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.calls += 1
        self.texts += len(texts)
        return np.asarray(self._inner.embed(texts), dtype=np.float32)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for key in list(os.environ):
        if key.startswith(("CHANGEBOT_", "SLACK_", "OPENAI_")):
            monkeypatch.delenv(key)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", ingest_timeout_s=30, ingest_memory_mb=1024)


@pytest.fixture
def embedder() -> CountingEmbedder:
    return CountingEmbedder()


@pytest.fixture
def index(settings: Settings, embedder: CountingEmbedder) -> Iterator[KnowledgeIndex]:
    """A real embedded index, closed after the test (else its client holds ~10 descriptors)."""
    index = KnowledgeIndex(make_client(str(settings.index_dir), None), embedder)
    yield index
    index.close()


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    return folder


@pytest.fixture(scope="module")
def pdf_sandbox() -> Iterator[ParserSandbox]:
    """One parsing child per module: the path ``ingest`` parses every PDF through."""
    with ParserSandbox(Limits(cpu_s=30, wall_s=30)) as child:
        yield child
