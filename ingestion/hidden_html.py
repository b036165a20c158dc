"""What a reader never sees in HTML: hidden elements, scripts, styles, templates.

Shared by the HTML loader and the Markdown loader (Markdown may carry raw HTML): text a reader
cannot see must not reach the index, where it could be retrieved and shown, or carry instructions.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup

NEVER_SHOWN = ("script", "style", "template", "noscript", "iframe", "object", "embed")
_WHITE = (
    r"(?:#fff\b|#ffffff\b|white\b"
    r"|rgba?\(\s*255\s*,\s*255\s*,\s*255\s*(?:,\s*1(?:\.0*)?\s*)?\))"
)
_HIDDEN_LAYOUT = (
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])"
    r"|opacity\s*:\s*0(?![.\d]*[1-9])"
)
_WHITE_TEXT = rf"(?<![-\w])color\s*:\s*{_WHITE}"
_HIDDEN_STYLE = re.compile(f"{_HIDDEN_LAYOUT}|{_WHITE_TEXT}", re.IGNORECASE)
_LAYOUT = re.compile(_HIDDEN_LAYOUT, re.IGNORECASE)
_BACKGROUND = re.compile(r"background(?:-color)?\s*:\s*([^;]+)", re.IGNORECASE)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_MAX_RULES = 200  # selectors tried per page: a hostile stylesheet cannot make this slow
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


def hidden_by_stylesheet(soup: Any) -> list[Any]:
    """Elements that the page's own ``<style>`` rules hide (or paint white on white).

    A rule hides when it sets ``display:none``, ``visibility:hidden``, zero size or opacity, or
    white text without a non-white background of its own (white on the white page). Only the
    selectors BeautifulSoup can match are used, at most ``_MAX_RULES`` of them.
    """
    found: list[Any] = []
    tried = 0
    for style in soup.find_all("style"):
        for selectors, body in _RULE.findall(style.get_text()):
            if not _LAYOUT.search(body):
                background = _BACKGROUND.search(body)
                on_colour = background and not re.fullmatch(
                    rf"\s*{_WHITE}\s*(?:!important\s*)?", background.group(1), re.IGNORECASE
                )
                if not re.search(_WHITE_TEXT, body, re.IGNORECASE) or on_colour:
                    continue
            for selector in selectors.split(","):
                tried += 1
                if tried > _MAX_RULES:
                    return found
                try:
                    found.extend(soup.select(selector.strip()))
                except Exception:  # noqa: BLE001 - a selector soupsieve cannot match: skip it
                    continue
    return found


def visible_text(fragment: str) -> str:
    """Markdown text with raw HTML reduced to what renders: hidden parts dropped, tags removed."""
    if not _TAG.search(fragment):
        return fragment
    soup = BeautifulSoup(_LONE_LT.sub("&lt;", fragment.replace("&", "&amp;")), "html.parser")
    for tag in hidden_by_stylesheet(soup):
        tag.decompose()
    for tag in soup.find_all(NEVER_SHOWN):
        tag.decompose()
    for tag in soup.find_all(is_hidden):
        tag.decompose()
    return re.sub(r"[ \t]+\n", "\n", soup.get_text())
