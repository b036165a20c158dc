"""Patient-data screen: find patient-identifiable data before anything is sent, stored or logged.

``screen`` decides whether a message may be processed at all; ``redact`` blanks the same
identifiers in text that is only reported on. Neither function logs or keeps the text.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

_Hit = tuple[str, int, int]  # (kind, start, end)

# NHS numbers are pasted from Word and EPRs with any spacing: non-breaking or thin spaces, en or
# em dashes, minus signs, soft hyphens, full-width digits (``\d`` matches every decimal digit, so
# offsets stay those of the original text). A run is digit groups joined by short gaps of such
# characters; a gap may hold one line break (a wrapped line) but not a paragraph break.
_DASHES = r"\-\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d"
_BREAKS = r"\r\n\v\f\x1c-\x1e\x85\u2028\u2029"
_GAP_CHAR = rf"(?:[^\S{_BREAKS}]|[{_DASHES}\u00ad\u200b\u200c\u200d\u2060\ufeff])"
_GAP = rf"(?:{_GAP_CHAR}{{1,3}}|{_GAP_CHAR}{{0,3}}(?:\r\n|[{_BREAKS}]){_GAP_CHAR}{{0,3}})"
_DIGIT_RUN = re.compile(rf"\d+(?:{_GAP}\d+)*")
_DIGITS = re.compile(r"\d+")
_DASH = re.compile(rf"[{_DASHES}]")
_LINE_BREAK = re.compile(rf"[{_BREAKS}]")
_SIGNED = re.compile(rf"\s[{_DASHES}]$")  # "169 -270 1010": a list of signed numbers
_CANONICAL = ((10,), (3, 3, 4))
_OLD_SHAPES = ((10,), (3, 3, 4), (3, 7), (6, 4))  # refused near "NHS"/"no" even if invalid
# Dots group thousands in many documents ("273.879.750"), so dotted numbers count only in the
# NHS's own 3-3-4 layout and only next to words that name an identifier.
_DOTTED = re.compile(r"(?<![\d.,])\d{3}[.\uff0e]\d{3}[.\uff0e]\d{4}(?!\d|[.,]\d)")
_NHS_CONTEXT = re.compile(r"\b(?:nhs|patients?|number(?!\s+of\b)|no|num)\b|#", re.I)
_ID_CONTEXT = re.compile(  # "NHS no.", "CHI number", "patient ID": the number is an identifier
    r"\b(?:nhs|chi|patient|pt)(?:'s)?[\s.:]*(?:id|no|num|number)\b(?![-\u2010\u2011]|\s+of\b)"
    r"|\bnhs\s*#",
    re.I,
)
# What sits around a number that makes it something else.
_NOT_AN_IDENTIFIER_BEFORE = re.compile(  # money, +44 and (0) phones, ISBNs, page ranges
    r"(?:[£$€¥+]|\(0\)|\bisbn(?:-?1[03])?:?|\bpp\.?|\bp\.)\s*$|\d[:/]$", re.I
)
_NOT_AN_IDENTIFIER_AFTER = re.compile(r"\s?[%‰]|[:/]\d")  # percentages, times, dates, fractions
_PHONE_WORDS = re.compile(r"\b(?:(?:tele)?phone|tel|fax|mobile|call|ring|dial)\b", re.I)
_LIST_BEFORE = re.compile(r"\d[.,;]$")  # figures and lists: "1,943 476 5919", "1044.4"
_LIST_AFTER = re.compile(r"[.,;]\d")
_GLUED_BEFORE = re.compile(r"\w*$")  # letters touching the number
_GLUED_AFTER = re.compile(r"\w*")
_HEX_HASH = re.compile(r"(?:0x)?(?=.*[a-f])[0-9a-f]{16,}", re.I)  # commit ids, UUID parts
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE = (
    # a short year only with one separator throughout: "26/03-01" is an action's number
    r"(?<!\d)(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{1,2}/\d{1,2}/\d{2}|\d{1,2}\.\d{1,2}\.\d{2}"
    r"|\d{1,2}-\d{1,2}-\d{2}|\d{4}-\d{2}-\d{2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})(?!\d)"  # "May 4, 1950"
)
_DATE_RE = re.compile(_DATE, re.I)
# after "DOB" a date may be written without separators ("dob 021148", "DOB 02111948") or with
# a short year after a month's name ("dob 2 Nov 48")
_COMPACT_DATE = (
    rf"(?<!\d)(?:\d{{6}}|\d{{8}})(?!\d)|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+\d{{2}}(?!\d)"
)
_DOB_PHRASE = re.compile(
    rf"(?<!\w)(?:dob|d\.o\.b\.?|date\s+of\s+birth|born(?:\s+on)?)\s*[:=-]?\s*"
    rf"(?:{_DATE}|{_COMPACT_DATE})",
    re.I,
)
_B_DOT = re.compile(rf"(?<!\w)b\.\s*{_DATE}", re.I)  # "b. 04/05/1950": only with a birth-like year
_BORN_IN = re.compile(r"\bborn\s+(?:in\s+)?(?:19|20)\d{2}\b", re.I)  # identifying beside a name
_WORD = r"[A-Z](?:[a-z]|'[A-Z])[A-Za-z'’-]*"  # a capitalised name, not an acronym like NHS
_NAME = re.compile(
    rf"\b(?:(?:Mrs?|Ms|Miss|Mx|Dr|MRS?|MS|MISS|DR)\.?|[Pp]atient)\s+{_WORD}(?:\s+{_WORD})?"
)
_NAME_DATE_GAP = re.compile(r"[\s,(:-]{0,4}")
# A name written without a title ("Jane Smith", "Smith, Jane") counts only right before a date of
# birth; capitalised words that name an organisation or a document are not a person.
_PLAIN_NAME_BEFORE = re.compile(rf"(?<![\w'’-])(?:{_WORD},?\s+){{1,2}}{_WORD}[\s,(:-]{{0,4}}$")
_NOT_A_PERSON = frozenset(
    "act board care circular commission committee council date department england foundation "
    "group guidance health hospital issued meeting minutes plan policy published quality report "
    "review service services strategy trust university updated version".split()
)
_HOSPITAL = re.compile(
    r"\b(?:mrn|hospital\s+(?:number|no)|hosp\.?\s*no|unit\s+(?:number|no)"
    r"|case\s+note\s+(?:number|no))\b\.?(?:\s+is)?\s*[:#-]?\s*(?=[a-z]*\d)[a-z0-9]{6,}\b"
    r"|(?-i:\bR[A-Z][A-Z0-9]\d{6,}\b)",
    re.I,
)
_POSTCODE = re.compile(
    r"\b(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}"
    r"|[a-z]{1,2}\d[a-z\d]?\s?\d(?!st|nd|rd|th)[abd-hjlnp-uw-z]{2})\b"
)
# A home address: a house number and a street ("22 Larkspur Close", "7a mill lane"). It identifies
# a patient when a person's name sits right before it ("Amelia Thistlethwaite, 22 Larkspur
# Close", "Mrs Jones of 4 Mill Lane", "Tom Reid lives at …"); a service's address follows a
# building's name instead ("Kingsmead House, 14 Station Road").
_STREET = (
    r"(?:close|road|rd|street|st|avenue|ave|lane|ln|drive|way|crescent|court|gardens|place|"
    r"terrace|grove|walk|rise|view|square|mews|hill|row|parade|green|park|vale|meadows?|fields|"
    r"croft|chase|wynd|end|gate|yard)"
)
_ADDRESS = re.compile(rf"\b\d{{1,4}}[a-z]?,?\s+(?:[a-z][a-z'-]+\s+){{1,3}}{_STREET}\b", re.I)
_NAME_BEFORE_ADDRESS = re.compile(  # a titled name, or a first name and a surname
    rf"(?:(?:Mrs?|Ms|Miss|Mx|Dr)\.?\s+{_WORD}|(?:{_WORD}\s+){{1,2}}{_WORD})(?:'s)?"
    r"(?:\s*,\s*|\s+(?:of|at|from|lives\s+at|living\s+at|who\s+lives\s+at|now\s+at|is\s+at)\s+)$"
)
_BUILDING = frozenset(
    "house centre center clinic hospital unit building hall surgery practice lodge pavilion wing "
    "office offices block suite floor hub station depot library school college church ward "
    "estate site campus base medical health the old new rectory farm cottage barn manor mill "
    "court lodge pharmacy pharmacies chemist chemists dental opticians".split()
)
_PATIENT_CONTEXT = re.compile(
    r"\b(?:patients?|lives?\s+at|living\s+at|home\s+address|(?:his|her|their)\s+address|discharg\w*|beds?"
    r"|dob|d\.o\.b|resident|born)\b"
    # a title before a name ("Mrs Patel", "ms jones"), not "MS Teams" or "MS Word"
    r"|\b(?:mrs?|ms|miss|mx)\.?\s+(?!(?:teams|word|excel|office|forms|outlook|sharepoint|"
    r"project|access)\b)[a-z]",
    re.I,
)
# A contact named as a service's just before it: "the SPLW team line on", "the crisis line:",
# "switchboard", "email the referrals inbox at".
_SERVICE_WORDS = (
    r"\b(?:line|lines|helpline|hotline|switchboard|team|teams|service|desk|office|hub|reception"
    r"|hospital|hospice|pharmacy"
    r"|mailbox|inbox|department|unit|ward|practice|surgery|clinic|centre|center|bleep|freephone"
    r"|referrals?|enquiries|bookings?)\b"
)
_SERVICE_BEFORE = re.compile(_SERVICE_WORDS + r"[^.!?\n]{0,18}$", re.I)
# a landline given as an extension's outside number, or a row of a contacts table naming the
# team, suite or duty role it reaches: "ext 4412 (external 01632 960412)", "Heathergate Suite
# coordinator | Duty coordinator | ext 4412 / 01632 960412", "ESD office (Hollinwell Community
# Hospital): 01632 960418"
_ORGANISATION_LINE = re.compile(
    r"(?:\b(?:ext|extn|extension)\b\.?\s*[*_]{0,2}\d{3,5}\b"
    r"|\b(?:external|from outside|outside the)\b"
    r"|\b(?:coordinator|midwives|duty|suite|control room|switchboard)\b"
    r"|" + _SERVICE_WORDS + r")[^.!?\n]{0,45}$",
    re.I,
)
# a mailbox named for what it handles ("epr.support@…", "spa.referrals@…", "pals@…")
_SERVICE_MAILBOX = re.compile(
    r"[A-Za-z0-9._%+-]*\b(?:support|team|enquiries|enquiry|admin|referrals?|office|hub|desk|service|"
    r"helpdesk|bookings?|info|pals|contact|queries|rota|digital|training)\b[A-Za-z0-9._%+-]*@",
    re.I,
)
_MOBILE = re.compile(r"(?:\+44\s?(?:\(0\)\s?)?|0)7")
# where a service's mailbox lives: an NHS or public-sector domain, never a personal provider's
_PUBLIC_DOMAIN = re.compile(r"@(?:[\w-]+\.)*(?:nhs\.net|nhs\.uk|gov\.uk|ac\.uk)$", re.I)
# an NHS organisation's own domain, whatever its country code or test suffix ("@merrowfield.nhs.uk",
# "@afh-nhs.example"): its mailboxes are staff's and services', never a patient's own
_NHS_DOMAIN = re.compile(r"@(?:[\w-]+[.-])*nhs(?:[.-][\w-]+)*\.[a-z]{2,}$", re.I)
# whose a thing is, when it is an organisation's, not a person's ("the trust's booking line")
_ORGANISATIONS = (
    r"(?:trust|hospital|hospice|service|team|practice|unit|board|network|department|ward|clinic"
    r"|organisation|organization|council|partnership|icb|nhs|system|centre|region|programme"
    r"|federation|pcn|surgery|lab|laboratory)['\u2019]s\b"
)
# Someone's own contact: a possessive, a relative, a title before a name.
# A relative counts ("her daughter", "mother on 0113 …", "Mr Khan's wife"), but not a service
# named for families ("the family liaison team"), carers in general ("the patient or carer rings
# the PIFU line"), "Hospital at Home on 01632 …", nor a leaflet's reader ("contact your practice",
# "from a mobile or outside the Trust: 01632 …").
_PERSONAL_CUE = re.compile(
    r"\b(?:his|her|him|my)\b|\b(?!" + _ORGANISATIONS + r")[\w-]*[a-z]['\u2019]s\b"
    r"|\b(?:daughter|son|wife|husband|partner|mum|mother|dad"
    r"|father|relative|family|nok|next\s+of\s+kin|neighbour|friend)\b(?!(?:\s+[\w-]+)?\s+(?:line|team"
    r"|service|inbox|hub|voices|liaison|support|lead|officer|centre))"
    r"|\b(?:the|a|their|our)\s+carer\b"
    r"|\bhome\s+(?:phone|number|tel|landline)\b|(?-i:\bat home on\b)"
    r"|\b(?:mrs?|ms|miss|mx|dr)\.?\s+[A-Z]",
    re.I,
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_PHONE = re.compile(  # UK mobiles and geographic numbers, national or +44
    r"(?<![\d+])(?:\+44\s?(?:\(0\)\s?)?|0)"
    r"(?:7\d{3}\s?\d{3}\s?\d{3}|[12]\d{1,3}[\s-]?\d{3,4}[\s-]?\d{3,4})(?!\d)"
)
# Numbers said or typed around words: "nine four three, four seven six, five nine one nine",
# "943 and 476 and 5919", "double four", "fifty-nine nineteen", "4O5 557 71O4" (letter O for
# zero), "943_476_5919.docx". The layout rules above never see these, because words, underscores
# or slashes sit between the digits; here each token is read as digits or as a joiner.
_UNIT_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "naught": "0", "nil": "0",
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_TEEN_WORDS = {
    "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19",
}  # fmt: skip
_TENS_WORDS = {
    "twenty": "2", "thirty": "3", "forty": "4", "fourty": "4", "fifty": "5",
    "sixty": "6", "seventy": "7", "eighty": "8", "ninety": "9",
}  # fmt: skip
_REPEAT_WORDS = {"double": 2, "triple": 3, "treble": 3}
_JOINER_WORDS = frozenset({"and", "then", "dash", "hyphen", "space", "comma", "slash", "stroke"})
_PLAIN_JOINERS = frozenset(",.:;")  # and any dash: what the layout rules see too
_WORDY_JOINERS = frozenset("/_")  # what they do not
_TOKEN = re.compile(r"[^\W_]+|\S")
_LOOKALIKE = re.compile(r"(?=(?:\D*\d){2})(?=.*[OoIl])[0-9OoIl]+")  # "4O5", "71O4": O or l typed
_AS_DIGITS = str.maketrans("OoIl", "0011")
_MAX_JOINERS = 3

_DESCRIPTIONS = {
    "nhs_number": "an NHS number",
    "nhs_number_shaped": "a number that looks like an NHS number",
    "name_and_dob": "a name together with a date of birth",
    "name_and_address": "a name together with a home address",
    "date_of_birth": "a date of birth",
    "hospital_number": "a hospital or MRN number",
    "postcode_with_patient_context": "a patient's postcode",
    "email": "an email address linked to a patient",
    "phone": "a phone number linked to a patient",
}


class PrivacyResult(BaseModel):
    """The outcome of screening one piece of text.

    Attributes:
        sensitive: True when the text must not be sent to a model, stored or logged.
        kinds: The kinds of identifier found, e.g. ``"nhs_number"``; empty when clean.
        message: Plain-English reason and how to rephrase; empty when clean. Never
            contains the identifier itself.
    """

    model_config = ConfigDict(frozen=True)

    sensitive: bool
    kinds: tuple[str, ...] = ()
    message: str = ""


def is_valid_nhs_number(digits: str) -> bool:
    """Check a 10-digit string against the NHS modulus-11 check digit.

    Args:
        digits: Exactly ten decimal digits (any script, e.g. full-width), no separators.

    Returns:
        True if the check digit matches; all-same-digit strings are never valid.
    """
    if len(digits) != 10 or not digits.isdecimal() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return check != 10 and check % 11 == int(digits[9])


def _is_year(group: str) -> bool:
    return len(group) == 4 and 1900 <= int(group) <= 2099


def _looks_like_other_figure(groups: list[str], gaps: list[str]) -> bool:
    """Why: ten digits in a row are also phone numbers, year lists and ranges.

    "0800 123 456" and "01234 56789" start with a dialling code; "2019 123 456" is a year then a
    count; "2020 2021-22" and "2019-2020 21" are year ranges, "10689-10690" a range of references
    and "169 -270 1010" a list of signed numbers. None is written like an NHS number.
    """
    if len(groups) > 1 and (
        (int(groups[0][0]) == 0 and len(groups[0]) in (4, 5)) or _is_year(groups[0])
    ):
        return True
    if len(groups) == 2 and _DASH.search(gaps[0]) and len(groups[0]) == len(groups[1]):
        if 0 < int(groups[1]) - int(groups[0]) < 10 ** (len(groups[0]) - 2):
            return True  # a range such as "10689-10690"
    return any(
        (_DASH.search(gap) and _is_year(a) and (_is_year(b) or len(b) == 2)) or _SIGNED.search(gap)
        for a, b, gap in zip(groups, groups[1:], gaps, strict=False)
    )


def _in_list(text: str, s: int, e: int) -> bool:
    return bool(_LIST_BEFORE.search(text, max(0, s - 2), s) or _LIST_AFTER.match(text, e))


def _alone(gaps: list[str], glued: str) -> bool:
    """Why: an unusual layout is believable only on one line and touching no letters."""
    return not glued and not any(_LINE_BREAK.search(gap) for gap in gaps)


def _plausible_layout(lengths: tuple[int, ...]) -> bool:
    """Why: people write NHS numbers whole, in two or three chunks, or one digit per form box.

    Any other split (2-2-3-3, 1-3-3-3, 3-3-3-1) is how tables and thousands-grouped figures come
    out of a PDF, so it counts only beside "NHS no."-like words.
    """
    return (len(lengths) <= 3 and min(lengths) >= 3) or set(lengths) == {1}


def _run_hits(text: str, start: int, end: int) -> list[_Hit]:
    """Why: a run of digit groups may hold an NHS number plus neighbours (a row number, an age).

    Every stretch of whole groups holding exactly ten digits is a candidate; a group is never cut,
    so "94347659191" or "943 476 59191" (longer numbers) never yield one.
    """
    spans = [(m.start(), m.end()) for m in _DIGITS.finditer(text, start, end)]
    if sum(e - s for s, e in spans) == 13 and text[start : start + 3] in ("978", "979"):
        return []  # an ISBN-13
    hits: list[_Hit] = []
    for first in range(len(spans)):
        last, count = first, spans[first][1] - spans[first][0]
        while count < 10 and last + 1 < len(spans):
            last += 1
            count += spans[last][1] - spans[last][0]
        outside = (
            spans[first - 1][1] - spans[first - 1][0] if first else 0,
            spans[last + 1][1] - spans[last + 1][0] if last + 1 < len(spans) else 0,
        )
        kind = _candidate_kind(text, spans[first : last + 1], outside) if count == 10 else None
        if kind:
            hits.append((kind, spans[first][0], spans[last][1]))
    return hits


def _candidate_kind(
    text: str, spans: list[tuple[int, int]], outside: tuple[int, int]
) -> str | None:
    """Why: ten digits are an NHS number only when laid out as people write one.

    ``outside`` holds the lengths of the groups just before and after in the same run (0: none).
    The canonical layouts (ten digits, or 3-3-4) may share a run with a short neighbour (a row
    number, an age), wrap at a line break, and touch letters as PDF text sometimes does
    ("NHS9434765919"); but 3-3-4 amid longer groups is a list of figures ("700 800 900 1000
    1095"). Any other layout must be the whole run, on one line and free of letters, so eleven
    form boxes, a table row or "r13506-13509" is never read as ten digits. Only ten bare digits
    may be an item of a comma list (a CSV of NHS numbers); a grouped number there is a figure
    ("1,943 476 5919", "750 750 1044.4").

    A failing check digit (a mistyped number) is still refused in 3-3-4 with single-character
    gaps (the NHS's own display), in the long-standing shapes beside "NHS"/"patient"/"no", and in
    any plausible layout beside "NHS no."; not in 5-5 or 4-3-3 beside a bare "NHS", which in NHS
    documents would withhold every table row of two five-digit figures.
    """
    s, e = spans[0][0], spans[-1][1]
    lengths = tuple(b - a for a, b in spans)
    canonical = lengths in _CANONICAL
    groups = [text[a:b] for a, b in spans]
    gaps = [text[a[1] : b[0]] for a, b in zip(spans, spans[1:], strict=False)]
    digits = "".join(groups)
    before = _GLUED_BEFORE.search(text, max(0, s - 40), s)
    after = _GLUED_AFTER.match(text, e)
    glued = (before.group() if before else "", after.group() if after else "")
    if (
        not (canonical or outside == (0, 0))
        or (lengths == (3, 3, 4) and max(outside) >= 3)
        or len(set(digits)) == 1
        or _looks_like_other_figure(groups, gaps)
        or _NOT_AN_IDENTIFIER_AFTER.match(text, e)
        or (lengths != (10,) and _in_list(text, s, e))
        or (not canonical and not _alone(gaps, "".join(glued)))
        or _HEX_HASH.fullmatch(glued[0] + text[s:e] + glued[1])
    ):
        return None
    near = text[max(0, s - 25) : s] + " " + text[e : e + 25]
    if _called_a_phone(text, s, near):
        return None  # "Phone: 608-262-6966", "dial 0800 ..."
    plausible = _plausible_layout(lengths)
    if is_valid_nhs_number(digits) and (plausible or _ID_CONTEXT.search(near)):
        return "nhs_number"
    if lengths == (3, 3, 4) and all(len(gap) == 1 and not _LINE_BREAK.match(gap) for gap in gaps):
        return "nhs_number_shaped"
    if (lengths in _OLD_SHAPES and _NHS_CONTEXT.search(near)) or (
        plausible and _ID_CONTEXT.search(near)
    ):
        return "nhs_number_shaped"
    return None


def _called_a_phone(text: str, start: int, near: str) -> bool:
    """Whether phone words come just before the number and no "NHS no."-like words are near."""
    return bool(_PHONE_WORDS.search(text, max(0, start - 25), start)) and not _ID_CONTEXT.search(
        near
    )


def _nhs_hits(text: str) -> list[_Hit]:
    hits: list[_Hit] = []
    for run in _DIGIT_RUN.finditer(text):
        if not _NOT_AN_IDENTIFIER_BEFORE.search(text[max(0, run.start() - 12) : run.start()]):
            hits += _run_hits(text, run.start(), run.end())
    for m in _DOTTED.finditer(text):
        near = text[max(0, m.start() - 25) : m.start()] + " " + text[m.end() : m.end() + 25]
        digits = m.group()[:3] + m.group()[4:7] + m.group()[8:]
        if len(set(digits)) > 1 and _NHS_CONTEXT.search(near):
            kind = "nhs_number" if is_valid_nhs_number(digits) else "nhs_number_shaped"
            hits.append((kind, m.start(), m.end()))
    return hits


class _Said(NamedTuple):
    """One stretch of text read as digits, e.g. "943", "nine" or "fifty-nine"."""

    digits: str
    start: int
    end: int
    spoken: bool  # written as words ("nine", "double four")
    plain: bool  # written as digits, exactly as the layout rules read them
    after_word: bool  # joined to the item before by a word, "/" or "_"


def _spoken_digits(tokens: list[tuple[str, int, int]], i: int) -> tuple[_Said, int] | None:
    """Read the token at i (and a following unit or repeated digit) as digits, if it is one."""
    word, start, end = tokens[i]
    low = word.lower()
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    if word.isdecimal():
        return _Said(word, start, end, spoken=False, plain=True, after_word=False), i
    if _LOOKALIKE.fullmatch(word):
        digits = word.translate(_AS_DIGITS)
        return _Said(digits, start, end, spoken=False, plain=False, after_word=False), i
    if low in _UNIT_WORDS or low in _TEEN_WORDS:
        digits = _UNIT_WORDS.get(low) or _TEEN_WORDS[low]
        return _Said(digits, start, end, spoken=True, plain=False, after_word=False), i
    if low in _TENS_WORDS:  # "fifty", "fifty nine", "fifty-nine"
        j = i + 2 if following and _DASH.fullmatch(following[0]) else i + 1
        unit = tokens[j][0].lower() if j < len(tokens) else ""
        if _UNIT_WORDS.get(unit, "0") != "0":
            digits = _TENS_WORDS[low] + _UNIT_WORDS[unit]
            return _Said(digits, start, tokens[j][2], spoken=True, plain=False, after_word=False), j
        return _Said(_TENS_WORDS[low] + "0", start, end, True, False, False), i
    if low in _REPEAT_WORDS and following:  # "double four", "triple 0"
        repeated = following[0].lower()
        digit = _UNIT_WORDS.get(repeated) or (repeated if len(repeated) == 1 else None)
        if digit and digit.isdecimal():
            digits = digit * _REPEAT_WORDS[low]
            return _Said(digits, start, following[2], True, False, False), i + 1
    return None


def _said_sequences(text: str) -> list[list[_Said]]:
    """Why: split text into runs of numbers joined only by joiners ("and", ",", "-", "/", "_")."""
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    sequences: list[list[_Said]] = [[]]
    joiners, after_word = 0, False
    i = 0
    while i < len(tokens):
        word = tokens[i][0]
        read = _spoken_digits(tokens, i)
        if read:
            item, i = read
            sequences[-1].append(item._replace(after_word=after_word))
            joiners, after_word = 0, False
        elif (
            sequences[-1]
            and joiners < _MAX_JOINERS
            and (
                word.lower() in _JOINER_WORDS
                or word in _WORDY_JOINERS
                or word in _PLAIN_JOINERS
                or _DASH.fullmatch(word)
            )
        ):
            joiners += 1
            after_word = after_word or word.lower() in _JOINER_WORDS or word in _WORDY_JOINERS
        else:
            if sequences[-1]:
                sequences.append([])
            joiners, after_word = 0, False
        i += 1
    return [sequence for sequence in sequences if sequence]


def _said_kind(text: str, stretch: list[_Said], whole: bool) -> str | None:
    """Why: ten digits read through words are an NHS number on the same terms as written ones.

    Only stretches the layout rules cannot see are judged here (a word, a look-alike letter, "/"
    or "_" among the digits). Digit groups joined by words must be the whole run and laid out as
    people write an NHS number ("943 and 476 and 5919", not "10 and 20 and 30 and 4000"); ten
    digits said one by one are never a figure. The usual neighbours still rule a number out:
    money, percentages, phone words, years, a single repeated digit.
    """
    if all(item.plain for item in stretch) and not any(item.after_word for item in stretch[1:]):
        return None  # the layout rules have judged it already
    s, e = stretch[0].start, stretch[-1].end
    groups = [item.digits for item in stretch]
    digits = "".join(groups)
    gaps = [text[a.end : b.start] for a, b in zip(stretch, stretch[1:], strict=False)]
    if not any(item.spoken for item in stretch) and (
        not whole
        or not _plausible_layout(tuple(len(group) for group in groups))
        or _looks_like_other_figure(groups, gaps)
    ):
        return None
    near = text[max(0, s - 25) : s] + " " + text[e : e + 25]
    if (
        len(set(digits)) == 1
        or _NOT_AN_IDENTIFIER_BEFORE.search(text[max(0, s - 12) : s])
        or _NOT_AN_IDENTIFIER_AFTER.match(text, e)
        or _called_a_phone(text, s, near)
    ):
        return None
    if is_valid_nhs_number(digits):
        return "nhs_number"
    return "nhs_number_shaped" if _ID_CONTEXT.search(near) else None


def _said_hits(text: str) -> list[_Hit]:
    """Every stretch of whole items holding exactly ten digits is a candidate, as in digit runs."""
    hits: list[_Hit] = []
    for sequence in _said_sequences(text):
        for first in range(len(sequence)):
            last, count = first, 0
            while last < len(sequence) and count < 10:
                count += len(sequence[last].digits)
                last += 1
            whole = first == 0 and last == len(sequence)
            kind = _said_kind(text, sequence[first:last], whole) if count == 10 else None
            if kind:
                hits.append((kind, sequence[first].start, sequence[last - 1].end))
    return hits


def _year(found: str) -> int:
    groups = _DIGITS.findall(found)
    four = next((int(g) for g in groups if len(g) == 4), None)
    year = four if four is not None else 2000 + int(groups[-1])
    return year - 100 if four is None and year > date.today().year else year


def _plain_names(text: str, oldest: int, stated: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Why: "Jane Smith 04/05/1950" identifies a patient as surely as "Mrs Smith" does.

    ``stated`` holds the spans of "DOB …" and "b. …" phrases, already found by the caller.
    """
    spans = []
    births = [
        (m.start(), m.end())
        for m in _DATE_RE.finditer(text)
        if oldest - 100 <= _year(m.group()) <= oldest
    ]
    for start, end in births + stated:
        name = _PLAIN_NAME_BEFORE.search(text, max(0, start - 60), start)
        words = re.findall(r"[A-Za-z]+", name.group().lower()) if name else []
        if name and not _NOT_A_PERSON.intersection(words):
            spans.append((name.start(), end))
    return spans


# the header of minutes' action log: who owns each action and when it is due
_ACTION_LOG_HEADER = re.compile(
    r"^(?=.*\b(?:owner|lead|by whom|responsible)\b)(?=.*\b(?:due|deadline|by when|target)\b)"
    r"(?!.*\b(?:dob|d\.o\.b|birth|born|age)\b).*$",
    re.I | re.M,
)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _action_logs(text: str) -> list[tuple[int, int]]:
    """Spans of action logs: from an "Action | Owner | Due" header to the next blank line.

    Why: "Commission two TRiM courses   Dr Priya Anand   13 December 2024" is a recent date beside
    a name, as a child's date of birth would be, but under "Owner   Due" it is when the action is
    due. A date of a birth-like year still counts there.
    """
    spans = []
    for header in _ACTION_LOG_HEADER.finditer(text):
        blank = _BLANK_LINE.search(text, header.end())
        spans.append((header.end(), blank.start() if blank else len(text)))
    return spans


# what a capitalised word after "Patient" names when it is a body or a service, not a person:
# "the Deteriorating Patient Group, 9 September 2025", "Patient Experience Team"
_PATIENTS_BODY = frozenset(
    "forum panel network partnership experience safety participation flow voice voices liaison "
    "engagement reference advice transport information leaflet led lead leads portal "
    "record records survey champion champions".split()
)


def _a_patients_body(name: str) -> bool:
    words = re.findall(r"[A-Za-z]+", name.lower())
    return words[0] == "patient" and bool((_NOT_A_PERSON | _PATIENTS_BODY).intersection(words[1:]))


def _dob_hits(text: str) -> list[_Hit]:
    oldest = date.today().year - 16  # planning dates are recent; birth dates mostly are not
    dob = [(m.start(), m.end()) for m in _DOB_PHRASE.finditer(text)]
    b_dot = [(m.start(), m.end(), _year(m.group())) for m in _B_DOT.finditer(text)]
    phrases = dob + [(s, e) for s, e, year in b_dot if year <= oldest]
    stated = dob + [(s, e) for s, e, _ in b_dot]
    names = [(m.start(), m.end()) for m in _NAME.finditer(text) if not _a_patients_body(m.group())]
    names += _plain_names(text, oldest, stated)
    if not names:
        return [("date_of_birth", s, e) for s, e in phrases]
    phrases += [(m.start(), m.end()) for m in _BORN_IN.finditer(text)]
    due = _action_logs(text)
    dates = [
        (m.start(), m.end())
        for m in _DATE_RE.finditer(text)
        if _year(m.group()) <= oldest
        or (
            not any(a <= m.start() < b for a, b in due)
            and any(
                _NAME_DATE_GAP.fullmatch(text[e : m.start()]) for _, e in names if e <= m.start()
            )
        )
    ]
    if not phrases and not dates:
        return []
    return [("name_and_dob", s, e) for s, e in names + dates + phrases]


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(stop, 0, start) for stop in (". ", "! ", "? ", "\n"))
    rights = [i for i in (text.find(stop, end) for stop in (". ", "! ", "? ", "\n")) if i >= 0]
    return text[left + 1 : min(rights, default=len(text))]


_CONTACT_LABEL = re.compile(  # "Phone:", "- **Tel:** "
    r"^\s*(?:[-*\u2022>]\s+)?[*_]{0,2}\s*(?:phone|tel|telephone|call|ring|fax)\s*[:.-]?\s*[*_]{0,2}"
    r"\s*[:.-]?\s*$",
    re.I,
)
_CONTACT_US = re.compile(
    r"^\s*(?:#+\s*)?(?:contact|contacting|get\s+in\s+touch\s+with|call)\s+us\b", re.I
)
_CONTACT_HEADING = re.compile(r"^\s*(?:#+\s*)?contact(?:ing)?\b", re.I)
# a short heading that names a service ("Medicines Advice Line (MAL) for practices"), no
# sentence and no person's cue: the line under it that starts "Call" gives that service's number
_SERVICE_HEADING = re.compile(
    r"^\s*(?:#+\s*)?(?=[^.!?\n]{3,120}$)(?![^\n]*\b(?:his|her|my|mrs?|ms|miss|dr)\b)[^\n]*"
    + _SERVICE_WORDS,
    re.I,
)


def _in_a_services_contact_block(
    text: str, start: int, label: re.Pattern[str] = _CONTACT_LABEL
) -> bool:
    """A labelled line ("Phone: …") under a service's "Contact the hub" heading or mailbox.

    Why: a newsletter's "Contact the hub / Email: discharge.hub@….nhs.uk / Phone: 01632 …"
    block gives the team's line on its own line, with no service word just before it.
    """
    line_start = text.rfind("\n", 0, start) + 1
    if not label.search(text[line_start:start]):
        return False
    above = text[max(0, line_start - 200) : line_start].splitlines()[-3:]
    heading = next((line for line in reversed(above) if line.strip()), "")
    if _SERVICE_HEADING.match(heading):
        return True  # "Medicines Advice Line (MAL) for practices" over "Call 01632 960400"
    return any(
        (_CONTACT_HEADING.match(line) and _SERVICE_BEFORE.search(line + " "))
        or _CONTACT_US.match(line)  # "Contact us" in a service's own leaflet
        or any(
            _SERVICE_MAILBOX.match(m.group()) and _PUBLIC_DOMAIN.search(m.group())
            for m in _EMAIL.finditer(line)
        )
        for line in above
    )


# a contacts table's header: a column for the number beside one for the service or its hours,
# and none for a person ("Patient | DOB | Phone", "Name | Address | Tel")
_CONTACT_COLUMN = re.compile(
    r"\b(?:phone|telephone|tel|number|contact|extension|ext|direct\s+line|line)\b", re.I
)
# a staff list's header: "Role | Name | Phone" names staff by their post, not patients
_STAFF_COLUMN = re.compile(r"\b(?:role|job(?:\s+title)?|post|position|designation)\b", re.I)
_NAME_COLUMN = re.compile(r"(?<!service )(?<!team )\bname\b", re.I)
_PERSON_COLUMN = re.compile(
    r"\b(?:patients?|dob|birth|address|postcode|kin|nok|relatives?|mobile|surname|forename|clients?"
    r"|residents?|service users?|child|baby|pupil|carers?|mothers?|parents?|initials|hospital no"
    r"|mrn)\b"
    r"|(?<!service )(?<!team )\bname\b",
    re.I,
)
_EXTENSION_AFTER = re.compile(r"\s*,?\s*\(?(?:ext|extn|extension)\b\.?\s*\d{3,5}", re.I)


def _table_rows_above(text: str, line_start: int, min_cells: int) -> list[str]:
    """The rows of a typed table above ``line_start``, nearest first (blank lines skipped).

    A row has at least ``min_cells`` "|"; the first line with fewer ends the table.
    """
    rows = []
    for above in reversed(text[:line_start].splitlines()):
        if not above.strip():
            continue
        if above.count("|") < min_cells:
            break
        rows.append(above)
    return rows


def _in_a_contacts_table(text: str, start: int) -> bool:
    """A row of a table whose header has a number column and no column about a person.

    Why: "Hospital End of Life Care Team, Thorngate Royal Infirmary | Mon–Fri 08:00–18:00;
    weekends 09:00–13:00 | 01632 960 000 | …" names its team a whole hours cell away from the
    number, and a page's contacts table was withheld whole for it.
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if line.count("|") < 2:
        return False
    rows_above = _table_rows_above(text, line_start, min_cells=2)
    if not rows_above:
        return False
    header = rows_above[-1]  # the table's first row
    if _STAFF_COLUMN.search(header):
        header = _NAME_COLUMN.sub(" ", header)
    return bool(_CONTACT_COLUMN.search(header)) and not _PERSON_COLUMN.search(header)


# an email signature's number: "Direct dial: 01632 960318", "Tel 0113 496 0744", or alone
_SIGNATURE_LABEL = re.compile(
    r"(?:^|(?:direct\s+(?:dial|line)|dd|tel(?:ephone)?|t|phone|office|work)\s*[:.]?)\s*$", re.I
)
# the job a signature gives above its number: staff, not a patient
_STAFF_ROLE = re.compile(
    r"\b(?:pharmacist|nurse|manager|lead|director|consultant|officer|co-?ordinator|administrator"
    r"|matron|physiotherapist|therapist|practitioner|analyst|secretary|chair|head\s+of|partner"
    r"|technician|clinician|midwife|paramedic|registrar|dietitian|team\s+leader)\b",
    re.I,
)
SIGNATURE_LINES = 4  # name, role, organisation and a site above the number, at most


def _in_a_staff_signature(text: str, start: int) -> bool:
    """Why: "Sunil Varma / Lead Clinical Pharmacist / … / Direct dial: 01632 960318" signs an email.

    A landline labelled as a work line, under a block of lines (no blank line between) that names
    a job, is a member of staff's, as in a contacts table; a patient's number is not given so.
    """
    line_start = text.rfind("\n", 0, start) + 1
    if not _SIGNATURE_LABEL.search(text[line_start:start]):
        return False
    block = text[:line_start].rstrip("\n").split("\n")
    above: list[str] = []
    for line in reversed(block):
        if not line.strip() or len(above) == SIGNATURE_LINES:
            break
        above.append(line)
    personal = any(_PERSONAL_CUE.search(line) or _PATIENT_CONTEXT.search(line) for line in above)
    return not personal and any(_STAFF_ROLE.search(line) for line in above)


# a service's number for texts, labelled so on its line: "Text for clinic times only: 07700 …",
# "SMS the booking team on 07…"
_TEXT_LABEL = re.compile(r"\b(?:text|texts|sms|txt|whatsapp)\b[^.!?\n]{0,50}$", re.I)
_TEXTED_ABOUT = re.compile(_SERVICE_WORDS, re.I)  # "Text for clinic times", "text the team"


def _a_services_text_line(text: str, start: int) -> bool:
    """Why: a leaflet's "Text for clinic times only: 07700 900318" is a clinic's mobile."""
    line_start = text.rfind("\n", 0, start) + 1
    label = _TEXT_LABEL.search(text, max(line_start, start - 60), start)
    if label is None:
        return False
    # "Text (SMS) for people who are Deaf or hard of hearing: 07700 …" under "Contact us"
    return bool(_TEXTED_ABOUT.search(label.group())) or _in_a_services_contact_block(
        text, start, label=_TEXT_LABEL
    )


# a member of staff's work line, given after their post and name: "contact the Discharge Hub
# Manager, Claire Ainsworth, on 01632 960 456"
_STAFF_NAMED = re.compile(
    r"(?i:" + _STAFF_ROLE.pattern + r"),?\s+(?:[A-Z][\w'\u2019-]+\s+){0,2}[A-Z][\w'\u2019-]+"
    r"[*_]{0,2},?\s+(?:on|at)\s*:?\s*$"
)
# Relay UK's prefix: "dial 18001 then 0113 496 0444" reaches an organisation's line by text relay
_RELAY_PREFIX = re.compile(r"\b18001\s*(?:then\s+|followed\s+by\s+)?$", re.I)
_ONLY_MARKUP = re.compile(r"[\s>*_#\u2022-]*")


def _named_on_the_line_above(text: str, start: int) -> bool:
    """Why: "Call the Bowel Prep Advice Line" over a line of its own, "> **01632 960 455**"."""
    line_start = text.rfind("\n", 0, start) + 1
    if line_start == 0 or not _ONLY_MARKUP.fullmatch(text, line_start, start):
        return False
    above = text[text.rfind("\n", 0, line_start - 1) + 1 : line_start - 1]
    return bool(_SERVICE_BEFORE.search(above.rstrip(" :*_") + " "))


def _a_service_contact(text: str, start: int, end: int) -> bool:
    """Why: a trust's leaflet says "patients can phone the self-referral line on 01632 …".

    The number or mailbox is the service's, named as such just before it, and no person is in
    its sentence (no "the patient's daughter", "Mrs Khan's", "her mobile"). Without this, every
    passage giving a team's line beside the word "patients" was withheld at ingest.
    """
    found = text[start:end]
    staff_mailbox = "@" in found and bool(_NHS_DOMAIN.search(found))
    if "@" in found and not (_PUBLIC_DOMAIN.search(found) or staff_mailbox):
        return False  # "johnsmith.info@gmail.com" is a person's, whatever its words
    named_as_service = bool(_SERVICE_BEFORE.search(text, max(0, start - 40), start))
    # a mobile is a service's only on a line labelled as its text line
    texted = bool(_MOBILE.match(text, start)) and _a_services_text_line(text, start)
    named_as_service = (
        named_as_service
        or _in_a_services_contact_block(text, start)
        or _named_on_the_line_above(text, start)
        or texted
    )
    if "@" not in found and not _MOBILE.match(text, start):
        # a landline beside an extension or in a contacts table's row for a team or duty role
        line_start = text.rfind("\n", 0, start) + 1
        named_as_service = (
            named_as_service
            or bool(_ORGANISATION_LINE.search(text, max(line_start, start - 80), start))
            or bool(_EXTENSION_AFTER.match(text, end))
            or _in_a_contacts_table(text, start)
            or _in_a_staff_signature(text, start)
            or bool(_STAFF_NAMED.search(text, max(line_start, start - 100), start))
            or bool(_RELAY_PREFIX.search(text, max(line_start, start - 30), start))
        )
    if (_MOBILE.match(text, start) and not texted) or not (
        named_as_service or staff_mailbox or _SERVICE_MAILBOX.match(text, start)
    ):
        return False  # a mobile is a person's more often than a team's
    sentence = _sentence_around(text, start, end)
    if "@" in found and _SERVICE_BEFORE.search(text, max(0, start - 40), start):
        # "email the service mailbox, x.y@nhs.net, with the person's name …": a public-sector
        # mailbox named as the service's is whose it says; what follows is what to send it
        sentence = sentence[: max(0, sentence.find(found))]
    return not _PERSONAL_CUE.search(_NAMES_NO_PERSON.sub(" ", sentence))


# a service's premises, named with capitals before its address: "Dunsford Health Centre | Level 2,
# Mill Lane, Dunsford DF5 2RB", "Tollgate Youth Hub, 27 Tollgate Street HM2 6EA" (not "House" or
# "Cottage": a home has those names too; nor "Ward": a ward has no postcode of its own)
_SERVICE_PREMISES = re.compile(
    r"\b(?:Centre|Center|Clinic|Clinics|Hospital|Infirmary|Surgery|Practice|Hub|Pharmacy|Unit|"
    r"Suite|Department|Hospice|Headquarters|HQ|Offices?|Pavilion|Campus)\b"
)
# a table's header naming the premises it lists, not people: "Clinic | Address | Opening times"
_PREMISES_COLUMN = re.compile(
    r"^\s*\|?\s*(?:clinics?|sites?|services?|venues?|locations?|hubs?|centres?|practices?|"
    r"surger(?:y|ies)|pharmac(?:y|ies)|units?|premises|bases?|where)\s*\|",
    re.I,
)
_PERSON_COLUMN_BUT_ADDRESS = re.compile(
    _PERSON_COLUMN.pattern.replace("address|postcode|", ""), re.I
)


# what names no person though it looks like a possessive or a patient: a saint's hospital ("St
# Wilfrid's Hospital"), a group's building ("the Women's and Children's Building"), a ward's size
_NAMES_NO_PERSON = re.compile(
    r"\bSt\.?\s+[A-Z][\w-]*['\u2019]s\b|\b(?:wo)?men['\u2019]s\b|\bchildren['\u2019]s\b"
    r"|\bpeople['\u2019]s\b|\b\d+-bed(?:ded)?\b",
    re.I,
)
ADDRESS_LOOKBACK = 300  # characters of the paragraph before a postcode that may name its premises


def _speaks_of_a_person(text: str) -> bool:
    cleaned = _NAMES_NO_PERSON.sub(" ", text)
    return bool(_PERSONAL_CUE.search(cleaned) or _PATIENT_CONTEXT.search(cleaned))


def _a_service_address(text: str, start: int, end: int) -> bool:
    """Why: a leaflet's "Our clinics" table gives each clinic's postcode beside its name.

    The postcode is the premises' when its paragraph names a service's premises before it, in
    capitals ("Dunsford Health Centre, Mill Lane", a "### St Wilfrid's Hospital" heading over the
    address), and nothing from there to the end of its sentence speaks of a person (a title, a
    possessive, a patient, "lives at"). In a table the row's first cell names the premises,
    under a header that lists premises and has no column for a person.
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if "|" not in line:
        gap = text.rfind("\n\n", 0, start)
        block_start = max(gap + 2 if gap >= 0 else 0, start - ADDRESS_LOOKBACK)
        premises = list(_SERVICE_PREMISES.finditer(text, block_start, start))
        if not premises:
            return False
        named_from = text.rfind("\n", 0, premises[-1].start()) + 1  # that line, to the postcode
        sentence = _sentence_around(text, start, end)
        after = sentence[sentence.find(text[start:end]) :]
        return not _speaks_of_a_person(text[max(named_from, block_start) : start] + after)
    if _speaks_of_a_person(line):
        return False
    first_cell = next((cell for cell in line.split("|") if cell.strip()), "")
    if not re.search(_SERVICE_PREMISES.pattern, first_cell, re.I):
        return False  # "Aisha Khan | Ward 3, HM1 4QT": the row is a person's
    rows_above = _table_rows_above(text, line_start, min_cells=1)
    header = rows_above[-1] if rows_above else line  # the table's first row
    return bool(_PREMISES_COLUMN.match(header)) and not _PERSON_COLUMN_BUT_ADDRESS.search(header)


def _context_hits(text: str) -> list[_Hit]:
    # words inside a mailbox's name are not context: "discharge.hub@…" speaks of no patient
    if not _PATIENT_CONTEXT.search(_EMAIL.sub(" ", text)):
        return []
    found = [("postcode_with_patient_context", _POSTCODE), ("email", _EMAIL), ("phone", _PHONE)]
    return [
        (kind, m.start(), m.end())
        for kind, rx in found
        for m in rx.finditer(text)
        if (
            not _a_service_address(text, *m.span())
            if kind == "postcode_with_patient_context"
            else not _a_service_contact(text, *m.span())
        )
    ]


def _address_hits(text: str) -> list[_Hit]:
    """Why: "Amelia Thistlethwaite, 22 Larkspur Close" identifies a child as surely as a DOB."""
    hits: list[_Hit] = []
    for address in _ADDRESS.finditer(text):
        name = _NAME_BEFORE_ADDRESS.search(text, max(0, address.start() - 60), address.start())
        words = re.findall(r"[A-Za-z]+", name.group().lower()) if name else []
        if name and not (_NOT_A_PERSON | _BUILDING).intersection(words):
            hits.append(("name_and_address", name.start(), address.end()))
    return hits


def _hits(text: str) -> list[_Hit]:
    hospital = [("hospital_number", m.start(), m.end()) for m in _HOSPITAL.finditer(text)]
    found = _nhs_hits(text) + _said_hits(text) + _dob_hits(text) + hospital
    found += _address_hits(text)
    return found + _context_hits(text)


def flagged_spans(text: str) -> list[tuple[int, int]]:
    """Where ``screen`` finds patient-identifiable data in ``text``: (start, end) offsets.

    Why: ingestion drops only the paragraphs that hold it, so a contacts table keeps its other
    rows; the spans themselves are never logged or shown.
    """
    return sorted((start, end) for _kind, start, end in _hits(text))


def screen(text: str) -> PrivacyResult:
    """Decide whether text contains patient-identifiable data.

    Args:
        text: The message to screen. It is never logged or kept.

    Returns:
        A PrivacyResult; when sensitive, ``message`` explains why and how to rephrase.
    """
    kinds = tuple(dict.fromkeys(kind for kind, _, _ in _hits(text)))
    if not kinds:
        return PrivacyResult(sensitive=False)
    found = " and ".join(_DESCRIPTIONS[k] for k in kinds)
    message = (
        f"changebot has not processed, stored or sent your message anywhere because it seems to "
        f"contain {found}. Patient-identifiable details are never passed to the AI model, "
        "saved or logged. Please describe the situation again without them, for example "
        '"an older patient on a medical ward" rather than a name, NHS number, date of birth, '
        "hospital number, address or contact details."
    )
    return PrivacyResult(sensitive=True, kinds=kinds, message=message)


def redact(text: str) -> str:
    """Replace every identifier that ``screen`` would detect with ``[removed]``.

    Args:
        text: Text to clean, e.g. for an ingest report.

    Returns:
        The text with each detected identifier (overlaps merged) replaced.
    """
    spans: list[list[int]] = []
    for _, start, end in sorted(_hits(text), key=lambda hit: hit[1]):
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    for start, end in reversed(spans):
        text = text[:start] + "[removed]" + text[end:]
    return text
