"""NHS numbers in every spelling people paste, and the figures that must not be taken for one.

Pure unit tests: no model, no index. Every false-positive case is built from digits that pass the
modulus-11 check, so it would be refused if the layout rules did not stop it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator

import pytest

from bot.common.privacy import is_valid_nhs_number, redact, screen
from tests.core.test_privacy import valid_numbers, with_check_digit

pytestmark = pytest.mark.fast


def wrong_check_digit(number: str) -> str:
    """The same first nine digits with a check digit that fails."""
    return next(
        number[:9] + str(d) for d in range(10) if not is_valid_nhs_number(number[:9] + str(d))
    )


def lay_out(digits: str, lengths: tuple[int, ...], gaps: str | list[str] = " ") -> str:
    """Split digits into groups of the given lengths, joined by one gap or a gap per join."""
    assert sum(lengths) == len(digits)
    groups, at = [], 0
    for length in lengths:
        groups.append(digits[at : at + length])
        at += length
    joins = [gaps] * (len(groups) - 1) if isinstance(gaps, str) else gaps
    return groups[0] + "".join(gap + group for gap, group in zip(joins, groups[1:], strict=True))


FROM_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def digits_left(text: str) -> str:
    """The digits still in text, full-width ones read as ASCII."""
    return re.sub(r"\D", "", text).translate(FROM_FULL_WIDTH)


NUMBERS = ["9434765919", "4505577104", *valid_numbers(401023200, 2), *valid_numbers(712345600, 2)]

GAPS = {
    "space": " ",
    "double space": "  ",
    "no-break space": "\u00a0",
    "no-break spaces": "\u00a0\u00a0",
    "thin space": "\u2009",
    "narrow no-break space": "\u202f",
    "figure space": "\u2007",
    "ideographic space": "\u3000",
    "tab": "\t",
    "hyphen-minus": "-",
    "hyphen": "\u2010",
    "non-breaking hyphen": "\u2011",
    "figure dash": "\u2012",
    "en dash": "\u2013",
    "em dash": "\u2014",
    "minus sign": "\u2212",
    "full-width hyphen": "\uff0d",
    "spaced en dash": " \u2013 ",
    "spaced hyphen": " - ",
    "soft hyphen": "\u00ad",
    "zero-width space": "\u200b",
    "space and no-break space": " \u00a0",
}

# How people write an NHS number without "NHS no." nearby: whole, in two or three chunks of at
# least three digits, or one digit per form box. Any split counts beside "NHS no.".
LAYOUTS = {
    "3-3-4": (3, 3, 4),
    "4-3-3": (4, 3, 3),
    "3-4-3": (3, 4, 3),
    "5-5": (5, 5),
    "3-7": (3, 7),
    "6-4": (6, 4),
    "4-6": (4, 6),
    "boxes": (1,) * 10,
}
ODD_LAYOUTS = {"2-2-2-2-2": (2,) * 5, "1-3-3-3": (1, 3, 3, 3), "2-3-2-3": (2, 3, 2, 3)}

TEMPLATES = [
    "{n}",
    "Can you look at {n} for me?",
    "NHS no. {n}",
    "Patient ({n}) waited 14 hours in ED.",
]


def test_helpers() -> None:
    assert with_check_digit("943476591") == "9434765919"
    assert all(is_valid_nhs_number(n) for n in NUMBERS) and len(NUMBERS) == 6
    assert not is_valid_nhs_number(wrong_check_digit("9434765919"))
    assert lay_out("9434765919", (3, 3, 4), "\u2013") == "943\u2013476\u20135919"


@pytest.mark.parametrize("gap", GAPS.values(), ids=GAPS.keys())
@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_spelling_is_refused_and_redacted(
    template: str, layout: tuple[int, ...], gap: str
) -> None:
    for number in NUMBERS[:3]:
        written = lay_out(number, layout, gap)
        text = template.format(n=written)
        result = screen(text)
        assert result.sensitive and "nhs_number" in result.kinds, text
        cleaned = redact(text)
        assert cleaned == template.format(n="[removed]")
        assert number not in digits_left(cleaned)


@pytest.mark.parametrize(
    "text",
    [
        "943\u00a0476\u00a05919",
        "4505  577  104",
        "943\u2013476\u20135919",
        "943\u2014476\u20145919",
        "943\u2012476\u20125919",
        "943\u2212476\u22125919",
        "943\u2010476\u20115919",
        "943\u2009476\u20095919",
        "943\u202f476\u202f5919",
        "9434 765 919",
        "94347 65919",
        "9 4 3 4 7 6 5 9 1 9",
        "943-476-5919",
        "943\u00a0476-5919",
        "943 \u2013 476 \u2013 5919",
        "NHS number 943 476\n5919 on the referral",
        "NHS number 943 476\r\n5919 on the referral",
        "nhs#9434765919",
        "NHS9434765919",
        "９４３４７６５９１９",
        "９４３ ４７６ ５９１９",
        "９４３\u3000４７６\u3000５９１９",
        "９４３－４７６－５９１９",
        "NHS no. 943.476.5919",
        "Patient 943.476.5919 was moved",
        "943 476 5919 78 F",
        "1 9434765919 ward 7",
        "9434765919,4505577104",
        "Ring the ward about NHS no 943 476 5919 today",
    ],
)
def test_listed_spellings(text: str) -> None:
    result = screen(text)
    assert result.sensitive and "nhs_number" in result.kinds
    cleaned = redact(text)
    assert "[removed]" in cleaned
    for number in ("9434765919", "4505577104"):
        assert number not in digits_left(cleaned)
    assert not screen(cleaned).sensitive


def test_csv_of_numbers_redacts_each() -> None:
    assert redact("9434765919,4505577104") == "[removed],[removed]"
    assert redact("NHS numbers 943 476 5919; 450\u00a0557\u00a07104.") == (
        "NHS numbers [removed]; [removed]."
    )


@pytest.mark.parametrize("layout", ODD_LAYOUTS.values(), ids=ODD_LAYOUTS.keys())
@pytest.mark.parametrize("context", ["NHS no. {n}", "NHS number: {n}", "{n} is her NHS number"])
def test_any_split_is_refused_beside_nhs_no(context: str, layout: tuple[int, ...]) -> None:
    text = context.format(n=lay_out("9434765919", layout))
    assert screen(text).kinds == ("nhs_number",)
    assert redact(text) == context.format(n="[removed]")


@pytest.mark.parametrize("layout", ODD_LAYOUTS.values(), ids=ODD_LAYOUTS.keys())
def test_odd_split_without_context_is_a_figure(layout: tuple[int, ...]) -> None:
    text = f"The totals were {lay_out('9434765919', layout)} last year."
    assert not screen(text).sensitive


@pytest.mark.parametrize("gap", GAPS.values(), ids=GAPS.keys())
@pytest.mark.parametrize("layout", [v for k, v in LAYOUTS.items() if k != "3-3-4"])
def test_wrong_check_digit_is_not_refused(layout: tuple[int, ...], gap: str) -> None:
    for number in NUMBERS:
        text = f"Reference {lay_out(wrong_check_digit(number), layout, gap)} is in the tracker."
        assert not screen(text).sensitive, text
        assert redact(text) == text


@pytest.mark.parametrize("number", NUMBERS)
def test_wrong_check_digit_bare_or_widely_spaced_is_not_refused(number: str) -> None:
    wrong = wrong_check_digit(number)
    for written in (wrong, lay_out(wrong, (3, 3, 4), "  "), lay_out(wrong, (3, 3, 4), " - ")):
        assert not screen(f"Reference {written} is in the tracker.").sensitive


@pytest.mark.parametrize("gap", [" ", "-", "\u00a0", "\u2013", "\u2009", "\u202f", "\u2212"])
def test_wrong_check_digit_in_nhs_layout_is_still_number_shaped(gap: str) -> None:
    """3-3-4 with single gaps is the NHS's own display, so a mistyped number is still refused."""
    text = lay_out(wrong_check_digit("9434765919"), (3, 3, 4), gap)
    assert screen(text).kinds == ("nhs_number_shaped",)
    assert redact(text) == "[removed]"


@pytest.mark.parametrize("layout", [(10,), (5, 5), (4, 3, 3), (3, 7)])
def test_wrong_check_digit_beside_nhs_number_is_number_shaped(layout: tuple[int, ...]) -> None:
    text = f"NHS number {lay_out(wrong_check_digit('9434765919'), layout)}"
    assert screen(text).kinds == ("nhs_number_shaped",)


def _valid_figure(make: Callable[[int], tuple[str, str]], tries: range) -> str:
    """The first text from make(i) whose ten candidate digits pass the modulus-11 check."""
    for i in tries:
        text, digits = make(i)
        if is_valid_nhs_number(digits):
            return text
    raise AssertionError("no valid digits in range")


def _year_range(i: int) -> tuple[str, str]:
    year = 1990 + i
    return f"Plans for {year}-{year + 1} {year + 2}-{(year + 3) % 100:02d}", (
        f"{year + 1}{year + 2}{(year + 3) % 100:02d}"
    )


def _date_time(i: int) -> tuple[str, str]:
    day, hour = 1 + i % 28, i // 28
    return f"Logged 2024-03-{day:02d} {hour:02d}:30 by the team", f"202403{day:02d}{hour:02d}"


def _page_range(i: int) -> tuple[str, str]:
    return f"See pages 10689-{10690 + i} of the report", f"10689{10690 + i}"


def _five_pairs(i: int) -> tuple[str, str]:
    return f"Reference r{13506 + i}-13509 was merged", f"{13506 + i}13509"


def _figures(number: str) -> Iterator[str]:
    """Ways a valid ten-digit string turns up in documents as something other than an NHS number."""
    d = number
    yield f"The population was {d[:3]}.{d[3:6]}.{d[6:9]}{d[9]} in 2021."  # footnote glued on
    yield f"The population was {d[:3]}.{d[3:6]}.{d[6:9]} {d[9]} in 2021."
    yield f"The number of people was {d[:3]}.{d[3:6]}.{d[6:]} in 2021."
    yield f"{d[:3]}.{d[3:6]}.{d[6:]}"
    yield f"A total of {d[0]},{d[1:4]},{d[4:7]},{d[7:]} appointments."
    yield f"A total of {d[:3]},{d[3:6]},{d[6:9]}{d[9]} appointments."
    yield f"A total of {d[0]} {d[1:4]} {d[4:7]} {d[7:]} appointments."
    yield f"A total of {d[0]}\u2009{d[1:4]}\u2009{d[4:7]}\u2009{d[7:]} appointments."
    yield f"A total of {d[:3]} {d[3:6]} {d[6:9]} {d[9]} appointments."
    yield f"A total of 1,{d[:3]} {d[3:6]} {d[6:]} appointments."
    yield f"Budget £{d[:3]} {d[3:6]} {d[6:]} this year."
    yield f"Budget £{d} this year."
    yield f"Budget $ {d} this year."
    yield f"Budget €{d[:5]} {d[5:]} this year."
    yield f"Uptake {d}% and {d[:5]} {d[5:]} % again."
    yield f"Call +44 {d[:4]} {d[4:]} today."
    yield f"Call +44 (0){d[:2]} {d[2:6]} {d[6:]} today."
    yield f"ISBN {d}"
    yield f"ISBN {d[0]}-{d[1:3]}-{d[3:9]}-{d[9]}"
    yield f"ISBN 978-{d[0]}-{d[1:4]}-{d[4:9]}-{d[9]}"
    yield f"See pp. {d[:5]}-{d[5:]}."
    yield f"Longer {d}1 and 1{d} and {d[:3]} {d[3:6]} {d[6:]}1 and {d[:3]}{d[3:6]}{d[6:]}12."
    yield "Boxes " + lay_out(d + "8", (1,) * 11)
    yield f"Row {d[:5]} {d[5:]} 123 and {d[:4]} {d[4:7]} {d[7:]} 45"
    yield f"Sizes 500 {d[:3]} {d[3:6]} {d[6:]} 1095 1200"
    yield f"Widths {d[:3]} {d[3:6]} {d[6:]}.4 and {d[:3]} {d[3:6]} {d[6:]},5"
    yield f"Offsets {d[:3]} -{d[3:6]} {d[6:]} in the font box."
    yield f"Time {d[:2]}:{d[2:]} and ratio 1/{d} and {d}/2"
    yield f"commit a{d}bcdef0123456789 fixed it"
    yield f"pattern = pack('<Q', 0xfedcba{d})"
    yield f"Phone: {d[:3]}-{d[3:6]}-{d[6:]}. The direct dial number is {d[:3]} {d[3:6]} {d[6:]}."
    yield f"Revisions r{d[:5]}-{d[5:]} and v{d[:5]} {d[5:]} merged."
    yield f"Items 1,{d[:5]} {d[5:]},3 in the list."
    yield f"Figures for\n{d[:5]}\n{d[5:]}\nfollow."
    yield f"Figures for {d[:5]}\n{d[5:]} follow."


FIGURE_CASES = [(number, i, text) for number in NUMBERS for i, text in enumerate(_figures(number))]


@pytest.mark.parametrize(("number", "case", "text"), FIGURE_CASES)
def test_figures_are_not_nhs_numbers(number: str, case: int, text: str) -> None:
    assert is_valid_nhs_number(number)
    result = screen(text)
    assert not result.sensitive, (case, result.kinds)
    assert redact(text) == text


@pytest.mark.parametrize(
    "make",
    [_year_range, _date_time, _page_range, _five_pairs],
    ids=["year ranges", "date and time", "page range", "revision range"],
)
def test_ranges_dates_and_references_are_not_nhs_numbers(
    make: Callable[[int], tuple[str, str]],
) -> None:
    text = _valid_figure(make, range(200))
    assert not screen(text).sensitive, text


@pytest.mark.parametrize(
    "text",
    [
        "Plans for 2019-2020 2021-22 and 2023/24.",
        "Ring 0113 243 3144 or 07700 900123 or 0300 311 22 33.",
        "Freephone 0800 123 456 and 01234 56789.",
        "In 2019 123 456 people attended.",
        "Logged 12/03/2024 10:30 and 2024-03-12T10:30.",
        "ORCID 0000-0002-1825-0097, DOI 10.1136/bmj.m1234.",
        "The budget is £1,234,567,890 or 1 234 567 890 euros.",
        "Clause 252.227-7013 (c) (1) applies.",
    ],
)
def test_everyday_numbers_are_not_refused(text: str) -> None:
    assert not screen(text).sensitive


def test_thousands_grouped_prefixes_are_checked_figures() -> None:
    # "0800 123 456": a freephone number, even when its digits pass the check.
    freephone = valid_numbers(80012300, 1)[0]
    assert freephone.startswith("0800")
    assert not screen(f"Ring {freephone[:4]} {freephone[4:7]} {freephone[7:]}").sensitive


GAP_POOL = [gap for gap in GAPS.values() if "\u00ad" not in gap]


def test_seeded_random_spellings() -> None:
    rng = random.Random(20240611)
    pool = (
        valid_numbers(400000000, 30) + valid_numbers(650000000, 30) + valid_numbers(999000000, 20)
    )
    plausible = list(LAYOUTS.values()) + [(10,)]
    for _ in range(400):
        number = rng.choice(pool)
        gaps = [rng.choice(GAP_POOL) for _ in range(9)]
        layout = rng.choice(plausible)
        written = lay_out(number, layout, gaps[: len(layout) - 1])
        text = rng.choice(TEMPLATES).format(n=written)
        assert "nhs_number" in screen(text).kinds, repr(text)
        assert number not in digits_left(redact(text)), repr(text)

        cuts = sorted(rng.sample(range(1, 10), rng.randint(1, 9)))
        lengths = tuple(b - a for a, b in zip([0, *cuts], [*cuts, 10], strict=True))
        text = "NHS no. " + lay_out(number, lengths, gaps[: len(lengths) - 1])
        assert "nhs_number" in screen(text).kinds, repr(text)
        assert redact(text) == "NHS no. [removed]", repr(text)

        wrong = lay_out(wrong_check_digit(number), layout, gaps[: len(layout) - 1])
        if layout != (3, 3, 4):
            assert not screen(f"Reference {wrong} is in the tracker.").sensitive, repr(wrong)


@pytest.mark.parametrize("layout", [(5, 5), (4, 3, 3), (3, 4, 3), (4, 6), (1,) * 10])
def test_wrong_check_digit_near_a_bare_nhs_is_a_figure(layout: tuple[int, ...]) -> None:
    """NHS documents say "NHS" everywhere; a table row of figures near it is not refused."""
    row = lay_out(wrong_check_digit("9434765919"), layout)
    assert not screen(f"NHS trust beds and admissions: {row}").sensitive


# Numbers said or typed around words: read aloud on a call, dictated, or typed to dodge a filter.
SAID = [
    "943 and 476 and 5919",
    "his number is 943, then 476, then 5919",
    "NHS 943/476/5919",
    "943_476_5919.docx",
    "nine four three four seven six five nine one nine",
    "Nine-four-three, four-seven-six, five-nine-one-nine",
    "nine four three, four seven six, fifty-nine nineteen",
    "NHS no: 943 476 59l9",
    "45O 557 71O4",
    "four five oh, double five seven, seven one nought four",
    "NHS number is nine four 3 four 7 six 5919 and she fell again",
]


@pytest.mark.parametrize("text", SAID)
def test_numbers_said_in_words_are_refused_and_redacted(text: str) -> None:
    result = screen(text)
    assert result.sensitive and "nhs_number" in result.kinds, text
    cleaned = redact(text)
    assert "[removed]" in cleaned and not screen(cleaned).sensitive
    assert not re.search(r"\b(?:nine|four|five|fifty)\b|943|45O|4505", cleaned, re.I), cleaned


@pytest.mark.parametrize("number", NUMBERS)
def test_seeded_numbers_said_digit_by_digit(number: str) -> None:
    """Every digit as a word, in three spoken groups, with a varied joiner."""
    rng = random.Random(number)
    words = "zero one two three four five six seven eight nine".split()
    said = [words[int(d)] for d in number]
    joiner = rng.choice([" ", ", ", " - ", " and "])
    text = f"{' '.join(said[:3])}{joiner}{' '.join(said[3:6])}{joiner}{' '.join(said[6:])}"
    assert screen(f"She gave {text} as her number").kinds == ("nhs_number",), text
    wrong = [words[int(d)] for d in wrong_check_digit(number)]
    assert not screen(f"She gave {' '.join(wrong)} today").sensitive
    assert screen(f"NHS no {' '.join(wrong)}").kinds == ("nhs_number_shaped",)


@pytest.mark.parametrize(
    "text",
    [
        "We saw 10 and 20 and 30 and 4000 people.",  # not written like an NHS number
        "one, two, three, four, five, six, seven, eight, nine, ten",
        "Budgets of £943 and 476 and 5919 pounds.",
        "Between 2019 and 2020 and 2021 the backlog grew.",
        "Call 943 and 476 and 5919 for the ward.",  # a phone number said aloud
        "Scores of 500 and 943 and 476 and 5919 and 1095 in the audit.",  # a list of figures
        "I see two or three patients, then four, then nine.",
        "Plan 2024_2025_26 and ratio 1/2 in report_v2.docx",
    ],
)
def test_everyday_words_and_figures_are_not_read_as_said_numbers(text: str) -> None:
    assert not screen(text).sensitive, screen(text).kinds
    assert redact(text) == text
