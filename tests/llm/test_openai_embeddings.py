"""OpenAIEmbedder over real HTTP: shapes, normalisation, batching, dimension probe, errors."""

from __future__ import annotations

import numpy as np
import pytest

from bot.common.errors import KnowledgeError
from knowledge.embeddings import Embedder
from knowledge.openai_embeddings import OpenAIEmbedder


@pytest.fixture
def embedder(make_settings) -> OpenAIEmbedder:
    return OpenAIEmbedder.from_config(make_settings(openai_embedding_model="local-embed"))


def test_unknown_model_dimension_is_probed_once(openai_server, embedder):
    assert embedder.dimension == 16 and embedder.name == "openai:local-embed"
    assert openai_server.hits["/v1/embeddings"] == 1


def test_vectors_are_normalised_float32_rows_in_order(openai_server, embedder):
    vectors = embedder.embed(["headspace", "", "motivation", "headspace"])
    assert vectors.shape == (4, 16) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(vectors[0], vectors[3]) and not np.allclose(vectors[0], vectors[2])
    body = openai_server.requests[-1].body
    assert body["encoding_format"] == "float" and body["model"] == "local-embed"
    assert body["input"][1] == " "  # the API rejects empty strings


def test_large_inputs_are_batched(openai_server, embedder):
    assert embedder.embed([f"text {i}" for i in range(300)]).shape == (300, 16)
    assert [len(r.body["input"]) for r in openai_server.requests[1:]] == [256, 44]


def test_no_texts_means_no_request(openai_server, embedder):
    assert embedder.embed([]).shape == (0, 16)
    assert openai_server.hits["/v1/embeddings"] == 1  # the probe only


def test_known_models_need_no_probe(openai_server, make_settings):
    embedder = OpenAIEmbedder.from_config(make_settings())
    assert embedder.dimension == 1536 and openai_server.hits["/v1/embeddings"] == 0


def test_service_errors_become_knowledge_errors(openai_server, embedder):
    openai_server.mode = "401"
    with pytest.raises(KnowledgeError) as caught:
        embedder.embed(["headspace"])
    assert "sk-test" not in caught.value.user_message


def test_azure_uses_the_deployment_path(openai_server, make_settings):
    openai_server.embedding_dim = 1536
    settings = make_settings(
        openai_base_url=None, azure_openai_endpoint=openai_server.base, azure_openai_api_key="k"
    )
    embedder = OpenAIEmbedder.from_config(settings)
    embedder.embed(["headspace"])
    assert openai_server.requests[0].path.startswith(
        "/openai/deployments/text-embedding-3-small/embeddings?api-version="
    )


def test_matches_the_embedder_protocol(embedder):
    typed: Embedder = embedder
    assert typed.embed(["x"]).shape == (1, typed.dimension)
