"""Documents that share a boilerplate section (identical chunks) ingest like any others.

Eight policies with the same "Document control" paragraph gave eight identical vectors, and the
retrieval check before a switch (each sampled chunk must be in its own top 5) failed on the tie:
"The new index failed its retrieval check" (4 of 4 runs from a shell; which chunks are probed
depends on the version name, so the end-to-end test below does not always meet a tie: the unit
test of ``_tied`` is the one that pins the rule).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ingestion.versions import _tied

ROOT = Path(__file__).resolve().parents[2]
CONTROL = (
    "This document is uncontrolled when printed. Always check the intranet for the latest "
    "version before use."
)


def test_a_tie_among_identical_chunks_is_not_a_fault() -> None:
    assert _tied([0.0, 0.0, 1e-7, 0.0, 0.0])
    assert not _tied([0.0, 0.0, 0.2, 0.3, 0.4]) and not _tied([])


def test_policies_sharing_a_document_control_section_ingest(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(1, 9):
        (docs / f"policy-{n}.md").write_text(
            f"# Policy {n}\n\n## Scope\n\nThis policy number {n} covers the unique topic of ward "
            f"area {n}, including rota {n} and staffing plan {n} for the team.\n\n"
            f"## Document control\n\n{CONTROL}\n",
            encoding="utf-8",
        )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "CHANGEBOT_DATA_DIR": str(tmp_path / "data"),
        "CHANGEBOT_LOG_LEVEL": "WARNING",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ingest", str(docs)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-800:] + done.stderr[-800:]
    assert "8 added" in " ".join(done.stdout.split())
