"""Per-user rate limit: a sliding one-minute window, answered with a polite "busy" reply.

Why: every question costs embedding, retrieval and possibly model time (denial of wallet, LD4);
one person pasting thirty questions a minute should not slow everyone else down.

With a shared store the window is kept there (``bot/state/rates.py``), so the limit is per user
across every replica instead of multiplying with their number; without one (a single process,
tests), or while the store cannot be reached, in memory.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable

from bot.state.rates import WINDOW_S, admit, prune_hits
from bot.state.store import SharedStore

logger = logging.getLogger(__name__)

SWEEP_EVERY_S = 300.0  # how often a replica also drops every idle key's old rows from the store
BUSY_MESSAGE = (
    "You're sending messages faster than I can give each one proper thought. "
    "Please wait a minute and try again."
)
QUEUE_FULL_MESSAGE = (
    "I'm busy answering other people right now. Please try again in a minute; nothing was lost "
    "on your side."
)


class RateLimiter:
    """At most ``per_minute`` requests per key in any sliding 60-second window.

    ``clock`` times the in-memory window; with a ``store`` the store's (wall) clock is used, as
    every replica must read the same time.
    """

    def __init__(
        self,
        per_minute: int,
        clock: Callable[[], float] = time.monotonic,
        store: SharedStore | None = None,
    ) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self.store = store
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._swept = float("-inf")

    def allow(self, key: str) -> bool:
        """Record a request for ``key``; False when the key is over its limit (not recorded)."""
        if self.store is not None:
            try:
                allowed = admit(self.store, key, self.per_minute, WINDOW_S)
            except Exception as exc:  # noqa: BLE001 - a store outage must not stop replies
                logger.warning(
                    "shared rate limit unavailable (%s); limiting locally", type(exc).__name__
                )
            else:
                self._sweep()
                return allowed
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and now - hits[0] >= WINDOW_S:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return False
            hits.append(now)
            if len(self._hits) > 10_000:
                self._forget_idle(now)
            return True

    def _sweep(self) -> None:
        assert self.store is not None
        now = self.store.clock()
        if now - self._swept < SWEEP_EVERY_S:
            return
        self._swept = now
        try:
            prune_hits(self.store, WINDOW_S, now)
        except Exception as exc:  # noqa: BLE001 - the next sweep (or the retention job) retries
            logger.warning("rate limit sweep failed (%s)", type(exc).__name__)

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or now - v[-1] >= WINDOW_S]:
            del self._hits[key]
