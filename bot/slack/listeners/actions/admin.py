"""The App Home "Re-ingest guidance" button: admin rights are checked again at click time (A4)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack

from bot.slack.flows.permissions import REFUSAL, actor_from_body, authorise
from bot.slack.flows.uploads import start_reingest
from bot.slack.render.blocks import notice_message
from bot.slack.server.context import SlackRuntime

Handler = Callable[..., None]


def make_reingest_handler(runtime: SlackRuntime) -> Handler:
    """Bind the runtime to the handler."""

    def handle_home_reingest(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        actor = actor_from_body(body)
        if not authorise(runtime.settings, actor, runtime.identity.team_id, "slack.reingest"):
            runtime.urgent.submit(lambda: runtime.poster.dm(actor.user_id, notice_message(REFUSAL)))
            return
        busy = start_reingest(runtime, actor)
        if busy:
            runtime.urgent.submit(lambda: runtime.poster.dm(actor.user_id, notice_message(busy)))

    return handle_home_reingest
