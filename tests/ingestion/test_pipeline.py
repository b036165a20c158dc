from pathlib import Path

import pytest

from bot.common.audit import read_audit
from bot.common.errors import IngestionError, IngestLocked, KnowledgeError
from bot.settings import Settings
from ingestion.lock import ingest_lock
from ingestion.pipeline import ingest, is_stale, rollback
from knowledge.index import KnowledgeIndex
from tests.ingestion.conftest import CountingEmbedder
from tests.ingestion.samples import NOTE, write_note


def _docs(index: KnowledgeIndex) -> set[str]:
    return {d.document for d in index.documents()}


def test_markdown_folder_end_to_end(docs: Path, index: KnowledgeIndex, settings: Settings) -> None:
    (docs / "barriers.md").write_text(NOTE, encoding="utf-8")
    write_note(docs, "leadership.md", "leadership")
    report = ingest([docs], index, settings)
    assert report.outcome == "switched" and report.ok
    assert {d.document: d.status for d in report.documents} == {
        "barriers.md": "added",
        "leadership.md": "added",
    }
    assert index.count() == report.chunks > 0
    top = index.search("managers have no headspace because of operational pressure", k=3)[0]
    assert top.document == "barriers.md" and top.page == "22"
    assert top.section.endswith("Headspace")
    audit = read_audit(settings.data_dir)[-1]
    assert audit["action"] == "ingest" and audit["outcome"] == "switched" and audit["added"] == 2
    assert "headspace" not in str(audit).lower()


def test_unchanged_documents_are_not_re_embedded(
    docs: Path, index: KnowledgeIndex, settings: Settings, embedder: CountingEmbedder
) -> None:
    write_note(docs, "a.md", "recognition", 2)
    write_note(docs, "b.md", "motivation", 2)
    first = ingest([docs], index, settings, owner="bundled")
    embedded_once = embedder.texts
    assert first.embedded == embedded_once > 0
    again = ingest([docs], index, settings, owner="bundled")
    assert again.outcome == "unchanged" and again.version is None
    assert index.live_name() == first.version
    write_note(docs, "b.md", "motivation and energy", 2)
    before = embedder.texts
    third = ingest([docs], index, settings, owner="bundled")
    statuses = {d.document: d.status for d in third.documents}
    assert statuses == {"a.md": "unchanged", "b.md": "updated"}
    assert embedder.texts - before == third.embedded == 2
    assert index.count() == 4
    assert not is_stale(index, docs)


def test_add_keeps_other_documents_replace_drops_them(
    docs: Path, tmp_path: Path, index: KnowledgeIndex, settings: Settings
) -> None:
    write_note(docs, "a.md", "recognition")
    ingest([docs], index, settings)
    other = tmp_path / "other"
    other.mkdir()
    write_note(other, "c.md", "capability")
    added = ingest([other], index, settings, mode="add")
    assert _docs(index) == {"a.md", "c.md"}
    assert added.count("added") == 1
    replaced = ingest([other], index, settings, mode="replace")
    assert _docs(index) == {"c.md"}
    assert [d.document for d in replaced.documents if d.status == "removed"] == ["a.md"]
    assert replaced.count("unchanged") == 1


def test_is_stale_detects_added_removed_changed(
    docs: Path, index: KnowledgeIndex, settings: Settings
) -> None:
    assert is_stale(index, docs) is False  # empty folder, empty index
    write_note(docs, "a.md", "recognition")
    assert is_stale(index, docs)
    ingest([docs], index, settings, owner="bundled")
    assert not is_stale(index, docs)
    (docs / "a.md").write_text("# Changed\n\nNew words.", encoding="utf-8")
    assert is_stale(index, docs)
    ingest([docs], index, settings, owner="bundled")
    write_note(docs, "b.md", "headspace")
    assert is_stale(index, docs)
    (docs / "b.md").unlink()
    assert not is_stale(index, docs)
    (docs / "a.md").unlink()
    assert is_stale(index, docs)


def test_concurrent_ingest_is_refused(
    docs: Path, index: KnowledgeIndex, settings: Settings
) -> None:
    write_note(docs, "a.md", "recognition")
    with ingest_lock(settings.data_dir):
        with pytest.raises(IngestLocked) as info:
            ingest([docs], index, settings)
    assert "Another ingest is already running" in info.value.user_message
    assert index.live_name() is None
    assert ingest([docs], index, settings).ok  # lock released afterwards


def test_rollback_serves_previous_version(
    docs: Path, index: KnowledgeIndex, settings: Settings
) -> None:
    write_note(docs, "a.md", "recognition")
    first = ingest([docs], index, settings).version
    write_note(docs, "b.md", "headspace")
    second = ingest([docs], index, settings).version
    assert index.live_name() == second and _docs(index) == {"a.md", "b.md"}
    assert rollback(index, settings) == first
    assert index.live_name() == first and _docs(index) == {"a.md"}
    assert read_audit(settings.data_dir)[-1]["action"] == "rollback"


def test_old_versions_pruned(docs: Path, index: KnowledgeIndex, settings: Settings) -> None:
    for i in range(4):
        write_note(docs, f"n{i}.md", f"topic {i}")
        ingest([docs], index, settings)
    names = {c.name for c in index._client.list_collections()}
    versions = {n for n in names if n.startswith("changebot-v")}
    assert versions == {index.pointer()["live"], index.pointer()["previous"]}


@pytest.mark.parametrize("keep", [1, 3])
def test_keep_versions_is_honoured(
    docs: Path, index: KnowledgeIndex, settings: Settings, keep: int
) -> None:
    settings = settings.model_copy(update={"keep_versions": keep})
    published = []
    for i in range(4):
        write_note(docs, f"n{i}.md", f"topic {i}")
        published.append(ingest([docs], index, settings).version)
    names = {c.name for c in index._client.list_collections()}
    assert {n for n in names if n.startswith("changebot-v")} == set(published[-keep:])
    assert index.history() == published[::-1][:keep]
    if keep == 1:
        with pytest.raises(KnowledgeError, match="no previous"):
            rollback(index, settings)
    else:
        assert rollback(index, settings, to=published[1]) == published[1]
        assert _docs(index) == {"n0.md", "n1.md"}
        assert index.pointer()["previous"] == published[3]


class _FailingEmbedder(CountingEmbedder):
    """Fails from its second call on, like an embedding service that dies mid-run (I17)."""

    def embed(self, texts):
        if self.calls >= 1:
            raise RuntimeError("embedding backend down")
        return super().embed(texts)


def test_embedding_failure_aborts_run_and_keeps_live(
    docs: Path, index: KnowledgeIndex, settings: Settings
) -> None:
    write_note(docs, "a.md", "recognition")
    first = ingest([docs], index, settings)
    before = [p.chunk_id for p in index.search("recognition", k=3)]
    failing = KnowledgeIndex(index._client, _FailingEmbedder())
    write_note(docs, "b.md", "motivation")
    write_note(docs, "c.md", "capability")
    with pytest.raises(IngestionError) as info:
        ingest([docs], failing, settings)
    assert "previous guidance index is still serving" in info.value.user_message
    assert index.live_name() == first.version
    assert [p.chunk_id for p in index.search("recognition", k=3)] == before
    names = [c.name for c in index._client.list_collections()]
    assert [n for n in names if n.startswith("changebot-v")] == [first.version]
    last = read_audit(settings.data_dir)[-1]
    assert last["outcome"] == "error" and last["error"] == "RuntimeError"


class RenamedEmbedder:
    """The same vectors under another model name: what switching CHANGEBOT_EMBEDDINGS looks like."""

    def __init__(self, inner: CountingEmbedder) -> None:
        self.inner, self.name, self.dimension = inner, "another-model", inner.dimension

    def embed(self, texts):  # type: ignore[no-untyped-def]
        return self.inner.embed(texts)


def test_rebuild_after_an_embedder_change_re_embeds_and_keeps_owners(
    docs: Path, index: KnowledgeIndex, settings: Settings, embedder: CountingEmbedder
) -> None:
    from bot.common.errors import KnowledgeError
    from ingestion.pipeline import rebuild
    from knowledge.index import make_client

    write_note(docs, "a.md", "recognition", 2)
    ingest([docs], index, settings, owner="bundled")
    before = {d.document: (d.owner, d.chunks) for d in index.documents()}
    switched = KnowledgeIndex(make_client(str(settings.index_dir), None), RenamedEmbedder(embedder))
    with pytest.raises(KnowledgeError, match="--rebuild"):
        switched.search("recognition")
    report = rebuild(switched, settings)
    assert report.outcome == "switched" and report.chunks == sum(c for _o, c in before.values())
    assert {d.document: (d.owner, d.chunks) for d in switched.documents()} == before
    assert switched.search("recognition") and not is_stale(switched, docs)
