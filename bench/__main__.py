"""Run every benchmark in turn, print its numbers and keep them in ``bench/results/``.

``latest.md`` is the readable report and ``latest.json`` the same lines per benchmark with its
wall time, so runs can be compared side by side.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any, TextIO

MODULES = [
    "bench.bench_embeddings",
    "bench.bench_core",
    "bench.bench_retrieval_scale",
    "bench.bench_ingest",
    "bench.bench_ack",
]
RESULTS = Path(__file__).resolve().parent / "results"


class _Tee(io.TextIOBase):
    """Writes to the terminal and remembers what was written."""

    def __init__(self, terminal: TextIO) -> None:
        self._terminal = terminal
        self.buffer_text = io.StringIO()

    def write(self, text: str) -> int:
        self._terminal.write(text)
        self._terminal.flush()
        return self.buffer_text.write(text)


def run(name: str) -> dict[str, Any]:
    """Run one benchmark module's ``main`` and capture its report lines."""
    tee = _Tee(sys.stdout)
    started = time.perf_counter()
    with contextlib.redirect_stdout(tee):
        print(f"\n=== {name} ===")
        try:
            importlib.import_module(name).main()
            status = "ok"
        except Exception as exc:  # noqa: BLE001 - one failing benchmark must not stop the rest
            print(f"failed: {type(exc).__name__}: {exc}")
            status = "failed"
    lines = [line for line in tee.buffer_text.getvalue().splitlines()[2:] if line.strip()]
    return {"status": status, "seconds": round(time.perf_counter() - started, 1), "lines": lines}


def main() -> int:
    wanted = [a for a in sys.argv[1:] if a.startswith("bench.")] or MODULES
    results = {name: run(name) for name in wanted}
    RESULTS.mkdir(exist_ok=True)
    meta = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": __import__("os").cpu_count(),
    }
    (RESULTS / "latest.json").write_text(
        json.dumps({"meta": meta, "results": results}, indent=2), encoding="utf-8"
    )
    report = [
        f"# changebot benchmarks ({meta['when']}, Python {meta['python']}, {meta['cpus']} CPUs)",
        "",
    ]
    for name, result in results.items():
        report += [
            f"## {name} ({result['status']}, {result['seconds']} s)",
            "",
            "```",
            *result["lines"],
            "```",
            "",
        ]
    (RESULTS / "latest.md").write_text("\n".join(report), encoding="utf-8")
    print(f"\nwritten: {RESULTS / 'latest.md'} and latest.json")
    return 0 if all(r["status"] == "ok" for r in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
