"""The shape of an OpenAI-style endpoint's configuration, as the model and embedding clients use it.

Declared as read-only protocols so that ``knowledge`` and ``bot.llm`` never import ``Settings``:
``bot.settings.Settings`` satisfies them structurally and the composition root passes it in.
"""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import SecretStr


class OpenAIEndpoint(Protocol):
    """Where an OpenAI, Azure OpenAI or OpenAI-compatible server is, and how to reach it."""

    @property
    def openai_api_key(self) -> SecretStr | None:
        """OpenAI (or compatible) key."""
        ...

    @property
    def openai_base_url(self) -> str | None:
        """An OpenAI-compatible server's base URL."""
        ...

    @property
    def azure_openai_endpoint(self) -> str | None:
        """Azure OpenAI endpoint; wins when set."""
        ...

    @property
    def azure_openai_api_key(self) -> SecretStr | None:
        """Azure OpenAI key."""
        ...

    @property
    def azure_openai_api_version(self) -> str:
        """Azure OpenAI API version."""
        ...

    @property
    def llm_timeout_s(self) -> float:
        """Per-request timeout."""
        ...


class EmbeddingEndpoint(OpenAIEndpoint, Protocol):
    """An endpoint plus the embedding model (or Azure deployment) to call."""

    @property
    def openai_embedding_model(self) -> str:
        """Embedding model name."""
        ...


class ChatEndpoint(OpenAIEndpoint, Protocol):
    """An endpoint plus the chat model and the retry policy the client applies."""

    @property
    def llm_model(self) -> str:
        """Chat model or deployment name."""
        ...

    @property
    def llm_max_tokens(self) -> int:
        """Output token cap."""
        ...

    @property
    def llm_structured_method(self) -> Literal["json_schema", "function_calling", "json_mode"]:
        """How structured output is requested."""
        ...

    @property
    def llm_max_attempts(self) -> int:
        """Attempts per call, including the first."""
        ...

    @property
    def llm_time_budget_s(self) -> float:
        """Overall budget for one call and its retries."""
        ...

    @property
    def llm_concurrency(self) -> int:
        """Model calls in flight at once."""
        ...
