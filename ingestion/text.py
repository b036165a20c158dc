"""Decoding and cleaning of raw text: encodings, invisible characters, NULs.

Admins bring files from Windows (cp1252), from Excel exports (UTF-16) and from the web; all of them
must arrive as the same clean Unicode so that `£` and `–` survive and hidden characters (zero-width,
bidi overrides, Unicode tag "ASCII smuggling") cannot carry instructions past a human reviewer.
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Zero-width, bidi controls, word joiners, BOM, soft hyphen, Unicode tag characters, C0/C1 controls.
_INVISIBLE = re.compile(
    "[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    "\U000e0000-\U000e007f\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)


def _mostly_utf8(sample: bytes) -> bool:
    """True when ``sample`` is UTF-8 with a few damaged sequences rather than a Windows file.

    A UTF-8 file with one bad byte (a truncated copy, a pasted fragment) still has far more valid
    multi-byte characters than invalid bytes; a cp1252 file's `£`, `–` and smart quotes are each
    invalid UTF-8, with hardly any valid multi-byte sequence among them.
    """
    text = sample.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - sample.count("\ufffd".encode())
    valid = sum(1 for ch in text if ch > "\x7f" and ch != "\ufffd")
    return valid >= invalid


def detect_encoding(data: bytes) -> str:
    """The codec to read ``data`` with: BOM, then UTF-8, then BOM-less UTF-16, then cp1252.

    cp1252 is preferred over statistical guessing because NHS documents that are not UTF-8 are
    overwhelmingly Windows files, and short texts fool the guessers. UTF-8 with a few invalid
    sequences stays UTF-8 (the bad bytes become U+FFFD) rather than turning every `£` into `Â£`.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[:4096]
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4:
        return "utf-16-le"
    if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4:
        return "utf-16-be"
    if _mostly_utf8(sample):
        return "utf-8"
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        best = from_bytes(data[:65536]).best()
        return best.encoding if best is not None else "utf-8"


def decode(data: bytes) -> str:
    """Bytes to clean text; undecodable bytes become U+FFFD rather than an error."""
    return clean(data.decode(detect_encoding(data), errors="replace"))


def clean(text: str) -> str:
    """NFC-normalise and drop invisible or control characters (tabs and newlines kept)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", text))


def looks_binary(data: bytes) -> bool:
    """True when ``data`` is not text in any encoding we read (NULs or many control bytes)."""
    sample = data[:65536]
    if not sample:
        return False
    codec = detect_encoding(sample)
    if codec.startswith(("utf-16", "utf-32")):
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(sample) // 100


# a line that starts its own item: a bullet, a number, a heading, a quote, a table row or a
# labelled line ("Phone: 01632 …", "Document owner: …")
_OWN_LINE = re.compile(r"^\s*(?:[-*+\u2022]\s|\d+[.)]\s|#|>|\||[A-Z][A-Za-z /()'&-]{0,30}:\s+\S)")
WRAPPED_SHARE = 0.6  # a line this close to the paragraph's widest was wrapped for width
_UNDERLINE = re.compile(r"^\s*[-=_~*]{3,}\s*$")
_COLUMNS = re.compile(r"\S {3,}\S|\t| \| ")  # aligned columns or a table's cells


def is_rule(line: str) -> bool:
    """Whether ``line`` is only a rule of dashes, equals signs, underscores, tildes or stars."""
    return bool(_UNDERLINE.match(line))


MIN_SHOUTED_LETTERS = 4
SHOUTED_SHARE = 0.85  # "3. POSTPARTUM HAEMORRHAGE (ARK, for TW)" is in capitals


def _shouted(line: str) -> bool:
    """Whether ``line`` is written in capitals, as a typed heading is ("REST BREAKS POLICY")."""
    letters = [ch for ch in line if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters)
    return len(letters) >= MIN_SHOUTED_LETTERS and upper >= SHOUTED_SHARE * len(letters)


def _keeps_its_line(line: str) -> bool:
    return bool(_UNDERLINE.match(line) or _COLUMNS.search(line.strip()) or _shouted(line))


def without_rules(text: str) -> str:
    """``text`` without the lines of dashes or equals signs a typed bulletin marks headings with.

    "-----" above and below "3. SAVE THE DATE - STUDY DAY, THURSDAY 21 MAY 2026" ran into the
    sentences around it; without them the heading (in capitals, so on its own line) is read with
    the line that follows, "Kelbridge Education Centre, 09:00-16:30".
    """
    kept = [line for line in text.split("\n") if not _UNDERLINE.match(line)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def unwrap(text: str) -> str:
    """Join the lines of a paragraph that were only wrapped for width.

    "Claims more than 3 months old" and "are not paid." on two lines are one sentence in an
    answer; bullets, numbered items, labelled lines, headings, table rows, aligned columns,
    underlines and capitals keep their lines, and blank lines still part paragraphs.
    """
    out: list[str] = []
    for paragraph in re.split(r"(\n\s*\n)", text):
        if not paragraph.strip() or "\n" not in paragraph.strip():
            out.append(paragraph)
            continue
        lines = paragraph.split("\n")
        width = max(len(line.rstrip()) for line in lines)
        joined = [lines[0]]
        for at, (line, previous) in enumerate(zip(lines[1:], lines, strict=False), start=1):
            if _an_item_under(line, previous, lines[:at]):
                joined.append(line)
                continue
            # a short line before a capital is a heading ("Who runs it\nThe hub is led by …"), and
            # so is a line after a finished sentence ("… six strong.\nWhat changed"): neither
            # was wrapped for width
            ended = previous.rstrip().endswith((".", "!", "?", ":"))
            wrapped = line.lstrip()[:1].islower() or (
                len(previous.rstrip()) >= WRAPPED_SHARE * width and not ended
            )
            if (
                wrapped
                and line.strip()
                and previous.strip()
                and not _OWN_LINE.match(line)
                and not _keeps_its_line(line)
                and not _keeps_its_line(previous)
            ):
                previous = joined[-1]
                joined[-1] = f"{previous.rstrip()} {line.strip()}"
            else:
                joined.append(line)
        out.append("\n".join(joined))
    return "".join(out)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _an_item_under(line: str, previous: str, before: list[str]) -> bool:
    """A line of a list indented under a line that introduces it, level with the one before.

    "Q3 figures:" over "  Oct 412 referrals, 58% fully completed" and "  Nov 389 referrals, 61%",
    or "Present:" over the names: each indented line is an item of its own, though it runs
    nearly to the width. Under a bullet or a numbered heading the indented lines are its wrapped
    text, and are joined as before.
    """
    depth = _indent(line)
    if not line.strip() or depth == 0 or depth != _indent(previous):
        return False
    if not (line.lstrip()[:1].isupper() or line.lstrip()[:1].isdigit()):
        return False
    head = next((b for b in reversed(before) if b.strip() and _indent(b) < depth), None)
    return head is not None and bool(_INTRODUCES.search(head))


# a line that introduces the indented list under it: "… for the footprint:", "Present:  Ann …"
_INTRODUCES = re.compile(
    r":\s*$|^\s*(?:present|attendees|attending|in attendance|apologies)\s*:", re.IGNORECASE
)


# a typed table's rule under its header: groups of dashes, one per column ("-----  ------  ---")
_COLUMN_RULE = re.compile(r"^[ \t]*[-=]{2,}(?:[ \t]+[-=]{2,})+[ \t]*$")
_RULE_GROUP = re.compile(r"[-=]{2,}")


def _cells(line: str, starts: list[int]) -> list[str] | None:
    """``line`` cut at the columns' starts, or None when a cut would split a word."""
    for start in starts[1:]:
        if 0 < start < len(line) and line[start - 1] != " " and line[start] != " ":
            return None
    ends = [*starts[1:], max(len(line), starts[-1])]
    return [line[a:b].strip() for a, b in zip(starts, ends, strict=True)]


def _row_paragraphs(rows: list[list[str]]) -> list[str]:
    """Lines that make each row its own paragraph, "a | b | c", as Markdown tables are read."""
    return [line for row in rows for line in ("", " | ".join(row), "")]


def typed_table_rows(text: str) -> str:
    """A table typed with spaces under a rule of dashes, as one paragraph per row, "a | b | c".

    Minutes typed in plain text keep their action log as aligned columns: "11/01  Haemolysis
    training visit to Hollins Lane      LF      12/12/2025", with the action wrapped onto the
    next line under its own column. Read as prose, the whole log was one sentence and "who has
    the haemolysis visit?" could not be read off its row. Each row (its wrapped lines joined cell
    by cell) becomes a paragraph, as a Markdown table's does (``markdown.pipe_table_rows``). A
    table whose lines do not keep to the rule's columns is left as typed.
    """
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and lines[i].strip() and _COLUMN_RULE.match(lines[i + 1]):
            starts = [m.start() for m in _RULE_GROUP.finditer(lines[i + 1])]
            starts[0] = 0
            header = _cells(lines[i], starts)
            rows: list[list[str]] = []
            j = i + 2
            while j < len(lines) and lines[j].strip() and not _UNDERLINE.match(lines[j]):
                cells = _cells(lines[j], starts)
                if cells is None:
                    break
                if not cells[0] and rows:  # the row's wrapped line, under its own columns
                    rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells, strict=True)]
                else:
                    rows.append(cells)
                j += 1
            ended = j >= len(lines) or not lines[j].strip() or _UNDERLINE.match(lines[j])
            if header is not None and rows and ended:
                out.extend(_row_paragraphs([header, *rows]))
                i = j
                continue
        out.append(lines[i])
        i += 1
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out))


MIN_ALIGNED_ROWS = 3  # a header and two rows, or three rows
MAX_CELL_WORDS = 8  # a cell is a name or a figure, not a sentence


def _aligned_cells(line: str) -> list[str] | None:
    """``line`` cut at its runs of two or more spaces, when every piece is short."""
    if not line.strip() or line.rstrip().endswith((".", ":", ";", "|")):
        return None  # a sentence, a line introducing a list, or a line of a drawn box
    cells = [c.strip() for c in re.split(r"[^\S\n]{2,}|\t+", line.strip())]
    if len(cells) < 2 or any(len(c.split()) > MAX_CELL_WORDS for c in cells):  # noqa: PLR2004
        return None
    if cells[0].endswith(":"):
        return None  # "From:    Sunil Varma", "Present:  …": a labelled line, not a row
    return cells


# "Present:", "In attendance": the names under it are a list of people, read by initials.py
_WHO_WAS_THERE = re.compile(
    r"^\s*(?:present|attendees|attending|in attendance|apologies|members)\b[^.]*$", re.IGNORECASE
)


def _aligned_block(lines: list[str], start: int) -> list[list[str]]:
    """The cells of the lines from ``start`` that fall into the same number of short cells."""
    first = _aligned_cells(lines[start])
    if first is None:
        return []
    rows = [first]
    for line in lines[start + 1 :]:
        cells = _aligned_cells(line)
        if cells is None or len(cells) != len(first):
            break
        rows.append(cells)
    return rows


def aligned_table_rows(text: str) -> str:
    """A table typed in aligned columns with no rule under it, as one paragraph per row.

    "Practice    Score   Band" over "Harbour View Surgery   81%   Red" and six more rows: read as
    prose the table was one sentence, and "which practices came out red?" could not be read off
    its rows. Three or more lines in a row that each fall into the same number of short cells at
    runs of spaces become "a | b | c" paragraphs. A list of who was there with initials first
    ("MP   Marcia Penhaligon, …"), or under "Present:", is left for ``initials.py`` to read.
    """
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        rows = _aligned_block(lines, i)
        if len(rows) < MIN_ALIGNED_ROWS:
            out.append(lines[i])
            i += 1
            continue
        end = i + len(rows)
        initials_first = all(re.fullmatch(r"[A-Z]{2,4}", row[0]) for row in rows)
        above = itertools.takewhile(str.strip, reversed(lines[:i]))  # its paragraph
        if initials_first or any(_WHO_WAS_THERE.match(line) for line in above):
            out.extend(lines[i:end])  # a list of people, as typed
        else:
            out.extend(_row_paragraphs(rows))
        i = end
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out))
