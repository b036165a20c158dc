"""Prompt templates, one Markdown file per task, rendered strictly.

Why: prompt text lives in files that reviewers can read and diff, never in code, and a template
that drifts from its caller fails loudly. ``render`` substitutes ``{name}`` placeholders and nothing
else: no conditionals, loops, attribute access or format specs. ``{{`` and ``}}`` stand for literal
braces (JSON examples). A variable the template needs but did not get raises ``MissingVariables``;
a variable the caller passed that the template never uses raises ``UnusedVariables``.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class PromptError(Exception):
    """A template could not be loaded or rendered."""


class MissingVariables(PromptError, KeyError):
    """The template uses placeholders the caller did not supply."""


class UnusedVariables(PromptError, TypeError):
    """The caller supplied variables the template does not use (a typo or a stale caller)."""


@lru_cache(maxsize=32)
def load(name: str) -> str:
    """The raw text of ``prompts/<name>.md``; the name is checked so it cannot escape the folder."""
    if not _NAME.match(name):
        raise PromptError(f"invalid prompt name {name!r}")
    path = PROMPTS_DIR / f"{name}.md"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"prompt {name!r} not found") from exc


def placeholders(template: str) -> set[str]:
    """The placeholder names a template uses; rejects anything beyond plain ``{name}``."""
    names: set[str] = set()
    for _literal, field, spec, conversion in string.Formatter().parse(template):
        if field is None:
            continue
        if not _NAME.match(field) or spec or conversion:
            raise PromptError(f"unsupported placeholder {{{field}}}: only {{name}} is allowed")
        names.add(field)
    return names


def render(name: str, **variables: str) -> str:
    """Render ``prompts/<name>.md`` with exactly the variables it uses."""
    template = load(name)
    needed = placeholders(template)
    missing = sorted(needed - variables.keys())
    if missing:
        raise MissingVariables(f"prompt {name!r} needs {', '.join(missing)}")
    unused = sorted(variables.keys() - needed)
    if unused:
        raise UnusedVariables(f"prompt {name!r} does not use {', '.join(unused)}")
    not_text = sorted(k for k, v in variables.items() if not isinstance(v, str))
    if not_text:
        raise PromptError(f"prompt {name!r}: variables must be text: {', '.join(not_text)}")
    return template.format_map(variables)
