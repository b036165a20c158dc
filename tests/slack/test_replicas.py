"""Two replicas behind a load balancer, sharing a real PostgreSQL server (scale-out).

Each replica is a full app (its own data dir, HTTP endpoint, worker pools, replica id) over the
same shared store; Slack's Web API is one loopback stub. What must hold: one reply per event
whichever replica each delivery reaches, "Share" works on the other replica, and a replica that
dies holding a promise gets exactly one apology (from the survivor, after the lease expires).
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.slack.delivery.journal import APOLOGY, Pending
from bot.state.store import SharedStore
from tests.servers.postgres import postgres as postgres  # noqa: F401 - shared fixture
from tests.servers.slack_api import BOT_USER
from tests.slack.conftest import settle
from tests.slack.harness import SECRET, Harness, message_event
from tests.slack.test_actions import SITUATION, card_id_from


class Replica:
    """One running app: its harness (HTTP endpoint) and its runtime."""

    def __init__(self, name: str, root: Path, real_services: Any, url: str, api_url: str) -> None:
        from bot.settings import Settings
        from bot.slack.server.app import build_app, runtime_of

        self.settings = Settings(
            data_dir=root / name,
            slack_bot_token="xoxb-test",
            slack_signing_secret=SECRET,
            slack_api_url=api_url,
            database_url=url,
            replica_id=name,
            inflight_lease_s=0.5,
        )
        services = dataclasses.replace(real_services, store=SharedStore(url))
        self.app = build_app(self.settings, services)
        self.runtime = runtime_of(self.app)
        self.harness = Harness(self.app, response_url="")

    def close(self) -> None:
        self.harness.close()
        self.runtime.shutdown(timeout=10)


@pytest.fixture
def pair(real_services: Any, postgres: Any, stub: Any, tmp_path: Path) -> Iterator[list[Replica]]:
    url = postgres.url()
    replicas = [Replica(n, tmp_path, real_services, url, stub.api_url) for n in ("a", "b")]
    for replica in replicas:
        replica.harness.response_url = stub.response_url()
    yield replicas
    for replica in replicas:
        replica.close()


def test_the_same_event_on_both_replicas_is_answered_once(pair: list[Replica], stub: Any) -> None:
    a, b = pair
    event = message_event(f"<@{BOT_USER}> {SITUATION}", kind="app_mention")
    assert a.harness.event(event, event_id="EvTwice")[0] == 200
    assert b.harness.event(event, event_id="EvTwice", retry=1)[0] == 200
    as_message = {**event, "type": "message", "channel_type": "channel"}
    assert b.harness.event(as_message, event_id="EvOther")[0] == 200  # same message, other id
    stub.wait_for("chat.postMessage", timeout=30)
    for replica in pair:
        settle(replica.runtime, 0.5)
    assert len(stub.calls_to("chat.postMessage")) == 1


def test_share_works_when_the_click_reaches_the_other_replica(
    pair: list[Replica], stub: Any
) -> None:
    a, b = pair
    a.harness.command("/diagnose", SITUATION)
    [reply] = stub.wait_for("response", timeout=30)
    card = card_id_from(reply)
    stub.calls.clear()
    b.harness.action("diagnosis_share", card)
    [post] = stub.wait_for("chat.postMessage", timeout=20)
    assert "Shared by <@U1>" in json.dumps(post.payload["blocks"])


def test_a_dead_replicas_promise_gets_exactly_one_apology(pair: list[Replica], stub: Any) -> None:
    a, b = pair
    a.runtime.journal.open(Pending(kind="thread", channel="C1", user="U1", thread_ts="1.5"))
    assert b.runtime.journal.sweep() == []  # a is alive and within its lease
    # The lease (0.5 s) runs out: a died holding the promise. Both replicas' background
    # sweepers (every 0.5 s) race for it, and so do the manual sweeps below: one apology in all.
    [post] = stub.wait_for("chat.postMessage", timeout=10)
    assert APOLOGY in post.payload["text"] and post.payload["thread_ts"] == "1.5"
    time.sleep(1.2)  # two more rounds of every sweeper
    assert [b.runtime.journal.sweep(), a.runtime.journal.sweep()] == [[], []]
    assert len(stub.calls_to("chat.postMessage")) == 1


def test_a_clean_restart_owes_no_apology(pair: list[Replica], stub: Any) -> None:
    a, b = pair
    _entry, job = a.runtime.journal.tracked(
        Pending(kind="thread", channel="C1", user="U1", thread_ts="1.6"), lambda: None
    )
    job()  # the reply was delivered
    time.sleep(0.6)
    assert a.runtime.journal.recover() == [] and b.runtime.journal.sweep() == []
    assert stub.calls_to("chat.postMessage") == []
