"""Diagnosis card buttons: Share to channel, More actions, Why this barrier?

The card's ephemeral message is not sent back with the click, so the button value is only the
card id; the diagnosis is looked up in the one-hour in-memory card store. Sharing is allowed to
the card's owner, in channels that are not shared with other organisations.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack

from bot.slack.flows.connect_policy import SHARED_NOTICE
from bot.slack.flows.permissions import actor_from_body
from bot.slack.flows.reminders import card_outcomes
from bot.slack.flows.ttl_stores import StoredCard
from bot.slack.render.blocks import Rendered, context, message, notice_message
from bot.slack.render.diagnosis_card import diagnosis_card
from bot.slack.server.context import SlackRuntime
from bot.workers.gateway import Core

Handler = Callable[..., None]
EXPIRED = "This card has expired (cards are kept for an hour). Run `/diagnose` again."
NOT_YOURS = "Only the person who ran the diagnosis can share it."
CANNOT_POST = "I couldn't post in this channel. Invite me with `/invite @changebot` and try again."
_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")


def _card_and_user(runtime: SlackRuntime, body: dict[str, Any]) -> tuple[StoredCard | None, str]:
    card_id = str(body["actions"][0].get("value") or "")
    return runtime.cards.get(card_id), actor_from_body(body).user_id


def _channel(body: dict[str, Any]) -> str:
    return str(
        (body.get("channel") or {}).get("id")
        or (body.get("container") or {}).get("channel_id")
        or ""
    )


def _reply(
    runtime: SlackRuntime, body: dict[str, Any], render: Callable[[StoredCard], Rendered]
) -> None:
    card, user = _card_and_user(runtime, body)
    rendered = render(card) if card else notice_message(EXPIRED)
    runtime.poster.private(body.get("response_url"), _channel(body) or None, user, rendered)


def share(core: Core, runtime: SlackRuntime, body: dict[str, Any]) -> None:
    """Post the card publicly in the channel where it was shown."""
    card, user = _card_and_user(runtime, body)
    channel, url = _channel(body), body.get("response_url")
    card_id = str(body["actions"][0].get("value") or "")
    problem = EXPIRED if card is None else NOT_YOURS if card.owner != user else None
    if problem is None and not runtime.channels.channel_allowed(channel):
        problem = SHARED_NOTICE
    if problem or card is None:
        runtime.poster.private(url, channel or None, user, notice_message(problem or EXPIRED))
        return
    full = diagnosis_card(
        card.diagnosis,
        core.framework,
        card_id,
        shared=True,
        ratings=dict(card.ratings),
        outcomes=card_outcomes(runtime, card.diagnosis),
        rank=runtime.settings.rank_by_local_outcomes,
    )
    who = f"Shared by <@{user}>" if _USER_ID.match(user) else "Shared"
    rendered = message(full.text, [context(who), *full.blocks])
    if runtime.poster.post(channel, rendered) is None and not runtime.poster.respond(
        url, rendered, public=True
    ):
        runtime.poster.private(url, channel, user, notice_message(CANNOT_POST))


def make_share_handler(core: Core, runtime: SlackRuntime) -> Handler:
    """Bind the core and runtime to the Share handler."""

    def handle_diagnosis_share(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        runtime.worker.submit(lambda: share(core, runtime, body), "share")

    return handle_diagnosis_share


def make_follow_up_handler(
    core: Core, runtime: SlackRuntime, follow_up: Callable[..., Rendered], label: str
) -> Handler:
    """Bind a card follow-up ("More actions", "Why this barrier?") to its renderer."""

    def handle_diagnosis_follow_up(ack: Ack, body: dict[str, Any]) -> None:
        ack()

        def render(card: StoredCard) -> Rendered:
            return follow_up(card.diagnosis, core.framework)

        runtime.worker.submit(lambda: _reply(runtime, body, render), label)

    return handle_diagnosis_follow_up
