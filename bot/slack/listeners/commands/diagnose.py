"""``/diagnose [situation]``: ack at once, then a private diagnosis card (or the form if empty)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack
from slack_sdk.errors import SlackClientError

from bot.slack.delivery.ratelimit import QUEUE_FULL_MESSAGE
from bot.slack.flows.permissions import actor_from_body
from bot.slack.flows.reply import queue_private_diagnosis
from bot.slack.render.blocks import notice_message
from bot.slack.render.modals import diagnose_modal
from bot.slack.server.context import SlackRuntime
from bot.workers.gateway import Core

logger = logging.getLogger(__name__)
Handler = Callable[..., None]
FORM_FAILED = (
    "I couldn't open the form. Try `/diagnose` followed by a description of your situation."
)


def make_handler(core: Core, runtime: SlackRuntime) -> Handler:
    """Bind the core and runtime to the bolt handler."""

    def open_form(command: dict[str, Any]) -> None:
        metadata = {
            "c": str(command.get("channel_id") or ""),
            "r": str(command.get("response_url") or ""),
        }
        view = diagnose_modal(core.framework, runtime.settings.max_input_chars, metadata)
        try:
            runtime.poster.client.views_open(trigger_id=command.get("trigger_id"), view=view)
        except (OSError, SlackClientError) as exc:
            logger.warning("views.open failed (%s)", type(exc).__name__)
            runtime.poster.respond(command.get("response_url"), notice_message(FORM_FAILED))

    def handle_diagnose(ack: Ack, body: dict[str, Any], command: dict[str, Any]) -> None:
        ack()
        text = str(command.get("text") or "").strip()
        if not text:  # trigger_id expires in 3 s: the urgent lane, not behind core work
            runtime.urgent.submit(lambda: open_form(command), "form")
            return
        actor = actor_from_body(body)
        channel, url = command.get("channel_id"), command.get("response_url")
        if not queue_private_diagnosis(runtime, actor, channel, url, text):
            busy = notice_message(QUEUE_FULL_MESSAGE)
            runtime.urgent.submit(lambda: runtime.poster.respond(url, busy), "busy")

    return handle_diagnose
