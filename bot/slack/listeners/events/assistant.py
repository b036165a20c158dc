"""The agent view (``assistant_thread_started``): greet and offer prompts in change-leader words.

Why plain ``app.event`` rather than bolt's ``Assistant`` middleware: the Assistant routes DM thread
messages to its own listeners, but exactly-one-reply needs every message to pass the same claim in
``conversation.accept``. Bolt still injects ``set_suggested_prompts`` for these events.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackClientError

from bot.slack.render.blocks import notice_message
from bot.slack.server.context import SlackRuntime

logger = logging.getLogger(__name__)
Handler = Callable[..., None]
GREETING = (
    "Hello! Tell me where your change is stuck and I'll map it onto the Constructive comfort "
    "framework, with next steps and sources. Or ask me a question about the guidance."
)
PROMPTS = [
    {
        "title": "No time to change",
        "message": "Our ward team says there's no time to try the new discharge process; "
        "every shift is firefighting.",
    },
    {
        "title": "Consultants not convinced",
        "message": "The consultants don't see why we need to change the outpatient clinic model.",
    },
    {
        "title": "Board wants results now",
        "message": "The board wants quick results from our improvement programme, "
        "but we have no data analysts.",
    },
    {
        "title": "What is headspace?",
        "message": "What does the guidance say about creating headspace for change?",
    },
]


def make_started_handler(runtime: SlackRuntime) -> Handler:
    """Bind the runtime to the bolt handler."""

    def greet(channel: str, thread_ts: str) -> None:
        try:
            runtime.poster.client.assistant_threads_setSuggestedPrompts(
                channel_id=channel, thread_ts=thread_ts, prompts=PROMPTS, title="Try one of these"
            )
        except (OSError, SlackClientError) as exc:
            logger.warning("setSuggestedPrompts failed (%s)", type(exc).__name__)
        runtime.poster.post(channel, notice_message(GREETING), thread_ts)
        runtime.threads.mark(channel, thread_ts)

    def handle_assistant_thread_started(event: dict[str, Any]) -> None:
        thread = event.get("assistant_thread") or {}
        channel, thread_ts = thread.get("channel_id"), thread.get("thread_ts")
        if channel and thread_ts:
            runtime.worker.submit(lambda: greet(str(channel), str(thread_ts)), "greet")

    return handle_assistant_thread_started


def handle_context_changed() -> None:
    """The user switched channel in the agent view; changebot keeps no channel context."""
