"""A chunk cut inside a table starts again with the table's header row."""

from __future__ import annotations

import pytest

from ingestion.chunking import split_text, with_table_headers

pytestmark = pytest.mark.fast

HEADER = "Tumour site | Jul 2025 | Aug 2025 | Sep 2025 | Q2 2025/26"
ROWS = [f"Site {n} | {60 + n}.1% | {61 + n}.2% | {62 + n}.3% | {63 + n}.4%" for n in range(40)]


def test_every_piece_of_a_long_table_has_its_header() -> None:
    text = "Table 1. FDS performance by tumour site and month.\n\n" + "\n\n".join([HEADER, *ROWS])
    pieces = with_table_headers(split_text(text))
    assert len(pieces) > 1
    assert all(HEADER in piece for piece in pieces), pieces
    assert all(any(row in piece for piece in pieces) for row in ROWS)


def test_a_markdown_rule_is_not_taken_for_the_header() -> None:
    header = "| Role | Name | Extension |"
    rows = [f"| Role {n} | Person {n} | ext {4400 + n} |" for n in range(60)]
    text = "\n".join([header, "| --- | --- | --- |", *rows])
    pieces = with_table_headers(split_text(text))
    assert len(pieces) > 1
    assert all(piece.startswith(header) for piece in pieces), [p[:40] for p in pieces]


def test_prose_pieces_are_left_alone() -> None:
    prose = " ".join(f"Sentence {n} says something about the service." for n in range(80))
    assert with_table_headers(split_text(prose)) == split_text(prose)
