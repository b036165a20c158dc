"""``changebot serve`` and ``changebot feedback``: the Slack entry points of the CLI.

``serve`` uses Socket Mode when ``SLACK_APP_TOKEN`` is set (no inbound port: works behind NHS
firewalls) and the signed HTTP endpoint ``/slack/events`` with ``--http`` or when there is no app
token. This process is the *front*: it verifies, claims, acks and posts; the core runs in
``CHANGEBOT_WORKERS`` worker processes (``bot.workers``). Only one Socket Mode process may run per
data directory (a file lock): two would each get a share of the events. SIGTERM/SIGINT stop new
work, let in-flight replies finish (``CHANGEBOT_SHUTDOWN_GRACE_S``, 20 s) or leave them to the
journal (another replica, or the next start, apologises once) and exit 0. In Socket Mode,
``CHANGEBOT_HEALTH_PORT`` serves ``/healthz`` and ``/readyz`` for an orchestrator. Retention
pruning of diagnosis history and feedback runs at start and every six hours.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

from bot.common.errors import ChangebotError
from bot.common.logs import configure_logging
from bot.settings import Settings
from bot.state.feedback import aggregate, export_json, read_feedback
from bot.state.retention import prune_all
from bot.state.store import SharedStore
from bot.workers.gateway import Core, LocalCore

if TYPE_CHECKING:
    from slack_bolt import App

    from bot.services import Services

logger = logging.getLogger(__name__)
RETENTION_EVERY_S = 6 * 3600.0


@contextmanager
def socket_mode_lock(data_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock so only one Socket Mode process serves this installation."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "slack-socket-mode.lock"
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise ChangebotError(
                "Another changebot is already connected to Slack in Socket Mode from this data "
                "directory. Stop it first: two connections would split the events between them."
            ) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield


def prune_retained(settings: Settings, store: SharedStore) -> None:
    """Apply ``retention_days`` to history, feedback, rate rows, claims and audit (counts only)."""
    counts = prune_all(
        store,
        settings.data_dir,
        settings.retention_days,
        insights_days=settings.insights_retention_days,
    )
    logger.info("retention: old records removed %s", counts)


def _retention_loop(settings: Settings, store: SharedStore, stop: threading.Event) -> None:
    while True:
        try:
            prune_retained(settings, store)
        except Exception as exc:  # noqa: BLE001 - a database outage must not end the loop
            logger.warning("retention job failed (%s)", type(exc).__name__)
        if stop.wait(RETENTION_EVERY_S):
            return


def _check_credentials(settings: Settings, http: bool) -> None:
    if settings.slack_bot_token is None:
        raise ChangebotError("SLACK_BOT_TOKEN is not set. See 'Connect to Slack' in the README.")
    if http and settings.slack_signing_secret is None:
        raise ChangebotError("SLACK_SIGNING_SECRET is needed for the HTTP endpoint (--http).")
    if not http and settings.slack_app_token is None:
        raise ChangebotError("SLACK_APP_TOKEN (xapp-...) is needed for Socket Mode.")


def serve_forever(
    core: Core | Services,
    http: bool,
    port: int = 3000,
    host: str = "0.0.0.0",
    stop: threading.Event | None = None,
) -> None:
    """Run the Slack app until SIGTERM/SIGINT (or ``stop`` is set); ``core`` is closed on exit."""
    from bot.slack.server.app import build_app, runtime_of
    from bot.workers.pool import PooledCore

    if not isinstance(core, LocalCore | PooledCore):
        core = LocalCore(cast("Services", core))
    settings = core.settings
    configure_logging(settings.log_level, settings.log_format == "json")
    _check_credentials(settings, http)
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    try:
        app = build_app(settings, core)
    except BaseException:
        core.close(timeout=5)
        raise
    threading.Thread(target=_retention_loop, args=(settings, core.store, stop), daemon=True).start()
    try:
        if http:
            _serve_http(app, host, port, stop)
        else:
            _serve_socket_mode(app, settings, stop)
    finally:
        logger.info(
            "stopping: finishing in-flight replies (up to %.0f s)", settings.shutdown_grace_s
        )
        runtime_of(app).shutdown(timeout=settings.shutdown_grace_s)
        logger.info("changebot stopped")


def _serve_http(app: App, host: str, port: int, stop: threading.Event) -> None:
    from bot.slack.server.http_endpoint import make_http_server

    server = make_http_server(app, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    logger.info("listening on http://%s:%d/slack/events", host, server.server_address[1])
    stop.wait()
    server.shutdown()
    server.server_close()


def _serve_socket_mode(app: App, settings: Settings, stop: threading.Event) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    assert settings.slack_app_token is not None
    with socket_mode_lock(settings.data_dir):
        health = None
        if settings.health_port is not None:
            from bot.slack.server.http_endpoint import make_health_server

            health = make_health_server(app, settings.health_host, settings.health_port)
            threading.Thread(target=health.serve_forever, daemon=True).start()
            logger.info("health checks on port %d", health.server_address[1])
        handler = SocketModeHandler(app, settings.slack_app_token.get_secret_value())
        try:
            handler.connect()  # type: ignore[no-untyped-call]
        except Exception as exc:  # a bad token or no route to Slack: say so, not a traceback
            handler.close()  # type: ignore[no-untyped-call]
            if health is not None:
                health.shutdown()
                health.server_close()
            raise ChangebotError(_connect_failure(exc)) from exc
        logger.info("connected to Slack in Socket Mode")
        stop.wait()
        handler.close()  # type: ignore[no-untyped-call]
        if health is not None:
            health.shutdown()
            health.server_close()


def _connect_failure(exc: Exception) -> str:
    """Why: the first thing an admin sees when the token or the network is wrong."""
    from slack_sdk.errors import SlackApiError

    start = "changebot could not connect to Slack in Socket Mode"
    if isinstance(exc, SlackApiError):
        return (
            f"{start}: Slack answered {exc.response.get('error', 'with an error')}. Check "
            "SLACK_APP_TOKEN: an app-level token (xapp-…) with the connections:write scope."
        )
    return (
        f"{start} ({type(exc).__name__}). Check that this machine can reach slack.com "
        "(proxy, firewall) and try again."
    )


def serve_command(settings: Settings, *, http: bool, port: int, host: str = "0.0.0.0") -> None:
    """``serve``, and ``start`` with Slack configured: start the core, then serve until stopped.

    The core prepares the index first (as ``start`` does), in a worker when there are workers.
    """
    from bot.workers.launch import start_core

    use_http = http or settings.slack_app_token is None
    configure_logging(settings.log_level, settings.log_format == "json")
    _check_credentials(settings, use_http)
    serve_forever(start_core(settings), http=use_http, port=port, host=host)


def register(app: typer.Typer, get_services: Callable[[], Services]) -> None:
    """Add ``serve`` and ``feedback`` to the changebot CLI."""

    @app.command()
    def serve(
        http: Annotated[
            bool, typer.Option("--http", help="Serve /slack/events over HTTP.")
        ] = False,
        port: Annotated[int, typer.Option("--port", help="HTTP port.")] = 3000,
        host: Annotated[str, typer.Option("--host", help="HTTP bind address.")] = "0.0.0.0",
    ) -> None:
        """Run the Slack bot: Socket Mode if SLACK_APP_TOKEN is set, else (or with --http) HTTP."""
        try:
            serve_command(Settings(), http=http, port=port, host=host)
        except ChangebotError as exc:
            typer.echo(exc.user_message, err=True)
            raise typer.Exit(1) from exc

    @app.command()
    def feedback(
        as_json: Annotated[bool, typer.Option("--json", help="Print aggregates as JSON.")] = False,
    ) -> None:
        """Summarise 👍/👎 feedback (aggregates only; no message text is ever stored)."""
        settings = Settings()
        store = SharedStore(settings.state_url)
        try:
            if as_json:
                typer.echo(export_json(settings.data_dir, store))
                return
            agg = aggregate(read_feedback(settings.data_dir, store))
        finally:
            store.close()
        rate = "n/a" if agg["helpful_rate"] is None else f"{agg['helpful_rate']:.0%}"
        typer.echo(f"{agg['total']} votes, {rate} helpful")
        for kind, votes in agg["by_kind"].items():
            typer.echo(f"  {kind}: {votes['up']} up, {votes['down']} down")
        for reason, count in agg["reasons"].items():
            typer.echo(f"  reason {reason}: {count}")
        for barrier, votes in agg["by_barrier"].items():
            typer.echo(f"  top barrier {barrier}: {votes['up']} up, {votes['down']} down")
