"""The composition root: builds every collaborator once from Settings and hands them out.

Surfaces (CLI, Slack) call ``build_services(settings)`` and pass the result around explicitly;
nothing else constructs clients or reads the environment.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from bot.common.audit import share_audit
from bot.common.errors import IngestLocked
from bot.core.answering.answer import Answerer
from bot.core.answering.retrieve import Retriever
from bot.core.diagnosis.diagnose import Diagnoser
from bot.core.respond import Responder
from bot.settings import Settings, apply_process_policy
from bot.state.audit import StoreAudit
from bot.state.store import Busy, SharedStore
from ingestion.lock import use_shared_lock
from knowledge.embeddings import Embedder, local_embedder
from knowledge.exemplars import default_exemplars
from knowledge.framework import Framework, default_framework
from knowledge.index import KnowledgeIndex, make_client
from knowledge.shipped_vectors import ShippedVectors

if TYPE_CHECKING:
    from bot.llm.client import LLMClient

logger = logging.getLogger(__name__)
INGEST_LEASE_S = 60.0


@dataclass(frozen=True)
class Services:
    """Everything a surface needs, built once per process."""

    settings: Settings
    framework: Framework
    embedder: Embedder
    index: KnowledgeIndex
    retriever: Retriever
    answerer: Answerer
    diagnoser: Diagnoser
    responder: Responder
    llm: LLMClient | None
    store: SharedStore

    def close(self) -> None:
        """Release the index's Chroma client and the shared store's connections.

        For whoever called ``build_services`` and is done with them (a surface at shutdown, a
        test). The LLM client needs nothing: LangChain shares one HTTP pool per endpoint.
        """
        self.index.close()
        self.store.close()


def make_embedder(settings: Settings) -> Embedder:
    """The configured embedder: local MiniLM by default, OpenAI when asked for.

    The local one answers the bundled notes' own texts from the vectors shipped with the
    package (``knowledge.shipped_vectors``), so a first start embeds none of them.
    """
    if settings.embeddings == "openai":
        from knowledge.openai_embeddings import OpenAIEmbedder

        return OpenAIEmbedder.from_config(settings)
    return ShippedVectors(local_embedder())


def make_llm(settings: Settings) -> LLMClient | None:
    """The chat model client when one is configured, else None (offline mode)."""
    if not settings.llm_configured:
        return None
    from bot.llm.client import LLMClient

    return LLMClient.from_config(settings)


@contextmanager
def ingest_lease(store: SharedStore, owner: str) -> Iterator[None]:
    """The cross-host ingest lock: a lease in the shared store, refused in a plain sentence."""
    try:
        with store.lease("ingest", owner, ttl_s=INGEST_LEASE_S):
            yield
    except Busy as busy:
        since = time.strftime("%H:%M UTC", time.gmtime(busy.since))
        raise IngestLocked(
            f"Another ingest is already running on {busy.holder} (since {since}). Wait for it to "
            "finish, then try again; the current guidance keeps serving meanwhile."
        ) from None


def build_services(settings: Settings) -> Services:
    """Wire index, embedder, LLM, framework and the core services together."""
    apply_process_policy(settings)  # no silent telemetry, before any LangChain object exists
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    embedder = make_embedder(settings)
    index_dir = None if settings.chroma_url else str(settings.index_dir)
    token = settings.chroma_token.get_secret_value() if settings.chroma_token else None
    client = make_client(
        index_dir,
        settings.chroma_url,
        token=token,
        tenant=settings.chroma_tenant,
        database=settings.chroma_database,
    )
    index = KnowledgeIndex(client, embedder)
    framework = default_framework()
    llm = make_llm(settings)
    retriever = Retriever(index, embedder, framework)
    diagnoser = Diagnoser(
        embedder, framework, default_exemplars(), llm=llm, cache_dir=settings.data_dir / "cache"
    )
    answerer = Answerer(
        retriever, framework, llm=llm, barrier_reader=diagnoser.with_llm(None).likeliest_barrier
    )
    responder = Responder(retriever, answerer, diagnoser)
    logger.info(
        "services built (llm=%s, chroma=%s)",
        llm is not None,
        "server" if settings.chroma_url else "embedded",
    )
    store = SharedStore(settings.state_url)
    share_audit(settings.data_dir, StoreAudit(store))  # every replica's records in admin status
    use_shared_lock(
        partial(ingest_lease, store, settings.replica) if settings.database_url else None
    )
    return Services(
        settings, framework, embedder, index, retriever, answerer, diagnoser, responder, llm, store
    )
