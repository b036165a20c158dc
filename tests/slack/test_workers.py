"""The Slack front over worker processes: real spawned workers, the real bolt HTTP stack, loopback.

The front verifies, claims, acks and posts; ``PooledCore`` runs the core in worker processes.
These tests check what a user and an operator meet: replies arrive once, a worker killed mid-job
costs one apology and the next message is answered, an ingest started through the core is
answered from by every worker, and the front process loads no model.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.state.store import SharedStore
from bot.workers.pool import PooledCore, WorkerLost
from knowledge.framework import default_framework
from tests.servers.openai_server import OpenAIServer
from tests.servers.slack_api import SlackApiStub
from tests.slack.harness import SECRET, Harness, message_event

ROOT = Path(__file__).resolve().parents[2]
SITUATION = "our ward team has no time for the new discharge process; every shift is firefighting"
NEW_NOTE = """# Night-shift handover pilot

The night-shift handover pilot on ward 7 used a two-minute huddle card at 07:45. Sisters said
the card cut repeated questions and gave the day team headspace to start the improvement work.
"""


def core_settings(real_services, root: Path, **extra: object) -> Settings:
    """A data dir of its own (fitted-model cache copied), over the two-note guidance folder."""
    data = root / "core-data"
    shutil.copytree(real_services.settings.data_dir / "cache", data / "cache")
    return Settings(data_dir=data, guidance_dir=real_services.settings.guidance_dir, **extra)


def start_pool(settings: Settings, workers: int = 1) -> PooledCore:
    core = PooledCore(settings, default_framework(), SharedStore(settings.state_url), workers)
    core.start()
    return core


@pytest.fixture(scope="module")
def pooled(real_services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PooledCore]:
    core = start_pool(core_settings(real_services, tmp_path_factory.mktemp("pooled")))
    yield core
    core.close(timeout=10)


@pytest.fixture
def front(pooled: PooledCore, slack_settings: Settings, stub: SlackApiStub) -> Iterator[Harness]:
    from bot.slack.server.app import build_app, runtime_of

    app = build_app(slack_settings, pooled)
    harness = Harness(app, response_url=stub.response_url())
    yield harness
    harness.close()
    runtime = runtime_of(app)
    runtime.worker.drain(20)
    runtime.stopping.set()  # the module's pool outlives this app: stop only the Slack side
    runtime.worker.shutdown(5)
    runtime.urgent.shutdown(5)


def test_the_core_runs_in_other_processes(pooled: PooledCore) -> None:
    pids = pooled.pids()
    assert pids and os.getpid() not in pids
    reply = pooled.respond(SITUATION, mode="diagnose")
    assert reply.kind == "diagnosis" and reply.diagnosis is not None
    assert "headspace" in [b.id for b in reply.diagnosis.barriers]
    assert pooled.figures().documents == 3 and pooled.ready()


def test_mention_and_slash_command_are_answered_once_through_workers(
    front: Harness, stub: SlackApiStub
) -> None:
    event = message_event(f"<@UBOT> {SITUATION}", kind="app_mention")
    assert front.event(event)[0] == 200
    assert front.command("/diagnose", SITUATION)[0] == 200
    [post] = stub.wait_for("chat.postMessage", timeout=30)
    [private] = stub.wait_for("response", timeout=30)
    assert post.payload["thread_ts"] == event["ts"]
    assert "Barrier profile" in json.dumps(post.payload["blocks"])
    assert "Barrier profile" in json.dumps(private.payload["blocks"])
    time.sleep(0.5)
    assert len(stub.posts()) == 2  # nothing twice


def test_fifty_concurrent_requests_are_each_delivered_exactly_once(
    front: Harness, stub: SlackApiStub
) -> None:
    """LD1 over workers: 50 signed /diagnose requests at once; 50 acks, 50 private cards."""
    statuses: list[int] = []
    lock = threading.Lock()

    def fire(n: int) -> None:
        status = front.command("/diagnose", f"{SITUATION} (team {n})", user_id=f"U{n}")[0]
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=fire, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses.count(200) == 50
    replies = stub.wait_for("response", count=50, timeout=120)
    time.sleep(1.0)
    replies = stub.calls_to("response")
    assert len(replies) == 50
    assert all("Barrier profile" in json.dumps(r.payload["blocks"]) for r in replies)


def test_an_ingest_in_its_child_is_answered_from_by_the_workers(
    pooled: PooledCore, tmp_path: Path
) -> None:
    note = tmp_path / "handover-pilot.md"
    note.write_text(NEW_NOTE, encoding="utf-8")
    ticks: list[object] = []
    report = pooled.ingest([note], mode="add", owner="admin", actor="test", progress=ticks.append)
    try:
        assert report.outcome == "switched" and ticks
        reply = pooled.respond("What time was the huddle card used in the handover pilot?")
        assert reply.answer is not None and "07:45" in reply.answer.answer
        assert any(c.document == "handover-pilot.md" for c in reply.answer.citations)
    finally:
        removed = pooled.remove(["handover-pilot.md"], actor="test")
        assert removed.outcome == "switched"
    assert "handover-pilot.md" not in {d.document for d in pooled.documents()}


def test_a_worker_killed_mid_job_costs_one_apology_then_work_goes_on(
    real_services, tmp_path: Path
) -> None:
    model = OpenAIServer(delay_s=60).start()  # the answer hangs in the model call
    settings = core_settings(
        real_services,
        tmp_path,
        openai_base_url=model.url,
        openai_api_key="sk-test",
        llm_max_attempts=1,
        llm_timeout_s=60,
    )
    core = start_pool(settings)
    try:
        outcome: list[BaseException | object] = []
        asker = threading.Thread(
            target=lambda: outcome.append(_catch(core.respond, "How do teams protect time?"))
        )
        asker.start()
        for _ in range(300):
            if model.in_flight:
                break
            time.sleep(0.1)
        assert model.in_flight == 1
        [pid] = core.pids()
        os.kill(pid, signal.SIGKILL)
        asker.join(30)
        assert len(outcome) == 1 and isinstance(outcome[0], WorkerLost)
        assert "send it again" in outcome[0].user_message
        model.delay_s = 0.0
        reply = core.respond(SITUATION, mode="diagnose")  # a fresh pool takes the next message
        assert reply.kind == "diagnosis" and core.pids() and pid not in core.pids()
    finally:
        core.close(timeout=10)
        model.stop()


def _catch(call: object, *args: object) -> BaseException | object:
    try:
        return call(*args)  # type: ignore[operator]
    except BaseException as exc:  # noqa: BLE001 - the test inspects it
        return exc


def test_the_front_loads_no_model() -> None:
    """Importing everything the front runs (Slack app, HTTP server, pool) loads no model stack."""
    code = (
        "import sys, bot.cli.serve, bot.slack.server.app, bot.slack.server.http_endpoint, "
        "bot.workers.launch, bot.workers.pool, bot.state.store, knowledge.framework\n"
        "heavy = ('onnxruntime', 'chromadb', 'langchain_core', 'tokenizers', 'openai', 'pypdf')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_settings_cross_the_process_boundary() -> None:
    import pickle

    settings = Settings(slack_bot_token="xoxb-secret", workers=2, admin_user_ids="U1,U2")
    copy = pickle.loads(pickle.dumps(settings))
    assert copy == settings and copy.worker_count == 2
    assert Settings(workers=None).worker_count >= 1 and SECRET


def _serve(data: Path, guidance: Path, stub: SlackApiStub, model: str, port: int, grace: float):
    """``changebot serve --http`` as operators run it: front plus one worker process."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(data),
        "CHANGEBOT_DATA_DIR": str(data),
        "CHANGEBOT_GUIDANCE_DIR": str(guidance),
        "CHANGEBOT_SLACK_API_URL": stub.api_url,
        "CHANGEBOT_WORKERS": "1",
        "CHANGEBOT_SHUTDOWN_GRACE_S": str(grace),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
    }
    if model:  # else offline: no language model
        env |= {
            "OPENAI_BASE_URL": model,
            "OPENAI_API_KEY": "sk-test",
            "CHANGEBOT_LLM_TIMEOUT_S": "120",
            "CHANGEBOT_LLM_MAX_ATTEMPTS": "1",
        }
    command = [sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1"]
    log = (data.parent / "serve.log").open("ab")  # a file, not a pipe: a full pipe would block it
    return subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


def _ready(port: int, timeout: float = 120.0) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("serve --http never became ready")


@pytest.mark.parametrize(("model_delay", "grace"), [(3.0, 20.0), (60.0, 1.0)])
def test_sigterm_drains_in_flight_replies_within_the_bound(
    real_services, tmp_path: Path, model_delay: float, grace: float
) -> None:
    """C4: SIGTERM mid-answer. A reply that finishes within the grace period is delivered; one
    that cannot is left to the journal (one apology on the next start). Exit 0 either way."""
    from tests.slack.test_cli_slack import free_port
    from tests.slack.test_journal import store_at

    data = tmp_path / "data"
    shutil.copytree(real_services.settings.data_dir / "cache", data / "cache")
    model = OpenAIServer(delay_s=model_delay).start()
    with SlackApiStub() as stub:
        port = free_port()
        child = _serve(data, real_services.settings.guidance_dir, stub, model.url, port, grace)
        try:
            _ready(port)
            client = Harness.__new__(Harness)
            client.port = port
            event = message_event(
                "How can a team get protected time to plan change?", channel="D1", channel_type="im"
            )
            assert client.event(event)[0] == 200
            for _ in range(300):
                if model.in_flight:
                    break
                time.sleep(0.1)
            assert model.in_flight == 1
            signalled = time.monotonic()
            child.send_signal(signal.SIGTERM)
            code = child.wait(grace + 30)
            took = time.monotonic() - signalled
            err = (data.parent / "serve.log").read_bytes()
        finally:
            if child.poll() is None:
                child.kill()
            model.stop()
        assert code == 0, err.decode()[-2000:]
        assert b"Traceback" not in err
        posts = stub.calls_to("chat.postMessage")
        if model_delay < grace:  # finished inside the bound: the real reply, nothing pending
            assert len(posts) == 1 and "APOLOGY" not in str(posts[0].payload)
            assert store_at(data).pending_count() == 0
        else:  # stopped at the bound: nothing posted, the promise kept for one apology
            assert took < grace + 15 and posts == []
            assert store_at(data).pending_count() == 1
