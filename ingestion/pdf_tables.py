"""Rebuild table rows in PDFs that draw cell borders, so a row reads "a | b | c".

pdfminer groups table cells into column-wise boxes, which reads a table down its columns and
separates each value from its row label. Where cells are drawn as rectangles (the usual way
report tools draw tables) we know each cell's row and column exactly.
"""

from __future__ import annotations

from typing import Any

from ingestion.boilerplate import Line

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1


def cell_rects(layout: Any) -> list[Rect]:
    """Rectangles that could be table cells: not hairlines, not the whole page."""
    from pdfminer.layout import LTRect

    page_w = float(layout.width)
    rects = []
    for element in layout:
        if isinstance(element, LTRect):
            x0, y0, x1, y1 = element.bbox
            if 6 < (y1 - y0) < 200 and 10 < (x1 - x0) < page_w * 0.95:
                rects.append((float(x0), float(y0), float(x1), float(y1)))
    return rects


def _cell_of(line: Line, rects: list[Rect]) -> Rect | None:
    cx, cy = line.x0 + 1, (line.top + line.bottom) / 2
    inside = [r for r in rects if r[0] <= cx <= r[2] and r[1] <= cy <= r[3]]
    return min(inside, key=lambda r: (r[2] - r[0]) * (r[3] - r[1])) if inside else None


def merge_table_rows(lines: list[Line], rects: list[Rect]) -> list[Line]:
    """Lines with the cells of each bordered table row merged into one "a | b | c" line.

    A "row" of one cell is a framed box, not a table: a chart's plot area or a callout. Its lines
    stay as they are, so a chart's scattered tick labels never become one line of digits
    ("4 2 4 2 2 4 2 4 6 8", which passes the NHS number checksum).
    """
    if not rects:
        return lines
    rows: dict[int, list[tuple[Rect, Line]]] = {}
    first_at: dict[int, int] = {}
    out: list[Line | int] = []
    for i, line in enumerate(lines):
        cell = _cell_of(line, rects)
        if cell is None:
            out.append(line)
            continue
        key = round(cell[1])
        rows.setdefault(key, []).append((cell, line))
        if key not in first_at:
            first_at[key] = i
            out.append(key)
    merged: list[Line] = []
    for item in out:
        if isinstance(item, Line):
            merged.append(item)
            continue
        cells: dict[Rect, list[str]] = {}
        for cell, line in rows[item]:
            cells.setdefault(cell, []).append(line.text)
        if len(cells) == 1:
            merged.extend(line for _, line in rows[item])
            continue
        text = " | ".join(" ".join(parts) for _, parts in sorted(cells.items()))
        first = rows[item][0][1]
        merged.append(
            Line(
                text=text,
                size=first.size,
                box=-1 - item,
                x0=first.x0,
                top=10_000.0,
                bottom=10_000.0,
            )
        )
    return merged
