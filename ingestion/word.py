"""Word (.docx) loader: zip-bomb and XXE checks first, then python-docx in document order.

A .docx is a zip of XML parts. We check the zip's own directory (entry count, declared sizes,
compression ratios, a ``word/document.xml`` part) before inflating anything, then stream each XML
part with a hard cap and refuse DOCTYPE/ENTITY declarations, which Word never writes and which
carry XXE and "billion laughs". All of it runs in the sandboxed parsing child (``load_docx`` is
only called there): the bot's own process never opens the zip, not even its directory.
Heading styles become section paths; tables become "a | b | c" rows; hidden runs are dropped.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from bot.common.errors import UnreadableDocument
from ingestion.document import Block, ParsedDocument
from ingestion.text import clean

MAX_ENTRIES = 2000
MAX_TOTAL_BYTES = 300 * 1024 * 1024
MAX_PART_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
BOMB = "unpacks to an unsafe size (possible zip bomb)"
NOT_WORD = "unsupported type (a zip archive that is not a Word document)"
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_HEADING = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    out = bytearray()
    with archive.open(info) as part:
        while block := part.read(1 << 20):
            out += block
            if len(out) > MAX_PART_BYTES:
                raise UnreadableDocument(name, BOMB)
    return bytes(out)


def check_package(path: Path, name: str) -> None:
    """Reject zip bombs and XML with DTDs before python-docx sees the file."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
                raise UnreadableDocument(name, BOMB)
            if not any(i.filename == "word/document.xml" for i in infos):
                raise UnreadableDocument(name, NOT_WORD)
            for info in infos:
                if info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(
                    1, info.compress_size
                ):
                    raise UnreadableDocument(name, BOMB)
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and _DTD.search(
                    _read_capped(archive, info, name)
                ):
                    raise UnreadableDocument(
                        name, "contains XML entity declarations, which Word never writes: refused"
                    )
    except UnreadableDocument:
        raise
    except Exception as exc:  # noqa: BLE001 - BadZipFile, zlib.error, EOFError from a bad member
        raise UnreadableDocument(name, "damaged or incomplete Word document") from exc


def _visible_text(paragraph: Any) -> str:
    """Paragraph text without hidden (vanish) or white runs, which readers never see."""
    from docx.shared import RGBColor
    from docx.text.run import Run

    parts = []
    for item in paragraph.iter_inner_content():
        runs = [item] if isinstance(item, Run) else list(item.runs)
        for run in runs:
            color = run.font.color.rgb if run.font.color and run.font.color.type else None
            if run.font.hidden or color == RGBColor(0xFF, 0xFF, 0xFF):
                continue
            parts.append(run.text)
    return clean("".join(parts)).strip()


def _table_rows(table: Any) -> list[str]:
    """Each row as "a | b | c", an empty cell kept empty so every value stays in its column.

    A header row over a column of row labels often starts empty ("| Linden Unit | Rowan
    Suite"); a cell merged across columns is one cell, listed once.
    """
    rows = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue  # a merged cell is returned once per column it spans
            seen.add(id(cell._tc))
            cells.append(" ".join(clean(cell.text).split()))
        if any(cells):
            rows.append(" | ".join(cells).strip())
    return rows


def _level(paragraph: Any) -> int | None:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style.lower() == "title":
        return 0
    match = _HEADING.match(style)
    return int(match.group(1)) if match else None


def _is_list_item(paragraph: Any) -> bool:
    """A bullet or numbered paragraph: a "List …" style, or numbering set on the paragraph."""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    properties = paragraph._p.pPr
    return style.lower().startswith("list") or (
        properties is not None and properties.numPr is not None
    )


def load_docx(path: Path, name: str) -> ParsedDocument:
    """Blocks under heading paths, in document order (paragraphs and tables interleaved)."""
    import docx
    from docx.table import Table

    check_package(path, name)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types on bad input
        raise UnreadableDocument(name, "damaged or incomplete Word document") from exc
    title = clean(document.core_properties.title or "").strip()
    stack: list[tuple[int, str]] = []
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            texts = _table_rows(item)
        else:
            text = _visible_text(item)
            level = _level(item)
            if level is not None and text:
                title = title or text if level <= 1 else title
                if level > 0:
                    stack = [s for s in stack if s[0] < level] + [(level, text)]
                continue
            # a bullet keeps its mark, as in Markdown: a list is read with the line announcing it
            texts = [f"- {text}" if _is_list_item(item) else text] if text else []
        section = tuple(t for _, t in stack)
        blocks.extend(Block(text=t, section=section) for t in texts)
    title = title or Path(name).stem.replace("_", " ")
    blocks = [
        b.model_copy(update={"section": b.section[1:]}) if b.section[:1] == (title,) else b
        for b in blocks
    ]
    return ParsedDocument(kind="docx", title=title, blocks=blocks)
