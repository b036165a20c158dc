"""The insights chart: barriers diagnosed per week as stacked bars, with the top barrier pairs.

A PNG for people to look at (posted to an admin's DM, or written by ``changebot insights
--chart``) and, always beside it, the same counts as text for screen readers and for anyone who
would rather read. Both show exactly what ``Insights`` holds: a count under 5 is ``<5`` in the
text and a hatched segment of a fixed, small height in the chart (the real value is never drawn).

matplotlib is a dependency of the package, imported only when a chart is drawn (the Slack front
stays light); its absence is a plain ``ChartUnavailable``. Only the object-oriented API is used
(``Figure`` and the Agg canvas, never ``pyplot``), so drawing holds no global state and is safe
from any thread.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from bot.common.errors import ChangebotError

Cell = int | str  # a count, or "<5"


class Insights(Protocol):
    """What the chart reads of ``bot.state.insights.Insights`` (this layer may not import it)."""

    weeks: list[str]
    barrier_counts: dict[str, list[Cell]]
    top_pairs: list[tuple[str, str, Cell]]
    suppressed_below: int
    diagnoses: list[Cell]


# Okabe & Ito's palette: distinguishable with every common colour-vision deficiency
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
TOP_PAIRS_SHOWN = 5
NOMINAL_SHARE = 0.04  # a suppressed segment's height, as a share of the tallest bar


class ChartUnavailable(ChangebotError):
    """matplotlib is not installed."""

    default_message = (
        "The insights chart needs matplotlib, which is not installed here. Install it with "
        "`pip install matplotlib`; the counts are shown as "
        "text meanwhile."
    )


def _label(key: str, labels: dict[str, str] | None) -> str:
    return (labels or {}).get(key) or key.replace("_", " ").capitalize()


def _week(label: str) -> str:
    day = date.fromisoformat(label)
    return f"{day.day} {day:%b}"


def _count(value: Cell, low: int) -> int | None:
    """The count to show, or None when it is suppressed (again here: never trust the caller)."""
    return value if isinstance(value, int) and value >= low else None


def _cell(value: Cell, low: int) -> str:
    count = _count(value, low)
    return f"<{low}" if count is None else str(count)


def insights_text(insights: Insights, labels: dict[str, str] | None = None) -> str:
    """The chart's counts as plain text, week by week (``<5`` where a count is suppressed)."""
    weeks, low = insights.weeks, insights.suppressed_below
    if not weeks:
        return "No weeks to show."
    lines = [
        f"Barriers diagnosed per week, {len(weeks)} weeks from the week of {_week(weeks[0])} "
        f"{weeks[0][:4]} to the week of {_week(weeks[-1])} {weeks[-1][:4]}. Counts under "
        f"{insights.suppressed_below} are shown as <{insights.suppressed_below}.",
    ]
    for i, week in enumerate(weeks):
        total = _cell(insights.diagnoses[i], low) if insights.diagnoses else "?"
        parts = [
            f"{_label(key, labels)} {_cell(cells[i], low)}"
            for key, cells in insights.barrier_counts.items()
        ]
        lines.append(
            f"Week of {_week(week)}: {total} diagnoses"
            + (f"; {', '.join(parts)}." if parts else ".")
        )
    if insights.top_pairs:
        pairs = "; ".join(
            f"{_label(a, labels)} with {_label(b, labels)}: {_cell(n, low)}"
            for a, b, n in insights.top_pairs[:TOP_PAIRS_SHOWN]
        )
        lines.append(f"Barriers most often found together over these weeks: {pairs}.")
    else:
        lines.append("No diagnosis found two barriers together in these weeks.")
    return "\n".join(lines)


def _matplotlib() -> tuple[Any, Any, Any]:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.patches import Patch
    except ImportError as exc:
        raise ChartUnavailable() from exc
    return Figure, FigureCanvasAgg, Patch


def draw_insights_chart(
    insights: Insights, labels: dict[str, str] | None = None
) -> tuple[bytes, str]:
    """Draw the chart; returns the PNG's bytes and the same counts as text.

    Raises ``ChartUnavailable`` when matplotlib is not installed.
    """
    figure_cls, canvas_cls, patch_cls = _matplotlib()
    weeks, low = insights.weeks, insights.suppressed_below
    # the framework's order when labels are given (recognition, motivation, headspace, capability)
    barriers = [k for k in labels or {} if k in insights.barrier_counts]
    barriers += [k for k in insights.barrier_counts if k not in barriers]
    colours = {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(barriers)}
    shown = [
        sum(_count(cells[i], low) or 0 for cells in insights.barrier_counts.values())
        for i in range(len(weeks))
    ]
    nominal = max(1.0, NOMINAL_SHARE * max(shown, default=0))

    figure = figure_cls(figsize=(11, 7.5), dpi=120, layout="constrained")
    canvas_cls(figure)
    grid = figure.add_gridspec(2, 1, height_ratios=(3.2, 1))
    bars = figure.add_subplot(grid[0])
    x = list(range(len(weeks)))
    bottoms = [0.0] * len(weeks)
    any_suppressed = False
    for key in barriers:
        cells = insights.barrier_counts[key]
        for i, cell in enumerate(cells):
            count = _count(cell, low)
            suppressed = count is None
            any_suppressed |= suppressed
            height = nominal if count is None else float(count)
            bars.bar(
                i,
                height,
                bottom=bottoms[i],
                width=0.72,
                color="white" if suppressed else colours[key],
                edgecolor=colours[key],
                hatch="////" if suppressed else None,
                linewidth=0.8,
            )
            bottoms[i] += height
    top = max(bottoms, default=0.0) or 1.0
    for i, total in enumerate(insights.diagnoses or []):
        bars.text(
            i,
            bottoms[i] + top * 0.015,
            f"n={_cell(total, low)}",
            ha="center",
            va="bottom",
            fontsize=9,
        )
    bars.set_xticks(x, [_week(w) for w in weeks], fontsize=10)
    bars.set_ylim(0, top * 1.12)
    bars.set_xlabel("Week beginning (Monday)", fontsize=11)
    bars.set_ylabel("Diagnoses naming the barrier", fontsize=11)
    bars.spines[["top", "right"]].set_visible(False)
    bars.grid(axis="y", alpha=0.3)
    bars.set_axisbelow(True)
    # listed top to bottom as they are stacked
    handles = [patch_cls(facecolor=colours[k], label=_label(k, labels)) for k in reversed(barriers)]
    if any_suppressed:
        handles.append(
            patch_cls(
                facecolor="white",
                edgecolor="#555555",
                hatch="////",
                label=f"<{low}: fewer than {low}, not drawn to scale",
            )
        )
    if handles:
        bars.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
            fontsize=10,
        )
    first, last = (_week(weeks[0]), _week(weeks[-1])) if weeks else ("", "")
    bars.set_title(
        f"Where change is getting stuck: barriers diagnosed per week ({first} to {last})\n"
        "n = diagnoses that week (one diagnosis can name several barriers); "
        f"counts under {insights.suppressed_below} are suppressed",
        fontsize=13,
        loc="left",
    )

    table_ax = figure.add_subplot(grid[1])
    table_ax.axis("off")
    pairs = insights.top_pairs[:TOP_PAIRS_SHOWN]
    table_ax.set_title(
        f"Barriers most often found together (last {len(weeks)} weeks)", fontsize=12, loc="left"
    )
    if pairs:
        table = table_ax.table(
            cellText=[
                [f"{_label(a, labels)} + {_label(b, labels)}", _cell(n, low)] for a, b, n in pairs
            ],
            colLabels=["Barrier pair", "Diagnoses"],
            colWidths=[0.8, 0.14],
            loc="upper left",
            cellLoc="left",
        )
        table.auto_set_font_size(False)
        table.set_fontsize(10)
        table.scale(1, 1.3)
        for (row, _col), cell in table.get_celld().items():
            cell.PAD = 0.03
            if row == 0:
                cell.set_text_props(weight="bold")
                cell.set_facecolor("#EEEEEE")
    else:
        table_ax.text(0, 0.8, "No diagnosis found two barriers together.", fontsize=10)

    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue(), insights_text(insights, labels)


def save_insights_chart(
    insights: Insights, path: Path, labels: dict[str, str] | None = None
) -> str:
    """Write the chart to ``path`` (PNG); returns the counts as text."""
    png, text = draw_insights_chart(insights, labels)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png)
    return text
