"""Bolt listeners, one folder per surface; each folder has ``register(app, services, runtime)``.

Every handler follows the same shape: ack at once, parse the payload, hand the slow part (core
call, Slack posts) to the worker, render with the pure builders in ``bot.slack``.
"""

from __future__ import annotations

from slack_bolt import App

from bot.services import Services
from bot.slack.listeners import actions, commands, events, views
from bot.slack.server.context import SlackRuntime


def register(app: App, services: Services, runtime: SlackRuntime) -> None:
    """Register every listener."""
    for surface in (events, commands, actions, views):
        surface.register(app, services, runtime)
