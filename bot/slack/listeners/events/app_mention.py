"""``app_mention``: someone wrote @changebot in a channel; answer in a thread under it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.slack.flows.conversation import accept, parse
from bot.slack.listeners.events.filters import ignorable
from bot.slack.server.context import SlackRuntime

Handler = Callable[..., None]


def make_handler(runtime: SlackRuntime) -> Handler:
    """Bind the shared runtime to the bolt handler."""

    def handle_app_mention(body: dict[str, Any], event: dict[str, Any]) -> None:
        if ignorable(event, runtime.identity):
            return
        accept(runtime, parse(body, event))

    return handle_app_mention
