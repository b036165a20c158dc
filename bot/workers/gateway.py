"""``Core``: the few things a long-running surface asks of the core, whoever runs them.

Why a protocol rather than ``Services``: ``Services`` holds the models and the index, which the
Slack front must not load (it only verifies, claims, acks and posts). The front holds a ``Core``:
``LocalCore`` calls the services in this process; ``bot.workers.pool.PooledCore`` sends the same
calls to worker processes. Both raise ``ChangebotError`` with a plain ``user_message``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from pydantic import BaseModel

if TYPE_CHECKING:
    from bot.core.models import Reply, Turn
    from bot.core.respond import Mode
    from bot.services import Services
    from bot.settings import Settings
    from bot.state.store import SharedStore
    from ingestion.report import IngestReport, Progress
    from knowledge.framework import Framework
    from knowledge.index import DocumentInfo

IngestMode = Literal["add", "replace"]
Owner = Literal["bundled", "admin"]
ProgressSink = Callable[["Progress"], None]


class CoreStopped(Exception):
    """The core stopped (shutdown) before this call finished: nothing to tell the user now.

    Not a ``ChangebotError`` on purpose: the caller must not post an error. The reply's in-flight
    promise stays, and another replica (after the lease) or the next start apologises once.
    """


class IndexFigures(BaseModel):
    """The live index at a glance, for admin status and readiness."""

    version: str | None = None
    documents: int = 0
    chunks: int = 0


class Core(Protocol):
    """What the Slack layer needs from the core."""

    settings: Settings
    framework: Framework
    store: SharedStore

    def respond(self, text: str, history: list[Turn] | None = None, mode: Mode = "auto") -> Reply:
        """The reply to a message (``bot.core.respond.Responder.respond``)."""
        ...

    def documents(self) -> list[DocumentInfo]:
        """The live index's documents."""
        ...

    def figures(self) -> IndexFigures:
        """Version, document and chunk counts of the live index (raises if unreadable)."""
        ...

    def ingest(
        self,
        paths: list[Path],
        *,
        mode: IngestMode,
        owner: Owner,
        actor: str,
        progress: ProgressSink | None = None,
    ) -> IngestReport:
        """Ingest files into a new version (the single writer; raises ``IngestLocked``)."""
        ...

    def remove(self, documents: list[str], actor: str) -> IngestReport:
        """Take named admin documents out of the index."""
        ...

    def ready(self) -> bool:
        """True when the core can take work (workers up, index live)."""
        ...

    def close(self, timeout: float = 10.0) -> None:
        """Stop taking work; let running calls finish within ``timeout``."""
        ...


class LocalCore:
    """The core in this process: ``Services`` called directly."""

    def __init__(self, services: Services, *, owned: bool = False) -> None:
        self.services = services
        self._owned = owned  # built for this core (``start_core``): closed with it
        self.settings = services.settings
        self.framework = services.framework
        self.store = services.store

    def respond(self, text: str, history: list[Turn] | None = None, mode: Mode = "auto") -> Reply:
        """Call the responder in this process."""
        return self.services.responder.respond(text, history, mode=mode)

    def documents(self) -> list[DocumentInfo]:
        """The index's documents, read here."""
        return self.services.index.documents()

    def figures(self) -> IndexFigures:
        """Counts read from the index here."""
        return index_figures(self.services)

    def ingest(
        self,
        paths: list[Path],
        *,
        mode: IngestMode,
        owner: Owner,
        actor: str,
        progress: ProgressSink | None = None,
    ) -> IngestReport:
        """Run the pipeline in this process (it still parses each file in a sandboxed child)."""
        from ingestion.pipeline import ingest

        return ingest(
            paths,
            self.services.index,
            self.services.settings,
            mode=mode,
            progress=progress,
            actor=actor,
            owner=owner,
        )

    def remove(self, documents: list[str], actor: str) -> IngestReport:
        """Remove documents in this process."""
        from ingestion.pipeline import remove

        return remove(documents, self.services.index, self.services.settings, actor=actor)

    def ready(self) -> bool:
        """Ready when an index version is live."""
        try:
            return self.services.index.live_name() is not None
        except Exception:  # noqa: BLE001 - readiness reports, never raises
            return False

    def close(self, timeout: float = 10.0) -> None:
        """Calls run on the caller's threads; services built for this core are released."""
        if self._owned:
            self.services.close()


def index_figures(services: Services) -> IndexFigures:
    """Version, documents and chunks of the live index."""
    return IndexFigures(
        version=services.index.live_name(),
        documents=len(services.index.documents()),
        chunks=services.index.count(),
    )
