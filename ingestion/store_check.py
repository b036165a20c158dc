"""Is the embedded index store whole? Asked in a child process, because the answer can be a crash.

A damaged store fails in three ways: its database file (``chroma.sqlite3``) is truncated or not a
database, so Chroma cannot open it; the registry pointer names a version that is not there; or a
version's vector files (``data_level0.bin``, ``link_lists.bin``, ...) are damaged, which Chroma's
native reader may answer with wrong neighbours, an error, or a segmentation fault (chroma#7238).
The bot must not find that out by crashing on the first question, so at start-up a child opens
the store, follows the pointer and asks the live version to find a few of its own chunks; the
parent reads the child's verdict, or its death by signal, and decides whether to serve.

Run as ``python -m ingestion.store_check INDEX_DIR [NAMESPACE]``: prints one JSON line.
"""

from __future__ import annotations

import json
import logging
import random
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from ingestion.sandbox import child_environment
from knowledge.index import STORE_FILE, restore_advice, store_file_problem

logger = logging.getLogger(__name__)
Part = Literal["database", "pointer", "vectors"]
SAMPLE = 64  # stored chunks that must find themselves: a damaged graph or vector file shows up
PROBE_K = 5
CHECK_TIMEOUT_S = 120.0


class StoreProblem(BaseModel):
    """What is damaged (``part``), in plain words (``detail``), and how an admin recovers."""

    part: Part
    detail: str
    index_dir: Path
    previous: str = ""

    def admin_message(self) -> str:
        """The sentence for the log and the terminal: what is damaged and what to do."""
        where = {
            "database": "its database file",
            "pointer": "its live-version pointer",
            "vectors": "the vector files of the live version",
        }[self.part]
        lead = (
            f"The guidance index in {self.index_dir} is damaged ({where}: {self.detail}). "
            "changebot is running without it: questions get a 'guidance unavailable' notice "
            "until it is recovered."
        )
        rollback = (
            f" The previous version {self.previous} is still kept: `changebot ingest --rollback` "
            "serves it again."
            if self.part == "pointer" and self.previous
            else ""
        )
        return f"{lead}{rollback} {restore_advice(self.index_dir)}"


def check_store(
    index_dir: Path, namespace: str = "changebot", timeout_s: float = CHECK_TIMEOUT_S
) -> StoreProblem | None:
    """None when the store at ``index_dir`` is absent or whole; else what is damaged.

    The deep check runs in a child (no secrets in its environment); a child killed by a signal,
    or one that does not answer within ``timeout_s``, means the vector files cannot be read safely.
    """
    problem = store_file_problem(index_dir)
    if problem is not None:
        return StoreProblem(part="database", detail=problem, index_dir=index_dir)
    if not (index_dir / STORE_FILE).exists() or not _ever_published(index_dir, namespace):
        return None
    command = [sys.executable, "-m", "ingestion.store_check", str(index_dir), namespace]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
            cwd=str(Path(__file__).resolve().parent.parent),
            env=child_environment(),
        )
    except subprocess.TimeoutExpired:
        detail = f"reading them did not finish within {timeout_s:g} s"
        return StoreProblem(part="vectors", detail=detail, index_dir=index_dir)
    if done.returncode < 0:
        name = signal.Signals(-done.returncode).name
        detail = f"reading them crashed the reader ({name})"
        return StoreProblem(part="vectors", detail=detail, index_dir=index_dir)
    try:
        verdict: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        logger.warning("store check gave no verdict (exit %d)", done.returncode)
        detail = f"the check could not read them (exit {done.returncode})"
        return StoreProblem(part="vectors", detail=detail, index_dir=index_dir)
    if verdict.get("ok"):
        return None
    return StoreProblem(
        part=verdict.get("part", "vectors"),
        detail=str(verdict.get("detail", "unreadable")),
        index_dir=index_dir,
        previous=str(verdict.get("previous", "")),
    )


def _ever_published(index_dir: Path, namespace: str) -> bool:
    """Does the store hold our registry? A fresh store has no versions, so no vectors to check.

    Read straight from the database file (read-only SQLite cannot crash the reader the way
    damaged vector files can), so a first start does not spend a second on a child process. If
    the table cannot be read, the child's full check decides.
    """
    uri = f"file:{index_dir / STORE_FILE}?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as db:
            found = db.execute(
                "SELECT 1 FROM collections WHERE name = ?", (f"{namespace}-registry",)
            ).fetchone()
    except sqlite3.Error:
        return True
    return found is not None


# -- child side -------------------------------------------------------------------------------
def _quick_check(index_dir: Path) -> str | None:
    uri = f"file:{index_dir / STORE_FILE}?mode=ro"
    try:
        with sqlite3.connect(uri, uri=True) as db:
            result = db.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        return f"{STORE_FILE} cannot be read ({exc})"
    return None if result == "ok" else f"{STORE_FILE} fails its integrity check ({result})"


def probe(index_dir: Path, namespace: str = "changebot") -> dict[str, Any]:
    """The child's verdict: ``{"ok": true}`` or the damaged part and a plain detail."""
    problem = store_file_problem(index_dir) or _quick_check(index_dir)
    if problem is not None:
        return {"ok": False, "part": "database", "detail": problem}
    from knowledge.index import make_client

    client = make_client(str(index_dir), None)
    if hasattr(client, "problem"):  # an UnavailableStore: Chroma would not open it
        return {"ok": False, "part": "database", "detail": client.problem}
    names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
    registry = f"{namespace}-registry"
    if registry not in names:
        return {"ok": True}  # nothing was ever published here
    pointer = client.get_collection(registry, embedding_function=None).metadata or {}
    live, previous = str(pointer.get("live") or ""), str(pointer.get("previous") or "")
    if not live:
        return {"ok": True}
    if live not in names:
        detail = f"it names version {live}, which is not in the store"
        kept = previous if previous in names else ""
        return {"ok": False, "part": "pointer", "detail": detail, "previous": kept}
    collection = client.get_collection(live, embedding_function=None)
    count = int(collection.count())
    ids = list(collection.get(include=[])["ids"])
    if len(ids) != count:
        return {"ok": False, "part": "vectors", "detail": f"{len(ids)} of {count} chunks listed"}
    if not ids:
        return {"ok": True}  # an empty version has no vectors to damage
    sample = random.Random(live).sample(ids, min(SAMPLE, len(ids)))
    got = collection.get(ids=sample, include=["embeddings"])
    for chunk_id, vector in zip(got["ids"], got["embeddings"], strict=True):
        found = collection.query(
            query_embeddings=[list(map(float, vector))],
            n_results=min(PROBE_K, count),
            include=[],
        )["ids"][0]
        if chunk_id not in found or len(found) != min(PROBE_K, count):
            detail = (
                "stored chunks no longer find themselves (the nearest-neighbour graph is wrong)"
            )
            return {"ok": False, "part": "vectors", "detail": detail}
    return {"ok": True}


def main() -> None:
    """Child entry point: one JSON verdict line on stdout, whatever goes wrong short of a crash."""
    index_dir = Path(sys.argv[1])
    namespace = sys.argv[2] if len(sys.argv) > 2 else "changebot"
    try:
        verdict = probe(index_dir, namespace)
    except Exception as exc:  # noqa: BLE001 - any failure to read is the verdict
        said = " ".join(str(exc).split())[:160]
        verdict = {
            "ok": False,
            "part": "vectors",
            "detail": f"reading failed ({type(exc).__name__}: {said})",
        }
    print(json.dumps(verdict), flush=True)  # noqa: T201 - the reply channel to the parent


if __name__ == "__main__":
    main()
