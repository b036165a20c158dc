"""What a reader never sees in HTML: hidden elements, scripts, styles, templates.

Shared by the HTML loader and the Markdown loader (Markdown may carry raw HTML): text a reader
cannot see must not reach the index, where it could be retrieved and shown, or carry instructions.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup

NEVER_SHOWN = ("script", "style", "template", "noscript", "iframe", "object", "embed")
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])"
    r"|opacity\s*:\s*0(?![.\d]*[1-9])|(?<![-\w])color\s*:\s*(?:#fff\b|#ffffff\b|white\b)",
    re.IGNORECASE,
)
_HIDDEN_CLASS = {"hidden", "sr-only", "visually-hidden", "d-none", "hide", "screen-reader-text"}
_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
_LONE_LT = re.compile(r"<(?!/?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>)")  # "a < b", "x<y": text, not tags


def is_hidden(tag: Any) -> bool:
    """True for an element styled, classed or marked so that readers do not see it."""
    attrs = tag.attrs or {}
    classes = attrs.get("class") or []
    return bool(
        "hidden" in attrs
        or str(attrs.get("aria-hidden", "")).lower() == "true"
        or _HIDDEN_STYLE.search(str(attrs.get("style", "")))
        or _HIDDEN_CLASS.intersection(c.lower() for c in classes)
    )


def visible_text(fragment: str) -> str:
    """Markdown text with raw HTML reduced to what renders: hidden parts dropped, tags removed."""
    if not _TAG.search(fragment):
        return fragment
    soup = BeautifulSoup(_LONE_LT.sub("&lt;", fragment.replace("&", "&amp;")), "html.parser")
    for tag in soup.find_all(NEVER_SHOWN):
        tag.decompose()
    for tag in soup.find_all(is_hidden):
        tag.decompose()
    return re.sub(r"[ \t]+\n", "\n", soup.get_text())
