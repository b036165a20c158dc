"""Which message events changebot ignores: its own, other bots', system subtypes, empty ones.

Why explicit: bolt drops the app's own events, but ``bot_message``, ``message_changed``,
``channel_join``, Slackbot and empty messages must never reach the core or produce a reply (T9).
``file_share`` is the one subtype we keep: it is how an admin uploads documents.
"""

from __future__ import annotations

from typing import Any

from bot.slack.server.context import BotIdentity

KEPT_SUBTYPES = (None, "file_share", "thread_broadcast")


def ignorable(event: dict[str, Any], me: BotIdentity) -> bool:
    """True when the event is not a person writing something new."""
    if event.get("subtype") not in KEPT_SUBTYPES or event.get("hidden"):
        return True
    if event.get("bot_id") or event.get("bot_profile"):
        return True
    user = event.get("user")
    if not user or user in (me.user_id, "USLACKBOT"):
        return True
    return not (str(event.get("text") or "").strip() or event.get("files"))


def mentions(event: dict[str, Any], me: BotIdentity) -> bool:
    """True when the text @-mentions changebot (``app_mention`` will handle it in channels)."""
    return f"<@{me.user_id}>" in str(event.get("text") or "")
