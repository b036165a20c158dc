"""What shape of answer a question asks for: a person, a date, a number, yes or no, a contrast.

The router uses it to tell a question ("who leads the pilot?") from a story, and the composer
uses it to lead with the sentence that carries what was asked (a name for *who*, a date for
*when*, a figure for *how many*). Pure rules on the wording: no model, no index.
"""

from __future__ import annotations

import re
from typing import Literal

QuestionForm = Literal[
    "who",
    "when",
    "how_many",
    "where",
    "which",
    "compare",
    "yes_no",
    "list",
    "how_to",
    "why",
    "what",
]

_LEAD = r"^\s*(?:(?:hi|hello|hey|thanks|thank you|ok|okay|so|and|but|quick question)[,!.:\s-]+)*"
_NUMBERS = r"(\d+|two|three|four|five|six|seven|eight)"
_STARTS: tuple[tuple[QuestionForm, str], ...] = (
    (
        "how_many",
        r"(how (many|much|long|often|big|large|quickly|fast|soon)"
        r"|what (number|percentage|proportion))",
    ),
    ("who", r"(who|whom|whose)"),
    ("when", r"(when|what (date|time|day|year|month)|by when|how soon)"),
    ("where", r"where"),
    ("why", r"why"),
    (
        "how_to",
        r"(how (do|can|should|could|would|might) (i|we|you|one|my|our)|what should (i|we)"
        r"|how to)",
    ),
    ("which", r"(which|what (kind|kinds|type|types|sort) of)"),
    ("list", rf"(list|name|what are( all)? the (\w+ )?{_NUMBERS}|give me (a|the) list)"),
    ("yes_no", r"(is|are|was|were|does|do|did|can|could|should|will|would|has|have|had|may|must)"),
    ("what", r"(what|explain|define|describe|summari[sz]e|tell me|remind me|give me)"),
)
_COMPARE = re.compile(
    r"\b(differ(ent|ence|s)?|compare[sd]?|comparison|versus|vs\.?|contrast|distinguish(es)?|"
    r"unlike|rather than the other)\b",
    re.I,
)
_RULES: tuple[tuple[QuestionForm, re.Pattern[str]], ...] = (
    ("compare", _COMPARE),
    ("who", re.compile(r"\bwho (is|are|was|were|leads?|runs?|owns?|wrote|chairs?)\b", re.I)),
    *((form, re.compile(_LEAD + start + r"\b", re.I)) for form, start in _STARTS),
)
_BARE_ASK = re.compile(
    _LEAD + r"(who|when|where|which|how|what|list|explain|define|describe|tell me|is|are|does"
    r"|do|can)\b",
    re.I,
)


def question_form(text: str) -> QuestionForm | None:
    """The form of the question in ``text`` (its last question if several), or None."""
    sentence = _question_sentence(text)
    if sentence is None:
        return None
    for form, pattern in _RULES:
        if pattern.search(sentence):
            return form
    return "what"  # a question, of no more telling shape


def _question_sentence(text: str) -> str | None:
    """The sentence that carries the question: the last one ending in "?", else a bare ask."""
    parts = [p.strip() for p in re.split(r"(?<=[.!?\n])\s+", text.strip()) if p.strip()]
    asked = [p for p in parts if p.endswith("?")]
    if asked:
        return asked[-1]
    if len(parts) == 1 and _BARE_ASK.match(parts[0]):
        return parts[0]
    return None
