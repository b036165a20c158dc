"""PDF loader: pypdf for the safety checks, pdfminer.six for the text, each covering the other.

pdfminer keeps two-column paragraphs in reading order where pypdf scrambles them, and gives font
sizes for heading detection; pypdf is fast at the checks that must come first: encryption, and
decompression limits (75 MB per stream) so a Flate bomb fails before pdfminer inflates it.

Real-world PDFs are often slightly broken, and the two parsers tolerate different damage: pypdf
rejects some datasheets whose cross-reference table or /Info metadata is corrupt that pdfminer
reads fine, and pdfminer finds no pages in some incrementally saved forms that pypdf reads. So a
PDF is only called damaged when neither can read it. Where pypdf cannot walk the page tree, a
bounded scan of the raw Flate streams keeps the bomb check in place.
"""

from __future__ import annotations

import io
import logging
import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.common.errors import UnreadableDocument
from ingestion.boilerplate import Line, strip_boilerplate
from ingestion.document import Block, ParsedDocument
from ingestion.pdf_layout import PageText, blocks_from_lines, page_text, plain_text_lines

logger = logging.getLogger(__name__)
ENCRYPTED = "encrypted — supply an unencrypted copy"
DAMAGED = "damaged or incomplete PDF (it may have been truncated during download)"
NEEDS_OCR = "no extractable text — needs OCR (it looks scanned or image-only)"
UNMAPPED = "no extractable text — its fonts have no character map, so it needs OCR"
ONLY_FURNITURE = (
    "no text apart from running headers, footers or page numbers — needs OCR "
    "(it looks scanned or image-only)"
)
BOMB = "contains a stream that unpacks to an unsafe size (possible compression bomb)"
OVER_LIMITS = (
    "its structure goes beyond safe limits (too many objects declared, or nested too deeply), "
    "so it was not read; it may be damaged or deliberately malformed"
)
STREAM_LIMIT = 75_000_000  # bytes per inflated stream: pypdf's default zlib output limit
_EOF = b"%%EOF"
# PDF syntax after the last %%EOF means an update or a linearized body was cut off mid-way.
_MORE_PDF = re.compile(rb"\d+\s+\d+\s+obj\b|\bendobj\b|\bendstream\b|\bxref\b")
_ENDS_WITH_STARTXREF = re.compile(rb"\bstartxref\s*\d*\s*$")
_STREAM_START = re.compile(rb"(?<!end)stream\r?\n")
_PLACEHOLDER_TITLE = re.compile(r"untitled(?:[\s_-]*(?:document|\d+))?|no title|title", re.I)


@dataclass
class PypdfCheck:
    """What pypdf learnt: ``reader`` is None when it could not walk the page tree."""

    reader: Any = None
    pages: int | None = None
    title: str = ""
    streams_checked: bool = False


def load_pdf(path: Path, name: str) -> ParsedDocument:
    """Text blocks with their page numbers and heading paths; boilerplate removed."""
    data = _complete_pdf(path.read_bytes(), name)
    check = _check_with_pypdf(data, name)
    if not check.streams_checked:
        _check_raw_streams(data, name)
    pages, scanned = _text_pages(data, check, name)
    blocks, first_heading = _blocks(pages, scanned)
    if not any(block.text.strip() for block in blocks):
        raise UnreadableDocument(name, ONLY_FURNITURE)
    title = check.title or first_heading or Path(name).stem.replace("_", " ")
    blocks = [_drop_title(b, title) for b in blocks]
    page_count = check.pages or len(pages)
    logger.info("pdf parsed: %d pages, %d blocks", page_count, len(blocks))
    return ParsedDocument(kind="pdf", title=title, blocks=blocks, pages=page_count)


def _blocks(pages: list[list[Line]], scanned: bool) -> tuple[list[Block], str | None]:
    """Blocks without page furniture; with it when it is all the text of a PDF with no scans.

    A running header repeats above a body. When every line repeats on every page and no page
    looks scanned, that text is the document (a notice on each page, copies of one page), not a
    stamp on scanned pages.
    """
    blocks, first_heading = blocks_from_lines(strip_boilerplate(pages))
    if scanned or any(block.text.strip() for block in blocks):
        return blocks, first_heading
    return blocks_from_lines(pages)


# -- completeness -----------------------------------------------------------------------------
def _complete_pdf(data: bytes, name: str) -> bytes:
    """The PDF up to its last %%EOF; DAMAGED when the file was cut short.

    A PDF ends with %%EOF, but real files often carry bytes after it (zero padding, a web server's
    error page, a signature block): those are dropped so neither parser trips on them. A file
    without %%EOF is accepted only if it ends with its ``startxref`` clause (some producers omit
    the marker or the offset); otherwise it was truncated and pdfminer would half-read it.
    """
    end = data.rfind(_EOF)
    if end < 0:
        if _ENDS_WITH_STARTXREF.search(data[-64:]):
            return data
        raise UnreadableDocument(name, DAMAGED)
    if _MORE_PDF.search(data, end + len(_EOF)):
        raise UnreadableDocument(name, DAMAGED)
    return data[: end + len(_EOF)] + b"\n"


# -- pypdf: encryption and decompression limits -----------------------------------------------
def _check_with_pypdf(data: bytes, name: str) -> PypdfCheck:
    """Reject encrypted PDFs and decompression bombs; page count and title when pypdf can tell.

    Structural errors are not fatal here: pdfminer gets its chance, after a raw stream scan.
    """
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        _open_encrypted(reader, name)
        pages = list(reader.pages)
        checked = all([_touch_streams(page) for page in pages])
    except LimitReachedError as exc:
        raise UnreadableDocument(name, _limit_reason(exc)) from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        logger.info("pypdf cannot read the structure (%s); trying pdfminer", type(exc).__name__)
        return PypdfCheck()
    return PypdfCheck(reader, len(pages), _metadata_title(reader), checked)


def _limit_reason(exc: Exception) -> str:
    """The reason for a pypdf LimitReachedError: a compression bomb, or a structure over limits.

    pypdf raises the same error for inflating too much and for structural limits (a huge
    declared /Size, a too-deep page tree); only the first is a compression bomb.
    """
    return BOMB if "decompress" in str(exc).lower() else OVER_LIMITS


def _open_encrypted(reader: Any, name: str) -> None:
    """Decrypt with the empty user password (anyone can open such a file), else ENCRYPTED."""
    from pypdf.errors import DependencyError, PdfReadError

    if not reader.is_encrypted:
        return
    try:
        opened = reader.decrypt("")
    except (DependencyError, PdfReadError, NotImplementedError, ValueError, KeyError) as exc:
        raise UnreadableDocument(name, ENCRYPTED) from exc
    if not opened:
        raise UnreadableDocument(name, ENCRYPTED)


def _touch_streams(page: Any) -> bool:
    """Decode the page's content and form XObjects so pypdf's size limits apply to them.

    Returns False when a stream could not be decoded (a filter pypdf lacks, such as JBIG2
    without jbig2dec, or a broken stream): the raw scan then covers what pypdf could not.
    """
    streams = [_resolve(ref) for ref in _as_list(page.get("/Contents"))]
    xobjects = _resolve((_resolve(page.get("/Resources")) or {}).get("/XObject")) or {}
    streams += [obj for obj in (_resolve(ref) for ref in xobjects.values()) if _is_form(obj)]
    return all([_decode(stream) for stream in streams if stream is not None])


def _decode(stream: Any) -> bool:
    """Whether pypdf decoded ``stream`` within its limits (LimitReachedError propagates)."""
    from pypdf.errors import DependencyError, LimitReachedError, PdfReadError

    if not hasattr(stream, "get_data"):
        return True  # not a stream: nothing to inflate
    try:
        stream.get_data()
    except LimitReachedError:
        raise
    except (DependencyError, PdfReadError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return True


def _resolve(obj: Any) -> Any:
    return obj.get_object() if obj is not None and hasattr(obj, "get_object") else obj


def _as_list(obj: Any) -> list[Any]:
    obj = _resolve(obj)
    if obj is None:
        return []
    return list(obj) if isinstance(obj, list) else [obj]


def _is_form(obj: Any) -> bool:
    return hasattr(obj, "get_data") and obj.get("/Subtype") == "/Form"


def _metadata_title(reader: Any) -> str:
    """The /Info title, or "" when it is missing, unreadable (never fatal) or a placeholder.

    Producers fill in placeholders nobody chose (ReportLab writes "untitled"); citing a document
    by one helps no reader, so the first heading or the file name is used instead.
    """
    try:
        metadata: Any = reader.metadata or {}
        title = str(metadata.get("/Title") or "").strip()
    except Exception:  # noqa: BLE001 - broken metadata must not cost the document
        return ""
    return "" if _PLACEHOLDER_TITLE.fullmatch(title) else title


def _check_raw_streams(data: bytes, name: str) -> None:
    """Bounded inflation of every Flate stream found in the raw bytes, for files pypdf cannot walk.

    Without this, a bomb in a PDF whose page tree pypdf rejects would reach pdfminer, which
    inflates without a limit (the child's memory limit would still stop it, later and slower).
    """
    for match in _STREAM_START.finditer(data):
        end = data.find(b"endstream", match.end())
        body = data[match.end() : end if end >= 0 else len(data)]
        if _inflates_past_limit(body, depth=2):
            raise UnreadableDocument(name, BOMB)


def _inflates_past_limit(body: bytes, depth: int) -> bool:
    """Whether ``body`` (or a zlib stream nested in it) inflates to STREAM_LIMIT bytes or more."""
    try:
        inflated = zlib.decompressobj().decompress(body, STREAM_LIMIT)
    except zlib.error:
        return False
    if len(inflated) >= STREAM_LIMIT:
        return True
    return depth > 1 and inflated[:1] == b"x" and _inflates_past_limit(inflated, depth - 1)


# -- text ---------------------------------------------------------------------------------------
def _text_pages(data: bytes, check: PypdfCheck, name: str) -> tuple[list[list[Line]], bool]:
    """Text lines per page, and whether a page may be scanned (unknown without pdfminer's pages).

    pdfminer first, pypdf's text where pdfminer fails or finds none.
    """
    mined = _pdfminer_pages(data, name)
    if mined is not None and _has_words(page.lines for page in mined):
        return [page.lines for page in mined], any(page.pictured for page in mined)
    if mined is not None and any(page.unmapped for page in mined):
        raise UnreadableDocument(name, UNMAPPED)  # pypdf would only guess: noise, not text
    fallback = _pypdf_pages(check.reader, name) if check.reader is not None else None
    if fallback is not None and _has_words(fallback):
        return fallback, not mined or any(page.pictured for page in mined)
    if mined is None or check.reader is None:
        raise UnreadableDocument(name, DAMAGED)
    raise UnreadableDocument(name, NEEDS_OCR)


def _has_words(pages: Iterable[list[Line]]) -> bool:
    """Any letter or digit, in any script: a few words are text, not a scan."""
    return any(ch.isalnum() for page in pages for line in page for ch in line.text)


def _pdfminer_pages(data: bytes, name: str) -> list[PageText] | None:
    """Text lines per page read by pdfminer; None when pdfminer cannot parse the file.

    Only pdfminer's own parsing is guarded, so a bug in our line building is not mistaken for a
    damaged file.
    """
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfminer.psparser import PSException

    layouts = _upright_layouts(data)
    pages: list[PageText] = []
    while True:
        try:
            layout = next(layouts)
        except StopIteration:
            return pages
        except PDFEncryptionError as exc:
            raise UnreadableDocument(name, ENCRYPTED) from exc
        except (PSException, ValueError, KeyError, TypeError, EOFError, IndexError) as exc:
            logger.info("pdfminer cannot read the file (%s)", type(exc).__name__)
            return None
        pages.append(page_text(layout))


def _upright_layouts(data: bytes) -> Iterator[Any]:
    """Page layouts as pdfminer's ``extract_pages`` gives them, each turned to stand text upright.

    /Rotate says how to turn a page for display. Usually that stands its text up, but pages
    turned by a tool (pypdf's ``rotate``, a viewer's "rotate and save") lay upright text on its
    side, and pdfminer then reads every word as a column of one-letter lines ("h a b b i i").
    A page whose glyphs mostly run another way than left to right is laid out once more, turned
    by that much.
    """
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=LAParams(all_texts=True))  # form XObjects too
    interpreter = PDFPageInterpreter(manager, device)
    for page in PDFPage.get_pages(io.BytesIO(data), password=""):
        interpreter.process_page(page)
        layout = device.get_result()
        turn = _text_turn(layout)
        if turn:
            own, page.rotate = page.rotate, (page.rotate + turn) % 360
            interpreter.process_page(page)
            layout = device.get_result()
            page.rotate = own
        yield layout


def _text_turn(layout: Any) -> int:
    """The quarter turn (clockwise, in degrees) that most of the page's glyphs need to stand up.

    0 when most already read left to right, or the page has no glyphs.
    """
    from pdfminer.layout import LTChar, LTContainer

    def glyphs(container: Any) -> Iterator[Any]:
        for item in container:
            if isinstance(item, LTChar):
                yield item
            elif isinstance(item, LTContainer):
                yield from glyphs(item)

    turns = Counter(
        round(math.degrees(math.atan2(glyph.matrix[1], glyph.matrix[0])) / 90) * 90 % 360
        for glyph in glyphs(layout)
    )
    return turns.most_common(1)[0][0] if turns else 0


def _pypdf_pages(reader: Any, name: str) -> list[list[Line]] | None:
    """Plain text per page read by pypdf (no sizes or columns); None when extraction fails."""
    from pypdf.errors import LimitReachedError, PdfReadError

    try:
        return [plain_text_lines(page.extract_text() or "") for page in reader.pages]
    except LimitReachedError as exc:
        raise UnreadableDocument(name, _limit_reason(exc)) from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        logger.info("pypdf cannot extract text (%s)", type(exc).__name__)
        return None


def _drop_title(block: Block, title: str) -> Block:
    if block.section[:1] == (title,):
        return block.model_copy(update={"section": block.section[1:]})
    return block
