"""Run every benchmark in turn and write ``bench/results/latest.{json,md,png}``.

A run of only some modules writes ``partial.{json,md,png}`` instead, so the full report in
``latest.*`` always has every measure.

Each module's ``main()`` returns ``list[Measure]`` (see ``bench/report.py``) and may print
readable lines. ``latest.md`` has one summary table at the top and each module's lines below it;
``latest.json`` holds every measure plus run metadata (date, Python, CPUs, load averages around
each module); ``latest.png`` plots retrieval latency against corpus size and embedding throughput
against Chroma's function. A module returning ``None`` (legacy) contributes its lines only, and a
placeholder row in the table says so.

    python -m bench                          # everything (what `make bench` runs)
    python -m bench bench.bench_core ...     # only these modules (written as partial.*)
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import io
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from bench.report import Measure, markdown_table, to_json
from bench.workloads import load_average

MODULES = [
    "bench.bench_embeddings",
    "bench.bench_core",
    "bench.bench_retrieval_scale",
    "bench.bench_ingest",
    "bench.bench_processes",
    "bench.bench_ack",
]
RESULTS = Path(__file__).resolve().parent / "results"

# What a module measures when it reports no Measure rows (legacy, or failed): one row per module.
PLACEHOLDERS = {
    "bench.bench_ack": Measure(
        name="Slack ack latency",
        workload="bench.bench_ack: 3 rounds x 50 concurrent signed requests (see its lines)",
        repetitions=0,
        baseline_name="Slack's 3 s limit",
        target="p99 < 100 ms",
    ),
}


class _Tee(io.TextIOBase):
    """Writes to the terminal and remembers what was written."""

    def __init__(self, terminal: TextIO) -> None:
        self._terminal = terminal
        self.buffer_text = io.StringIO()

    def write(self, text: str) -> int:
        self._terminal.write(text)
        self._terminal.flush()
        return self.buffer_text.write(text)


def _load() -> list[float]:
    return [round(x, 2) for x in load_average()]


def run(name: str) -> tuple[dict[str, Any], list[Measure]]:
    """Run one benchmark module's ``main``; its status, lines and measures."""
    tee = _Tee(sys.stdout)
    load_before = _load()
    started = time.perf_counter()
    measures: list[Measure] = []
    with contextlib.redirect_stdout(tee):
        print(f"\n=== {name} (load average {load_before[0]}) ===")
        try:
            returned = importlib.import_module(name).main()
            status = "ok" if returned is not None else "ok (legacy: text only)"
            measures = list(returned or [])
        except Exception as exc:  # noqa: BLE001 - one failing benchmark must not stop the rest
            print(f"failed: {type(exc).__name__}: {exc}")
            status = f"failed: {type(exc).__name__}"
    for m in measures:
        m.module = name
    if not measures:
        placeholder = PLACEHOLDERS.get(name) or Measure(name=name, workload="", repetitions=0)
        notes = f"{status}; no measures reported, see the module's lines below"
        measures = [dataclasses.replace(placeholder, module=name, notes=notes)]
    lines = [line for line in tee.buffer_text.getvalue().splitlines()[2:] if line.strip()]
    info = {
        "status": status,
        "seconds": round(time.perf_counter() - started, 1),
        "load_before": load_before,
        "load_after": _load(),
        "lines": lines,
    }
    return info, measures


def _markdown(meta: dict[str, Any], modules: dict[str, Any], measures: list[Measure]) -> str:
    load = meta["load_average_start"]
    out = [
        f"# changebot benchmarks ({meta['date']})",
        "",
        f"Python {meta['python']} on {meta['machine']}, {meta['cpus']} CPUs; load average "
        f"{load[0]} / {load[1]} / {load[2]} (1/5/15 min) at the start, "
        f"{meta['load_average_end'][0]} at the end; {meta['seconds']:.0f} s in all. "
        "Ratios are ours ÷ baseline, measured in the same run.",
        "",
        markdown_table(measures),
        "",
        "## Notes per measure",
        "",
    ]
    out += [f"- **{m.name}**: {m.notes}" for m in measures if m.notes]
    for name, info in modules.items():
        out += [
            "",
            f"## {name} ({info['status']}, {info['seconds']} s, load average "
            f"{info['load_before'][0]} → {info['load_after'][0]})",
            "",
            "```",
            *info["lines"],
            "```",
        ]
    return "\n".join(out) + "\n"


def main() -> int:
    wanted = [a for a in sys.argv[1:] if a.startswith("bench.")] or MODULES
    started = time.perf_counter()
    meta: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average_start": _load(),
        "modules": wanted,
    }
    modules: dict[str, Any] = {}
    measures: list[Measure] = []
    for name in wanted:
        modules[name], found = run(name)
        measures += found
    meta["load_average_end"] = _load()
    meta["seconds"] = round(time.perf_counter() - started, 1)
    stem = "latest" if wanted == MODULES else "partial"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{stem}.json").write_text(to_json(measures, meta, modules), encoding="utf-8")
    (RESULTS / f"{stem}.md").write_text(_markdown(meta, modules, measures), encoding="utf-8")
    print("\n" + markdown_table(measures))
    try:
        from bench.plot import draw

        drawn = draw(measures, RESULTS / f"{stem}.png")
    except ImportError as exc:  # matplotlib is a dev extra
        drawn = f"no plot ({exc})"
    print(f"\nwritten: {RESULTS / stem}.md, {stem}.json; {drawn}")
    return 0 if all(info["status"].startswith("ok") for info in modules.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
