"""C1/C2: kill -9 an ingest at seeded random points; the live index is always N or N+1."""

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.ingestion.samples import write_note

ROOT = Path(__file__).resolve().parents[2]
DELAY = 0.05  # seconds per embedded chunk, to widen every window


def _run(*args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "tests.ingestion.crash_child", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _prepare(tmp_path: Path) -> tuple[Path, Path, dict[str, Any], dict[str, Any], float]:
    """Version N in a snapshot dir; the reference answers of N and of N+1."""
    docs = tmp_path / "docs"
    docs.mkdir()
    write_note(docs, "a.md", "headspace", 2)
    write_note(docs, "b.md", "leadership", 2)
    snapshot = tmp_path / "snapshot"
    state_n = _run("ingest", str(snapshot), str(docs), "0")
    write_note(docs, "b.md", "leadership that engages staff", 3)
    write_note(docs, "c.md", "capability and skills", 3)
    reference = tmp_path / "reference"
    shutil.copytree(snapshot, reference)
    state_n1 = _run("ingest", str(reference), str(docs), str(DELAY))
    return docs, snapshot, state_n, state_n1, float(state_n1["seconds"])


def _kill_at(data: Path, docs: Path, delay: float | None) -> None:
    """SIGKILL the ingest ``delay`` s after it is ready, or (None) just after it has finished."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.ingestion.crash_child",
            "ingest",
            str(data),
            str(docs),
            str(DELAY),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "READY"
    if delay is None:
        proc.stdout.readline()
    else:
        time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()


def _same(state: dict[str, Any], expected: dict[str, Any]) -> bool:
    keys = ("live", "count", "documents", "top")
    return all(state[k] == expected[k] for k in keys)


def _trials(tmp_path: Path, trials: int, seed: int) -> list[str]:
    docs, snapshot, state_n, state_n1, window = _prepare(tmp_path)
    assert state_n["documents"] != state_n1["documents"]
    rng = random.Random(seed)
    seen = []
    for trial in range(trials):
        data = tmp_path / f"trial{trial}"
        shutil.copytree(snapshot, data)
        # stratified: each trial kills in its own slice of the run; the last after it finished
        last = trial == trials - 1
        _kill_at(data, docs, None if last else window * 1.3 * (trial + rng.random()) / trials)
        state = _run("verify", str(data))
        n1 = dict(state_n1, live=state["live"])  # N+1's version name depends on the run
        assert _same(state, state_n) or _same(state, n1), f"trial {trial}: mixed state"
        assert state["integrity"] == "ok"
        live_and_previous = {state["live"], state_n["live"]} - {None}
        assert set(state["versions"]) <= live_and_previous  # leftovers were cleaned
        seen.append("N" if _same(state, state_n) else "N+1")
        shutil.rmtree(data)
    return seen


def test_kill_minus_9_leaves_version_n_or_n_plus_1(tmp_path: Path) -> None:
    seen = _trials(tmp_path, trials=4, seed=7)
    assert len(seen) == 4 and set(seen) <= {"N", "N+1"}
    assert seen[-1] == "N+1"  # killed after the switch: the new version must be complete


@pytest.mark.slow
def test_kill_minus_9_twenty_trials(tmp_path: Path) -> None:
    seen = _trials(tmp_path, trials=20, seed=2024)
    assert seen[0] == "N" and seen[-1] == "N+1" and len(seen) == 20
