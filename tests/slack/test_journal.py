"""Replies acked but lost in a crash get one apology on restart, never two (C3)."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.slack.delivery.journal import APOLOGY, InFlightJournal, Pending
from bot.state.store import SharedStore
from tests.servers.openai_server import OpenAIServer
from tests.servers.slack_api import SlackApiStub
from tests.slack.harness import SECRET, Harness, message_event
from tests.slack.test_cli_slack import free_port

ROOT = Path(__file__).resolve().parents[2]


def store_at(folder: Path) -> SharedStore:
    folder.mkdir(parents=True, exist_ok=True)
    return SharedStore(f"sqlite:///{folder / 'state.db'}")


def test_an_entry_lives_from_ack_until_the_job_ends(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    journal = InFlightJournal(store, "replica-a")
    seen: list[int] = []
    _entry, job = journal.tracked(
        Pending(kind="thread", channel="C1", user="U1", thread_ts="1.2"),
        lambda: seen.append(store.pending_count()),
    )
    assert store.pending_count() == 1  # written at ack, before the job runs
    job()
    assert seen == [1] and store.pending_count() == 0


def test_a_failing_job_still_closes_its_entry(tmp_path: Path) -> None:
    journal = InFlightJournal(store_at(tmp_path), "replica-a")

    def boom() -> None:
        raise RuntimeError("core failed")

    _entry, job = journal.tracked(Pending(kind="private", channel="", user="U1"), boom)
    with pytest.raises(RuntimeError):
        job()
    assert journal.recover() == []


def test_recover_takes_own_entries_and_returns_only_recent_promises(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    journal = InFlightJournal(store, "replica-a", max_age_s=60)
    journal.open(Pending(kind="thread", channel="C1", user="U1", thread_ts="1.2"))
    old = Pending(kind="thread", channel="C2", user="U2", at=time.time() - 3600)
    store.promise(old.model_dump_json(), "replica-a", 120)
    store.promise('{"kind": "thr', "replica-a", 120)  # torn

    recovered = journal.recover()

    assert [(p.channel, p.thread_ts) for p in recovered] == [("C1", "1.2")]
    assert store.pending_count() == 0
    assert journal.recover() == []


def test_another_replica_takes_a_promise_only_after_its_lease_expires(tmp_path: Path) -> None:
    now = [1000.0]
    store = SharedStore(f"sqlite:///{tmp_path / 'state.db'}", clock=lambda: now[0])
    a = InFlightJournal(store, "replica-a", lease_s=120)
    b = InFlightJournal(store, "replica-b", lease_s=120)
    a.open(Pending(kind="thread", channel="C1", user="U1", thread_ts="1.2"))
    assert b.recover() == [] and b.sweep() == []  # A is alive and within its lease
    now[0] += 121
    taken = [b.sweep(), a.sweep()]
    assert [len(t) for t in taken] == [1, 0]  # exactly one taker


def test_entries_hold_ids_only_never_the_message(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    journal = InFlightJournal(store, "replica-a")
    journal.open(Pending(kind="thread", channel="C1", user="U1", thread_ts="1.2"))
    [(_created, stored)] = store.take_lost("replica-a", own_too=True)
    assert set(Pending.model_validate_json(stored).model_dump()) == {
        "kind",
        "channel",
        "user",
        "thread_ts",
        "at",
    }


def _serve(
    data: Path, guidance: Path, stub: SlackApiStub, model: str, port: int
) -> subprocess.Popen[bytes]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(data),
        "CHANGEBOT_DATA_DIR": str(data),
        "CHANGEBOT_GUIDANCE_DIR": str(guidance),
        "CHANGEBOT_SLACK_API_URL": stub.api_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "OPENAI_BASE_URL": model,
        "OPENAI_API_KEY": "sk-test",
        "CHANGEBOT_LLM_TIMEOUT_S": "120",
        "CHANGEBOT_LLM_MAX_ATTEMPTS": "1",
    }
    command = [sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1"]
    return subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_kill_after_ack_gives_one_apology_after_restart(real_services, tmp_path: Path) -> None:
    from bot.settings import Settings
    from bot.slack.server.app import build_app, runtime_of

    data = tmp_path / "data"
    shutil.copytree(real_services.settings.data_dir, data)  # index and fitted-model cache
    model = OpenAIServer(delay_s=120).start()  # the answer hangs in the model call
    with SlackApiStub() as stub:
        port = free_port()
        child = _serve(data, real_services.settings.guidance_dir, stub, model.url, port)
        try:
            client = Harness.__new__(Harness)
            client.port = port
            event = message_event(
                "how do teams protect time for improvement?", channel="D1", channel_type="im"
            )
            for _ in range(600):
                try:
                    status = client.event(event)
                    break
                except ConnectionRefusedError:
                    time.sleep(0.1)
            assert status[0] == 200  # acked: Slack will not deliver this message again
            for _ in range(300):
                if model.in_flight:
                    break
                time.sleep(0.1)
            assert model.in_flight == 1 and store_at(data).pending_count() == 1
            child.send_signal(signal.SIGKILL)
            child.wait(10)
        finally:
            if child.poll() is None:
                child.kill()
            model.stop()
        assert stub.calls_to("chat.postMessage") == []  # the reply was lost

        settings = Settings(data_dir=data, slack_bot_token="xoxb-test", slack_api_url=stub.api_url)
        restarted = dataclasses.replace(real_services, store=SharedStore(settings.state_url))
        for _restart in range(2):  # the second restart finds nothing left to apologise for
            runtime = runtime_of(build_app(settings, restarted))
            runtime.urgent.drain(10)
            runtime.shutdown(5)

    posts = stub.calls_to("chat.postMessage")
    assert len(posts) == 1
    assert posts[0].payload["channel"] == "D1" and APOLOGY in str(posts[0].payload["text"])
    assert store_at(data).pending_count() == 0


def test_only_replies_owed_are_promised(runtime) -> None:
    from bot.slack.flows.conversation import Inbound, promised
    from bot.slack.flows.permissions import Actor

    def inbound(**kw: object) -> Inbound:
        base: dict[str, object] = {
            "actor": Actor(user_id="U1", team_id="T1"),
            "channel": "C1",
            "ts": "2.0",
            "thread_ts": "1.0",
            "text": "and what about the consultants?",
            "is_dm": False,
            "shared_channel": False,
        }
        return Inbound(**{**base, **kw})  # type: ignore[arg-type]

    assert promised(runtime, inbound(thread_ts=None))  # a mention
    assert not promised(runtime, inbound(follow_up=True))  # someone else's thread
    runtime.threads.mark("C1", "1.0")
    assert promised(runtime, inbound(follow_up=True))  # changebot's own thread
