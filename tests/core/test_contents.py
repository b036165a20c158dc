"""A chapter's place and name are read off the companion documents' contents pages."""

from __future__ import annotations

import pytest

from bot.common.errors import KnowledgeError
from bot.core.answering.contents import contents_reply
from knowledge.contents import default_contents, load_contents
from tests.core.test_answer import ask


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("What is chapter 5 of Transformational change in NHS providers called?", ["hinder", "25"]),
        ("what's ch 3 of the mckinsey supplement called", ["Seven success factors", "11"]),
        (
            "which chapter of the supplement covers the wider system getting in providers' way "
            "rather than helping them, and on which page does it start?",
            ["Chapter 5", "25"],
        ),
        (
            "which page does the 'What good looks like' chapter begin on in the supplement, and "
            "what is the chapter straight after it called?",
            ["13", "help providers more", "25"],
        ),
        ("in the supplement, what's the chapter before the conclusion called?", ["odds", "27"]),
        ("which section of the evidence scan covers the international literature?", ["6"]),
        ("what page does 'What is happening in the NHS?' start on in the scan", ["9"]),
        (
            "in the scan, on which page does the part on what is going on within the NHS begin, "
            "and on which page do the references start?",
            ["page 9", "page 19"],
        ),
        (
            "supplement: what page is the seven success factors chapter on? and where's the bit "
            "on how the wider system could help providers?",
            ["page 11", "page 25"],
        ),
    ],
)
def test_the_row_asked_about_is_given(question: str, wanted: list[str]) -> None:
    reply = contents_reply(question, default_contents())
    assert reply is not None and reply.file == "contents.yaml"
    for text in wanted:
        assert text in reply.text


@pytest.mark.fast
def test_the_whole_contents_when_the_chapters_are_counted() -> None:
    reply = contents_reply(
        "how many chapters does the mckinsey supplement have?", default_contents()
    )
    assert reply is not None
    assert "7 numbered chapters" in reply.text and "Conclusion, page 31" in reply.text


@pytest.mark.fast
def test_a_part_not_made_out_among_two_gets_the_whole_contents() -> None:
    reply = contents_reply(
        "in the evidence scan, which page has the bit about rural practices' experiences, and "
        "on which page does the summary begin?",
        default_contents(),
    )
    assert (
        reply is not None
        and "Summary, page 14" in reply.text
        and "References, page 19" in reply.text
    )


@pytest.mark.fast
@pytest.mark.parametrize(
    "question",
    [
        "how long is the mckinsey supplement, page count?",  # a length, not a place
        "what does chapter 4 of the supplement say about leadership?",  # its content
        "which chapter of constructive comfort covers headspace?",  # contents not known
        "which chapter of the supplement talks about the weather?",  # nothing described
        "what does the report say about climate change?",
    ],
)
def test_no_row_is_given_for_other_asks(question: str) -> None:
    assert contents_reply(question, default_contents()) is None


@pytest.mark.fast
def test_a_broken_contents_file_names_its_field(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "contents.yaml"
    bad.write_text(
        "documents:\n  - document: supplement\n    source: {document: supplement, "
        "chapter: Contents}\n    parts: []\n"
    )
    with pytest.raises(KnowledgeError, match="parts"):
        load_contents(bad)


def test_the_row_reaches_the_asker_cited(services) -> None:  # type: ignore[no-untyped-def]
    a = ask(services, "What is chapter 5 of the McKinsey supplement called? what page is it on?")
    assert a.grounded
    assert "How the system could help providers more and hinder them less" in a.answer
    assert "page 25" in a.answer
    assert a.citations[0].chunk_id == "contents.yaml#contents-supplement"
