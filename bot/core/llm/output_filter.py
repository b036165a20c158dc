"""Spotlighting for text we send to a model, and the filter for text a model sends back.

Why: retrieved passages and user text are data, yet a model may obey instructions hidden in them
(reliability plan J1-J4). So on the way in, data sits inside labelled elements whose closing tags
cannot be forged; on the way out, nothing the model writes can mention a whole channel, link to a
host the cited guidance does not link to, carry an email address, ask people to send personal
data, or repeat injected instructions (those sentences are dropped). There is no code path from
model text to any action: it only ever becomes answer text.
The Slack layer escapes again; this filter makes the core's output safe on every surface.

Links include bare domains ("attacker.com/x", "evil.example", "NHS.uk"): Slack and most clients
turn them into links, so they get the same rule as ``https://`` and ``www.`` URLs. A link stays
only when the cited passages' own text contains it (scheme and ``www.`` aside); a bare host with
no path also stays when the passages link to that host. Everything else becomes
"(link removed)". A domain needs a final label of two or more letters, so "e.g.", "i.e.", "3.5"
and "£1.2bn" are untouched; a name ending in a file extension that is not a top-level domain
("report.pdf") is a file name, not a link. "NHS.uk" *is* a domain (nhs.uk), so it stays only when
the passages mention it.
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
_DOT = r"[.\u3002\uff0e\uff61]"  # ASCII and the ideographic/full-width dots clients accept
_LABEL = r"[\w-]{1,63}"
# two or more letters, or punycode; "_" may follow ("_evil.com_" is italics in Slack)
_TLD = r"(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{2,59})(?![^\W_]|-)"
_BARE_HOST = re.compile(
    rf"(?<![\w@-])(?<![\w-]{_DOT}){_LABEL}(?:{_DOT}{_LABEL})*{_DOT}{_TLD}"  # whole hosts only
    r"(?::\d{1,5})?(?:[/?#][^\s<>\"'`)\]]*)?",
    re.I,
)
_LINK = re.compile(f"{_URL.pattern}|{_BARE_HOST.pattern}", re.I)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")
_PATH = re.compile(r"[/?#]")
# file extensions that are not top-level domains: "report.pdf" names a file, no client links it
FILE_EXTENSIONS = frozenset(
    "pdf doc docx odt rtf txt csv xls xlsx ods ppt pptx odp json yaml yml xml htm html png jpg "
    "jpeg gif svg".split()
)
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
    """Links (URLs and bare domains) in the cited guidance's own text; none from injected ones."""
    urls: set[str] = set()
    for passage in passages:
        if not suspicious(passage.text):
            found = (m.group(0).rstrip(_TRAILING) for m in _LINK.finditer(passage.text))
            urls.update(_norm_url(u) for u in found if _is_link(u))
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
    text = _LINK.sub(lambda m: _keep_url(m.group(0), allowed, cut), text)
    text = _BROADCAST.sub(lambda m: count("mention", m.group(1)), text)
    return " ".join(text.split()), cut


def _keep_url(url: str, allowed: set[str], cut: Counter[str]) -> str:
    core = url.rstrip(_TRAILING)
    if not _is_link(core) or _permitted(core, allowed):
        return url
    cut["link"] += 1
    return "(link removed)" + url[len(core) :]


def _is_link(text: str) -> bool:
    """False only for a bare file name such as "report.pdf" (no scheme, www., port or path)."""
    lower = text.lower()
    if _SCHEME.match(lower) or lower.startswith("www.") or _PATH.search(lower) or ":" in lower:
        return True
    return re.split(_DOT, lower)[-1] not in FILE_EXTENSIONS


def _permitted(link: str, allowed: set[str]) -> bool:
    """The passages contain this link, or it is a bare host the passages link to."""
    keys = {_key(a) for a in allowed}
    key = _key(link)
    if key in keys:
        return True
    return not _PATH.search(key) and key in {_PATH.split(k, 1)[0] for k in keys}


def _key(url: str) -> str:
    """A link as compared: lower case, ASCII dots, no scheme, no ``www.``, no trailing slash."""
    key = re.sub(_DOT, ".", _norm_url(url))
    key = _SCHEME.sub("", key)
    return key.removeprefix("www.").rstrip("/")


def _norm_url(url: str) -> str:
    return url.rstrip(_TRAILING).rstrip("/").lower()
