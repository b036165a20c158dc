"""Staff's acronyms for what a trust's documents only spell out."""

from __future__ import annotations

import pytest

from bot.core.answering.acronyms import spelled_out

pytestmark = pytest.mark.fast

TEXTS = [
    "Reducing Inappropriate Out of Area Placements: Quarterly Report",
    "The Learning Disability Liaison Service helps adults on the wards.",
    "An assessment under the Mental Health Act 1983 may follow.",
    "Early Intervention in Psychosis is not part of the new model.",
]


@pytest.mark.parametrize(
    ("acronym", "phrase"),
    [
        ("OOA", "Out of Area"),  # "of" spells a letter
        ("oap", "Out of Area Placements"),  # or is skipped
        ("ld", "Learning Disability"),
        ("MHA", "Mental Health Act"),
        ("eip", "Early Intervention in Psychosis"),
    ],
)
def test_an_acronym_is_the_capitalised_phrase_it_spells(acronym: str, phrase: str) -> None:
    assert spelled_out(acronym, TEXTS) == phrase


@pytest.mark.parametrize("word", ["may", "bell", "max", "a", "toolongword"])
def test_ordinary_words_spell_nothing(word: str) -> None:
    # "may follow" and lower-case words never count: they spell too much by chance
    assert spelled_out(word, TEXTS) is None


def test_a_hyphenated_compound_spells_it_in_any_case() -> None:
    assert spelled_out("RTW", ["recorded on the return-to-work form"]) == "return-to-work"
    assert spelled_out("fu", ["a follow-up call"]) is None  # two letters: too easily by chance


def test_a_label_starting_a_line_spells_it_in_sentence_case() -> None:
    table = "Indicator                      Q1    Q2\nPreferred place of death       79%   83%"
    assert spelled_out("PPD", [table]) == "Preferred place of death"
    # a sentence is not a label, and two letters are too easily spelt by chance
    assert spelled_out("PPD", ["Please phone during the day, and ask."]) is None
    assert spelled_out("PP", [table]) is None


def test_inpatient_and_outpatient_spell_two_letters_in_any_case() -> None:
    assert spelled_out("IPU", ["the nurse in charge of the inpatient unit"]) == "inpatient unit"
    assert spelled_out("OPD", ["the Outpatient Department desk"]) == "Outpatient Department"
    assert spelled_out("ICU", ["include updates in the log"]) is None  # not any "in-" word


def test_a_word_of_medical_combining_forms_spells_one_letter_per_part() -> None:
    """ "HD" is the document's "haemodialysis", "AVF" its "arteriovenous fistula"."""
    text = [
        "Patients start haemodialysis on an arteriovenous fistula. An electrocardiogram is done."
    ]
    assert spelled_out("HD", text) == "haemodialysis"
    assert spelled_out("AVF", text) == "arteriovenous fistula"
    assert spelled_out("ECG", text) == "electrocardiogram"
    # a specialty's name is not two parts, and an ending is not a part
    assert spelled_out("CL", ["referred to cardiology"]) is None
    assert spelled_out("VU", ["a venous line"]) is None


@pytest.mark.parametrize(
    ("acronym", "text", "phrase"),
    [
        (
            "larc",
            "Coil and implant fittings (long-acting reversible contraception) are booked.",
            "long-acting reversible contraception",
        ),
        ("cds", "Controlled drugs in Schedules 2 and 3 stay with the GP.", "Controlled drugs"),
        ("lac", "Health assessments for looked after children were late.", "looked after children"),
        ("ihas", "Initial health assessments were 71% in time.", "Initial health assessments"),
    ],
)
def test_a_common_nhs_acronym_is_read_where_a_passage_writes_its_phrase(
    acronym: str, text: str, phrase: str
) -> None:
    assert spelled_out(acronym, [text]) == phrase


def test_a_common_acronym_is_never_read_where_no_passage_writes_its_phrase() -> None:
    # the list gives a meaning; only the trust's own words show the documents use it
    assert spelled_out("larc", ["Emergency contraception is given the same day."]) is None


@pytest.mark.parametrize(
    ("acronym", "question", "written"),
    [
        ("EFOG", "When is the next estates & facilities operational group meeting?", True),
        ("MODG", "when does the medicines optimisation delivery group next meet", True),
        ("EFOG", "when is the next operational group meeting?", False),
        ("OD", "our organisational development team", False),  # two letters spell too easily
    ],
)
def test_a_group_written_in_full_is_the_acronym_a_title_gives(
    acronym: str, question: str, written: bool
) -> None:
    from bot.core.answering.acronyms import asked_in_full

    assert asked_in_full(acronym, question) is written
