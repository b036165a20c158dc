"""Warm offline diagnose and ask latency with the bundled knowledge, plus start-up and RSS."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.util import peak_rss_mb, summary, timings_ms
from bot.bootstrap import ensure_index
from bot.services import build_services
from bot.settings import Settings

SITUATIONS = [
    "nobody has time for this",
    "the matrons are keen but we have been at full capacity since october and every "
    "improvement huddle gets stood down",
    "our board papers are mostly green so the execs don't think anything needs to change. "
    "the ward teams have never seen benchmarking data. when I raise it I get told we're fine. "
    "the analysts are stretched and we have no QI coach. honestly I don't know where to start. "
    "people are tired of initiatives that disappear after six months.",
]
QUESTIONS = [
    "what are the seven success factors?",
    "how can I free up headspace for my team?",
    "what did the evidence scan say about the use of data?",
]


def main() -> None:
    data = Path(tempfile.mkdtemp())
    start = time.perf_counter()
    services = build_services(Settings(data_dir=data))
    print(f"services built (classifiers trained) in {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    ensure_index(services)
    print(
        f"bundled guidance indexed in {time.perf_counter() - start:.1f} s "
        f"({services.index.count()} chunks, {len(services.index.documents())} documents)"
    )
    for text in SITUATIONS:
        t = timings_ms(lambda text=text: services.diagnoser.diagnose(text), 40)
        print(f"diagnose ({len(text.split())} words): {summary(t)}")
    for q in QUESTIONS:
        t = timings_ms(lambda q=q: services.answerer.answer(q), 40)
        print(f"ask '{q[:30]}…': {summary(t)}")
    print(f"peak RSS {peak_rss_mb():.0f} MB")
