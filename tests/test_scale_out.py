"""Scale-out as operators run it: two ``changebot serve --http`` replicas (each a front plus one
worker process, each with its own data dir) sharing a real PostgreSQL server and a real
``chroma run`` server, behind one loopback Slack stub.

What must hold (issue #15): one reply per event whichever replica each delivery reaches; Share on
the other replica; ``kill -9`` of a replica holding an in-flight reply gives exactly one apology
and a clean restart none; two hosts ingesting at once take turns, the second told who holds the
lock in a plain sentence, and the live index is never a deleted or half-built version.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.slack.delivery.journal import APOLOGY
from tests.servers.openai_server import OpenAIServer
from tests.servers.postgres import postgres as postgres  # noqa: F401 - shared fixture
from tests.servers.slack_api import SlackApiStub
from tests.slack.harness import SECRET, Harness, message_event
from tests.slack.test_actions import card_id_from

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[1]
SITUATION = "our ward team has no time for the new discharge process; every shift is firefighting"
NOTE = """# Protected time for change

Teams need protected time and attention to plan change while still running the service.
Ring-fence an hour a week for the project team, and stop one low-value meeting to make room.
"""


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    """What both replicas share, and how to start a replica or a CLI command on a host."""

    root: Path
    guidance: Path
    database_url: str
    chroma_url: str
    api_url: str
    model_url: str

    def env(self, host: str) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(self.root),
            "CHANGEBOT_DATA_DIR": str(self.root / host),
            "CHANGEBOT_GUIDANCE_DIR": str(self.guidance),
            "CHANGEBOT_DATABASE_URL": self.database_url,
            "CHANGEBOT_CHROMA_URL": self.chroma_url,
            "CHANGEBOT_REPLICA_ID": host,
            "CHANGEBOT_INFLIGHT_LEASE_S": "2",
            "CHANGEBOT_WORKERS": "1",
            "CHANGEBOT_SLACK_API_URL": self.api_url,
            "CHANGEBOT_USER_RATE_PER_MINUTE": "1000",
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": SECRET,
            "OPENAI_BASE_URL": self.model_url,
            "OPENAI_API_KEY": "sk-test",
            "CHANGEBOT_LLM_TIMEOUT_S": "120",
            "CHANGEBOT_LLM_MAX_ATTEMPTS": "1",
            "CHANGEBOT_LOG_LEVEL": "INFO",
        }

    def cli(self, host: str, *args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            cwd=ROOT,
            env=self.env(host),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )


class Replica:
    """One ``serve --http`` process and a signed client for it."""

    def __init__(self, cluster: Cluster, host: str) -> None:
        self.cluster, self.host = cluster, host
        self.port = _free_port()
        self.log = (cluster.root / f"{host}.log").open("ab")
        command = [sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1"]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port)],
            cwd=ROOT,
            env=cluster.env(host),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.client = Harness.__new__(Harness)
        self.client.port = self.port
        self.client.response_url = ""

    def wait_ready(self, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.tail()
            try:
                url = f"http://127.0.0.1:{self.port}/readyz"
                with urllib.request.urlopen(url, timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"{self.host} never became ready: {self.tail()}")

    def tail(self) -> str:
        return (self.cluster.root / f"{self.host}.log").read_text(errors="replace")[-3000:]

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        code = self.process.wait(60)
        self.log.close()
        return code


@pytest.fixture(scope="module")
def model() -> Iterator[OpenAIServer]:
    server = OpenAIServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def stub() -> Iterator[SlackApiStub]:
    with SlackApiStub() as server:
        yield server


@pytest.fixture(scope="module")
def chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.servers.chroma import running_chroma

    with running_chroma(tmp_path_factory.mktemp("chroma")) as url:
        yield url


@pytest.fixture(scope="module")
def cluster(
    postgres: Any,  # noqa: F811
    chroma: str,
    stub: SlackApiStub,
    model: OpenAIServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Cluster:
    root = tmp_path_factory.mktemp("cluster")
    guidance = root / "guidance"
    guidance.mkdir()
    (guidance / "protected-time.md").write_text(NOTE, encoding="utf-8")
    return Cluster(root, guidance, postgres.url(), chroma, stub.api_url, model.url)


@pytest.fixture(scope="module")
def pair(cluster: Cluster) -> Iterator[list[Replica]]:
    replicas = [Replica(cluster, "a"), Replica(cluster, "b")]  # started together, as compose does
    try:
        for replica in replicas:
            replica.wait_ready()
        yield replicas
    finally:
        for replica in replicas:
            replica.stop()


@pytest.fixture
def fresh(stub: SlackApiStub, model: OpenAIServer) -> SlackApiStub:
    stub.calls.clear()
    model.delay_s = 0.0
    return stub


def test_the_same_event_on_both_replicas_is_answered_once(
    pair: list[Replica], fresh: SlackApiStub
) -> None:
    a, b = pair
    event = message_event(f"<@UBOT> {SITUATION}", kind="app_mention")
    assert a.client.event(event, event_id="EvSame")[0] == 200
    assert b.client.event(event, event_id="EvSame")[0] == 200
    assert b.client.event(event, event_id="EvSame", retry=1)[0] == 200
    fresh.wait_for("chat.postMessage", timeout=60)
    time.sleep(3.0)
    assert len(fresh.calls_to("chat.postMessage")) == 1


def test_share_works_when_the_click_reaches_the_other_replica(
    pair: list[Replica], fresh: SlackApiStub
) -> None:
    a, b = pair
    a.client.response_url = fresh.response_url()
    assert a.client.command("/diagnose", SITUATION)[0] == 200
    [card] = fresh.wait_for("response", timeout=60)
    fresh.calls.clear()
    assert b.client.action("diagnosis_share", card_id_from(card))[0] == 200
    [post] = fresh.wait_for("chat.postMessage", timeout=30)
    assert "Shared by <@U1>" in json.dumps(post.payload["blocks"])


def test_a_killed_replica_costs_one_apology_and_a_clean_restart_none(
    cluster: Cluster, pair: list[Replica], fresh: SlackApiStub, model: OpenAIServer
) -> None:
    a, b = pair
    model.delay_s = 60.0  # the answer hangs in the model call
    event = message_event(
        "How can a team get protected time to plan change?", channel="D1", channel_type="im"
    )
    assert a.client.event(event)[0] == 200
    for _ in range(300):
        if model.in_flight:
            break
        time.sleep(0.1)
    assert model.in_flight >= 1
    a.stop(signal.SIGKILL)
    [apology] = fresh.wait_for("chat.postMessage", timeout=60)  # from b, after a's lease
    assert apology.payload["channel"] == "D1" and APOLOGY in str(apology.payload["text"])
    model.delay_s = 0.0
    restarted = Replica(cluster, "a")  # a restarts: its promise was already taken by b
    try:
        restarted.wait_ready()
        time.sleep(4.0)  # two leases: any second apology would have been sent by now
        assert len(fresh.calls_to("chat.postMessage")) == 1
        pair[0] = restarted
        fresh.calls.clear()
        clean = Replica(cluster, "c")  # a replica that starts and stops cleanly owes nothing
        clean.wait_ready()
        assert clean.stop() == 0
        time.sleep(4.0)
        assert fresh.calls_to("chat.postMessage") == []
    except BaseException:
        restarted.stop()
        raise


def test_two_hosts_ingesting_at_once_take_turns(
    cluster: Cluster, pair: list[Replica], fresh: SlackApiStub
) -> None:
    big = cluster.root / "big"
    big.mkdir()
    for n in range(80):
        (big / f"ward-{n:02d}.md").write_text(
            f"# Ward {n} rota pilot\n\n" + f"Ward {n} tried a protected hour on Tuesdays. " * 40,
            encoding="utf-8",
        )
    small = cluster.root / "small"
    small.mkdir()
    (small / "huddle.md").write_text(
        "# Huddle card\n\nThe huddle card pilot used a two-minute check at 07:45.\n",
        encoding="utf-8",
    )
    first = cluster.cli("a", "ingest", str(big))
    log = b""
    deadline = time.monotonic() + 120
    assert first.stderr is not None
    os.set_blocking(first.stderr.fileno(), False)
    while b"document added" not in log and time.monotonic() < deadline:
        log += first.stderr.read() or b""
        assert first.poll() is None, log.decode(errors="replace")[-2000:]
        time.sleep(0.02)
    first.send_signal(signal.SIGSTOP)  # host a is mid-build, holding the lease: freeze it there
    try:
        second = cluster.cli("b", "ingest", str(small))
        out, err = second.communicate(timeout=120)
    finally:
        first.send_signal(signal.SIGCONT)
    assert second.returncode == 1
    message = " ".join((out + err).decode().split())  # the terminal may wrap the sentence
    assert "Another ingest is already running on a" in message and "Traceback" not in message
    os.set_blocking(first.stderr.fileno(), True)
    first.communicate(timeout=300)
    assert first.returncode == 0
    again = cluster.cli("b", "ingest", str(small))  # a finished: b's turn
    again.communicate(timeout=120)
    assert again.returncode == 0
    expected = {"huddle.md", "protected-time.md"} | {f"ward-{n:02d}.md" for n in range(80)}
    for host in ("a", "b"):  # both hosts read the same, complete live version
        listing = cluster.cli(host, "sources", "--json")
        out, _err = listing.communicate(timeout=120)
        assert {d["document"] for d in json.loads(out)} == expected
    for replica in pair:  # and both replicas answer from it, citing the new document
        fresh.calls.clear()
        dm = message_event(
            "What time was the huddle card check in the pilot?", channel="D2", channel_type="im"
        )
        assert replica.client.event(dm)[0] == 200
        [answer] = fresh.wait_for("chat.postMessage", timeout=60)
        assert "Huddle card" in json.dumps(answer.payload)
