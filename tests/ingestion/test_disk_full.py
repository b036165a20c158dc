"""V6: the disk fills up during an ingest.

The ingest runs in a child whose ``RLIMIT_FSIZE`` sits just above the store's current size (with
``SIGXFSZ`` ignored), so Chroma's own writes fail with ``EFBIG`` part-way through the new
version, as they would with ``ENOSPC`` on a full disk. The admin gets one plain sentence; the
live version keeps giving the same answers, and no unfinished version is left behind.
"""

from __future__ import annotations

import errno
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.samples import TOPICS
from bot.common.audit import read_audit
from ingestion.disk import write_failure
from tests.ingestion.samples import write_note

ROOT = Path(__file__).resolve().parents[2]


def _child(module: str, *args: str) -> tuple[dict[str, Any], str]:
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1])), done.stderr


def test_disk_full_mid_ingest_aborts_plainly_and_keeps_serving(tmp_path: Path) -> None:
    docs, more, data = tmp_path / "docs", tmp_path / "more", tmp_path / "data"
    docs.mkdir()
    more.mkdir()
    write_note(docs, "a.md", "headspace", 2)
    write_note(docs, "b.md", "leadership", 2)
    for n, topic in enumerate(TOPICS[3:9]):
        write_note(more, f"m{n}.md", topic, 3)
    built, _ = _child("tests.ingestion.crash_child", "ingest", str(data), str(docs), "0")
    assert built["outcome"] == "switched"
    before, _ = _child("tests.ingestion.disk_full_child", "probe", str(data))

    failed, stderr = _child("tests.ingestion.disk_full_child", "fill", str(data), str(more), "8192")
    assert failed["type"] == "IngestionError", failed
    assert failed["error"].startswith("The ingest stopped because the disk is full")
    assert "Nothing changed: the previous guidance is still serving" in failed["error"]
    assert "Traceback" not in stderr

    after, _ = _child("tests.ingestion.disk_full_child", "probe", str(data))
    assert after == before  # same live version, same documents, same top answers
    assert after["versions"] == [before["live"]] and after["integrity"] == "ok"
    assert read_audit(data)[-1]["outcome"] == "error"

    again, _ = _child("tests.ingestion.crash_child", "ingest", str(data), str(more), "0")
    assert again["outcome"] == "switched" and again["count"] > before["count"]  # space is back


@pytest.mark.parametrize(
    "exc",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        OSError(errno.EDQUOT, "Disk quota exceeded"),
        RuntimeError("error returned from database: (code: 13) database or disk is full"),
    ],
)
def test_every_spelling_of_a_full_disk_gets_the_same_sentence(
    tmp_path: Path, exc: Exception
) -> None:
    try:
        try:
            raise exc
        except Exception as inner:
            raise RuntimeError("Query error: Database error") from inner
    except RuntimeError as outer:
        message = write_failure(outer, tmp_path)
    assert message is not None and message.startswith("The ingest stopped because the disk is full")
    assert write_failure(ValueError("unrelated"), tmp_path) is None
