"""V3: a damaged index store at start-up gives degraded mode, never a crash; recovery works.

The damage is done to copies of real stores: a truncated or emptied ``chroma.sqlite3``, a live
pointer to a version that is not there, and broken vector files (``link_lists.bin`` zeroed,
``data_level0.bin`` truncated) that make Chroma's native reader crash or answer wrongly. The
store is checked in a child (``ingestion.store_check``); a crash there is read from its exit.
Large stores (over Chroma's 1,000-vector persistence threshold, so the vector files are really
read) use synthetic unit vectors: embedding 1,500 chunks would take minutes and prove nothing more.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.common.audit import read_audit
from bot.common.errors import KnowledgeError
from bot.settings import Settings
from ingestion.discover import folder_fingerprint
from ingestion.store_check import check_store
from knowledge.embeddings import local_embedder
from knowledge.index import UNAVAILABLE, Chunk, KnowledgeIndex, UnavailableStore, make_client
from tests.ingestion.samples import write_note

CHANGEBOT = str(Path(sys.executable).with_name("changebot"))
BIG = 1500  # above Chroma's sync threshold: the HNSW files on disk are what queries read
QUESTION = "what are the four barriers to change?"


def _synthetic_store(
    data: Path, chunks: int = BIG, notes: dict[str, str] | None = None
) -> list[str]:
    """A real embedded store whose live version holds ``chunks`` random unit vectors."""
    model = local_embedder()

    class Named:  # the configured embedder's name, so the store looks like the bot's own
        name, dimension = model.name, model.dimension

        def embed(self, texts: list[str]) -> Any:
            raise AssertionError("a synthetic store is never embedded")

    index = KnowledgeIndex(make_client(str(data / "index"), None), Named())
    rng = np.random.default_rng(14)
    vectors = rng.normal(size=(chunks, model.dimension)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    rows = [
        Chunk(
            chunk_id=f"c{n:05d}",
            text=f"passage {n}",
            document="synthetic.md",
            title="Synthetic",
            content_hash=str(n),
            doc_hash="synthetic",
        )
        for n in range(chunks)
    ]
    first = index.create_version()
    index.add(first, rows[:10], vectors[:10])
    index.switch(first)
    second = index.create_version(notes)
    index.add(second, rows, vectors)
    index.switch(second)
    # Chroma writes a version's vector files after the add returns: wait for them, so a test
    # that copies and damages them damages what the live version reads
    level0 = _live_vector_dir(data / "index") / "data_level0.bin"
    deadline = time.monotonic() + 60
    while not level0.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    index.close()
    assert level0.exists(), "the live version's vector files were never written"
    return [second, first]


def _live_vector_dir(index_dir: Path) -> Path:
    """The folder of the live version's vector segment, named by its id in chroma.sqlite3."""
    with sqlite3.connect(index_dir / "chroma.sqlite3") as db:
        (segment,) = db.execute(
            "SELECT s.id FROM segments s JOIN collections c ON s.collection = c.id "
            "WHERE s.scope = 'VECTOR' AND c.name = (SELECT m.str_value FROM collection_metadata m "
            "JOIN collections r ON m.collection_id = r.id "
            "WHERE r.name = 'changebot-registry' AND m.key = 'live')"
        ).fetchone()
    return index_dir / str(segment)


@pytest.fixture(scope="module")
def good_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    data = tmp_path_factory.mktemp("good") / "data"
    versions = _synthetic_store(data)
    return data, versions


def _copy(good: Path, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(good, data)
    return data


def _segment(index_dir: Path, with_file: str) -> Path:
    """The segment folder of the live version, which holds ``with_file``."""
    folder = _live_vector_dir(index_dir)
    assert (folder / with_file).exists(), f"no {with_file} in the live version's vector folder"
    return folder


def _truncate_half(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def _zero(path: Path) -> None:
    path.write_bytes(bytes(path.stat().st_size))


def test_a_store_never_published_to_is_passed_without_a_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first start opens a fresh store before anything is indexed: nothing there to damage.

    Once a version is published, the child reads it again (the tests below).
    """
    make_client(str(tmp_path / "index"), None)  # what build_services does on an empty data dir
    assert (tmp_path / "index" / "chroma.sqlite3").exists()

    def no_child(*args: object, **kwargs: object) -> None:
        raise AssertionError("a fresh store needs no child process")

    monkeypatch.setattr(subprocess, "run", no_child)
    assert check_store(tmp_path / "index") is None
    index = KnowledgeIndex(make_client(str(tmp_path / "index"), None), local_embedder())
    version = index.create_version()
    text = "Protected time for improvement."
    chunk = Chunk(
        chunk_id="c0", text=text, document="a.md", title="A", content_hash=text, doc_hash="a"
    )
    index.add(version, [chunk], index.embedder.embed([text]))
    index.switch(version)
    with pytest.raises(AssertionError, match="no child"):
        check_store(tmp_path / "index")


def test_a_whole_store_passes_the_check(good_store: tuple[Path, list[str]], tmp_path: Path) -> None:
    # a copy, like every test here: opening a store can rewrite its vector files (Chroma
    # compacts what it had not yet written), and the damage tests below need the original
    data = _copy(good_store[0], tmp_path)
    assert _segment(data / "index", "link_lists.bin").joinpath("link_lists.bin").stat().st_size
    assert check_store(data / "index") is None


@pytest.mark.parametrize(
    ("damage", "part", "words"),
    [
        ("sqlite-truncated", "database", "shorter than its own header says"),
        ("sqlite-emptied", "database", "is empty (0 bytes)"),
        ("link-lists-zeroed", "vectors", "crashed the reader (SIGSEGV)"),
        ("level0-truncated", "vectors", "reading failed"),
        ("garbage-pointer", "pointer", "names version changebot-v0garbage"),
    ],
)
def test_each_kind_of_damage_is_named_by_the_check(
    good_store: tuple[Path, list[str]], tmp_path: Path, damage: str, part: str, words: str
) -> None:
    data = _copy(good_store[0], tmp_path)
    index_dir = data / "index"
    database = index_dir / "chroma.sqlite3"
    if damage == "sqlite-truncated":
        _truncate_half(database)
    elif damage == "sqlite-emptied":
        os.truncate(database, 0)
    elif damage == "link-lists-zeroed":
        _zero(_segment(index_dir, "link_lists.bin") / "link_lists.bin")
    elif damage == "level0-truncated":
        _truncate_half(_segment(index_dir, "data_level0.bin") / "data_level0.bin")
    else:
        with sqlite3.connect(database) as db:
            db.execute(
                "UPDATE collection_metadata SET str_value = 'changebot-v0garbage' "
                "WHERE key = 'live'"
            )
    problem = check_store(index_dir)
    assert problem is not None and problem.part == part, problem
    assert words in problem.detail
    message = problem.admin_message()
    assert f"The guidance index in {index_dir} is damaged" in message
    assert "`changebot restore <backup.tar.gz> --force`" in message
    if damage == "garbage-pointer":
        assert f"The previous version {good_store[1][1]} is still kept" in message
        assert "`changebot ingest --rollback`" in message
    if damage == "sqlite-emptied":
        assert database.stat().st_size == 0  # not silently re-created as an empty store
        assert isinstance(make_client(str(index_dir), None), UnavailableStore)


def test_an_index_over_a_refused_store_opens_and_refuses_in_plain_words(tmp_path: Path) -> None:
    """The index is built over the refused store (start needs it to report), every read refuses."""
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    (index_dir / "chroma.sqlite3").write_bytes(b"")
    client = make_client(str(index_dir), None)
    assert isinstance(client, UnavailableStore)
    index = KnowledgeIndex(client, local_embedder())
    assert index.unavailable is not None and "is empty (0 bytes)" in index.unavailable
    with pytest.raises(KnowledgeError, match="guidance index is damaged"):
        index.search("what is headspace?", k=3)
    index.close()


def test_start_on_broken_vector_files_degrades_instead_of_crashing(
    good_store: tuple[Path, list[str]], tmp_path: Path
) -> None:
    """The real start-up path, in this process: a crash here would take the test run down."""
    from bot.services import build_services
    from bot.startup import ensure_index

    data = _copy(good_store[0], tmp_path)
    _zero(_segment(data / "index", "link_lists.bin") / "link_lists.bin")
    services = build_services(Settings(data_dir=data))
    assert ensure_index(services) is False  # nothing was ingested into a damaged store
    assert services.index.unavailable is not None
    with pytest.raises(KnowledgeError) as refused:
        services.responder.respond(QUESTION)
    assert refused.value.user_message == UNAVAILABLE
    assert [r["part"] for r in read_audit(data) if r["outcome"] == "degraded"] == ["vectors"]


def test_start_drops_versions_an_interrupted_ingest_left_behind(tmp_path: Path) -> None:
    """V6's "staging cleaned on the next start": a staged, never-switched version goes."""
    from bot.services import build_services
    from bot.startup import ensure_index

    data, notes = tmp_path / "data", tmp_path / "notes"
    notes.mkdir()
    write_note(notes, "a.md", "headspace")
    live, _ = _synthetic_store(data, 20, {"bundled_sha": folder_fingerprint([notes])})
    leftover = KnowledgeIndex(make_client(str(data / "index"), None), local_embedder())
    staged = leftover.create_version()  # what a killed or failed ingest leaves
    services = build_services(Settings(data_dir=data, guidance_dir=notes))
    assert ensure_index(services) is False  # the notes are current: no ingest ran
    names = {c.name for c in services.index._client.list_collections()}
    assert staged not in names and live in names
    assert services.index.live_name() == live and services.index.unavailable is None


def _changebot(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHANGEBOT_")}
    env["CHANGEBOT_DATA_DIR"] = str(data)
    return subprocess.run(
        [CHANGEBOT, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
    )


def test_damaged_store_then_restore_through_the_real_command(
    bundled_services: Any, tmp_path: Path
) -> None:
    """Damage → `changebot start` says what and how, without a traceback → restore → answers."""
    data = tmp_path / "data"
    shutil.copytree(
        bundled_services.settings.data_dir, data, ignore=shutil.ignore_patterns("*.lock")
    )
    archive = tmp_path / "changebot-backup.tar.gz"
    assert _changebot(data, "backup", str(archive)).returncode == 0
    _truncate_half(data / "index" / "chroma.sqlite3")
    damaged_size = (data / "index" / "chroma.sqlite3").stat().st_size

    for attempt in range(2):  # a restart degrades the same way: no crash, no crash loop
        started = _changebot(data, "start", stdin=QUESTION + "\n")
        said = started.stdout + started.stderr
        assert started.returncode >= 0 and "Traceback" not in said, attempt  # no signal, no trace
        assert f"The guidance index in {data / 'index'} is damaged" in said
        assert "its database file: chroma.sqlite3 is shorter than its own header says" in said
        assert "changebot restore <backup.tar.gz> --force" in said
        assert UNAVAILABLE in said  # what the colleague asking gets
    assert (data / "index" / "chroma.sqlite3").stat().st_size == damaged_size  # left as found

    restored = _changebot(data, "restore", str(archive), "--force")
    assert restored.returncode == 0, restored.stderr
    answered = _changebot(data, "respond", "--json", QUESTION)
    assert answered.returncode == 0, answered.stderr
    reply = json.loads(answered.stdout)
    assert reply["kind"] == "answer" and "Recognition" in reply["text"]
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("data.before-restore-")]
    assert len(kept) == 1 and (kept[0] / "index" / "chroma.sqlite3").exists()  # damage kept aside
