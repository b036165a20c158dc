"""Socket Mode at the listener level: bolt's SocketModeHandler.handle with the real app.

Envelopes skip the HTTP signature (the socket is authenticated by the app token), are acked with
their envelope id, and redeliveries (``retry_attempt``) of an event never produce a second reply.
"""

import logging
import socket
import threading
import time

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.socket_mode.request import SocketModeRequest

from tests.servers.slack_api import BOT_USER
from tests.slack.conftest import settle
from tests.slack.harness import message_event


class FakeSocketClient:
    """Records what the handler sends back over the socket."""

    logger = logging.getLogger("fake-socket")

    def __init__(self) -> None:
        self.responses = []

    def send_socket_mode_response(self, response) -> None:
        self.responses.append(response)


@pytest.fixture
def socket_handler(built):
    handler = SocketModeHandler(built[0], app_token="xapp-test")
    yield handler
    handler.close()


def envelope(
    event_id: str, event: dict, envelope_id: str, retry: int | None = None
) -> SocketModeRequest:
    payload = {"type": "event_callback", "team_id": "T1", "event_id": event_id, "event": event}
    return SocketModeRequest(
        type="events_api",
        envelope_id=envelope_id,
        payload=payload,
        retry_attempt=retry,
        retry_reason="timeout" if retry else None,
    )


def test_event_envelopes_are_acked_and_answered_once(socket_handler, stub, runtime) -> None:
    client = FakeSocketClient()
    event = message_event(f"<@{BOT_USER}> our ward has no time for change", kind="app_mention")
    socket_handler.handle(client, envelope("EvS1", event, "env-1"))
    socket_handler.handle(client, envelope("EvS1", event, "env-2", retry=1))  # redelivery
    socket_handler.handle(client, envelope("EvS2", event, "env-3"))  # same message, new event id
    assert [r.envelope_id for r in client.responses] == ["env-1", "env-2", "env-3"]
    stub.wait_for("chat.postMessage")
    settle(runtime)
    assert len(stub.calls_to("chat.postMessage")) == 1


def test_slash_command_over_the_socket(socket_handler, stub) -> None:
    client = FakeSocketClient()
    payload = {
        "command": "/changebot",
        "text": "help",
        "user_id": "U1",
        "team_id": "T1",
        "channel_id": "C1",
        "response_url": stub.response_url(),
        "trigger_id": "t",
    }
    socket_handler.handle(
        client, SocketModeRequest(type="slash_commands", envelope_id="env-c", payload=payload)
    )
    assert [r.envelope_id for r in client.responses] == ["env-c"]
    [reply] = stub.wait_for("response")
    assert "/diagnose" in reply.payload["text"] or "/diagnose" in str(reply.payload["blocks"])


def events_api(envelope_id: str, event_id: str, event: dict, retry: int = 0) -> dict:
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": retry,
        "retry_reason": "timeout" if retry else "",
        "payload": {
            "type": "event_callback",
            "team_id": "T1",
            "event_id": event_id,
            "event": event,
        },
    }


def test_disconnect_and_redelivery_over_a_real_socket(built, stub, runtime) -> None:
    """T13: E1, then a refresh_requested disconnect; the new socket redelivers E1 and sends E2.
    changebot reconnects, acks everything, and answers E1 and E2 exactly once each."""
    from tests.slack.ws_stub import SocketModeStub

    e1 = message_event(
        f"<@{BOT_USER}> our ward has no time for change", kind="app_mention", channel="CA"
    )
    e2 = message_event(
        f"<@{BOT_USER}> the consultants are not convinced", kind="app_mention", channel="CB"
    )
    sessions = [
        [
            events_api("env-1", "EvW1", e1),
            {"wait_ack": "env-1"},
            {"type": "disconnect", "reason": "refresh_requested"},
            {"close": True},
        ],
        [events_api("env-1b", "EvW1", e1, retry=1), events_api("env-2", "EvW2", e2)],
    ]
    with SocketModeStub(sessions) as ws:
        stub.ws_url = ws.url
        handler = SocketModeHandler(built[0], app_token="xapp-test", ping_interval=1)
        try:
            handler.connect()
            assert ws.wait_acks("env-1b") and ws.wait_acks("env-2")
            posts = stub.wait_for("chat.postMessage", 2, timeout=20)
            settle(runtime, 0.5)
        finally:
            handler.close()
    assert ws.connections >= 2 and len(stub.calls_to("apps.connections.open")) >= 2
    assert sorted(c.payload["channel"] for c in stub.calls_to("chat.postMessage")) == ["CA", "CB"]
    assert len(posts) == 2


def test_half_open_socket_is_detected_and_replaced(built, stub, runtime) -> None:
    """T14: the link goes silent (no close, no pongs); the client reconnects and carries on."""
    from urllib.parse import urlsplit

    from tests.slack.freezing_proxy import FreezingProxy
    from tests.slack.ws_stub import SocketModeStub

    event = message_event(f"<@{BOT_USER}> we have no time to plan change", kind="app_mention")
    sessions: list[list[dict]] = [[], [events_api("env-after", "EvHalf", event)]]
    with SocketModeStub(sessions) as ws, FreezingProxy(urlsplit(ws.url).port or 0) as proxy:
        stub.ws_url = f"ws://127.0.0.1:{proxy.port}/link"
        handler = SocketModeHandler(built[0], app_token="xapp-test", ping_interval=1)
        try:
            handler.connect()
            for _ in range(50):
                if ws.connections:
                    break
                time.sleep(0.1)
            time.sleep(0.5)
            proxy.freeze()
            frozen_at = time.monotonic()
            assert ws.wait_acks("env-after", timeout=20)  # only the second connection sends it
            reconnected_in = time.monotonic() - frozen_at
            posts = stub.wait_for("chat.postMessage", 1, timeout=20)
            settle(runtime, 0.5)
        finally:
            handler.close()
    assert proxy.accepted >= 2 and len(stub.calls_to("apps.connections.open")) >= 2
    assert reconnected_in < 12  # stale after > 4 ping intervals, then a fresh connection
    assert len(posts) == 1


@pytest.mark.parametrize("broken", ["refused token", "no route to Slack"])
def test_a_failed_connection_is_a_plain_error_not_a_traceback(
    built, stub, slack_settings, broken: str
) -> None:
    """The first thing an admin sees with a wrong token or a blocked network: what and why."""
    from pydantic import SecretStr

    from bot.cli.serve import _serve_socket_mode
    from bot.common.errors import ChangebotError
    from tests.servers.slack_api import Scripted

    app = built[0]
    if broken == "refused token":
        stub.script("apps.connections.open", Scripted(body={"ok": False, "error": "invalid_auth"}))
    else:
        with socket.socket() as probe:  # a port nothing listens on
            probe.bind(("127.0.0.1", 0))
            dead = probe.getsockname()[1]
        app.client.base_url = f"http://127.0.0.1:{dead}/api/"
    settings = slack_settings.model_copy(update={"slack_app_token": SecretStr("xapp-1-secret")})
    with pytest.raises(ChangebotError) as raised:
        _serve_socket_mode(app, settings, threading.Event())
    said = raised.value.user_message
    assert said.startswith("changebot could not connect to Slack in Socket Mode")
    assert ("invalid_auth" in said and "SLACK_APP_TOKEN" in said) == (broken == "refused token")
    assert ("reach slack.com" in said) == (broken == "no route to Slack")
    assert "xapp-1-secret" not in said and "Traceback" not in said
