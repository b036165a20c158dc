"""👍 / 👎 buttons: record the vote (ids only); 👎 also opens the optional reason form."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack
from slack_sdk.errors import SlackClientError

from bot.slack.flows.permissions import actor_from_body
from bot.slack.render.blocks import notice_message
from bot.slack.render.modals import feedback_reason_modal
from bot.slack.server.context import SlackRuntime
from bot.state.feedback import FeedbackRecord, Vote, record_feedback
from bot.state.history import user_key
from knowledge.framework import BARRIER_IDS

logger = logging.getLogger(__name__)
Handler = Callable[..., None]
THANKS = "Thanks for the feedback; it helps us improve changebot."


def parse_value(raw: str) -> dict[str, str] | None:
    """The button payload, validated: kind, opaque id, top barrier id; None when malformed."""
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(value, dict) or value.get("k") not in ("answer", "diagnosis"):
        return None
    ref, label = str(value.get("id") or ""), str(value.get("l") or "")
    if not ref or len(ref) > 64 or (label and label not in BARRIER_IDS):
        return None
    return {"k": str(value["k"]), "id": ref, "l": label}


def save_vote(
    runtime: SlackRuntime, body: dict[str, Any], vote: Vote, reason: str | None = None
) -> bool:
    """Store one vote from an action or view payload; False when the payload is not ours."""
    raw = (
        body["actions"][0]["value"]
        if body.get("actions")
        else body.get("view", {}).get("private_metadata", "")
    )
    value = parse_value(str(raw))
    if value is None:
        logger.warning("feedback payload rejected")
        return False
    actor = actor_from_body(body)
    record = FeedbackRecord.model_validate(
        {
            "at": time.time(),
            "kind": value["k"],
            "ref": value["id"],
            "vote": vote,
            "reason": reason,
            "label": value["l"],
            "voter": user_key(actor.team_id, actor.user_id),
        }
    )
    record_feedback(runtime.settings.data_dir, record, store=runtime.core.store)
    logger.info("feedback kind=%s vote=%s reason=%s", record.kind, vote, reason or "-")
    return True


def make_up_handler(runtime: SlackRuntime) -> Handler:
    """Bind the runtime to the 👍 handler."""

    def handle_feedback_up(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        if save_vote(runtime, body, "up"):
            runtime.worker.submit(
                lambda: runtime.poster.respond(body.get("response_url"), notice_message(THANKS))
            )

    return handle_feedback_up


def open_reason_form(runtime: SlackRuntime, body: dict[str, Any]) -> None:
    """Ask for the optional reason; if the form cannot open, just thank the user."""
    try:
        view = feedback_reason_modal(str(body["actions"][0]["value"]))
        runtime.poster.client.views_open(trigger_id=body.get("trigger_id"), view=view)
    except (OSError, SlackClientError) as exc:
        logger.warning("views.open failed (%s)", type(exc).__name__)
        runtime.poster.respond(body.get("response_url"), notice_message(THANKS))


def make_down_handler(runtime: SlackRuntime) -> Handler:
    """Bind the runtime to the 👎 handler."""

    def handle_feedback_down(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        if save_vote(runtime, body, "down"):  # the trigger expires in 3 s: the urgent lane
            runtime.urgent.submit(lambda: open_reason_form(runtime, body), "reason-form")

    return handle_feedback_down
