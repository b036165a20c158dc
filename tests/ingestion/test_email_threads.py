"""A saved email thread read as text: replies, quoted messages, signatures and footers."""

import pytest

from ingestion.markdown import load_text
from ingestion.text import unwrap

pytestmark = pytest.mark.fast

THREAD = """Subject: RE: FW: Referrals - completion and wrong pharmacy
Saved from NHSmail by A Reader, 16/01/2026

--------------------------------------------------------------------
From:    Okoro Ada (NHS EXAMPLE ICB) <a.okoro@nhs.net>
Sent:    16 January 2026 09:12
To:      Finch Dee; Gill Niall
Subject: RE: FW: Referrals - completion and wrong pharmacy

Thanks all. The task and finish group first meets on Tuesday 27 January 2026.

Ada

--------------------------------------------------------------------
From:    Finch Dee
Sent:    15 January 2026 17:48
To:      Okoro Ada
Subject: RE: FW: Referrals - completion and wrong pharmacy

Of the 356 referrals we sent, 41 went to a pharmacy the patient does not use, as none had a
nomination on the Spine.

> From: Ward Tom (NHS EXAMPLE ICB)
> Sent: 12 January 2026 14:55
> Subject: Referrals - completion
>
> Provisional Q3 figures for the footprint:
>   Oct 412 referrals, 58% fully completed
>   Nov 389 referrals, 61%
>   Dec 356 referrals, 64%
> Final figures will follow.

********************************************************************
This message may contain confidential information. If you are not the
intended recipient please inform the sender and delete it.
********************************************************************
"""


def _read(text: str) -> tuple[str, str]:
    document = load_text(text.encode(), "RE_ FW_ Referrals - completion.txt")
    return document.title, document.blocks[0].text


def test_a_thread_is_titled_by_its_subject_without_reply_prefixes() -> None:
    title, _text = _read(THREAD)
    assert title == "Referrals - completion and wrong pharmacy"


def test_the_repeated_subject_is_dropped_and_each_header_line_stands_alone() -> None:
    _title, text = _read(THREAD)
    paragraphs = text.split("\n\n")
    assert "Subject: RE" not in text
    assert "Saved from NHSmail by A Reader, 16/01/2026" in paragraphs
    assert "Sent:    15 January 2026 17:48" in paragraphs
    assert not any("From:" in p and "Sent:" in p for p in paragraphs)
    # a quoted message's own, different subject is a fact of the text and stays
    assert "Subject: Referrals - completion" in text


def test_quoted_lines_are_read_as_text_and_a_listed_figure_keeps_its_line() -> None:
    _title, text = _read(THREAD)
    assert not any(line.lstrip().startswith(">") for line in text.splitlines())
    lines = [line.strip() for line in text.splitlines()]
    assert "Oct 412 referrals, 58% fully completed" in lines
    assert "Nov 389 referrals, 61%" in lines


def test_the_confidentiality_footer_is_not_part_of_the_text() -> None:
    _title, text = _read(THREAD)
    assert "confidential information" not in text
    assert "41 went to a pharmacy" in text


def test_one_quoted_figure_in_a_note_is_not_a_quotation() -> None:
    text = "Waits by week\n\nTarget: > 95% seen within 4 hours\n\nAll wards reported."
    document = load_text(text.encode(), "waits.txt")
    assert "> 95%" in document.blocks[0].text


def test_names_listed_under_present_keep_their_lines() -> None:
    typed = (
        "Present:\n"
        "  Claire Whitlow (CW), Hub General Manager (Chair)\n"
        "  Gemma Rook (GR), Theatre Productivity Programme Manager and deputy chair today\n"
        "  Owen Marsh (OM), Theatre Manager"
    )
    assert unwrap(typed).split("\n")[1:] == [
        "  Claire Whitlow (CW), Hub General Manager (Chair)",
        "  Gemma Rook (GR), Theatre Productivity Programme Manager and deputy chair today",
        "  Owen Marsh (OM), Theatre Manager",
    ]


def test_a_bullets_hanging_lines_are_still_joined() -> None:
    typed = (
        "- AW said families had told the group the texts arrived late. LV accepted\n"
        "  1 hour of the decision to suspend as the standard from November onwards.\n"
        "- The pool in Room 2 has been out of use since 2 October."
    )
    lines = unwrap(typed).split("\n")
    assert lines[0].endswith(
        "LV accepted 1 hour of the decision to suspend as the standard from November onwards."
    )
    assert len(lines) == 2


OUTLOOK = """Subject: RE: FW: SMR backlog and pharmacist cover

From:    Sam Varma
To:      Owen Rice
Date:    Thursday 5 March 2026 11:42

Costs as promised: the locum day is 7.5 hours at £48 an hour.

-----Original Message-----
From:    Owen Rice
Sent:    Wednesday 4 March 2026 16:05
To:      Sam Varma
Subject: RE: FW: SMR backlog and pharmacist cover

> Happy with Beth on Mondays and Thursdays.
> Owen
"""


def test_an_outlook_thread_takes_its_subject_and_reads_each_reply_header() -> None:
    document = load_text(OUTLOOK.encode(), "email-smr-backlog.txt")
    text = document.blocks[0].text
    assert document.title == "SMR backlog and pharmacist cover"
    assert "Original Message" not in text
    assert "Sent:    Wednesday 4 March 2026 16:05" in text.split("\n\n")
    assert "Happy with Beth on Mondays and Thursdays." in text


def test_a_first_line_that_names_the_document_is_its_title() -> None:
    typed = (
        "Falls Prevention Pilot Update: Strength and Balance Classes in Care Homes\n\n"
        "Hi all,\n\nClasses run twice a week.\n\nResidents with a recent fracture wait 12 weeks."
    )
    document = load_text(typed.encode(), "falls-pilot-update.txt")
    assert document.title == (
        "Falls Prevention Pilot Update: Strength and Balance Classes in Care Homes"
    )
    assert not document.blocks[0].text.startswith("Falls Prevention")


@pytest.mark.parametrize(
    "first",
    ["Hi all,", "Present: Ann Lee, Bo Khan", "MINUTES", "The clinic opens on Monday."],
)
def test_a_first_line_that_is_no_title_stays_text(first: str) -> None:
    typed = f"{first}\n\nClasses run twice a week.\n\nResidents wait 12 weeks."
    document = load_text(typed.encode(), "falls-pilot-update.txt")
    assert document.title == "falls pilot update"
    assert document.blocks[0].text.startswith(first)
