"""``changebot serve`` (HTTP, stop on signal/event) and ``changebot feedback --json``."""

import dataclasses
import json
import socket
import threading
import time

import pytest
import typer
from typer.testing import CliRunner

from bot.cli.serve import register, serve_forever, socket_mode_lock
from bot.common.errors import ChangebotError
from bot.settings import Settings
from bot.state.feedback import FeedbackRecord, record_feedback
from tests.slack.harness import Harness


def cli(get_services=lambda: None) -> typer.Typer:
    app = typer.Typer()
    register(app, get_services)
    return app


def test_feedback_json_exports_aggregates(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CHANGEBOT_DATA_DIR", str(tmp_path))
    record_feedback(tmp_path, FeedbackRecord(at=1.0, kind="answer", ref="a", vote="up", voter="v1"))
    record_feedback(
        tmp_path,
        FeedbackRecord(
            at=1.0,
            kind="diagnosis",
            ref="d",
            vote="down",
            reason="not_practical",
            label="capability",
            voter="v1",
        ),
    )
    result = CliRunner().invoke(cli(), ["feedback", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == 2 and data["reasons"] == {"not_practical": 1}
    text = CliRunner().invoke(cli(), ["feedback"])
    assert "2 votes, 50% helpful" in text.output


def test_serve_without_credentials_fails_plainly(real_services) -> None:
    result = CliRunner().invoke(cli(lambda: real_services), ["serve", "--http"])
    assert result.exit_code == 1 and "SLACK_BOT_TOKEN" in result.output


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_http_answers_signed_requests_and_stops(real_services, slack_settings, stub) -> None:
    services = dataclasses.replace(real_services, settings=slack_settings)
    port, stop = free_port(), threading.Event()
    thread = threading.Thread(target=serve_forever, args=(services, True, port, "127.0.0.1", stop))
    thread.start()
    client = Harness.__new__(Harness)
    client.port = port
    for _ in range(100):
        try:
            status = client.post(b'{"type":"url_verification","challenge":"c1"}')
            break
        except ConnectionRefusedError:
            time.sleep(0.1)
    assert status[0] == 200 and json.loads(status[1]) == {"challenge": "c1"}
    assert client.post(b"{}", secret="wrong")[0] == 401
    stop.set()
    thread.join(15)
    assert not thread.is_alive()


def test_only_one_socket_mode_process(tmp_path) -> None:
    with socket_mode_lock(tmp_path):
        with pytest.raises(ChangebotError, match="already connected"):
            with socket_mode_lock(tmp_path):
                pass
    with socket_mode_lock(tmp_path):  # released on exit
        pass


def test_socket_mode_needs_an_app_token(real_services, tmp_path) -> None:
    settings = Settings(data_dir=tmp_path, slack_bot_token="xoxb-test")
    with pytest.raises(ChangebotError, match="SLACK_APP_TOKEN"):
        serve_forever(dataclasses.replace(real_services, settings=settings), http=False)
