"""Patient-data screen: find patient-identifiable data before anything is sent, stored or logged.

``screen`` decides whether a message may be processed at all; ``redact`` blanks the same
identifiers in text that is only reported on. Neither function logs or keeps the text.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel, ConfigDict

_Hit = tuple[str, int, int]  # (kind, start, end)

_NHS = re.compile(r"(?<![\d£$])(\d{3})([ .-]?)(\d{3})([ .-]?)(\d{4})(?![\d%])")
_NHS_CONTEXT = re.compile(r"\b(?:nhs|patients?|number|no|num)\b|#", re.I)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE = (
    r"(?<!\d)(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+\d{{4}})(?!\d)"
)
_DATE_RE = re.compile(_DATE, re.I)
_DOB_PHRASE = re.compile(
    rf"(?<!\w)(?:dob|d\.o\.b\.?|date\s+of\s+birth|born(?:\s+on)?)\s*[:=-]?\s*{_DATE}", re.I
)
_WORD = r"[A-Z](?:[a-z]|'[A-Z])[A-Za-z'’-]*"  # a capitalised name, not an acronym like NHS
_NAME = re.compile(
    rf"\b(?:(?:Mrs?|Ms|Miss|Mx|Dr|MRS?|MS|MISS|DR)\.?|[Pp]atient)\s+{_WORD}(?:\s+{_WORD})?"
)
_NAME_DATE_GAP = re.compile(r"[\s,(:-]{0,4}")
_DIGITS = re.compile(r"\d+")
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
_PATIENT_CONTEXT = re.compile(
    r"\b(?:patients?|mrs?|ms|miss|mx|lives?\s+at|living\s+at|home\s+address|(?:his|her|their)\s+address|discharg\w*|beds?"
    r"|dob|d\.o\.b|resident|born)\b",
    re.I,
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_PHONE = re.compile(  # UK mobiles and geographic numbers, national or +44
    r"(?<![\d+])(?:\+44\s?(?:\(0\)\s?)?|0)"
    r"(?:7\d{3}\s?\d{3}\s?\d{3}|[12]\d{1,3}[\s-]?\d{3,4}[\s-]?\d{3,4})(?!\d)"
)
_DESCRIPTIONS = {
    "nhs_number": "an NHS number",
    "nhs_number_shaped": "a number that looks like an NHS number",
    "name_and_dob": "a name together with a date of birth",
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
        digits: Exactly ten digits, no separators.

    Returns:
        True if the check digit matches; all-same-digit strings are never valid.
    """
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return check != 10 and check % 11 == int(digits[9])


def _nhs_hits(text: str) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in _NHS.finditer(text):
        digits = m.group(1) + m.group(3) + m.group(5)
        if len(set(digits)) == 1:
            continue
        near = text[max(0, m.start() - 25) : m.start()] + " " + text[m.end() : m.end() + 25]
        if is_valid_nhs_number(digits):
            hits.append(("nhs_number", m.start(), m.end()))
        elif (m.group(2) and m.group(4)) or _NHS_CONTEXT.search(near):
            hits.append(("nhs_number_shaped", m.start(), m.end()))
    return hits


def _year(found: str) -> int:
    groups = _DIGITS.findall(found)
    four = next((int(g) for g in groups if len(g) == 4), None)
    year = four if four is not None else 2000 + int(groups[-1])
    return year - 100 if four is None and year > date.today().year else year


def _dob_hits(text: str) -> list[_Hit]:
    phrases = [(m.start(), m.end()) for m in _DOB_PHRASE.finditer(text)]
    names = [(m.start(), m.end()) for m in _NAME.finditer(text)]
    if not names:
        return [("date_of_birth", s, e) for s, e in phrases]
    oldest = date.today().year - 16  # planning dates are recent; birth dates mostly are not
    dates = [
        (m.start(), m.end())
        for m in _DATE_RE.finditer(text)
        if _year(m.group()) <= oldest
        or any(_NAME_DATE_GAP.fullmatch(text[e : m.start()]) for _, e in names if e <= m.start())
    ]
    if not phrases and not dates:
        return []
    return [("name_and_dob", s, e) for s, e in names + dates + phrases]


def _context_hits(text: str) -> list[_Hit]:
    if not _PATIENT_CONTEXT.search(text):
        return []
    found = [("postcode_with_patient_context", _POSTCODE), ("email", _EMAIL), ("phone", _PHONE)]
    return [(kind, m.start(), m.end()) for kind, rx in found for m in rx.finditer(text)]


def _hits(text: str) -> list[_Hit]:
    hospital = [("hospital_number", m.start(), m.end()) for m in _HOSPITAL.finditer(text)]
    return _nhs_hits(text) + _dob_hits(text) + hospital + _context_hits(text)


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
