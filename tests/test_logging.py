"""Logs through the real ``changebot`` command: timestamps, one level setting, JSON one away.

Each test runs ``changebot`` as a separate process on a temporary data dir, as a user would:
one-shot commands are quiet unless ``CHANGEBOT_LOG_LEVEL`` is set, ``serve`` logs at INFO from
its first line, every line carries a timestamp, ``CHANGEBOT_LOG_FORMAT=json`` turns every
command's lines into JSON objects, and the promise "run again with CHANGEBOT_LOG_LEVEL=DEBUG for
details" holds (in JSON too). Log lines go to stderr, so ``--json`` output on stdout stays clean.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

CHANGEBOT = str(Path(sys.executable).with_name("changebot"))
TEXT_LINE = re.compile(
    r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) "
    r"(?P<logger>[\w.]+): "
)
JSON_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
SITUATION = "the team are keen but every improvement workshop gets cancelled because of staffing"


def run(data_dir: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """One ``changebot`` process with only these settings (the tests' env is already clean)."""
    env = {**os.environ, "CHANGEBOT_DATA_DIR": str(data_dir), **settings}
    return subprocess.run(
        [CHANGEBOT, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
    )


def lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def json_lines(stderr: str) -> list[dict[str, Any]]:
    records = [json.loads(line) for line in lines(stderr)]  # every line is one JSON object
    for record in records:
        assert {"time", "level", "logger", "message"} <= set(record)
        assert JSON_TIME.match(record["time"]), record
    return records


def test_one_shot_commands_are_quiet_unless_asked(tmp_path: Path) -> None:
    done = run(tmp_path / "data", "sources", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
    assert done.stderr == ""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("sources", "--json"), "bot.services: services built"),
        (("diagnose", SITUATION), "bot.services: services built"),
    ],
)
def test_log_level_applies_to_one_shot_commands_and_every_line_has_a_timestamp(
    tmp_path: Path, args: tuple[str, ...], expected: str
) -> None:
    done = run(tmp_path / "data", *args, CHANGEBOT_LOG_LEVEL="INFO")
    assert done.returncode == 0, done.stderr
    logged = lines(done.stderr)
    assert any(expected in line for line in logged), logged
    assert all(TEXT_LINE.match(line) for line in logged), logged
    assert "services built" not in done.stdout  # logs never mix into the command's output


def test_ingest_logs_with_timestamps_from_every_layer(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "headspace.md").write_text(
        "# Protected time\n\nTeams that ring-fence an hour a week for improvement keep going.\n",
        encoding="utf-8",
    )
    done = run(tmp_path / "data", "ingest", str(notes), "--json", CHANGEBOT_LOG_LEVEL="INFO")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["outcome"] == "switched"
    logged = lines(done.stderr)
    assert all(TEXT_LINE.match(line) for line in logged), logged
    loggers = {match.group("logger") for line in logged if (match := TEXT_LINE.match(line))}
    assert {"bot.services", "ingestion.lock", "knowledge.index"} <= loggers


@pytest.mark.parametrize("level", ["WARNING", "ERROR"])
def test_a_higher_level_filters_info_out(tmp_path: Path, level: str) -> None:
    done = run(tmp_path / "data", "diagnose", "--json", SITUATION, CHANGEBOT_LOG_LEVEL=level)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["barriers"]
    assert " INFO " not in done.stderr and " DEBUG " not in done.stderr


def test_json_format_applies_to_one_shot_commands(tmp_path: Path) -> None:
    done = run(
        tmp_path / "data",
        "diagnose",
        "--json",
        SITUATION,
        CHANGEBOT_LOG_LEVEL="INFO",
        CHANGEBOT_LOG_FORMAT="json",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["barriers"]
    records = json_lines(done.stderr)
    assert any(
        r["logger"] == "bot.services" and r["level"] == "INFO" and "services built" in r["message"]
        for r in records
    ), records


def test_debug_gives_the_details_the_error_message_promises(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "data"
    not_a_dir.write_text("a file where the data dir should be\n", encoding="utf-8")

    plain = run(not_a_dir, "sources")
    assert plain.returncode == 1
    assert "Run again with CHANGEBOT_LOG_LEVEL=DEBUG for details." in plain.stderr
    assert "Traceback" not in plain.stderr

    debug = run(not_a_dir, "sources", CHANGEBOT_LOG_LEVEL="DEBUG")
    assert debug.returncode == 1
    first = next(line for line in lines(debug.stderr) if "unexpected error" in line)
    assert TEXT_LINE.match(first) and " DEBUG bot.cli.main: " in first
    assert "Traceback" in debug.stderr and "FileExistsError" in debug.stderr

    as_json = run(not_a_dir, "sources", CHANGEBOT_LOG_LEVEL="DEBUG", CHANGEBOT_LOG_FORMAT="json")
    assert as_json.returncode == 1
    log, message = lines(as_json.stderr)[:-1], lines(as_json.stderr)[-1]
    assert "Run again with CHANGEBOT_LOG_LEVEL=DEBUG" in message  # the one line for people
    (record,) = [r for r in json_lines("\n".join(log)) if r["message"] == "unexpected error"]
    assert record["level"] == "DEBUG" and record["error"] == "FileExistsError"
    assert record["stack"][-1] == "FileExistsError"
    assert any(" in build_services" in frame for frame in record["stack"])  # where it failed


def test_an_invalid_setting_is_named_without_its_value(tmp_path: Path) -> None:
    done = run(
        tmp_path / "data",
        "sources",
        CHANGEBOT_LOG_LEVEL="chatty",
        CHANGEBOT_LLM_TIMEOUT_S="xoxb-not-a-number",
    )
    assert done.returncode == 1
    assert "CHANGEBOT_LOG_LEVEL" in done.stderr and "'DEBUG', 'INFO'" in done.stderr
    assert "CHANGEBOT_LLM_TIMEOUT_S" in done.stderr
    assert "chatty" not in done.stderr and "xoxb-not-a-number" not in done.stderr
    assert "CHANGEBOT_LOG_LEVEL=DEBUG" not in done.stderr  # it could not help here
    assert "Traceback" not in done.stderr


def test_children_changebot_starts_log_like_their_parent() -> None:
    """The parser sandbox's way: the parent hands its choice to the child as one argument."""
    child = (
        "import logging, sys; from bot.common.logs import configure_from_handoff; "
        "configure_from_handoff(sys.argv[1]); "
        "logging.getLogger('pypdf').warning('incorrect startxref pointer'); "
        "logging.getLogger('ingestion.sandbox').info('parser ready'); "
        "logging.getLogger('ingestion.sandbox').debug('not at INFO')"
    )
    parent = (
        "import subprocess, sys; from bot.common.logs import configure_logging, handoff; "
        "configure_logging('INFO', json_lines=True); "
        f"sys.exit(subprocess.run([sys.executable, '-c', {child!r}, handoff()]).returncode)"
    )
    done = subprocess.run(
        [sys.executable, "-c", parent], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    records = json_lines(done.stderr)
    assert [(r["logger"], r["level"]) for r in records] == [
        ("pypdf", "WARNING"),
        ("ingestion.sandbox", "INFO"),
    ]
    unknown = subprocess.run(
        [sys.executable, "-c", child, "chatty"], capture_output=True, text=True, timeout=60
    )
    assert [TEXT_LINE.match(line) is not None for line in lines(unknown.stderr)] == [True]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_logs_at_info_from_its_first_line_in_json(
    bundled_services: Any, tmp_path: Path
) -> None:
    from tests.servers.slack_api import SlackApiStub

    data = tmp_path / "data"
    shutil.copytree(bundled_services.settings.data_dir, data)
    log = tmp_path / "serve.log"
    with SlackApiStub() as slack, log.open("wb") as sink:
        env = {
            **os.environ,
            "CHANGEBOT_DATA_DIR": str(data),
            "CHANGEBOT_SLACK_API_URL": slack.api_url,
            "CHANGEBOT_LOG_FORMAT": "json",  # and no CHANGEBOT_LOG_LEVEL: serve means INFO
            "CHANGEBOT_WORKERS": "0",
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": "test-secret",
        }
        port = str(free_port())
        proc = subprocess.Popen(
            [CHANGEBOT, "serve", "--http", "--host", "127.0.0.1", "--port", port],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )
        try:
            deadline = time.monotonic() + 180
            while "listening on" not in log.read_text(encoding="utf-8", errors="replace"):
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        finally:
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=60)
    stderr = log.read_text(encoding="utf-8")
    assert code == 0, stderr[-3000:]
    records = json_lines(stderr)
    messages = [r["message"] for r in records if r["level"] == "INFO"]
    built = next(i for i, m in enumerate(messages) if "services built" in m)
    listening = next(i for i, m in enumerate(messages) if "listening on" in m)
    assert built < listening  # start-up logs at INFO too, before the server is up
