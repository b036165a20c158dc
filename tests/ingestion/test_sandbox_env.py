"""Issue #14: the parsing child runs without the bot's secrets in its environment.

A parser exploited by a hostile file runs with whatever the child process holds; it must not find
the Slack token, the model key or a database password there. The child inherits nothing: it gets
a fixed minimal environment. The proof reads the environment the kernel recorded for the live
child (``/proc/<pid>/environ``), after the child parsed a real file with the secrets set here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.sandbox import SANDBOX_ENV, Limits, ParserSandbox
from ingestion.store_check import check_store
from tests.ingestion.samples import make_docx

SECRETS = {
    "SLACK_BOT_TOKEN": "xoxb-secret-bot-token-111",
    "SLACK_SIGNING_SECRET": "signing-secret-222",
    "SLACK_APP_TOKEN": "xapp-secret-333",
    "OPENAI_API_KEY": "sk-openai-secret-444",
    "AZURE_OPENAI_ENDPOINT": "https://trust-openai.example/azure-555",
    "AZURE_OPENAI_API_KEY": "azure-secret-666",
    "CHANGEBOT_LLM_API_KEY": "changebot-llm-secret-777",
    "CHANGEBOT_DATABASE_URL": "postgresql://bot:pg-secret-888@db.internal/changebot",
    "CHANGEBOT_ADMIN_USERS": "U-admin-list-999",
    "DATABASE_URL": "postgresql://app:db-secret-1010@db/app",
    "GITHUB_TOKEN": "ghp-secret-1111",
    "MY_SERVICE_KEY": "service-key-1212",
    "aws_secret_access_key": "aws-secret-1313",
    "PGPASSWORD": "pg-password-1414",
    "HTTPS_PROXY": "http://proxyuser:proxy-secret-1515@proxy.internal:3128",
}
HARMLESS = {"CB_TEST_HARMLESS": "visible-to-the-child", "LANG": "C.UTF-8"}


def _environ_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    pairs = (item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item)
    return {k.decode(): v.decode() for k, v in pairs}


def test_parsing_child_has_no_tokens_keys_or_passwords(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {**SECRETS, **HARMLESS}.items():
        monkeypatch.setenv(name, value)
    document = make_docx(tmp_path / "playbook.docx")
    with ParserSandbox(Limits(wall_s=60)) as sandbox:
        parsed = sandbox.parse(document, "docx", "playbook.docx")
        assert parsed.title == "Ward change playbook"  # the child really parsed, with this env
        proc = sandbox._proc
        assert proc is not None and proc.poll() is None
        raw = Path(f"/proc/{proc.pid}/environ").read_bytes()
        child = _environ_of(proc.pid)
    leaked = {name for name in SECRETS if name in child}
    assert not leaked, f"secrets reached the parsing child: {sorted(leaked)}"
    for value in SECRETS.values():
        assert value.encode() not in raw
    assert not [name for name in child if name.upper().startswith("CHANGEBOT_")]
    assert child == SANDBOX_ENV  # nothing inherited, not even harmless variables
    assert "CB_TEST_HARMLESS" not in child


def test_store_check_child_needs_nothing_from_our_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start-up store check is the other child we spawn: it reads the store with SANDBOX_ENV."""
    from knowledge.embeddings import local_embedder
    from knowledge.index import Chunk, KnowledgeIndex, make_client

    index = KnowledgeIndex(make_client(str(tmp_path / "index"), None), local_embedder())
    version = index.create_version()
    texts = ["Protected time for improvement.", "Run charts show change over time."]
    chunks = [
        Chunk(chunk_id=f"c{n}", text=t, document="a.md", title="A", content_hash=t, doc_hash="a")
        for n, t in enumerate(texts)
    ]
    index.add(version, chunks, index.embedder.embed(texts))
    index.switch(version)
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PYTHONPATH", "/nonexistent")  # not needed, and not passed on
    assert check_store(tmp_path / "index") is None  # the child opened and read the store
