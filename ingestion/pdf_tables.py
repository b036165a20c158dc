"""Rebuild table rows in PDFs that draw cell borders, so a row reads "a | b | c".

pdfminer groups table cells into column-wise boxes, which reads a table down its columns and
separates each value from its row label. Where cells are drawn as rectangles (the usual way
report tools draw tables) we know each cell's row and column exactly.
"""

from __future__ import annotations

import re
from collections import Counter
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


# Tables drawn without cell rectangles (ruled with lines, or not ruled at all): a row is a band of
# short lines side by side on one baseline, and the header is the bands of short lines just above
# the first row that sit inside its columns.
_BAND = 2.5  # points: lines whose vertical centres are this close share a row
MIN_COLUMNS = 3  # two lines side by side are as likely two columns of prose
MAX_CELL = 60  # characters: a longer label or header line is prose
MAX_VALUE = 25  # characters: a longer cell after a row's label is prose beside the table
SHORT_CELL = 20  # most cells of a row of data are at most this long, or hold a figure
MAX_HEADER_BANDS = 6  # a header of three lines set centred spreads over five baselines
_ROW_GAP = 2.2  # of the line height: a larger gap between bands ends the table


def _centre(line: Line) -> float:
    return (line.top + line.bottom) / 2


def _bands(lines: list[Line]) -> list[list[Line]]:
    """Positioned lines grouped by shared baseline, top of the page first, each left to right."""
    bands: list[list[Line]] = []
    for line in sorted(lines, key=_centre, reverse=True):
        if bands and abs(_centre(bands[-1][0]) - _centre(line)) <= _BAND:
            bands[-1].append(line)
        else:
            bands.append([line])
    return [sorted(band, key=lambda item: item.x0) for band in bands]


def _side_by_side(band: list[Line]) -> bool:
    return all(a.x1 <= b.x0 + 1 for a, b in zip(band, band[1:], strict=False))


def _data_row(band: list[Line]) -> bool:
    """At least three short cells side by side, most of them short or holding a figure."""
    if len(band) < MIN_COLUMNS or not _side_by_side(band):
        return False
    if len(band[0].text) > MAX_CELL or any(len(line.text) > MAX_VALUE for line in band[1:]):
        return False  # a row's label may be long, its values are not
    plain = [
        line for line in band if len(line.text) <= SHORT_CELL or any(c.isdigit() for c in line.text)
    ]
    return 2 * len(plain) > len(band)


def _overlap(line: Line, span: tuple[float, float]) -> float:
    return max(0.0, min(line.x1, span[1]) - max(line.x0, span[0]))


def _column_of(line: Line, spans: list[tuple[float, float]]) -> int | None:
    """The column a line overlaps most, if it overlaps any."""
    best, most = None, 0.0
    for i, span in enumerate(spans):
        if _overlap(line, span) > most:
            best, most = i, _overlap(line, span)
    return best


_ALIGNED = 2.0  # points: edges this close line up
_EDGE = 12.0  # points: a header may stand this far beyond the outer columns' content
GROUP_CENTRED = 0.3  # of the column pitch: a group's name is centred this close on its pair


def _spans(rows: list[list[Line]]) -> list[tuple[float, float]]:
    """Each column's cell from the rows' cells: between its neighbours' content, by alignment.

    Figures are set flush right and names flush left, so the gap between two columns' content
    is not split in the middle: a right-aligned column's cell starts where the content before it
    ends, a left-aligned one's where its own content starts. A header set flush left over a
    column of figures ("(target 90%)" over "91.4%") then lies inside its own column; so does a
    header set flush left over figures set flush left.
    """
    template = max(rows, key=len)
    content = [[line.x0, line.x1, line.x0, line.x1] for line in template]  # min/max of x0, x1
    for row in rows:
        for line in row:
            i = _column_of(line, [(c[0], c[3]) for c in content])
            if i is not None:
                c = content[i]
                content[i] = [
                    min(c[0], line.x0),
                    max(c[1], line.x1),
                    max(c[2], line.x0),
                    min(c[3], line.x1),
                ]
    bounds = [content[0][0] - _EDGE]
    for before, after in zip(content, content[1:], strict=False):
        flush_left = after[2] - after[0] <= _ALIGNED < after[1] - after[3]
        if flush_left:  # the cell starts at its content
            bounds.append(after[0] - 1)
        else:  # flush right, or figures all of one width: it starts where the one before ends
            bounds.append(before[1] + 1)
    bounds.append(content[-1][1] + _EDGE)
    return list(zip(bounds, bounds[1:], strict=False))


def _fits(band: list[Line], spans: list[tuple[float, float]]) -> bool:
    """Most lines of a header band lie inside one column each (a caption spans several)."""
    if any(line.x0 < spans[0][0] or line.x1 > spans[-1][1] for line in band):
        return False  # prose of the column beside the table
    inside = sum(
        1
        for line in band
        if len(line.text) <= MAX_CELL
        and max(_overlap(line, span) for span in spans) >= 0.7 * (line.x1 - line.x0)
    )
    return 2 * inside > len(band)


def _well_formed(rows: list[list[Line]], spans: list[tuple[float, float]]) -> bool:
    """Rows of figures under the same columns: each line in a column of its own.

    Most rows must hold a figure. Justified prose split at its wide spaces, or vertical writing,
    is not a table.
    """
    for row in rows:
        columns = [_column_of(line, spans) for line in row]
        if None in columns or len(set(columns)) < len(columns):
            return False
    return 2 * sum(1 for row in rows if _figures(row)) >= len(rows)


def _table_lines(
    rows: list[list[Line]], header: list[list[Line]], spans: list[tuple[float, float]]
) -> list[str]:
    """The table as "a | b | c" lines: the header (its bands joined by column), then each row."""
    out: list[str] = []
    groups = _group_names(header, _content(rows, spans))
    for bands in ([header] if header else []) + [[row] for row in rows]:
        cells: list[list[str]] = [[] for _ in spans]
        for b, band in enumerate(bands):
            pairs = groups.get(b) if bands is header else None
            for n, line in enumerate(band):
                i = _column_of(line, spans)
                for column in pairs[n] if pairs else [] if i is None else [i]:
                    cells[column].append(line.text)
        out.append(" | ".join(" ".join(parts) for parts in cells))
    return out


def _content(rows: list[list[Line]], spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Where each column's cells are set: from the leftmost start to the rightmost end."""
    edges = [(span[1], span[0]) for span in spans]
    for row in rows:
        for line in row:
            i = _column_of(line, spans)
            if i is not None:
                edges[i] = (min(edges[i][0], line.x0), max(edges[i][1], line.x1))
    return edges


def _over_groups(band: list[Line], content: list[tuple[float, float]]) -> list[list[int]] | None:
    """The two columns each line of ``band`` is centred over, if it is a band of group names.

    "USC referrals | FDS | 62-day" each centred on the gap between two columns' cells, a pair
    apart, name those pairs ("Q1 | Q2" under each). A header wrapped onto a second line sits
    over its own column, and its lines stand one column apart: that is not a group band.
    """
    if len(band) < 2 or len(content) < 4:
        return None
    centres = [(start + end) / 2 for start, end in content]
    pitch = (centres[-1] - centres[0]) / (len(centres) - 1)
    pairs: list[list[int]] = []
    for line in band:
        middle = (line.x0 + line.x1) / 2
        j = min(
            range(len(centres) - 1), key=lambda k: abs((centres[k] + centres[k + 1]) / 2 - middle)
        )
        gap = (centres[j] + centres[j + 1]) / 2
        if (
            abs(gap - middle) > GROUP_CENTRED * pitch
            or not content[j][1] < middle < content[j + 1][0]
        ):
            return None
        pairs.append([j, j + 1])
    if any(b[0] - a[0] < 2 for a, b in zip(pairs, pairs[1:], strict=False)):
        return None  # lines a column apart: one header per column
    return pairs


def _grouped_header(rows: list[list[Line]]) -> int:
    """How many leading bands are names over the rows of values, when they name groups.

    A header wrapped onto several lines leaves short bands too, each line over its own column:
    those are not groups.
    """
    k = 0
    while k < len(rows) - 2 and not _values(rows[k]):
        k += 1
    if k == 0:
        return 0
    data = rows[k:]
    content = _content(data, _spans(data))
    return k if _group_names(rows[:k], content) else 0


def _group_names(
    header: list[list[Line]], content: list[tuple[float, float]]
) -> dict[int, list[list[int]]]:
    """The header bands that name groups of columns, each line's pair, by band.

    Only a band of group names above a band naming every column ("Q1 | Q2 | Q1 | Q2") counts.
    """
    found = {}
    for n, band in enumerate(header[:-1]):
        pairs = _over_groups(band, content)
        if pairs and any(len(below) >= len(content) - 1 for below in header[n + 1 :]):
            found[n] = pairs
    return found


_VALUE = re.compile(r"[<>~]?[£$€]?\d[\d.,]*\s?(?:%|k|m|bn)?|n/?a|-|–", re.IGNORECASE)


def _values(band: list[Line]) -> bool:
    """Whether most cells after the row's label are values ("4,812", "79.6%", "n/a")."""
    cells = band[1:]
    return 2 * sum(1 for line in cells if _VALUE.fullmatch(line.text.strip())) > len(cells)


_Table = tuple[list[list[Line]], list[list[Line]], list[tuple[float, float]]]


def _tables(bands: list[list[Line]]) -> list[_Table]:
    """(header bands, row bands, column spans) of each table: two or more data rows in a run."""
    found = []
    i = 0
    while i < len(bands):
        if not _data_row(bands[i]):
            i += 1
            continue
        j = i + 1
        while j < len(bands) and _data_row(bands[j]) and _close(bands[j - 1], bands[j]):
            j += 1
        if j - i >= 2:
            rows = bands[i:j]
            # header lines set on one baseline read as rows of names above the rows of figures
            named = 0
            while named < len(rows) - 1 and not any(_figures(band) for band in rows[: named + 1]):
                named += 1
            if not any(_figures(band) for band in rows[named:]):
                named = 0  # a table of words alone: every row is a row
            header: list[list[Line]] = rows[:named]
            rows = rows[named:]
            # "FDS" over "Q1 | Q2": names set over groups of columns, then the columns' own
            grouped = _grouped_header(rows)
            header, rows = header + rows[:grouped], rows[grouped:]
            columns = _spans(rows)
            groups = _group_names(header, _content(rows, columns))
            if not _well_formed(rows, columns) or not all(
                _fits(band, columns) for n, band in enumerate(header) if n not in groups
            ):
                i = j
                continue
            k = i - 1
            while (
                k >= 0
                and len(header) < MAX_HEADER_BANDS
                and _close(bands[k], header[0] if header else rows[0])
                and _fits(bands[k], columns)
            ):
                header.insert(0, bands[k])
                k -= 1
            found.append((header, rows, columns))
        i = j
    return found


def _figures(band: list[Line]) -> bool:
    """Whether a figure stands in a cell after the row's label."""
    return any(any(c.isdigit() for c in line.text) for line in band[1:])


def _close(above: list[Line], below: list[Line]) -> bool:
    height = max(line.top - line.bottom for line in above + below)
    return min(line.bottom for line in above) - max(line.top for line in below) <= _ROW_GAP * height


def merge_aligned_rows(lines: list[Line]) -> list[Line]:
    """Lines with each table ruled by lines (or not ruled) rebuilt as "a | b | c" rows.

    pdfminer reads such a table column by column ("Team, Northgate, Riverside, …, Open caseload,
    1,240, …"), so no value stands beside its row's label or its column's name. Rows are bands
    of at least three short lines on one baseline; the header is the bands of short lines just
    above that sit inside the columns (a caption spanning them ends it). The rebuilt table takes
    the place of its first line; rows already rebuilt from cell rectangles are left alone.
    """
    placed = [line for line in lines if line.box >= 0 and line.x1 > line.x0]
    tables = _tables(_bands(placed))
    if not tables:
        return lines
    position = {id(line): i for i, line in enumerate(lines)}
    replaced: dict[int, list[Line]] = {}
    used: set[int] = set()
    for number, (header, rows, spans) in enumerate(tables):
        members = [line for band in header + rows for line in band]
        first = min(position[id(line)] for line in members)
        size = Counter(line.size for line in members).most_common(1)[0][0]
        replaced[first] = [
            Line(text=text, size=size, box=-10_000 - number, top=10_000.0, bottom=10_000.0)
            for text in _table_lines(rows, header, spans)
        ]
        used |= {id(line) for line in members}
    merged: list[Line] = []
    for i, line in enumerate(lines):
        merged.extend(replaced.get(i, []))
        if id(line) not in used:
            merged.append(line)
    return merged
