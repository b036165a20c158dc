"""Slack shorthand spelt out before retrieval and the grounding gate read a question.

"how many studies did the HF scan analyse?" asks about the Health Foundation, and "orgs" are
organisations: the notes spell these out, so an abbreviation must not make a covered question
look like one about a name the guidance never uses. Chat filler ("pls", "lol") names no topic
and is dropped. The list is ours and short on purpose: only spellings whose meaning is not in
doubt in an NHS workspace.
"""

from __future__ import annotations

import re

_SPELLED_OUT: dict[str, str] = {
    "hf": "Health Foundation",
    "thf": "The Health Foundation",
    "qi": "quality improvement",
    "nhse": "NHS England",
    "nhsei": "NHS England",
    "orgs": "organisations",
    "org": "organisation",
    "ned": "non-executive director",
    "neds": "non-executive directors",
    "ceo": "chief executive",
    "ceos": "chief executives",
    "exec": "executive",
    "execs": "executives",
    "mgmt": "management",
    "govt": "government",
    "dept": "department",
    "ppl": "people",
    "info": "information",
    "doc": "document",
    "docs": "documents",
    "eg's": "examples",
    "egs": "examples",
}
_FILLER = frozenset({"pls", "plz", "lol", "tbh", "thx", "fyi", "btw", "imo", "imho"})
# "CC" in capitals is the report in this workspace; "cc" in lower case is more often "copy to"
_CC = re.compile(r"\bCC(?=\b|'s)")
_AN_EG = re.compile(
    r"\b(an|one|another) eg\b", re.IGNORECASE
)  # "give me an eg" (not "eg staffing")
_WORD = re.compile(r"(?<![\w'])[A-Za-z]+(?:'s?)?(?![\w'])")


def spell_out(text: str) -> str:
    """``text`` with known shorthand spelt out and chat filler removed; otherwise unchanged."""

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        low = word.lower()
        if low in _FILLER:
            return ""
        if low in _SPELLED_OUT:
            return _SPELLED_OUT[low]
        if low.endswith("'s") and low[:-2] in _SPELLED_OUT:
            return f"{_SPELLED_OUT[low[:-2]]}'s"  # "the HF's view", "our org's plan"
        return word

    out = _WORD.sub(replace, _AN_EG.sub(r"\1 example", _CC.sub("Constructive comfort", text)))
    return re.sub(r"[ \t]{2,}", " ", out).strip() if out != text else text
