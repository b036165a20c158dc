"""Child process for the disk-full test (V6).

``fill DATA DOCS MARGIN`` sets ``RLIMIT_FSIZE`` to MARGIN bytes above the largest file already in
the data dir and ignores ``SIGXFSZ``, so the first write that would grow a file past it fails
with ``EFBIG``, as a write on a full disk fails with ``ENOSPC``. Then it runs a real ingest (real
parsing child, real embedder, real Chroma) and prints one JSON line: the outcome, or the message
the admin would see. ``probe DATA`` opens the store afresh, as a restarted bot would, and prints
what it answers and which versions exist, without writing anything.
"""

from __future__ import annotations

import json
import resource
import signal
import sqlite3
import sys
from pathlib import Path

from bot.common.errors import ChangebotError
from bot.settings import Settings
from ingestion.pipeline import ingest
from knowledge.embeddings import local_embedder
from knowledge.index import KnowledgeIndex, make_client
from tests.ingestion.crash_child import answers


def fill(data: Path, docs: Path, margin: int) -> dict[str, object]:
    settings = Settings(data_dir=data)
    index = KnowledgeIndex(make_client(str(settings.index_dir), None), local_embedder())
    index.live_name()  # the store is open before the disk fills, as in a running bot
    largest = max(p.stat().st_size for p in data.rglob("*") if p.is_file())
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (largest + margin, largest + margin))
    try:
        report = ingest([docs], index, settings, mode="add")
    except ChangebotError as exc:
        return {"error": exc.user_message, "type": type(exc).__name__}
    return {"outcome": report.outcome, "message": report.message}


def probe(data: Path) -> dict[str, object]:
    index = KnowledgeIndex(make_client(str(data / "index"), None), local_embedder())
    state = answers(index)
    names = [c.name for c in index._client.list_collections()]
    state["versions"] = sorted(n for n in names if n.startswith("changebot-v"))
    db = sqlite3.connect(f"file:{data / 'index' / 'chroma.sqlite3'}?mode=ro", uri=True)
    state["integrity"] = db.execute("PRAGMA integrity_check").fetchone()[0]
    db.close()
    return state


def main(argv: list[str]) -> None:
    if argv[0] == "fill":
        result = fill(Path(argv[1]), Path(argv[2]), int(argv[3]))
    else:
        result = probe(Path(argv[1]))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
