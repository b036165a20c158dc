"""Diagnosis and answer latency, warm and offline, over the development texts.

Services are built on a copy of the prepared data dir (bundled guidance indexed, models cached),
with no LLM whatever the environment says. Every text is run once to warm up, then the whole set
is timed several times over; p50/p95 are over all timed calls. The dev files are used only as a
latency workload (texts, never labels).

A third row times ``respond`` as a trust meets it: ``changebot ingest`` of a local-documents pack
(``evals/localdocs-blind5``) into that data dir, a restart (services built again), then the
pack's journey messages that ask about those documents. Those answers may make more searches
than a bundled one (a story-free search, one per asked part), so they get their own row.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.report import Measure, fmt, percentile
from bench.util import peak_rss_mb
from bench.workloads import (
    ROOT,
    changebot_command,
    copy_prepared,
    dev_questions,
    dev_situations,
    offline_settings,
    run_process,
)
from bot.services import build_services

SITUATION_ROUNDS = 4
QUESTION_ROUNDS = 10
LOCAL_ROUNDS = 3
TARGET_MS = 300.0
LOCAL_DOCS = ROOT / "evals" / "localdocs-blind5"
LOCAL_JOURNEYS = ROOT / "evals" / "journeys-blind5.jsonl"


def timed_rounds(call: Callable[[str], object], texts: Sequence[str], rounds: int) -> list[float]:
    """One untimed pass to warm up, then ``rounds`` timed passes; milliseconds per call."""
    for text in texts:
        call(text)
    out = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            call(text)
            out.append((time.perf_counter() - started) * 1000)
    return out


def _by_length(texts: Sequence[str], samples: list[float]) -> str:
    """p95 by message length: where the time goes."""
    buckets: dict[str, list[float]] = {}
    for i, ms in enumerate(samples):
        words = len(texts[i % len(texts)].split())
        key = "<20 words" if words < 20 else "20-49 words" if words < 50 else ">=50 words"
        buckets.setdefault(key, []).append(ms)
    return "; ".join(
        f"{key}: p50 {fmt(percentile(v, 0.5), 'ms')}, p95 {fmt(percentile(v, 0.95), 'ms')}"
        for key, v in sorted(buckets.items())
    )


def local_questions() -> list[str]:
    """The pack's messages that ask about its documents (texts only, never the expected facts)."""
    rows = [json.loads(line) for line in LOCAL_JOURNEYS.read_text("utf-8").splitlines() if line]
    return [str(r["text"]) for r in rows if r.get("expect") == "answer" and r.get("doc")]


def local_answers(data: Path) -> Measure:
    """Ingest the pack with the real CLI, restart, and time ``respond`` on its questions."""
    run = run_process(changebot_command() + ["ingest", str(LOCAL_DOCS), "--json"], data)
    if run.returncode != 0:
        raise RuntimeError(f"ingest of {LOCAL_DOCS.name} failed: {run.stderr.strip()[-400:]}")
    services = build_services(offline_settings(data))  # the restart after the ingest
    questions = local_questions()
    samples = timed_rounds(services.responder.respond, questions, LOCAL_ROUNDS)
    detail = _by_length(questions, samples)
    print(f"respond on {LOCAL_DOCS.name}, {len(questions)} questions x {LOCAL_ROUNDS}: {detail}")
    return Measure.from_samples(
        "Answer latency on a trust's documents, warm, offline",
        f"`changebot ingest {LOCAL_DOCS.relative_to(ROOT)}`, a restart, then its "
        f"{len(questions)} journey questions through `respond` x {LOCAL_ROUNDS} rounds "
        "after a warm-up round",
        samples,
        target=f"p95 < {TARGET_MS:.0f} ms",
        target_max=TARGET_MS,
        notes=detail,
    )


def main() -> list[Measure]:
    root = Path(tempfile.mkdtemp(prefix="bench-core-"))
    try:
        data = copy_prepared(root / "data")
        started = time.perf_counter()
        services = build_services(offline_settings(data))
        print(f"services built from the cached models in {time.perf_counter() - started:.2f} s")
        print(f"index: {services.index.count()} chunks, {len(services.index.documents())} docs")
        situations, s_source = dev_situations()
        questions, q_source = dev_questions()
        diag = timed_rounds(services.diagnoser.diagnose, situations, SITUATION_ROUNDS)
        detail = _by_length(situations, diag)
        print(f"diagnose, {len(situations)} texts x {SITUATION_ROUNDS}: {detail}")
        answers = timed_rounds(services.answerer.answer, questions, QUESTION_ROUNDS)
        q_detail = _by_length(questions, answers)
        print(f"ask, {len(questions)} questions x {QUESTION_ROUNDS}: {q_detail}")
        print(f"peak RSS {peak_rss_mb():.0f} MB")
        words = sum(len(t.split()) for t in situations) / len(situations)
        return [
            Measure.from_samples(
                "Diagnosis latency, warm, offline",
                f"{len(situations)} messages from {s_source}, mean {words:.0f} words, "
                f"x {SITUATION_ROUNDS} rounds after a warm-up round",
                diag,
                target=f"p95 < {TARGET_MS:.0f} ms",
                target_max=TARGET_MS,
                notes=detail,
            ),
            Measure.from_samples(
                "Answer latency, warm, offline",
                f"{len(questions)} questions from {q_source} x {QUESTION_ROUNDS} rounds "
                "after a warm-up round",
                answers,
                target=f"p95 < {TARGET_MS:.0f} ms",
                target_max=TARGET_MS,
            ),
            local_answers(data),
        ]
    finally:
        shutil.rmtree(root, ignore_errors=True)
