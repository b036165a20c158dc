"""The main-barrier reader: MiniLM fine-tuned on which barrier each of our writers named first.

The other diagnosis models read frozen sentence vectors; they find the right barriers but, on a
writer they never saw, rank the main one below another about one time in seven. This reader is
the whole encoder trained on our labelled situations (``bot/tools/fit_reader.py``), shipped as a
fitted artefact in ``knowledge/fitted/`` and run on ONNX Runtime. Its main-barrier reading only
reorders the barriers found (``findings.py``); its presence reading is one of the presence
model's inputs (``presence.py``).

The file is checked against the sha256 its manifest records before it is loaded; when it is
missing or fails the check the diagnosis runs without it (and says so in the log), as before.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from bot.common.errors import KnowledgeError
from bot.common.hashing import file_sha256
from knowledge.embeddings import load_tokenizer, onnx_session
from knowledge.framework import BARRIER_IDS

logger = logging.getLogger(__name__)

FITTED = Path(__file__).resolve().parents[3] / "knowledge" / "fitted"
READER_PATH = FITTED / "main-reader.onnx"
MANIFEST_PATH = FITTED / "main-reader.yaml"
OOF_PATH = FITTED / "main-reader-oof.json"
MAX_TOKENS = 160
"""Tokens read per message: the reader was trained at this length (a long post's first 160)."""


def text_key(text: str) -> str:
    """A situation's key in the out-of-fold readings (its text's hash: no text is repeated)."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:24]


def recorded(field: str, path: Path = MANIFEST_PATH) -> Any:
    """One value from the reader's manifest (None when there is no manifest)."""
    if not path.exists():
        return None
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(field)


class MainReader:
    """Main-barrier probabilities for a whole message; thread-safe, loaded once."""

    def __init__(self, path: Path = READER_PATH, threads: int = 2) -> None:
        expected = recorded("onnx_sha256", path.with_suffix(".yaml"))
        if expected is None or file_sha256(path) != expected:
            raise ValueError(f"{path.name} does not match its manifest: rerun make fit-reader")
        self._session = onnx_session(path, threads)
        self._tokenizer = load_tokenizer(MAX_TOKENS)
        self._lock = threading.Lock()

    def read(self, text: str) -> tuple[dict[str, float], dict[str, float]]:
        """(probability each barrier is the main one, probability each is present)."""
        ids = np.array([self._tokenizer.encode(text or " ").ids], dtype=np.int64)
        with self._lock:
            main, present = self._session.run(
                None, {"input_ids": ids, "attention_mask": np.ones_like(ids)}
            )
        return (
            {b: float(main[0, i]) for i, b in enumerate(BARRIER_IDS)},
            {b: float(present[0, i]) for i, b in enumerate(BARRIER_IDS)},
        )


@lru_cache(maxsize=1)
def shipped_reader() -> MainReader | None:
    """The shipped reader, or None (logged) when it is absent or fails its check."""
    if not READER_PATH.exists():
        logger.info("main-barrier reader not shipped; diagnosis ranks without it")
        return None
    try:
        return MainReader()
    except (ValueError, KnowledgeError) as exc:
        logger.warning("main-barrier reader not used: %s", exc)
        return None


def out_of_fold_readings(path: Path = OOF_PATH) -> dict[str, list[float]]:
    """Each training situation read by a reader that never saw its writer (for ``make fit``)."""
    if not path.exists():
        return {}
    readings: dict[str, list[float]] = json.loads(path.read_text(encoding="utf-8"))
    return readings
