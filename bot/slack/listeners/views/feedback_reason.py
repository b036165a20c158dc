"""The 👎 reason form: store the chosen reason (from a fixed list) against the same vote."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack

from bot.slack.listeners.actions.feedback import save_vote
from bot.slack.server.context import SlackRuntime
from bot.state.feedback import REASONS

Handler = Callable[..., None]


def make_handler(runtime: SlackRuntime) -> Handler:
    """Bind the runtime to the handler."""

    def handle_feedback_reason(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        ack()
        state = view.get("state", {}).get("values", {})
        option = (state.get("reason", {}).get("value", {}) or {}).get("selected_option") or {}
        reason = option.get("value")
        if reason in REASONS:
            save_vote(runtime, body, "down", reason)

    return handle_feedback_reason
