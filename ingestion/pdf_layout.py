"""From PDF text lines to blocks: headings by font size and weight, paragraphs by layout.

PDFs carry no structure, only positioned glyphs. A line noticeably larger than the body text (the
most common size), or a short bold line standing alone, is a heading; distinct (size, bold) pairs
give heading levels. A paragraph ends where the vertical gap grows or the text jumps (to the next
column); a hyphen at a line end joins the word back together.
"""

from __future__ import annotations

from collections import Counter

from ingestion.boilerplate import Line
from ingestion.document import Block

HEADING_RATIO = 1.15
MAX_LEVELS = 3
PARAGRAPH_GAP = 0.7  # of the font size


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
