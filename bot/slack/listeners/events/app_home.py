"""``app_home_opened``: publish the Home tab (admins also see index status and insights).

Admins also get re-ingest and the anonymous insights of the last 12 weeks as text.

``publish_home`` is also called after a test of change is saved or answered, so the "My tests of
change" section is current without the person reopening the tab.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackClientError

from bot.slack.flows.admin_status import index_status
from bot.slack.flows.insights import current_insights
from bot.slack.flows.permissions import Actor, actor_from_body, is_admin
from bot.slack.render.home import home_view
from bot.slack.server.context import SlackRuntime
from bot.state.history import user_key
from bot.state.insights import Insights
from bot.workers.gateway import Core

logger = logging.getLogger(__name__)
Handler = Callable[..., None]


def publish_home(core: Core, runtime: SlackRuntime, actor: Actor, user_id: str) -> None:
    """Build and publish one user's Home tab (a failure is logged, never raised)."""
    records = runtime.history.recent(user_key(actor.team_id, user_id))
    admin = is_admin(runtime.settings, actor, runtime.identity.team_id)
    status = index_status(core, runtime.ingests) if admin else None
    try:
        plans = runtime.plans.for_user(actor.team_id, user_id)
    except Exception as exc:  # the store hiccuped: show the rest of the tab
        logger.warning("plans unavailable for home (%s)", type(exc).__name__)
        plans = []
    insights: Insights | None = None
    if admin:
        try:
            insights = current_insights(runtime)
        except Exception as exc:  # the store hiccuped: show the rest of the tab
            logger.warning("insights unavailable for home (%s)", type(exc).__name__)
    view = home_view(
        core.framework,
        records,
        runtime.settings.retention_days,
        status,
        plans=plans,
        now=runtime.clock(),
        insights=insights,
    )
    try:
        runtime.poster.client.views_publish(user_id=user_id, view=view)
    except (OSError, SlackClientError) as exc:
        logger.warning("views.publish failed (%s)", type(exc).__name__)


def make_handler(core: Core, runtime: SlackRuntime) -> Handler:
    """Bind the core and runtime to the bolt handler."""

    def publish(body: dict[str, Any], user_id: str) -> None:
        publish_home(core, runtime, actor_from_body(body), user_id)

    def handle_app_home_opened(body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("tab") != "home" or not event.get("user"):
            return
        runtime.worker.submit(lambda: publish(body, str(event["user"])), "home")

    return handle_app_home_opened
