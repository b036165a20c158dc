"""Signed-request helpers: the real bolt app behind the real HTTP server, driven over loopback."""

from __future__ import annotations

import http.client
import itertools
import json
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import urlencode

from slack_bolt import App
from slack_sdk.signature import SignatureVerifier

from bot.slack.server.http_endpoint import make_http_server

SECRET = "secret"
_ids = itertools.count(1)
T = TypeVar("T")


def sign(body: bytes, timestamp: str, secret: str = SECRET) -> str:
    return SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body) or ""


def next_ts() -> str:
    return f"1710000000.{next(_ids):06d}"


def concurrently(calls: Sequence[Callable[[], T]], threads: int = 50) -> list[T]:
    """Run ``calls`` on ``threads`` threads, the first ``threads`` released together; results in
    call order. A bounded burst generator for load tests: exactly ``len(calls)`` calls, then it
    stops.
    """
    go = threading.Event()

    def run(call: Callable[[], T]) -> T:
        go.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="burst") as pool:
        futures = [pool.submit(run, call) for call in calls]
        go.set()
        return [future.result() for future in futures]


class Harness:
    """Runs ``make_http_server(app)`` on 127.0.0.1 and posts signed payloads to it."""

    def __init__(self, app: App, response_url: str = "") -> None:
        self.server = make_http_server(app, "127.0.0.1", 0)
        self.port = self.server.server_address[1]
        self.response_url = response_url
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def post(
        self,
        body: bytes,
        content_type: str = "application/json",
        *,
        secret: str = SECRET,
        timestamp: str | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
        path: str = "/slack/events",
    ) -> tuple[int, bytes, float]:
        """POST and return (status, body, seconds until the response)."""
        ts = str(int(time.time())) if timestamp is None else timestamp
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": sign(body, ts if ts.strip().isdigit() else "0", secret)
            if signature is None
            else signature,
            **(headers or {}),
        }
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        started = time.perf_counter()
        conn.request("POST", path, body=body, headers=sent)
        resp = conn.getresponse()
        data = resp.read()
        elapsed = time.perf_counter() - started
        conn.close()
        return resp.status, data, elapsed

    # -- payload builders --------------------------------------------------------------------
    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry: int | None = None,
        shared: bool = False,
        team: str = "T1",
    ) -> tuple[int, bytes, float]:
        envelope = {
            "token": "legacy",
            "team_id": team,
            "api_app_id": "A1",
            "type": "event_callback",
            "event": event,
            "event_id": event_id or f"Ev{next(_ids):08d}",
            "event_time": int(time.time()),
            "is_ext_shared_channel": shared,
            "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
        }
        headers = (
            {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
            if retry
            else None
        )
        return self.post(json.dumps(envelope).encode(), headers=headers)

    def command(
        self,
        command: str,
        text: str = "",
        *,
        user_id: str = "U1",
        team_id: str = "T1",
        channel_id: str = "C1",
        **extra: str,
    ) -> tuple[int, bytes, float]:
        form = {
            "token": "legacy",
            "team_id": team_id,
            "team_domain": "nhs",
            "channel_id": channel_id,
            "channel_name": "directmessage" if channel_id.startswith("D") else "general",
            "user_id": user_id,
            "user_name": "someone",
            "command": command,
            "text": text,
            "api_app_id": "A1",
            "response_url": self.response_url,
            "trigger_id": "trig.1",
            **extra,
        }
        return self.post(urlencode(form).encode(), "application/x-www-form-urlencoded")

    def interaction(self, payload: dict[str, Any]) -> tuple[int, bytes, float]:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded")

    def action(
        self, action_id: str, value: str, *, user: str = "U1", team: str = "T1", channel: str = "C1"
    ) -> tuple[int, bytes, float]:
        return self.interaction(
            {
                "type": "block_actions",
                "team": {"id": team},
                "user": {"id": user, "team_id": team},
                "api_app_id": "A1",
                "trigger_id": "trig.2",
                "response_url": self.response_url,
                "channel": {"id": channel},
                "container": {"type": "message", "channel_id": channel},
                "actions": [
                    {"action_id": action_id, "block_id": "b", "value": value, "type": "button"}
                ],
            }
        )

    def view_submission(
        self,
        callback_id: str,
        values: dict[str, Any],
        metadata: str,
        *,
        user: str = "U1",
        team: str = "T1",
    ) -> tuple[int, bytes, float]:
        return self.interaction(
            {
                "type": "view_submission",
                "team": {"id": team},
                "user": {"id": user, "team_id": team},
                "api_app_id": "A1",
                "trigger_id": "trig.3",
                "view": {
                    "id": "V1",
                    "type": "modal",
                    "callback_id": callback_id,
                    "private_metadata": metadata,
                    "state": {"values": values},
                },
            }
        )


def message_event(
    text: str,
    *,
    channel: str = "C1",
    user: str = "U1",
    ts: str | None = None,
    thread_ts: str | None = None,
    channel_type: str = "channel",
    kind: str = "message",
    **extra: Any,
) -> dict[str, Any]:
    event = {
        "type": kind,
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts or next_ts(),
        "channel_type": channel_type,
        "team": "T1",
        **extra,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    if kind == "app_mention":
        event.pop("channel_type")
    return event
