"""V2: a second changebot process on a data dir another one holds is refused, and writes nothing.

Real processes, as an operator would start them: an admin's ``changebot ingest`` of many PDFs
holding the writer lock, then a second ``changebot ingest`` (the test checks the first was still
running when the second had finished and the store was read); a ``changebot serve`` connected
to Slack in Socket Mode (a loopback WebSocket), then a second ``serve`` on the same data dir.
Each second process must exit non-zero with a plain sentence, and the live index (version name,
documents, chunk count) must be exactly what it was before it started.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from ingestion.lock import lock_path
from tests.servers.slack_api import SlackApiStub
from tests.slack.harness import SECRET
from tests.slack.many_pdfs import write_many_pdfs
from tests.slack.ws_stub import SocketModeStub

CHANGEBOT = str(Path(sys.executable).with_name("changebot"))
ROOT = Path(__file__).resolve().parents[2]
COUNT = 150  # PDFs: enough that the first ingest outlasts the second process


def machine_env(data: Path, guidance: Path, **extra: str) -> dict[str, str]:
    """The environment every process on this data dir gets (nothing from the test's own)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHANGEBOT_", "SLACK_"))}
    env |= {
        "HOME": str(data),
        "CHANGEBOT_DATA_DIR": str(data),
        "CHANGEBOT_GUIDANCE_DIR": str(guidance),
        "CHANGEBOT_WORKERS": "1",
    }
    for key in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        env.pop(key, None)
    return env | extra


def changebot(env: dict[str, str], *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHANGEBOT, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )


def store_state(env: dict[str, str]) -> dict[str, Any]:
    """What readers would see: live version, documents and chunks, as ``sources`` lists them."""
    done = changebot(env, "sources", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    return {
        "versions": sorted({str(r["version"]) for r in rows}),
        "documents": sorted(str(r["document"]) for r in rows),
        "chunks": sum(int(r["chunks"]) for r in rows),
    }


def prepared_machine(real_services: Any, root: Path) -> dict[str, str]:
    """A data dir (fitted-model cache copied) with the small guidance folder already indexed."""
    data = root / "data"
    shutil.copytree(real_services.settings.data_dir / "cache", data / "cache")
    env = machine_env(data, real_services.settings.guidance_dir)
    done = changebot(env, "ingest", "--bundled")
    assert done.returncode == 0, done.stdout + done.stderr
    return env


def _wait_for(check: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _lock_holder(data: Path) -> str:
    try:
        return lock_path(data).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


@pytest.mark.slow
def test_a_second_ingest_process_is_refused_while_the_first_holds_the_lock(
    real_services: Any, tmp_path: Path
) -> None:
    env = prepared_machine(real_services, tmp_path)
    data = Path(env["CHANGEBOT_DATA_DIR"])
    before = store_state(env)
    assert before["chunks"] > 0 and len(before["versions"]) == 1
    pdfs = tmp_path / "reports"
    write_many_pdfs(pdfs, COUNT)
    late = tmp_path / "late"
    late.mkdir()
    (late / "late-note.md").write_text(
        "# Late note\n\nThe late note says the ward 99 huddle moved to 08:10 on weekdays.\n",
        encoding="utf-8",
    )
    first = subprocess.Popen(
        [CHANGEBOT, "ingest", str(pdfs), "--json"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group: it and its parser child are stopped together
    )
    try:
        _wait_for(lambda: _lock_holder(data) == str(first.pid), 300, "the first ingest's lock")
        second = changebot(env, "ingest", str(late), timeout=400)
        during = store_state(env)  # read while the first is still building its version
        overlapped = first.poll() is None  # so the first held the store throughout
    finally:
        if first.poll() is None:  # stopped mid-build: its staged version is never served
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(10)
    assert overlapped, "the first ingest finished too soon: give it more documents"
    said = second.stdout + second.stderr
    assert second.returncode == 1, said
    assert "Another ingest is already running" in said and "Traceback" not in said
    assert during == before  # the refused process changed nothing
    after = store_state(env)
    assert after == before and "late-note.md" not in after["documents"]


@pytest.mark.slow
def test_a_second_socket_mode_serve_is_refused_and_the_first_keeps_serving(
    real_services: Any, tmp_path: Path
) -> None:
    env = prepared_machine(real_services, tmp_path)
    data = Path(env["CHANGEBOT_DATA_DIR"])
    before = store_state(env)
    with SlackApiStub() as stub, SocketModeStub([[], []]) as ws:
        stub.ws_url = ws.url
        env |= {
            "CHANGEBOT_SLACK_API_URL": stub.api_url,
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_APP_TOKEN": "xapp-test",
            "SLACK_SIGNING_SECRET": SECRET,
        }
        log = (tmp_path / "first-serve.log").open("ab")
        first = subprocess.Popen(
            [CHANGEBOT, "serve"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log
        )
        try:
            _wait_for(lambda: ws.connections >= 1 or first.poll() is not None, 180, "Socket Mode")
            assert first.poll() is None, (tmp_path / "first-serve.log").read_text()[-2000:]
            assert store_state(env) == before
            started = time.monotonic()
            second = changebot(env, "serve", timeout=180)
            took = time.monotonic() - started
            assert first.poll() is None and ws.connections == 1  # only the first is connected
            during = store_state(env)
            first.send_signal(signal.SIGTERM)
            code = first.wait(60)
        finally:
            if first.poll() is None:
                first.kill()
                first.wait(10)
            log.close()
    said = second.stdout + second.stderr
    assert second.returncode == 1, said[-2000:]
    assert "already connected to Slack in Socket Mode" in said and "Traceback" not in said
    assert took < 120
    assert during == before
    assert code == 0
    assert (data / "slack-socket-mode.lock").exists()
