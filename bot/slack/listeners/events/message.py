"""``message``: DMs with changebot, follow-ups in changebot's threads, and admin uploads in DMs.

A DM with files goes to the upload flow (which refuses and audits non-admins); "ingest" without
files is an admin request only when an admin writes it, otherwise it is an ordinary message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.slack.flows.conversation import accept, parse
from bot.slack.flows.permissions import actor_from_body, is_admin
from bot.slack.flows.uploads import handle_upload_message, is_ingest_request
from bot.slack.listeners.events.filters import ignorable, mentions
from bot.slack.server.context import SlackRuntime

Handler = Callable[..., None]


def make_handler(runtime: SlackRuntime) -> Handler:
    """Bind the shared runtime to the bolt handler."""

    def handle_message(body: dict[str, Any], event: dict[str, Any]) -> None:
        if ignorable(event, runtime.identity):
            return
        if event.get("channel_type") == "im":
            asks_ingest = is_ingest_request(event) and is_admin(
                runtime.settings, actor_from_body(body), runtime.identity.team_id
            )
            if event.get("files") or asks_ingest:
                handle_upload_message(runtime, body, event)
                return
            accept(runtime, parse(body, event))
            return
        thread_ts = event.get("thread_ts")
        if mentions(event, runtime.identity) or not thread_ts or thread_ts == event.get("ts"):
            return  # top-level channel chatter, or a mention that app_mention answers
        accept(runtime, parse(body, event, follow_up=True))

    return handle_message
