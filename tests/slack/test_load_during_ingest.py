"""LD3: questions stay fast while an admin's big ingest runs, and the ingest runs at lower priority.

A real ``changebot serve --http`` (the front plus one worker process) on a loopback Slack stub.
An admin's ``/changebot reingest`` rebuilds the index from a guidance folder holding many
generated PDFs; that ingest runs in a child process of its own. While it parses and embeds,
signed questions arrive in a steady stream: every one is acked within 1 s at the 99th percentile,
answers keep being posted during the ingest, and each question gets exactly one reply.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.servers.slack_api import SlackApiStub
from tests.slack.harness import SECRET, Harness, message_event
from tests.slack.many_pdfs import write_many_pdfs

ROOT = Path(__file__).resolve().parents[2]
PDFS = 120
QUESTIONS = 30
QUESTION = "How can a ward team protect time to plan the change?"


def _children(pid: int) -> set[int]:
    """Direct children of ``pid``, whichever of its threads started them."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text(encoding="utf-8").rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _nice(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[16])  # field 19, counted after the name


def _serve(data: Path, guidance: Path, stub: SlackApiStub, port: int, log: Path) -> Any:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHANGEBOT_", "SLACK_"))}
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)  # offline answers: the test measures changebot, not a model
    env |= {
        "HOME": str(data),
        "CHANGEBOT_DATA_DIR": str(data),
        "CHANGEBOT_GUIDANCE_DIR": str(guidance),
        "CHANGEBOT_SLACK_API_URL": stub.api_url,
        "CHANGEBOT_WORKERS": "1",
        "CHANGEBOT_ADMIN_USER_IDS": "UADMIN",
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
    }
    command = [sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1"]
    return subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
    )


def _ready(port: int, child: Any, timeout: float = 180.0) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and child.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("serve --http never became ready")


def _final_report(stub: SlackApiStub) -> str | None:
    """The ingest's last word: any update of its DM that is not a progress line."""
    for call in stub.calls_to("chat.update"):
        text = json.dumps(call.payload)
        if "hourglass_flowing_sand" not in text:
            return text
    return None


def _answered(stub: SlackApiStub) -> set[str]:
    return {
        str(c.payload.get("channel"))
        for c in stub.calls_to("chat.postMessage")
        if str(c.payload.get("channel", "")).startswith("DQ")
    }


@pytest.mark.slow
def test_ld3_questions_stay_fast_while_a_big_ingest_runs_in_a_lower_priority_child(
    real_services: Any, tmp_path: Path
) -> None:
    from tests.slack.test_cli_slack import free_port

    data = tmp_path / "data"
    shutil.copytree(real_services.settings.data_dir / "cache", data / "cache")
    guidance = tmp_path / "guidance"
    shutil.copytree(real_services.settings.guidance_dir, guidance)
    log = tmp_path / "serve.log"
    with SlackApiStub() as stub:
        port = free_port()
        child = _serve(data, guidance, stub, port, log)
        try:
            _ready(port, child)
            client = Harness.__new__(Harness)
            client.port = port
            client.response_url = stub.response_url()
            warm = message_event(QUESTION, channel="DWARM", channel_type="im", user="UWARM")
            assert client.event(warm)[0] == 200
            stub.wait_for("chat.postMessage", timeout=120)  # the worker has answered once
            write_many_pdfs(guidance, PDFS)  # the admin drops a folder of reports in
            before = _children(child.pid)
            assert client.command("/changebot", "reingest", user_id="UADMIN")[0] == 200
            ingest_pid = 0
            deadline = time.monotonic() + 60
            while not ingest_pid and time.monotonic() < deadline:
                fresh = _children(child.pid) - before
                ingest_pid = next(iter(fresh), 0)
                time.sleep(0.02)
            assert ingest_pid, "no ingest child process appeared"
            front_nice = _nice(child.pid)

            acks: list[float] = []
            during: list[bool] = []
            answered_during = 0
            lock = threading.Lock()

            def ask(n: int) -> None:
                event = message_event(
                    f"{QUESTION} (ward {n})", channel=f"DQ{n:03d}", channel_type="im", user=f"U{n}"
                )
                status, _, seconds = client.event(event)
                with lock:
                    assert status == 200
                    acks.append(seconds)
                    during.append(_final_report(stub) is None)

            threads = []
            for n in range(QUESTIONS):  # a steady stream: three questions every 0.6 s
                thread = threading.Thread(target=ask, args=(n,))
                thread.start()
                threads.append(thread)
                if n % 3 == 2:
                    time.sleep(0.6)
            for thread in threads:
                thread.join(30)
            # the ingest child lowers its own priority once started (spawn takes a moment)
            ingest_nice = max((_nice(p) or 0) for p in _children(child.pid) - before)
            if _final_report(stub) is None:
                answered_during = len(_answered(stub))
            report_deadline = time.monotonic() + 400
            while _final_report(stub) is None and time.monotonic() < report_deadline:
                time.sleep(0.2)
            report = _final_report(stub)
            deadline = time.monotonic() + 120
            while len(_answered(stub)) < QUESTIONS and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(1.0)
            replies = [
                c
                for c in stub.calls_to("chat.postMessage")
                if str(c.payload.get("channel", "")).startswith("DQ")
            ]
            child.send_signal(signal.SIGTERM)
            code = child.wait(60)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait(10)
    err = log.read_text(encoding="utf-8", errors="replace")
    p99 = statistics.quantiles(acks, n=100)[98]
    print(
        f"LD3: {len(acks)} acks during a {PDFS}-PDF ingest: median {statistics.median(acks):.3f} s,"
        f" p99 {p99:.3f} s, max {max(acks):.3f} s; {answered_during} answered before it finished;"
        f" nice front {front_nice} ingest {ingest_nice}"
    )
    assert len(acks) == QUESTIONS and sum(during) == QUESTIONS, "the ingest ended too soon"
    assert p99 < 1.0, sorted(acks)[-5:]
    assert front_nice == 0 and ingest_nice is not None and ingest_nice >= 10
    assert answered_during >= 5  # answers keep coming while the ingest runs
    assert report is not None and "finished" in report, (report or "")[-500:]
    assert sorted(str(c.payload["channel"]) for c in replies) == [
        f"DQ{n:03d}" for n in range(QUESTIONS)
    ]  # each question answered exactly once
    assert code == 0 and "Traceback" not in err, err[-2000:]
