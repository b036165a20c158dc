"""Pure builder for the App Home tab.

It shows what changebot does, how to use it, the framework at a glance, the user's last diagnoses
(labels only), their tests of change (open, due, done) and, for admins, the index status and the
anonymous insights of the last 12 weeks as text (``render/insights.py``; the chart goes to a DM).

Why a builder function: App Home is re-published on every ``app_home_opened``; keeping it pure
means the golden test pins the whole view and the listener only gathers the inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.slack.render.admin import IndexStatus, status_lines
from bot.slack.render.blocks import Block, actions, button, context, divider, header, section
from bot.slack.render.insights import insights_home_blocks
from bot.slack.render.plans import plans_home_blocks
from bot.state.history import DiagnosisRecord
from knowledge.framework import Framework

if TYPE_CHECKING:
    from bot.state.insights import Insights
    from bot.state.plans import Plan

INTRO = (
    "changebot helps people leading change in the NHS work out what is getting in the way, using "
    "the Health Foundation's *Constructive comfort* framework: four barrier areas, seven success "
    "factors and three approach types. It suggests concrete next steps, each with its reason and "
    "source, and answers questions about the guidance with citations."
)
HOW_TO = (
    "• *Describe your situation* in a DM, or mention @changebot in a channel: "
    "you get a diagnosis.\n"
    "• *Ask a question* about the guidance: you get an answer with sources.\n"
    "• */diagnose* opens a short form; */diagnose your situation* diagnoses straight away "
    "(only you see the card).\n"
    "• Reply in the thread to carry on the conversation.\n"
    "• *Plan a test* next to a suggested action: changebot asks on the date you choose "
    "whether it helped.\n"
    "• Please never include patient names, NHS numbers or other identifiers."
)


def when(at: float) -> str:
    """A short UTC date for history rows."""
    return datetime.fromtimestamp(at, tz=UTC).strftime("%d %b %Y")


def framework_text(framework: Framework) -> str:
    """Barrier, factor and approach labels in three short lines."""
    barriers = " · ".join(b.label for b in framework.barriers)
    factors = " · ".join(f.label for f in framework.factors)
    approaches = " · ".join(f"Type {a.type_number}: {a.label}" for a in framework.approaches)
    return (
        f"*Four barriers:* {barriers}\n*Seven success factors:* {factors}\n"
        f"*Three approach types:* {approaches}"
    )


def history_text(records: list[DiagnosisRecord], framework: Framework) -> str:
    """One line per past diagnosis: date and barrier labels (no words of the user's)."""
    if not records:
        return "_No diagnoses yet. Try `/diagnose`._"
    rows = []
    for rec in records:
        labels = ", ".join(framework.barrier(b).label for b in rec.barriers) or "no clear barrier"
        rows.append(f"• {when(rec.at)}: {labels}")
    return "\n".join(rows)


def home_view(
    framework: Framework,
    records: list[DiagnosisRecord],
    retention_days: int,
    status: IndexStatus | None = None,
    plans: Sequence[Plan] = (),
    now: float = 0.0,
    insights: Insights | None = None,
) -> dict[str, object]:
    """The Home tab view; ``status`` and ``insights`` only for admins; ``plans`` are their own."""
    blocks: list[Block] = [
        header("changebot"),
        section(INTRO),
        section("*How to use it*\n" + HOW_TO),
        divider(),
        section("*The framework at a glance*\n" + framework_text(framework)),
        divider(),
        section("*Your last diagnoses*\n" + history_text(records, framework)),
        context(f"changebot keeps only the date and barrier labels, for {retention_days} days."),
        divider(),
        *plans_home_blocks(plans, framework, now),
    ]
    if status is not None:
        blocks += [
            divider(),
            section("*Guidance index (admins)*\n" + status_lines(status)),
            actions(
                "home_admin", button("Re-ingest guidance", "home_reingest", "reingest", "danger")
            ),
        ]
    if insights is not None:
        blocks += insights_home_blocks(insights, framework)
    return {"type": "home", "blocks": blocks}
