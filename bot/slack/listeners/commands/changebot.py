"""``/changebot help | sources | status | ingest | reingest | remove DOC | insights``.

All but the first two are for admins. ``insights`` DMs the admin the anonymous barrier trends
(text counts and a chart, ``flows/insights.py``); it draws a chart, so it runs on the ordinary
worker lane, not the urgent one that admin checks and ingest starts use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack

from bot.slack.flows.admin_status import index_status
from bot.slack.flows.connect_policy import is_dm
from bot.slack.flows.insights import send_insights
from bot.slack.flows.permissions import REFUSAL, Actor, actor_from_body, authorise
from bot.slack.flows.reply import safely
from bot.slack.flows.uploads import remove_documents, start_reingest, start_upload_ingest
from bot.slack.render.admin import help_message, sources_message, status_message
from bot.slack.render.blocks import Rendered, notice_message
from bot.slack.render.escape import escape_mrkdwn, truncate
from bot.slack.server.context import SlackRuntime
from bot.workers.gateway import Core

Handler = Callable[..., None]
URGENT = ("status", "ingest", "reingest", "remove")
ADMIN_ONLY = (*URGENT, "insights")
STARTED = "Started. I'll post progress and the per-document report in our DM."
DM_ONLY = "Run `/changebot ingest` in your DM with changebot, after uploading the files there."


def make_handler(core: Core, runtime: SlackRuntime) -> Handler:
    """Bind the core and runtime to the bolt handler."""

    def admin(sub: str, actor: Actor, channel: str, rest: str) -> Rendered:
        if sub == "remove":
            return remove_documents(core, actor, rest.split())
        if sub == "status":
            return status_message(index_status(core, runtime.ingests))
        if sub == "insights":
            return send_insights(runtime, actor)
        if sub == "ingest":
            if not is_dm(channel):
                return notice_message(DM_ONLY)
            return notice_message(start_upload_ingest(runtime, actor, []) or STARTED)
        return notice_message(start_reingest(runtime, actor) or STARTED)

    def run(sub: str, actor: Actor, channel: str, rest: str = "") -> Rendered:
        if sub in ("", "help"):
            return help_message()
        if sub == "sources":
            return sources_message(core.documents())
        if sub in ADMIN_ONLY:
            if not authorise(runtime.settings, actor, runtime.identity.team_id, f"slack.{sub}"):
                return notice_message(REFUSAL)
            return admin(sub, actor, channel, rest)
        unknown = escape_mrkdwn(truncate(sub, 40))
        return notice_message(f"I don't know `{unknown}`. Try `/changebot help`.")

    def handle_changebot(ack: Ack, body: dict[str, Any], command: dict[str, Any]) -> None:
        ack()
        sub, _, rest = str(command.get("text") or "").strip().partition(" ")
        sub = sub.lower()
        actor = actor_from_body(body)
        channel = str(command.get("channel_id") or "")
        url = command.get("response_url")

        def job() -> None:
            rendered = safely(lambda: run(sub, actor, channel, rest), f"/changebot {sub}")
            runtime.poster.private(url, channel, actor.user_id, rendered)

        if sub in URGENT:  # admin checks and starts are quick; never refuse them as "busy"
            runtime.urgent.submit(job, f"changebot {sub}")
        elif not runtime.worker.submit(job, "changebot"):
            busy = notice_message("I'm busy right now; please try again.")
            runtime.urgent.submit(lambda: runtime.poster.respond(url, busy), "busy")

    return handle_changebot
