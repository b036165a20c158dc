"""HTML loader: the page's main content only, as Markdown-like text with heading paths.

Web pages carry navigation, cookie banners, scripts and sometimes text hidden from readers but
visible to machines ("ignore previous instructions"). We keep <main> (or <article>, or <body>),
drop non-content and hidden elements and comments, then reuse the Markdown heading splitter.
Nothing is ever fetched: links and images are not followed.
"""

from __future__ import annotations

import re
from typing import Any

from bot.common.errors import UnreadableDocument
from ingestion.document import ParsedDocument
from ingestion.hidden_html import hidden_by_stylesheet, is_hidden
from ingestion.markdown import markdown_blocks
from ingestion.text import clean

_DROP = [
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "iframe",
    "form",
    "svg",
    "button",
    "object",
    "embed",
    "canvas",
    "select",
    "input",
    "img",
    "head",
]
_BLOCKS = [
    "p",
    "div",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "figure",
    "figcaption",
    "address",
    "details",
    "summary",
    "caption",
]


def _squash(text: str) -> str:
    return " ".join(text.split())


def _to_markdown(root: Any) -> str:
    for level in range(1, 7):
        for h in root.find_all(f"h{level}"):
            h.replace_with(f"\n\n{'#' * level} {_squash(h.get_text(' '))}\n\n")
    for tr in root.find_all("tr"):
        cells = [_squash(c.get_text(" ")) for c in tr.find_all(["td", "th"])]
        tr.replace_with("\n" + " | ".join(c for c in cells if c) + "\n\n")
    for br in root.find_all("br"):
        br.replace_with("\n")
    for li in root.find_all("li"):
        li.insert(0, "\n- ")
        li.append("\n")
    for tag in root.find_all(_BLOCKS):
        tag.insert(0, "\n\n")
        tag.append("\n\n")
    lines = [" ".join(line.split()) for line in clean(root.get_text()).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def load_html(data: bytes, name: str) -> ParsedDocument:
    """Main content blocks; the title comes from <title>, else the first <h1>, else the name."""
    from bs4 import BeautifulSoup, Comment

    soup: Any = BeautifulSoup(data, "html.parser")
    title = _squash(soup.title.get_text()) if soup.title else ""
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in hidden_by_stylesheet(soup):  # before the <style> blocks themselves go
        tag.decompose()
    for tag in soup.find_all(_DROP):
        tag.decompose()
    for tag in soup.find_all(is_hidden):
        tag.decompose()
    root = soup.find("main") or soup.find(attrs={"role": "main"}) or soup.find("article")
    root = root or soup.body or soup
    h1 = root.find("h1")
    title = title or (_squash(h1.get_text(" ")) if h1 else "") or name.rsplit("/", 1)[-1]
    blocks = markdown_blocks(_to_markdown(root))
    blocks = [
        b.model_copy(update={"section": b.section[1:]}) if b.section[:1] == (title,) else b
        for b in blocks
    ]
    if not blocks:
        raise UnreadableDocument(name, "contains no readable text in its main content")
    return ParsedDocument(kind="html", title=title, blocks=blocks)
