"""Guess the care setting from NHS vocabulary so suggested actions fit (ward vs board vs ICB).

This is domain vocabulary, not a classifier of barriers: it only chooses between equally good
actions, so a wrong guess costs little.
"""

from __future__ import annotations

import re

from knowledge.framework import Setting

_VOCABULARY: dict[Setting, str] = {
    "primary_care": r"gp|gps|practice|practices|pcn|partners?|surgery|arrs|qof|primary care|"
    r"practice manager|reception",
    "system": r"icb|ics|commissioner|commissioning|commissioned|system[- ]wide|place[- ]based|"
    r"councils?|trusts|providers|contract|programme board|region",
    "board": r"board|exec|execs|executive|directors?|ceo|coo|cfo|nedS?|non[- ]exec|"
    r"divisional|trust[- ]wide|oversight",
    "community": r"community|district nurs\w*|dns?|care homes?|virtual ward|caseloads?|"
    r"care coordinators?|mental health team|cmht|home visits?",
    "ward": r"ward|bay|nurses|matron|sister|shifts?|huddles?|ed|a&e|theatres?|"
    r"handover|bank|agency|rn|rns|hca|hcas|beds?",
}
_PATTERNS = {k: re.compile(rf"\b(?:{v})\b", re.IGNORECASE) for k, v in _VOCABULARY.items()}


def detect_settings(text: str) -> list[Setting]:
    """Settings mentioned in ``text``, most mentions first (empty when none is clear)."""
    counts = {k: len(p.findall(text)) for k, p in _PATTERNS.items()}
    return [k for k, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n > 0]
