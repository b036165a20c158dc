"""Events API listeners: mentions, messages (DMs, follow-ups, uploads), App Home, agent view."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners.events import app_home, app_mention, assistant, message
from bot.slack.server.context import SlackRuntime
from bot.workers.gateway import Core


def register(app: App, core: Core, runtime: SlackRuntime) -> None:
    """Register the event listeners (events are acked by bolt before the handler's work)."""
    app.event("app_mention")(app_mention.make_handler(runtime))
    app.event("message")(message.make_handler(runtime))
    app.event("app_home_opened")(app_home.make_handler(core, runtime))
    app.event("assistant_thread_started")(assistant.make_started_handler(runtime))
    app.event("assistant_thread_context_changed")(assistant.handle_context_changed)
