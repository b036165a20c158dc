"""A deterministic stand-in for the embedder, for the fast unit tier (no model, no files).

Words are hashed into a fixed number of buckets and the counts normalised, so texts sharing
words are close and the same text always gets the same vector. Good enough to exercise the pure
parts (classifiers' plumbing, scope rules, routing) in milliseconds; never used to judge quality.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

WORD = re.compile(r"[a-z0-9']+")


class HashingEmbedder:
    """``Embedder`` protocol: ``name``, ``dimension``, ``embed(texts)``."""

    name = "hashing-test"

    def __init__(self, dimension: int = 64) -> None:
        self.dimension = dimension

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in WORD.findall(text.lower()):
                bucket = int(hashlib.blake2s(word.encode(), digest_size=4).hexdigest(), 16)
                rows[i, bucket % self.dimension] += 1.0
            rows[i, -1] += 0.01  # never an all-zero row
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / norms
