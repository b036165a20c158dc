"""Spotlighting for text we send to a model, and the filter for text a model sends back.

Why: retrieved passages and user text are data, yet a model may obey instructions hidden in them
(reliability plan J1-J4). So on the way in, data sits inside labelled elements whose closing tags
cannot be forged; on the way out, nothing the model writes can mention a whole channel, link to a
host the cited guidance does not link to, carry an email address, ask people to send personal
data, or repeat injected instructions (those sentences are dropped). There is no code path from
model text to any action: it only ever becomes answer text.
The Slack layer escapes again; this filter makes the core's output safe on every surface.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable

from bot.core.models import Passage

_OUR_TAGS = re.compile(r"<(?=\s*/?\s*(?:passages?|history|turn|question|situation)\b)", re.I)
_MD_LINK = re.compile(r"\[([^\]\n]{1,200})\]\(\s*(\S+?)\s*\)")
_SLACK_LINK = re.compile(r"<((?:https?|ftp|mailto):[^>|\s]+)(?:\|([^>]*))?>", re.I)
_SLACK_TOKEN = re.compile(r"<[!@#][^>\n]{0,100}>")
_BROADCAST = re.compile(r"(?<![\w@])@(channel|here|everyone)\b", re.I)
_URL = re.compile(r"\b(?:(?:https?|ftp)://|www\.)[^\s<>\"'`)\]]+", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_SOLICIT = re.compile(
    r"\b(?:e-?mail|send|share|post|message|dm|forward|give|reply with|tell)\b[^.!?\n]{0,80}?"
    r"\b(?:nhs numbers?|passwords?|tokens?|api keys?|credentials|dates? of birth|bank details|"
    r"patient (?:details|data|names?|records?)|log-?ins?)\b",
    re.I,
)
_INJECTION = re.compile(
    r"ignore (?:all |any |the |your )?(?:previous |prior |above |earlier )?(?:instructions|rules)"
    r"|disregard (?:the|your|all|any)\b|system prompt|you must now|new instructions"
    r"|@(?:channel|here|everyone)\b|<!(?:channel|here|everyone)>"
    r"|\b(?:tell|ask|instruct) (?:the )?(?:users?|everyone|readers|people) to\b",
    re.I,
)
_TRAILING = ".,;:!?'\"*_"


def delimit(text: str) -> str:
    """Data text with our own element names defused, so it cannot close or open an element."""
    return _OUR_TAGS.sub("\u2039", text)


def attribute(value: str) -> str:
    """A value safe inside a double-quoted attribute."""
    return html.escape(" ".join(value.split())[:200], quote=True)


def suspicious(text: str) -> bool:
    """True when a passage reads like instructions to an assistant (a sign of injection)."""
    return bool(_INJECTION.search(text))


def allowed_urls(passages: Iterable[Passage]) -> set[str]:
    """URLs the cited guidance itself contains; passages that look injected contribute none."""
    urls: set[str] = set()
    for passage in passages:
        if not suspicious(passage.text):
            urls.update(_norm_url(u) for u in _URL.findall(passage.text))
    return urls


def clean(text: str, allowed: set[str]) -> tuple[str, Counter[str]]:
    """Model text with links, addresses, mentions and data requests neutralised; what was cut."""
    cut: Counter[str] = Counter()

    def count(kind: str, replacement: str) -> str:
        cut[kind] += 1
        return replacement

    text = _MD_LINK.sub(lambda m: f"{m.group(1)} {m.group(2)}", text)
    text = _SLACK_LINK.sub(lambda m: f"{m.group(2) or ''} {m.group(1)}".strip(), text)
    kept = []
    for sentence in _SENTENCE.split(text):
        if _SOLICIT.search(sentence):
            cut["data_request"] += 1
        elif _INJECTION.search(sentence):
            cut["instruction"] += 1
        else:
            kept.append(sentence)
    text = _SLACK_TOKEN.sub(lambda m: count("mention", ""), " ".join(kept))
    text = _EMAIL.sub(lambda m: count("email", "(address removed)"), text)
    text = _URL.sub(lambda m: _keep_url(m.group(0), allowed, cut), text)
    text = _BROADCAST.sub(lambda m: count("mention", m.group(1)), text)
    return " ".join(text.split()), cut


def _keep_url(url: str, allowed: set[str], cut: Counter[str]) -> str:
    core = url.rstrip(_TRAILING)
    if _norm_url(core) in allowed:
        return url
    cut["link"] += 1
    return "(link removed)" + url[len(core) :]


def _norm_url(url: str) -> str:
    return url.rstrip(_TRAILING).rstrip("/").lower()
