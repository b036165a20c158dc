"""Retrieval alone at 100k chunks: a generated corpus with synthetic unit vectors.

Embedding 100k real chunks would take hours on 2 cores, so vectors are random unit vectors and
texts are generated from a vocabulary; the query path (Chroma k-NN + BM25 + fusion) is the real one.
"""

from __future__ import annotations

import random
import tempfile
import time

import numpy as np

from bench.util import peak_rss_mb, summary, timings_ms
from bot.core.retrieve import Retriever
from knowledge.framework import default_framework
from knowledge.index import Chunk, KnowledgeIndex, make_client

N = 100_000
FRAMEWORK_WORDS = (
    "headspace time capacity recognition data benchmark motivation staff culture leadership "
    "capability skills improvement ward board commissioner practice pathway discharge flow "
    "audit funding support training analyst rota pressure winter change team patients"
).split()
WORDS = FRAMEWORK_WORDS + [f"w{i}" for i in range(5000)]
WEIGHTS = [1.0 / (rank + 1) for rank in range(len(WORDS))]  # Zipf-like, as in real prose


class SyntheticEmbedder:
    """Deterministic random unit vectors: the cost of the model is measured elsewhere."""

    name = "synthetic"
    dimension = 384

    def embed(self, texts: list[str]) -> np.ndarray:
        rng = np.random.default_rng(abs(hash(tuple(texts))) % (2**32))
        v = rng.standard_normal((len(texts), self.dimension)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def main() -> None:
    rng = random.Random(7)
    embedder = SyntheticEmbedder()
    index = KnowledgeIndex(make_client(tempfile.mkdtemp(), None), embedder)
    name = index.create_version()
    start = time.perf_counter()
    for batch in range(0, N, 5000):
        chunks = [
            Chunk(
                chunk_id=f"c{i}",
                text=" ".join(rng.choices(WORDS, WEIGHTS, k=80)),
                document=f"doc{i // 50}.md",
                title=f"Doc {i // 50}",
                page=str(i % 40),
                content_hash=str(i),
                doc_hash=str(i // 50),
            )
            for i in range(batch, min(N, batch + 5000))
        ]
        index.add(name, chunks, embedder.embed([c.text for c in chunks]))
    index.switch(name)
    print(f"built {N} chunks in {time.perf_counter() - start:.0f} s")
    retriever = Retriever(index, embedder, default_framework())
    queries = [" ".join(rng.choices(WORDS, WEIGHTS, k=8)) for _ in range(60)]
    retriever.search(queries[0])  # builds the BM25 postings once
    it = iter(queries * 3)
    dense = timings_ms(lambda: index.search(next(it), 5), 50)
    print(f"dense k=5 at {N}: {summary(dense)}")
    it2 = iter(queries * 3)
    hybrid = timings_ms(lambda: retriever.search(next(it2), 5), 50)
    print(f"hybrid + sentence rerank at {N}: {summary(hybrid)}")
    it3 = iter(queries * 3)
    fusion = timings_ms(lambda: retriever.candidates(next(it3)), 50)
    print(f"retrieval alone (dense+BM25+RRF) at {N}: {summary(fusion)}")
    print(f"peak RSS {peak_rss_mb():.0f} MB")
