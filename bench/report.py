"""Benchmark records: one ``Measure`` per reported number, rendered as Markdown and JSON.

The contract ``python -m bench`` relies on
-------------------------------------------
Every ``bench/bench_*.py`` module has a ``main()`` that returns ``list[Measure]``. It may keep
printing human-readable lines (they are captured into the per-module detail of ``latest.md``);
the returned measures become rows of the summary table, ``latest.json`` and the plot. A module
whose ``main()`` returns ``None`` is treated as legacy: only its printed lines are kept.

Building a measure from raw samples (the usual case)::

    from bench.report import Measure

    def main() -> list[Measure]:
        acks_ms = [...]                    # wall-clock milliseconds, one per request
        print("anything readable")          # still shown in latest.md
        return [
            Measure.from_samples(
                "Slack ack latency, /diagnose",
                workload="3 rounds x 50 concurrent signed slash commands, loopback",
                samples=acks_ms,             # milliseconds unless unit= says otherwise
                target="p99 < 100 ms",
                target_max=100.0,            # met = (p99 < 100): the statistic is target_stat
                target_stat="p99",
                baseline_name="Slack's 3 s limit",
                baseline_samples=None,       # or the baseline's samples measured in this run
            )
        ]

Rules the helpers follow, so every row reads the same way:

* ``median``, ``p95`` and ``p99`` are nearest-rank percentiles of the samples, in ``unit``.
* ``value``/``value_unit`` hold a headline figure that is not a latency (throughput in texts/s,
  peak RSS in MB, wall seconds of one run); ``Measure.single`` builds such a row.
* ``ratio`` is always **ours ÷ baseline** on ``ratio_basis`` (``"median"``, ``"p95"`` or
  ``"value"``), so < 1 means less time (or less throughput) than the baseline.
* ``met`` is ``True``/``False`` when the row has a checkable target (``target_max``/
  ``target_min`` on ``target_stat``, or an explicit ``met=``) and ``None`` when it only reports.
* ``params`` carries machine-readable details (corpus size, series name) used by the plot.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Stat = Literal["median", "p95", "p99", "value"]
ParamValue = float | int | str


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..1) of a non-empty sequence."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return float(ordered[min(rank, len(ordered)) - 1])


def _check(observed: float | None, target_max: float | None, target_min: float | None) -> bool:
    if observed is None:
        return False
    if target_max is not None and not observed < target_max:
        return False
    return not (target_min is not None and observed < target_min)


@dataclass
class Measure:
    """One reported number: what was run, how often, the result, its baseline and its target."""

    name: str
    workload: str
    repetitions: int
    unit: str = "ms"
    median: float | None = None
    p95: float | None = None
    p99: float | None = None
    value: float | None = None
    value_unit: str = ""
    baseline_name: str = ""
    baseline_median: float | None = None
    baseline_p95: float | None = None
    baseline_value: float | None = None
    ratio: float | None = None
    ratio_basis: Stat | None = None
    target: str = ""
    met: bool | None = None
    notes: str = ""
    params: dict[str, ParamValue] = field(default_factory=dict)
    module: str = ""

    # -- constructors ----------------------------------------------------------------------
    @classmethod
    def from_samples(
        cls,
        name: str,
        workload: str,
        samples: Sequence[float],
        *,
        unit: str = "ms",
        value: float | None = None,
        value_unit: str = "",
        baseline_name: str = "",
        baseline_samples: Sequence[float] | None = None,
        baseline_value: float | None = None,
        ratio_basis: Stat = "median",
        target: str = "",
        target_stat: Stat = "p95",
        target_max: float | None = None,
        target_min: float | None = None,
        met: bool | None = None,
        notes: str = "",
        params: dict[str, ParamValue] | None = None,
    ) -> Measure:
        """A row from raw samples (and, optionally, the baseline's samples from the same run)."""
        measure = cls(
            name=name,
            workload=workload,
            repetitions=len(samples),
            unit=unit,
            median=percentile(samples, 0.5),
            p95=percentile(samples, 0.95),
            p99=percentile(samples, 0.99),
            value=value,
            value_unit=value_unit,
            baseline_name=baseline_name,
            baseline_value=baseline_value,
            target=target,
            met=met,
            notes=notes,
            params=dict(params or {}),
        )
        if baseline_samples:
            measure.baseline_median = percentile(baseline_samples, 0.5)
            measure.baseline_p95 = percentile(baseline_samples, 0.95)
        return measure._settle(ratio_basis, target_stat, target_max, target_min)

    @classmethod
    def single(
        cls,
        name: str,
        workload: str,
        value: float,
        unit: str,
        *,
        repetitions: int = 1,
        baseline_name: str = "",
        baseline_value: float | None = None,
        target: str = "",
        target_max: float | None = None,
        target_min: float | None = None,
        met: bool | None = None,
        notes: str = "",
        params: dict[str, ParamValue] | None = None,
    ) -> Measure:
        """A row with one headline figure (peak RSS, a throughput, the seconds of one run)."""
        measure = cls(
            name=name,
            workload=workload,
            repetitions=repetitions,
            unit=unit,
            value=value,
            value_unit=unit,
            baseline_name=baseline_name,
            baseline_value=baseline_value,
            target=target,
            met=met,
            notes=notes,
            params=dict(params or {}),
        )
        return measure._settle("value", "value", target_max, target_min)

    def _settle(
        self,
        basis: Stat,
        target_stat: Stat,
        target_max: float | None,
        target_min: float | None,
    ) -> Measure:
        """Fill in the ratio on ``basis`` and, unless ``met`` was given, check the target."""
        self.ratio = self.ratio_on(basis)
        self.ratio_basis = basis if self.ratio is not None else None
        if self.met is None and (target_max is not None or target_min is not None):
            self.met = _check(self.stat(target_stat), target_max, target_min)
        return self

    # -- derived ---------------------------------------------------------------------------
    def stat(self, which: Stat) -> float | None:
        """One of the row's statistics by name."""
        return {"median": self.median, "p95": self.p95, "p99": self.p99, "value": self.value}[which]

    def baseline_stat(self, which: Stat) -> float | None:
        """The baseline's statistic by name (no p99 is kept for baselines)."""
        return {
            "median": self.baseline_median,
            "p95": self.baseline_p95,
            "p99": None,
            "value": self.baseline_value,
        }[which]

    def ratio_on(self, which: Stat) -> float | None:
        """Ours ÷ baseline on one statistic, or None when either side is missing."""
        ours, theirs = self.stat(which), self.baseline_stat(which)
        if ours is None or theirs is None or theirs == 0:
            return None
        return ours / theirs

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (every field, rounded for reading)."""
        out = asdict(self)
        for key, val in out.items():
            if isinstance(val, float):
                out[key] = round(val, 4)
        return out


# -- rendering -----------------------------------------------------------------------------
def fmt(value: float | None, unit: str = "") -> str:
    """A number with sensible precision and its unit; '—' when missing."""
    if value is None:
        return "—"
    size = abs(value)
    text = f"{value:.0f}" if size >= 100 else f"{value:.1f}" if size >= 10 else f"{value:.2f}"
    return f"{text} {unit}".strip()


def _baseline_cell(m: Measure) -> str:
    if not m.baseline_name:
        return "—"
    if m.baseline_value is not None:
        return f"{m.baseline_name}: {fmt(m.baseline_value, m.value_unit or m.unit)}"
    if m.baseline_median is not None:
        return (
            f"{m.baseline_name}: {fmt(m.baseline_median, m.unit)} median, "
            f"{fmt(m.baseline_p95, m.unit)} p95"
        )
    return m.baseline_name


def _ratio_cell(m: Measure) -> str:
    if m.ratio is None:
        return "—"
    return f"{m.ratio:.2f}× ({m.ratio_basis})"


def _met_cell(m: Measure) -> str:
    return {True: "yes", False: "**no**", None: "—"}[m.met]


def _p95_cell(m: Measure) -> str:
    text = fmt(m.p95, m.unit)
    if m.p99 is not None and "p99" in m.target:
        text += f" (p99 {fmt(m.p99, m.unit)})"
    return text


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


COLUMNS = (
    "Measure",
    "Workload",
    "Reps",
    "Median",
    "p95",
    "Result",
    "Baseline (same run)",
    "Ratio (ours ÷ baseline)",
    "Target",
    "Met",
)


def row_cells(m: Measure) -> list[str]:
    """The summary-table cells of one measure."""
    return [
        m.name,
        m.workload,
        str(m.repetitions) if m.repetitions else "—",
        fmt(m.median, m.unit),
        _p95_cell(m),
        fmt(m.value, m.value_unit),
        _baseline_cell(m),
        _ratio_cell(m),
        m.target or "—",
        _met_cell(m),
    ]


def markdown_table(measures: Sequence[Measure], notes: bool = False) -> str:
    """The summary table (GitHub Markdown); with ``notes`` a last column carries each note."""
    header = [*COLUMNS, "Notes"] if notes else list(COLUMNS)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for m in measures:
        cells = row_cells(m) + ([m.notes or ""] if notes else [])
        lines.append("| " + " | ".join(_escape(c) for c in cells) + " |")
    return "\n".join(lines)


def to_json(measures: Sequence[Measure], meta: dict[str, Any], modules: dict[str, Any]) -> str:
    """``latest.json``: run metadata, every measure, and each module's status and text lines."""
    return json.dumps(
        {"meta": meta, "measures": [m.to_dict() for m in measures], "modules": modules},
        indent=2,
        ensure_ascii=False,
    )
