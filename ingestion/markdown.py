"""Markdown and plain-text loaders: front matter honoured, headings become section paths."""

from __future__ import annotations

import logging
import re
from typing import Any

import yaml
from langchain_text_splitters import MarkdownHeaderTextSplitter

from bot.common.errors import UnreadableDocument
from ingestion.document import Block, ParsedDocument
from ingestion.hidden_html import visible_text
from ingestion.text import decode, typed_table_rows, unwrap, without_rules

logger = logging.getLogger(__name__)

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*(?:\n|\Z)", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_HEADERS = [("#" * n, f"h{n}") for n in range(1, 7)]


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Separate YAML front matter from the body; values become strings (pages: 12 -> "12")."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    try:
        raw: Any = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        logger.info("front matter is not valid YAML; treated as text")
        return {}, text
    if not isinstance(raw, dict):
        return {}, text
    meta = {str(k): str(v) for k, v in raw.items() if v is not None and not isinstance(v, dict)}
    return meta, text[match.end() :]


def markdown_blocks(body: str, page: int | None = None) -> list[Block]:
    """Blocks under their heading path, paragraphs separated by blank lines.

    HTML comments are removed first, and raw HTML is reduced to what renders (hidden elements,
    scripts and styles dropped): text a reader never sees must not reach the index.
    """
    splitter = MarkdownHeaderTextSplitter(headers_to_split_on=_HEADERS, strip_headers=True)
    blocks = []
    for doc in splitter.split_text(_COMMENT.sub("", body)):
        path = tuple(str(doc.metadata[k]) for k in sorted(doc.metadata) if doc.metadata[k])
        text = visible_text(pipe_table_rows(doc.page_content)).replace("  \n", "\n\n")
        text = unwrap(text).strip()
        if text:
            blocks.append(Block(text=text, section=path, page=page))
    return blocks


_PIPE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_RULE_CELL = re.compile(r"^\s*:?-{2,}:?\s*$")


def pipe_table_rows(text: str) -> str:
    """A Markdown table as one paragraph per row, "a | b | c", its rule line dropped.

    As Word and PDF tables are read: each row is then a sentence of its own, so a row can lead
    an answer and a figure be read off it under its column, instead of the whole table being one
    "sentence". Empty cells stay, so every value keeps its column.
    """
    out: list[str] = []
    for line in text.split("\n"):
        row = _PIPE_ROW.match(line)
        if row is None:
            out.append(line)
            continue
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", row.group(1))]
        if all(_RULE_CELL.match(cell) for cell in cells):
            continue
        out.extend(["", " | ".join(cells), ""])
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out))


def _first_heading(body: str) -> str | None:
    match = re.search(r"^#\s+(.+?)\s*#*\s*$", body, re.MULTILINE)
    return match.group(1).strip() if match else None


def _without_title(blocks: list[Block], title: str) -> list[Block]:
    """Drop the H1 from section paths when it is just the document title (avoids repetition)."""
    return [
        b.model_copy(update={"section": b.section[1:]}) if b.section[:1] == (title,) else b
        for b in blocks
    ]


def _first_page(pages: str | None) -> int | None:
    match = re.match(r"\s*(\d+)", pages or "")
    return int(match.group(1)) if match else None


def load_markdown(data: bytes, name: str) -> ParsedDocument:
    """Parse Markdown; front matter keys: title, document, section, pages, provenance.

    A front matter ``section`` is the base of every heading path, and ``pages`` gives the page
    cited for the whole note (notes summarise a page range of a source report).
    """
    meta, body = split_front_matter(decode(data))
    title = meta.get("title") or _first_heading(body) or _stem(name)
    blocks = _without_title(markdown_blocks(body, _first_page(meta.get("pages"))), title)
    base = tuple(s for s in [meta.get("section", "").strip()] if s)
    blocks = [b.model_copy(update={"section": base + b.section}) for b in blocks]
    if not any(b.text.strip() for b in blocks):
        raise UnreadableDocument(name, "contains no text")
    return ParsedDocument(kind="markdown", title=title, blocks=blocks, front_matter=meta)


def load_text(data: bytes, name: str) -> ParsedDocument:
    """Plain text: paragraphs split on blank lines, no sections, title from the file name.

    The rules a typed bulletin draws around its headings are dropped (``without_rules``), and a
    table typed in columns under a rule of dashes is read one row per paragraph
    (``typed_table_rows``).

    A saved email is titled by its subject, and each other header line is its own paragraph:
    "From: … To: … Cc: … Subject: …" run together is never one sentence of an answer.
    """
    text = typed_table_rows(decode(data))
    paragraphs = [unwrap(p.strip()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    if not paragraphs:
        raise UnreadableDocument(name, "contains no text")
    header = _email_header(paragraphs[0])
    title = _stem(name)
    if header:
        title = header.get("subject") or title
        # the subject is the title now; who sent it, when and to whom stay facts of the text
        lines = [line.strip() for line in paragraphs[0].splitlines() if line.strip()]
        kept = [line for line in lines if not line.lower().startswith("subject")]
        paragraphs = kept + paragraphs[1:]
    blocks = [Block(text=without_rules("\n\n".join(paragraphs)))]
    return ParsedDocument(kind="text", title=title, blocks=blocks)


_HEADER_LINE = re.compile(r"^(from|sent|date|to|cc|bcc|subject|importance)\s*:\s*(.*)$", re.I)
MIN_HEADER_LINES = 3  # "From", "To" and "Subject" at least: not one labelled line of a note


def _email_header(paragraph: str) -> dict[str, str] | None:
    """The header fields of an email's first paragraph, or None when it is not one."""
    lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
    fields = [_HEADER_LINE.match(line) for line in lines]
    if len(lines) < MIN_HEADER_LINES or not all(fields):
        return None
    named = {m.group(1).lower(): m.group(2).strip() for m in fields if m}
    return named if "from" in named else None


def _stem(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return stem.replace("_", " ").replace("-", " ").strip() or base
