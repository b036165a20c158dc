"""Write the fitted weights and vectors that ship with the package (part of ``make fit``).

Builds the diagnosis models once on an empty cache with the current training data, knobs and
calibration, then replaces ``knowledge/fitted/cache/`` with exactly the files that build wrote.
A first start copies them into its data dir (``params.seed_cache``) and fits nothing.

It also indexes the bundled guidance on an empty data dir and warms its sentences, recording
every text embedded on the way (``MemoEmbedder.seen``), and writes their vectors to
``knowledge/fitted/guidance-vectors.npz`` (``knowledge.shipped_vectors``): a first start then
embeds nothing of its own notes.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from bot.core.answering.retrieve import Retriever
from bot.core.diagnosis.diagnose import Diagnoser
from bot.core.diagnosis.params import SHIPPED_CACHE, load_calibration
from bot.settings import BUNDLED_GUIDANCE, Settings
from ingestion.pipeline import ingest
from knowledge.embeddings import Embedder, MemoEmbedder, local_embedder
from knowledge.exemplars import default_exemplars
from knowledge.framework import default_framework
from knowledge.index import KnowledgeIndex, make_client
from knowledge.shipped_vectors import SHIPPED_VECTORS, save_table


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


def index_bundled(embedder: Embedder, data_dir: Path) -> int:
    """What a first start embeds of its own: index the bundled notes, warm every sentence.

    Returns the number of chunks warmed. The freshness test runs the same steps against the
    shipped table and expects nothing left to embed.
    """
    settings = Settings(data_dir=data_dir)
    index = KnowledgeIndex(make_client(str(settings.index_dir), None), embedder)
    try:
        retriever = Retriever(index, embedder, default_framework())  # the framework's signs
        ingest([BUNDLED_GUIDANCE], index, settings, mode="replace", owner="bundled")
        return retriever.warm()
    finally:
        index.close()


def build_vectors(target: Path = SHIPPED_VECTORS) -> int:
    """Record and write the bundled guidance's vectors; returns how many texts."""
    recorder = MemoEmbedder(local_embedder())
    with tempfile.TemporaryDirectory() as tmp:
        index_bundled(recorder, Path(tmp))
    return save_table(target, recorder.name, recorder.seen)


def main() -> None:
    """``python -m bot.tools.ship_cache``."""
    names = build_cache()
    print(f"{len(names)} fitted files written to {SHIPPED_CACHE}")  # noqa: T201 - build step
    texts = build_vectors()
    print(f"{texts} guidance vectors written to {SHIPPED_VECTORS}")  # noqa: T201 - build step


if __name__ == "__main__":
    main()
