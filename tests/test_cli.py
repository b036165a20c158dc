"""The CLI contracts of design.md section 3, on the real services and bundled guidance."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.cli import main as cli


@pytest.fixture
def runner(bundled_services: Any, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setattr(cli, "get_services", lambda: bundled_services)
    return CliRunner()


def _invoke(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(cli.app, list(args), catch_exceptions=False)


def test_ask_json_follows_the_contract(runner: CliRunner) -> None:
    result = _invoke(runner, "ask", "--json", "what are the four barriers to change?")
    assert result.exit_code == 0
    answer = json.loads(result.stdout)
    assert set(answer) >= {"scope", "answer", "citations", "mode", "grounded"}
    assert answer["mode"] == "offline" and answer["grounded"] is True
    assert {"n", "title", "document", "section", "page", "chunk_id", "provenance"} <= set(
        answer["citations"][0]
    )


def test_diagnose_json_follows_the_contract(runner: CliRunner) -> None:
    text = "the team are keen but every improvement meeting gets cancelled because of staffing"
    result = _invoke(runner, "diagnose", "--json", text)
    assert result.exit_code == 0
    d = json.loads(result.stdout)
    assert d["scope"] == "in_scope"
    assert {"id", "score", "evidence"} <= set(d["barriers"][0])
    assert {"text", "barrier", "approach", "why", "source"} <= set(d["actions"][0])
    assert isinstance(d["follow_up_questions"], list) and d["message"]


def test_batch_prints_one_line_per_input_with_its_id(runner: CliRunner, tmp_path: Path) -> None:
    batch = tmp_path / "in.jsonl"
    batch.write_text(
        '{"id": "a", "text": "we have no time for improvement"}\n'
        '{"id": "b", "text": "hello there!"}\n',
        encoding="utf-8",
    )
    result = _invoke(runner, "diagnose", "--json", "--batch", str(batch))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert lines[1]["scope"] == "smalltalk"


def test_bad_batch_file_is_a_plain_error(runner: CliRunner, tmp_path: Path) -> None:
    batch = tmp_path / "bad.jsonl"
    batch.write_text("not json\n", encoding="utf-8")
    result = _invoke(runner, "ask", "--batch", str(batch))
    assert result.exit_code == 1
    assert "expected one JSON object per line" in result.stderr
    assert "Traceback" not in result.output


def test_sources_json_lists_the_bundled_notes(runner: CliRunner) -> None:
    result = _invoke(runner, "sources", "--json")
    docs = json.loads(result.stdout)
    assert result.exit_code == 0 and len(docs) >= 15


def test_chat_is_pipeable_end_to_end(bundled_services: Any) -> None:
    """The real entry point, as `make run` uses it: piped stdin, cited answer, exit 0."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("CHANGEBOT_", "SLACK_", "OPENAI_"))
    }
    env["CHANGEBOT_DATA_DIR"] = str(bundled_services.settings.data_dir)
    lines = "what are the four barriers to change?\n/diagnose nobody has time for this\n/sources\n"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "start"],
        input=lines,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Headspace to make change happen" in done.stdout and "[1]" in done.stdout
    assert "Sources:" in done.stdout and "headspace" in done.stdout.lower()
    assert "documents indexed" in done.stdout


def test_first_question_on_a_fresh_machine_indexes_the_guidance_folder(
    bundled_services: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fresh = _fresh_services(bundled_services, tmp_path)
    index = fresh.index
    monkeypatch.setattr(cli, "get_services", lambda: fresh)
    assert index.live_name() is None

    result = CliRunner().invoke(
        cli.app, ["ask", "--json", "how do teams protect time for improvement?"]
    )

    assert result.exit_code == 0, result.output
    assert "Indexing the bundled guidance notes" in result.stderr
    assert index.live_name() is not None
    answer = json.loads(result.stdout)
    assert [c["document"] for c in answer["citations"]] == ["headspace.md"] * len(
        answer["citations"]
    )


def _fresh_services(bundled_services: Any, tmp_path: Path) -> Any:
    """The bundled models over an empty index and a one-note guidance folder."""
    from dataclasses import replace

    from bot.core.answering.answer import Answerer
    from bot.core.answering.retrieve import Retriever
    from bot.core.respond import Responder
    from bot.settings import Settings
    from knowledge.index import KnowledgeIndex, make_client

    guidance = tmp_path / "guidance"
    guidance.mkdir()
    (guidance / "headspace.md").write_text(
        "# Protected time\n\nTeams that ring-fence an hour a week for improvement keep going.\n",
        encoding="utf-8",
    )
    settings = Settings(data_dir=tmp_path / "data", guidance_dir=guidance)
    index = KnowledgeIndex(make_client(str(settings.index_dir), None), bundled_services.embedder)
    retriever = Retriever(index, bundled_services.embedder, bundled_services.framework)
    answerer = Answerer(retriever, bundled_services.framework)
    return replace(
        bundled_services,
        settings=settings,
        index=index,
        retriever=retriever,
        answerer=answerer,
        responder=Responder(retriever, answerer, bundled_services.diagnoser),
    )


def test_ingest_bundled_indexes_the_notes_once_then_reports_them_current(
    bundled_services: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The one-shot job compose.yaml runs before the replicas start."""
    fresh = _fresh_services(bundled_services, tmp_path)
    monkeypatch.setattr(cli, "get_services", lambda: fresh)
    assert fresh.index.live_name() is None

    first = CliRunner().invoke(cli.app, ["ingest", "--bundled"])
    assert first.exit_code == 0, first.output
    assert "Indexed the bundled notes." in first.output
    live = fresh.index.live_name()
    assert live is not None and {d.owner for d in fresh.index.documents()} == {"bundled"}

    again = CliRunner().invoke(cli.app, ["ingest", "--bundled"])
    assert again.exit_code == 0 and "up to date" in again.output
    assert fresh.index.live_name() == live  # no new version when nothing changed


def test_asking_after_an_admin_ingest_on_a_fresh_data_dir_still_knows_the_framework(
    bundled_services: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`changebot ingest our-docs` then `changebot ask …`, with no `start` in between."""
    fresh = _fresh_services(bundled_services, tmp_path)
    monkeypatch.setattr(cli, "get_services", lambda: fresh)
    ours = tmp_path / "ours"
    ours.mkdir()
    (ours / "discharge-lounge.md").write_text(
        "# Discharge lounge\n\nThe discharge lounge opens at 8am and is run by Priya Shah.\n",
        encoding="utf-8",
    )
    ingested = CliRunner().invoke(cli.app, ["ingest", str(ours)])
    assert ingested.exit_code == 0, ingested.output
    assert {d.owner for d in fresh.index.documents()} == {"admin"}

    result = CliRunner().invoke(
        cli.app, ["ask", "--json", "how do teams protect time for improvement?"]
    )

    assert result.exit_code == 0, result.output
    assert "Indexing the bundled guidance notes" in result.stderr
    owners = {d.document: d.owner for d in fresh.index.documents()}
    assert owners == {"discharge-lounge.md": "admin", "headspace.md": "bundled"}
    answer = json.loads(result.stdout)
    assert answer["grounded"] and answer["citations"][0]["document"] == "headspace.md"
    again = CliRunner().invoke(cli.app, ["ask", "--json", "when does the discharge lounge open?"])
    assert "Indexing" not in again.stderr and "8am" in json.loads(again.stdout)["answer"]


def test_settings_errors_name_the_variables_people_set() -> None:
    from pydantic import ValidationError

    from bot.settings import Settings

    assert cli.env_name("log_level") == "CHANGEBOT_LOG_LEVEL"
    assert cli.env_name("slack_bot_token") == "SLACK_BOT_TOKEN"
    assert cli.env_name("azure_openai_api_version") == "OPENAI_API_VERSION"
    with pytest.raises(ValidationError) as caught:
        Settings(log_level="chatty", openai_api_key=42)
    message = cli.settings_problem(caught.value)
    assert "CHANGEBOT_LOG_LEVEL: Input should be 'DEBUG'" in message
    assert "OPENAI_API_KEY" in message and "chatty" not in message and "42" not in message


def test_serve_logs_at_info_and_one_shot_commands_at_warning_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chosen: list[tuple[str, bool]] = []
    monkeypatch.setattr(
        cli, "configure_logging", lambda level, js=False: chosen.append((level, js))
    )
    monkeypatch.setattr(logging, "captureWarnings", lambda capture: None)
    for argv in (["serve", "--http"], ["start"], ["sources", "--json"], ["--help"]):
        cli._logging_from_settings(cli._command(argv))
    assert chosen == [("INFO", False), ("WARNING", False), ("WARNING", False), ("WARNING", False)]

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    monkeypatch.setenv("CHANGEBOT_LOG_FORMAT", "json")
    chosen.clear()
    cli._logging_from_settings("start")  # start serves Slack now
    monkeypatch.setenv("CHANGEBOT_LOG_LEVEL", "ERROR")
    cli._logging_from_settings("serve")
    cli._logging_from_settings("diagnose")
    assert chosen == [("INFO", True), ("ERROR", True), ("ERROR", True)]
