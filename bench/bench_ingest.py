"""Ingestion speed and memory, and answering while an ingest runs in another process.

1. ``changebot ingest`` (the real CLI, one process per step, fresh data dir each round) on a
   generated 60-page report PDF, then on 20 Markdown notes. Seconds are the pipeline's own
   (``IngestReport.seconds``: lock, parse in the sandbox, chunk, embed, validate, switch), so
   process start-up is excluded (it is reported by ``bench_processes``). Peak RSS of the PDF step
   is the CLI process's VmHWM, polled while it runs.
2. 30 questions answered through the core (``Answerer.answer``) idle, then again and again while
   ``changebot ingest`` adds 200 generated documents to the same data dir from another process.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.report import Measure, fmt, percentile
from bench.samples import TOPICS, make_report_pdf, write_note
from bench.workloads import (
    ProcessRun,
    changebot_command,
    copy_prepared,
    offline_env,
    offline_settings,
    run_process,
    thirty_questions,
)
from bot.services import build_services
from ingestion.lock import lock_path

PAGES = 60
NOTES = 20
ROUNDS = 3
DURING_DOCS = 200
IDLE_ROUNDS = 3
TARGET_S = 30.0
TARGET_MB = 600.0
TARGET_RATIO = 2.0


def _corpus(root: Path) -> tuple[Path, Path]:
    pdf = make_report_pdf(root / "report.pdf", pages=PAGES, paragraphs=3)
    notes = root / "notes"
    notes.mkdir()
    for i in range(NOTES):
        write_note(notes, f"note-{i:02d}.md", TOPICS[i % len(TOPICS)] + f" {i}", paragraphs=3)
    return pdf, notes


def _ingest(data: Path, path: Path) -> tuple[dict[str, Any], ProcessRun]:
    """One ``changebot ingest --json`` child: its report and the process record."""
    run = run_process(changebot_command() + ["ingest", str(path), "--json"], data)
    if run.returncode != 0:
        raise RuntimeError(f"ingest of {path.name} failed: {run.stderr.strip()[-400:]}")
    report: dict[str, Any] = json.loads(run.stdout)
    return report, run


def ingestion(root: Path) -> list[Measure]:
    pdf, notes = _corpus(root)
    totals, pdf_seconds, rates, chunk_rates, rss, walls = [], [], [], [], [], []
    chunks, parser_rss = 0, 0.0
    for r in range(ROUNDS):
        data = copy_prepared(root / f"round-{r}", index=False)  # models cached, index empty
        pdf_report, pdf_run = _ingest(data, pdf)
        note_report, note_run = _ingest(data, notes)
        pdf_wall, note_wall, pdf_rss = pdf_run.seconds, note_run.seconds, pdf_run.peak_rss_mb
        parser_rss = max(parser_rss, pdf_run.children_peak_rss_mb)
        doc = pdf_report["documents"][0]
        total = pdf_report["seconds"] + note_report["seconds"]
        embedded = pdf_report["embedded"] + note_report["embedded"]
        chunks = note_report["chunks"]
        totals.append(total)
        pdf_seconds.append(pdf_report["seconds"])
        rates.append(PAGES / pdf_report["seconds"])
        chunk_rates.append(embedded / total)
        rss.append(pdf_rss)
        walls.append(pdf_wall + note_wall)
        print(
            f"round {r + 1}: PDF {doc['status']} {doc['chunks']} chunks, parse+chunk "
            f"{doc['seconds']:.1f} s, pipeline {pdf_report['seconds']:.1f} s, peak RSS "
            f"{pdf_rss:.0f} MB; notes: {len(note_report['documents'])} docs "
            f"{note_report['seconds']:.1f} s; "
            f"{embedded} chunks embedded; both CLI processes {pdf_wall + note_wall:.1f} s wall"
        )
    pages_s, chunks_s = percentile(rates, 0.5), percentile(chunk_rates, 0.5)
    return [
        Measure.from_samples(
            "Ingestion: 60-page PDF + 20 Markdown notes",
            f"generated {PAGES}-page report PDF then {NOTES} notes, `changebot ingest` into a "
            f"fresh data dir, {ROUNDS} rounds ({chunks} chunks)",
            totals,
            unit="s",
            value=pages_s,
            value_unit="pages/s",
            target=f"< {TARGET_S:.0f} s",
            target_stat="p95",
            target_max=TARGET_S,
            notes=(
                f"{pages_s:.1f} pages/s on the PDF ({fmt(percentile(pdf_seconds, 0.5), 's')}), "
                f"{chunks_s:.1f} chunks/s overall; pipeline time, excluding process start-up "
                f"(whole CLI runs: {fmt(percentile(walls, 0.5), 's')} median)"
            ),
            params={"pages_per_s": pages_s, "chunks_per_s": chunks_s},
        ),
        Measure.single(
            "Memory: peak RSS of `changebot ingest` on the 60-page PDF",
            f"the PDF step above (the CLI process), max over {ROUNDS} rounds",
            max(rss),
            "MB",
            repetitions=ROUNDS,
            target=f"< {TARGET_MB:.0f} MB",
            target_max=TARGET_MB,
            notes=(
                f"per round: {', '.join(f'{x:.0f}' for x in rss)} MB; the sandboxed parsing "
                f"child peaked at {parser_rss:.0f} MB"
            ),
        ),
    ]


def _wait_for_lock(data: Path, pid: int, proc: subprocess.Popen[bytes]) -> float:
    """Seconds until the child holds the ingest lock (it writes its pid into the lock file)."""
    started = time.perf_counter()
    path = lock_path(data)
    while proc.poll() is None:
        try:
            if path.read_text().strip() == str(pid):
                break
        except OSError:
            pass
        time.sleep(0.02)
    return time.perf_counter() - started


def during_ingest(root: Path) -> list[Measure]:
    data = copy_prepared(root / "serving")
    services = build_services(offline_settings(data))
    questions = thirty_questions()
    for q in questions:  # warm-up
        services.answerer.answer(q)
    idle = []
    for _ in range(IDLE_ROUNDS):
        for q in questions:
            started = time.perf_counter()
            services.answerer.answer(q)
            idle.append((time.perf_counter() - started) * 1000)
    docs = root / "docs200"
    docs.mkdir()
    for i in range(DURING_DOCS):
        topic = TOPICS[i % len(TOPICS)]
        write_note(docs, f"doc-{i:03d}.md", f"{topic} case study {i}", paragraphs=3 + i % 4)
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            changebot_command() + ["ingest", str(docs), "--json"],
            cwd=data,
            env=offline_env(data),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        startup = _wait_for_lock(data, proc.pid, proc)
        during, errors, i = [], 0, 0
        while proc.poll() is None:
            q = questions[i % len(questions)]
            i += 1
            t0 = time.perf_counter()
            try:
                services.answerer.answer(q)
            except Exception:  # noqa: BLE001 - the benchmark counts reader failures
                errors += 1
                continue
            if proc.poll() is None:  # only answers that ran entirely during the ingest
                during.append((time.perf_counter() - t0) * 1000)
            time.sleep(0.05)
        ingest_s = time.perf_counter() - started - startup
        out.seek(0)
        text = out.read().decode(errors="replace")
    report = json.loads(text[text.index("{") :]) if "{" in text else {}
    print(
        f"idle: {len(idle)} answers p50 {fmt(percentile(idle, 0.5), 'ms')}, p95 "
        f"{fmt(percentile(idle, 0.95), 'ms')}; ingest of {DURING_DOCS} docs "
        f"({report.get('embedded', '?')} chunks embedded, outcome {report.get('outcome', '?')}) "
        f"ran {ingest_s:.1f} s after {startup:.1f} s start-up; {len(during)} answers during it, "
        f"{errors} errors"
    )
    if not during:
        raise RuntimeError("the ingest finished before any answer could be timed")
    measure = Measure.from_samples(
        "Answering during ingestion",
        f"30 questions (dev + bench), cycled while `changebot ingest` adds {DURING_DOCS} "
        f"documents in another process ({ingest_s:.0f} s)",
        during,
        baseline_name="same questions, idle",
        baseline_samples=idle,
        ratio_basis="p95",
        target=f"p95 ratio <= {TARGET_RATIO:.0f}",
        notes=f"{errors} errors; idle: {IDLE_ROUNDS} rounds of the 30 questions",
    )
    measure.met = measure.ratio is not None and measure.ratio <= TARGET_RATIO and not errors
    print(f"p95 during / idle = {measure.ratio:.2f}")
    return [measure]


def main() -> list[Measure]:
    root = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        return ingestion(root) + during_ingest(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
