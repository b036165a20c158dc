"""Slips and possessives put in the index's words, before retrieval (``spelling.py``)."""

import pytest

from bot.core.answering.spelling import corrected, correction, is_english, owned
from bot.core.wording import terms

pytestmark = pytest.mark.fast

DOCUMENTS = (
    "St Aldhelm's Hospital runs the thrombectomy service. Referral to the rehabilitation team "
    "is by the tenecteplase pathway; the preceptorship programme lasts twelve months."
)
VOCABULARY = frozenset(terms(DOCUMENTS))


def knows(term: str) -> bool:
    return term in VOCABULARY


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("thromectomy", "thrombectomy"),  # a letter dropped
        ("rehabiliation", "rehabilitation"),
        ("tenectelpase", "tenecteplase"),  # two letters swapped
        ("preceptorsihp", "preceptorship"),
    ],
)
def test_a_slip_in_a_long_word_is_put_right(typed: str, meant: str) -> None:
    assert correction(typed, knows) == meant


@pytest.mark.parametrize(
    "word",
    [
        "deferral",  # a real word one letter from "referral": never swapped
        "referral",  # the index's own word
        "thrombo",  # too short to be sure
        "zzzzzzzzz",  # nothing near it
    ],
)
def test_real_words_and_far_words_are_left_alone(word: str) -> None:
    assert correction(word, knows) is None


def test_the_dictionary_is_read_offline_and_knows_everyday_words() -> None:
    assert is_english("deferral") and is_english("Signpost")
    assert not is_english("thromectomy")


def test_a_possessive_typed_without_its_apostrophe_matches_the_documents() -> None:
    # "St Aldhelm's" and "st aldhelms" are one term: nothing to put right
    assert terms("st aldhelms") == terms("St Aldhelm's")
    assert owned("aldhelms", knows) is None
    assert owned("hospital", knows) is None  # the documents already use it
    # "bookings" is never made "booking's", which would stem further than the documents' word
    assert owned("bookings", frozenset(terms("CDC booking line")).__contains__) is None
    assert corrected("who do i phone at st aldhelms?", knows, knows) == (
        "who do i phone at st aldhelms?"
    )


def test_an_acronym_in_capitals_is_never_a_possessive() -> None:
    # "NEWS 5+" is the early warning score; "new's" would stem to "new" and lose it
    documents = frozenset(terms("the new's service started")).__contains__
    assert owned("NEWS", documents) is None
    assert owned("news", documents) == "new's"


def test_possessives_only_follow_the_trusts_documents() -> None:
    """The guidance's notes name bodies a question only supposes: "the kings fund" stays."""
    notes = frozenset(terms("The King's Fund is not the author."))
    assert corrected("was it by the kings fund", notes.__contains__, knows) == (
        "was it by the kings fund"
    )


def test_a_whole_query_keeps_its_other_words() -> None:
    assert corrected("is the thromectomy service 24/7?", knows, knows) == (
        "is the thrombectomy service 24/7?"
    )
    assert corrected("pre-thromectomy checks", knows, knows) == "pre-thromectomy checks"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("actualy", "actually"),  # a slip in a word that only frames the question
        ("tomorow", "tomorrow"),
        ("basicaly", "basically"),
    ],
)
def test_a_slip_in_a_framing_word_is_put_right(typed: str, meant: str) -> None:
    assert correction(typed, knows) == meant


def test_a_slip_whose_likeliest_word_names_a_topic_is_left_alone() -> None:
    # "pharmcy" is most likely "pharmacy", a topic the index must hold: never guessed at
    assert correction("pharmcy", knows) is None
    assert correction("recurrently", knows) is None  # an English word, left as typed
