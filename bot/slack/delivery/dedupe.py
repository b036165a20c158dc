"""Exactly-one-reply: claim each event id and each ``(channel, ts)`` once, atomically.

Why two keys: Slack retries an event (same ``event_id``, ``X-Slack-Retry-Num`` 1..3) when the ack
was slow or lost, and a message that mentions changebot arrives twice (``app_mention`` and
``message``, different event ids, same channel and ts). The first delivery to *claim* a key does
the work; later ones are acknowledged and dropped. A retry whose original never arrived still
claims its key, so it is answered once (never drop a retry just because it is a retry).

Claims live for ``ttl_s`` (Slack stops retrying after about an hour). ``claim`` runs on the
ack path and is answered from this process's memory (bounded in number), so a burst of events is
acked in milliseconds. ``claim_everywhere`` is called by the worker before it does the work: with
a shared store (SQLite in the data dir, or PostgreSQL between hosts) every replica sees it, so a
retry or second delivery that reached another replica is still answered once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from bot.state.store import SharedStore

logger = logging.getLogger(__name__)

DEFAULT_TTL_S = 3_600.0
DEFAULT_MAX_KEYS = 50_000


class Deduper:
    """A thread-safe set of recently claimed keys with expiry."""

    def __init__(
        self,
        ttl_s: float = DEFAULT_TTL_S,
        max_keys: int = DEFAULT_MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
        store: SharedStore | None = None,
    ) -> None:
        self.store = store
        self.ttl_s = ttl_s
        self.max_keys = max_keys
        self.clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def claim(self, key: str) -> bool:
        """True for the first caller in this process with ``key`` within the TTL, else False."""
        now = self.clock()
        with self._lock:
            self._expire(now)
            if key in self._seen:
                return False
            self._seen[key] = now
            if len(self._seen) > self.max_keys:
                self._seen.popitem(last=False)
            return True

    def claim_everywhere(self, key: str) -> bool:
        """True for the first replica to claim ``key`` in the shared store (True without one)."""
        if self.store is None:
            return True
        try:
            return self.store.claim(key, self.ttl_s)
        except Exception as exc:  # noqa: BLE001 - a store outage must not drop messages
            logger.warning("shared claim failed (%s); answering anyway", type(exc).__name__)
            return True

    def __len__(self) -> int:
        return len(self._seen)

    def _expire(self, now: float) -> None:
        while self._seen:
            key, at = next(iter(self._seen.items()))
            if now - at < self.ttl_s:
                return
            del self._seen[key]


def event_key(body: dict[str, Any]) -> str | None:
    """The Events API delivery id, if this is an event callback."""
    if body.get("type") != "event_callback":
        return None
    event_id = body.get("event_id")
    return f"event:{event_id}" if isinstance(event_id, str) and event_id else None


def message_key(channel: str, ts: str) -> str:
    """The key shared by ``app_mention`` and ``message`` for the same posted message."""
    return f"message:{channel}:{ts}"
