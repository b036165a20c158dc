"""The one Settings class: the only code that reads the environment (and ``.env``).

Every field is listed in the README's configuration table; ``tests/test_settings.py`` keeps the two
in step. Defaults work offline: local embeddings, embedded Chroma, bundled guidance, no LLM.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Annotated, Any, Literal, cast

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

BUNDLED_GUIDANCE = Path(__file__).resolve().parent.parent / "knowledge" / "guidance"


def _env(name: str) -> AliasChoices:
    """Accept both the CHANGEBOT_-prefixed name and a well-known unprefixed one."""
    return AliasChoices(name, f"CHANGEBOT_{name}")


class Settings(BaseSettings):
    """changebot's configuration (environment variables, then ``.env``, then defaults)."""

    model_config = SettingsConfigDict(
        env_prefix="CHANGEBOT_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    # Storage
    data_dir: Path = Field(Path(".changebot"), description="Index, audit log and feedback.")
    guidance_dir: Path = Field(BUNDLED_GUIDANCE, description="Folder indexed by default.")
    chroma_url: str | None = Field(None, description="Use a Chroma server instead of embedded.")
    chroma_token: SecretStr | None = Field(None, description="Chroma server auth token.")
    chroma_tenant: str | None = Field(None, description="Chroma server tenant.")
    chroma_database: str | None = Field(None, description="Chroma server database.")
    embeddings: Literal["local", "openai"] = Field("local", description="Embedding backend.")
    openai_embedding_model: str = Field("text-embedding-3-small", description="If openai.")
    keep_versions: int = Field(2, ge=1, description="Index versions kept for rollback.")

    # Language model (optional)
    openai_api_key: SecretStr | None = Field(
        None, validation_alias=_env("OPENAI_API_KEY"), description="Enables the LLM path."
    )
    openai_base_url: str | None = Field(
        None, validation_alias=_env("OPENAI_BASE_URL"), description="OpenAI-compatible server."
    )
    llm_model: str = Field("gpt-4o-mini", description="Chat model or deployment name.")
    azure_openai_endpoint: str | None = Field(
        None, validation_alias=_env("AZURE_OPENAI_ENDPOINT"), description="Azure OpenAI endpoint."
    )
    azure_openai_api_key: SecretStr | None = Field(
        None, validation_alias=_env("AZURE_OPENAI_API_KEY"), description="Azure OpenAI key."
    )
    azure_openai_api_version: str = Field(
        "2024-10-21", validation_alias=_env("OPENAI_API_VERSION"), description="Azure API version."
    )
    llm_timeout_s: float = Field(30.0, gt=0, description="Per-request timeout.")
    llm_max_attempts: int = Field(3, ge=1, le=5, description="Attempts incl. the first.")
    llm_time_budget_s: float = Field(60.0, gt=0, description="Overall budget for retries.")
    llm_concurrency: int = Field(4, ge=1, description="Concurrent model calls.")
    llm_max_tokens: int = Field(700, ge=64, description="Output token cap.")
    llm_structured_method: Literal["json_schema", "function_calling", "json_mode"] = Field(
        "json_schema", description="How structured output is requested."
    )

    # Slack
    slack_bot_token: SecretStr | None = Field(
        None, validation_alias=_env("SLACK_BOT_TOKEN"), description="xoxb- bot token."
    )
    slack_signing_secret: SecretStr | None = Field(
        None, validation_alias=_env("SLACK_SIGNING_SECRET"), description="HTTP mode secret."
    )
    slack_app_token: SecretStr | None = Field(
        None, validation_alias=_env("SLACK_APP_TOKEN"), description="xapp- Socket Mode token."
    )
    slack_api_url: str = Field("https://slack.com/api/", description="Web API base URL.")
    admin_user_ids: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated Slack user ids."
    )
    admin_team_id: str | None = Field(None, description="Workspace whose admins count.")
    max_input_chars: int = Field(4000, ge=100, description="Longer messages are refused.")
    database_url: str | None = Field(
        None, description="Shared state in PostgreSQL (postgresql://...); else SQLite in data_dir."
    )
    replica_id: str | None = Field(
        None, description="This replica's name in the shared store (default: host and data dir)."
    )
    inflight_lease_s: float = Field(
        120.0, gt=0, description="How long another replica waits before apologising for a reply."
    )
    workers: int | None = Field(
        None,
        ge=0,
        description="Core worker processes behind the Slack front (0: in the front's process; "
        "default: one per core beyond the first, at most 4).",
    )
    health_port: int | None = Field(
        None, ge=0, le=65535, description="Socket Mode: serve /healthz and /readyz on this port."
    )
    health_host: str = Field("0.0.0.0", description="Bind address of the Socket Mode health port.")
    shutdown_grace_s: float = Field(
        20.0, ge=0, description="On SIGTERM, how long in-flight replies may take to finish."
    )
    user_rate_per_minute: int = Field(12, ge=1, description="Per-user request limit.")
    retention_days: int = Field(30, ge=1, description="How long diagnosis labels are kept.")
    insights_retention_days: int = Field(
        365, ge=7, description="How long anonymous diagnosis counts for insights are kept."
    )
    rank_by_local_outcomes: bool = Field(
        False, description="Let local 'did it help?' outcomes reorder suggested actions."
    )

    # Ingestion
    ingest_max_file_mb: int = Field(50, ge=1, description="Files above this are refused.")
    ingest_timeout_s: float = Field(120.0, gt=0, description="Per-document parse time limit.")
    ingest_memory_mb: int = Field(1024, ge=128, description="Per-document parse memory limit.")

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="Log level."
    )
    log_format: Literal["text", "json"] = Field(
        "text", description="Log lines as text or one JSON object per line."
    )
    langsmith_tracing: bool = Field(
        False, description="Allow LangSmith tracing (else off, whatever LANGSMITH_* say)."
    )

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def llm_configured(self) -> bool:
        """True when an OpenAI, Azure OpenAI or OpenAI-compatible model is configured."""
        return bool(self.openai_api_key or self.openai_base_url or self.azure_openai_endpoint)

    @property
    def slack_configured(self) -> bool:
        """True when enough Slack credentials exist to run the bot."""
        return bool(self.slack_bot_token and (self.slack_app_token or self.slack_signing_secret))

    @property
    def replica(self) -> str:
        """This replica's identity: one process per data dir, so host plus data dir names it."""
        if self.replica_id:
            return self.replica_id
        return f"{socket.gethostname()}:{self.data_dir.resolve()}"[:200]

    @property
    def state_url(self) -> str:
        """Where the shared state lives: PostgreSQL when configured, else SQLite in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'state.db').resolve()}"

    @property
    def worker_count(self) -> int:
        """Worker processes to start: the setting, else one per core beyond the first (1-4)."""
        if self.workers is not None:
            return self.workers
        return max(1, min(4, (os.cpu_count() or 2) - 1))

    @property
    def index_dir(self) -> Path:
        """Where the embedded Chroma store lives."""
        return self.data_dir / "index"


# Variables that switch LangChain/LangSmith tracing on, or tell it where to send traces.
TRACING_SWITCHES = (
    "LANGSMITH_TRACING",
    "LANGSMITH_TRACING_V2",
    "LANGCHAIN_TRACING",
    "LANGCHAIN_TRACING_V2",
    "LANGSMITH_OTEL_ENABLED",
    "LANGCHAIN_OTEL_ENABLED",
)
TRACING_DESTINATIONS = (
    "LANGSMITH_API_KEY",
    "LANGCHAIN_API_KEY",
    "LANGSMITH_ENDPOINT",
    "LANGCHAIN_ENDPOINT",
    "LANGSMITH_RUNS_ENDPOINTS",
    "LANGCHAIN_RUNS_ENDPOINTS",
    "LANGCHAIN_HANDLER",
)


def apply_process_policy(settings: Settings) -> None:
    """Turn LangSmith tracing off for this process unless ``CHANGEBOT_LANGSMITH_TRACING`` is set.

    Why: LangChain sends every prompt and reply (passages, users' situations) to LangSmith as soon
    as the host has ``LANGSMITH_TRACING=true`` or ``LANGCHAIN_TRACING_V2=true`` and a key, with no
    sign in our logs. Sending data off the host must be a changebot decision, so unless the
    setting enables it, the switches are set to "false", the keys and endpoints are removed, and
    LangSmith's own cached view of the environment and its process-wide switch are reset (it
    caches ``get_env_var`` and checks ``configure(enabled=...)`` before the environment). Call it
    once at start-up, before any LangChain model is built or called.
    """
    if settings.langsmith_tracing:
        return
    for name in TRACING_SWITCHES:
        os.environ[name] = "false"
    for name in TRACING_DESTINATIONS:
        os.environ.pop(name, None)
    _disable_langsmith()


def _disable_langsmith() -> None:
    """Reset LangSmith's cached environment and switch its process-wide tracing flag off."""
    try:
        from langsmith import utils
        from langsmith.run_trees import configure
    except ImportError:  # langsmith comes with langchain-core; without it nothing can trace
        return
    cast(Any, utils.get_env_var).cache_clear()  # lru_cache under typing overloads
    utils.get_tracer_project.cache_clear()
    configure(enabled=False)
