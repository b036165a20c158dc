"""Bolt listeners, one folder per surface; each folder has ``register(app, core, runtime)``.

Every handler follows the same shape: ack at once, parse the payload, hand the slow part (core
call, Slack posts) to the worker, render with the pure builders in ``bot.slack``.
"""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners import actions, commands, events, views
from bot.slack.server.context import SlackRuntime
from bot.workers.gateway import Core


def register(app: App, core: Core, runtime: SlackRuntime) -> None:
    """Register every listener."""
    for surface in (events, commands, actions, views):
        surface.register(app, core, runtime)
