"""Embedding throughput: our MiniLM embedder vs Chroma's built-in ONNXMiniLM_L6_V2.

Both run the same int8 ONNX file and tokenizer (Chroma's class is pointed at a folder holding
copies of our verified files, so nothing is downloaded). The differences measured are the
tokenisation and padding strategy: Chroma pads every text to 256 tokens, ours to the longest text
in each batch. Calls alternate ours/Chroma on the same input so machine noise hits both alike.

Workloads: 500 short queries one per call, the same 500 in batches of 32, and 500 chunks of about
200 MiniLM tokens in batches of 32 (the ingest batch size).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.report import Measure, fmt, percentile
from bench.util import peak_rss_mb
from bench.workloads import chunk_texts, short_queries
from knowledge.embeddings import TOKENIZER_PATH, MiniLMEmbedder, model_file

BATCH = 32
EmbedFn = Callable[[list[str]], Any]


def chroma_function() -> EmbedFn:
    """Chroma's ONNXMiniLM_L6_V2 pointed at our verified files, so nothing is downloaded."""
    from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

    root = Path(tempfile.mkdtemp(prefix="bench-chroma-onnx-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    folder = root / "onnx"
    folder.mkdir()
    shutil.copy(model_file(), folder / "model.onnx")
    shutil.copy(TOKENIZER_PATH, folder / "tokenizer.json")
    for name in ("config.json", "special_tokens_map.json", "tokenizer_config.json", "vocab.txt"):
        (folder / name).write_text("{}")

    class Local(ONNXMiniLM_L6_V2):
        DOWNLOAD_PATH = folder.parent

    function: EmbedFn = Local(preferred_providers=["CPUExecutionProvider"])
    return function


def paired(
    ours: EmbedFn, theirs: EmbedFn, batches: list[list[str]]
) -> tuple[list[float], list[float]]:
    """Milliseconds per call for each batch, ours then Chroma's, alternating."""
    for _ in range(2):  # warm both sessions on this shape
        ours(batches[0])
        theirs(batches[0])
    mine, base = [], []
    for batch in batches:
        started = time.perf_counter()
        ours(batch)
        mine.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        theirs(batch)
        base.append((time.perf_counter() - started) * 1000)
    return mine, base


def _measure(
    name: str,
    workload: str,
    texts: int,
    mine: list[float],
    base: list[float],
    kind: str,
    target: float | None,
) -> Measure:
    ours_rate = texts / (sum(mine) / 1000)
    base_rate = texts / (sum(base) / 1000)
    ratio = ours_rate / base_rate
    print(
        f"{name}: ours {ours_rate:.1f} texts/s (p50 {fmt(percentile(mine, 0.5), 'ms')} per call), "
        f"chroma {base_rate:.1f} texts/s -> {ratio:.2f}x"
    )
    return Measure.from_samples(
        name,
        workload,
        mine,
        value=ours_rate,
        value_unit="texts/s",
        baseline_name="Chroma ONNXMiniLM_L6_V2",
        baseline_samples=base,
        baseline_value=base_rate,
        ratio_basis="value",
        target=f">= {target:.0f}× Chroma" if target else "report the ratio",
        met=None if target is None else ratio >= target,
        notes="median/p95 are ms per call; Result is texts/s over all calls",
        params={"plot": "embedding", "label": kind},
    )


def main() -> list[Measure]:
    queries = short_queries(500)
    chunks, mean_tokens = chunk_texts(500, 200)
    ours = MiniLMEmbedder().embed
    theirs = chroma_function()
    out = []
    mine, base = paired(ours, theirs, [[q] for q in queries])
    out.append(
        _measure(
            "Embedding throughput: short queries, one per call",
            "500 short queries (5-14 words), 1 text per call",
            len(queries),
            mine,
            base,
            "queries, single",
            5.0,
        )
    )
    batches = [queries[i : i + BATCH] for i in range(0, len(queries), BATCH)]
    mine, base = paired(ours, theirs, batches)
    out.append(
        _measure(
            "Embedding throughput: short queries, batched",
            f"the same 500 queries in {len(batches)} calls of {BATCH}",
            len(queries),
            mine,
            base,
            "queries, batched",
            5.0,
        )
    )
    batches = [chunks[i : i + BATCH] for i in range(0, len(chunks), BATCH)]
    mine, base = paired(ours, theirs, batches)
    out.append(
        _measure(
            "Embedding throughput: ~200-token chunks",
            f"500 chunks of {mean_tokens:.0f} MiniLM tokens on average, "
            f"{len(batches)} calls of {BATCH}",
            len(chunks),
            mine,
            base,
            "chunks, batched",
            None,
        )
    )
    print(f"peak RSS {peak_rss_mb():.0f} MB (both models loaded)")
    return out
