"""Replies promised but not yet sent, kept in the shared store so one apology follows a lost one.

Once changebot has acked a message, Slack will not redeliver it. If the process is killed before
the reply is posted (a crash, an OOM kill, a redeploy that runs out of patience), the person
would wait forever. So each accepted job leaves a promise in the shared store from the ack until
the reply is delivered, owned by this replica under a lease.

- On start, a replica takes back its own previous incarnation's promises (one process owns a data
  dir, so they are certainly lost) and any whose lease expired, and apologises once for each.
- While serving, it sweeps now and then for promises whose lease expired: another replica died
  holding them.
- Each promise is deleted by exactly one taker *before* the apology is sent, so a second crash
  can lose an apology but never send two, and two replicas never both apologise.

Policy: promises older than ``max_age_s`` (30 minutes by default) are dropped without an apology,
because an apology hours later is noise. Only ids are stored (channel, thread, user, time), never
the message text: nothing here can carry patient data.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.state.store import SharedStore

logger = logging.getLogger(__name__)
MAX_AGE_S = 1800.0
LEASE_S = 120.0
APOLOGY = "Sorry, changebot restarted before it could reply to your last message. Please ask again."


class Pending(BaseModel):
    """Where the promised reply would have gone; ids only."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["thread", "private"]
    channel: str
    user: str
    thread_ts: str | None = None
    at: float = 0.0


class InFlightJournal:
    """Promises in the shared store, owned by ``owner`` (this replica) under a lease."""

    def __init__(
        self,
        store: SharedStore,
        owner: str,
        lease_s: float = LEASE_S,
        max_age_s: float = MAX_AGE_S,
    ) -> None:
        self.store = store
        self.owner = owner
        self.lease_s = lease_s
        self.max_age_s = max_age_s

    def open(self, pending: Pending) -> str:
        """Record a promise; returns its id. Never raises: a store outage must not block the ack."""
        stamped = pending.model_copy(update={"at": time.time()})
        try:
            return self.store.promise(stamped.model_dump_json(), self.owner, self.lease_s)
        except Exception as exc:  # noqa: BLE001 - the ack matters more than the promise
            logger.warning("in-flight promise not written (%s)", type(exc).__name__)
            return ""

    def close(self, entry_id: str) -> None:
        """The reply was delivered (or the job ended with a message of its own)."""
        if not entry_id:
            return
        try:
            self.store.fulfil(entry_id)
        except Exception as exc:  # noqa: BLE001 - the lease will expire and apologise instead
            logger.warning("in-flight promise not closed (%s)", type(exc).__name__)

    def tracked(
        self, pending: Pending, job: Callable[[], bool | None]
    ) -> tuple[str, Callable[[], None]]:
        """Open an entry now and return (id, job that closes it unless the reply was not sent).

        ``job`` returns False when its reply could not be delivered (Slack kept failing, or asked
        to wait longer than the budget): the promise then stays, and when its lease runs out one
        apology is sent instead of silence. True (delivered) or None (nothing was owed after all)
        close it; so does an exception, which the worker logs.
        """
        entry_id = self.open(pending)

        def run() -> None:
            delivered: bool | None = None
            try:
                delivered = job()
            finally:
                if delivered is False:
                    logger.warning("reply not delivered; its promise is left for one apology")
                else:
                    self.close(entry_id)

        return entry_id, run

    def recover(self) -> list[Pending]:
        """On start: this replica's own earlier promises and every expired lease, taken once."""
        return self._take(own_too=True)

    def sweep(self) -> list[Pending]:
        """While serving: promises whose lease expired (their replica died), taken once."""
        return self._take(own_too=False)

    def _take(self, own_too: bool) -> list[Pending]:
        try:
            taken = self.store.take_lost(self.owner, own_too=own_too)
        except Exception as exc:  # noqa: BLE001 - try again at the next sweep
            logger.warning("in-flight promises not read (%s)", type(exc).__name__)
            return []
        recent: list[Pending] = []
        now = time.time()
        for created_at, payload in taken:
            try:
                pending = Pending.model_validate_json(payload)
            except ValidationError:
                logger.warning("unreadable in-flight entry dropped")
                continue
            if now - (pending.at or created_at) <= self.max_age_s:
                recent.append(pending)
        if recent:
            logger.info("%d replies were lost; apologising", len(recent))
        return recent
