"""Modal submissions: the ``/diagnose`` form, the optional 👎 reason, plans of tests of change."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners.views import diagnose_form, feedback_reason, plan_form
from bot.slack.render.modals import DIAGNOSE_CALLBACK, FEEDBACK_CALLBACK
from bot.slack.server.context import SlackRuntime
from bot.workers.gateway import Core


def register(app: App, core: Core, runtime: SlackRuntime) -> None:
    """Register the view listeners."""
    app.view(DIAGNOSE_CALLBACK)(diagnose_form.make_handler(core, runtime))
    app.view(FEEDBACK_CALLBACK)(feedback_reason.make_handler(runtime))
    plan_form.register_plan_views(app, core, runtime)
