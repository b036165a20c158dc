"""Make model and document text safe to post in Slack mrkdwn.

Why: answers quote guidance documents and, with an LLM, model output. Either may contain
``<!channel>``, ``<@U123>``, ``<https://evil.example|NHS guidance>`` or ``@here`` (by accident or by
injection). Slack turns ``<...>`` into mentions and links and ``&`` into entities, so the only safe
rule is: escape ``&``, ``<`` and ``>`` in every piece of text we did not write ourselves, defuse the
bare-word broadcasts, and defang links that do not point at an allow-listed host (the link still
reads, but Slack does not make it clickable). Unfurls are switched off where messages are posted.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

ALLOWED_LINK_HOSTS = ("nhs.uk", "health.org.uk", "gov.uk", "england.nhs.uk", "kingsfund.org.uk")

_BROADCAST = re.compile(r"(?<!\w)@(channel|here|everyone)\b", re.IGNORECASE)
_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"'`]+", re.IGNORECASE)
_ZERO_WIDTH_SPACE = "\u200b"


def escape_mrkdwn(text: str) -> str:
    """Escape control characters so text renders literally: no mentions, no hidden links."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = _BROADCAST.sub(lambda m: "@" + _ZERO_WIDTH_SPACE + m.group(1), escaped)
    return _URL.sub(_defang_unless_allowed, escaped)


def is_allowed_link(url: str) -> bool:
    """True for https links to the NHS / Health Foundation / gov.uk hosts we trust."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        return False
    return any(host == allowed or host.endswith("." + allowed) for allowed in ALLOWED_LINK_HOSTS)


def _defang_unless_allowed(match: re.Match[str]) -> str:
    url = match.group(0)
    if is_allowed_link(url.replace("&amp;", "&")):
        return url
    scheme, _, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme.replace('t', 'x', 2)}://{host.replace('.', '[.]')}{slash}{path}"


def plain(text: str, limit: int) -> str:
    """Text for a ``plain_text`` object: no markup is parsed there, so only trim it."""
    return truncate(" ".join(text.split()), limit)


def truncate(text: str, limit: int) -> str:
    """Cut text to ``limit`` characters, ending with an ellipsis when something was cut.

    Never cuts inside an ``&amp;``-style entity, which Slack would otherwise render half-escaped.
    """
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip() + "…"
