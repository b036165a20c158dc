"""No silent telemetry: LangSmith tracing stays off unless CHANGEBOT_LANGSMITH_TRACING turns it on.

A loopback server stands in for LangSmith (``LANGSMITH_ENDPOINT``) and records every request; a
real LangChain chat model (built by ``bot.llm.transport``) calls the loopback OpenAI-compatible
server. The host's environment asks for tracing in every way LangChain understands.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from langchain_core.tracers.langchain import wait_for_all_tracers
from langsmith import utils as ls_utils
from langsmith.run_trees import configure

from bot.llm.transport import make_chat_model
from bot.settings import TRACING_DESTINATIONS, TRACING_SWITCHES, Settings, apply_process_policy
from tests.servers.openai_server import OpenAIServer
from tests.servers.openai_server import openai_server as openai_server  # noqa: F401


class LangSmithStub:
    """Answers anything with ``{}`` and records (method, path) of every request."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"stub": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()

    def record(self, method: str, path: str) -> None:
        with self._lock:
            self.requests.append((method, path))

    def wait_for_any(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.requests:
                return True
            time.sleep(0.02)
        return bool(self.requests)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    stub: LangSmithStub
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return

    def _any(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.stub.record(self.command, self.path)
        data = json.dumps({}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = do_PUT = _any


def reset_langsmith() -> None:
    """Forget LangSmith's cached environment, global switch and client between tests."""
    wait_for_all_tracers()
    ls_utils.get_env_var.cache_clear()  # type: ignore[attr-defined]
    ls_utils.get_tracer_project.cache_clear()
    configure(enabled=None, client=None)


@pytest.fixture
def langsmith() -> Iterator[LangSmithStub]:
    stub = LangSmithStub()
    yield stub
    stub.close()


HOST_ASKS_FOR_TRACING = {
    "LANGSMITH_TRACING": "true",
    "LANGCHAIN_TRACING_V2": "true",
    "LANGSMITH_API_KEY": "lsv2-fake-key",
    "LANGCHAIN_API_KEY": "lsv2-fake-key",
    "LANGSMITH_PROJECT": "someone-elses-project",
}


@pytest.fixture
def tracing_host(monkeypatch: pytest.MonkeyPatch, langsmith: LangSmithStub) -> Iterator[None]:
    """The host environment of an engineer who traces everything, pointed at the stub."""
    for name in (*TRACING_SWITCHES, *TRACING_DESTINATIONS):
        monkeypatch.delenv(name, raising=False)  # restored afterwards, whatever the policy did
    for name, value in HOST_ASKS_FOR_TRACING.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LANGSMITH_ENDPOINT", langsmith.url)
    monkeypatch.setenv("LANGCHAIN_ENDPOINT", langsmith.url)
    reset_langsmith()
    yield
    reset_langsmith()


def call_the_model(openai_server: OpenAIServer) -> None:  # noqa: F811
    settings = Settings(
        _env_file=None,
        openai_base_url=openai_server.url,
        openai_api_key="sk-test",
        llm_model="test-model",
        llm_timeout_s=5.0,
    )
    reply = make_chat_model(settings).invoke([("user", "our ward has no time for change")])
    assert reply.content
    assert openai_server.hits["chat"] == 1
    wait_for_all_tracers()  # flushes any queued trace to the endpoint before we look


def test_tracing_is_off_by_default_whatever_the_host_says(
    tracing_host,
    langsmith,
    openai_server,  # noqa: F811
) -> None:
    apply_process_policy(Settings(_env_file=None))
    call_the_model(openai_server)
    assert not langsmith.wait_for_any(0.3)
    assert langsmith.requests == []
    assert ls_utils.tracing_is_enabled() is False


def test_tracing_stays_off_when_langsmith_already_read_the_environment(
    tracing_host,
    langsmith,
    openai_server,  # noqa: F811
) -> None:
    """LangSmith caches what it reads; the policy must not be defeated by an earlier import."""
    assert ls_utils.tracing_is_enabled() is True  # read (and cached) before the policy runs
    apply_process_policy(Settings(_env_file=None))
    call_the_model(openai_server)
    assert not langsmith.wait_for_any(0.3)


def test_the_environment_no_longer_names_a_destination(tracing_host) -> None:
    apply_process_policy(Settings(_env_file=None))
    assert all(os.environ[name] == "false" for name in TRACING_SWITCHES)
    assert not any(name in os.environ for name in TRACING_DESTINATIONS)


def test_legacy_v1_switch_neither_traces_nor_crashes(
    tracing_host,
    monkeypatch,
    langsmith,
    openai_server,  # noqa: F811
) -> None:
    """LANGCHAIN_TRACING (v1) with v2 off makes LangChain raise; the policy clears it too."""
    monkeypatch.setenv("LANGCHAIN_TRACING", "true")
    monkeypatch.setenv("LANGCHAIN_HANDLER", "langchain")
    apply_process_policy(Settings(_env_file=None))
    call_the_model(openai_server)
    assert langsmith.requests == []


def test_the_changebot_setting_turns_tracing_on(
    tracing_host,
    monkeypatch,
    langsmith,
    openai_server,  # noqa: F811
) -> None:
    """Control: with CHANGEBOT_LANGSMITH_TRACING=true the same call does reach the endpoint,
    so the tests above would see a trace if one were sent."""
    monkeypatch.setenv("CHANGEBOT_LANGSMITH_TRACING", "true")
    settings = Settings(_env_file=None)
    assert settings.langsmith_tracing is True
    apply_process_policy(settings)
    call_the_model(openai_server)
    assert langsmith.wait_for_any(10), "tracing was enabled but nothing reached the endpoint"
    assert any(path.startswith("/runs") for _, path in langsmith.requests)


def test_setting_defaults_to_off() -> None:
    assert Settings(_env_file=None).langsmith_tracing is False
