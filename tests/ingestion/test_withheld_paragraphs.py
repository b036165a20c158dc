"""A flagged chunk keeps its paragraphs clear of patient data; what it keeps passes the screen."""

from bot.common.privacy import screen
from ingestion.build import withhold_patient_data, without_flagged_paragraphs
from ingestion.chunking import sha256_text
from knowledge.index import Chunk

HEAD = "Contacts | Kestrel Moor Hospice"


def _chunk(text: str, title: str = HEAD, section: str = "Who to call") -> Chunk:
    return Chunk(
        chunk_id="abc-0001",
        text=text,
        document="contacts.html",
        title=title,
        section=section,
        page="2",
        content_hash=sha256_text(text),
        doc_hash="ab" * 32,
    )


ROWS = [
    "The advice line is open 24 hours a day for patients and professionals.",
    "Patient update: ring Mr Khan's daughter on 0113 243 3144 about the visit.",
    "The family support team meets on the first Wednesday of each month.",
]


def test_only_the_flagged_paragraph_is_dropped() -> None:
    chunk = _chunk("\n\n".join(ROWS))
    kept, pages = withhold_patient_data([chunk])
    assert pages == ["2"]  # the report still names the page for the admin to fix
    assert [c.text for c in kept] == [f"{ROWS[0]}\n\n{ROWS[2]}"]
    assert kept[0].content_hash == sha256_text(kept[0].text)
    assert not screen(f"{kept[0].title}\n{kept[0].section}\n{kept[0].text}").sensitive


def test_a_one_paragraph_list_is_cut_by_lines() -> None:
    rest = without_flagged_paragraphs(_chunk("\n".join(ROWS)))
    assert rest is not None and rest.text == f"{ROWS[0]}\n{ROWS[2]}"


def test_data_spread_over_paragraphs_takes_them_all() -> None:
    """A name in one paragraph and its date of birth in the next: neither is kept."""
    text = f"{ROWS[0]}\n\nName: Mrs Joan Hale\nDOB: 12/03/1941\n\n{ROWS[2]}"
    kept, _pages = withhold_patient_data([_chunk(text)])
    stored = " ".join(c.text for c in kept)
    assert "Hale" not in stored and "1941" not in stored and ROWS[2] in stored


def test_nothing_is_kept_when_every_paragraph_or_the_heading_is_flagged() -> None:
    assert without_flagged_paragraphs(_chunk(ROWS[1])) is None
    flagged_heading = _chunk("\n\n".join([ROWS[0], ROWS[2]]), section="Mrs Joan Hale 12/03/1941")
    kept, pages = withhold_patient_data([flagged_heading])
    assert kept == [] and pages == ["2"]
    assert without_flagged_paragraphs(_chunk(ROWS[0])) is None  # nothing flagged, nothing to cut
