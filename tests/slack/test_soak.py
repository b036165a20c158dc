"""LD5, a soak: ``changebot serve --http`` (front plus one worker) answering a steady stream of
signed requests for minutes, while its memory, open files and latency are sampled.

An hour-scale run scaled down: ``SOAK_SECONDS`` sets the length (default 180 s; the
plan's hour is ``SOAK_SECONDS=3600``). The first third is warm-up (caches fill, the allocator
settles); growth is measured from there to the end. Marked slow: ``make test-slow`` runs it.
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from pathlib import Path

import pytest

from bench.workloads import descendants
from tests.servers.slack_api import SlackApiStub
from tests.slack.harness import Harness, message_event
from tests.slack.test_workers import _ready, _serve

pytestmark = pytest.mark.slow

QUESTIONS = (
    "How can a team get protected time to plan change?",
    "our ward team has no time for the new discharge process; every shift is firefighting",
    "Clinicians engage when they see evidence it helps patients, how do we share data early?",
)


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _open_files(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def test_a_long_run_keeps_memory_files_and_latency_flat(real_services, tmp_path: Path) -> None:
    from tests.slack.test_cli_slack import free_port

    seconds = float(os.environ.get("SOAK_SECONDS", "180"))
    data = tmp_path / "data"
    shutil.copytree(real_services.settings.data_dir / "cache", data / "cache")
    with SlackApiStub() as stub:
        port = free_port()
        child = _serve(data, real_services.settings.guidance_dir, stub, "", port, 20.0)
        try:
            _ready(port)
            client = Harness.__new__(Harness)
            client.port = port
            samples: list[tuple[float, float, int, float]] = []  # t, rss, files, ack ms
            started = time.monotonic()
            n = 0
            while time.monotonic() - started < seconds:
                event = message_event(  # 50 people, each well inside the per-user limit
                    QUESTIONS[n % len(QUESTIONS)], channel=f"D{n % 50}", user=f"U{n % 50}"
                )
                event["channel_type"] = "im"
                status, _body, took = client.event(event)
                assert status == 200
                n += 1
                if n % 10 == 0:
                    pids = [child.pid, *descendants(child.pid)]
                    rss = sum(_rss_mb(p) for p in pids)
                    files = sum(_open_files(p) for p in pids)
                    samples.append((time.monotonic() - started, rss, files, took * 1000))
                time.sleep(0.25)  # a steady load the pacing of one post/s per DM can carry
            stub.wait_for("chat.postMessage", count=n, timeout=120)
        finally:
            child.terminate()
            child.wait(30)
    assert len(stub.calls_to("chat.postMessage")) == n  # every message answered once
    settled = [s for s in samples if s[0] >= seconds / 3]
    first, last = settled[: len(settled) // 4], settled[-(len(settled) // 4) :]
    rss_growth = statistics.median(s[1] for s in last) - statistics.median(s[1] for s in first)
    files_growth = max(s[2] for s in last) - max(s[2] for s in first)
    ack_first = statistics.median(s[3] for s in first)
    ack_last = statistics.median(s[3] for s in last)
    print(
        f"soak {seconds:.0f} s: {n} messages; RSS {settled[0][1]:.0f} -> {settled[-1][1]:.0f} MB "
        f"(growth after warm-up {rss_growth:+.1f} MB), open files {settled[0][2]} -> "
        f"{settled[-1][2]}, ack median {ack_first:.1f} -> {ack_last:.1f} ms"
    )
    assert rss_growth < 40.0  # front plus worker: a leak of one message's worth would show
    assert files_growth <= 4
    assert ack_last < max(3 * ack_first, 50.0)
