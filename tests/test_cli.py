"""The CLI contracts of design.md section 3, on the real services and bundled guidance."""

from __future__ import annotations

import json
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
    responder = Responder(retriever, answerer, bundled_services.diagnoser)
    fresh = replace(
        bundled_services,
        settings=settings,
        index=index,
        retriever=retriever,
        answerer=answerer,
        responder=responder,
    )
    monkeypatch.setattr(cli, "get_services", lambda: fresh)
    assert index.live_name() is None

    result = CliRunner().invoke(
        cli.app, ["ask", "--json", "how do teams protect time for improvement?"]
    )

    assert result.exit_code == 0, result.output
    assert "Indexing the guidance folder" in result.stderr
    assert index.live_name() is not None
    answer = json.loads(result.stdout)
    assert [c["document"] for c in answer["citations"]] == ["headspace.md"] * len(
        answer["citations"]
    )
