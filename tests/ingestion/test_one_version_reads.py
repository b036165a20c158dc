"""V1: queries during re-ingests see one whole version at a time, never a mixture, never empty.

Every chunk of version i carries the tag ``vtag{i}`` in its text (each flip rewrites every
document, so nothing is carried over from the previous version). Readers poll a probe query
that returns chunks of several documents while a slowed writer builds and flips versions; each
result set must carry exactly one tag, tags must never go backwards for a reader, and a reader
that starts after flip i has returned must see version i or newer.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.settings import Settings
from ingestion.pipeline import ingest
from knowledge.embeddings import Vectors
from knowledge.index import KnowledgeIndex, make_client
from tests.ingestion.conftest import CountingEmbedder

TAG = re.compile(r"vtag(\d{3})")
DOCS = ("a.md", "b.md", "c.md")
TOPICS = ("headspace", "leadership", "capability")
PROBES = ("headspace for change", "who leads the change", "skills and capability")


class SlowEmbedder:
    """The real local embedder, slowed per text so a reader overlaps every staged build."""

    def __init__(self, inner: CountingEmbedder, delay: float) -> None:
        self.inner, self.delay = inner, delay
        self.name, self.dimension = inner.name, inner.dimension

    def embed(self, texts: Sequence[str]) -> Vectors:
        time.sleep(self.delay * len(texts))
        return self.inner.embed(texts)


def _write_version(docs: Path, version: int) -> None:
    """Every document of version ``version``; each paragraph names the version's tag."""
    for name, topic in zip(DOCS, TOPICS, strict=True):
        body = [f"# Notes on {topic}", ""]
        for part in (1, 2):
            body += [
                f"## {topic.title()} part {part}",
                "",
                f"This note explains {topic} for NHS change leaders, point {part}. "
                f"Revision marker vtag{version:03d} applies to the whole of this note.",
                "",
            ]
        (docs / name).write_text("\n".join(body), encoding="utf-8")


def _flip_and_poll(
    docs: Path, writer: KnowledgeIndex, reader: KnowledgeIndex, settings: Settings, flips: int
) -> tuple[list[list[tuple[int, int, int]]], list[str], list[str]]:
    _write_version(docs, 0)
    assert ingest([docs], writer, settings, mode="replace").outcome == "switched"
    done = [0]  # the newest version whose ingest has returned
    stop = threading.Event()
    seen: list[list[tuple[int, int, int]]] = [[], []]  # per reader: (done before, tag, size)
    problems: list[str] = []

    def poll(slot: int) -> None:
        n = 0
        while not stop.is_set():
            floor = done[0]
            try:
                found = reader.search(PROBES[n % len(PROBES)], k=5)
            except Exception as exc:  # noqa: BLE001 - every failure is a finding
                problems.append(f"{type(exc).__name__}: {str(exc)[:200]}")
                continue
            tags = {int(m) for p in found for m in TAG.findall(p.text)}
            documents = {p.document for p in found}
            if len(found) != 5 or len(tags) != 1 or len(documents) < 2:
                problems.append(f"poll {n}: {len(found)} passages, tags {sorted(tags)}")
            for tag in tags:
                seen[slot].append((floor, tag, len(found)))
            n += 1
            time.sleep(0.02)

    threads = [threading.Thread(target=poll, args=(i,), daemon=True) for i in range(2)]
    for thread in threads:
        thread.start()
    versions = []
    try:
        for i in range(1, flips + 1):
            _write_version(docs, i)
            report = ingest([docs], writer, settings, mode="replace")
            assert report.outcome == "switched"
            assert {d.status for d in report.documents} == {"updated"}  # nothing carried over
            versions.append(str(report.version))
            done[0] = i
            time.sleep(0.1)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    return seen, problems, versions


def _check(seen: list[list[tuple[int, int, int]]], problems: list[str], flips: int) -> None:
    assert problems == []
    for polls in seen:
        assert len(polls) > 3 * flips, "readers did not overlap the builds"
        tags = [tag for _, tag, _ in polls]
        assert tags == sorted(tags), "a reader went back to an older version"
        assert all(tag >= floor for floor, tag, _ in polls), "a reader saw a replaced version"
        assert set(tags) <= set(range(flips + 1))
    # readers saw the old version during builds and each new one after its flip
    assert len({tag for polls in seen for _, tag, _ in polls}) >= flips


def test_every_polled_result_set_comes_from_one_version_embedded(
    docs: Path, settings: Settings, embedder: CountingEmbedder
) -> None:
    writer = KnowledgeIndex(
        make_client(str(settings.index_dir), None), SlowEmbedder(embedder, 0.03)
    )
    reader = KnowledgeIndex(make_client(str(settings.index_dir), None), embedder)
    try:
        seen, problems, versions = _flip_and_poll(docs, writer, reader, settings, flips=6)
        _check(seen, problems, flips=6)
        assert reader.live_name() == versions[-1]
        assert {int(t) for c in reader.chunks() for t in TAG.findall(c.text)} == {6}
    finally:
        reader.close()
        writer.close()


@pytest.mark.server
def test_every_polled_result_set_comes_from_one_version_over_http(
    docs: Path, settings: Settings, embedder: CountingEmbedder, chroma_server: str
) -> None:
    writer = KnowledgeIndex(make_client(None, chroma_server), SlowEmbedder(embedder, 0.03))
    reader = KnowledgeIndex(make_client(None, chroma_server), embedder)
    seen, problems, versions = _flip_and_poll(docs, writer, reader, settings, flips=5)
    _check(seen, problems, flips=5)
    assert reader.live_name() == versions[-1]
    assert {int(t) for c in reader.chunks() for t in TAG.findall(c.text)} == {5}
