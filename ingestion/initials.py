"""People named by their initials in minutes: "NB to lead the pilot" becomes a name again.

Minutes list who was there once, "Nadia Brierley (NB) Practice Manager", then write only "NB"
in the actions and the log. A chunk of the action log then holds no name, so "who's running the
text reminder pilot?" can neither find the person nor answer with them. Each use of initials that
a document defines for a person is written as "Nadia Brierley (NB)", in every block of that
document, before it is chunked. Initials are taken only when they are the name's own initials,
and never for the acronyms minutes use for other things ("GP", "ED", "IT").
"""

from __future__ import annotations

import re

from ingestion.document import ParsedDocument

# up to four capitalised words before "(NB)": "Nadia Brierley (NB)", "Dr Amara Eze (AE)", and
# in a list run together, "… Lead Clinical Pharmacist Tomasz Nowak (TN)"
_DEFINED = re.compile(
    r"(?P<words>(?:[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?\s+){1,3}[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?)"
    r"\s*\((?P<code>[A-Z]{2,4})\)"
)
_TITLES = frozenset({"Dr", "Mr", "Mrs", "Ms", "Miss", "Prof", "Professor", "Cllr"})
# acronyms minutes use for other things, even when a person's initials match them: implied by
# a list of who was there they are never taken, defined ("Gareth Pryce (GP)") only where he acts
_COMMON = frozenset(
    "GP ED AE IT HR OT PT PA PM AM OK UK ID MD RN DN SN CT MR HD ENT ICB ICU NHS CEO COO CFO "
    "CQC QI SOP BAU TBC PS".split()
)


def _name_for(words: list[str], code: str) -> str | None:
    """The shortest run of the last words whose initials are ``code`` (all, or first and last)."""
    for size in range(2, len(words) + 1):
        name = words[-size:]
        if name[0] in _TITLES:
            return None
        heads = [w[0] for part in name for w in part.split("-")]
        if code in {"".join(heads), name[0][0] + name[-1][0]}:
            return " ".join(name)
    return None


# a line of a list of who was there: "  Helen Achebe          Chief Operating Officer, SRO",
# "Dr Rajesh Kumar, Chief Clinical Information Officer"
_LISTED = re.compile(
    r"^[ \t]*(?:(?:Dr|Mr|Mrs|Ms|Miss|Prof|Professor|Cllr)\.?\s+)?"
    r"(?P<name>[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?(?:[ ][A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?){1,2})"
    r"(?:[ \t]{2,}|,[ ]|[ ][-–][ ]|[ ]*$)",
    re.MULTILINE,
)


# a list of who was there that gives each person's initials first: "  MP   Marcia Penhaligon,
# Phlebotomy Services Manager (Chair)", "  SR   Dr Seamus Rourke      Consultant …"
_CODED = re.compile(
    r"^[ \t]*(?P<code>[A-Z]{2,4})[ \t]+(?:(?:Dr|Mr|Mrs|Ms|Miss|Prof|Professor|Cllr)\.?\s+)?"
    r"(?P<words>[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?(?:[ ][A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?){1,2})"
    r"(?=[ \t]{2,}|,|[ ][-–][ ]|[ ]*$)",
    re.MULTILINE,
)


def defined_initials(text: str) -> dict[str, str]:
    """Initials a document defines for a person, mapped to the name; an ambiguous code is left.

    Defined as "Nadia Brierley (NB)" or in a list that gives them first ("MP   Marcia
    Penhaligon, Phlebotomy Services Manager"), or only implied: a list of who was there names "Helen
    Achebe" and the minutes then write "HA welcomed members".
    """
    defined: dict[str, set[str]] = {}
    for m in _DEFINED.finditer(text):
        code = m["code"]
        name = _name_for(m["words"].split(), code)
        if name is not None:
            defined.setdefault(code, set()).add(name)
    for m in _CODED.finditer(text):
        name = _name_for(m["words"].split(), m["code"])
        if name is not None:
            defined.setdefault(m["code"], set()).add(name)
    implied: dict[str, set[str]] = {}
    for m in _LISTED.finditer(text):
        words = m["name"].split()
        code = (words[0][0] + words[-1][0]).upper()
        if code not in defined and code not in _COMMON and _used(code).search(text):
            implied.setdefault(code, set()).add(m["name"])
    found = implied | defined
    return {code: next(iter(names)) for code, names in found.items() if len(names) == 1}


def _used(code: str) -> re.Pattern[str]:
    # the initials standing alone, not a longer token or a note "NB:"; two owners may share an
    # action, "SR/MF", but "A26/08" and "N/A" are no one's
    return re.compile(rf"(?<![\w-])(?<![a-z0-9]/){code}(?![\w:-])(?!/[a-z0-9])")


# a person acting, after their initials: "PA to confirm …", "PA proposed …", "GP will send …"
_ACTS = re.compile(r"\s+(?:to\s+[a-z]+|will\b|[a-z]{2,}ed\b|(?:said|says|asked|gave|took)\b)")
_DETERMINER = re.compile(r"\b(?:the|a|an|our|your|their|his|her|each|every|per)\s+$", re.I)


def _named(code: str, name: str, text: str) -> str:
    """``text`` with each use of ``code`` written "Name (CODE)".

    Not the definition "(NB)" itself, nor a word of a line in capitals ("AN UPDATE ON …"). Where
    the initials are also a common acronym ("Paul Achebe (PA)", "Gareth Pryce (GP)"), only the
    uses where the person acts are named: "PA to confirm", not "the GP partners".
    """
    common = code in _COMMON

    def named(m: re.Match[str]) -> str:
        before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
        if common and (not _ACTS.match(text, m.end()) or _DETERMINER.search(text, 0, m.start())):
            return m.group(0)
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        shouted = len(re.findall(r"\b[A-Z]{2,}\b", line)) > len(re.findall(r"\b[a-z]+\b", line))
        if (before == "(" and after == ")") or shouted:
            return m.group(0)
        return f"{name} ({code})"

    return _used(code).sub(named, text)


def with_names(doc: ParsedDocument) -> ParsedDocument:
    """The document with each use of a person's initials written with the name first."""
    people = defined_initials("\n".join(b.text for b in doc.blocks))
    if not people:
        return doc
    blocks = []
    for block in doc.blocks:
        text = block.text
        for code, name in people.items():
            text = _named(code, name, text)
        blocks.append(block if text == block.text else block.model_copy(update={"text": text}))
    return doc.model_copy(update={"blocks": blocks})
