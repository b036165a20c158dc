"""KnowledgeIndex: versioned Chroma collections behind a tiny registry pointer.

Readers always look up the live collection name in a registry collection's metadata, so a new
version becomes visible in one metadata write (no rename window, works embedded and over HTTP).
The registry also lists the published versions, newest first: the previous one (and, with
``keep_versions`` above 2, older ones) stay on disk for rollback; a failed build never touches
the live pointer.
"""

from __future__ import annotations

import functools
import logging
import shutil
import sqlite3
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

import numpy as np
from pydantic import BaseModel, ConfigDict

from bot.common.errors import KnowledgeError
from bot.common.types import Passage
from knowledge.embeddings import Embedder, Vectors

logger = logging.getLogger(__name__)
PAGE = 5000
STORE_FILE = "chroma.sqlite3"
SQLITE_MAGIC = b"SQLite format 3\x00"
F = TypeVar("F", bound=Callable[..., Any])
UNAVAILABLE = (
    "changebot's guidance index is damaged or cannot be read, so questions cannot be answered "
    "from the guidance right now. The admins have been alerted; please try again later."
)


class UnavailableStore:
    """Stands in for a Chroma client when the store must not be touched: every call refuses.

    Readers get ``KnowledgeError`` (a plain sentence) instead of a library error, a crash in the
    vector reader, or a silently re-created empty store; ``problem`` says what is wrong, for admins.
    """

    def __init__(self, problem: str) -> None:
        self.problem = problem

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)

        def refuse(*_args: Any, **_kwargs: Any) -> Any:
            raise KnowledgeError(UNAVAILABLE)

        return refuse


# Embedded stores opened by KnowledgeIndex objects in this process, by folder: Chroma shares one
# system per folder between clients, so one index closing its client closes the other's too.
_OPEN_IN_PROCESS: Counter[Path] = Counter()
_OPEN_LOCK = threading.Lock()  # an index may be built or closed on any thread


class _ClientGate:
    """Many calls may use the Chroma client at once; ``exclusive`` waits until only its own do.

    So the client can be closed or swapped (``KnowledgeIndex.close``, the reopen after ``prune``)
    without pulling it from under a reader in another thread. Re-entrant per thread.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._busy = 0
        self._waiting = False
        self._depth = threading.local()

    @contextmanager
    def shared(self) -> Iterator[None]:
        depth = getattr(self._depth, "n", 0)
        with self._cond:
            while self._waiting and depth == 0:
                self._cond.wait()
            self._busy += 1
        self._depth.n = depth + 1
        try:
            yield
        finally:
            self._depth.n = depth
            with self._cond:
                self._busy -= 1
                self._cond.notify_all()

    def idle(self) -> bool:
        """True when this thread is not inside a call already (so it may wait for exclusive)."""
        return getattr(self._depth, "n", 0) == 0

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        own = getattr(self._depth, "n", 0)
        with self._cond:
            self._waiting = True
            try:
                while self._busy > own:
                    self._cond.wait()
                yield
            finally:
                self._waiting = False
                self._cond.notify_all()


def _shared(method: F) -> F:
    """Run a ``KnowledgeIndex`` method as one of the client's current users (see _ClientGate)."""

    @functools.wraps(method)
    def call(self: KnowledgeIndex, *args: Any, **kwargs: Any) -> Any:
        if self._release_pending and self._gate.idle():
            self._release_deleted()
        with self._gate.shared():
            return method(self, *args, **kwargs)

    return cast(F, call)


def restore_advice(index_dir: Path | str) -> str:
    """How an admin gets a damaged embedded store back, in the order to try."""
    return (
        "To recover: restore your latest backup with `changebot restore <backup.tar.gz> --force` "
        "(the damaged data dir is kept beside it, not deleted). Without a backup, move "
        f"{index_dir} aside and run `changebot start`: it re-indexes the bundled notes; then "
        "re-ingest your own documents with `changebot ingest <folder>`."
    )


def store_file_problem(index_dir: Path) -> str | None:
    """What is wrong with the store's database file, judged from its size and header alone.

    None when the file is absent (a new store) or looks whole. Checked before Chroma opens the
    file: Chroma silently re-creates an emptied file as a new, empty store, which would look like
    "nothing indexed yet" and lose every admin document without a word.
    """
    path = Path(index_dir) / STORE_FILE
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
            size = handle.seek(0, 2)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"{STORE_FILE} cannot be read ({exc.strerror})"
    if not header:
        return f"{STORE_FILE} is empty (0 bytes): the index database was truncated"
    if not header.startswith(SQLITE_MAGIC) or len(header) < 100:
        return f"{STORE_FILE} is not a database any more (its header is damaged)"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_is_current = header[92:96] == header[24:28]
    if header_is_current and pages and size < pages * page_size:
        return (
            f"{STORE_FILE} is shorter than its own header says ({size:,} of "
            f"{pages * page_size:,} bytes): the index database was truncated"
        )
    return None


class Chunk(BaseModel):
    """One piece of a document as stored in the index."""

    model_config = ConfigDict(frozen=True)

    chunk_id: str
    text: str
    document: str
    title: str
    section: str = ""
    page: str | None = None
    provenance: str = "source"
    origin: str = ""
    owner: str = ""  # "bundled" or "admin": who manages the document (restarts touch bundled only)
    content_hash: str
    doc_hash: str
    ingested_at: float = 0.0


class DocumentInfo(BaseModel):
    """What ``changebot sources`` shows about one indexed document."""

    document: str
    title: str
    chunks: int
    pages: str
    version: str
    doc_hash: str
    ingested_at: float
    owner: str = ""


_META_FIELDS = (
    "document",
    "title",
    "section",
    "page",
    "provenance",
    "origin",
    "owner",
    "content_hash",
    "doc_hash",
)


def _metadata(chunk: Chunk) -> dict[str, Any]:
    meta: dict[str, Any] = {f: getattr(chunk, f) or "" for f in _META_FIELDS}
    meta["ingested_at"] = chunk.ingested_at
    return meta


def _chunk(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        chunk_id=chunk_id,
        text=text,
        document=str(meta.get("document", "")),
        title=str(meta.get("title", "")),
        section=str(meta.get("section", "")),
        page=str(meta["page"]) if meta.get("page") else None,
        provenance=str(meta.get("provenance", "source")),
        origin=str(meta.get("origin", "")),
        owner=str(meta.get("owner", "")),
        content_hash=str(meta.get("content_hash", "")),
        doc_hash=str(meta.get("doc_hash", "")),
        ingested_at=float(meta.get("ingested_at", 0.0)),
    )


class KnowledgeIndex:
    """Domain verbs over any Chroma client (Persistent, Ephemeral or Http)."""

    def __init__(self, client: Any, embedder: Embedder, namespace: str = "changebot") -> None:
        self._client = client
        self.embedder = embedder
        self.namespace = namespace
        self._registry_name = f"{namespace}-registry"
        self._collections: dict[str, Any] = {}
        self._sizes: dict[str, int] = {}
        self._snapshot: tuple[str, list[Chunk]] | None = None
        self._gate = _ClientGate()
        self._release_pending = False
        self._shared_root = self._persist_dir()
        if self._shared_root is not None:
            with _OPEN_LOCK:
                _OPEN_IN_PROCESS[self._shared_root] += 1

    # -- pointer -------------------------------------------------------------------------
    @property
    def unavailable(self) -> str | None:
        """What is wrong with the store when it must not be read (degraded mode); else None."""
        return self._client.problem if isinstance(self._client, UnavailableStore) else None

    def disable(self, problem: str) -> None:
        """Stop touching the store: every later read or write raises a plain ``KnowledgeError``.

        For a damaged store found at start-up, so the bot keeps running (and says the guidance is
        unavailable) instead of crashing in Chroma's reader on the first question.
        """
        self._client = UnavailableStore(problem)
        self._collections.clear()
        self._sizes.clear()
        self._snapshot = None

    def _registry(self) -> Any:
        return self._client.get_or_create_collection(
            self._registry_name, embedding_function=None, metadata={"live": "", "previous": ""}
        )

    @_shared
    def pointer(self) -> dict[str, str]:
        """The registry metadata: live and previous collection names, embedder, timestamps."""
        meta = self._registry().metadata or {}
        return {k: str(v) for k, v in meta.items()}

    @_shared
    def live_name(self) -> str | None:
        """The name of the collection readers use, or None if nothing was ever indexed."""
        return self.pointer().get("live") or None

    def _collection(self, name: str) -> Any:
        if name not in self._collections:
            self._collections[name] = self._client.get_collection(name, embedding_function=None)
        return self._collections[name]

    def _live(self) -> Any:
        pointer = self.pointer()  # one registry read per request
        name = pointer.get("live")
        if not name:
            raise KnowledgeError("The guidance index is empty. Run `changebot ingest` first.")
        if pointer.get("embedder", self.embedder.name) != self.embedder.name:
            raise KnowledgeError(
                "The index was built with a different embedding model "
                f"({pointer.get('embedder')}). Run `changebot ingest --rebuild` to re-embed the "
                "indexed documents with the configured one; the current index keeps its data."
            )
        kept = set(_history(pointer))
        if any(opened not in kept for opened in self._collections):
            self._release_pending = True  # another process pruned a version this one had open
        return self._collection(name)

    def _size(self, collection: Any) -> int:
        """Row count of a published version; versions never change once live, so cache it."""
        if collection.name not in self._sizes:
            self._sizes[collection.name] = int(collection.count())
        return self._sizes[collection.name]

    # -- reading ---------------------------------------------------------------------------
    @_shared
    def count(self) -> int:
        """Chunks in the live version (0 when empty)."""
        name = self.live_name()
        return 0 if name is None else int(self._collection(name).count())

    def search(self, text: str, k: int = 5) -> list[Passage]:
        """The ``k`` passages nearest to ``text`` (cosine), best first."""
        return self.search_vector(self.embedder.embed([text])[0], k)

    @_shared
    def search_vector(self, vector: Vectors, k: int = 5) -> list[Passage]:
        """Nearest passages to a precomputed, normalised vector."""
        live = self._live()
        found = live.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
            n_results=max(1, min(k, self._size(live))),
            include=["documents", "metadatas", "distances"],
        )
        passages = []
        for cid, text, meta, dist in zip(
            found["ids"][0],
            found["documents"][0],
            found["metadatas"][0],
            found["distances"][0],
            strict=True,
        ):
            passages.append(to_passage(_chunk(cid, text, dict(meta)), 1.0 - float(dist)))
        return passages

    @_shared
    def chunks(self) -> list[Chunk]:
        """Every chunk of the live version (cached until the pointer moves)."""
        name = self.live_name()
        if name is None:
            return []
        if self._snapshot is None or self._snapshot[0] != name:
            self._live()  # refuses an index built with another embedding model
            self._snapshot = (name, self.chunks_of(name))
        return self._snapshot[1]

    @_shared
    def chunks_of(self, name: str) -> list[Chunk]:
        """Every chunk of one version, whatever embedder built it (for ``--rebuild``)."""
        collection, chunks = self._collection(name), list[Chunk]()
        for offset in range(0, int(collection.count()), PAGE):  # SQLite caps query variables
            got = collection.get(include=["documents", "metadatas"], limit=PAGE, offset=offset)
            chunks.extend(
                _chunk(cid, text, dict(meta))
                for cid, text, meta in zip(
                    got["ids"], got["documents"], got["metadatas"], strict=True
                )
            )
        return chunks

    @_shared
    def documents(self) -> list[DocumentInfo]:
        """One row per indexed document, sorted by title."""
        by_doc: dict[str, list[Chunk]] = {}
        for chunk in self.chunks():
            by_doc.setdefault(chunk.document, []).append(chunk)
        version = self.live_name() or ""
        rows = []
        for document, chunks in by_doc.items():
            pages = sorted({int(c.page) for c in chunks if c.page and c.page.isdigit()})
            rows.append(
                DocumentInfo(
                    document=document,
                    title=chunks[0].title,
                    chunks=len(chunks),
                    pages=f"{pages[0]}-{pages[-1]}" if pages else "",
                    version=version,
                    doc_hash=chunks[0].doc_hash,
                    ingested_at=max(c.ingested_at for c in chunks),
                    owner=chunks[0].owner,
                )
            )
        return sorted(rows, key=lambda r: r.title.lower())

    @_shared
    def vectors_for(self, name: str, ids: Sequence[str]) -> dict[str, list[float]]:
        """Stored vectors of some chunks in one version (to copy unchanged documents)."""
        got = self._collection(name).get(ids=list(ids), include=["embeddings"])
        return {
            cid: list(map(float, vec))
            for cid, vec in zip(got["ids"], got["embeddings"], strict=True)
        }

    # -- writing (callers hold the single-writer lock) -----------------------------------------
    @_shared
    def create_version(self, notes: dict[str, str] | None = None) -> str:
        """A new, empty staged collection; not visible to readers until ``switch``.

        ``notes`` are kept in the version's metadata (the bundled folder's fingerprint, so a start
        can tell whether the bundled notes changed without comparing document by document).
        """
        name = f"{self.namespace}-v{time.time_ns()}"
        self._client.create_collection(
            name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={
                **(notes or {}),
                "embedder": self.embedder.name,
                "created_at": time.time(),
            },
        )
        return name

    @_shared
    def add(self, name: str, chunks: Sequence[Chunk], vectors: Iterable[Sequence[float]]) -> None:
        """Add chunks with their vectors to a staged version, in batches."""
        rows = list(vectors)
        if len(rows) != len(chunks):
            raise KnowledgeError("Internal error: chunk and vector counts differ.")
        self._sizes.pop(name, None)
        collection = self._collection(name)
        for start in range(0, len(chunks), 500):
            part = chunks[start : start + 500]
            collection.add(
                ids=[c.chunk_id for c in part],
                documents=[c.text for c in part],
                metadatas=[_metadata(c) for c in part],
                embeddings=[list(map(float, v)) for v in rows[start : start + 500]],
            )

    @_shared
    def version_notes(self, name: str | None = None) -> dict[str, str]:
        """The metadata of a version (by default the live one), as strings; {} if none."""
        name = name or self.live_name()
        if not name:
            return {}
        meta = self._collection(name).metadata or {}
        return {k: str(v) for k, v in meta.items()}

    @_shared
    def version_count(self, name: str) -> int:
        """Chunks in any version, staged or live."""
        return int(self._collection(name).count())

    @_shared
    def history(self) -> list[str]:
        """Published versions kept for rollback, live first (then previous, then older)."""
        return _history(self.pointer())

    def _point(
        self,
        live: str,
        previous: str,
        history: Sequence[str],
        embedder: str,
        switched_at: float | None = None,
    ) -> None:
        self._registry().modify(
            metadata={
                "live": live,
                "previous": previous,
                "history": ",".join(dict.fromkeys(h for h in history if h)),
                "embedder": embedder,
                "switched_at": time.time() if switched_at is None else switched_at,
            }
        )

    @_shared
    def switch(self, name: str) -> None:
        """Make ``name`` live in one registry write; the old live becomes ``previous``."""
        old = self.pointer()
        self._point(name, old.get("live", ""), [name, *_history(old)], self.embedder.name)
        logger.info("index switched to %s (previous %s)", name, old.get("live") or "-")

    @_shared
    def rollback(self, to: str | None = None) -> str:
        """Serve an older kept version again (by default the previous one); returns its name.

        The version that was live becomes ``previous``, so a second plain rollback undoes the
        first.
        """
        old = self.pointer()
        kept = _history(old)
        target = to or old.get("previous", "")
        if not target:
            raise KnowledgeError("There is no previous index version to roll back to.")
        if target not in kept[1:]:
            raise KnowledgeError(
                f"Version {target} is not kept for rollback; kept: {', '.join(kept[1:]) or 'none'}."
            )
        live = old.get("live", "")
        self._point(target, live, [target, *kept], old.get("embedder", self.embedder.name))
        return target

    @_shared
    def drop(self, name: str) -> None:
        """Delete a version (staged leftovers, pruned old ones); never the live or previous."""
        pointer = self.pointer()
        if name in {pointer.get("live"), pointer.get("previous")}:
            return
        self._collections.pop(name, None)
        try:
            self._client.delete_collection(name)
        except Exception:  # noqa: BLE001 - already gone is fine
            logger.info("collection %s was already gone", name)

    @_shared
    def prune(self, keep: int = 2) -> list[str]:
        """Delete crash leftovers and all but the ``keep`` newest published versions.

        ``keep`` counts the live version, so 1 keeps nothing to roll back to.
        """
        pointer = self.pointer()
        published = _history(pointer)
        kept = published[: max(keep, 1)]
        live, previous = pointer.get("live", ""), pointer.get("previous", "")
        if live and len(published) > len(kept):  # forget what is about to be deleted
            self._point(
                live,
                previous if previous in kept else "",
                kept,
                pointer.get("embedder", self.embedder.name),
                float(pointer.get("switched_at") or time.time()),
            )
        dropped = []
        for collection in self._client.list_collections():
            name = collection if isinstance(collection, str) else collection.name
            if name.startswith(f"{self.namespace}-v") and name not in kept:
                self.drop(name)
                dropped.append(name)
        self._sweep_deleted_segments()
        if dropped:
            self._reopen()
        return dropped

    def _persist_dir(self) -> Path | None:
        """The folder of an embedded persistent store; None for a server or in-memory client.

        None too for a refused store (``UnavailableStore`` refuses every call, this one included).
        """
        if isinstance(self._client, UnavailableStore):
            return None
        get_settings = getattr(self._client, "get_settings", None)
        chroma_settings = get_settings() if callable(get_settings) else None
        if chroma_settings is None or not getattr(chroma_settings, "is_persistent", False):
            return None
        return Path(chroma_settings.persist_directory)

    def _reopen(self) -> None:
        """Close and reopen an embedded store's client once versions were deleted.

        Chroma 1.x keeps a deleted collection's vector files open in its segment cache
        (chroma-core/chroma#3296), so every re-ingest in a long-running process would hold four
        more descriptors, and the deleted files' disk space, for the life of the process.
        Reopening releases them; a server client holds no files and is left alone.
        """
        root = self._persist_dir()
        if root is None:
            return
        with self._gate.exclusive():
            self._collections.clear()
            self._sizes.clear()
            self._client.close()
            self._client = make_client(str(root), None)

    def _release_deleted(self) -> None:
        """Let go of versions another process deleted (a worker, after an admin's ingest).

        The ingesting process reopens its own client after ``prune``; a reader in another process
        would otherwise keep the deleted versions' vector files open, and their disk space in
        use, until it restarts. Runs at the start of the next call, never inside one.
        """
        with self._gate.exclusive():
            if not self._release_pending:
                return
            self._release_pending = False
            root = self._shared_root  # the embedded folder, None for a server client
            # a server client holds no files; and an embedded store another index in this
            # process also uses must not be closed under it (they share Chroma's system)
            with _OPEN_LOCK:
                shared = root is not None and _OPEN_IN_PROCESS[root] > 1
            if root is None or shared:
                self._collections.clear()
                return
        self._reopen()

    def close(self) -> None:
        """Release the Chroma client: its database connections, vector files and threads.

        For whoever built the index, once done with it (a process keeps one for its life; tests
        and short-lived tools build many). Later calls refuse in plain words.
        """
        with self._gate.exclusive():
            client, self._client = self._client, UnavailableStore("the index was closed")
            self._collections.clear()
            self._sizes.clear()
            self._snapshot = None
            if not isinstance(client, UnavailableStore):
                client.close()
            if self._shared_root is not None:
                with _OPEN_LOCK:
                    _OPEN_IN_PROCESS[self._shared_root] -= 1
                self._shared_root = None

    def _sweep_deleted_segments(self) -> list[str]:
        """Remove the vector folders of deleted collections from an embedded store.

        Chroma 1.x deletes a collection's rows but leaves its HNSW folder (``<segment id>/``)
        in the persist directory (chroma-core/chroma#5259), so every re-ingest would leave one
        version's vectors on disk for good. A folder named by a UUID that no segment row names
        any more is such a leftover. Called under the single-writer lock, from ``prune``.
        """
        root = self._persist_dir()
        if root is None:
            return []
        try:
            db = sqlite3.connect(f"file:{root / STORE_FILE}?mode=ro", uri=True, timeout=10)
            try:
                live = {str(row[0]) for row in db.execute("SELECT id FROM segments")}
            finally:
                db.close()
        except sqlite3.Error as exc:
            logger.info("could not list the store's segments (%s); nothing swept", exc)
            return []
        swept = []
        for folder in root.iterdir():
            try:
                name = str(uuid.UUID(folder.name))
            except ValueError:
                continue
            if folder.is_dir() and name not in live:
                shutil.rmtree(folder, ignore_errors=True)
                swept.append(folder.name)
        if swept:
            logger.info("removed %d vector folders of deleted index versions", len(swept))
        return swept


def _history(pointer: dict[str, str]) -> list[str]:
    """Published versions, live first; registries written before the list existed give two."""
    listed = [h for h in pointer.get("history", "").split(",") if h]
    first = [pointer.get("live", ""), pointer.get("previous", "")]
    return list(dict.fromkeys(h for h in [*first, *listed] if h))


def embedding_text(chunk: Chunk) -> str:
    """What gets embedded: the nearest heading, then the text.

    A heading such as "Author, date and length of the evidence scan" states what a passage is
    about in the words people ask with; MiniLM alone often misses that in the body text.
    """
    heading = chunk.section.split(" > ")[-1] if chunk.section else chunk.title
    return f"{heading}: {chunk.text}" if heading else chunk.text


def to_passage(chunk: Chunk, score: float) -> Passage:
    """The retrieval view of a stored chunk."""
    provenance = (
        chunk.provenance
        if chunk.provenance in {"source", "interpretation", "suggestion"}
        else "source"
    )
    return Passage(
        chunk_id=chunk.chunk_id,
        text=chunk.text,
        title=chunk.title,
        document=chunk.document,
        section=chunk.section,
        page=chunk.page,
        provenance=provenance,
        origin=chunk.origin,
        owner=chunk.owner,
        score=score,
    )


def make_client(
    index_dir: str | None,
    chroma_url: str | None,
    *,
    token: str | None = None,
    tenant: str | None = None,
    database: str | None = None,
) -> Any:
    """An embedded PersistentClient, or an HttpClient when a server URL is configured.

    An embedded store whose database file is damaged (emptied, truncated, not a database) is
    never handed to Chroma: the result is an ``UnavailableStore`` that refuses every call in
    plain words, and the problem is logged with how to recover.

    For a server: ``https://`` URLs default to port 443 (``http://`` to 8000); ``token`` is sent
    with Chroma's token auth provider; ``tenant`` and ``database`` select where the collections
    live, as the Chroma client takes them.
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    auth: dict[str, Any] = {}
    if token:
        auth = {
            "chroma_client_auth_provider": "chromadb.auth.token_authn.TokenAuthClientProvider",
            "chroma_client_auth_credentials": token,
        }
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False, **auth)
    if chroma_url:
        from urllib.parse import urlparse

        url = urlparse(chroma_url)
        secure = url.scheme == "https"
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or (443 if secure else 8000),
            ssl=secure,
            settings=chroma_settings,
            tenant=tenant or "default_tenant",
            database=database or "default_database",
        )
    if index_dir is None:
        return chromadb.EphemeralClient(settings=chroma_settings)
    problem = store_file_problem(Path(index_dir))
    if problem is None:
        from chromadb.errors import ChromaError

        try:
            return chromadb.PersistentClient(path=index_dir, settings=chroma_settings)
        except (ChromaError, OSError) as exc:  # "database disk image is malformed", and the like
            said = " ".join(str(exc).split())[:200]
            problem = f"{STORE_FILE} cannot be opened ({type(exc).__name__}: {said})"
    logger.error(
        "The guidance index in %s is damaged: %s. changebot runs without it. %s",
        index_dir,
        problem,
        restore_advice(index_dir),
    )
    return UnavailableStore(problem)
