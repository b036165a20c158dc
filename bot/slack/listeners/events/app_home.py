"""``app_home_opened``: publish the Home tab (admins also see index status and re-ingest)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackClientError

from bot.slack.flows.admin_status import index_status
from bot.slack.flows.permissions import actor_from_body, is_admin
from bot.slack.render.home import home_view
from bot.slack.server.context import SlackRuntime
from bot.state.history import user_key
from bot.workers.gateway import Core

logger = logging.getLogger(__name__)
Handler = Callable[..., None]


def make_handler(core: Core, runtime: SlackRuntime) -> Handler:
    """Bind the core and runtime to the bolt handler."""

    def publish(body: dict[str, Any], user_id: str) -> None:
        actor = actor_from_body(body)
        records = runtime.history.recent(user_key(actor.team_id, user_id))
        admin = is_admin(runtime.settings, actor, runtime.identity.team_id)
        status = index_status(core, runtime.ingests) if admin else None
        view = home_view(core.framework, records, runtime.settings.retention_days, status)
        try:
            runtime.poster.client.views_publish(user_id=user_id, view=view)
        except (OSError, SlackClientError) as exc:
            logger.warning("views.publish failed (%s)", type(exc).__name__)

    def handle_app_home_opened(body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("tab") != "home" or not event.get("user"):
            return
        runtime.worker.submit(lambda: publish(body, str(event["user"])), "home")

    return handle_app_home_opened
