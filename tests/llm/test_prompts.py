"""prompts.render: strict substitution, no template logic, and no secrets in any template."""

from __future__ import annotations

import re

import pytest

import prompts
from prompts import MissingVariables, PromptError, UnusedVariables, placeholders, render


def test_render_substitutes_and_keeps_literal_braces():
    text = render("answer", canary="CANARY-1", max_words="120")
    assert "CANARY-1" in text and "120 words" in text
    assert '{"answer": "text with [id] markers", "cited_ids": ["id"]}' in text


def test_missing_variable_is_a_key_error():
    with pytest.raises(MissingVariables) as caught:
        render("answer", canary="x")
    assert isinstance(caught.value, KeyError) and "max_words" in str(caught.value)


def test_unused_variable_is_an_error():
    with pytest.raises(UnusedVariables, match="colour"):
        render("answer", canary="x", max_words="1", colour="red")


def test_values_are_inserted_verbatim_not_reparsed():
    text = render("answer", canary="{max_words}", max_words="7")
    assert "Confidential marker: {max_words}." in text


@pytest.mark.parametrize("template", ["{a.b}", "{a!r}", "{a:>10}", "{0}", "{}"])
def test_only_plain_placeholders_are_allowed(template):
    with pytest.raises(PromptError):
        placeholders(template)


@pytest.mark.parametrize("name", ["../settings", "missing_prompt", "Answer"])
def test_bad_or_unknown_names_fail(name):
    with pytest.raises(PromptError):
        render(name)


def test_templates_hold_no_secrets_and_every_one_carries_the_canary():
    secret = re.compile(r"sk-\w{8,}|xox[abpr]-|xapp-|PRIVATE KEY|api[_-]?key", re.IGNORECASE)
    names = sorted(p.stem for p in prompts.PROMPTS_DIR.glob("*.md"))
    assert {"answer", "diagnose"} <= set(names)
    for name in names:
        text = prompts.load(name)
        assert not secret.search(text), name
        assert "canary" in placeholders(text), name
