"""C2: ``kill -9`` inside the pointer write leaves the pointer at N or N+1, never torn.

The pointer is the registry collection's metadata (live, previous, history, embedder), written
in one Chroma metadata update. Children are killed (SIGKILL) while paused just before and just
after that write inside a real switch, and at random moments of a loop that does nothing but
rewrite the pointer (rollback after rollback), so most kills land inside the write itself. A
fresh process then reads the store: the pointer names a whole version, consistently, and that
version answers with its own chunks only.
"""

from __future__ import annotations

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

from tests.ingestion.test_one_version_reads import _write_version

ROOT = Path(__file__).resolve().parents[2]
CHILD = [sys.executable, "-m", "tests.ingestion.pointer_child"]


def _run(*args: str) -> dict[str, Any]:
    out = subprocess.run(
        [*CHILD, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _started(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*CHILD, *args], cwd=ROOT, stdout=subprocess.PIPE, text=True)


def _kill(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    assert proc.stdout is not None
    proc.stdout.close()


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[int, str]]:
    """A data dir whose live version is tagged 1 and previous tagged 0; docs now tagged 2."""
    root = tmp_path_factory.mktemp("pointer")
    docs, data = root / "docs", root / "snapshot"
    docs.mkdir()
    names = {}
    for tag in (0, 1):
        _write_version(docs, tag)
        names[tag] = _run("prepare", str(data), str(docs))["version"]
    _write_version(docs, 2)
    return docs, data, names


def _whole(state: dict[str, Any], names: dict[int, str]) -> int:
    """The tag of the version the pointer names, after checking the pointer is consistent."""
    pointer = state["pointer"]
    by_name = {name: tag for tag, name in names.items()}
    assert state["integrity"] == "ok"
    assert pointer["live"] in by_name, f"pointer names no whole version: {pointer}"
    tag = by_name[pointer["live"]]
    assert pointer["history"].split(",")[0] == pointer["live"]
    assert pointer["previous"] in by_name and pointer["previous"] != pointer["live"]
    assert set(pointer["history"].split(",")) <= set(by_name)
    assert pointer["embedder"] and float(pointer["switched_at"]) > 0
    assert state["tags"] == [tag]  # the live version holds its own chunks only
    assert state["count"] == 6 and len(state["search"]) == 3
    return tag


@pytest.mark.parametrize(("where", "expected"), [("before", 1), ("after", 2)])
def test_kill_paused_inside_the_switch_leaves_n_or_n_plus_1(
    tmp_path: Path, two_versions: tuple[Path, Path, dict[int, str]], where: str, expected: int
) -> None:
    docs, snapshot, names = two_versions
    data = tmp_path / "data"
    shutil.copytree(snapshot, data)
    proc = _started("hook", str(data), str(docs), where)
    assert proc.stdout is not None
    line = proc.stdout.readline().split()
    assert line[0] == "PAUSED", line
    staged = line[1]
    _kill(proc)
    state = _run("verify", str(data))
    assert _whole(state, {**names, 2: staged}) == expected
    assert state["pointer"]["previous"] == (names[0] if expected == 1 else names[1])
    # the next run takes over cleanly: leftovers of the killed run are pruned
    after = _run("prepare", str(data), str(docs))
    if expected == 1:
        assert after["version"] not in (None, staged)
    else:
        assert after["version"] is None  # already live: nothing changed
    final = _run("verify", str(data))
    assert final["tags"] == [2] and final["integrity"] == "ok"


def _random_kills(tmp_path: Path, snapshot: Path, names: dict[int, str], trials: int) -> list[int]:
    rng = random.Random(11)
    seen = []
    for trial in range(trials):
        data = tmp_path / f"trial{trial}"
        shutil.copytree(snapshot, data)
        proc = _started("flip", str(data))
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "READY"
        time.sleep(0.05 + rng.random() * 0.4)
        _kill(proc)
        seen.append(_whole(_run("verify", str(data)), names))
        shutil.rmtree(data)
    return seen


def test_kill_at_random_moments_of_pointer_writes_never_tears_it(
    tmp_path: Path, two_versions: tuple[Path, Path, dict[int, str]]
) -> None:
    _, snapshot, names = two_versions
    assert set(_random_kills(tmp_path, snapshot, names, trials=3)) <= {0, 1}


@pytest.mark.slow
def test_twenty_random_kills_of_pointer_writes_never_tear_it(
    tmp_path: Path, two_versions: tuple[Path, Path, dict[int, str]]
) -> None:
    _, snapshot, names = two_versions
    seen = _random_kills(tmp_path, snapshot, names, trials=20)
    assert set(seen) == {0, 1}  # kills landed on both sides of the flips
