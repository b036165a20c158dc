"""Everything the Slack listeners share, built once per app next to the ``Core``.

Why a second bundle: the ``Core`` answers (here or in worker processes); this holds the Slack
state that must be common to every listener for the guarantees to hold: one dedupe set (exactly
one reply), one worker pool (ack first, bounded queue) plus an urgent lane, one poster (no
unfurls, per-channel pace),
one rate limiter, one ingest runner, one plan store (tests of change) and the clock that decides
when a plan is due (tests move it forward instead of sleeping). Listeners get it explicitly
through ``register``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.settings import Settings
from bot.slack.delivery.dedupe import Deduper
from bot.slack.delivery.journal import InFlightJournal
from bot.slack.delivery.poster import Poster
from bot.slack.delivery.ratelimit import RateLimiter
from bot.slack.delivery.worker import AckGate, Worker, urgent_worker
from bot.slack.flows.connect_policy import SharedChannelPolicy
from bot.slack.flows.ingest import IngestRunner
from bot.slack.flows.ttl_stores import SharedCards, ThreadTracker, TTLCache, upload_store
from bot.state.history import DiagnosisHistory
from bot.state.plans import PlanStore
from bot.workers.gateway import Core


@dataclass(frozen=True)
class BotIdentity:
    """Who changebot is in this workspace (from ``auth.test``)."""

    user_id: str
    bot_id: str
    team_id: str


@dataclass
class SlackRuntime:
    """Shared Slack-side state and helpers.

    ``settings`` is the Slack-facing configuration (API URL, admins, caps, where audit, feedback
    and history go); in production it is ``core.settings``. Ingests always use the index's own
    settings through ``core``.
    """

    settings: Settings
    core: Core
    identity: BotIdentity
    poster: Poster
    channels: SharedChannelPolicy
    ingests: IngestRunner
    worker: Worker = field(default_factory=Worker)
    urgent: Worker = field(default_factory=urgent_worker)
    threads: ThreadTracker = field(default_factory=ThreadTracker)
    uploads: TTLCache[list[str]] = field(default_factory=upload_store)
    dedupe: Deduper = field(init=False)
    cards: SharedCards = field(init=False)
    limiter: RateLimiter = field(init=False)
    history: DiagnosisHistory = field(init=False)
    journal: InFlightJournal = field(init=False)
    stopping: threading.Event = field(default_factory=threading.Event)
    # the sweepers (lost replies, reminders): joined at shutdown, so none is mid-query when the
    # store is closed after it
    sweepers: list[threading.Thread] = field(default_factory=list)
    acks: AckGate = field(default_factory=AckGate)
    plans: PlanStore = field(init=False)
    clock: Callable[[], float] = field(default_factory=lambda: time.time)

    def __post_init__(self) -> None:
        store = self.core.store
        self.worker.gate = self.acks  # reply work waits (briefly) while requests are being acked
        self.dedupe = Deduper(store=store)
        self.cards = SharedCards(store)
        self.limiter = RateLimiter(self.settings.user_rate_per_minute, store=store)
        self.history = DiagnosisHistory(
            self.settings.data_dir, self.settings.retention_days, store=store
        )
        self.journal = InFlightJournal(
            store, self.settings.replica, lease_s=self.settings.inflight_lease_s
        )
        self.plans = PlanStore(store)

    def shutdown(self, timeout: float = 10.0) -> None:
        """Finish in-flight replies within ``timeout`` in all, then stop threads and the core.

        A reply still running at the deadline keeps its journal entry: another replica (after the
        lease) or this one's next start apologises for it once.
        """
        deadline = time.monotonic() + timeout
        self.stopping.set()
        for sweeper in self.sweepers:
            sweeper.join(max(0.0, deadline - time.monotonic()))
        self.worker.shutdown(max(0.0, deadline - time.monotonic()))
        self.urgent.shutdown(max(0.0, deadline - time.monotonic()))
        self.ingests.shutdown()
        self.poster.close(max(0.0, deadline - time.monotonic()))
        self.core.close(max(0.0, deadline - time.monotonic()))
