"""Child process for the kill -9 crash test: ``ingest DATA DOCS`` or ``verify DATA``.

``ingest`` prints READY once imports are done, then ingests with a slowed embedder so that a
random kill lands in parsing, embedding, Chroma writes or the switch. ``verify`` opens the store
fresh (as a restarted bot would), prints what the live version answers, runs one more ingest of
an empty change set to clean leftovers, and reports the collections that remain.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bot.settings import Settings
from ingestion.pipeline import ingest
from knowledge.embeddings import Vectors, local_embedder
from knowledge.index import KnowledgeIndex, make_client

QUESTIONS = ["headspace for change", "leadership that engages staff", "capability and skills"]


class SlowEmbedder:
    def __init__(self, delay: float) -> None:
        self._inner = local_embedder()
        self.name = self._inner.name
        self.dimension = self._inner.dimension
        self.delay = delay

    def embed(self, texts: Sequence[str]) -> Vectors:
        time.sleep(self.delay * len(texts))
        return self._inner.embed(texts)


def _index(data: Path, delay: float = 0.0) -> KnowledgeIndex:
    return KnowledgeIndex(make_client(str(data / "index"), None), SlowEmbedder(delay))


def answers(index: KnowledgeIndex) -> dict[str, object]:
    return {
        "live": index.live_name(),
        "count": index.count(),
        "documents": sorted((d.document, d.doc_hash) for d in index.documents()),
        "top": [[p.chunk_id for p in index.search(q, k=3)] for q in QUESTIONS],
    }


def main(argv: list[str]) -> None:
    command, data = argv[0], Path(argv[1])
    settings = Settings(data_dir=data)
    if command == "ingest":
        index = _index(data, delay=float(argv[3]))
        index.live_name()
        print("READY", flush=True)
        started = time.monotonic()
        report = ingest([Path(argv[2])], index, settings, mode="replace")
        seconds = time.monotonic() - started
        print(
            json.dumps({"outcome": report.outcome, "seconds": seconds, **answers(index)}),
            flush=True,
        )
        return
    index = _index(data)
    state = answers(index)
    db = sqlite3.connect(data / "index" / "chroma.sqlite3")
    state["integrity"] = db.execute("PRAGMA integrity_check").fetchone()[0]
    db.close()
    empty = data / "empty-run"
    empty.mkdir(exist_ok=True)
    ingest([empty], index, settings, mode="add")  # a next run: takes the lock, prunes leftovers
    names = [c.name for c in index._client.list_collections()]
    state["versions"] = sorted(n for n in names if n.startswith("changebot-v"))
    print(json.dumps(state), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
