"""Every message changebot sends goes through here: no unfurls, fallback text, bounded retries.

Why one place: posting rules are easy to forget in a handler. Here every post has
``unfurl_links=False, unfurl_media=False``, posts to one channel are spaced at least a second
apart (Slack's per-channel limit), ``response_url`` is used only on Slack hosts and falls back to
``chat.postEphemeral`` and then a DM (expired or over-used URLs, T12), and failures are logged as
method + error code, never with text. ``chat.postMessage`` is not retried on connection errors
blindly: the poster first checks whether the message landed (T11: at most one visible copy).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.webhook import WebhookClient

from bot.slack.flows.file_hosts import is_response_url
from bot.slack.render.blocks import Rendered

logger = logging.getLogger(__name__)
NO_UNFURL: dict[str, Any] = {"unfurl_links": False, "unfurl_media": False}
CHANNEL_GAP_S = 1.0


def _code(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or exc.response.status_code)
    return type(exc).__name__


class Poster:
    """Posts Rendered messages for the Slack layer."""

    def __init__(
        self, client: WebClient, post_client: WebClient, api_url: str, bot_id: str
    ) -> None:
        self.client = client
        self.post_client = post_client
        self.api_url = api_url
        self.bot_id = bot_id
        self._last_post: dict[str, float] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _pace(self, channel: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(channel, threading.Lock())

    def post(self, channel: str, msg: Rendered, thread_ts: str | None = None) -> str | None:
        """Post to a channel or thread; returns the new message ts, or None on failure."""
        with self._pace(channel):
            wait = self._last_post.get(channel, 0.0) + CHANNEL_GAP_S - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            started = time.time()
            kwargs: dict[str, Any] = {"channel": channel, "text": msg.text, "blocks": msg.blocks}
            try:
                ts = self._post_once(kwargs, thread_ts, started)
            finally:
                self._last_post[channel] = time.monotonic()
            return ts

    def _post_once(
        self, kwargs: dict[str, Any], thread_ts: str | None, started: float
    ) -> str | None:
        try:
            resp = self.post_client.chat_postMessage(**kwargs, thread_ts=thread_ts, **NO_UNFURL)
            return str(resp["ts"])
        except SlackApiError as exc:
            logger.warning("chat.postMessage failed: %s", _code(exc))
            return None
        except (OSError, SlackClientError) as exc:
            logger.warning("chat.postMessage connection failed: %s", _code(exc))
            landed = self._landed(kwargs["channel"], thread_ts, kwargs["text"], started)
            if landed:
                return landed
            try:
                resp = self.post_client.chat_postMessage(**kwargs, thread_ts=thread_ts, **NO_UNFURL)
                return str(resp["ts"])
            except (OSError, SlackClientError) as again:
                logger.warning("chat.postMessage retry failed: %s", _code(again))
                return None

    def _landed(self, channel: str, thread_ts: str | None, text: str, since: float) -> str | None:
        """The ts of our identical message posted since ``since``, if Slack did store it."""
        try:
            if thread_ts:
                resp = self.client.conversations_replies(channel=channel, ts=thread_ts, limit=50)
            else:
                resp = self.client.conversations_history(channel=channel, oldest=f"{since - 1:.6f}")
        except (OSError, SlackClientError) as exc:
            logger.warning("idempotency check failed: %s", _code(exc))
            return None
        for item in resp.get("messages") or []:
            if item.get("bot_id") == self.bot_id and item.get("text") == text:
                return str(item.get("ts"))
        return None

    def ephemeral(
        self, channel: str, user: str, msg: Rendered, thread_ts: str | None = None
    ) -> bool:
        """Show a message to one user in a channel."""
        return (
            self._call(
                "chat_postEphemeral",
                channel=channel,
                user=user,
                text=msg.text,
                blocks=msg.blocks,
                thread_ts=thread_ts,
            )
            is not None
        )

    def update(self, channel: str, ts: str, msg: Rendered) -> bool:
        """Replace a message changebot posted earlier (ingest progress)."""
        return (
            self._call("chat_update", channel=channel, ts=ts, text=msg.text, blocks=msg.blocks)
            is not None
        )

    def dm(self, user: str, msg: Rendered) -> tuple[str, str] | None:
        """Post in the user's DM with changebot; returns (channel, ts)."""
        resp = self._call(
            "chat_postMessage", channel=user, text=msg.text, blocks=msg.blocks, **NO_UNFURL
        )
        return (str(resp["channel"]), str(resp["ts"])) if resp else None

    def respond(
        self, url: str | None, msg: Rendered, *, public: bool = False, replace: bool = False
    ) -> bool:
        """Answer through ``response_url``; False if the URL is missing, not Slack's, or refused."""
        if not url or not is_response_url(url, self.api_url):
            if url:
                logger.warning("response_url rejected: not a Slack host")
            return False
        try:
            resp = WebhookClient(url, timeout=10).send(
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

    def _call(self, method: str, **kwargs: Any) -> Any:
        try:
            return getattr(self.client, method)(**kwargs)
        except (OSError, SlackClientError) as exc:
            logger.warning("%s failed: %s", method.replace("_", ".", 1), _code(exc))
            return None
