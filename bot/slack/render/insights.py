"""Pure builders for the improvement team's insights: the counts as text, beside the chart.

``/changebot insights`` posts these to an admin's DM with the chart (a PNG drawn by
``bot.tools.insights_chart``); App Home shows the same text to admins, without the chart. The
text is there for screen readers and for anyone who would rather read: every count the chart
draws is written out, week by week.

Every count comes from ``bot.state.insights.Insights``, where a count under 5 is already
``"<5"``; a smaller number that reaches this module anyway is shown as ``"<5"`` too. Ids are
shown with the framework's labels (the form's lists for care settings and roles); an id we do
not know is shown as itself, made readable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from bot.slack.render.blocks import (
    MAX_SECTION_CHARS,
    Block,
    Rendered,
    context,
    divider,
    header,
    message,
    section,
)
from bot.slack.render.escape import escape_mrkdwn
from bot.slack.render.modals import ROLES, SETTINGS
from knowledge.framework import Framework

if TYPE_CHECKING:
    from bot.state.insights import Cell, Insights

TITLE = "Barrier trends for the improvement team"
ABOUT = (
    "Anonymous counts of the diagnoses changebot made in this workspace, per week (weeks begin "
    "on Monday, UTC). changebot keeps only the week, the barrier, success factor and approach "
    "ids, and the care setting and role when the /diagnose form gave them: never words, names, "
    "user ids or channels. Counts under {low} are shown as &lt;{low}."
)
CHART_NEEDS_MATPLOTLIB = (
    "The chart needs matplotlib, which is missing from this installation "
    "(`pip install matplotlib`); these counts are the same as the chart would show."
)
NONE_YET = "_None in these weeks._"


def week_label(monday: str) -> str:
    """``2026-12-07`` → ``7 Dec``."""
    day = date.fromisoformat(monday)
    return f"{day.day} {day:%b}"


def shown(value: Cell, low: int) -> str:
    """A cell as text: the count from ``low`` up, else ``<low`` (checked again here)."""
    return str(value) if isinstance(value, int) and value >= low else f"<{low}"


def cell_text(value: Cell, low: int) -> str:
    """``shown`` for mrkdwn: ``<5`` is written ``&lt;5`` (Slack shows and reads it as "<5")."""
    return escape_mrkdwn(shown(value, low))


def framework_labels(framework: Framework) -> dict[str, dict[str, str]]:
    """Readable names for the ids of each kind (barrier, factor, approach, care setting, role)."""
    return {
        "barrier": {str(b.id): b.label for b in framework.barriers},
        "factor": {str(f.id): f.label for f in framework.factors},
        "approach": {str(a.id): f"Type {a.type_number}: {a.label}" for a in framework.approaches},
        "care_setting": dict(SETTINGS),
        "role": dict(ROLES),
    }


def chart_labels(framework: Framework) -> dict[str, str]:
    """Barrier labels in the framework's order, for the chart's legend."""
    return framework_labels(framework)["barrier"]


def _label(key: str, labels: Mapping[str, str]) -> str:
    return escape_mrkdwn(labels.get(key) or key.replace("_", " ").capitalize())


def row_text(label: str, cells: Sequence[Cell], weeks: Sequence[str], low: int) -> str:
    """``• Label: 15 Sep: 8; 22 Sep: <5; …`` (one entry per week, oldest first)."""
    entries = "; ".join(
        f"{week_label(week)}: {cell_text(cell, low)}"
        for week, cell in zip(weeks, cells, strict=False)
    )
    return f"• {label}: {entries}"


def _sections(title: str, lines: Sequence[str]) -> list[Block]:
    """A titled list as one section, or several when it would pass Slack's 3,000 characters."""
    blocks: list[Block] = []
    current = f"*{title}*"
    for line in lines or [NONE_YET]:
        if len(current) + 1 + len(line) > MAX_SECTION_CHARS:
            blocks.append(section(current))
            current = f"*{title} (continued)*"
        current += "\n" + line
    blocks.append(section(current))
    return blocks


def _table(
    title: str, table: Mapping[str, Sequence[Cell]], labels: Mapping[str, str], insights: Insights
) -> list[Block]:
    order = [k for k in labels if k in table] + [k for k in table if k not in labels]
    lines = [
        row_text(_label(key, labels), table[key], insights.weeks, insights.suppressed_below)
        for key in order
    ]
    return _sections(title, lines)


def period_text(insights: Insights) -> str:
    """``12 weeks, from the week of 15 Sep 2026 to the week of 1 Dec 2026``."""
    if not insights.weeks:
        return "no weeks"
    first, last = insights.weeks[0], insights.weeks[-1]
    return (
        f"{len(insights.weeks)} weeks, from the week of {week_label(first)} {first[:4]} "
        f"to the week of {week_label(last)} {last[:4]}"
    )


def insights_blocks(insights: Insights, framework: Framework) -> list[Block]:
    """The counts as sections, oldest week first, then the barriers most often found together.

    Weekly totals, barriers, weak success factors and approach types always; care settings and
    roles when the form gave any.
    """
    low = insights.suppressed_below
    names = framework_labels(framework)
    totals = [
        f"• Week of {week_label(week)}: {cell_text(cell, low)}"
        for week, cell in zip(insights.weeks, insights.diagnoses, strict=False)
    ]
    blocks = [
        context(ABOUT.format(low=low) + f" Period: {period_text(insights)}."),
        *_sections("Diagnoses per week", totals),
        *_table(
            "Barriers diagnosed, per week", insights.barrier_counts, names["barrier"], insights
        ),
        *_table(
            "Success factors found weak, per week",
            insights.factor_counts,
            names["factor"],
            insights,
        ),
        *_table(
            "Approach types suggested, per week",
            insights.approach_counts,
            names["approach"],
            insights,
        ),
    ]
    if insights.care_setting_counts:
        blocks += _table(
            "Care settings (from the /diagnose form), per week",
            insights.care_setting_counts,
            names["care_setting"],
            insights,
        )
    if insights.role_counts:
        blocks += _table(
            "Roles (from the /diagnose form), per week",
            insights.role_counts,
            names["role"],
            insights,
        )
    pairs = [
        f"• {_label(a, names['barrier'])} with {_label(b, names['barrier'])}: {cell_text(n, low)}"
        for a, b, n in insights.top_pairs
    ]
    if not pairs:
        pairs = ["_No diagnosis found two barriers together in these weeks._"]
    blocks += _sections("Barriers most often found together, over all these weeks", pairs)
    return blocks


def insights_message(insights: Insights, framework: Framework, note: str = "") -> Rendered:
    """The DM an admin gets from ``/changebot insights`` (the chart follows as a file)."""
    blocks = [header(TITLE), *insights_blocks(insights, framework)]
    if note:
        blocks.append(context(note))
    text = (
        f"{TITLE}: {period_text(insights)}. "
        f"Counts under {insights.suppressed_below} are shown as &lt;{insights.suppressed_below}."
    )
    return message(text, blocks)


def insights_home_blocks(insights: Insights, framework: Framework) -> list[Block]:
    """The admins' "Insights" section of App Home: the same counts, no chart."""
    return [
        divider(),
        section(
            "*Insights (admins)*\nWhere change is getting stuck across the workspace. "
            "`/changebot insights` sends these counts with a chart to our DM."
        ),
        *insights_blocks(insights, framework),
    ]


def chart_alt_text(insights: Insights) -> str:
    """The chart's alt text (Slack allows 1,000 characters)."""
    return (
        f"Stacked bar chart of the barriers diagnosed per week over {period_text(insights)}, "
        "with a table of the barrier pairs most often found together. Counts under "
        f"{insights.suppressed_below} are hatched and not drawn to scale. The same counts are "
        "written out in the message above."
    )[:1000]
