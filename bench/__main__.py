"""Run every benchmark in turn and print its numbers."""

from __future__ import annotations

import importlib
import sys

MODULES = [
    "bench.bench_embeddings",
    "bench.bench_core",
    "bench.bench_retrieval_scale",
    "bench.bench_ingest",
    "bench.bench_ack",
]


def main() -> int:
    wanted = sys.argv[1:] or MODULES
    for name in wanted:
        print(f"\n=== {name} ===", flush=True)
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            print(f"skipped: {exc}")
            continue
        module.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
