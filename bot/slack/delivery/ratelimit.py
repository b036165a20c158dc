"""Per-user rate limit: a sliding one-minute window, answered with a polite "busy" reply.

Why: every question costs embedding, retrieval and possibly model time (denial of wallet, LD4);
one person pasting thirty questions a minute should not slow everyone else down.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW_S = 60.0
BUSY_MESSAGE = (
    "You're sending messages faster than I can give each one proper thought. "
    "Please wait a minute and try again."
)
QUEUE_FULL_MESSAGE = (
    "I'm busy answering other people right now. Please try again in a minute; nothing was lost "
    "on your side."
)


class RateLimiter:
    """At most ``per_minute`` requests per key in any sliding 60-second window."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Record a request for ``key``; False when the key is over its limit (not recorded)."""
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

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or now - v[-1] >= WINDOW_S]:
            del self._hits[key]
