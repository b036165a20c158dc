"""KnowledgeIndex on a real embedded Chroma: versions, pointer switch, rollback, pruning."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.common.errors import KnowledgeError
from knowledge.index import Chunk, KnowledgeIndex, make_client


def _chunks(texts: list[str], doc: str = "note.md") -> list[Chunk]:
    return [
        Chunk(
            chunk_id=f"{doc}-{i}",
            text=t,
            document=doc,
            title=doc.title(),
            page=str(i + 1),
            content_hash=str(hash(t)),
            doc_hash=f"h-{doc}",
        )
        for i, t in enumerate(texts)
    ]


def _publish(index: KnowledgeIndex, chunks: list[Chunk]) -> str:
    name = index.create_version()
    index.add(name, chunks, index.embedder.embed([c.text for c in chunks]))
    index.switch(name)
    return name


@pytest.fixture
def index(tmp_path: Path, embedder) -> Iterator[KnowledgeIndex]:
    """A real embedded index, closed after the test (else its client holds ~10 descriptors)."""
    index = KnowledgeIndex(make_client(str(tmp_path / "index"), None), embedder)
    yield index
    index.close()


def test_empty_index_says_so_plainly(index: KnowledgeIndex) -> None:
    assert index.count() == 0
    assert index.chunks() == []
    with pytest.raises(KnowledgeError, match="empty"):
        index.search("anything")


def test_search_returns_passages_with_their_sources(index: KnowledgeIndex) -> None:
    _publish(
        index,
        _chunks(
            [
                "Headspace is time and attention to lead change.",
                "Recognition means seeing that a gap exists.",
            ]
        ),
    )
    best = index.search("we have no time to think about improvement", k=2)
    assert best[0].text.startswith("Headspace")
    assert best[0].page == "1" and best[0].document == "note.md"
    assert best[0].score > best[1].score


def test_switch_keeps_previous_for_rollback_and_prunes_older(index: KnowledgeIndex) -> None:
    first = _publish(index, _chunks(["version one text about motivation"]))
    second = _publish(index, _chunks(["version two text about capability", "and more"]))
    assert index.pointer()["previous"] == first and index.count() == 2
    _publish(index, _chunks(["version three"]))
    assert index.prune() == [first]
    assert index.rollback() == second
    assert index.live_name() == second and index.count() == 2


def test_rollback_without_previous_is_refused(index: KnowledgeIndex) -> None:
    _publish(index, _chunks(["only version"]))
    with pytest.raises(KnowledgeError, match="no previous"):
        index.rollback()


def test_staged_version_is_invisible_until_switched(index: KnowledgeIndex) -> None:
    _publish(index, _chunks(["live text"]))
    staged = index.create_version()
    index.add(
        staged,
        _chunks(["staged a", "staged b"], "other.md"),
        index.embedder.embed(["staged a", "staged b"]),
    )
    assert index.count() == 1 and index.version_count(staged) == 2
    assert [d.document for d in index.documents()] == ["note.md"]


def test_index_refuses_vectors_from_another_embedder(
    index: KnowledgeIndex, tmp_path: Path, embedder
) -> None:
    _publish(index, _chunks(["some text"]))

    class Other:
        name = "other-model"
        dimension = embedder.dimension

        def embed(self, texts):  # type: ignore[no-untyped-def]
            return embedder.embed(texts)

    other = KnowledgeIndex(make_client(str(tmp_path / "index"), None), Other())
    with pytest.raises(KnowledgeError, match="different embedding model"):
        other.search("text")


@pytest.mark.server
def test_server_mode_reads_and_switches_like_embedded(chroma_server: str, embedder) -> None:
    index = KnowledgeIndex(make_client(None, chroma_server), embedder)
    first = _publish(index, _chunks(["headspace is time to think about change"]))
    _publish(index, _chunks(["capability is knowing how", "with skills and support"]))
    assert index.count() == 2 and index.pointer()["previous"] == first
    assert index.search("capability is knowing how", k=1)[0].text.startswith("capability")
    assert index.rollback() == first and index.count() == 1


def test_rollback_twice_undoes_and_unknown_versions_are_refused(index: KnowledgeIndex) -> None:
    first = _publish(index, _chunks(["first"]))
    second = _publish(index, _chunks(["second", "version"]))
    assert index.rollback() == first and index.rollback() == second
    assert index.history() == [second, first]
    with pytest.raises(KnowledgeError, match="not kept for rollback"):
        index.rollback("changebot-v1")


def test_registry_from_before_the_history_list_still_prunes_safely(
    index: KnowledgeIndex,
) -> None:
    first = _publish(index, _chunks(["first"]))
    second = _publish(index, _chunks(["second"]))
    pointer = index.pointer()
    index._registry().modify(
        metadata={"live": second, "previous": first, "embedder": pointer["embedder"]}
    )
    assert index.history() == [second, first]
    assert index.prune() == [] and index.rollback() == first


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc (Linux)")
def test_re_ingesting_does_not_keep_deleted_versions_open(index: KnowledgeIndex) -> None:
    """Chroma keeps a deleted collection's vector files open (chroma-core/chroma#3296).

    Every ingest prunes the version two back, so without the reopen in ``prune`` a long-running
    bot held four more descriptors (and the deleted files' disk space) per ingest, for good.
    """
    for i in range(3):  # warm up: the live and previous versions stay open, as they should
        _publish(index, _chunks([f"warm-up note {i} about protected time"]))
        index.prune(keep=2)
        index.search("protected time", k=1)
    before = _open_descriptors()
    for i in range(12):
        _publish(index, _chunks([f"note {i} about protected time for audit"]))
        index.prune(keep=2)
        assert index.search("protected time", k=1)
    assert _open_descriptors() - before <= 8  # was +4 per round (48 here)


def test_readers_in_other_threads_keep_working_while_prune_reopens(index: KnowledgeIndex) -> None:
    """The reopen after ``prune`` waits for calls in flight and holds new ones until it is done."""
    _publish(index, _chunks(["protected time helps teams plan change"]))
    stop, errors = threading.Event(), list[BaseException]()

    def read() -> None:
        while not stop.is_set():
            try:
                assert index.search("protected time", k=1)
                index.documents()
            except BaseException as exc:  # noqa: BLE001 - reported by the test below
                errors.append(exc)
                return

    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    try:
        for i in range(6):
            _publish(index, _chunks([f"protected time, revision {i}"]))
            index.prune(keep=2)
    finally:
        stop.set()
        for reader in readers:
            reader.join(30)
    assert errors == []


READER = """
import os, sys
from knowledge.index import KnowledgeIndex, make_client
from tests.fakes import HashingEmbedder

index = KnowledgeIndex(make_client(sys.argv[1], None), HashingEmbedder())
for line in sys.stdin:
    assert index.search("protected time", k=1)
    held = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # the listing's own descriptor, closed by now
            continue
        held += target.startswith(sys.argv[1]) and target.endswith("(deleted)")
    print(held, flush=True)
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc (Linux)")
def test_a_reader_in_another_process_lets_go_of_versions_an_ingest_deleted(
    tmp_path: Path,
) -> None:
    """A worker process keeps answering while an admin re-ingests; once the ingest prunes the
    version it had open, its next call reopens the store instead of holding the deleted files
    (and their disk space) until it restarts."""
    from tests.fakes import HashingEmbedder

    root = str(tmp_path / "index")
    writer = KnowledgeIndex(make_client(root, None), HashingEmbedder())
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, root],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert reader.stdin is not None and reader.stdout is not None

    def held_by_reader() -> int:
        assert reader.stdin is not None and reader.stdout is not None
        reader.stdin.write("search\n")
        reader.stdin.flush()
        return int(reader.stdout.readline())

    try:
        _publish(writer, _chunks(["protected time, first"]))
        assert held_by_reader() == 0
        for i in range(3):  # three ingests: the version the reader had open is pruned
            _publish(writer, _chunks([f"protected time, revision {i}"]))
            writer.prune(keep=2)
        assert held_by_reader() > 0  # the call that finds the pointer moved still had them open
        assert held_by_reader() == 0  # the next one starts by reopening the store
    finally:
        reader.stdin.close()
        reader.wait(30)
        writer.close()
