"""Every message changebot sends goes through here: no unfurls, fallback text, bounded retries.

Why one place: posting rules are easy to forget in a handler. Here every post has
``unfurl_links=False, unfurl_media=False``; posts to one channel start at least a second apart
(Slack's per-channel limit); ``response_url`` is used only on Slack hosts and falls back to
``chat.postEphemeral`` and then a DM (expired or over-used URLs, T12); failures are logged as
method + error code, never with text.

Three rules keep every answer delivered at most once and never silently dropped:

- **No blind re-posts.** Nothing that creates a message (``chat.postMessage``,
  ``chat.postEphemeral``, ``response_url``) is retried on a connection error or a 5xx by a client
  retry handler: Slack may have stored the message before the reply was lost (T11). A
  ``chat.postMessage`` whose outcome is unknown is *checked* first (the landed-check below) and
  re-posted at most once, only when Slack certainly does not have it; when the check itself
  cannot be made, it is not re-posted. DMs are posts like any other: ``conversations.open`` gives
  the DM channel, so the same check covers them, and the apologies that go there.
- **The landed-check reads the newest messages.** It asks only for messages since the first
  attempt (less ``LANDED_LOOKBACK_S`` for clock skew) and pages to the end, so a long thread
  whose newest message is ours is read where our message is, not from its first 50.
- **A 429 gives the channel's turn back.** Posts to one channel take turns (a per-channel lock,
  held for one attempt and the pause before it, so attempts end at least ``CHANNEL_GAP_S``
  apart). A post that Slack rate limits waits out its ``Retry-After`` (capped, bounded:
  ``retry.py``) *after* giving its turn back, and so does the landed-check: other posts to that
  channel go ahead meanwhile, and posts to other channels never wait for it at all.

Callers learn whether a reply was delivered (a ts, True, or None/False), so the in-flight journal
keeps the promise of an undelivered one for its single apology (``journal.py``).
"""

from __future__ import annotations

import copy
import heapq
import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.webhook import WebhookClient

from bot.slack.delivery.retry import MAX_RATE_RETRIES, MAX_WAIT_S, jitter, retry_after_header
from bot.slack.flows.file_hosts import is_response_url
from bot.slack.render.blocks import Rendered

logger = logging.getLogger(__name__)
NO_UNFURL: dict[str, Any] = {"unfurl_links": False, "unfurl_media": False}
CHANNEL_GAP_S = 1.0
LANDED_LOOKBACK_S = 120.0
"""How far before the first attempt the landed-check looks (this host's clock against Slack's)."""
LANDED_PAGE = 200
LANDED_MAX_PAGES = 10
MAX_DM_CHANNELS = 2_000
MAX_BACKLOG = 60
"""``post_soon`` posts one channel may have waiting (a minute of turns); more are dropped."""
SENDERS = 4


def _code(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or exc.response.status_code)
    return type(exc).__name__


def _status(exc: SlackApiError) -> int:
    return int(getattr(exc.response, "status_code", 0) or 0)


def _without_retries(client: WebClient) -> WebClient:
    """The same client (token, base URL, timeout, proxy) with no automatic retries at all."""
    twin = copy.copy(client)
    twin.retry_handlers = []
    return twin


class _Unknown(Exception):
    """The landed-check could not tell whether Slack stored the message."""


@dataclass
class _Delivery:
    """One message on its way, with what its attempts so far have learned."""

    channel: str
    kwargs: dict[str, Any]
    thread_ts: str | None
    text: str
    on_done: Callable[[str | None], None] | None = None
    started: float = field(default_factory=time.time)
    waits: int = 0
    reposted: bool = False

    @classmethod
    def of(
        cls,
        channel: str,
        msg: Rendered,
        thread_ts: str | None,
        on_done: Callable[[str | None], None] | None = None,
    ) -> _Delivery:
        kwargs: dict[str, Any] = {
            "channel": channel,
            "text": msg.text,
            "blocks": msg.blocks,
            "thread_ts": thread_ts,
            **NO_UNFURL,
        }
        return cls(channel, kwargs, thread_ts, msg.text, on_done)


class _Step(NamedTuple):
    """After one attempt: settled (with the ts, None if not delivered), or try again later."""

    done: bool
    ts: str | None = None
    wait: float = 0.0


class Poster:
    """Posts Rendered messages for the Slack layer.

    ``client`` (with its connection and capped 429 retries) is used for idempotent calls: reads,
    ``chat.update``, ``conversations.open``. Message-creating calls go through a copy of
    ``post_client`` without any retry handler; this class decides about their retries.
    """

    def __init__(
        self, client: WebClient, post_client: WebClient, api_url: str, bot_id: str
    ) -> None:
        self.client = client
        self.post_client = _without_retries(post_client)
        self.api_url = api_url
        self.bot_id = bot_id
        self._last_post: dict[str, float] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._dm_channels: dict[str, str] = {}
        self._guard = threading.Lock()
        # post_soon's timetable: (due, seq, channel, None) is a channel's turn; with a delivery
        # instead of None, the end of that delivery's Retry-After.
        self._timetable = threading.Condition()
        self._timeline: list[tuple[float, int, str, _Delivery | None]] = []
        self._seq = itertools.count()
        self._queues: dict[str, deque[_Delivery]] = {}
        self._turn_due: set[str] = set()
        self._in_flight: set[str] = set()
        self._waiting = 0
        self._settling = 0
        self._closed = False
        self._dispatcher: threading.Thread | None = None
        self._senders: ThreadPoolExecutor | None = None

    # -- pacing ----------------------------------------------------------------------------------
    def _pace(self, channel: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(channel, threading.Lock())

    def _attempt(self, channel: str, kwargs: dict[str, Any]) -> Any:
        """One ``chat.postMessage`` in the channel's turn.

        It starts at least ``CHANNEL_GAP_S`` after the previous attempt there ended; nothing else
        (no 429 wait, no landed-check) happens while the turn is held.
        """
        with self._pace(channel):
            wait = self._last_post.get(channel, 0.0) + CHANNEL_GAP_S - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                return self.post_client.chat_postMessage(**kwargs)
            finally:
                self._last_post[channel] = time.monotonic()

    # -- chat.postMessage ------------------------------------------------------------------------
    def post(self, channel: str, msg: Rendered, thread_ts: str | None = None) -> str | None:
        """Post to a channel or thread; returns the new message ts, or None if not delivered.

        Blocks the caller until then (its turn in the channel, a 429 wait, a check). Callers that
        need no ts should use ``post_soon``, which keeps no thread waiting.
        """
        delivery = _Delivery.of(channel, msg, thread_ts)
        while True:
            step = self._step(delivery)
            if step.done:
                return step.ts
            if step.wait:
                time.sleep(step.wait)  # the channel's turn was given back

    def _step(self, d: _Delivery) -> _Step:
        """One attempt in the channel's turn, and what should happen next."""
        try:
            return _Step(True, str(self._attempt(d.channel, d.kwargs)["ts"]))
        except SlackApiError as exc:
            status = _status(exc)
            if status == 429:
                wait = retry_after_header(exc.response.headers)
                if d.waits >= MAX_RATE_RETRIES or wait > MAX_WAIT_S:
                    logger.warning("chat.postMessage failed: ratelimited (wait %.0f s)", wait)
                    return _Step(True)
                d.waits += 1
                return _Step(False, wait=wait + jitter())
            if status < 500 or d.reposted:
                logger.warning("chat.postMessage failed: %s", _code(exc))
                return _Step(True)
            logger.warning("chat.postMessage failed: %s (checking)", _code(exc))
        except (OSError, SlackClientError) as exc:
            if d.reposted:
                logger.warning("chat.postMessage retry failed: %s", _code(exc))
                return _Step(True)
            logger.warning("chat.postMessage connection failed: %s", _code(exc))
        # The outcome is unknown: Slack may have stored it. Look before posting again.
        try:
            landed = self._landed(d.channel, d.thread_ts, d.text, d.started)
        except _Unknown:
            logger.warning("chat.postMessage outcome unknown; not re-posted")
            return _Step(True)
        if landed:
            return _Step(True, landed)
        d.reposted = True
        return _Step(False)

    # -- post_soon: the same delivery without a waiting thread -----------------------------------
    def post_soon(
        self,
        channel: str,
        msg: Rendered,
        thread_ts: str | None = None,
        on_done: Callable[[str | None], None] | None = None,
    ) -> bool:
        """Queue a post and return at once; ``on_done(ts or None)`` runs when it is settled.

        Why: a caller that does not need the ts (a "busy" notice, an acknowledgement) should not
        hold a pool thread while a busy channel's turn comes round or a 429 runs out. Posts wait
        here as entries in a timetable instead: one small dispatcher hands each channel's next
        post to a sender thread when the channel's turn is due, so a channel with a backlog (or a
        ``Retry-After``) delays only its own posts. The same rules as ``post`` apply (pace,
        bounded 429 waits, the landed-check). False (and ``on_done(None)``) when the channel
        already has ``MAX_BACKLOG`` posts waiting.
        """
        delivery = _Delivery.of(channel, msg, thread_ts, on_done)
        with self._timetable:
            queue = self._queues.setdefault(channel, deque())
            if self._closed or len(queue) >= MAX_BACKLOG:
                refused = True
            else:
                refused = False
                queue.append(delivery)
                self._schedule_turn(channel)
                self._ensure_dispatcher()
                self._timetable.notify()
        if refused:
            logger.warning("post not queued for channel=%s (backlog full or closed)", channel)
            self._settle(delivery, None)
        return not refused

    def drain(self, timeout: float) -> bool:
        """Wait until every ``post_soon`` post is settled; False on timeout (shutdown, tests)."""
        deadline = time.monotonic() + timeout
        with self._timetable:
            while self._in_flight or self._waiting or self._settling or any(self._queues.values()):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._timetable.wait(min(left, 0.1))
        return True

    def close(self, timeout: float = 5.0) -> None:
        """Settle what is queued (bounded), then stop the timetable and its sender threads."""
        self.drain(timeout)
        with self._timetable:
            self._closed = True
            self._timetable.notify_all()
        if self._senders is not None:
            self._senders.shutdown(wait=False, cancel_futures=True)

    def _schedule_turn(self, channel: str) -> None:
        """Put the channel's next turn in the timetable (caller holds ``_timetable``)."""
        if channel in self._in_flight or channel in self._turn_due or not self._queues.get(channel):
            return
        due = max(time.monotonic(), self._last_post.get(channel, 0.0) + CHANNEL_GAP_S)
        self._turn_due.add(channel)
        heapq.heappush(self._timeline, (due, next(self._seq), channel, None))

    def _ensure_dispatcher(self) -> None:
        if self._dispatcher is None:
            self._senders = ThreadPoolExecutor(SENDERS, thread_name_prefix="cb-post")
            self._dispatcher = threading.Thread(
                target=self._dispatch, name="cb-post-timetable", daemon=True
            )
            self._dispatcher.start()

    def _dispatch(self) -> None:
        """Hand out due turns to the sender threads; sleep until the next one is due."""
        with self._timetable:
            while not self._closed:
                now = time.monotonic()
                while self._timeline and self._timeline[0][0] <= now:
                    _due, _seq, channel, resumed = heapq.heappop(self._timeline)
                    if resumed is not None:  # its Retry-After ran out: first in line again
                        self._waiting -= 1
                        self._queues.setdefault(channel, deque()).appendleft(resumed)
                        self._schedule_turn(channel)
                        continue
                    self._turn_due.discard(channel)
                    queue = self._queues.get(channel)
                    if queue and channel not in self._in_flight:
                        self._in_flight.add(channel)
                        assert self._senders is not None
                        self._senders.submit(self._send, queue.popleft())
                wait = self._timeline[0][0] - now if self._timeline else None
                self._timetable.wait(wait)

    def _send(self, d: _Delivery) -> None:
        """Sender thread: one step of ``d``, then back to the timetable."""
        try:
            step = self._step(d)
        except Exception as exc:  # noqa: BLE001 - never lose the channel's place in line
            logger.error("post failed unexpectedly (%s)", type(exc).__name__)
            step = _Step(True)
        with self._timetable:
            self._in_flight.discard(d.channel)
            if not step.done and step.wait:
                self._waiting += 1
                due = time.monotonic() + step.wait
                heapq.heappush(self._timeline, (due, next(self._seq), d.channel, d))
            elif not step.done:
                self._queues.setdefault(d.channel, deque()).appendleft(d)
            elif not self._queues.get(d.channel):
                self._queues.pop(d.channel, None)
            self._schedule_turn(d.channel)
            if step.done:
                self._settling += 1
            self._timetable.notify_all()
        if step.done:
            self._settle(d, step.ts)
            with self._timetable:
                self._settling -= 1
                self._timetable.notify_all()

    @staticmethod
    def _settle(d: _Delivery, ts: str | None) -> None:
        if d.on_done is None:
            return
        try:
            d.on_done(ts)
        except Exception as exc:  # noqa: BLE001 - a callback must not kill a sender
            logger.error("post callback failed (%s)", type(exc).__name__)

    def _landed(self, channel: str, thread_ts: str | None, text: str, since: float) -> str | None:
        """The ts of our newest identical message since ``since`` if Slack stored it, else None.

        Reads only messages newer than ``since - LANDED_LOOKBACK_S`` and follows the cursor to the
        end (bounded), so the newest messages of a long thread or channel are always seen.
        Raises ``_Unknown`` when Slack cannot be asked or the pages run out.
        """
        args: dict[str, Any] = {
            "channel": channel,
            "oldest": f"{since - LANDED_LOOKBACK_S:.6f}",
            "inclusive": True,
            "limit": LANDED_PAGE,
        }
        found: tuple[float, str] | None = None
        for _page in range(LANDED_MAX_PAGES):
            try:
                if thread_ts:
                    resp = self.client.conversations_replies(ts=thread_ts, **args)
                else:
                    resp = self.client.conversations_history(**args)
            except (OSError, SlackClientError) as exc:
                logger.warning("idempotency check failed: %s", _code(exc))
                raise _Unknown from exc
            for item in resp.get("messages") or []:
                if item.get("bot_id") == self.bot_id and item.get("text") == text:
                    ts = str(item.get("ts"))
                    key = float(ts) if ts.replace(".", "", 1).isdigit() else 0.0
                    if found is None or key >= found[0]:
                        found = (key, ts)
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not (resp.get("has_more") and cursor):
                return found[1] if found else None
            args["cursor"] = cursor
        if found:
            return found[1]
        logger.warning("idempotency check gave up after %d pages", LANDED_MAX_PAGES)
        raise _Unknown

    # -- other ways to reach someone -------------------------------------------------------------
    def ephemeral(
        self, channel: str, user: str, msg: Rendered, thread_ts: str | None = None
    ) -> bool:
        """Show a message to one user in a channel (never re-sent on a connection error)."""
        kwargs: dict[str, Any] = {
            "channel": channel,
            "user": user,
            "text": msg.text,
            "blocks": msg.blocks,
            "thread_ts": thread_ts,
        }
        for attempt in range(MAX_RATE_RETRIES + 1):
            try:
                self.post_client.chat_postEphemeral(**kwargs)
                return True
            except SlackApiError as exc:
                wait = retry_after_header(exc.response.headers)
                if _status(exc) != 429 or attempt == MAX_RATE_RETRIES or wait > MAX_WAIT_S:
                    logger.warning("chat.postEphemeral failed: %s", _code(exc))
                    return False
                time.sleep(wait + jitter())
            except (OSError, SlackClientError) as exc:
                # Ephemeral messages cannot be looked up afterwards: rather than risk a second
                # copy, report failure and let the caller fall back to the DM (which is checked).
                logger.warning("chat.postEphemeral connection failed: %s", _code(exc))
                return False
        return False

    def update(self, channel: str, ts: str, msg: Rendered) -> bool:
        """Replace a message changebot posted earlier (ingest progress); safe to retry."""
        return (
            self._call("chat_update", channel=channel, ts=ts, text=msg.text, blocks=msg.blocks)
            is not None
        )

    def dm_channel(self, user: str) -> str | None:
        """The DM channel between changebot and ``user`` (``conversations.open``, remembered)."""
        with self._guard:
            known = self._dm_channels.get(user)
        if known:
            return known
        resp = self._call("conversations_open", users=user)
        channel = str(((resp or {}).get("channel") or {}).get("id") or "") if resp else ""
        if not channel:
            return None
        with self._guard:
            if len(self._dm_channels) >= MAX_DM_CHANNELS:
                self._dm_channels.clear()
            self._dm_channels[user] = channel
        return channel

    def dm(self, user: str, msg: Rendered) -> tuple[str, str] | None:
        """Post in the user's DM with changebot; returns (channel, ts), or None if not delivered.

        The DM is opened first so the post has a real channel: it is paced, and an unknown
        outcome is checked in that channel's history instead of being posted twice.
        """
        channel = self.dm_channel(user)
        if channel is None:
            return None
        ts = self.post(channel, msg)
        return (channel, ts) if ts else None

    def respond(
        self, url: str | None, msg: Rendered, *, public: bool = False, replace: bool = False
    ) -> bool:
        """Answer through ``response_url``; False if the URL is missing, not Slack's, or refused.

        Sent once: a connection error is not retried (the post may have arrived), the caller
        falls back instead.
        """
        if not url or not is_response_url(url, self.api_url):
            if url:
                logger.warning("response_url rejected: not a Slack host")
            return False
        try:
            resp = WebhookClient(url, timeout=10, retry_handlers=[]).send(
                text=msg.text,
                blocks=msg.blocks,
                response_type="in_channel" if public else "ephemeral",
                replace_original=replace,
                **NO_UNFURL,
            )
        except (OSError, SlackClientError) as exc:
            logger.warning("response_url failed: %s", _code(exc))
            return False
        if resp.status_code != 200:
            logger.warning("response_url refused: %s", resp.status_code)
        return resp.status_code == 200

    def private(
        self, response_url: str | None, channel: str | None, user: str, msg: Rendered
    ) -> bool:
        """Reach one user privately: response_url, else an ephemeral message, else a DM."""
        if self.respond(response_url, msg):
            return True
        if channel and self.ephemeral(channel, user, msg):
            return True
        return self.dm(user, msg) is not None

    def upload(
        self,
        channel: str,
        filename: str,
        content: bytes,
        *,
        title: str,
        alt_txt: str = "",
        comment: str = "",
    ) -> str | None:
        """Share a file in ``channel`` with Slack's upload API; None when shared, else the error.

        ``files_upload_v2``: ``files.getUploadURLExternal``, the bytes to the URL Slack returns,
        then ``files.completeUploadExternal``, which shares the file (both need the ``files:write``
        scope; without it the error is ``missing_scope``). Sent once, like every post: no retry
        handler, so a lost reply never shares the file twice. The error (logged) is Slack's code,
        or the exception's type.
        """
        try:
            self.post_client.files_upload_v2(
                channel=channel,
                filename=filename,
                content=content,
                title=title,
                alt_txt=alt_txt or None,
                initial_comment=comment or None,
            )
        except (OSError, SlackClientError) as exc:
            code = _code(exc)
            logger.warning("file upload failed: %s", code)
            return code
        return None

    def _call(self, method: str, **kwargs: Any) -> Any:
        """An idempotent call on the retrying client; None (logged) on failure."""
        try:
            return getattr(self.client, method)(**kwargs)
        except (OSError, SlackClientError) as exc:
            logger.warning("%s failed: %s", method.replace("_", ".", 1), _code(exc))
            return None
