import threading
import time
from pathlib import Path

import pytest

from bot.settings import Settings
from ingestion.pipeline import ingest
from knowledge.index import KnowledgeIndex, make_client
from tests.ingestion.conftest import CountingEmbedder
from tests.ingestion.samples import write_note

QUESTIONS = ["how do we find headspace for change", "who leads the change", "measuring progress"]


def _flip_under_readers(
    docs: Path, writer: KnowledgeIndex, reader: KnowledgeIndex, settings: Settings, flips: int = 10
) -> tuple[int, int, list[str]]:
    """Ingest ``flips`` changed versions while two threads search; returns (reads, errors)."""
    write_note(docs, "a.md", "headspace", 2)
    write_note(docs, "b.md", "leadership")
    ingest([docs], writer, settings)
    stop = threading.Event()
    reads = [0, 0]
    errors: list[str] = []

    def read(slot: int) -> None:
        while not stop.is_set():
            try:
                found = reader.search(QUESTIONS[reads[slot] % 3], k=3)
                assert found, "empty result"
                reads[slot] += 1
                time.sleep(0.01)  # continuous, but leave the writer some CPU on 2 cores
            except Exception as exc:  # noqa: BLE001 - every failure is counted
                errors.append(type(exc).__name__ + ": " + str(exc)[:200])

    threads = [threading.Thread(target=read, args=(i,), daemon=True) for i in range(2)]
    for thread in threads:
        thread.start()
    versions = []
    try:
        for i in range(flips):
            write_note(docs, "b.md", f"leadership revision {i}")
            report = ingest([docs], writer, settings)
            assert report.outcome == "switched"
            versions.append(str(report.version))
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    return sum(reads), len(errors), versions


def test_ten_flips_embedded_zero_reader_errors(
    docs: Path, index: KnowledgeIndex, settings: Settings, embedder: CountingEmbedder
) -> None:
    reader = KnowledgeIndex(make_client(str(settings.index_dir), None), embedder)
    try:
        reads, errors, versions = _flip_under_readers(docs, index, reader, settings)
        assert errors == 0
        assert reads > 20 and len(set(versions)) == 10
        assert reader.live_name() == versions[-1]
    finally:
        reader.close()  # the writer (the ``index`` fixture) is closed by its fixture


@pytest.mark.server
def test_ten_flips_over_http_zero_reader_errors(
    docs: Path, settings: Settings, embedder: CountingEmbedder, chroma_server: str
) -> None:
    writer = KnowledgeIndex(make_client(None, chroma_server), embedder)
    reader = KnowledgeIndex(make_client(None, chroma_server), embedder)
    reads, errors, versions = _flip_under_readers(docs, writer, reader, settings)
    assert errors == 0
    assert reads > 20 and reader.live_name() == versions[-1]
    assert reader.count() == writer.count() > 0
