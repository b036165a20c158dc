"""``changebot plans`` and ``changebot insights``: tests of change and trends, in a terminal.

Both read the shared store only (``CHANGEBOT_DATABASE_URL``, else ``state.db`` in the data dir),
so they start in a moment and never load the models. ``plans`` lists every test of change by
state (due, open, done); its text shows ids, dates, framework ids and each plan's own "what we
will try", nothing else a person wrote (``--json`` gives whole plans). ``insights`` prints the
weekly counts of the last weeks with every count under 5 shown as ``<5``, as text (the default),
``--json`` or ``--csv``, and ``--chart FILE.png`` also draws the chart (matplotlib, from the
``bench`` extra).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.common.errors import ChangebotError
from bot.settings import Settings
from bot.state.insights import insights_csv, weekly_insights
from bot.state.plans import Plan, PlanStore
from bot.state.store import SharedStore

WHAT_SHOWN = 80  # characters of a plan's "what" in the text listing


def open_store() -> SharedStore:
    """The shared store this installation's settings name."""
    return SharedStore(Settings().state_url)


def framework_labels() -> dict[str, str]:
    """Barrier, factor and approach ids with their labels, in the framework's order."""
    from knowledge.framework import default_framework

    framework = default_framework()
    labels = {str(b.id): b.label for b in framework.barriers}
    labels |= {str(f.id): f.label for f in framework.factors}
    return labels | {str(a.id): a.label for a in framework.approaches}


def _day(at: float) -> str:
    return datetime.fromtimestamp(at, tz=UTC).strftime("%Y-%m-%d")


def _what(plan: Plan) -> str:
    what = " ".join(plan.what.split())
    return what if len(what) <= WHAT_SHOWN else what[: WHAT_SHOWN - 1] + "…"


def plan_groups(plans: list[Plan], now: float) -> list[tuple[str, list[Plan]]]:
    """The plans by state, in this order: due, open (not yet due), done (or closed).

    Shared with the terminal chat's ``/plans``, so both list the same plans the same way.
    """
    due = [p for p in plans if p.due(now)]
    open_ = [p for p in plans if p.status == "open" and not p.due(now)]
    ended = [p for p in plans if p.status != "open"]
    return [("Due", due), ("Open", open_), ("Done", ended)]


def plans_text(plans: list[Plan], now: float) -> str:
    """The plans by state (due, open, done or closed), one line each."""
    if not plans:
        return "No tests of change are kept."
    groups = plan_groups(plans, now)
    due, open_, ended = (len(group) for _, group in groups)
    lines = [f"{len(plans)} test(s) of change: {due} due, {open_} open, {ended} done."]
    for title, group in groups:
        if not group:
            continue
        lines.append(f"\n{title}:")
        for p in group:
            if p.status == "open":
                state = f"look back {_day(p.remind_at)}"
                state += " (reminded)" if p.reminded_at is not None else ""
            else:
                state = p.status + (f", {p.outcome.replace('_', ' ')}" if p.outcome else "")
                state += f", next: {p.act}" if p.act else ""
            lines.append(
                f"  {p.id[:8]}  {_day(p.created_at)}  {p.action_id} ({p.barrier})  {state}\n"
                f"            {_what(p)}"
            )
    return "\n".join(lines)


@contextmanager
def _store(get_store: Callable[[], SharedStore]) -> Iterator[SharedStore]:
    store = get_store()
    try:
        yield store
    finally:
        store.close()


def register(app: typer.Typer, get_store: Callable[[], SharedStore] | None = None) -> None:
    """Add ``plans`` and ``insights`` to the changebot CLI."""

    def store() -> SharedStore:
        return (get_store or open_store)()  # looked up per call, so tests can swap it

    @app.command("plans")
    def plans_command(
        as_json: Annotated[bool, typer.Option("--json", help="Print every plan as JSON.")] = False,
    ) -> None:
        """List the tests of change people planned: due, open and done."""
        try:
            with _store(store) as shared:
                found = PlanStore(shared).all_plans()
        except ChangebotError as exc:
            typer.echo(exc.user_message, err=True)
            raise typer.Exit(1) from exc
        if as_json:
            typer.echo(json.dumps([p.model_dump() for p in found], indent=2))
            return
        typer.echo(plans_text(found, time.time()))

    @app.command("insights")
    def insights_command(
        as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
        as_csv: Annotated[bool, typer.Option("--csv", help="Print the counts as CSV.")] = False,
        chart: Annotated[
            Path | None, typer.Option("--chart", help="Also draw the chart into this PNG file.")
        ] = None,
        weeks: Annotated[int, typer.Option(min=1, max=52, help="How many weeks.")] = 12,
    ) -> None:
        """Anonymous barrier trends per week (counts under 5 are shown as <5)."""
        if as_json and as_csv:
            typer.echo("Choose one of --json and --csv.", err=True)
            raise typer.Exit(2)
        try:
            with _store(store) as shared:
                insights = weekly_insights(shared, time.time(), weeks=weeks)
            from bot.tools.insights_chart import insights_text, save_insights_chart

            labels = framework_labels()
            text = insights_text(insights, labels)
            if chart is not None:
                text = save_insights_chart(insights, chart, labels)
        except ChangebotError as exc:
            typer.echo(exc.user_message, err=True)
            raise typer.Exit(1) from exc
        if as_json:
            typer.echo(insights.model_dump_json(indent=2))
        elif as_csv:
            typer.echo(insights_csv(insights), nl=False)
        else:
            typer.echo(text)
        if chart is not None:
            typer.echo(f"Chart written to {chart}.", err=True)
