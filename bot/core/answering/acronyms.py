"""Staff's acronyms that a trust's documents only ever spell out.

"who authorises an OOA placement?" is about the report's "Out of Area Placements", and "the LD
liaison team" is its "Learning Disability Liaison Service": people abbreviate what the document
writes in full, so the acronym is an unknown word and the question looked uncovered. An acronym
is read as the capitalised phrase of a retrieved passage whose initials spell it ("of" may be a
letter or be skipped), or as a hyphenated compound that spells it ("return-to-work"), never as
loose lower-case words, which spell too much by chance. Two exceptions, both common in NHS
documents: a label at the start of a line in sentence case ("Preferred place of death
recorded  88%" for PPD, three letters or more), and a phrase led by "inpatient" or
"outpatient", which spell two letters ("inpatient unit" for IPU). A third, read first: a short
list of our own of acronyms common in the NHS ("LARC", "CDs", "LAC"), each read as its phrase in
any case where a retrieved passage writes that phrase (``_COMMON``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MIN_LETTERS = 2
MAX_LETTERS = 5
MIN_COMPOUND = 3  # "follow-up" must not be read as "FU"
MAX_EXTRA_WORDS = 2  # small words a phrase may carry beyond its letters ("in", "and", "the")
SMALL_WORDS = frozenset({"of", "and", "in", "the", "for", "to", "on", "&"})
_WORD = re.compile(r"[A-Za-z][A-Za-z']*|&")
_COMPOUND = re.compile(r"\b[A-Za-z]+(?:-[A-Za-z]+){1,4}\b")
MIN_LABEL = 3  # a sentence-case label must spell at least this many letters
# "inpatient unit" for IPU, "outpatient department" for OPD: one word that spells two letters,
# and a phrase that starts with one counts in any case (it does not spell by chance)
_TWO_LETTERS = {"inpatient": "ip", "inpatients": "ip", "outpatient": "op", "outpatients": "op"}


# a label, not a sentence: a few words, then a column gap, a colon, a figure or the line's end
_LABEL_LINE = re.compile(r"^\s*[A-Za-z][\w'&/ -]{0,80}?(?:\s{2,}|\s*[:|]|\s+\d|\s*$)")


# medical combining forms: "haemodialysis" spells HD, "arteriovenous fistula" AVF,
# "electrocardiogram" ECG; a word made of them spells one letter per part, in any case
_COMBINING = (
    "haemo hemo arterio veno gastro cardio electro neuro broncho oesophago esophago duodeno "
    "encephalo osteo colono sigmoido laparo arthro angio cholangio pancreato hystero cysto "
    "nephro hepato pneumo thoraco"
).split()
MIN_REST = 3  # what follows the last combining form must be a word's part, not an ending


def combined_initials(word: str) -> str | None:
    """The initials of a word built from combining forms ("haemodialysis": "hd"), or None."""
    low, initials = word.lower(), ""
    while True:
        form = next(
            (f for f in _COMBINING if low.startswith(f) and len(low) - len(f) >= MIN_REST), None
        )
        if form is None:
            break
        initials, low = initials + form[0], low[len(form) :]
    # "cardiology" is a specialty's name, not two parts an acronym spells
    if not initials or low.startswith("log"):
        return None
    return initials + low[0]


def _letters_spelled(word: str, letters: str, j: int) -> list[int]:
    """How many of ``letters`` from ``j`` on the word can spell: 1, or more ("inpatient")."""
    low = word.lower()
    if low[0] != letters[j]:
        return []
    two = _TWO_LETTERS.get(low)
    if len(letters) >= MIN_LABEL and two is not None and letters[j : j + 2] == two:
        return [2, 1]
    combined = combined_initials(low)
    if combined is not None and letters[j : j + len(combined)] == combined:
        return [len(combined), 1]
    return [1]


def _any_case(word: str) -> bool:
    """A word that spells letters in any case: "inpatient", "haemodialysis"."""
    return word.lower() in _TWO_LETTERS or combined_initials(word) is not None


def _spells(words: list[str], start: int, letters: str, label: bool = False) -> int | None:
    """The end of a phrase from ``start`` whose initials spell ``letters``, or None.

    ``label``: the phrase starts a line, so its later words may be in lower case.
    """

    def walk(i: int, j: int, extra: int) -> int | None:
        if j == len(letters):
            return i
        if i >= len(words) or extra > MAX_EXTRA_WORDS:
            return None
        word = words[i]
        small = word.lower() in SMALL_WORDS
        if word[0].isupper() or small or (label and i > start) or _any_case(word):
            for n in _letters_spelled(word, letters, j):
                end = walk(i + 1, j + n, extra)
                if end is not None:
                    return end
        return walk(i + 1, j, extra + 1) if small and j > 0 else None

    return walk(start, 0, 0)


# Acronyms NHS staff type for what a trust's documents may write only in full and in lower case
# ("coil and implant fittings (long-acting reversible contraception)"). Our own short list, of
# meanings not in doubt in an NHS workspace; one is read only where a retrieved passage of the
# trust's writes its phrase, so a list entry never names what the documents do not.
_COMMON: dict[str, tuple[str, ...]] = {
    "larc": ("long-acting reversible contraception", "long acting reversible contraception"),
    "cd": ("controlled drug",),
    "lac": ("looked after children", "looked-after children", "looked after child"),
    "iha": ("initial health assessment",),
    "rha": ("review health assessment",),
    "asd": ("autism spectrum disorder", "autism"),
    "adhd": ("attention deficit hyperactivity disorder",),
    "dna": ("did not attend",),
    "wnb": ("was not brought",),
    "nbv": ("new birth visit",),
    "hv": ("health visitor", "health visiting"),
    "dn": ("district nurse", "district nursing"),
    "sdec": ("same day emergency care", "same-day emergency care"),
    "utc": ("urgent treatment centre",),
    "ucr": ("urgent community response",),
    "mdt": ("multidisciplinary team", "multi-disciplinary team"),
    "rtt": ("referral to treatment",),
    "los": ("length of stay",),
    "nctr": ("no criteria to reside",),
    "ooh": ("out of hours", "out-of-hours"),
    "ahp": ("allied health professional",),
    "hca": ("healthcare assistant", "health care assistant"),
    "wte": ("whole time equivalent", "whole-time equivalent"),
    "fft": ("friends and family test",),
    "ipc": ("infection prevention and control",),
    "vte": ("venous thromboembolism",),
    "sti": ("sexually transmitted infection",),
    "copd": ("chronic obstructive pulmonary disease",),
    "cmht": ("community mental health team",),
    "camhs": ("child and adolescent mental health",),
    "smr": ("structured medication review",),
    "eol": ("end of life", "end-of-life"),
    "eolc": ("end of life care", "end-of-life care"),
    "pifu": ("patient-initiated follow-up", "patient initiated follow-up"),
    "cip": ("cost improvement",),
    "sop": ("standard operating procedure",),
    "kpi": ("key performance indicator",),
    "slt": ("speech and language therapy", "speech and language therapist"),
    "salt": ("speech and language therapy", "speech and language therapist"),
    "msk": ("musculoskeletal",),
    "hti": ("high temperature incineration", "high-temperature incineration"),
}


_GAP = r"[\s-]+"  # "long-acting" or "long acting"


def _common_phrase(letters: str, texts: list[str]) -> str | None:
    """The phrase of a common acronym (``_COMMON``) as a passage writes it, in any case."""
    # "CDs", "IHAs": the plural of a listed acronym
    key = letters[:-1] if letters not in _COMMON and letters.endswith("s") else letters
    for phrase in _COMMON.get(key, ()):
        words = [re.escape(word) for word in re.split(_GAP, phrase)]
        written = re.compile(r"\b" + _GAP.join(words) + r"s?\b", re.IGNORECASE)
        for text in texts:
            found = written.search(text)
            if found is not None:
                return found.group(0)
    return None


def asked_in_full(acronym: str, question: str) -> bool:
    """Whether ``question`` writes ``acronym``'s phrase in full, in any case.

    "when is the next estates & facilities operational group meeting?" asks about the "EFOG" a
    minutes' title names. The question's own words are read in any case, as staff type them;
    three letters at least, so a few words spell it only rarely by chance.
    """
    letters = acronym.lower()
    if not (MIN_LABEL <= len(letters) <= MAX_LETTERS and letters.isalpha()):
        return False
    words = [word[:1].upper() + word[1:] for word in _WORD.findall(question)]
    return any(
        word[0].lower() == letters[0] and _spells(words, i, letters) is not None
        for i, word in enumerate(words)
    )


def spelled_out(acronym: str, texts: Iterable[str]) -> str | None:
    """The phrase of ``texts`` that ``acronym`` abbreviates ("OOA": "Out of Area"), if any."""
    letters = acronym.lower()
    if not (MIN_LETTERS <= len(letters) <= MAX_LETTERS and letters.isalpha()):
        return None
    texts = list(texts)
    # "CDs" is "Controlled drugs" before it is "Controlled drugs in Schedules"
    common = _common_phrase(letters, texts)
    if common is not None:
        return common
    for text in texts:
        # a hyphenated compound spells it whatever its case ("return-to-work" for RTW)
        compounds: list[str] = _COMPOUND.findall(text) if len(letters) >= MIN_COMPOUND else []
        for compound in compounds:
            parts = compound.split("-")
            if "".join(part[0] for part in parts).lower() == letters:
                return compound
        words = _WORD.findall(text)
        for start, word in enumerate(words):
            if word[0].lower() != letters[0]:
                continue
            any_case = _any_case(word)
            if not (word[0].isupper() or any_case):
                continue
            end = _spells(words, start, letters, label=any_case)
            if end is not None and words[end - 1].lower() not in SMALL_WORDS:
                return " ".join(words[start:end])
        if len(letters) < MIN_LABEL:
            continue
        for line in text.splitlines():
            words = _WORD.findall(line)
            if not words or not words[0][0].isupper() or not _LABEL_LINE.match(line):
                continue
            end = _spells(words, 0, letters, label=True)
            if end is not None and words[end - 1].lower() not in SMALL_WORDS:
                return " ".join(words[:end])
    return None
