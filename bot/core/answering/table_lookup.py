"""A figure read off a trust's table: the row asked about, or the top or bottom of a column.

"how many new referrals did castlefield get?" is answered by one cell of a row that reads
"Castlefield | 980 | 241 | 93.6% | …": the row alone does not say which figure is which, and
the header row alone holds no figure. "which team had the worst DNA rate?" is answered by no
sentence at all, only by comparing a column. Tables reach the answerer as "a | b | c" rows
(from Word, HTML, Markdown and PDF alike), the header row first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.answering.acronyms import SMALL_WORDS, spelled_out
from bot.core.answering.qualifiers import quarter_range_names, quarter_range_terms
from bot.core.answering.question_form import asks_before_and_after, question_form
from bot.core.answering.relevance import ASKS_DURATION, DURATION_GIVEN
from bot.core.answering.topics import FRAME_TERMS, GENERIC_TERMS
from bot.core.wording import MONTH_TERMS, STOPWORDS, terms

_CELLS = re.compile(r"\s*\|\s*")
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
_HIGH = re.compile(r"\b(?:highest|most|biggest|largest|longest|greatest|top)\b", re.IGNORECASE)
_LOW = re.compile(r"\b(?:lowest|fewest|least|smallest|shortest)\b", re.IGNORECASE)
_BEST = re.compile(r"\b(?:best|strongest|came out (?:on )?top)\b", re.IGNORECASE)
_WORST = re.compile(r"\b(?:worst|weakest|poorest|furthest behind)\b", re.IGNORECASE)
# a measure where more is worse: the "worst" team has the highest did-not-attend rate
_MORE_IS_WORSE = re.compile(
    r"did not attend|\bdna|not brought|cancel|infection|vacanc|wait|delay|incident|complaint|"
    r"abandon|breach|\blate\b|overrun|backlog|turnover|sickness|absence|readmi|\bfalls?\b|error|"
    r"missed|returned|incomplete|out of area|bed days|spend|cost|length of stay|escalat",
    re.IGNORECASE,
)
# a row that sums the others: never the best or worst of them
_TOTAL_ROW = re.compile(r"\b(?:total|all|whole|overall)\b", re.IGNORECASE)
# words that name no column or row on their own ("what time …", "first patient on the list")
_WEAK = (
    FRAME_TERMS
    | GENERIC_TERMS
    | frozenset(terms("time times patient patients people before after"))
)
# question forms no table cell answers: "what time does riverside clinic open?" asks no cell of
# "Open caseload"
_NOT_A_FIGURE = frozenset({"when", "who", "where", "why", "how_to"})
MAX_HEADER_WORDS = 8  # a column's name is short; "PIFU | Patient-initiated follow-up: the …" is
# a glossary's row read as a header
MIN_LABEL_TERM = 3  # characters: shorter label words ("h", "of") name no row on their own
_QUARTER = re.compile(r"q[1-4]")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b")
# a unit as tables shorten it: "> 65 wks" is asked as "65 weeks"
_UNIT_SHORT = re.compile(r"(?<=\d )(wks?|hrs?|mins?)\b", re.IGNORECASE)
_UNIT_WORDS = {"wk": "weeks", "hr": "hours", "min": "minutes"}
_AMPERSANDED = re.compile(r"\b([A-Za-z])\s?&\s?([A-Za-z])\b")
_OTHERS = re.compile(r"\b(?:which|what|any) others?\b", re.IGNORECASE)
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b")  # "09:00–17:00": a cell of a table of hours
# "Monday 14 September 2026", "14/09/2026": a cell of a table of dates ("welcome days")
_DAY_DATE = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
    r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b",
    re.IGNORECASE,
)
MAX_INITIALS = 5  # "DNA", "LOS", "RTT": an asked word this short may be a cell's initials


@dataclass(frozen=True)
class Table:
    """One table of a passage: its header cells and each row's sentence index and cells."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


def _cells(sentence: str) -> list[str]:
    return [cell.strip().rstrip(".") for cell in _CELLS.split(sentence.strip())]


def _has_figure(cell: str) -> bool:
    return bool(_NUMBER.search(cell))


def tables_in(sentences: list[str]) -> list[Table]:
    """The tables among a passage's sentences: a header row of names, then rows as wide."""
    found: list[Table] = []
    i = 0
    while i < len(sentences):
        head = _cells(sentences[i]) if " | " in sentences[i] else []
        if (
            len(head) < 2
            or any(_has_figure(c) for c in head[1:] if not _period(c))
            or any(len(c.split()) > MAX_HEADER_WORDS for c in head)  # a glossary's row
        ):
            i += 1
            continue
        rows: list[tuple[int, list[str]]] = []
        j = i + 1
        while j < len(sentences) and " | " in sentences[j]:
            cells = _cells(sentences[j])
            if len(cells) != len(head):
                break
            rows.append((j, cells))
            j += 1
        if rows:
            found.append(Table(head, rows))
        i = max(j, i + 1)
    return found


def _period(cell: str) -> bool:
    """A header naming a time ("Q1 (Apr-Jun 2024)", "2023/24", "July"): names, not figures."""
    return bool(re.search(r"[a-z]", cell, re.IGNORECASE))


def _value_only(cell: str) -> bool:
    """A cell that is only a figure ("24.02", "£61,200", "9 weeks"), not a label."""
    return (
        _has_figure(cell)
        and len(cell.split()) <= MAX_VALUE_WORDS
        and not re.search(r"[a-z]{3,}\s+\d", cell, re.IGNORECASE)
    )


def _value(cell: str) -> float | None:
    found = _NUMBER.search(cell)
    return float(found.group().replace(",", "")) if found else None


def _shared(cell: str, asked: set[str]) -> int:
    """How many asked words name this cell: its own words, or its initials.

    "DNA" is "Did not attend rate" by its initials.
    """
    cell = _POSSESSIVE.sub("", cell)  # "St Brannock's Practice" is named by "st brannocks"
    cell = _UNIT_SHORT.sub(lambda m: _UNIT_WORDS[m.group(1).lower().rstrip("s")], cell)
    own = sum(
        1
        for t in set(terms(cell)) | set(terms(cell.replace("-", " ")))  # "62-day": 62, day
        if t in asked
        and t not in _WEAK
        and (len(t) >= MIN_LABEL_TERM or _QUARTER.fullmatch(t) or (t.isdigit() and len(t) > 1))
    )
    initials = "".join(word[0] for word in re.findall(r"[a-z]+", cell.lower()))
    # "DNA"; "T&O" is "Trauma & Orthopaedics" by its initials too
    letters = [t.replace("&", "") for t in asked if t.replace("&", "").isalpha()]
    spelt = sum(
        1
        for t in letters
        if (MIN_LABEL_TERM <= len(t) or "&" in cell)
        and len(t) <= MAX_INITIALS
        and len(t) > 1
        and t in initials
    )
    return own + spelt


# a word and its number name a row together: "band 5", "ward 21", "cohort 3"
_NUMBERED_NAME = re.compile(r"\b([a-z]{3,})\s+(\d{1,3}[a-z]?)\b", re.IGNORECASE)


def _numbered_names(text: str) -> set[tuple[str, str]]:
    return {
        (word.lower(), number.lower())
        for word, number in _NUMBERED_NAME.findall(text)
        if word.lower() not in _WEAK
    }


NUMBERED_NAME_WEIGHT = 2  # "band 5" in any label cell names the row more than "band" alone


_GOT = frozenset({"get", "got", "had"})  # "how many … did we get / have we had"
_RECEIVED = re.compile(r"\breceiv\w*", re.IGNORECASE)


def _asked_row(
    table: Table, asked: set[str], pairs: frozenset[tuple[str, str]] = frozenset()
) -> tuple[int, list[str]] | None:
    """The one row whose label the question names ("castlefield", "september", "band 5").

    A word with its number ("band 5") names a row in any of its label cells, read with its
    column's name: a table of pay rates leads each row with the role, the band ("5") under
    "AfC band" beside it.
    """
    scored = [
        (
            _shared(row[1][0], asked)
            + NUMBERED_NAME_WEIGHT
            * any(
                pairs & _numbered_names(f"{name} {cell}")
                for name, cell in zip(table.header, row[1], strict=False)
                if not _value_only(cell) or not _has_figure(name)
            ),
            row,
        )
        for row in table.rows
    ]
    best = max((score for score, _ in scored), default=0)
    hits = [row for score, row in scored if score == best]
    if best and len(hits) > 1 and asked & _GOT:
        # "how many complaints did we get?": "Formal complaints received", not "closed"
        hits = [row for row in hits if _RECEIVED.search(row[1][0])] or hits
    return hits[0] if best and len(hits) == 1 else None


MIN_FULL_LABEL = 2  # label words: "Total one-off" named in full picks its row by itself


def _named_fully(label: str, asked: set[str]) -> bool:
    """Whether the question uses every word of a row's label, and at least two."""
    own = {t for t in terms(_POSSESSIVE.sub("", label)) if len(t) >= MIN_LABEL_TERM}
    return len(own) >= MIN_FULL_LABEL and own <= asked


def _asked_columns(table: Table, asked: set[str]) -> list[int]:
    """The columns whose names the question uses most ("new referrals", "did not attend").

    Several when they tie: "waiting over 62 days at the end of sept, and end of june?" names
    both "Waiting >62 days 30 Jun" and "… 30 Sep".
    """
    scores = [_shared(name, asked) for name in table.header]
    scores[0] = 0
    best = max(scores)
    return [i for i, score in enumerate(scores) if best and score == best]


def _labelled(header: list[str], cells: list[str], first: list[int]) -> str:
    """The row as "Castlefield: New referrals (Jul-Sep) 241; Open caseload 980; …", asked first."""
    order = first + [i for i in range(1, len(cells)) if i not in first]
    pairs = [f"{header[i]} {cells[i]}".strip() for i in order if cells[i]]
    return f"{cells[0]}: " + "; ".join(pairs)


def _extreme(table: Table, column: int, query: str) -> str | None:
    """The row at the asked end of a column, beside the others' figures.

    "Riverside had the highest Did not attend rate: 14.7% (Northgate 8.2%; …)".
    """
    name = table.header[column]
    if _HIGH.search(query):
        highest = True
    elif _LOW.search(query):
        highest = False
    elif _WORST.search(query) or _BEST.search(query):
        highest = bool(_WORST.search(query)) == bool(_MORE_IS_WORSE.search(name))
    else:
        return None
    values = [
        (value, cells)
        for _, cells in table.rows
        if not _TOTAL_ROW.search(cells[0])
        for value in [_value(cells[column])]
        if value is not None
    ]
    if len(values) < 2:
        return None
    value, top = (max if highest else min)(values, key=lambda item: item[0])
    if sum(1 for v, _ in values if v == value) > 1:
        return None  # a tie names no one row
    others = "; ".join(f"{cells[0]} {cells[column]}" for _, cells in values if cells is not top)
    word = "highest" if highest else "lowest"
    return f"{top[0]} had the {word} {name}: {top[column]} ({others})"


_ASKS_RATE = re.compile(r"\brates?\b|%|\bper ?cent|\bpercentage|\bproportion", re.IGNORECASE)
_RATE_HEADER = re.compile(r"%|\brates?\b|\bper\b|\bratio\b", re.IGNORECASE)
_ASKS_DAYS_OR_TIMES = re.compile(
    r"\b(?:which|what)\s+(?:days?|times?|hours|evenings?|nights?|sessions?)\b", re.IGNORECASE
)


# written in capitals: "pt" is a patient, not the cell "Pregnancy test"
_SHORT_FORM = re.compile(r"\b[A-Z]{2,5}\b")


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w.lower() not in SMALL_WORDS).lower()


def cell_spellings(query: str, text: str) -> dict[str, str]:
    """Short forms of ``query`` that a table cell of ``text`` spells out, with the phrase.

    "what did DN score …" of the row "District nursing | 52 | 58", "how many did UCR refer on to
    the VW" of the column "Referred on to virtual ward": the phrase starts or ends its cell.
    """
    held = set(terms(text))
    cells = [c.strip() for line in text.splitlines() if " | " in line for c in line.split(" | ")]
    found: dict[str, str] = {}
    for short in dict.fromkeys(_SHORT_FORM.findall(query)):
        letters = short.lower()
        # "at" is no short form of "All teams", nor "our" of anything
        if letters in held or letters in STOPWORDS or letters in GENERIC_TERMS:
            continue
        for cell in cells:
            words = re.findall(r"[A-Za-z][A-Za-z']*", cell)
            spans = [words[i:] for i in range(len(words))] + [
                words[:j] for j in range(1, len(words))
            ]
            hit = next(
                (
                    w
                    for w in spans
                    if len(w) >= 2 and w[0].lower() not in SMALL_WORDS and _initials(w) == letters
                ),
                None,
            )
            if hit is not None:
                found[letters] = " ".join(hit)
                break
    return found


def table_answer(query: str, sentences: list[str]) -> tuple[int, str] | None:
    """A sentence built from a table in ``sentences`` that answers ``query``, and its row's index.

    The row the question names, its asked figure first; or, for "which … highest / worst …",
    the row at that end of the asked column, beside the others. None when no table answers, or
    when the question's form is one no cell answers.
    """
    form = question_form(query)
    # "what time do the nurses finish on a saturday at TGH?" is a cell of a table of hours
    when = form == "when"
    if (form in _NOT_A_FIGURE and not when) or asks_before_and_after(query):
        return None  # "what % … before vs after?" leads with the move, not one row
    if _OTHERS.search(query):
        return None  # "surgery is in it - which other divisions are?": not the row named
    # "lower gi's FDS", "62-day": the name without its possessive, a hyphened name as its words
    plain = _POSSESSIVE.sub("", query)
    asked = set(terms(plain)) | set(terms(plain.replace("-", " ")))
    asked |= {f"{a}&{b}".lower() for a, b in _AMPERSANDED.findall(plain)}  # "T&O", "A&G"
    # "jul-sep" of the column "Q2 2025/26"
    asked |= quarter_range_names(plain)
    # "DN" of the row "District nursing", "VW" of the column "Referred on to virtual ward"
    for phrase in cell_spellings(plain, "\n".join(sentences)).values():
        asked |= set(terms(phrase))
    for table in tables_in(sentences):
        columns = _asked_columns(table, asked)
        if len(columns) == 1 and not when:
            extreme = _extreme(table, columns[0], query)
            if extreme is not None:
                return table.rows[0][0], extreme
        row = _asked_row(table, asked, frozenset(_numbered_names(plain)))
        if (
            row is not None
            and not columns
            and not when
            and _named_fully(row[1][0], asked)
            and any(_has_figure(cell) for cell in row[1][1:])  # not a glossary's "Term | Meaning"
            # "which days is the leg ulcer clinic on?": a row of survey scores gives no day
            and not (
                _ASKS_DAYS_OR_TIMES.search(query)
                and not any(_CLOCK.search(c) or _DAY_DATE.search(c) for c in row[1][1:])
            )
            # "how long before a trainee can scope on their own": a duration, which a row of
            # bands and duties does not give
            and not (
                ASKS_DURATION.search(query)
                and not any(
                    DURATION_GIVEN.search(f"{name} {cell}")
                    for name, cell in zip(table.header[1:], row[1][1:], strict=False)
                )
            )
            # "the leg ulcer clinic healing rate": a rate, which a row of bare scores under
            # "Team | Q1 | Q2" does not give
            and not (
                _ASKS_RATE.search(query)
                and not any("%" in c for c in row[1][1:])
                and not _RATE_HEADER.search(" ".join(table.header))
            )
        ):
            # "the total one-off budget": the row "Total one-off | £61,200" is named in full,
            # though no column is ("Cost"); its figures are the answer
            return row[0], _labelled(table.header, row[1], [])
        if row is None or not columns:
            continue
        if when and not all(
            _CLOCK.search(row[1][i]) or _DAY_DATE.search(row[1][i]) for i in columns
        ):
            continue  # "what time does riverside open?" is no cell of "Open caseload"
        return row[0], _labelled(table.header, row[1], columns)
    return None


# what pins a figure down: a quarter, a year, a month, or a name; the table must hold it
_PINNED = re.compile(r"q[1-4]|(?:19|20)\d\d(?:/\d\d)?")


def in_a_table(query: str, texts: list[str], named: set[str]) -> bool:
    """Whether a table in one of ``texts`` (passages, rows one per line) answers ``query``.

    Every quarter, year, month and name the question pins its figure to (``named`` holds the
    names) must be in that passage: "the median turnaround at hollins vale in q1" is not in a
    table of one period's figures by site, nor "the 6-8 week review % for Barrowfield" in the
    trust-wide table.
    """
    pinned = {t for t in terms(query) if _PINNED.fullmatch(t) or t in MONTH_TERMS} | named
    # "how many complaints jul-sep?": the quarter those months make, "Q2" in the table
    pinned = (pinned - quarter_range_terms(query)) | quarter_range_names(query)
    for text in texts:
        if table_answer(query, [line for line in text.splitlines() if line.strip()]) is None:
            continue
        held = set(terms(text))
        spelt = set(cell_spellings(query, text))
        if all(t in held or t in spelt or spelled_out(t, [text]) for t in pinned):
            return True
    return False


MAX_VALUE_WORDS = 2  # "9 weeks", "£61,200": a cell this short holding a figure is a value


def _run(sentences: list[str], i: int) -> tuple[int, int]:
    """The first and last index of the rows as wide as row ``i`` around it (``i``, ``i`` alone)."""
    width = len(_cells(sentences[i]))

    def row(k: int) -> bool:
        return " | " in sentences[k] and len(_cells(sentences[k])) == width

    first, last = i, i
    while first > 0 and row(first - 1):
        first -= 1
    while last + 1 < len(sentences) and row(last + 1):
        last += 1
    return first, last


MIN_LABELLED_COLUMNS = 3  # "Version | 1.0 FINAL": a two-column table labels itself, row by row


def _heads_columns(cells: list[str]) -> bool:
    """Whether a table's first row names its columns: no cell after the first is a bare value.

    A two-column table is read as it is: its rows are "label | value" pairs ("Version | 1.0",
    "Owner | Priya"), and its first row is one of them, not a header.
    """
    return len(cells) >= MIN_LABELLED_COLUMNS and not any(
        _has_figure(c) and len(c.split()) <= MAX_VALUE_WORDS and not _period(c) for c in cells[1:]
    )


def labelled_row(sentences: list[str], i: int) -> str | None:
    """Row ``i`` of a table with each cell under its column's name, else ``None``.

    "Directly admitted to a stroke unit within 4 h | 71% | 58% | 67%" says which site did better
    only beside its header: "…: KRI 71%; TGH 58%; Network 67%".
    """
    if " | " not in sentences[i]:
        return None
    first, _last = _run(sentences, i)
    header = _cells(sentences[first])
    if first == i or not _heads_columns(header):
        return None
    return _labelled(header, _cells(sentences[i]), [])


def rows_under(sentences: list[str], i: int) -> list[int]:
    """The rows of the table whose header row is sentence ``i`` (none when it heads no table)."""
    if " | " not in sentences[i]:
        return []
    first, last = _run(sentences, i)
    if first != i or not _heads_columns(_cells(sentences[i])):
        return []
    return list(range(i + 1, last + 1))


def table_header(sentences: list[str], i: int) -> frozenset[str]:
    """The terms of the header row above a table row: what the row's cells are.

    "Saturday | 09:00 to 12:30" under "Day | Phone lines" gives the phone lines' hours.
    """
    if " | " not in sentences[i]:
        return frozenset()
    first = i
    while first > 0 and " | " in sentences[first - 1]:
        first -= 1
    return frozenset(terms(sentences[first])) if first < i else frozenset()
