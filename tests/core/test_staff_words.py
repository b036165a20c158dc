"""Staff's words put in the words a trust's documents use, only where the index lacks them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.core.answering.staff_words import in_index_words
from bot.core.wording import terms

pytestmark = pytest.mark.fast


def knows_words_of(text: str) -> Callable[[str], bool]:
    vocabulary = set(terms(text))
    return vocabulary.__contains__


FORMAL = knows_words_of(
    "Magnetic resonance (MR) and computed tomography waiting times. Patients who did not attend "
    "twice are referred back. Venepuncture walk-in sessions run 07:30 to 09:30. "
    "Patient-initiated follow-up lasts 12 months. Pre-operative assessment results are valid. "
    "Drink water until two hours before the operation. Online consultation requests. "
    "Pharmacy technicians. Crews waiting outside. This SOP applies. The contractor and the car "
    "park; the cycle to work scheme. The RCN representative. Internationally educated nurses. "
    "Flexible working requests were declined. Children's clinic on Wednesdays. "
    "Residents with an unplanned hospital admission. Paramedics rotate into GP practice. "
    "Outpatient attendances. Endoscopy lists at the satellite. Nurse endoscopists train to "
    "independent colonoscopy. A recruitment incentive for registered nurses. Occupational "
    "health is in Beech House. The emergency department scored 79.6%."
)


@pytest.mark.parametrize(
    ("question", "worded"),
    [
        ("the mri dna rate last year", "the MR did not attend rate last year"),
        ("which days the satellite does scopes", "which days the satellite does endoscopy"),
        ("a golden hello for new nurses", "a recruitment incentive for new nurses"),
        ("where is occ health based", "where is occupational health based"),
        (
            "whats A&E's friends and family score",
            "whats emergency department's friends and family score",
        ),
        (
            "how long before a nurse scopist can do colonoscopies solo",
            "how long before a nurse endoscopist can do colonoscopies independent",
        ),
        ("how long are pts on SOS appts", "how long are pts on patient-initiated appts"),
        ("is her pre-op still valid", "is her pre-operative still valid"),
        ("can they just rock up for bloods", "can they just walk-in for venepuncture"),
        ("how many ct scans", "how many computed tomography scans"),
        ("can she have water before her op", "can she have water before her operation"),
        ("can she have water before her OP", "can she have water before her OP"),
        ("how many e-consults came in", "how many online consultation came in"),
        ("how many pharmacy techs", "how many pharmacy technicians"),
        ("3 crews sat outside majors", "3 crews waiting outside majors"),
        ("the owner of the procedure", "the owner of the SOP"),
        ("who's the builder on the ward 14 job", "who's the contractor on the ward 14 job"),
        ("target for people driving in to work", "target for people car to work"),
        ("the only one driving the pifu stuff", "the only one driving the patient-initiated stuff"),
        ("cycle2work - what's the max", "cycle to work - what's the max"),
        ("who's the RCN rep", "who's the RCN representative"),
        ("cost per overseas nurse", "cost per internationally educated nurse"),
        ("flexi requests turned down", "flexible requests declined"),
        ("when's the paediatrics clinic", "when's the children's clinic"),
        ("fewer blue-lighted in", "fewer unplanned hospital admission in"),
        ("apply for the gp surgery rotation", "apply for the GP practice rotation"),
        ("share of all OPD attendances", "share of all outpatient attendances"),
    ],
)
def test_a_staff_word_the_index_lacks_is_put_in_its_words(question: str, worded: str) -> None:
    assert in_index_words(question, FORMAL) == worded


def test_a_word_the_documents_use_is_kept() -> None:
    knows = knows_words_of("MRI and CT scans; DNA rates; bloods taken at the hub")
    question = "the mri dna rate and bloods"
    assert in_index_words(question, knows) == question


def test_nothing_changes_without_a_known_alternative() -> None:
    knows = knows_words_of("The four barrier areas of Constructive comfort")
    assert in_index_words("what's the mri dna rate", knows) == "what's the mri dna rate"


def test_only_the_trusts_own_documents_supply_the_formal_word() -> None:
    """The bundled notes on the report say "in advance", but a question about the report is not
    put in their words; the trust's own "venepuncture" is used."""
    bundled_and_trust = knows_words_of("decided in advance nationally; venepuncture sessions")
    trust_only = knows_words_of("venepuncture sessions")
    question = "how much notice for bloods"
    assert in_index_words(question, bundled_and_trust, trust_only) == (
        "how much notice for venepuncture"
    )


def test_everyday_asks_are_put_in_a_procedures_words() -> None:
    procedure = knows_words_of(
        "Book transport 2 working days in advance. MRSA screen results are valid for 12 weeks; "
        "repeat them after that. Patients are discharged to their GP after 12 months."
    )
    assert in_index_words("how much notice do they want", procedure) == (
        "how much advance do they want"
    )
    assert in_index_words("is the swab still ok to use or do we redo it", procedure) == (
        "is the screen valid or do we repeat it"
    )
    assert in_index_words("when do they get bounced back to the gp", procedure) == (
        "when do they get discharged to the gp"
    )


def test_words_typed_apart_are_joined_as_the_documents_write_them() -> None:
    knows = knows_words_of(
        "Door-to-needle: IV antibiotics within 1 hour. Same day slots, ext 2271."
    )
    assert (
        in_index_words("whats our door to needle time?", knows) == "whats our door-to-needle time?"
    )
    # both words known on their own: left apart
    assert in_index_words("any same day slots?", knows) == "any same day slots?"


def test_an_extension_asked_is_the_ext_the_documents_give() -> None:
    knows = knows_words_of("Amira Haddad, lung patient navigator, ext 4478.")
    assert in_index_words("what's her extension?", knows) == "what's her ext?"


def test_everyday_words_for_amounts_and_phones_are_the_documents_words() -> None:
    knows = knows_words_of(
        "8.0 WTE additional clinicians; the ICB will contribute 60%; overtime code HD-OT; "
        "call the falls line by telephone; NEWS2 threshold of 5"
    )
    assert in_index_words("how many extra clinicians?", knows) == (
        "how many additional clinicians?"
    )
    assert in_index_words("is the ICB chipping in?", knows) == "is the ICB contribute?"
    assert in_index_words("how do i claim the OT", knows) == "how do i claim the overtime"
    assert in_index_words("whats the news cut off", knows) == "whats the NEWS2 threshold"
    assert in_index_words("whats the phone number", knows) == "whats the telephone number"


def test_scores_and_categories_are_named_as_the_documents_name_them() -> None:
    knows = knows_words_of(
        "Category 1 mean response time 7:54. We do not accept NEWS2 of 5 or more."
    )
    assert in_index_words("cat 1 average in august", knows) == "category 1 mean in august"
    assert in_index_words("whats the news cut off", knows) == "whats the NEWS2 cut off"
    assert in_index_words("the cat is out of the bag", knows) == "the cat is out of the bag"
