"""The layer rules, enforced: every module's imports are checked against one table.

Each package may import only the prefixes listed for it (its own package is always allowed).
The most specific package wins, so ``bot.core.answering`` has rules of its own inside ``bot.core``.
A wrong arrow (the index importing the core, the core importing Slack, a library reading
``Settings``) fails here rather than in a review. ARCHITECTURE.md draws the same table.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = ("bot", "knowledge", "ingestion", "prompts")

COMMON = ("bot.common",)
LOWER = (*COMMON, "knowledge", "prompts")
CORE = (*LOWER, "bot.llm", "bot.core.models", "bot.core.wording")
SURFACE = (
    *CORE,
    "bot.core",
    "ingestion",
    "bot.settings",
    "bot.services",
    "bot.startup",
    "bot.state",
)

# package -> prefixes it may import (besides itself); the longest matching package applies
ALLOWED: dict[str, tuple[str, ...]] = {
    "bot.common": (),
    "prompts": COMMON,
    "knowledge": COMMON,
    "ingestion": (*COMMON, "knowledge"),
    "bot.llm": COMMON,
    "bot.state": COMMON,
    "bot.settings": (),
    "bot.core.models": LOWER,
    "bot.core.wording": (),
    "bot.core.llm": (*CORE, "bot.core.diagnosis.suggest"),
    "bot.core.answering": (*CORE, "bot.core.llm"),
    "bot.core.diagnosis": (*CORE, "bot.core.llm", "bot.core.scope", "bot.core.classifier"),
    "bot.core.classifier": CORE,
    "bot.core.routing": (*CORE, "bot.core.answering.question_form"),
    "bot.core.scope": (*CORE, "bot.core.classifier"),
    "bot.core.respond": (*CORE, "bot.core"),
    "bot.services": (*CORE, "bot.core", "ingestion", "bot.settings", "bot.state"),
    "bot.startup": (*CORE, "ingestion", "bot.services", "bot.settings"),
    # build tools: ship_cache indexes the bundled notes to record their vectors
    "bot.tools": (*CORE, "bot.core", "ingestion", "bot.services", "bot.settings"),
    "bot.workers": SURFACE,
    "bot.slack": (*SURFACE, "bot.workers", "bot.tools.insights_chart"),
    "bot.cli": (*SURFACE, "bot.slack", "bot.tools", "bot.workers"),
    "bot.__main__": ("bot.cli",),
    "bot": (),
}
# third-party packages only some layers may use
SLACK_LIBS = ("slack_bolt", "slack_sdk")
SLACK_ALLOWED = ("bot.slack", "bot.cli.serve")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.extend(
                f"{node.module}.{alias.name}" if node.module in OURS else node.module
                for alias in node.names
            )
    return names


def _rule_for(module: str) -> tuple[str, tuple[str, ...]]:
    matches = [pkg for pkg in ALLOWED if module == pkg or module.startswith(pkg + ".")]
    assert matches, f"{module} has no layer rule: add it to ALLOWED"
    pkg = max(matches, key=len)
    return pkg, ALLOWED[pkg]


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _all_modules() -> list[Path]:
    return [p for pkg in OURS for p in sorted((ROOT / pkg).rglob("*.py"))]


def test_every_package_has_a_rule() -> None:
    for path in _all_modules():
        _rule_for(_module_name(path))


@pytest.mark.parametrize("top", OURS)
def test_imports_follow_the_table(top: str) -> None:
    offenders = []
    for path in sorted((ROOT / top).rglob("*.py")):
        module = _module_name(path)
        pkg, allowed = _rule_for(module)
        for name in _imports(path):
            ours = name.split(".")[0] in OURS
            if ours and not _within(name, (pkg, *allowed)):
                offenders.append(f"{module} -> {name}")
            if name.startswith(SLACK_LIBS) and not _within(module, SLACK_ALLOWED):
                offenders.append(f"{module} -> {name} (Slack libraries stay in bot.slack)")
    assert offenders == []


def test_the_table_catches_a_wrong_arrow(tmp_path: Path) -> None:
    """The checker itself: an index module importing the core is reported."""
    pkg, allowed = _rule_for("knowledge.index")
    assert pkg == "knowledge" and not _within("bot.core.models.Passage", (pkg, *allowed))
    assert _within("bot.common.types.Passage", (pkg, *allowed))


def test_only_settings_reads_the_environment() -> None:
    offenders = []
    for path in _all_modules():
        text = path.read_text(encoding="utf-8")
        if path.name != "settings.py" and ("os.environ" in text or "os.getenv" in text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
