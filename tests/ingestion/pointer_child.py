"""Child process for the C2 pointer-write kill tests (``python -m tests.ingestion.pointer_child``).

Commands (DATA is a data dir, DOCS a folder of Markdown notes):

``prepare DATA DOCS TAG``  ingest DOCS (mode replace) and print the version name as JSON.
``hook DATA DOCS WHERE``   ingest DOCS with a pause inside the pointer update: ``before`` the
                           registry write (the new pointer is computed, nothing written) or
                           ``after`` it (written, ``switch`` has not returned, nothing pruned).
                           Prints ``PAUSED <staged name>`` and sleeps until killed.
``flip DATA``              roll the pointer back and forth between the two kept versions as
                           fast as it can (every iteration is one registry write); prints
                           ``READY`` after the first write. Killed at random times.
``verify DATA``            open the store fresh and print the pointer, the live version's tags
                           and chunk count, and SQLite's integrity check, as JSON.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from bot.settings import Settings
from ingestion.pipeline import ingest
from knowledge.embeddings import local_embedder
from knowledge.index import KnowledgeIndex, make_client

TAG = re.compile(r"vtag(\d{3})")


def _index(data: Path) -> KnowledgeIndex:
    return KnowledgeIndex(make_client(str(data / "index"), None), local_embedder())


def _hook(index: KnowledgeIndex, where: str) -> None:
    """Pause inside ``_point`` (the one registry write of a switch) and wait to be killed."""
    original = KnowledgeIndex._point

    def paused(self: KnowledgeIndex, live: str, *args: Any, **kwargs: Any) -> None:
        if where == "after":
            original(self, live, *args, **kwargs)
        print(f"PAUSED {live}", flush=True)
        time.sleep(600)

    KnowledgeIndex._point = paused  # type: ignore[method-assign]


def main(argv: list[str]) -> None:
    command, data = argv[0], Path(argv[1])
    settings = Settings(data_dir=data)
    index = _index(data)
    if command == "prepare":
        report = ingest([Path(argv[2])], index, settings, mode="replace")
        print(json.dumps({"version": report.version}), flush=True)
    elif command == "hook":
        index.live_name()
        _hook(index, argv[3])
        ingest([Path(argv[2])], index, settings, mode="replace")
        print("NOT PAUSED", flush=True)
    elif command == "flip":
        index.rollback()
        print("READY", flush=True)
        while True:
            index.rollback()
    else:
        pointer = index.pointer()
        chunks = index.chunks()
        db = sqlite3.connect(data / "index" / "chroma.sqlite3")
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        db.close()
        state = {
            "pointer": pointer,
            "count": index.count(),
            "tags": sorted({int(t) for c in chunks for t in TAG.findall(c.text)}),
            "search": [p.document for p in index.search("who leads the change", k=3)],
            "integrity": integrity,
        }
        print(json.dumps(state), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
