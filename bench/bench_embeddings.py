"""Local embedder vs Chroma's built-in ONNX function (same model file, padded to 256 tokens)."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from bench.util import peak_rss_mb, timings_ms
from knowledge.embeddings import TOKENIZER_PATH, MiniLMEmbedder, model_file

QUERY = "how can I free up headspace for my team to work on improvement?"
SHORT = [f"short text number {i} about barriers to change on the ward" for i in range(64)]
LONG = [
    ("The headspace barrier is about time, attention and stable conditions. " * 14)[:1100]
    for _ in range(32)
]


def chroma_function() -> object:
    """Chroma's ONNXMiniLM_L6_V2 pointed at our verified files, so nothing is downloaded."""
    from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

    folder = Path(tempfile.mkdtemp()) / "onnx"
    folder.mkdir()
    shutil.copy(model_file(), folder / "model.onnx")
    shutil.copy(TOKENIZER_PATH, folder / "tokenizer.json")
    for name in ("config.json", "special_tokens_map.json", "tokenizer_config.json", "vocab.txt"):
        (folder / name).write_text("{}")

    class Local(ONNXMiniLM_L6_V2):  # type: ignore[misc]
        DOWNLOAD_PATH = folder.parent

    return Local(preferred_providers=["CPUExecutionProvider"])


def rate(fn: object, texts: list[str], rounds: int = 3) -> float:
    """Texts per second."""
    start = time.perf_counter()
    for _ in range(rounds):
        fn(texts)  # type: ignore[operator]
    return len(texts) * rounds / (time.perf_counter() - start)


def main() -> None:
    ours = MiniLMEmbedder()
    theirs = chroma_function()
    q_ours = sorted(timings_ms(lambda: ours.embed([QUERY]), 100))[50]
    q_theirs = sorted(timings_ms(lambda: theirs([QUERY]), 30))[15]  # type: ignore[operator]
    print(
        f"single query p50: ours {q_ours:.1f} ms, chroma {q_theirs:.1f} ms "
        f"-> {q_theirs / q_ours:.1f}x"
    )
    s_ours, s_theirs = rate(ours.embed, SHORT), rate(theirs, SHORT)
    print(f"short texts: ours {s_ours:.0f}/s, chroma {s_theirs:.0f}/s -> {s_ours / s_theirs:.1f}x")
    l_ours, l_theirs = rate(ours.embed, LONG, 2), rate(theirs, LONG, 2)
    print(
        f"~220-token chunks: ours {l_ours:.1f}/s, chroma {l_theirs:.1f}/s "
        f"-> {l_ours / l_theirs:.2f}x"
    )
    print(f"peak RSS {peak_rss_mb():.0f} MB")
