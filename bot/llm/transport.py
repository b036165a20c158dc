"""Build the LangChain chat model for the configured provider (OpenAI, Azure, OpenAI-compatible).

Why these arguments:

- ``max_retries=0``: LLMClient owns retries, so attempts never compound (reliability plan L1/L7).
- ``timeout``: the SDK default is 10 minutes; ours is a setting (default 30 s).
- The token cap goes where each server honours it. OpenAI and Azure take the standard parameter
  (LangChain sends ``max_completion_tokens``). OpenAI-compatible servers get legacy ``max_tokens``
  in the body: llama.cpp ignores ``max_completion_tokens`` and generates without bound, and
  OpenAI-style gateways reject a request that sets both ("Setting 'max_tokens' and
  'max_completion_tokens' at the same time is not supported").
- ``use_responses_api=False``: compatible servers implement Chat Completions only.
- Every value is passed explicitly so LangChain and the SDK do not read the environment
  themselves (only ``bot.settings`` does, and the composition root passes it in); the OpenAI
  base URL is therefore spelled out too.
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel
from langchain_openai import AzureChatOpenAI, ChatOpenAI
from pydantic import SecretStr

from bot.common.endpoints import ChatEndpoint

OPENAI_BASE_URL = "https://api.openai.com/v1"
NO_KEY = SecretStr("not-needed")


def make_chat_model(settings: ChatEndpoint) -> BaseChatModel:
    """The chat model for ``settings``; Azure wins when its endpoint is set."""
    if settings.azure_openai_endpoint:
        return AzureChatOpenAI(
            azure_endpoint=settings.azure_openai_endpoint,
            azure_deployment=settings.llm_model,
            api_version=settings.azure_openai_api_version,
            api_key=settings.azure_openai_api_key or settings.openai_api_key or NO_KEY,
            timeout=settings.llm_timeout_s,
            max_retries=0,
            max_tokens=settings.llm_max_tokens,
        )
    if settings.openai_base_url:
        return ChatOpenAI(
            model=settings.llm_model,
            base_url=settings.openai_base_url,
            api_key=settings.openai_api_key or NO_KEY,
            timeout=settings.llm_timeout_s,
            max_retries=0,
            temperature=0,
            extra_body={"max_tokens": settings.llm_max_tokens},
            use_responses_api=False,
        )
    return ChatOpenAI(
        model=settings.llm_model,
        base_url=OPENAI_BASE_URL,
        api_key=settings.openai_api_key or NO_KEY,
        timeout=settings.llm_timeout_s,
        max_retries=0,
        max_tokens=settings.llm_max_tokens,
        use_responses_api=False,
    )
