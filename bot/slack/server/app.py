"""``build_app(settings, core)``: the bolt App with its clients, middleware and listeners.

Only wiring lives here (style item 1). The Web API client points at ``CHANGEBOT_SLACK_API_URL``
(GovSlack, loopback tests), retries 429s a bounded number of times with a capped wait, and retries
connection errors once; message posts use a twin client without the connection retry (see
``Poster``). Signature checks run before authorisation; event-id dedupe runs before any listener.
Listeners run on a 32-thread executor (bolt's default has cpu+4 threads, which queues acks in a
burst); they only claim and queue work, so the slow part never holds one of these threads.
"""

from __future__ import annotations

import logging
import sys
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, cast

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.common.errors import ChangebotError
from bot.settings import Settings
from bot.slack.delivery.dedupe import event_key
from bot.slack.delivery.poster import Poster
from bot.slack.delivery.retry import CappedRateLimitRetryHandler
from bot.slack.flows.connect_policy import SharedChannelPolicy
from bot.slack.flows.ingest import IngestRunner
from bot.slack.flows.reminders import start_reminder_sweeper
from bot.slack.flows.reply import apologise_for_lost_replies, start_lost_reply_sweeper
from bot.slack.listeners import register
from bot.slack.render.blocks import GENERIC_FAILURE, notice_message
from bot.slack.server.context import BotIdentity, SlackRuntime
from bot.slack.server.signature import SignedRequests
from bot.workers.gateway import Core, LocalCore
from bot.workers.pool import PooledCore

if TYPE_CHECKING:
    from bot.services import Services

logger = logging.getLogger(__name__)
API_TIMEOUT_S = 10
GIL_SWITCH_S = 0.0005
"""How long a busy thread may hold the GIL before a waiting one gets it (Python's default is 5 ms).

The core's work runs in worker threads of the same process; a request thread that verifies and
acks needs the GIL a dozen times (every socket read and write), and at 5 ms per hand-off a burst
of 50 acks queued behind embedding work missed 100 ms. At 0.5 ms the burst's p99 roughly halved
in ``bench/bench_ack.py`` (offline scenario, same machine, same load).
"""
_RUNTIMES: weakref.WeakKeyDictionary[App, SlackRuntime] = weakref.WeakKeyDictionary()


def make_clients(settings: Settings) -> tuple[WebClient, WebClient]:
    """(client, post_client): same token and base URL, different connection-retry policy."""
    if settings.slack_bot_token is None:
        raise ChangebotError("SLACK_BOT_TOKEN is not set, so changebot cannot connect to Slack.")
    token = settings.slack_bot_token.get_secret_value()
    rate: RateLimitErrorRetryHandler = CappedRateLimitRetryHandler(max_retry_count=2)
    base = (
        settings.slack_api_url
        if settings.slack_api_url.endswith("/")
        else settings.slack_api_url + "/"
    )
    client = WebClient(
        token=token,
        base_url=base,
        timeout=API_TIMEOUT_S,
        retry_handlers=[rate, ConnectionErrorRetryHandler(max_retry_count=1)],
    )
    post_client = WebClient(
        token=token, base_url=base, timeout=API_TIMEOUT_S, retry_handlers=[rate]
    )
    return client, post_client


def identify(client: WebClient) -> BotIdentity:
    """Who the bot is (``auth.test``): needed to spot its own messages and mentions."""
    auth = client.auth_test()
    return BotIdentity(
        str(auth.get("user_id") or ""),
        str(auth.get("bot_id") or ""),
        str(auth.get("team_id") or ""),
    )


def dedupe_middleware(runtime: SlackRuntime) -> Callable[..., BoltResponse | None]:
    """Acknowledge and drop an event delivery whose ``event_id`` was already claimed."""

    def drop_duplicate_events(
        body: dict[str, Any], next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        key = event_key(body)
        if key and not runtime.dedupe.claim(key):
            logger.info("duplicate delivery acked and dropped (%s)", key)
            return BoltResponse(status=200, body="")
        return next()

    return drop_duplicate_events


def build_app(
    settings: Settings, core: Core | Services, *, process_before_response: bool = True
) -> App:
    """The bolt App.

    ``process_before_response`` is True because every listener only claims the request and queues
    its work (``runtime.worker`` or ``runtime.urgent``): running it in the request thread returns
    the ack as soon as it returns, where bolt's other mode polls for the ack every 10 ms. ``core``
    may be ``Services`` (the core in this process, as tests and the terminal use it).
    """
    if not isinstance(core, LocalCore | PooledCore):
        core = LocalCore(cast("Services", core))
    sys.setswitchinterval(GIL_SWITCH_S)
    client, post_client = make_clients(settings)
    identity = identify(client)
    poster = Poster(client, post_client, settings.slack_api_url, identity.bot_id)
    runtime = SlackRuntime(
        settings=settings,
        core=core,
        identity=identity,
        poster=poster,
        channels=SharedChannelPolicy(client),
        ingests=IngestRunner(core, poster),
    )
    secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    )
    app = App(
        client=client,
        signing_secret=secret or "",
        process_before_response=process_before_response,
        request_verification_enabled=False,
        before_authorize=SignedRequests(secret),
        logger=logging.getLogger("bot.slack.bolt"),
        listener_executor=ThreadPoolExecutor(max_workers=32, thread_name_prefix="bolt"),
    )
    app.use(dedupe_middleware(runtime))
    register(app, core, runtime)
    app.error(make_error_handler(runtime))
    _RUNTIMES[app] = runtime
    apologise_for_lost_replies(runtime)
    runtime.sweepers += [start_lost_reply_sweeper(runtime), start_reminder_sweeper(runtime)]
    logger.info("slack app built (bot=%s, team=%s)", identity.user_id, identity.team_id)
    return app


def make_error_handler(runtime: SlackRuntime) -> Callable[..., None]:
    """Last resort for a listener that raised: log the type, tell the user in plain words."""

    def handle_error(error: Exception, body: dict[str, Any]) -> None:
        logger.error("listener failed (%s) for %s", type(error).__name__, body.get("type"))
        url = body.get("response_url")
        if isinstance(url, str):
            runtime.poster.respond(url, notice_message(GENERIC_FAILURE))

    return handle_error


def runtime_of(app: App) -> SlackRuntime:
    """The Slack runtime behind an app built by ``build_app`` (for serve shutdown and tests)."""
    return _RUNTIMES[app]
