"""``changebot eval situations|questions|journeys FILE``: quality numbers for the README."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table


def _print(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    table = Table(title="changebot evaluation")
    table.add_column("measure")
    table.add_column("value")
    for key, value in result.items():
        table.add_row(key, json.dumps(value) if isinstance(value, dict | list) else str(value))
    Console().print(table)


def register(app: typer.Typer, get_services: Callable[[], Any]) -> None:
    """Add the ``eval`` command group."""
    group = typer.Typer(help="Measure quality on labelled JSONL files.")

    @group.command("situations")
    def situations(path: Path, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
        """Diagnosis quality: barrier F1, primary accuracy, factor/approach F1, scope."""
        from bot.tools.evaluate import evaluate_situations

        _print(evaluate_situations(get_services(), path), as_json)

    @group.command("questions")
    def questions(path: Path, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
        """Answer quality: fact recall, retrieval recall@5, citations, declines, latency."""
        from bot.tools.evaluate import evaluate_questions

        _print(evaluate_questions(get_services(), path), as_json)

    @group.command("journeys")
    def journeys(path: Path, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
        """Routing and local-document answers through ``respond``, as people meet them."""
        from bot.tools.journeys import evaluate_journeys

        _print(evaluate_journeys(get_services(), path), as_json)

    app.add_typer(group, name="eval")
