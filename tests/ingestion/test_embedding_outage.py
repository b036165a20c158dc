"""I17: the embeddings API starts failing at batch k of a re-ingest (429, then 500s).

A real OpenAI-compatible server on loopback (``tests/servers/openai_server.py``) answers the
first batches, then rate-limits and errors. The real ``OpenAIEmbedder`` (built from settings as
the bot builds it) retries a bounded number of times with the server's Retry-After and then
backoff; the run aborts, the live version keeps answering the same ids, the pointer does not
move and the staged version is deleted.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.common.audit import read_audit
from bot.common.errors import ChangebotError
from bot.services import make_embedder
from bot.settings import Settings
from ingestion.pipeline import ingest
from knowledge.index import KnowledgeIndex, make_client
from tests.ingestion.samples import write_note
from tests.servers.openai_server import OpenAIServer

PROBES = ["recognition of the need", "motivation and energy", "headspace for change"]


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    server = OpenAIServer(embedding_dim=16, retry_after="1").start()
    arrivals: list[tuple[float, str]] = []
    record = server.record

    def timed(path: str, body: Any, headers: dict[str, str]) -> None:
        arrivals.append((time.monotonic(), path))
        record(path, body, headers)

    server.record = timed  # type: ignore[method-assign]
    server.arrivals = arrivals  # type: ignore[attr-defined]
    try:
        yield server
    finally:
        server.stop()


def _collections(index: KnowledgeIndex) -> list[str]:
    names = [c if isinstance(c, str) else c.name for c in index._client.list_collections()]
    return sorted(n for n in names if n.startswith("changebot-v"))


def test_429_then_500_from_batch_k_retries_boundedly_then_aborts_keeping_live(
    tmp_path: Path, server: OpenAIServer
) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        embeddings="openai",
        openai_base_url=server.url,
        openai_embedding_model="stub-embedding",
        llm_timeout_s=5,
    )
    index = KnowledgeIndex(make_client(str(settings.index_dir), None), make_embedder(settings))
    docs = tmp_path / "docs"
    docs.mkdir()
    write_note(docs, "a.md", "recognition", 2)
    first = ingest([docs], index, settings)
    assert first.outcome == "switched"
    pointer = index.pointer()
    before = [[p.chunk_id for p in index.search(q, k=2)] for q in PROBES]

    # the re-ingest embeds three new documents, one batch each; batch 3 gets 429 then 500s
    for name, topic in (("b.md", "motivation"), ("c.md", "capability"), ("d.md", "headspace")):
        write_note(docs, name, topic, 2)
    server.arrivals.clear()  # type: ignore[attr-defined]
    server.script = ["ok", "ok", "429"]
    server.mode = "500"
    started = time.monotonic()
    with pytest.raises(ChangebotError) as info:
        ingest([docs], index, settings, mode="replace")
    took = time.monotonic() - started

    arrivals = server.arrivals  # type: ignore[attr-defined]
    assert [path for _, path in arrivals] == ["/v1/embeddings"] * 5  # 2 ok, then 1 + 2 retries
    gaps = [b - a for (a, _), (b, _) in zip(arrivals[2:], arrivals[3:], strict=False)]
    assert gaps[0] >= 0.95, "the 429's Retry-After (1 s) was not honoured"
    assert all(0.3 <= gap <= 9 for gap in gaps[1:]), f"backoff out of bounds: {gaps}"
    assert took < 20
    assert "embedding service did not respond" in info.value.user_message
    assert "Traceback" not in info.value.user_message

    server.script, server.mode = [], "ok"  # the service is back: the same answers as before
    assert index.pointer() == pointer
    assert index.live_name() == first.version
    assert _collections(index) == [first.version]  # the staged version was deleted
    assert [[p.chunk_id for p in index.search(q, k=2)] for q in PROBES] == before
    assert {d.document for d in index.documents()} == {"a.md"}
    last = read_audit(settings.data_dir)[-1]
    assert last["action"] == "ingest" and last["outcome"] == "error"
    assert last["error"] == "KnowledgeError"

    # once the service answers again, the same run succeeds
    again = ingest([docs], index, settings, mode="replace")
    assert again.outcome == "switched"
    assert {d.document for d in index.documents()} == {"a.md", "b.md", "c.md", "d.md"}
