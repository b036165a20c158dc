"""Write the fitted weights and training vectors that ship with the package (part of ``make fit``).

Builds the diagnosis models once on an empty cache with the current training data, knobs and
calibration, then replaces ``knowledge/fitted/cache/`` with exactly the files that build wrote.
A first start copies them into its data dir (``params.seed_cache``) and fits nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from bot.core.diagnosis.diagnose import Diagnoser
from bot.core.diagnosis.params import SHIPPED_CACHE, load_calibration
from knowledge.embeddings import local_embedder
from knowledge.exemplars import default_exemplars
from knowledge.framework import default_framework


def build_cache(target: Path = SHIPPED_CACHE) -> list[str]:
    """Fit on an empty folder and ship what was written; returns the file names."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "cache"
        Diagnoser(
            local_embedder(),
            default_framework(),
            default_exemplars(),
            calibration=load_calibration(),
            cache_dir=folder,
            seed=False,
        )
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        names = sorted(p.name for p in folder.iterdir() if p.suffix in {".npy", ".npz"})
        for name in names:
            shutil.copyfile(folder / name, target / name)
    return names


def main() -> None:
    """``python -m bot.tools.ship_cache``."""
    names = build_cache()
    print(f"{len(names)} fitted files written to {SHIPPED_CACHE}")  # noqa: T201 - build step


if __name__ == "__main__":
    main()
