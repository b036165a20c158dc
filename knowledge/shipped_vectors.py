"""Vectors of the bundled guidance's own texts, shipped with the package (``make fit`` writes them).

A first start indexes the bundled notes and, for its first answers, embeds their sentences: on two
cores that is most of the first start's time, and it gives the same vectors on every machine. So
the vectors of every chunk and sentence of the bundled notes ship in
``knowledge/fitted/guidance-vectors.npz``, keyed by the sha256 of the embedder's name and the exact
text. ``ShippedVectors`` wraps the embedder and embeds only the texts it does not know: an edited
note, an admin's document or a question simply miss and are embedded as before. The keys hold no
text, and another embedder (OpenAI) matches nothing, so it is never given a vector from the wrong
model.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge.embeddings import Embedder, Vectors

logger = logging.getLogger(__name__)

SHIPPED_VECTORS = Path(__file__).with_name("fitted") / "guidance-vectors.npz"
KEY_BYTES = 16


def text_key(model: str, text: str) -> bytes:
    """The lookup key of ``text`` embedded by ``model`` (no text can be read back from it)."""
    return hashlib.sha256(f"{model}\x00{text}".encode()).digest()[:KEY_BYTES]


class ShippedVectors:
    """An embedder that answers known texts from the shipped table and embeds only the rest."""

    def __init__(self, inner: Embedder, path: Path = SHIPPED_VECTORS) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self._rows: dict[bytes, int] = {}
        self._vectors: Vectors = np.zeros((0, inner.dimension), dtype=np.float32)
        self._load(path)

    def _load(self, path: Path) -> None:
        try:
            with np.load(path) as saved:
                model, keys, vectors = str(saved["model"]), saved["keys"], saved["vectors"]
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError) as exc:
            logger.warning("shipped guidance vectors unreadable (%s); embedding instead", exc)
            return
        if model != self.name or vectors.shape[1:] != (self.dimension,):
            return  # another embedder: its vectors would be wrong, not merely slow
        self._vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self._rows = {k.tobytes(): i for i, k in enumerate(keys)}

    def __len__(self) -> int:
        return len(self._rows)

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Vectors for ``texts``: shipped rows where known, the inner embedder for the rest."""
        if not self._rows:
            return self.inner.embed(texts)
        rows = [self._rows.get(text_key(self.name, t), -1) for t in texts]
        missing = [i for i, row in enumerate(rows) if row < 0]
        if len(missing) == len(texts):
            return self.inner.embed(texts)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        known = [i for i, row in enumerate(rows) if row >= 0]
        out[known] = self._vectors[[rows[i] for i in known]]
        if missing:
            out[missing] = self.inner.embed([texts[i] for i in missing])
        return out


def save_table(path: Path, model: str, seen: dict[str, Vectors]) -> int:
    """Write the lookup table for ``seen`` (sorted, so an unchanged guidance writes equal bytes)."""
    keyed = sorted(((text_key(model, text), v) for text, v in seen.items()), key=lambda kv: kv[0])
    keys = np.frombuffer(b"".join(k for k, _v in keyed), dtype=np.uint8).reshape(-1, KEY_BYTES)
    vectors = np.stack([v for _k, v in keyed]).astype(np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
    np.savez(partial, model=np.array(model), keys=keys, vectors=vectors)
    os.replace(partial, path)
    return len(keyed)
