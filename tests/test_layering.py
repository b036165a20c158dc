"""The core, the knowledge package and ingestion must not import Slack."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BANNED = ("slack_bolt", "slack_sdk", "bot.slack")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize("package", ["bot/core", "knowledge", "ingestion", "prompts"])
def test_no_slack_imports(package: str) -> None:
    files = list((ROOT / package).rglob("*.py"))
    assert files, f"{package} has no modules"
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in files
        for name in _imports(path)
        if name.startswith(BANNED)
    ]
    assert offenders == []


def test_only_settings_reads_the_environment() -> None:
    offenders = []
    for package in ("bot", "knowledge", "ingestion", "prompts"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if path.name != "settings.py" and ("os.environ" in text or "os.getenv" in text):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
