"""Ack latency under load: 50 concurrent signed slash commands (and mentions) on loopback.

Runs the real app (real services on a temporary two-note index, bolt's HTTP handling behind
``bot.slack.http``) against the loopback Slack Web API stub. A separate client process (so the
load generator does not share the server's GIL) fires N signed requests at once, through a
barrier, and the ack latency percentiles are reported (target: p99 < 100 ms). Then it waits until
every request got its answer and reports that too.

    .venv/bin/python bench/bench_ack.py [--n 50] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.services import build_services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.slack.app import build_app, runtime_of  # noqa: E402
from ingestion.pipeline import ingest  # noqa: E402
from tests.servers.slack_api import SlackApiStub  # noqa: E402
from tests.slack.harness import SECRET, Harness, message_event  # noqa: E402

NOTE = "# Headspace\n\nTeams need protected time to plan change. Ring-fence an hour a week.\n"
RESPONSE_URL = [""]
SITUATION = (
    "Our ward team has no time to try the new discharge process; every shift is firefighting"
)


def slash(harness: Harness, user: str) -> tuple[int, bytes, float]:
    return harness.command("/diagnose", SITUATION, user_id=user)


def mention(harness: Harness, channel: str, user: str) -> tuple[int, bytes, float]:
    text = f"<@UBOT> {SITUATION}"
    return harness.event(message_event(text, kind="app_mention", channel=channel, user=user))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _client(port: int, response_url: str, kind: str, n: int, tag: str) -> list[float]:
    """Runs in the client process: n concurrent signed requests, latencies in ms."""
    harness = Harness.__new__(Harness)
    harness.port, harness.response_url = port, response_url
    gate = threading.Barrier(n)

    def one(i: int) -> float:
        gate.wait()
        user = f"U{tag}x{i}"
        sent = slash(harness, user) if kind == "slash" else mention(harness, f"C{tag}x{i}", user)
        assert sent[0] == 200, sent[0]
        return sent[2] * 1000

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(one, range(n)))


def burst(pool: ProcessPoolExecutor, port: int, kind: str, n: int, tag: str) -> list[float]:
    return pool.submit(_client, port, RESPONSE_URL[0], kind, n, tag).result()


def report(label: str, ms: list[float]) -> dict[str, float]:
    row = {
        "p50": percentile(ms, 0.50),
        "p95": percentile(ms, 0.95),
        "p99": percentile(ms, 0.99),
        "max": max(ms),
    }
    print(f"{label:<28} n={len(ms):<4} " + "  ".join(f"{k}={v:6.1f} ms" for k, v in row.items()))
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--ack-only", action="store_true", help="queue no work: measure verify+dispatch+ack alone"
    )
    args, _unknown = parser.parse_known_args()  # `python -m bench` passes module names
    root = Path(tempfile.mkdtemp(prefix="bench-ack-"))
    (root / "guidance").mkdir()
    (root / "guidance" / "headspace.md").write_text(NOTE, encoding="utf-8")
    print("building services (loads the embedder and diagnoser)...", flush=True)
    services = build_services(Settings(data_dir=root / "data", guidance_dir=root / "guidance"))
    ingest([root / "guidance"], services.index, services.settings, mode="replace")
    with SlackApiStub() as stub:
        settings = Settings(
            data_dir=root / "slack",
            slack_bot_token="xoxb-bench",
            slack_signing_secret=SECRET,
            slack_api_url=stub.api_url,
            user_rate_per_minute=10_000,
        )
        app = build_app(settings, services)
        runtime = runtime_of(app)
        harness = Harness(app, response_url=stub.response_url())
        RESPONSE_URL[0] = stub.response_url()
        if args.ack_only:
            runtime.worker.submit = lambda job, label="job": True  # type: ignore[method-assign]
        clients = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))
        burst(clients, harness.port, "slash", 5, "warm")  # warm-up (and start the client process)
        runtime.worker.drain(60)
        results = {}
        all_cmd, all_evt = [], []
        started = time.monotonic()
        for r in range(args.rounds):  # drain between bursts: measure acks, not the busy path
            all_cmd += burst(clients, harness.port, "slash", args.n, str(r))
            runtime.worker.drain(600)
            all_evt += burst(clients, harness.port, "mention", args.n, str(r))
            runtime.worker.drain(600)
        expected = 0 if args.ack_only else args.rounds * args.n
        stub.wait_for("response", expected + (0 if args.ack_only else 5), timeout=600)
        stub.wait_for("chat.postMessage", expected, timeout=600)
        done = time.monotonic() - started
        print(
            f"\n{args.rounds} rounds x {args.n} concurrent requests per surface, loopback, "
            f"worker pool {runtime.worker._pool._max_workers} threads"
        )
        results["slash_command"] = report("/diagnose (slash command)", all_cmd)
        results["app_mention"] = report("app_mention (event)", all_evt)
        answered = max(0, len(stub.calls_to("response")) - 5)
        posted = len(stub.calls_to("chat.postMessage"))
        busy = sum(1 for c in stub.posts() if "busy" in str(c.payload.get("text")))
        print(
            f"{answered} cards + {posted} thread replies delivered ({busy} of them 'busy' "
            f"replies) in {done:.1f} s including the drains between bursts"
        )
        with open("/proc/loadavg", encoding="ascii") as load:
            print(f"machine load average during the run: {load.read().split()[0]} (2 cores)")
        ok = all(row["p99"] < 100 for row in results.values())
        print(f"target p99 < 100 ms: {'met' if ok else 'NOT met'}")
        print(json.dumps(results))
        clients.shutdown()
        harness.close()
        runtime.shutdown(30)


if __name__ == "__main__":
    main()
