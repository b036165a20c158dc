"""Block actions: feedback, diagnosis card buttons, tests of change, the admin re-ingest button."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners.actions import admin, diagnosis, feedback, plans
from bot.slack.render.diagnosis_card import more_actions_message, why_barrier_message
from bot.slack.server.context import SlackRuntime
from bot.workers.gateway import Core


def register(app: App, core: Core, runtime: SlackRuntime) -> None:
    """Register the action listeners."""
    app.action("feedback_up")(feedback.make_up_handler(runtime))
    app.action("feedback_down")(feedback.make_down_handler(runtime))
    app.action("diagnosis_share")(diagnosis.make_share_handler(core, runtime))
    app.action("diagnosis_more")(
        diagnosis.make_follow_up_handler(core, runtime, more_actions_message, "more")
    )
    app.action("diagnosis_why")(
        diagnosis.make_follow_up_handler(core, runtime, why_barrier_message, "why")
    )
    app.action("home_reingest")(admin.make_reingest_handler(runtime))
    plans.register_plan_actions(app, core, runtime)
