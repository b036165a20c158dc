"""Ingestion speed: a generated 60-page report PDF + 20 Markdown notes, and search latency
before vs during an ingest running in another process.

Prints pages/s, chunks/s, total time, peak RSS (this process and the parsing child), and p50/p95
of ``index.search`` with no writer vs with a re-ingest running in a separate, niced process.
Target (issue 3): the 60-page PDF in under 30 s on a 2-core machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.util import peak_rss_mb, summary
from bot.settings import Settings
from ingestion.pipeline import ingest
from ingestion.sandbox import Limits, ParserSandbox
from knowledge.embeddings import local_embedder
from knowledge.index import KnowledgeIndex, make_client
from tests.ingestion.samples import TOPICS, make_report_pdf, write_note

PAGES = 60
NOTES = 20
QUESTIONS = [
    "how do we find headspace for change",
    "what does committed leadership look like",
    "data and analytics to show impact",
    "capability to solve problems",
    "why does culture matter for change",
    "resources and support for improvement",
]


def _index(data: Path) -> KnowledgeIndex:
    return KnowledgeIndex(make_client(str(data / "index"), None), local_embedder())


def _corpus(root: Path) -> tuple[Path, Path]:
    pdf_dir, notes = root / "pdf", root / "notes"
    pdf_dir.mkdir()
    notes.mkdir()
    make_report_pdf(pdf_dir / "report.pdf", pages=PAGES, paragraphs=3)
    for i in range(NOTES):
        write_note(notes, f"note-{i:02d}.md", TOPICS[i % len(TOPICS)] + f" {i}", paragraphs=3)
    return pdf_dir, notes


def _timed_ingest(
    label: str,
    paths: list[Path],
    index: KnowledgeIndex,
    settings: Settings,
    pages: int | None = None,
) -> float:
    started = time.perf_counter()
    report = ingest(paths, index, settings, mode="add", actor="bench")
    seconds = time.perf_counter() - started
    rate = f", {pages / seconds:.1f} pages/s" if pages else ""
    print(
        f"{label}: {len(report.documents)} documents, {report.chunks} chunks in the index, "
        f"{report.embedded} embedded, {seconds:.1f} s, {report.embedded / seconds:.1f} chunks/s"
        f"{rate}; failed: {report.count('failed')}"
    )
    return seconds


def _latencies(index: KnowledgeIndex, stop: threading.Event | None, n: int = 60) -> list[float]:
    out: list[float] = []
    i = 0
    while (stop is None and i < n) or (stop is not None and not stop.is_set()):
        started = time.perf_counter()
        index.search(QUESTIONS[i % len(QUESTIONS)], k=5)
        out.append((time.perf_counter() - started) * 1000)
        i += 1
        if stop is not None:
            time.sleep(0.05)
    return out


def _parse_alone(pdf: Path) -> None:
    """Parsing cost without embedding, and the parsing child's own peak memory."""
    with ParserSandbox(Limits()) as sandbox:
        started = time.perf_counter()
        parsed = sandbox.parse(pdf.resolve(), "pdf", pdf.name)
        seconds = time.perf_counter() - started
        print(
            f"parse only (sandboxed child, incl. start-up): {parsed.pages} pages in "
            f"{seconds:.1f} s = {PAGES / seconds:.1f} pages/s; child peak RSS "
            f"{sandbox.child_peak_rss_mb() or 0:.0f} MB"
        )


def _child(data: Path, docs: Path) -> None:
    os.nice(10)  # ingestion must not starve the bot (reliability plan R11)
    ingest([docs], _index(data), Settings(data_dir=data), mode="replace", actor="bench")


def _during(data: Path, notes: Path, index: KnowledgeIndex) -> tuple[list[float], int, float]:
    for note in sorted(notes.glob("*.md"))[:10]:  # change half the notes so they re-embed
        note.write_text(note.read_text() + "\n\nRevised for the benchmark.\n")
    errors = 0
    lat: list[float] = []
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.bench_ingest", "--child", str(data), str(notes.parent)]
    )
    while proc.poll() is None:
        try:
            lat.extend(_latencies(index, None, n=1))
        except Exception:  # noqa: BLE001 - the benchmark counts reader failures
            errors += 1
        time.sleep(0.05)
    return lat, errors, time.perf_counter() - started


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        pdf_dir, notes = _corpus(root)
        data = root / "data"
        settings = Settings(data_dir=data)
        index = _index(data)
        local_embedder().embed(["warm up"])
        total = _timed_ingest(f"{PAGES}-page PDF", [pdf_dir], index, settings, pages=PAGES)
        total += _timed_ingest(f"{NOTES} Markdown notes", [notes], index, settings)
        print(
            f"total {total:.1f} s; peak RSS {peak_rss_mb():.0f} MB (bench process: model, "
            "Chroma, embedding batches)"
        )
        _parse_alone(pdf_dir / "report.pdf")
        print("search before ingest:", summary(_latencies(index, None)))
        lat, errors, seconds = _during(data, notes, index)
        print(
            f"search during a re-ingest in another process ({seconds:.1f} s, {len(lat)} "
            f"queries, {errors} errors):",
            summary(lat) if lat else "no samples",
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
