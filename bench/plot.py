"""``latest.png``: retrieval p95 against corpus size, and embedding throughput against Chroma.

Reads only the measures' ``params`` (``plot``: ``"retrieval"`` with ``series`` and ``size``, or
``"embedding"`` with ``label``), so the panels follow whatever the modules reported.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display

import matplotlib.pyplot as plt  # noqa: E402

from bench.report import Measure  # noqa: E402

SERIES = {"dense": "ours: dense (Chroma HNSW)", "fusion": "ours: dense + BM25 + RRF"}


def draw(measures: list[Measure], path: Path) -> str:
    """Draw both panels into ``path``; returns a short description of what was drawn."""
    retrieval = [m for m in measures if m.params.get("plot") == "retrieval"]
    embedding = [m for m in measures if m.params.get("plot") == "embedding"]
    if not retrieval and not embedding:
        return "no plot (no retrieval or embedding measures in this run)"
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))

    baseline: dict[float, float] = {}
    for series, label in SERIES.items():
        rows = sorted(
            (m for m in retrieval if m.params.get("series") == series),
            key=lambda m: float(m.params["size"]),
        )
        if not rows:
            continue
        sizes = [float(m.params["size"]) for m in rows]
        left.plot(sizes, [m.p95 or 0.0 for m in rows], marker="o", label=f"{label}, p95")
        for m in rows:
            if m.baseline_p95 is not None:
                baseline.setdefault(float(m.params["size"]), m.baseline_p95)
    if baseline:
        sizes = sorted(baseline)
        left.plot(
            sizes,
            [baseline[s] for s in sizes],
            marker="s",
            linestyle="--",
            label="numpy brute-force cosine, p95",
        )
    left.axhline(50, color="grey", linewidth=0.8, linestyle=":", label="target at 100k: 50 ms")
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xlabel("corpus size (chunks)")
    left.set_ylabel("latency per query, p95 (ms)")
    left.set_title("Retrieval latency vs corpus size")
    left.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=8)

    labels = [str(m.params.get("label", m.name)) for m in embedding]
    xs = range(len(embedding))
    width = 0.38
    ours = [m.value or 0.0 for m in embedding]
    theirs = [m.baseline_value or 0.0 for m in embedding]
    right.bar([x - width / 2 for x in xs], ours, width, label="ours (MiniLMEmbedder)")
    right.bar([x + width / 2 for x in xs], theirs, width, label="Chroma ONNXMiniLM_L6_V2")
    for x, m in zip(xs, embedding, strict=True):
        if m.ratio is not None:
            right.annotate(
                f"{m.ratio:.1f}×", (x - width / 2, ours[x]), ha="center", va="bottom", fontsize=9
            )
    right.set_xticks(list(xs), labels)
    right.set_yscale("log")
    right.set_ylabel("texts per second (log)")
    right.set_title("Embedding throughput, same model files")
    right.grid(True, axis="y", which="both", alpha=0.3)
    right.legend(fontsize=8)

    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return f"plot {path.name}"
