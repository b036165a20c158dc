"""``changebot ingest`` and ``changebot sources``: the admin's view of the guidance index.

Errors become plain messages and exit code 1 here, at the edge; the pipeline itself only raises
``ChangebotError`` subclasses and returns an ``IngestReport``.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.common.errors import ChangebotError
from ingestion.pipeline import ingest, rebuild, remove, rollback
from ingestion.report import IngestReport, Status
from ingestion.report import Progress as Tick

logger = logging.getLogger(__name__)
INGEST_NICE = 10
_STYLE: dict[Status, str] = {
    "added": "green",
    "updated": "cyan",
    "unchanged": "dim",
    "removed": "yellow",
    "failed": "red",
}


@contextmanager
def _progress_bar(console: Console, enabled: bool) -> Iterator[Callable[[Tick], None] | None]:
    """A rich bar over documents, with chunks and chunks/s; nothing when output is JSON."""
    if not enabled:
        yield None
        return
    started = time.monotonic()
    columns = (
        TextColumn("[bold]Ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("documents · {task.fields[chunks]} chunks · {task.fields[rate]} chunks/s"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("ingest", total=None, chunks=0, rate="0.0")

        def update(tick: Tick) -> None:
            rate = tick.chunks_done / max(time.monotonic() - started, 1e-6)
            bar.update(
                task,
                total=tick.documents_total,
                completed=tick.documents_done,
                chunks=tick.chunks_done,
                rate=f"{rate:.1f}",
            )

        yield update


def _summary(report: IngestReport) -> Table:
    table = Table(title=f"Ingest ({report.mode}): {report.message}")
    for column in ("Document", "Status", "Chunks", "Pages", "Seconds", "Reason"):
        table.add_column(column, overflow="fold")
    for row in report.documents:
        style = _STYLE.get(row.status, "")
        table.add_row(
            row.document,
            f"[{style}]{row.status}[/]",
            str(row.chunks),
            str(row.pages or ""),
            f"{row.seconds:.1f}",
            row.reason,
        )
    counts = ", ".join(f"{report.count(s)} {s}" for s in _STYLE if report.count(s))
    table.caption = f"{counts or 'no documents'} · {report.chunks} chunks · {report.seconds:.1f} s"
    return table


def _fail(console: Console, exc: ChangebotError) -> typer.Exit:
    console.print(f"[red]{exc.user_message}[/]")
    return typer.Exit(code=1)


def _print_report(console: Console, report: IngestReport, as_json: bool) -> None:
    """The report as JSON for scripts, else the per-document table for people."""
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        console.print(_summary(report))


def as_background_work() -> None:
    """Lower this process's CPU priority before any thread starts (they inherit it).

    An ingest is background work: a bot answering questions on the same machine should keep its
    pace while it runs. On an idle machine the ingest is just as fast.
    """
    try:
        os.nice(INGEST_NICE)
    except OSError:
        logger.debug("could not lower the ingest's priority")


def refresh_bundled(console: Console, services: Any) -> None:
    """What every start does before serving, alone: for a one-shot job ahead of the replicas.

    Replicas that start together on an empty shared index would each try to index the bundled
    notes; the ingest lease lets one of them and refuses the others. Run this once first (the
    ``index`` service in compose.yaml) and the replicas find the index current.
    """
    from bot.startup import ensure_index

    ran = ensure_index(services)
    console.print("Indexed the bundled notes." if ran else "The bundled notes are up to date.")


def register(app: typer.Typer, get_services: Callable[[], Any]) -> None:
    """Add ``ingest`` and ``sources`` to the changebot CLI."""

    @app.command("ingest")
    def ingest_command(
        paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders.")] = None,
        replace: Annotated[bool, typer.Option("--replace", help="Index exactly these.")] = False,
        strict: Annotated[bool, typer.Option("--strict", help="Abort on any failure.")] = False,
        rollback_: Annotated[
            bool, typer.Option("--rollback", help="Serve the previous version again.")
        ] = False,
        to: Annotated[
            str | None,
            typer.Option("--to", help="With --rollback: an older kept version (see `sources`)."),
        ] = None,
        rebuild_: Annotated[
            bool,
            typer.Option("--rebuild", help="Re-embed the index after changing the embedder."),
        ] = False,
        bundled: Annotated[
            bool,
            typer.Option(
                "--bundled",
                help="Refresh the bundled notes if their folder changed (as every start does).",
            ),
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Ingest guidance documents (PDF, Word, HTML, Markdown, text) into a new index version."""
        console = Console(stderr=as_json)
        as_background_work()
        try:
            services = get_services()
            if bundled:
                refresh_bundled(console, services)
                return
            if rollback_:
                name = rollback(services.index, services.settings, to=to)
                console.print(f"Now serving the earlier version {name}.")
                return
            if rebuild_:
                report = rebuild(services.index, services.settings)
                console.print(report.message)
                return
            if not paths:
                raise typer.BadParameter("give at least one file or folder (or --rollback)")
            with _progress_bar(console, not as_json) as tick:
                report = ingest(
                    paths,
                    services.index,
                    services.settings,
                    mode="replace" if replace else "add",
                    strict=strict,
                    progress=tick,
                )
        except ChangebotError as exc:
            raise _fail(console, exc) from None
        _print_report(console, report, as_json)
        if not report.ok:
            raise typer.Exit(code=1)

    @app.command("remove")
    def remove_command(
        documents: Annotated[list[str], typer.Argument(help="Documents, as `sources` names them.")],
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Take documents an admin ingested out of the index (bundled notes follow their folder)."""
        console = Console(stderr=as_json)
        try:
            report = remove(documents, get_services().index, get_services().settings)
        except ChangebotError as exc:
            raise _fail(console, exc) from None
        _print_report(console, report, as_json)

    @app.command("sources")
    def sources_command(
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
    ) -> None:
        """List the documents in the live guidance index."""
        console = Console()
        try:
            index = get_services().index
            docs, kept = index.documents(), index.history()[1:]
        except ChangebotError as exc:
            raise _fail(console, exc) from None
        if as_json:
            typer.echo(json.dumps([d.model_dump(mode="json") for d in docs], indent=2))
            return
        table = Table(title=f"{len(docs)} documents in the guidance index")
        for column in ("Title", "Document", "Chunks", "Pages", "Ingested", "Version"):
            table.add_column(column, overflow="fold")
        for d in docs:
            when = datetime.fromtimestamp(d.ingested_at).strftime("%Y-%m-%d %H:%M")
            table.add_row(d.title, d.document, str(d.chunks), d.pages, when, d.version)
        console.print(table)
        console.print(f"Kept for rollback (newest first): {', '.join(kept) or 'none'}")
