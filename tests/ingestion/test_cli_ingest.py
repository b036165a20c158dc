import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
import typer
from typer.testing import CliRunner

from bot.cli import ingest as cli_ingest
from bot.cli.ingest import register
from bot.settings import Settings
from ingestion.lock import ingest_lock
from knowledge.index import KnowledgeIndex
from tests.ingestion.samples import write_note


@pytest.fixture(autouse=True)
def niced(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the priority change instead of lowering the test process's own priority."""
    calls: list[int] = []

    def record(increment: int) -> int:
        calls.append(increment)
        return increment

    monkeypatch.setattr(os, "nice", record)
    return calls


def test_an_ingest_runs_as_background_work(niced: list[int]) -> None:
    cli_ingest.as_background_work()
    assert niced == [cli_ingest.INGEST_NICE]


def _app(index: KnowledgeIndex, settings: Settings) -> typer.Typer:
    app = typer.Typer()
    register(app, lambda: SimpleNamespace(settings=settings, index=index))
    return app


def test_ingest_sources_and_rollback(docs: Path, index: KnowledgeIndex, settings: Settings) -> None:
    app = _app(index, settings)
    runner = CliRunner()
    write_note(docs, "a.md", "recognition")
    result = runner.invoke(app, ["ingest", str(docs)])
    assert result.exit_code == 0, result.output
    assert "a.md" in result.output and "added" in result.output
    (docs / "b.md").write_bytes(b"\x7fELF\x02\x01\x01" + bytes(100))
    result = runner.invoke(app, ["ingest", str(docs), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    failed = [d for d in report["documents"] if d["status"] == "failed"]
    assert failed[0]["document"] == "b.md" and "unsupported type" in failed[0]["reason"]
    listed = json.loads(runner.invoke(app, ["sources", "--json"]).stdout)
    assert [d["document"] for d in listed] == ["a.md"]
    assert listed[0]["chunks"] == 1 and listed[0]["version"] == index.live_name()
    table = runner.invoke(app, ["sources"])
    assert table.exit_code == 0 and "a.md" in table.output
    result = runner.invoke(app, ["ingest", "--rollback"])
    assert result.exit_code == 1 and "no previous index version" in result.output


def test_locked_ingest_is_a_plain_message(
    docs: Path, index: KnowledgeIndex, settings: Settings
) -> None:
    write_note(docs, "a.md", "recognition")
    with ingest_lock(settings.data_dir):
        result = CliRunner().invoke(_app(index, settings), ["ingest", str(docs)])
    assert result.exit_code == 1
    assert "Another ingest is already running" in result.output
    assert "Traceback" not in result.output
