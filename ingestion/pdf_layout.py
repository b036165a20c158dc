"""From positioned PDF glyphs to text lines, and from lines to blocks with headings.

PDFs carry no structure, only positioned glyphs. A line noticeably larger than the body text (the
most common size), or a short bold line standing alone, is a heading; distinct (size, bold) pairs
give heading levels. A paragraph ends where the vertical gap grows or the text jumps (to the next
column); a hyphen at a line end joins the word back together.

Real-world glyphs need repair before they are text: glyphs without a Unicode mapping come out of
pdfminer as ``(cid:N)`` noise, ligatures and Arabic presentation forms are compatibility
characters that search does not match, some producers write right-to-left scripts in visual
(left-to-right) order, which reads backwards, and some paint each glyph twice (fake bold).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from ingestion.boilerplate import Line
from ingestion.document import Block
from ingestion.pdf_tables import cell_rects, merge_aligned_rows, merge_table_rows
from ingestion.text import clean

HEADING_RATIO = 1.15
MAX_LEVELS = 3
PARAGRAPH_GAP = 0.7  # of the font size
PLAIN_SIZE = 10.0  # font size given to lines whose size is unknown (pypdf's plain text)

_UNMAPPED = re.compile(r"\(cid:\d+\)")
# Alphabetic presentation forms (ﬁ, ﬂ) and Arabic presentation forms A and B.
_COMPATIBILITY = re.compile("[\ufb00-\ufdff\ufe70-\ufeff]")
_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
_RTL_CHAR = re.compile(f"[{_RTL}]")
_LTR_RUN = re.compile(f"[^\\s{_RTL}]+(?:\\s+[^\\s{_RTL}]+)*")


@dataclass
class PageText:
    """One page's text lines, and what else the page tells about its text.

    ``unmapped`` counts glyphs without a Unicode mapping (dropped); ``pictured`` says whether an
    image or a filled shape covers a quarter of the page or more (where a scan would be).
    """

    lines: list[Line] = field(default_factory=list)
    unmapped: int = 0
    pictured: bool = False


def page_text(layout: Any) -> PageText:
    """Text lines of a pdfminer page layout, with bordered table rows merged into one line each."""
    from pdfminer.layout import LTChar, LTTextLine

    page = PageText()
    for box_no, (element, in_figure) in enumerate(_text_boxes(layout)):
        for line in element:
            if not isinstance(line, LTTextLine):
                continue
            repeats = _overprinted(line)
            glyphs = [item for item in line if id(item) not in repeats]
            chars = [
                c for c in glyphs if isinstance(c, LTChar) and not _UNMAPPED.fullmatch(c.get_text())
            ]
            page.unmapped += sum(1 for c in glyphs if isinstance(c, LTChar)) - len(chars)
            text = _line_text("".join(item.get_text() for item in glyphs), chars)
            if text and chars and not (in_figure and _letterless(text)):
                page.lines.append(_line(text, chars, box_no, line))
    page.lines = merge_aligned_rows(merge_table_rows(page.lines, cell_rects(layout)))
    page.pictured = _pictured(layout, float(layout.width * layout.height) / 4)
    return page


def _pictured(container: Any, quarter: float) -> bool:
    """Whether an image or a filled shape at least ``quarter`` in area lies in ``container``."""
    from pdfminer.layout import LTContainer, LTCurve, LTImage

    for item in container:
        if isinstance(item, LTImage | LTCurve) and item.width * item.height >= quarter:
            if isinstance(item, LTImage) or item.fill:
                return True
        if isinstance(item, LTContainer) and _pictured(item, quarter):
            return True
    return False


def _text_boxes(container: Any, in_figure: bool = False) -> Iterator[tuple[Any, bool]]:
    """Text boxes in reading order, each with whether it sits inside a figure (form XObject).

    Some producers put all of a page's text in a form XObject (imported or stamped pages);
    pdfminer reports it inside an ``LTFigure`` (laid out with ``LAParams(all_texts=True)``).
    """
    from pdfminer.layout import LTFigure, LTTextContainer

    for element in container:
        if isinstance(element, LTFigure):
            yield from _text_boxes(element, in_figure=True)
        elif isinstance(element, LTTextContainer):
            yield element, in_figure


def _overprinted(line: Any) -> set[int]:
    """Ids of glyphs drawn again on top of the same glyph just before them.

    Some producers fake bold or outline type by painting each glyph twice at one spot (filled,
    then stroked); pdfminer keeps both, so "Data Sheet" reads "DDaattaa SShheeeett", in the
    title too. A repeat starts less than half a glyph from its twin: doubled letters ("ll") stand
    a whole glyph apart.
    """
    from pdfminer.layout import LTChar

    repeats: set[int] = set()
    previous: Any = None
    for glyph in line:
        if not isinstance(glyph, LTChar):
            continue
        if (
            previous is not None
            and glyph.get_text() == previous.get_text()
            and abs(glyph.x0 - previous.x0) < previous.width / 2
            and abs(glyph.y0 - previous.y0) < previous.height / 2
        ):
            repeats.add(id(glyph))
            continue
        previous = glyph
    return repeats


def _letterless(text: str) -> bool:
    """No letter in any script: in a figure, that is an axis tick or data label, not prose.

    Chart labels such as "4 2 4 2 2 4 2 4 6 8" add nothing to search and can even look like an
    NHS number to the patient-data screen.
    """
    return not any(ch.isalpha() for ch in text)


def _line(text: str, chars: list[Any], box: int, line: Any) -> Line:
    size = Counter(round(c.size * 2) / 2 for c in chars).most_common(1)[0][0]
    bold = all("bold" in _font_name(c).lower() for c in chars if c.get_text().strip())
    return Line(
        text=text,
        size=size,
        box=box,
        bold=bold,
        x0=line.x0,
        top=line.y1,
        bottom=line.y0,
        x1=line.x1,
    )


def _font_name(char: Any) -> str:
    """The font name as text: pdfminer gives undecodable (often CJK) names as bytes."""
    name = char.fontname
    return name.decode("latin-1") if isinstance(name, bytes) else str(name)


def _line_text(raw: str, chars: list[Any]) -> str:
    """The line's text without unmapped glyphs, in logical order, compatibility forms folded."""
    text = _UNMAPPED.sub("", raw)
    if _visual_rtl(chars):
        text = _to_logical(text.strip("\n"))
    return normalise(text)


def normalise(text: str) -> str:
    """Clean text with ligatures and presentation forms folded to plain letters, one-spaced.

    Only the presentation-form blocks are folded (not full NFKC), so "km²" and "½" stay as printed.
    """
    text = _COMPATIBILITY.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return " ".join(clean(text).split())


def _visual_rtl(chars: list[Any]) -> bool:
    """Right-to-left glyphs laid out left to right in stream order: stored in visual order."""
    rtl = [c for c in chars if _RTL_CHAR.search(c.get_text())]
    letters = sum(1 for c in chars if c.get_text().strip())
    if len(rtl) < 2 or 2 * len(rtl) < letters:
        return False
    return sum(1 if b.x0 > a.x0 else -1 for a, b in pairwise(rtl)) > 0


def _to_logical(text: str) -> str:
    """Reverse a visual-order line, keeping embedded left-to-right runs (digits, Latin) as is."""
    return _LTR_RUN.sub(lambda m: m.group()[::-1], text[::-1])


def plain_text_lines(text: str) -> list[Line]:
    """Lines of plain page text (no positions or sizes), one paragraph per blank-line gap."""
    lines: list[Line] = []
    top = 10_000.0
    for raw in text.splitlines():
        top -= PLAIN_SIZE * 1.2
        clean_text = normalise(raw)
        if not clean_text:
            top -= PLAIN_SIZE * 2  # a blank line starts a new paragraph
            continue
        lines.append(
            Line(text=clean_text, size=PLAIN_SIZE, box=0, top=top, bottom=top - PLAIN_SIZE)
        )
    return lines


def body_size(pages: list[list[Line]]) -> float:
    """The font size carrying the most characters."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _headings(page: list[Line], body: float) -> set[int]:
    """Indexes of the lines on ``page`` that look like headings."""
    per_box = Counter(line.box for line in page)
    found = set()
    for i, line in enumerate(page):
        words = line.text.split()
        if body <= 0 or not 0 < len(words) <= 20 or not any(c.isalpha() for c in line.text):
            continue
        larger = line.size >= body * HEADING_RATIO
        bold_alone = (
            line.bold
            and per_box[line.box] == 1
            and line.size >= body
            and len(words) <= 12
            and not line.text.endswith((".", ":", ","))
        )
        if larger or bold_alone:
            found.add(i)
    return found


def _join(lines: list[str]) -> str:
    text = ""
    for line in lines:
        if text.endswith("-") and line[:1].islower():
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return text


def _new_paragraph(previous: Line | None, line: Line) -> bool:
    if previous is None:
        return False
    if line.box < 0 or previous.box < 0:  # table rows stand alone
        return True
    gap = previous.bottom - line.top
    close = -1.0 <= gap <= PARAGRAPH_GAP * line.size
    return not (close and abs(line.x0 - previous.x0) < 3 * line.size)


class _Builder:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.stack: list[tuple[int, str]] = []
        self.paragraphs: list[str] = []
        self.lines: list[str] = []
        self.page = 0
        self.first: str | None = None

    def end_paragraph(self) -> None:
        if self.lines:
            self.paragraphs.append(_join(self.lines))
            self.lines = []

    def end_block(self) -> None:
        self.end_paragraph()
        if self.paragraphs:
            section = tuple(text for _, text in self.stack)
            self.blocks.append(
                Block(text="\n\n".join(self.paragraphs), section=section, page=self.page)
            )
            self.paragraphs = []

    def heading(self, level: int, text: str, continues: bool) -> None:
        if continues and self.stack and self.stack[-1][0] == level:
            merged = f"{self.stack[-1][1]} {text}"
            if self.first == self.stack[-1][1]:
                self.first = merged
            self.stack[-1] = (level, merged)
            return
        self.end_block()
        self.stack = [entry for entry in self.stack if entry[0] < level] + [(level, text)]
        self.first = self.first or text


def blocks_from_lines(pages: list[list[Line]]) -> tuple[list[Block], str | None]:
    """Blocks (one page and section each) and the first heading seen (a title candidate)."""
    body = body_size(pages)
    marks = [_headings(page, body) for page in pages]
    if all(len(m) == len(p) for p, m in zip(pages, marks, strict=True)):
        marks = [set() for _ in pages]  # only headline-like lines (a notice, a slide): all text
    styles = sorted(
        {(p[i].size, p[i].bold) for p, m in zip(pages, marks, strict=True) for i in m}, reverse=True
    )
    levels = {style: min(n + 1, MAX_LEVELS) for n, style in enumerate(styles)}
    out = _Builder()
    for page_no, (page, heads) in enumerate(zip(pages, marks, strict=True), start=1):
        out.end_block()
        out.page = page_no
        for i, line in enumerate(page):
            previous = page[i - 1] if i else None
            if i in heads:
                continues = (
                    i - 1 in heads
                    and previous is not None
                    and previous.box == line.box
                    and previous.size == line.size
                )
                out.heading(levels[(line.size, line.bold)], line.text, continues)
                continue
            if _new_paragraph(previous, line):
                out.end_paragraph()
            out.lines.append(line.text)
    out.end_block()
    return out.blocks, out.first
