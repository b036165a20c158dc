"""V4: a backup restored on an empty machine gives exactly the same retrieval results.

Real ``changebot`` processes: an admin indexes the trust's own documents (Markdown, HTML, Word
and a dozen PDF reports), ``changebot backup`` writes the archive, and ``changebot restore``
unpacks it into a fresh data dir. For a probe set of ten questions about those documents the
top-k chunk ids, in order, and their scores are the same before the backup and after the
restore, as are the live version name and its chunk count.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.samples import write_note
from tests.localdocs import write_local_docs
from tests.slack.many_pdfs import write_many_pdfs

CHANGEBOT = str(Path(sys.executable).with_name("changebot"))
ROOT = Path(__file__).resolve().parents[1]
K = 8
PROBES = [
    "when does the new EPR go live?",
    "How many patients can the virtual ward take?",
    "who leads the discharge lounge pilot?",
    "who runs the community falls pathway",
    "how do we get protected time for improvement work?",
    "staff don't see why the change matters",
    "how many staff took part in the capability work on ward 4?",
    "what did the ward 7 huddle on leadership agree?",
    "when were hours protected for culture on ward 10?",
    "what is a PDSA cycle?",
]
TOP_K = f"""
import json, sys
from bot.services import build_services
from bot.settings import Settings

services = build_services(Settings())
index = services.index
top = {{
    q: [[p.chunk_id, round(p.score, 5)] for p in index.search(q, k={K})]
    for q in json.loads(sys.argv[1])
}}
print(json.dumps({{"live": index.live_name(), "count": index.count(), "top": top}}))
"""


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHANGEBOT_")}
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    return env | {"CHANGEBOT_DATA_DIR": str(data)}


def _run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, capture_output=True, text=True, env=_env(data), cwd=ROOT, timeout=900, check=False
    )


def _top_k(data: Path) -> dict[str, Any]:
    """Top-k chunk ids and scores for every probe, from a process of its own on ``data``."""
    done = _run(data, sys.executable, "-c", TOP_K, json.dumps(PROBES))
    assert done.returncode == 0, done.stderr[-2000:]
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


@pytest.mark.slow
def test_top_k_results_are_identical_after_backup_and_restore_on_an_empty_machine(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    docs = write_local_docs(tmp_path / "docs")
    write_many_pdfs(docs, 12)
    for name, topic in (("headspace.md", "protected time"), ("motivation.md", "why it matters")):
        write_note(docs, name, topic, paragraphs=3)
    done = _run(data, CHANGEBOT, "ingest", str(docs))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    before = _top_k(data)
    assert before["live"] and before["count"] > 20
    assert all(len(ids) == K for ids in before["top"].values())
    archive = tmp_path / "changebot-backup.tar.gz"
    done = _run(data, CHANGEBOT, "backup", str(archive))
    assert done.returncode == 0, done.stderr
    fresh = tmp_path / "other-machine" / "data"
    done = _run(fresh, CHANGEBOT, "restore", str(archive))
    assert done.returncode == 0, done.stdout + done.stderr
    after = _top_k(fresh)
    assert after["live"] == before["live"] and after["count"] == before["count"]
    for question in PROBES:
        assert after["top"][question] == before["top"][question], question
