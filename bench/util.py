"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable


def timings_ms(fn: Callable[[], object], repeat: int, warmup: int = 3) -> list[float]:
    """Wall-clock milliseconds of ``repeat`` calls after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def summary(values: list[float]) -> str:
    """p50 / p95 / max in ms."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"p50 {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms"


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
