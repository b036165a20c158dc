"""A loopback OpenAI-compatible server with scripted behaviour, for LLM tests over real HTTP.

It answers ``/v1/chat/completions`` (and Azure's ``/openai/deployments/<d>/chat/completions``) and
``/v1/embeddings``. Each request takes the next entry of ``script`` if any, else ``mode``. It
records every request body, counts hits and tracks how many chat requests are in flight at once.

Modes:
    ok              a valid reply for the task it sees (answer: cites the passage ids it was given;
                    diagnose: a barrier with evidence quoted from the situation)
    slow            sleeps ``slow_s`` seconds, then ok
    429 / 503       the status with ``Retry-After: retry_after``
    500 / 400 / 401 that status
    malformed_body  200 with a body that is not JSON
    malformed       200 whose message content is prose, not JSON
    schema          JSON that violates the schema (wrong types, missing fields)
    unknown_ids     answer cites an id it was not given; diagnose uses a barrier id not in the
                    framework
    bad_evidence    diagnose quotes evidence that is not in the user's text
    obedient        follows instructions found in the data: copies every passage (or the
                    situation) into its reply, cites everything, scores every barrier 1.0
    echo            returns its whole input (all messages) as the reply
    json_schema_500 500 when ``response_format`` is ``json_schema`` (like llama.cpp), else ok
    refusal         a refusal message; length: cut off (finish_reason=length); empty_choices
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.servers import openai_replies as replies


@dataclass
class Recorded:
    """One request as the server saw it."""

    path: str
    body: Any
    headers: dict[str, str]

    @property
    def route(self) -> str:
        """The path without its query string."""
        return self.path.split("?")[0]

    @property
    def text(self) -> str:
        """The raw body as text (for 'is this secret anywhere in what we sent' checks)."""
        return json.dumps(self.body)


@dataclass
class OpenAIServer:
    """State shared by the handler threads; tests set ``mode``/``script`` and read the records."""

    mode: str = "ok"
    script: list[str] = field(default_factory=list)
    retry_after: str = "1"
    slow_s: float = 5.0
    delay_s: float = 0.0
    payload: dict[str, Any] | None = None
    embedding_dim: int = 16
    # when set, every chat request is answered with ``respond_with(body)`` -> (status, JSON body),
    # ahead of ``script``/``mode``: for a reply a test composes from the request (its passage ids)
    respond_with: Callable[[dict[str, Any]], tuple[int, Any]] | None = None
    requests: list[Recorded] = field(default_factory=list)
    hits: Counter[str] = field(default_factory=Counter)
    in_flight: int = 0
    max_in_flight: int = 0
    url: str = ""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None

    def start(self) -> OpenAIServer:
        """Serve on 127.0.0.1 at a free port in a daemon thread."""
        handler = type("Handler", (_Handler,), {"state": self})
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        httpd.block_on_close = False
        self._httpd = httpd
        self.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        """Release sleeping handlers and stop serving."""
        self._stop.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    @property
    def base(self) -> str:
        """The server root without ``/v1`` (for Azure endpoints)."""
        return self.url.removesuffix("/v1")

    @property
    def chat_requests(self) -> list[Recorded]:
        """Recorded chat completion requests, in arrival order."""
        return [r for r in self.requests if r.route.endswith("/chat/completions")]

    def next_mode(self) -> str:
        with self._lock:
            return self.script.pop(0) if self.script else self.mode

    def record(self, path: str, body: Any, headers: dict[str, str]) -> None:
        with self._lock:
            self.requests.append(Recorded(path, body, headers))
            route = path.split("?")[0]
            self.hits["chat" if route.endswith("/chat/completions") else route] += 1

    def enter(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def sleep(self, seconds: float) -> None:
        self._stop.wait(seconds)


class _Handler(BaseHTTPRequestHandler):
    state: OpenAIServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body: Any = json.loads(raw)
        except ValueError:
            body = raw.decode("utf-8", "replace")
        path = self.path.split("?")[0]
        self.state.record(self.path, body, dict(self.headers.items()))
        if path.endswith("/chat/completions"):
            self.state.enter()
            try:
                self._chat(body if isinstance(body, dict) else {})
            finally:
                self.state.leave()
        elif path.endswith("/embeddings"):
            self._embeddings(body if isinstance(body, dict) else {})
        else:
            self._send(404, {"error": {"message": "not found"}})

    def _chat(self, body: dict[str, Any]) -> None:
        if self.state.respond_with is not None:
            status, reply = self.state.respond_with(body)
            return self._send(status, reply)
        mode = self.state.next_mode()
        if self.state.delay_s:
            self.state.sleep(self.state.delay_s)
        if mode == "slow":
            self.state.sleep(self.state.slow_s)
            mode = "ok"
        if mode == "json_schema_500":
            if (body.get("response_format") or {}).get("type") == "json_schema":
                return self._send(500, {"error": {"message": "json_schema is not supported"}})
            mode = "ok"
        if mode.isdigit():
            return self._status(int(mode))
        if mode == "malformed_body":
            return self._send_raw(200, b'{"id": "chatcmpl-1", "choices": [ {"mess')
        self._send(200, replies.completion(mode, body, self.state.payload))

    def _status(self, status: int) -> None:
        headers = {"Retry-After": self.state.retry_after} if status in (429, 503) else {}
        message = {429: "rate limited", 401: "bad key"}.get(status, f"error {status}")
        self._send(status, {"error": {"message": message, "code": status}}, headers)

    def _embeddings(self, body: dict[str, Any]) -> None:
        mode = self.state.next_mode()
        if mode.isdigit():
            return self._status(int(mode))
        texts = body.get("input") or []
        texts = [texts] if isinstance(texts, str) else texts
        data = [
            {"object": "embedding", "index": i, "embedding": _vector(t, self.state.embedding_dim)}
            for i, t in enumerate(texts)
        ]
        usage = {"prompt_tokens": len(texts), "total_tokens": len(texts)}
        reply = {"object": "list", "data": data, "model": body.get("model"), "usage": usage}
        self._send(200, reply)

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        self._send_raw(status, json.dumps(payload).encode(), headers)

    def _send_raw(self, status: int, data: bytes, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            # no keep-alive: each test's client (LangChain caches one per URL) would otherwise
            # hold its idle connections open, and this server a thread and socket for each
            self.send_header("Connection", "close")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout tests)


def _vector(text: str, dim: int) -> list[float]:
    """A deterministic, unnormalised vector so tests can check normalisation."""
    digest = hashlib.sha256(text.encode()).digest()
    return [(digest[i % len(digest)] - 128) / 16.0 for i in range(dim)]


@pytest.fixture
def openai_server() -> Iterator[OpenAIServer]:
    """A fresh scripted server per test (import this fixture into any conftest to share it)."""
    server = OpenAIServer().start()
    try:
        yield server
    finally:
        server.stop()
