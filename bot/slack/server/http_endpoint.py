"""The HTTP transport: bolt's WSGI adapter behind a small threaded stdlib server.

Why stdlib: ``changebot serve --http`` must run anywhere Python does, behind an NHS reverse proxy,
with no extra server to install. Each request gets a thread, and a handler only verifies, claims
and acks, so a handful of threads keep acks under 100 ms. Bodies above 1 MB are refused before
they are read (Slack's payloads are far smaller). The signature is checked here on the raw bytes,
before bolt parses anything (T3): a forged body that is not even UTF-8 or JSON gets a 401, never a
500 with a traceback. Access logs are off (paths only, no value).

Every connection has a socket timeout (``CONNECTION_TIMEOUT_S``): without one, a client that opens
a socket, sends half a request and stalls holds its thread forever, and a few hundred such
sockets exhaust the process. Slack sends each request whole at once, so 15 s between bytes is far
more than it ever needs. A connection that times out is closed quietly (no traceback on stderr).
"""

from __future__ import annotations

import io
import json
import logging
import queue
import threading
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.slack.server.app import runtime_of
from bot.slack.server.signature import SignedRequests

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1 << 20
EVENTS_PATH = "/slack/events"
CONNECTION_TIMEOUT_S = 15.0
HEALTH_PATHS = ("/healthz", "/readyz")

StartResponse = Callable[..., Any]


class ThreadingWSGIServer(WSGIServer):
    """Every connection gets its own thread at once; finished threads wait for the next one.

    Why not ``ThreadingMixIn``: it starts a new thread per connection, and ``Thread.start``
    waits until the new thread has run, so the single accepting thread queued for the GIL
    twice per connection behind the requests it had already accepted. In a burst of 50 that
    spread the accepts over 70-150 ms (measured with ``bench/bench_ack.py`` on 2 cores), and
    the last accept set the p99. Here the accepting thread hands a connection to an idle
    thread through a queue (no wait); only when none is idle does it start one, so a stalled
    client still never delays anyone else. Up to ``RESIDENT_THREADS`` threads stay for later
    bursts; threads beyond that end with their connection. All are daemon threads.
    """

    allow_reuse_address = True
    request_queue_size = 128  # socketserver's default of 5 resets connections in a burst
    RESIDENT_THREADS = 64

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._connections: queue.SimpleQueue[tuple[Any, Any] | None] = queue.SimpleQueue()
        self._count = threading.Lock()
        self._idle = 0  # threads waiting for a connection, less connections queued for them
        self._resident = 0
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Hand the connection to an idle thread, or to a new one when none is idle."""
        with self._count:
            if self._idle:
                self._idle -= 1
                self._connections.put((request, client_address))
                return
            resident = self._resident < self.RESIDENT_THREADS
            self._resident += resident
        threading.Thread(
            target=self._serve,
            args=(request, client_address, resident),
            name="cb-http",
            daemon=True,
        ).start()

    def _serve(self, request: Any, client_address: Any, resident: bool) -> None:
        while True:
            try:
                self.finish_request(request, client_address)
            except Exception:  # noqa: BLE001 - as socketserver does: report, close, go on
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)
            if not resident:
                return
            with self._count:
                self._idle += 1
            handed = self._connections.get()
            if handed is None:  # server_close
                return
            request, client_address = handed

    def server_close(self) -> None:
        """Close the socket and let the waiting threads end (busy ones end after their request)."""
        super().server_close()
        with self._count:
            for _thread in range(self._resident):
                self._connections.put(None)
            self._resident = 0


class QuietHandler(WSGIRequestHandler):
    """No per-request access log lines; a stalled client is dropped after ``timeout`` seconds."""

    timeout = CONNECTION_TIMEOUT_S  # StreamRequestHandler.setup applies it to the socket
    # buffer the response: wsgiref writes the status line, each header block and the body
    # separately, and unbuffered that is five socket sends (each a GIL hand-off under a
    # burst); buffered it is one send when the handler flushes
    wbufsize = 64 * 1024

    def handle(self) -> None:
        """Serve one request; a client that stops sending (or reading) is disconnected quietly.

        Why here: ``WSGIRequestHandler.handle`` reads the request line and headers itself and,
        unlike ``BaseHTTPRequestHandler``, does not catch the timeout, so socketserver would print
        a traceback to stderr for every slow client.
        """
        try:
            super().handle()
        except TimeoutError:
            self.close_connection = True
            logger.info("closed a connection idle for over %.0f s", self.timeout or 0)
        except ConnectionError:  # the client hung up mid-request: nothing to answer
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        """Drop the access log line."""


def _with_timeout(timeout_s: float) -> type[QuietHandler]:
    """A handler class whose connections time out after ``timeout_s`` (one class per server)."""

    class TimedHandler(QuietHandler):
        timeout = timeout_s

    return TimedHandler


def readiness(app: App) -> dict[str, bool]:
    """What a load balancer needs before sending work: the store, the index, the workers."""
    runtime = runtime_of(app)
    core = runtime.core
    return {
        "store": core.store.ping(),
        "index": core.ready(),
        "workers": not runtime.stopping.is_set() and core.ready(),
    }


def _reply(start_response: StartResponse, status: str, text: bytes) -> Iterable[bytes]:
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(text)))])
    return [text]


def wsgi_app(
    app: App, signed: SignedRequests, path: str = EVENTS_PATH
) -> Callable[..., Iterable[bytes]]:
    """Bolt's WSGI handler behind a health check, a body-size guard and the signature check."""
    slack = SlackRequestHandler(app, path)
    health = health_app(app)
    acks = runtime_of(app).acks

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        acks.enter()
        try:
            return handle(environ, start_response)
        finally:
            acks.leave()

    def handle(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") in HEALTH_PATHS:
            return health(environ, start_response)
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != path:
            return _reply(start_response, "404 Not Found", b"not found")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY_BYTES:
            return _reply(start_response, "413 Payload Too Large", b"too large")
        try:
            raw = environ["wsgi.input"].read(length)
        except TimeoutError:
            logger.info("closed a request whose body stalled")
            return _reply(start_response, "408 Request Timeout", b"request timeout")
        timestamp, signature = (
            environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"),
            environ.get("HTTP_X_SLACK_SIGNATURE"),
        )
        if not signed.check(raw, timestamp, signature):
            return _reply(start_response, "401 Unauthorized", b"invalid request")
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return _reply(start_response, "400 Bad Request", b"bad request")
        environ["wsgi.input"] = io.BytesIO(raw)
        return slack(environ, start_response)

    return application


def health_app(app: App) -> Callable[..., Iterable[bytes]]:
    """Only ``/healthz`` and ``/readyz`` (the Socket Mode health port: no events over HTTP)."""

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            return _reply(start_response, "200 OK", b"ok")
        if environ.get("PATH_INFO") == "/readyz":
            checks = readiness(app)
            status = "200 OK" if all(checks.values()) else "503 Service Unavailable"
            return _reply(start_response, status, json.dumps(checks).encode())
        return _reply(start_response, "404 Not Found", b"not found")

    return application


def make_health_server(app: App, host: str, port: int) -> ThreadingWSGIServer:
    """A bound server for the health checks alone; port 0 picks a free port."""
    server = make_server(
        host,
        port,
        health_app(app),
        server_class=ThreadingWSGIServer,
        handler_class=_with_timeout(CONNECTION_TIMEOUT_S),
    )
    assert isinstance(server, ThreadingWSGIServer)
    return server


def make_http_server(
    app: App, host: str, port: int, *, timeout_s: float = CONNECTION_TIMEOUT_S
) -> ThreadingWSGIServer:
    """A bound (not yet serving) server for ``/slack/events``; port 0 picks a free port.

    ``timeout_s`` bounds each socket read and write of a connection (tests use about a second).
    """
    secret = runtime_of(app).settings.slack_signing_secret
    signed = SignedRequests(secret.get_secret_value() if secret else None)
    server = make_server(
        host,
        port,
        wsgi_app(app, signed),
        server_class=ThreadingWSGIServer,
        handler_class=_with_timeout(timeout_s),
    )
    assert isinstance(server, ThreadingWSGIServer)
    return server
