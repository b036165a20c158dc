"""Embeddings from OpenAI, Azure OpenAI or any OpenAI-compatible server, as an ``Embedder``.

Why the ``openai`` client directly and not LangChain's ``OpenAIEmbeddings``: the latter checks
input length with tiktoken, which downloads its tables on first use and fails behind an NHS
firewall. We send ``encoding_format="float"`` because several compatible servers do not speak the
SDK's default base64, batch inputs (the API takes at most 2048 per request), and normalise the
vectors ourselves so cosine scores match the local embedder's contract.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import openai

from bot.common.endpoints import EmbeddingEndpoint
from bot.common.errors import KnowledgeError
from knowledge.embeddings import Vectors

logger = logging.getLogger(__name__)

BATCH = 256
KNOWN_DIMENSIONS = {
    "text-embedding-3-small": 1536,
    "text-embedding-3-large": 3072,
    "text-embedding-ada-002": 1536,
}
UNAVAILABLE = "The embedding service did not respond, so the guidance could not be searched."


class OpenAIEmbedder:
    """``Embedder`` over an OpenAI-style ``/embeddings`` endpoint; L2-normalised float32 rows."""

    def __init__(self, client: openai.OpenAI, model: str, dimension: int | None = None) -> None:
        self._client = client
        self._model = model
        self.name = f"openai:{model}"
        self.dimension = dimension or KNOWN_DIMENSIONS.get(model) or self._probe()

    @classmethod
    def from_config(cls, settings: EmbeddingEndpoint) -> OpenAIEmbedder:
        """Azure when its endpoint is set, else OpenAI or the compatible ``openai_base_url``."""
        client: openai.OpenAI
        if settings.azure_openai_endpoint:
            key = settings.azure_openai_api_key or settings.openai_api_key
            client = openai.AzureOpenAI(
                azure_endpoint=settings.azure_openai_endpoint,
                azure_deployment=settings.openai_embedding_model,
                api_version=settings.azure_openai_api_version,
                api_key=key.get_secret_value() if key else "not-needed",
                timeout=settings.llm_timeout_s,
                max_retries=2,
            )
        else:
            key = settings.openai_api_key
            client = openai.OpenAI(
                base_url=settings.openai_base_url or "https://api.openai.com/v1",
                api_key=key.get_secret_value() if key else "not-needed",
                timeout=settings.llm_timeout_s,
                max_retries=2,
            )
        return cls(client, settings.openai_embedding_model)

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One normalised row per text; KnowledgeError if the service fails."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        rows = [self._batch(list(texts[i : i + BATCH])) for i in range(0, len(texts), BATCH)]
        vectors = np.vstack(rows).astype(np.float32)
        if vectors.shape != (len(texts), self.dimension):
            raise KnowledgeError(
                f"The embedding model returned {vectors.shape[1]}-d vectors, "
                f"expected {self.dimension}: re-ingest after changing models."
            )
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.asarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)

    def _batch(self, texts: list[str]) -> Vectors:
        # The API rejects empty strings; a space embeds as "nothing in particular".
        inputs = [t if t.strip() else " " for t in texts]
        try:
            reply = self._client.embeddings.create(
                model=self._model, input=inputs, encoding_format="float"
            )
        except openai.OpenAIError as exc:
            logger.warning(
                "embedding request failed: %s (%d texts)", type(exc).__name__, len(texts)
            )
            raise KnowledgeError(UNAVAILABLE) from exc
        ordered = sorted(reply.data, key=lambda item: item.index)
        if len(ordered) != len(texts):
            raise KnowledgeError(UNAVAILABLE)
        return np.asarray([item.embedding for item in ordered], dtype=np.float32)

    def _probe(self) -> int:
        """The dimension of an unknown model, from one tiny request."""
        return int(self._batch(["dimension probe"]).shape[1])
