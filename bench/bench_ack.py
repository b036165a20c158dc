"""Ack latency under load: 50 concurrent signed slash commands and 50 mentions on loopback.

Runs the real app (real services on a temporary two-note index, bolt's HTTP handling
behind ``bot.slack.server.http_endpoint``). The Slack Web API stub and the fake
OpenAI-compatible model run in a child process, as they would be remote in production, so
their threads do not share the app's GIL. A second child process fires N signed requests at
once from one asyncio loop (the requests are signed and serialised beforehand). Two scenarios:

* ``model``: the issue's workload. An OpenAI-compatible model that takes 2 s per reply is
  configured, so answers are slow and the app mostly waits on the network.
* ``offline``: no model; every answer and diagnosis is computed locally on the same two cores,
  the hardest case for the acks because the core work competes for the CPU.
* ``processes``: a real ``changebot serve --http`` (the front) with its worker processes, one
  burst per surface; the rows are the peak RSS of the front and of front plus one worker, the
  replies delivered, and how SIGTERM ends it (exit code, seconds).

The core runs in ``--workers`` worker processes (default: ``CHANGEBOT_WORKERS``'s own default,
one per core beyond the first); ``--workers 0`` measures the old single-process layout.

Between bursts it drains the queue, so each burst measures acks, not the busy path. Target: p99 <
100 ms (Slack's hard limit is 3 s).

    .venv/bin/python -m bench.bench_ack [--n 50] [--rounds 2] [--workers N]
                                        [--scenario model|offline|processes|all]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.report import Measure
from bench.workloads import changebot_command, descendants, hwm_mb, offline_env
from bot.services import build_services
from bot.settings import Settings
from bot.slack.server.app import build_app, runtime_of
from bot.workers.launch import start_core
from ingestion.pipeline import ingest
from tests.slack.harness import SECRET, Harness, message_event, sign

NOTE = "# Headspace\n\nTeams need protected time to plan change. Ring-fence an hour a week.\n"
SITUATION = (
    "Our ward team has no time to try the new discharge process; every shift is firefighting"
)
MODEL_DELAY_S = 2.0
SPAWN = multiprocessing.get_context("spawn")


# -- the remote side: Slack Web API stub and fake model, in one child process -------------------
def _remote(conn: Connection, model_delay_s: float) -> None:
    """Child process: serve both fakes; answer call-count queries until told to stop."""
    from tests.servers.openai_server import OpenAIServer
    from tests.servers.slack_api import SlackApiStub

    model = OpenAIServer(delay_s=model_delay_s).start()
    with SlackApiStub() as stub:
        conn.send((stub.api_url, stub.response_url(), model.url))
        while True:
            request = conn.recv()
            if request == "stop":
                break
            conn.send(len(stub.calls_to(str(request))))
    model.stop()


class Remote:
    """Parent-side handle on the child that serves the Slack API stub and the fake model."""

    def __init__(self, model_delay_s: float) -> None:
        self._conn, child = SPAWN.Pipe()
        self._process = SPAWN.Process(target=_remote, args=(child, model_delay_s), daemon=True)
        self._process.start()
        self.api_url, self.response_url, self.model_url = self._conn.recv()

    def count(self, method: str) -> int:
        """How many calls the stub has recorded for ``method`` (``response`` for response_url)."""
        self._conn.send(method)
        return int(self._conn.recv())

    def wait_for(self, method: str, count: int, timeout: float) -> int:
        """Poll until ``method`` was called ``count`` times or the timeout passes."""
        deadline = time.monotonic() + timeout
        seen = self.count(method)
        while seen < count and time.monotonic() < deadline:
            time.sleep(0.2)
            seen = self.count(method)
        return seen

    def close(self) -> None:
        self._conn.send("stop")
        self._process.join(10)


# -- the client side: bursts of signed requests from another process ----------------------------
def _request(port: int, response_url: str, kind: str, user: str, channel: str) -> bytes:
    """One signed HTTP request, serialised in advance so the burst itself costs the client
    nothing but socket writes."""
    ts = str(int(time.time()))
    if kind == "slash":
        form = {
            "team_id": "T1",
            "channel_id": "C1",
            "user_id": user,
            "command": "/diagnose",
            "text": SITUATION,
            "api_app_id": "A1",
            "response_url": response_url,
            "trigger_id": "trig.1",
        }
        body, kind_header = urlencode(form).encode(), "application/x-www-form-urlencoded"
    else:
        event = message_event(
            f"<@UBOT> {SITUATION}", kind="app_mention", channel=channel, user=user
        )
        envelope = {
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event": event,
            "event_id": f"Ev{user}",
            "event_time": int(ts),
            "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
        }
        body, kind_header = json.dumps(envelope).encode(), "application/json"
    head = (
        f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: {kind_header}\r\nContent-Length: {len(body)}\r\n"
        f"X-Slack-Request-Timestamp: {ts}\r\nX-Slack-Signature: {sign(body, ts)}\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + body


def _client(port: int, response_url: str, kind: str, n: int, tag: str) -> list[float]:
    """Runs in the client process: n signed requests at once, latencies in ms.

    One asyncio loop rather than n threads: a threaded client in Python spends the burst queuing
    for its own GIL, and that time would be counted as the server's. Each latency runs from
    opening the connection to the end of the response.
    """
    requests = [_request(port, response_url, kind, f"U{tag}x{i}", f"C{tag}x{i}") for i in range(n)]

    async def one(raw: bytes) -> float:
        started = time.perf_counter()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(raw)
        await writer.drain()
        response = await reader.read()  # the server closes after the response
        took = (time.perf_counter() - started) * 1000
        writer.close()
        status = response.split(b" ", 2)[1] if response else b""
        assert status == b"200", response[:80]
        return took

    async def burst() -> list[float]:
        return list(await asyncio.gather(*(one(raw) for raw in requests)))

    return asyncio.run(burst())


@contextmanager
def running_app(
    root: Path, remote: Remote, with_model: bool, workers: int | None
) -> Iterator[tuple[Harness, Any]]:
    """The core (in workers, or in this process with ``workers=0``), the bolt app and its HTTP
    server, wired to the remote fakes."""
    model: dict[str, Any] = (
        {"openai_base_url": remote.model_url, "openai_api_key": "sk-bench", "llm_timeout_s": 10}
        if with_model
        else {}
    )
    core_settings = Settings(
        data_dir=root / "data", guidance_dir=root / "guidance", workers=workers, **model
    )
    core: Any
    if core_settings.worker_count == 0:
        core = build_services(core_settings)
        ingest([root / "guidance"], core.index, core.settings, mode="replace")
    else:
        core = start_core(core_settings)  # the workers index the guidance folder themselves
    settings = Settings(
        data_dir=root / "slack",
        slack_bot_token="xoxb-bench",
        slack_signing_secret=SECRET,
        slack_api_url=remote.api_url,
        user_rate_per_minute=10_000,
        **model,
    )
    app = build_app(settings, core)
    harness = Harness(app, response_url=remote.response_url)
    try:
        yield harness, runtime_of(app)
    finally:
        harness.close()
        runtime_of(app).shutdown(30)


def scenario(name: str, n: int, rounds: int, workers: int | None) -> list[Measure]:
    """One scenario: warm up, then ``rounds`` bursts per surface, drained in between."""
    root = Path(tempfile.mkdtemp(prefix=f"bench-ack-{name}-"))
    (root / "guidance").mkdir()
    (root / "guidance" / "headspace.md").write_text(NOTE, encoding="utf-8")
    remote = Remote(MODEL_DELAY_S if name == "model" else 0.0)
    clients = ProcessPoolExecutor(max_workers=1, mp_context=SPAWN)
    try:
        with running_app(root, remote, name == "model", workers) as (harness, runtime):

            def burst(kind: str, tag: str) -> list[float]:
                return clients.submit(
                    _client, harness.port, remote.response_url, kind, n, tag
                ).result()

            burst("slash", "warm")[:0]  # warm-up; also starts the client process
            runtime.worker.drain(120)
            slash: list[float] = []
            mention: list[float] = []
            started = time.monotonic()
            for r in range(rounds):
                slash += burst("slash", str(r))
                runtime.worker.drain(600)
                mention += burst("mention", str(r))
                runtime.worker.drain(600)
            cards = remote.wait_for("response", rounds * n + n, 120) - n
            replies = remote.wait_for("chat.postMessage", rounds * n, 120)
            took = time.monotonic() - started
    finally:
        clients.shutdown()
        remote.close()
        shutil.rmtree(root, ignore_errors=True)
    with open("/proc/loadavg", encoding="ascii") as load:
        loadavg = load.read().split()[0]
    print(
        f"[{name}] {rounds} rounds x {n} concurrent requests per surface; {cards} cards and "
        f"{replies} thread replies delivered in {took:.1f} s (drains included); load {loadavg}"
    )
    answers = f"answers from a {MODEL_DELAY_S:.0f} s fake model" if name == "model" else "offline"
    count = Settings(workers=workers).worker_count
    layout = f"core in {count} worker process(es)" if count else "core in the front's process"
    workload = (
        f"{n} concurrent signed requests x {rounds} rounds, loopback HTTP; {answers}; {layout}"
    )
    measures = []
    for label, ms in (("/diagnose slash command", slash), ("app_mention event", mention)):
        measure = Measure.from_samples(
            f"Slack ack, {label} ({name})",
            workload=workload,
            samples=ms,
            baseline_name="Slack's 3 s limit",
            target="p99 < 100 ms",
            target_stat="p99",
            target_max=100.0,
            notes=f"max {max(ms):.1f} ms",
            params={"scenario": name, "workers": count},
        )
        measures.append(measure)
        print(
            f"  {label:<26} n={len(ms)} p50={measure.median:.1f} p95={measure.p95:.1f} "
            f"p99={measure.p99:.1f} max={max(ms):.1f} ms"
        )
    return measures


FRONT_TARGET_MB = 150.0
FRONT_WORKER_TARGET_MB = 600.0


def _wait_ready(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("serve --http did not become ready")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def processes(n: int, workers: int | None) -> list[Measure]:
    """A real ``changebot serve --http``: peak RSS of the front and its workers, and SIGTERM."""
    root = Path(tempfile.mkdtemp(prefix="bench-ack-processes-"))
    (root / "guidance").mkdir()
    (root / "guidance" / "headspace.md").write_text(NOTE, encoding="utf-8")
    remote = Remote(0.0)
    clients = ProcessPoolExecutor(max_workers=1, mp_context=SPAWN)
    env = offline_env(root / "data") | {
        "CHANGEBOT_GUIDANCE_DIR": str(root / "guidance"),
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "CHANGEBOT_SLACK_API_URL": remote.api_url,
        "CHANGEBOT_USER_RATE_PER_MINUTE": "10000",
    }
    if workers is not None:
        env["CHANGEBOT_WORKERS"] = str(workers)
    port = _free_port()
    command = changebot_command() + ["serve", "--http", "--host", "127.0.0.1", "--port", str(port)]
    front = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    peaks: dict[int, float] = {}
    try:
        _wait_ready(port, 180)
        for kind in ("slash", "mention"):
            clients.submit(_client, port, remote.response_url, kind, n, f"p{kind}").result()
        cards = remote.wait_for("response", n, 120)
        replies = remote.wait_for("chat.postMessage", n, 120)
        for pid in [front.pid, *descendants(front.pid)]:
            peaks[pid] = hwm_mb(pid) or 0.0
        stopped = time.monotonic()
        front.send_signal(signal.SIGTERM)
        code = front.wait(60)
        stop_s = time.monotonic() - stopped
    finally:
        if front.poll() is None:
            front.kill()
        clients.shutdown()
        remote.close()
        shutil.rmtree(root, ignore_errors=True)
    front_mb = peaks.pop(front.pid, 0.0)
    worker_mb = max(peaks.values(), default=0.0)
    print(
        f"[processes] serve --http (front pid {front.pid}, {len(peaks)} child process(es)); "
        f"{cards} cards and {replies} replies for {n}+{n} requests; front peak {front_mb:.0f} MB, "
        f"largest child {worker_mb:.0f} MB; SIGTERM -> exit {code} in {stop_s:.1f} s"
    )
    if os.environ.get("BENCH_STRICT") and (cards, replies) != (n, n):
        raise RuntimeError("replies were lost")
    workload = (
        f"`changebot serve --http` with its workers, offline, after {n} /diagnose and {n} "
        f"mentions at once; {cards + replies}/{2 * n} replies delivered; SIGTERM exit {code} "
        f"in {stop_s:.1f} s"
    )
    return [
        Measure.single(
            "Memory: peak RSS of the Slack front",
            workload,
            front_mb,
            "MB",
            target=f"< {FRONT_TARGET_MB:.0f} MB",
            target_max=FRONT_TARGET_MB,
        ),
        Measure.single(
            "Memory: peak RSS of the front plus one worker",
            workload,
            front_mb + worker_mb,
            "MB",
            target=f"< {FRONT_WORKER_TARGET_MB:.0f} MB",
            target_max=FRONT_WORKER_TARGET_MB,
            notes=f"worker {worker_mb:.0f} MB (the largest child: workers and parse sandboxes)",
        ),
    ]


def main() -> list[Measure]:
    """Run the scenarios chosen on the command line (all by default)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument(
        "--scenario", choices=("model", "offline", "processes", "all"), default="all"
    )
    args, _unknown = parser.parse_known_args()  # `python -m bench` passes module names
    names = ("model", "offline", "processes") if args.scenario == "all" else (args.scenario,)
    measures: list[Measure] = []
    for name in names:
        if name == "processes":
            measures += processes(args.n, args.workers)
        else:
            measures += scenario(name, args.n, args.rounds, args.workers)
    return measures


if __name__ == "__main__":
    main()
