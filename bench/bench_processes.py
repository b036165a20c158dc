"""Whole processes: cold start to the first answer, and the memory of a serving process.

* Cold start (a), first ever start: ``changebot start`` with the question piped in and an empty
  data dir: it seeds the fitted models shipped in the package (nothing is fitted), indexes the
  bundled guidance, then answers. Target: under 5 s plus the time indexing the bundled notes
  takes (measured in the same run, as the ingest pipeline's own time on another empty dir).
* Cold start (b), a restart: ``changebot ask QUESTION`` in a fresh process on a data dir that is
  already prepared (index and model cache present). The < 5 s target applies to this case.
* Memory: ``changebot ask --batch`` answering 200 questions in one process (the same core a
  ``serve`` process runs, without the Slack runtime); peak RSS is its polled VmHWM.

Times are wall clock from just before the process is spawned to its first line of output.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from bench.report import Measure, fmt, percentile
from bench.workloads import (
    FIRST_QUESTION,
    changebot_command,
    copy_prepared,
    run_process,
    thirty_questions,
)

RESTARTS = 5
QUESTIONS = 200
TARGET_START_S = 5.0
TARGET_MB = 600.0


def bundled_index_seconds(root: Path) -> float:
    """The ingest pipeline's own time for the bundled notes, on another empty data dir."""
    guidance = Path(__file__).resolve().parent.parent / "knowledge" / "guidance"
    run = run_process(changebot_command() + ["ingest", str(guidance), "--json"], root / "ingest")
    if run.returncode != 0:
        raise RuntimeError(f"bundled ingest failed: {run.stderr.strip()[-400:]}")
    return float(json.loads(run.stdout)["seconds"])


def cold_first(root: Path) -> Measure:
    data = root / "empty"
    run = run_process(changebot_command() + ["start"], data, stdin_text=FIRST_QUESTION + "\n")
    if run.returncode != 0 or run.first_output_s is None:
        raise RuntimeError(f"first start failed: {run.stderr.strip()[-400:]}")
    indexing = bundled_index_seconds(root)
    print(
        f"first start (empty data dir): first answer after {run.first_output_s:.1f} s, "
        f"exit after {run.seconds:.1f} s, peak RSS {run.peak_rss_mb:.0f} MB; "
        f"indexing the bundled notes alone takes {indexing:.1f} s"
    )
    return Measure.single(
        "Cold start (a): first start, empty data dir",
        f"`changebot start` with '{FIRST_QUESTION}' piped in: seeds the shipped fitted models, "
        "indexes the bundled guidance, answers",
        run.first_output_s,
        "s",
        target=f"< 5 s + indexing ({indexing:.1f} s) = {5 + indexing:.1f} s",
        met=run.first_output_s < 5 + indexing,
        notes=f"peak RSS {run.peak_rss_mb:.0f} MB",
    )


def cold_restart(root: Path) -> Measure:
    data = copy_prepared(root / "prepared")
    starts, rss = [], []
    for _ in range(RESTARTS):
        run = run_process(changebot_command() + ["ask", FIRST_QUESTION], data)
        if run.returncode != 0 or run.first_output_s is None:
            raise RuntimeError(f"ask failed: {run.stderr.strip()[-400:]}")
        starts.append(run.first_output_s)
        rss.append(run.peak_rss_mb)
    print(
        f"restart (prepared data dir), {RESTARTS} runs: "
        + ", ".join(f"{s:.2f}" for s in starts)
        + " s"
    )
    return Measure.from_samples(
        "Cold start (b): fresh process, prepared data dir",
        f"`changebot ask '{FIRST_QUESTION}'` on a data dir with the index and model cache, "
        f"{RESTARTS} runs",
        starts,
        unit="s",
        target=f"< {TARGET_START_S:.0f} s",
        target_stat="p95",
        target_max=TARGET_START_S,
        notes=f"peak RSS {fmt(percentile(rss, 0.5), 'MB')}",
    )


def serving_memory(root: Path) -> Measure:
    data = copy_prepared(root / "serving")
    questions = thirty_questions()
    batch = root / "questions.jsonl"
    batch.write_text(
        "\n".join(
            json.dumps({"id": f"q{i}", "question": questions[i % len(questions)]})
            for i in range(QUESTIONS)
        )
    )
    run = run_process(changebot_command() + ["ask", "--batch", str(batch)], data)
    answered = sum(1 for line in run.stdout.splitlines() if line.startswith("{"))
    if run.returncode != 0 or answered != QUESTIONS:
        raise RuntimeError(f"batch ask answered {answered}: {run.stderr.strip()[-400:]}")
    print(
        f"{answered} answers in one process in {run.seconds:.1f} s; "
        f"peak RSS {run.peak_rss_mb:.0f} MB"
    )
    return Measure.single(
        "Memory: peak RSS of a serving process after 200 questions",
        f"`changebot ask --batch` with {QUESTIONS} questions (30 distinct) in one process: "
        "the core `serve` runs, without the Slack runtime",
        run.peak_rss_mb,
        "MB",
        target=f"< {TARGET_MB:.0f} MB",
        target_max=TARGET_MB,
        notes=f"whole process {run.seconds:.1f} s including start-up",
    )


def main() -> list[Measure]:
    root = Path(tempfile.mkdtemp(prefix="bench-processes-"))
    try:
        return [cold_first(root), cold_restart(root), serving_memory(root)]
    finally:
        shutil.rmtree(root, ignore_errors=True)
