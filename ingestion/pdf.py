"""PDF loader: pdfminer.six page by page (reading order, font sizes), pypdf for safety checks.

pdfminer keeps two-column paragraphs in reading order where pypdf scrambles them, and gives font
sizes for heading detection; pypdf is fast at the checks that must come first: encryption, and
decompression limits (75 MB per stream) so a Flate bomb fails before pdfminer inflates it.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Any

from bot.common.errors import UnreadableDocument
from ingestion.boilerplate import Line, strip_boilerplate
from ingestion.document import Block, ParsedDocument
from ingestion.pdf_layout import blocks_from_lines
from ingestion.pdf_tables import cell_rects, merge_table_rows
from ingestion.text import clean

logger = logging.getLogger(__name__)
ENCRYPTED = "encrypted — supply an unencrypted copy"
DAMAGED = "damaged or incomplete PDF (it may have been truncated during download)"
NEEDS_OCR = "no extractable text — needs OCR (it looks scanned or image-only)"


def _check_with_pypdf(path: Path, name: str) -> tuple[int, str]:
    """Page count and metadata title; rejects encrypted, damaged and bomb PDFs early."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument(name, ENCRYPTED)
        for page in reader.pages:
            _touch_streams(page)
        metadata: Any = reader.metadata or {}
        title = str(metadata.get("/Title") or "").strip()
        return len(reader.pages), title
    except (DependencyError, FileNotDecryptedError) as exc:
        raise UnreadableDocument(name, ENCRYPTED) from exc
    except LimitReachedError as exc:
        raise UnreadableDocument(
            name, "contains a stream that unpacks to an unsafe size (possible compression bomb)"
        ) from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UnreadableDocument(name, DAMAGED) from exc


def _touch_streams(page: Any) -> None:
    """Decode the page's content and form XObjects so pypdf's size limits apply to them."""
    contents = page.get_contents()
    if contents is not None:
        contents.get_data()
    xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
    for ref in xobjects.values():
        obj = ref.get_object()
        if obj.get("/Subtype") == "/Form":
            obj.get_data()


def _page_lines(layout: Any) -> list[Line]:
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    lines: list[Line] = []
    for box_no, element in enumerate(layout):
        if not isinstance(element, LTTextContainer):
            continue
        for line in element:
            if not isinstance(line, LTTextLine):
                continue
            chars = [c for c in line if isinstance(c, LTChar)]
            text = " ".join(clean(line.get_text()).split())
            if not text or not chars:
                continue
            size = Counter(round(c.size * 2) / 2 for c in chars).most_common(1)[0][0]
            bold = all("bold" in c.fontname.lower() for c in chars if c.get_text().strip())
            lines.append(
                Line(
                    text=text,
                    size=size,
                    box=box_no,
                    bold=bold,
                    x0=line.x0,
                    top=line.y1,
                    bottom=line.y0,
                )
            )
    return merge_table_rows(lines, cell_rects(layout))


def _extract(path: Path, name: str) -> list[list[Line]]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        return [_page_lines(p) for p in extract_pages(str(path), password="", laparams=LAParams())]
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise UnreadableDocument(name, ENCRYPTED) from exc
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, EOFError) as exc:
        raise UnreadableDocument(name, DAMAGED) from exc


def _check_complete(path: Path, name: str) -> None:
    """A PDF ends with %%EOF; without it the file was cut short (pdfminer would half-read it)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - 1024))
        if b"%%EOF" not in handle.read():
            raise UnreadableDocument(name, DAMAGED)


def load_pdf(path: Path, name: str) -> ParsedDocument:
    """Text blocks with their page numbers and heading paths; boilerplate removed."""
    _check_complete(path, name)
    page_count, meta_title = _check_with_pypdf(path, name)
    pages = _extract(path, name)
    if sum(len(line.text) for page in pages for line in page) < 20:
        raise UnreadableDocument(name, NEEDS_OCR)
    blocks, first_heading = blocks_from_lines(strip_boilerplate(pages))
    title = meta_title or first_heading or Path(name).stem.replace("_", " ")
    blocks = [_drop_title(b, title) for b in blocks]
    logger.info("pdf parsed: %d pages, %d blocks", page_count, len(blocks))
    return ParsedDocument(kind="pdf", title=title, blocks=blocks, pages=page_count)


def _drop_title(block: Block, title: str) -> Block:
    if block.section[:1] == (title,):
        return block.model_copy(update={"section": block.section[1:]})
    return block
