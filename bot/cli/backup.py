"""``changebot backup FILE`` and ``changebot restore FILE``: the data dir, safely, in one archive.

What a backup holds: the embedded index (every kept version, so rollback survives a restore),
the shared-state database (copied with SQLite's online backup, so a serving bot can keep
running), the audit log, feedback and diagnosis history. The fitted-model cache is left out:
it is rebuilt from the package. With a Chroma server or PostgreSQL, back those up with their own
tools; the archive's manifest says so.

A backup takes the ingest lock, so no ingest changes the index while it is copied. A restore
checks every member (no absolute paths, no "..", no links), unpacks beside the data dir and
only then swaps it in; the previous data dir is kept beside it, never deleted.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tarfile
import tempfile
import time
from pathlib import Path, PurePosixPath

from bot.common.errors import ChangebotError
from bot.settings import Settings
from ingestion.lock import ingest_lock

SKIPPED = {"cache", "state.db", "state.db-wal", "state.db-shm"}
MANIFEST = "changebot-backup.json"


def backup(settings: Settings, target: Path) -> dict[str, object]:
    """Write ``target`` (a .tar.gz) from the data dir; returns the manifest."""
    data = settings.data_dir
    if not data.is_dir():
        raise ChangebotError(f"There is no data dir at {data} to back up.")
    manifest: dict[str, object] = {
        "format": 1,
        "created_at": time.time(),
        "shared_state": "postgresql (not included)" if settings.database_url else "sqlite",
        "index": "chroma server (not included)" if settings.chroma_url else "embedded",
    }
    partial = target.with_name(target.name + ".partial")
    with ingest_lock(data), tempfile.TemporaryDirectory() as tmp:
        state = data / "state.db"
        if state.exists() and not settings.database_url:
            _sqlite_copy(state, Path(tmp) / "state.db")
        (Path(tmp) / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        with tarfile.open(partial, "w:gz") as archive:
            for path in sorted(data.iterdir()):
                if path.name not in SKIPPED and path.suffix != ".lock":
                    archive.add(path, arcname=path.name)
            for path in sorted(Path(tmp).iterdir()):
                archive.add(path, arcname=path.name)
    partial.replace(target)
    return manifest


def _sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (WAL included)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = archive.getmembers()
    names = {m.name for m in members}
    if MANIFEST not in names:
        raise ChangebotError("That file is not a changebot backup (no manifest); nothing changed.")
    for member in members:
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise ChangebotError(
                "That backup contains an unsafe entry (an absolute path, '..' or a link); "
                "nothing changed."
            )
    return members


def restore(settings: Settings, source: Path, force: bool = False) -> Path | None:
    """Unpack ``source`` into the data dir; returns where the previous data dir was kept."""
    data = settings.data_dir.resolve()
    if not source.is_file():
        raise ChangebotError(f"No backup file at {source}.")
    occupied = data.is_dir() and any(p.name != "cache" for p in data.iterdir())
    if occupied and not force:
        raise ChangebotError(
            f"{data} already holds an index. Stop changebot and add --force to replace it "
            "(the current data dir is kept beside it)."
        )
    data.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=data.parent))
    try:
        with tarfile.open(source, "r:gz") as archive:
            archive.extractall(staging, members=_safe_members(archive), filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ChangebotError("That backup file is damaged; nothing changed.") from exc
    except ChangebotError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    (staging / MANIFEST).unlink(missing_ok=True)
    kept = None
    if data.exists():
        kept = data.with_name(f"{data.name}.before-restore-{int(time.time())}")
        data.rename(kept)
    staging.rename(data)
    return kept
