"""Retrieval latency at 1k / 10k / 100k chunks vs brute-force numpy cosine on the same vectors.

Embedding 100k real chunks would take hours on two cores, so the corpus is synthetic: unit
vectors drawn around 200 Gaussian cluster centres (384 dims, the shape real topic-clustered
guidance has), with Zipf-distributed words as text for BM25. Queries are held-out vectors drawn
around the same centres. The query path is the real one: ``KnowledgeIndex.search_vector``
(Chroma HNSW, k=5) and ``Retriever.candidates`` (dense + BM25 + reciprocal-rank fusion, as an
answer runs it, minus embedding the question which is measured in ``bench_embeddings``).

Vectors and the three Chroma stores are built once and cached under ``.changebot/bench/retrieval``
(building 100k takes a few minutes on two cores); a marker file records the parameters, so a
change of parameters rebuilds.
"""

from __future__ import annotations

import gc
import json
import random
import shutil
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from bench.report import Measure, fmt, percentile
from bench.util import peak_rss_mb
from bench.workloads import BENCH_CACHE
from bot.core.answering.retrieve import Retriever
from knowledge.embeddings import Vectors
from knowledge.framework import default_framework
from knowledge.index import Chunk, KnowledgeIndex, make_client

SIZES = (1_000, 10_000, 100_000)
DIM = 384
CLUSTERS = 200
SPREAD = 0.06  # per-dimension noise around a unit centre: cosine to its centre ~0.65
QUERIES = 200
WARMUP = 20
K = 5
SEED = 7
TARGET_MS = 50.0
T = TypeVar("T")
CACHE = BENCH_CACHE / "retrieval"
PARAMS = {
    "dim": DIM,
    "clusters": CLUSTERS,
    "spread": SPREAD,
    "seed": SEED,
    "queries": QUERIES,
    "format": 1,
}
FRAMEWORK_WORDS = (
    "headspace time capacity recognition data benchmark motivation staff culture leadership "
    "capability skills improvement ward board commissioner practice pathway discharge flow "
    "audit funding support training analyst rota pressure winter change team patients"
).split()
WORDS = FRAMEWORK_WORDS + [f"w{i}" for i in range(5000)]
WEIGHTS = [1.0 / (rank + 1) for rank in range(len(WORDS))]  # Zipf-like, as in real prose


class SyntheticEmbedder:
    """Deterministic random unit vectors (for the framework concepts the Retriever embeds)."""

    name = "synthetic"
    dimension = DIM

    def embed(self, texts: Sequence[str]) -> Vectors:
        rng = np.random.default_rng(len(texts) + sum(len(t) for t in texts))
        v = rng.standard_normal((len(texts), self.dimension)).astype(np.float32)
        out: Vectors = v / np.linalg.norm(v, axis=1, keepdims=True)
        return out


def clustered(rng: np.random.Generator, centres: Vectors, n: int) -> Vectors:
    """``n`` unit vectors scattered around randomly chosen centres."""
    picks = rng.integers(0, len(centres), n)
    v = centres[picks] + rng.normal(0.0, SPREAD, (n, DIM)).astype(np.float32)
    out: Vectors = (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)
    return out


def vectors() -> tuple[Vectors, Vectors]:
    """Corpus (the largest size; smaller sizes are its prefixes) and held-out query vectors."""
    path = CACHE / "vectors.npz"
    marker = CACHE / "vectors.json"
    want = {**PARAMS, "n": max(SIZES)}
    if path.is_file() and marker.is_file() and json.loads(marker.read_text()) == want:
        with np.load(path) as saved:
            return saved["corpus"], saved["queries"]
    rng = np.random.default_rng(SEED)
    c = rng.standard_normal((CLUSTERS, DIM)).astype(np.float32)
    centres: Vectors = c / np.linalg.norm(c, axis=1, keepdims=True)
    corpus, queries = clustered(rng, centres, max(SIZES)), clustered(rng, centres, QUERIES)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, corpus=corpus, queries=queries)
    marker.write_text(json.dumps(want))
    return corpus, queries


def _texts(n: int, words: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choices(WORDS, WEIGHTS, k=words)) for _ in range(n)]


def store(n: int, corpus: Vectors) -> tuple[KnowledgeIndex, float | None]:
    """The cached Chroma store of the first ``n`` vectors (built now if missing or stale)."""
    folder = CACHE / f"chroma-{n}"
    marker = folder / "complete.json"
    want = {**PARAMS, "n": n}
    if marker.is_file() and json.loads(marker.read_text()) == want:
        return KnowledgeIndex(make_client(str(folder), None), SyntheticEmbedder()), None
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    index = KnowledgeIndex(make_client(str(folder), None), SyntheticEmbedder())
    name = index.create_version()
    texts = _texts(n, 80, SEED)
    for start in range(0, n, 5000):
        end = min(n, start + 5000)
        chunks = [
            Chunk(
                chunk_id=f"c{i}",
                text=texts[i],
                document=f"doc{i // 50}.md",
                title=f"Doc {i // 50}",
                page=str(i % 40),
                content_hash=str(i),
                doc_hash=str(i // 50),
            )
            for i in range(start, end)
        ]
        index.add(name, chunks, corpus[start:end])
    index.switch(name)
    seconds = time.perf_counter() - started
    marker.write_text(json.dumps(want))
    return index, seconds


def brute_force(corpus: Vectors, query: Vectors, k: int = K) -> npt.NDArray[np.intp]:
    """Exact cosine top-k (vectors are unit length, so a dot product)."""
    sims = corpus @ query
    top = np.argpartition(-sims, k)[:k]
    order: npt.NDArray[np.intp] = top[np.argsort(-sims[top])]
    return order


def _timed(call: Callable[[T], object], items: Sequence[T]) -> list[float]:
    out = []
    for item in items:
        started = time.perf_counter()
        call(item)
        out.append((time.perf_counter() - started) * 1000)
    return out


def one_size(n: int, corpus_all: Vectors, queries: Vectors) -> list[Measure]:
    corpus = np.ascontiguousarray(corpus_all[:n])
    index, built = store(n, corpus)
    state = f"built in {built:.0f} s (now cached)" if built is not None else "loaded from cache"
    texts = _texts(QUERIES, 8, SEED + 1)
    started = time.perf_counter()
    retriever = Retriever(index, SyntheticEmbedder(), default_framework())
    retriever.candidates(texts[0], vector=queries[0])  # loads the chunks, builds BM25
    print(f"{n} chunks: store {state}; BM25 built in {time.perf_counter() - started:.1f} s")
    for i in range(WARMUP):  # HNSW loaded and paged in
        index.search_vector(queries[i], K)
        brute_force(corpus, queries[i])
    pairs = list(zip(texts, queries, strict=True))
    numpy_ms = _timed(lambda q: brute_force(corpus, q), list(queries))
    dense_ms = _timed(lambda q: index.search_vector(q, K), list(queries))
    fusion_ms = _timed(lambda p: retriever.candidates(p[0], vector=p[1]), pairs)
    hits = 0
    for q in queries:
        exact = {f"c{i}" for i in brute_force(corpus, q)}
        hits += len(exact & {p.chunk_id for p in index.search_vector(q, K)})
    recall = hits / (K * len(queries))
    print(
        f"  numpy brute force p50 {fmt(percentile(numpy_ms, 0.5), 'ms')}, "
        f"p95 {fmt(percentile(numpy_ms, 0.95), 'ms')}; dense p50 "
        f"{fmt(percentile(dense_ms, 0.5), 'ms')}, p95 {fmt(percentile(dense_ms, 0.95), 'ms')} "
        f"(recall@{K} vs exact {recall:.3f}); dense+BM25+RRF p50 "
        f"{fmt(percentile(fusion_ms, 0.5), 'ms')}, p95 {fmt(percentile(fusion_ms, 0.95), 'ms')}"
    )
    target = f"p95 < {TARGET_MS:.0f} ms at 100k" if n == max(SIZES) else ""
    target_max = TARGET_MS if n == max(SIZES) else None
    workload = (
        f"{n:,} chunks, synthetic vectors in {CLUSTERS} clusters; "
        f"{QUERIES} held-out clustered queries, k={K}"
    )
    baseline = "numpy brute-force cosine"
    out = [
        Measure.from_samples(
            f"Retrieval latency, dense (Chroma HNSW), {n // 1000}k chunks",
            workload,
            dense_ms,
            target=target,
            target_max=target_max,
            notes=f"recall@{K} vs exact {recall:.3f}",
            params={"plot": "retrieval", "series": "dense", "size": n},
            baseline_name=baseline,
            baseline_samples=numpy_ms,
        ),
        Measure.from_samples(
            f"Retrieval latency, dense + BM25 + RRF, {n // 1000}k chunks",
            workload + "; 8-word Zipf query text for BM25",
            fusion_ms,
            target=target,
            target_max=target_max,
            notes="Retriever.candidates (the answer path before the sentence rerank)",
            params={"plot": "retrieval", "series": "fusion", "size": n},
            baseline_name=baseline,
            baseline_samples=numpy_ms,
        ),
    ]
    return out


def main() -> list[Measure]:
    corpus, queries = vectors()
    out: list[Measure] = []
    for n in SIZES:
        out += one_size(n, corpus, queries)
        gc.collect()  # drop the previous store and BM25 before the next size
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    return out
