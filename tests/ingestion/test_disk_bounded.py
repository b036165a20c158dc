"""V7: many re-ingests keep the index directory bounded (old versions' files go with them).

Each run changes one small document, so every run publishes a new version and prunes the
oldest. After a few runs the persist directory must stop growing: as many vector folders as kept
versions, a database file that reuses its freed pages, Chroma's write-ahead log (the
``embeddings_queue`` table) purged, and no SQLite ``-wal`` file left growing.
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest

from bot.settings import Settings
from ingestion.pipeline import ingest
from knowledge.index import KnowledgeIndex
from tests.ingestion.samples import write_note


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def _vector_folders(folder: Path) -> list[str]:
    names = []
    for child in folder.iterdir():
        try:
            uuid.UUID(child.name)
        except ValueError:
            continue
        names.append(child.name)
    return names


def _queue_rows(folder: Path) -> int:
    db = sqlite3.connect(f"file:{folder / 'chroma.sqlite3'}?mode=ro", uri=True)
    try:
        return int(db.execute("SELECT count(*) FROM embeddings_queue").fetchone()[0])
    finally:
        db.close()


def _reingest(docs: Path, index: KnowledgeIndex, settings: Settings, runs: int) -> list[int]:
    write_note(docs, "a.md", "headspace", 3)
    sizes = []
    for run in range(runs):
        write_note(docs, "b.md", f"leadership revision {run}", 3)
        report = ingest([docs], index, settings)
        assert report.outcome == "switched"
        folder = settings.index_dir
        sizes.append(_size(folder))
        assert len(_vector_folders(folder)) <= settings.keep_versions, f"run {run}"
        assert len(index.history()) == min(run + 1, settings.keep_versions)
        assert _queue_rows(folder) <= 2 * index.count()  # the log is purged, not kept forever
        wal = folder / "chroma.sqlite3-wal"
        assert not wal.exists() or wal.stat().st_size < 4 << 20
    assert index.count() == 6
    assert f"revision {runs - 1} " in index.search("leadership revision", k=1)[0].text
    return sizes


def _bounded(sizes: list[int]) -> None:
    settled = sizes[3]
    assert max(sizes[3:]) <= settled * 1.25 + (64 << 10), sizes  # no per-run growth
    assert max(sizes) < 2 << 20, sizes  # and small in absolute terms for six chunks


def test_eight_re_ingests_keep_the_index_directory_bounded(
    docs: Path, index: KnowledgeIndex, settings: Settings
) -> None:
    _bounded(_reingest(docs, index, settings, runs=8))


@pytest.mark.slow
def test_twenty_re_ingests_keep_the_index_directory_bounded(
    docs: Path, index: KnowledgeIndex, settings: Settings
) -> None:
    _bounded(_reingest(docs, index, settings, runs=20))
