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
from ingestion.text import (
    aligned_table_rows,
    decode,
    is_rule,
    typed_table_rows,
    unwrap,
    without_rules,
)

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
    "From: … To: … Cc: … Subject: …" run together is never one sentence of an answer. In a
    thread, each reply's header is read so too, its quoted replies lose their "> " marks, and
    the repeated subject and the confidentiality footer are dropped (``_thread_paragraphs``).
    A first line that only names the document titles it.
    """
    text = aligned_table_rows(typed_table_rows(_unquoted(decode(data))))
    paragraphs = [unwrap(p.strip()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    if not paragraphs:
        raise UnreadableDocument(name, "contains no text")
    headers = [_email_header(p) for p in paragraphs]
    subjects = [h["subject"] for h in headers if h and h.get("subject")]
    title = _stem(name)
    if _SUBJECT_LINE.match(paragraphs[0]) and not subjects:
        # a thread saved with its subject on the first line and no full header under it
        subjects = [_SUBJECT_LINE.sub("", paragraphs[0].split("\n")[0], count=1).strip()]
    if headers[0] or (subjects and _SUBJECT_LINE.match(paragraphs[0])):
        title = _REPLY_PREFIX.sub("", subjects[0]) or title if subjects else title
    elif _names_the_document(paragraphs[0]) and len(paragraphs) > MIN_TITLED_PARAGRAPHS:
        # "Falls Prevention Pilot Update: Strength and Balance Classes in Care Homes" over the
        # text names it better than its file name, and read as a sentence it led answers
        title, paragraphs, headers = paragraphs[0].strip(), paragraphs[1:], headers[1:]
    if subjects:
        paragraphs = _thread_paragraphs(paragraphs, headers, title)
    blocks = [Block(text=without_rules("\n\n".join(paragraphs)))]
    return ParsedDocument(kind="text", title=title, blocks=blocks)


MIN_TITLED_PARAGRAPHS = 2
TITLE_WORDS = (2, 16)


def _names_the_document(paragraph: str) -> bool:
    """A first line that names the document: 2 to 16 words on one line, no sentence, no label."""
    line = paragraph.strip()
    return (
        "\n" not in line
        and TITLE_WORDS[0] <= len(line.split()) <= TITLE_WORDS[1]
        and not line.endswith((".", ":", ";", ",", "!", "?"))
        and not re.match(r"^\w+\s*:", line)  # "Present: …", "From: …"
    )


# the "> " an email client puts before each line of the message it replies to
_QUOTE_MARK = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE)
_REPLY_PREFIX = re.compile(r"^(?:(?:re|fw|fwd)\s*:\s*)+", re.IGNORECASE)
_SUBJECT_LINE = re.compile(r"^\s*subject\s*:", re.IGNORECASE)
# the footer NHSmail and trusts add to every message: never an answer
_DISCLAIMER = re.compile(
    r"^(?:this (?:e-?mail|message)\b[^.]{0,80}\b(?:may contain|is confidential|is intended|"
    r"and any (?:files|attachments))|nhsmail is the secure email)",
    re.IGNORECASE,
)


def _unquoted(text: str) -> str:
    """An email thread's quoted replies read as text: "> Oct 412 referrals" as "Oct 412 …"."""
    lines = text.split("\n")
    if sum(1 for line in lines if line.lstrip().startswith(">")) < 2:
        return text  # one "> 5" in a note is a figure, not a quotation
    return _QUOTE_MARK.sub("", text)


def _thread_paragraphs(
    paragraphs: list[str], headers: list[dict[str, str] | None], title: str
) -> list[str]:
    """An email thread's paragraphs, each header line on its own and the repeated subject dropped.

    The subject is the title. Repeated over every reply ("Subject: RE: FW: DMS referrals …"), it
    shares each question's words and led answers with nothing in it; who sent a reply and when
    stay facts of the text, one line each, not "From: … Sent: … To: …" run into one sentence.
    """
    out: list[str] = []
    for paragraph, header in zip(paragraphs, headers, strict=True):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        lines = [line for line in lines if not _between_messages(line)]
        if lines and _DISCLAIMER.match(lines[0]):
            continue
        if header is None and not (_SUBJECT_LINE.match(paragraph) and title in paragraph):
            out.append(paragraph)
            continue
        out.extend(kept for kept in (_beyond_subject(line, title) for line in lines) if kept)
    return out


def _beyond_subject(line: str, title: str) -> str:
    """``line`` less the thread's subject ("Subject: RE: <title> Saved from …" keeps the end)."""
    if not _SUBJECT_LINE.match(line):
        return line
    subject = _REPLY_PREFIX.sub("", _SUBJECT_LINE.sub("", line, count=1).strip())
    return subject[len(title) :].strip() if subject.startswith(title) else line


# the rule Outlook puts between the messages of a thread
_ORIGINAL_MESSAGE = re.compile(r"^[-=_~*]{3,}\s*original message\s*[-=_~*]{3,}$", re.IGNORECASE)


def _between_messages(line: str) -> bool:
    return is_rule(line) or bool(_ORIGINAL_MESSAGE.match(line))


_HEADER_LINE = re.compile(r"^(from|sent|date|to|cc|bcc|subject|importance)\s*:\s*(.*)$", re.I)
MIN_HEADER_LINES = 3  # "From", "To" and "Subject" at least: not one labelled line of a note


def _email_header(paragraph: str) -> dict[str, str] | None:
    """The header fields of an email's paragraph (a rule above it aside), or None if not one."""
    lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
    lines = [line for line in lines if not _between_messages(line)]
    fields = [_HEADER_LINE.match(line) for line in lines]
    if len(lines) < MIN_HEADER_LINES or not all(fields):
        return None
    named = {m.group(1).lower(): m.group(2).strip() for m in fields if m}
    return named if "from" in named else None


def _stem(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return stem.replace("_", " ").replace("-", " ").strip() or base
