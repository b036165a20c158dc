"""I5: hand-made pathological PDFs fail by name, within the per-file wall clock; the batch goes on.

* a trailer declaring 2,000,000,000 objects and naming no /Root;
* an inline image (``BI … ID``) whose data never reaches ``EI`` (16 MB to scan; reading such
  data takes time that grows faster than its size: with pdfminer.six 20260107 on our 2-core
  machine about 0.5 s for 2 MB, 4.5 s for 6 MB and 30 s for 12 MB, so 6 MB no longer
  outlasted the wall clock);
* a 10,000-deep chain: nested /Pages nodes above the page, and indirect references to reach
  its content.

Each is ingested alongside good files with a short per-file wall clock; every bad file ends
with a plain reason (the EI-less image one by the wall-clock kill of its parser child), the good
files are indexed and searchable, and the whole run stays bounded.
"""

from __future__ import annotations

import time
from pathlib import Path

from bot.settings import Settings
from ingestion.pdf import BOMB
from ingestion.pipeline import ingest
from knowledge.index import KnowledgeIndex, make_client
from tests.ingestion import badfiles
from tests.ingestion.conftest import CountingEmbedder
from tests.ingestion.samples import make_report_pdf, write_note

WALL_S = 8


def test_pathological_pdfs_fail_plainly_and_the_rest_of_the_batch_is_indexed(
    tmp_path: Path, docs: Path, embedder: CountingEmbedder
) -> None:
    settings = Settings(data_dir=tmp_path / "data", ingest_timeout_s=WALL_S, ingest_memory_mb=1024)
    index = KnowledgeIndex(make_client(str(settings.index_dir), None), embedder)
    make_report_pdf(docs / "good.pdf", pages=2, contents=False)
    write_note(docs, "good.md", "recognition", 2)
    badfiles.huge_size_without_root_pdf(docs / "huge-size.pdf")
    badfiles.inline_image_without_ei_pdf(docs / "no-ei.pdf", 16 << 20)  # far past the wall clock
    badfiles.deep_chain_pdf(docs / "deep-chain.pdf")

    started = time.monotonic()
    report = ingest([docs], index, settings)
    took = time.monotonic() - started

    rows = {d.document: d for d in report.documents}
    assert {name for name, d in rows.items() if d.status == "added"} == {"good.pdf", "good.md"}
    failed = {name: d.reason for name, d in rows.items() if d.status == "failed"}
    assert set(failed) == {"huge-size.pdf", "no-ei.pdf", "deep-chain.pdf"}
    assert failed["no-ei.pdf"].startswith(f"took longer than {WALL_S} s to read")
    assert rows["no-ei.pdf"].seconds < WALL_S + 5  # the child was killed at the wall clock
    for name in ("huge-size.pdf", "deep-chain.pdf"):
        assert "beyond safe limits" in failed[name], failed[name]
        assert failed[name] != BOMB  # no stream is inflated here: not a compression bomb
        assert rows[name].seconds < WALL_S
    assert all("Traceback" not in reason and "Error" not in reason for reason in failed.values())
    assert took < 3 * WALL_S + 20

    assert report.outcome == "switched" and not report.ok
    assert {d.document for d in index.documents()} == {"good.pdf", "good.md"}
    assert embedder.texts == report.embedded == index.count() > 0
    assert index.search("recognition for NHS change leaders", k=1)[0].document == "good.md"
