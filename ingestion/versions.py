"""Version-level operations around a switch: the validation gate and rollback.

The gate is the last line of defence before readers see a new version: if the staged collection
lost rows or cannot find its own chunks, the live pointer is not moved.
"""

from __future__ import annotations

import getpass
import random
from typing import Any

from bot.common.audit import write_audit
from bot.common.errors import IngestionError
from ingestion.limits import IngestLimits
from ingestion.lock import ingest_lock
from knowledge.index import KnowledgeIndex

PROBES = 3
PROBE_K = 5


def current_actor() -> str:
    """Who runs this CLI process, for the audit log (no Slack identity here)."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


TIE_DISTANCE = 1e-5  # the top results are the probe's own vector again: identical chunks


def validate_version(index: KnowledgeIndex, name: str, expected: int) -> None:
    """The gate before a switch: the row count matches, and sample chunks retrieve themselves.

    Probes use the stored vectors of randomly chosen chunks (seeded by the version name, so a
    failure can be reproduced) and require each chunk in its own top 5.
    """
    count = index.version_count(name)
    if count != expected:
        raise IngestionError(
            f"The new index failed its check ({count} of {expected} chunks stored). "
            "The previous guidance is still serving."
        )
    # KnowledgeIndex searches only the live version; the staged one is reached directly.
    collection: Any = index._collection(name)
    ids = list(collection.get(include=[])["ids"])
    sample = random.Random(name).sample(ids, min(PROBES, len(ids)))
    for chunk_id, vector in index.vectors_for(name, sample).items():
        found = collection.query(
            query_embeddings=[vector], n_results=min(PROBE_K, count), include=["distances"]
        )
        if chunk_id not in found["ids"][0] and not _tied(found["distances"][0]):
            raise IngestionError(
                "The new index failed its retrieval check. The previous guidance is still serving."
            )


def _tied(distances: list[float]) -> bool:
    """Whether the probe's top results are all exact twins of it (a tie, not a fault).

    Identical chunks (the same "Document control" section in several policies) have identical
    vectors: five twins can fill a probe's top 5 without the probe itself.
    """
    return bool(distances) and max(distances) <= TIE_DISTANCE


def rollback(
    index: KnowledgeIndex, settings: IngestLimits, actor: str | None = None, to: str | None = None
) -> str:
    """Point readers back at the previous (or the named kept) version, under the writer lock."""
    with ingest_lock(settings.data_dir):
        name = index.rollback(to)
        write_audit(
            settings.data_dir,
            actor=actor or current_actor(),
            action="rollback",
            outcome="switched",
            version=name,
        )
        return name
