"""Slack Connect policy: changebot does not answer in channels shared with other organisations.

Choice (the issue allowed "refuse" or "answer only ephemerally"): we **refuse**, with a short
ephemeral notice to the person who asked, pointing them to a DM. Why: in a Slack Connect channel
people from another organisation read every reply, the other side's data-sharing agreements are
unknown to us, and the admin allow-list is per workspace. A private answer would still process
text typed in a shared space, so refusing is the simpler promise to explain.

How it is decided: Events API envelopes carry ``is_ext_shared_channel``, so events need no API
call. Slash commands and button clicks do not, so their channel is looked up with
``conversations.info`` (cached for ten minutes). DMs with changebot are always fine. If the lookup
fails the answer is "not allowed" (fail closed): we cannot promise the channel is internal.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.slack.flows.ttl_stores import TTLCache

logger = logging.getLogger(__name__)
SHARED_NOTICE = (
    "I don't answer in channels shared with other organisations. Send me a direct message "
    "instead; only you will see the conversation."
)


def is_dm(channel: str) -> bool:
    """Direct-message channel ids start with D."""
    return channel.startswith("D")


class SharedChannelPolicy:
    """Decides whether changebot may answer in a channel."""

    def __init__(self, client: WebClient, ttl_s: float = 600.0) -> None:
        self.client = client
        self._cache: TTLCache[bool] = TTLCache(ttl_s=ttl_s, max_items=5_000)

    @staticmethod
    def event_allowed(body: dict[str, Any]) -> bool:
        """Events say themselves whether their channel is externally shared."""
        return not body.get("is_ext_shared_channel")

    def channel_allowed(self, channel: str | None) -> bool:
        """True for DMs and internal channels; False for shared or unverifiable ones."""
        if not channel:
            return False
        if is_dm(channel):
            return True
        cached = self._cache.get(channel)
        if cached is not None:
            return cached
        try:
            info = self.client.conversations_info(channel=channel)["channel"]
        except (OSError, SlackClientError, KeyError, TypeError) as exc:
            logger.warning(
                "conversations.info failed (%s); treating channel as shared", type(exc).__name__
            )
            return False
        allowed = not (info.get("is_ext_shared") or info.get("is_pending_ext_shared"))
        self._cache.put(channel, allowed)
        return allowed
