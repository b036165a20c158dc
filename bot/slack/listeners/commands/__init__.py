"""Slash commands: ``/diagnose`` and ``/changebot``; both ack before any work."""

from __future__ import annotations

from slack_bolt import App

from bot.services import Services
from bot.slack.listeners.commands import changebot, diagnose
from bot.slack.server.context import SlackRuntime


def register(app: App, services: Services, runtime: SlackRuntime) -> None:
    """Register the command listeners."""
    app.command("/diagnose")(diagnose.make_handler(services, runtime))
    app.command("/changebot")(changebot.make_handler(services, runtime))
