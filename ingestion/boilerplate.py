"""Remove page furniture: running headers and footers, page numbers, contents pages.

Left in, they would be embedded dozens of times ("Constructive comfort | The Health Foundation")
and crowd real passages out of search results; a contents page matches every question a little.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_PAGE_NUMBER = re.compile(
    r"^\s*(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:of|/)\s*\d{1,4})?\s*$|^\s*[-–—]\s*\d{1,4}\s*[-–—]\s*$",
    re.IGNORECASE,
)
_CONTENTS = re.compile(r"^\s*(?:table\s+of\s+)?contents\s*$", re.IGNORECASE)
_TOC_ENTRY = re.compile(r"(?:\.{3,}|…+|\s)\s*\d{1,4}\s*$")
_EDGE = 2  # lines at the top and bottom of a page that may be running headers or footers


@dataclass
class Line:
    """One text line on a page, with its font size and the layout box it belongs to."""

    text: str
    size: float
    box: int
    bold: bool = False
    x0: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    x1: float = 0.0


def _key(text: str, digits: bool = False) -> str:
    text = " ".join(text.lower().split())
    return re.sub(r"\d+", "#", text) if digits else text


def _edges(page: list[Line]) -> list[Line]:
    return page[:_EDGE] + page[-_EDGE:] if len(page) > 2 * _EDGE else list(page)


def _short(line: Line) -> bool:
    return len(line.text) <= 80 and len(line.text.split()) <= 12


def _running(pages: list[list[Line]]) -> tuple[set[str], set[str]]:
    """Short edge lines repeated on half the pages or more: exact, and differing only in numbers.

    "Page 3 of 40" repeats with different numbers. Only short lines qualify, and number-only
    differences count only for lines alone in their layout box, so prose that differs only in
    its numbers survives.
    """
    exact: Counter[str] = Counter()
    numbered: Counter[str] = Counter()
    for page in pages:
        edges = [line for line in _edges(page) if _short(line)]
        exact.update({_key(line.text) for line in edges})
        numbered.update({_key(line.text, True) for line in edges if _alone(page, line)})
    needed = max(3, (len(pages) + 1) // 2)

    def repeated(counts: Counter[str]) -> set[str]:
        return {key for key, n in counts.items() if n >= needed and key.strip("# ")}

    return repeated(exact), repeated(numbered)


def is_contents_page(page: list[Line]) -> bool:
    """A "Contents" heading near the top and mostly lines that end in page numbers."""
    texts = [line.text.strip() for line in page if line.text.strip()]
    if not any(_CONTENTS.match(t) for t in texts[:6]):
        return False
    entries = [t for t in texts if _TOC_ENTRY.search(t)]
    return len(entries) >= 3 and len(entries) >= len(texts) // 2


def _alone(page: list[Line], line: Line) -> bool:
    return sum(1 for other in page if other.box == line.box) == 1


def _furniture(page: list[Line], line: Line, exact: set[str], numbered: set[str]) -> bool:
    if _key(line.text) in exact:
        return True
    alone = _alone(page, line)
    return alone and (_key(line.text, True) in numbered or bool(_PAGE_NUMBER.match(line.text)))


def strip_boilerplate(pages: list[list[Line]]) -> list[list[Line]]:
    """Pages without running headers/footers, bare page numbers, or contents pages (emptied)."""
    exact, numbered = _running(pages) if len(pages) >= 3 else (set(), set())
    cleaned: list[list[Line]] = []
    for page in pages:
        if is_contents_page(page):
            cleaned.append([])
            continue
        edges = {id(line) for line in _edges(page)}
        cleaned.append(
            [
                line
                for line in page
                if id(line) not in edges or not _furniture(page, line, exact, numbered)
            ]
        )
    return cleaned
