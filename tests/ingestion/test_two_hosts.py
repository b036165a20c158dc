"""Two hosts sharing one Chroma server and one PostgreSQL store: ingests take turns.

Host B's ingest while host A holds the shared lease is refused with a plain sentence naming A;
the live version is never a deleted or half-built one; once A is done, B's ingest runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.common.errors import IngestLocked
from bot.services import ingest_lease
from bot.settings import Settings
from bot.state.store import SharedStore
from ingestion.lock import use_shared_lock
from ingestion.pipeline import ingest
from knowledge.index import KnowledgeIndex, make_client
from tests.ingestion.samples import write_note
from tests.servers.postgres import postgres as postgres  # noqa: F401 - shared fixture

pytestmark = pytest.mark.server


@pytest.fixture
def shared(postgres: Any) -> Iterator[SharedStore]:
    store = SharedStore(postgres.url())
    yield store
    use_shared_lock(None)
    store.close()


def test_a_second_hosts_ingest_is_told_who_holds_the_lock(
    shared: SharedStore, chroma_server: str, embedder: Any, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    write_note(docs, "a.md", "recognition")
    host_b = Settings(data_dir=tmp_path / "b")
    index_b = KnowledgeIndex(make_client(None, chroma_server), embedder)
    use_shared_lock(lambda: ingest_lease(shared, "host-b"))
    with shared.lease("ingest", "host-a:/srv/changebot", ttl_s=60):  # host A is ingesting
        with pytest.raises(IngestLocked) as refused:
            ingest([docs], index_b, host_b)
        assert "host-a:/srv/changebot" in refused.value.user_message
        assert index_b.live_name() is None  # nothing half-built went live
    report = ingest([docs], index_b, host_b)  # A finished: B's turn
    assert report.ok and index_b.count() > 0
