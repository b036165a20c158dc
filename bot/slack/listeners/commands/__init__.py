"""Slash commands: ``/diagnose`` and ``/changebot``; both ack before any work."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners.commands import changebot, diagnose
from bot.slack.server.context import SlackRuntime
from bot.workers.gateway import Core


def register(app: App, core: Core, runtime: SlackRuntime) -> None:
    """Register the command listeners."""
    app.command("/diagnose")(diagnose.make_handler(core, runtime))
    app.command("/changebot")(changebot.make_handler(core, runtime))
