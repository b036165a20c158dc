"""Settings: documented field by field in the README, read from env and .env, offline defaults."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def _env_name(name: str) -> str:
    alias = Settings.model_fields[name].validation_alias
    choices = getattr(alias, "choices", None)
    return str(choices[0]) if choices else f"CHANGEBOT_{name.upper()}"


def test_readme_table_lists_exactly_the_settings() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", section, re.MULTILINE))
    expected = {_env_name(name) for name in Settings.model_fields}
    assert documented == expected


def test_defaults_are_offline(tmp_path: Path) -> None:
    settings = Settings()
    assert settings.data_dir == Path(".changebot")
    assert not settings.llm_configured and not settings.slack_configured
    assert settings.embeddings == "local" and settings.chroma_url is None
    assert (settings.guidance_dir / "report-overview.md").exists()


def test_environment_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-from-file\nCHANGEBOT_LLM_MODEL=m1\n")
    monkeypatch.setenv("CHANGEBOT_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("CHANGEBOT_ADMIN_USER_IDS", "U1, U2 ,")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    settings = Settings()
    assert settings.data_dir == tmp_path / "d"
    assert settings.admin_user_ids == ["U1", "U2"]
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-from-file"
    assert settings.llm_model == "m1" and settings.llm_configured


def test_secrets_do_not_leak_into_repr() -> None:
    settings = Settings(slack_bot_token="xoxb-secret", openai_api_key="sk-secret")
    assert "xoxb-secret" not in repr(settings) and "sk-secret" not in repr(settings)


def test_invalid_values_are_rejected() -> None:
    with pytest.raises(ValueError):
        Settings(llm_structured_method="xml")
