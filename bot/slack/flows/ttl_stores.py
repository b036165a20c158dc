"""Short-lived, in-memory state the Slack layer needs between requests (never written to disk).

* ``TTLCache`` — bounded and expiring; the base of everything below.
* recent diagnosis cards (so "Share", "More actions" and "Why this barrier?" can re-render a card
  whose ephemeral message Slack does not send back), kept one hour;
* threads changebot has replied in (follow-ups need no new mention), with a negative cache so a
  busy channel costs at most one ``conversations.replies`` per thread every few minutes;
* files an admin uploaded in a DM and has not yet asked to ingest.

Why memory only: cards hold the user's own words as evidence quotes, and nothing here is worth
keeping across a restart; a restart just means a follow-up needs a fresh mention.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.core.models import Diagnosis
from bot.state.store import SharedStore

V = TypeVar("V")


class TTLCache(Generic[V]):
    """A thread-safe mapping whose entries expire after ``ttl_s`` and which keeps ``max_items``."""

    def __init__(
        self, ttl_s: float, max_items: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl_s = ttl_s
        self.max_items = max_items
        self.clock = clock
        self._items: OrderedDict[str, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, key: str, value: V) -> None:
        """Store (or refresh) ``key``."""
        with self._lock:
            self._items.pop(key, None)
            self._items[key] = (self.clock(), value)
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)

    def get(self, key: str) -> V | None:
        """The value, or None when absent or expired."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if self.clock() - item[0] >= self.ttl_s:
                del self._items[key]
                return None
            return item[1]

    def pop(self, key: str) -> V | None:
        """Remove and return ``key``'s value (None when absent or expired)."""
        value = self.get(key)
        with self._lock:
            self._items.pop(key, None)
        return value


@dataclass(frozen=True)
class StoredCard:
    """A diagnosis card that may be shared or expanded later."""

    diagnosis: Diagnosis
    owner: str
    channel: str
    ratings: tuple[tuple[str, int], ...] = ()


class ThreadTracker:
    """Which threads are changebot's: known yes, known no (for a while), or unknown."""

    def __init__(self, negative_ttl_s: float = 300.0) -> None:
        self._ours: TTLCache[bool] = TTLCache(ttl_s=7 * 86_400.0, max_items=20_000)
        self._not_ours: TTLCache[bool] = TTLCache(ttl_s=negative_ttl_s, max_items=20_000)

    @staticmethod
    def _key(channel: str, thread_ts: str) -> str:
        return f"{channel}:{thread_ts}"

    def mark(self, channel: str, thread_ts: str) -> None:
        """Record that changebot replied in this thread."""
        self._not_ours.pop(self._key(channel, thread_ts))
        self._ours.put(self._key(channel, thread_ts), True)

    def mark_not_ours(self, channel: str, thread_ts: str) -> None:
        """Record that changebot has not replied here (checked just now)."""
        self._not_ours.put(self._key(channel, thread_ts), True)

    def state(self, channel: str, thread_ts: str) -> bool | None:
        """True (ours), False (recently checked: not ours) or None (unknown)."""
        if self._ours.get(self._key(channel, thread_ts)):
            return True
        if self._not_ours.get(self._key(channel, thread_ts)):
            return False
        return None


def card_store() -> TTLCache[StoredCard]:
    """Recent diagnosis cards, one hour, at most 1,000."""
    return TTLCache(ttl_s=3_600.0, max_items=1_000)


def upload_store() -> TTLCache[list[str]]:
    """File ids an admin uploaded and has not ingested yet, one hour."""
    return TTLCache(ttl_s=3_600.0, max_items=200)


class SharedCards:
    """Diagnosis cards in the shared store, so "Share" works whichever replica gets the click.

    A card holds the rendered diagnosis (labels and the short quotes it showed, which passed the
    patient-data screen), who made it and where; it is deleted after ``ttl_s`` (one hour).
    """

    def __init__(self, store: SharedStore, ttl_s: float = 3_600.0) -> None:
        self.store = store
        self.ttl_s = ttl_s

    def put(self, card_id: str, card: StoredCard) -> None:
        """Keep a card for later clicks."""
        payload = {
            "diagnosis": card.diagnosis.model_dump(mode="json"),
            "owner": card.owner,
            "channel": card.channel,
            "ratings": [list(pair) for pair in card.ratings],
        }
        self.store.put_card(card_id, json.dumps(payload), self.ttl_s)

    def get(self, card_id: str) -> StoredCard | None:
        """The card, or None when unknown or expired."""
        raw = self.store.get_card(card_id)
        if raw is None:
            return None
        data = json.loads(raw)
        return StoredCard(
            diagnosis=Diagnosis.model_validate(data["diagnosis"]),
            owner=str(data["owner"]),
            channel=str(data["channel"]),
            ratings=tuple((str(k), int(v)) for k, v in data["ratings"]),
        )
