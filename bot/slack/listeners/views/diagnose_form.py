"""The ``/diagnose`` form: situation, role, setting, optional 1–5 ratings of the seven factors.

The role and setting chosen go into the situation text as one plain sentence and, as ids from the
form's own lists, into the anonymous insights count (``form_choices``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack

from bot.slack.delivery.ratelimit import QUEUE_FULL_MESSAGE
from bot.slack.flows.permissions import actor_from_body
from bot.slack.flows.reply import queue_private_diagnosis
from bot.slack.render.blocks import notice_message
from bot.slack.render.modals import ROLES, SETTINGS
from bot.slack.server.context import SlackRuntime
from bot.workers.gateway import Core

Handler = Callable[..., None]


def _selected(values: dict[str, Any], block_id: str) -> str | None:
    option = (values.get(block_id, {}).get("value") or {}).get("selected_option") or {}
    value = option.get("value")
    return str(value) if value else None


def parse_form(view: dict[str, Any]) -> tuple[str, dict[str, int]]:
    """The situation text (with role and setting as one plain sentence) and the ratings."""
    values = view.get("state", {}).get("values", {})
    text = str((values.get("situation", {}).get("text") or {}).get("value") or "").strip()
    role, setting = _selected(values, "role"), _selected(values, "setting")
    about = [
        f"I am a {ROLES[role].lower()}" if role in ROLES else "",
        f"in {SETTINGS[setting].lower()}" if setting in SETTINGS else "",
    ]
    if any(about):
        text += f"\n\n({' '.join(a for a in about if a)}.)"
    ratings = {}
    for block_id in values:
        rated = _selected(values, block_id) if block_id.startswith("rate_") else None
        if rated and rated.isdigit() and 1 <= int(rated) <= 5:
            ratings[block_id.removeprefix("rate_")] = int(rated)
    return text, ratings


def form_choices(view: dict[str, Any]) -> tuple[str | None, str | None]:
    """(care setting id, role id) chosen in the form; None for anything not on its lists."""
    values = view.get("state", {}).get("values", {})
    role, setting = _selected(values, "role"), _selected(values, "setting")
    return (setting if setting in SETTINGS else None), (role if role in ROLES else None)


def make_handler(core: Core, runtime: SlackRuntime) -> Handler:
    """Bind the core and runtime to the handler."""

    def handle_diagnose_modal(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        text, ratings = parse_form(view)
        cap = runtime.settings.max_input_chars
        if len(text) > cap:
            ack(
                response_action="errors",
                errors={"situation": f"Please keep it under {cap:,} characters."},
            )
            return
        ack()
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            meta = {}
        channel, url = meta.get("c") or None, meta.get("r") or None
        known = {f.id for f in core.framework.factors}
        ratings = {k: v for k, v in ratings.items() if k in known}
        actor = actor_from_body(body)
        care_setting, role = form_choices(view)
        if not queue_private_diagnosis(
            runtime, actor, channel, url, text, ratings, care_setting=care_setting, role=role
        ):
            busy = notice_message(QUEUE_FULL_MESSAGE)
            runtime.urgent.submit(
                lambda: runtime.poster.private(url, channel, actor.user_id, busy), "busy"
            )

    return handle_diagnose_modal
