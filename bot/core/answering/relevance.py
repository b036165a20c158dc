"""How well a sentence answers a question: meaning, shared terms, and the kind of thing asked.

Shared by the reranker and the offline composer so both judge sentences the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set

import numpy as np

from bot.core.wording import terms
from knowledge.embeddings import Vectors
from knowledge.framework import DOCUMENT_TITLES

_AUTHORSHIP = re.compile(
    r"\b(written by|wrote|authors?|co-?authors?|by Dr|edited by|led by|leads(?! to\b)|is led|"
    r"run by|owned by|owns|chaired by|chairs|responsible for|lead (nurse|clinician|manager)|"
    r"(?:senior )?responsible (?:owner|officer)|SRO|(?:project|programme) manager|managed by|"
    # an action in minutes: "Nadia Brierley (NB) to lead the pilot"
    r"(?:to|will|is|are) (?:lead|run|chair|coordinate)|is (?:leading|running|chairing))\b"
    # a role given as a label ("Clinical lead: Dr Tom Hollis", "Document owner: Sarah Okafor"),
    # also in a table's row ("Document owner | Priya Venkatesan")
    r"|\b(?:lead|owner|officer|sponsor|chair|manager|director|coordinator|contact)s?\s*[:|]",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b(19|20)\d{2}\b|\b(January|February|March|April|May|June|July|August|"
    r"September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday|weekly|monthly|fortnightly|\d{1,2}(am|pm|:\d{2}))\b"
)
NUMBER_WORDS = (
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|sixteen|twenty|thirty|"
    r"forty|fifty|hundred|hundreds|thousand|thousands|dozen|dozens"
)
_NUMBER = re.compile(rf"\d|\b({NUMBER_WORDS})\b", re.IGNORECASE)
_ASKS = (
    (re.compile(r"\b(who|whom|author|authors|wrote|written)\b", re.I), _AUTHORSHIP),
    (re.compile(r"\b(when|year|date|published|came out|how often|what time)\b", re.I), _DATE),
    (
        re.compile(r"\b(how (much|many)|percentage|per ?cent|figure|number of|rate)\b", re.I),
        _NUMBER,
    ),
    # "the scan's system-wide barriers, what are they": a list, announced then given after a colon
    (
        re.compile(r"^\W*(?:what|which) (?:are|were) the\b|\bwhat (?:are|were) they\W*$", re.I),
        re.compile(r":[^:]*,[^:]*,"),
    ),
)
# When a question names a document, passages from that document are preferred.
_DOCUMENT_CUES = (
    (
        re.compile(
            r"\b(constructive comfort|main report)\b|(?<!supplementary )\b(the|this|that) report\b",
            re.I,
        ),
        "constructive_comfort",
    ),
    (
        re.compile(r"\b(supplement(ary)?|transformational change|mckinsey)\b", re.I),
        "supplement",
    ),
    (
        re.compile(
            r"\b(evidence scan(?: (?:on|of|into) barriers(?: to improvement)?)?|the scan"
            r"|barriers? scan|getting in the way)\b",
            re.I,
        ),
        "evidence_scan",
    ),
)
MAIN_DOCUMENT = "constructive_comfort"
SUBJECT_WORDS = 6
DOCUMENT_NAMES = {
    "constructive_comfort": "Constructive comfort",
    "supplement": "supplement Transformational change in NHS providers",
    "evidence_scan": "evidence scan",
}
# who wrote it, when it came out, how long it is: facts about the document itself
_DOCUMENT_FACT = re.compile(
    r"^\W*(who|when|how (many|long|much))\b|\b(wrote|written|authors?|published|came out|"
    r"launched|pages?|dated?|put together|done by|produced by|co-?wr[io]te|authored|write"
    r"|(?:is|was|were|are) (?:by|from))\b"
    # "the barriers paper was Evidence scan No. 42": its number in the foundation's series
    r"|\bscan\s+(?:no\.?|number|#)\s*\d+\b",
    re.IGNORECASE,
)
# "our DoN said there are 5 success factors": a supposed count of the framework's parts
FRAMEWORK_COUNT = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:success\s+)?(?:factors?|"
    r"barriers?|barrier\s+areas?|approach(?:es|\s+types?)|recommendations?)\b",
    re.IGNORECASE,
)
# sentences whose subject is provenance (where a statement comes from), not the guidance itself
_META = re.compile(
    r"^The\b[^.;]{0,50}\b(labels?|names?|definitions?|descriptions?|examples?|gloss(es)?|links?|"
    r"headline wording)\b[^.;]{0,80}\b(is|are|comes?)\s+(from\s+)?(the report's|changebot's|"
    r"stated|sourced|suggestions\b|the Health Foundation's)"
    r"|^(These|This|They|That)\b[^.;]{0,40}\b(is|are)\s+(all\s+)?(changebot's|suggestions\b|"
    r"the newsletter's illustrations|general improvement practice)"
    r"|^(Treating|Linking|Placing|Any detail|Anything|Anyone|What that)\b.*\b(is|as)\s+"
    r"(changebot's|its own)"
    r"|\b(labels?|names?|terms?) (is|are) (sourced|the scan's|the report's)\b"
    r"|\bbundled notes\b|\bthe notes (draw|do not|say)\b|^Separate notes\b|\bmarked as such\b"
    r"|^Every statement in\b|\bchangebot's guidance (draws|uses|carries)\b"
    r"|^\"changebot's (interpretation|suggestion)\""
    r"|\bare not content from\b|\bnot a list taken from\b"
    r"|\b(phrasings are invented|invented (phrasings|illustrations))\b"
    r"|^The factor itself comes from\b",
    re.IGNORECASE,
)
_FRAGMENT = re.compile(r"^\d+[,;.]\s")  # the tail of a list split at "?" ("6, What is …")
_ABOUT_SOURCES = re.compile(
    r"\b(changebot|your|notes?|sources?|provenance|interpret\w*|verif\w*|reliab\w*|made up)\b",
    re.IGNORECASE,
)
DOCUMENT_BONUS = 0.08
OVERLAP_WEIGHT = 0.35
TYPE_BONUS = 0.25


_COUNT = re.compile(rf"\b(\d[\d,.]*|(?i:{NUMBER_WORDS}))\s?(%|per ?cent|[a-z]{{3,}})")
# "what % of lists started on time?", "what proportion …": a share, answered by a percentage
_ASKS_SHARE = re.compile(r"%|\bper ?cent|\bpercentage|\bproportion|\bwhat share\b", re.I)
_SHARE = re.compile(r"\d\s?(?:%|per ?cent)", re.I)
ASKS_DURATION = re.compile(r"\bhow long\b", re.I)
# a duration given: "31 weeks", "ten minutes", "a few years", "5 working days"
DURATION_GIVEN = re.compile(
    rf"\b(?:\d[\d,.]*|(?i:{NUMBER_WORDS})|one|a few|several|many)[\s-]?(?:working\s+)?"
    r"(?:years?|months?|weeks?|wks?|days?|hours?|hrs?|min(?:ute)?s?)\b",
    re.I,
)
# "how often do IP risk assessments have to be redone?": a frequency, "every three months"
# (not "how often was the suite full over jul-sep?": a count of times in the past)
_ASKS_FREQUENCY = re.compile(
    r"\bhow (?:often|frequently)\b(?!\s+(?:was|were|did|has|have|had)\b)", re.I
)
FREQUENCY_GIVEN = re.compile(
    rf"\bevery\s+(?:\d+|(?i:{NUMBER_WORDS})|other|working)?\s*(?:days?|weeks?|months?|years?|"
    r"shifts?|quarters?|fortnight|morning|evening|night|monday|tuesday|wednesday|thursday|friday)\b"
    r"|\b(?:daily|weekly|fortnightly|monthly|quarterly|annually|yearly|twice|once)\b"
    rf"|\b(?:\d+|(?i:{NUMBER_WORDS}))\s+times?\s+(?:a|an|per|each)\s+\w+",
    re.I,
)
_ASKS_MONEY = re.compile(
    r"\bhow much\b(?=.*\b(?:give|gave|given|fund\w*|cost\w*|spen[dt]\w*|pay|paid|budget|worth|"
    r"invest\w*|charge\w*|money|grant\w*|award\w*)\b)",
    re.I,
)
_MONEY = re.compile(r"£\s?\d|\b\d[\d,.]*\s?(?:k|m|million|pounds?)\b", re.I)
_COUNT_OF = re.compile(rf"\b(\d[\d,.]*|(?i:{NUMBER_WORDS}))\s+(?P<what>([\w'-]+\s+){{0,2}}[\w'-]+)")
_NAME = re.compile(r"\b[A-Z][a-z]+ (?:[A-Z]\.? )?[A-Z][a-z]+\b")
# people a "who took part / who was interviewed" question may be answered with
_PEOPLE = re.compile(
    r"\b(leaders?|clinicians?|managers?|commissioners?|staff|doctors?|nurses?|consultants?|"
    r"academics?|members?|participants?|alumni|chief executives?|directors?|heads? of|"
    r"interviewees|patients?|experts?|practitioners?|people|contacts)\b",
    re.IGNORECASE,
)
# a who-question about authorship or ownership wants the role cue, not just people
_ASKS_AUTHOR = re.compile(
    r"\b(wrote|write|written|writers?|authors?|authored|came up with|behind|produced|"
    r"put together|compiled|prepared|drafted|publish\w*|leads?|led|leading|runs?|running|owns?|"
    r"owners?|chairs?|chairing|heads?|heading|in charge|responsible)\b",
    re.IGNORECASE,
)
# who has an action, not who leads: "who's sorting out the pre-alert?", "who is looking into it?"
_ASKS_ACTION = re.compile(
    r"\b(?:sort(?:s|ing)? (?:out|it)|looking into|taking (?:it |this |that )?forward|picking up|"
    r"chasing|has the action|following (?:it |this |that )?up|pulling together)\b",
    re.IGNORECASE,
)
# an action given to a named person in minutes: "Paul Achebe (PA) to confirm the pre-alert"
# ("Lewis Achterberg (LA) has raised an IT ticket and will chase it", "… (LA) agreed to …")
_ACTION_HOLDER = re.compile(
    r"\b[A-Z][a-z]+ [A-Z][\w'-]+ \([A-Z]{2,4}\) (?:to|will|has (?:raised|taken|agreed|offered)"
    r"|agreed to|offered to|is (?:going to|chasing|leading|looking into))\b"
)
CARRIES: dict[str, re.Pattern[str]] = {"when": _DATE, "how_many": _NUMBER}


def asks_share(query: str) -> bool:
    """Whether ``query`` asks for a share ("what proportion …", "what % …")."""
    return bool(_ASKS_SHARE.search(query))


def asks_frequency(query: str) -> bool:
    """Whether ``query`` asks how often ("how often do IP risk assessments have to be redone?")."""
    return bool(_ASKS_FREQUENCY.search(query))


def carries_answer(form: str | None, sentence: str, strict: bool = True, query: str = "") -> bool:
    """Whether ``sentence`` holds the kind of thing a who/when/how-many question asks for.

    For *who*, ``strict`` wants a role cue ("led by", "owns", "wrote"), or, when the question
    asks who took part rather than who wrote or leads, a word for people ("senior leaders",
    "commissioners", "director"); the looser pass accepts any two capitalised words, which also
    matches place names.
    """
    if form == "who":
        if query and _ASKS_ACTION.search(query):
            return bool(_ACTION_HOLDER.search(sentence)) or (
                not strict and bool(_NAME.search(sentence))
            )
        asks_author = not query or bool(_ASKS_AUTHOR.search(query))
        role = (_AUTHORSHIP if asks_author else _PEOPLE).search(sentence) is not None
        return role or (not strict and bool(_NAME.search(sentence)))
    if form == "how_many" and strict:  # a count of something, not the day of a date
        if _ASKS_SHARE.search(query):
            return bool(_SHARE.search(sentence))
        if ASKS_DURATION.search(query):  # "how long is the wait?": weeks, not 214 children
            return bool(DURATION_GIVEN.search(sentence))
        if _ASKS_FREQUENCY.search(query):  # "how often …?": "every three months", "weekly"
            return bool(FREQUENCY_GIVEN.search(sentence))
        if _ASKS_MONEY.search(query):  # "how much did the ICB give us?": pounds
            return bool(_MONEY.search(sentence))
        return bool(_COUNT.search(sentence))
    if form == "when" and query:
        # "study day in may - what date?": the month asked about is not the date given
        named = {w.lower() for w in re.findall(r"\w+", query)}
        return any(m.group(0).lower() not in named for m in _DATE.finditer(sentence))
    pattern = CARRIES.get(form or "")
    return bool(pattern and pattern.search(sentence))


def answer_type_bonus(query: str, sentence: str) -> float:
    """A lift for sentences carrying what was asked for (names, dates or numbers).

    "Who took part?" or "who did they interview?" is answered by people ("senior leaders"),
    not by whoever wrote the document.
    """
    bonus = 0.0
    for asks, has in _ASKS:
        if has is _AUTHORSHIP and not _ASKS_AUTHOR.search(query):
            has = _PEOPLE
        if asks.search(query) and has.search(sentence):
            bonus += TYPE_BONUS
    return bonus


# a reference a question names: an action "A26/08", a criterion "R5", a form "PA-014"
_REFERENCE = re.compile(
    r"(?<![\w/-])(?=[\w/-]*\d)(?=[\w/-]*[A-Za-z/-])[A-Za-z0-9]+(?:[/-][A-Za-z0-9]+)*(?![\w/-])"
)
REFERENCE_BONUS = 0.3


# "24/7", "2nd", "10am", "6wk", "q2": a time, a count or a quarter, not a reference
_ORDINAL_OR_UNIT = re.compile(
    r"\d+(?:st|nd|rd|th|am|pm|h|hr|hrs|k|m|wk|wks|yo|s)|24/7|q[1-4]|\d+[/-]\d+", re.I
)


def references(query: str) -> list[str]:
    """The references ``query`` names, letters and figures together ("A26/08", "R5", "11/01")."""
    return [
        m.group()
        for m in _REFERENCE.finditer(query)
        if not m.group().isdigit() and not _ORDINAL_OR_UNIT.fullmatch(m.group())
    ]


def reference_pattern(named: list[str]) -> re.Pattern[str] | None:
    """One pattern finding any of the ``named`` references as a whole token (None when none)."""
    if not named:
        return None
    either = "|".join(re.escape(ref) for ref in named)
    return re.compile(rf"(?<![\w/-])(?:{either})(?![\w/-])", re.IGNORECASE)


def sentence_scores(
    query: str,
    query_vector: Vectors,
    sentences: list[str],
    vectors: Vectors,
    idf: Mapping[str, float] | None = None,
) -> Vectors:
    """One relevance score per sentence; shared rare terms count more than common ones."""
    if not sentences:
        return np.zeros(0, dtype=np.float32)
    weights = {t: (idf or {}).get(t, 1.0) for t in set(terms(query))}
    total = sum(weights.values()) or 1.0
    sims = vectors @ query_vector
    named = reference_pattern(references(query))  # compiled once for every sentence
    extra = [
        OVERLAP_WEIGHT * sum(weights[t] for t in weights.keys() & set(terms(s))) / total
        + answer_type_bonus(query, s)
        + (REFERENCE_BONUS if named is not None and named.search(s) else 0.0)
        for s in sentences
    ]
    result: Vectors = (sims + np.array(extra, dtype=np.float32)).astype(np.float32)
    return result


# "was the supplement written by the King's Fund?", "the scan's 40 pages long, isn't it?": a yes/no
# question, or a statement with a tag, that supposes who wrote a named document, when or how long
_SCENE_BREAK = re.compile(r"\s[-–—:]\s|(?<=[.!])\s+")
# a yes/no question, or a tag ("… wasn't it?", "…, right?") at the end or before a second ask
# ("it was by Dixon and Ham wasnt it? who were the actual authors")
_SUPPOSES = re.compile(
    r"^\W*(is|are|was|were|did|does|do|has|had)(?:n'?t)?\b"
    r"|\b(was|is|were|are|did|does|do|has)n'?t (it|they)\W*(\?|$)|"
    r"\b(?:right|yeah|innit|correct)\W*(\?|$)|"
    r"^\W*(?:am i (?:right|correct)|is it (?:true|right))\b|"
    # "pretty sure it was done by the kings fund??", "isnt it scan no. 42?", "can someone confirm"
    r"^\W*(?:i'?m\s+)?(?:pretty|fairly|quite|almost)\s+sure\b|"
    r"\b(?:is|was|are|were)n'?t (?:it|they)\b(?=[^?]*\?)|"
    r"\b(?:can|could) (?:someone|somebody|anyone|you) (?:please )?(?:confirm|check|verify)\b"
    r"|\bsanity check\b",
    re.IGNORECASE,
)


def supposes_document_fact(query: str) -> bool:
    """Whether ``query`` checks a supposed fact about a named document (its author, date, length).

    The supposed name or figure ("the King's Fund") may be one the guidance never uses: that is
    what makes the answer "no, it was …", not a topic the guidance lacks.
    """
    return (
        checks_a_supposition(query)
        and _DOCUMENT_FACT.search(query) is not None
        and bool(named_documents(query))
    )


# "was the supplement based on GP practices?", "did McKinsey talk to community services or just
# hospitals?": the kind of provider supposed is checked against the providers the supplement
# studied (acute trusts), not a topic the guidance must name
_CARE_SETTING = re.compile(
    r"\b(?:care homes?|nursing homes?|gps?|gp practices?|gp surgeries|general practices?|"
    r"primary care|community|mental health|ambulance|hospices?|social care)\b",
    re.IGNORECASE,
)
_CHECKS_SCOPE = re.compile(
    r"\b(?:based|interview\w*|talk\w*|spoke|speak\w*|cover\w*|includ\w*|look\w* at|"
    r"stud(?:y|ied)|relevant|appl(?:y|ies)|at all|just|only)\b",
    re.IGNORECASE,
)


def settings_checked(query: str) -> set[str]:
    """Terms of the care settings a question checks the supplement's scope against.

    The supplement studied acute providers; "did it cover care homes?" is answered by that, so
    "care homes" is the supposition checked, not a topic the guidance lacks. Other documents'
    coverage of a setting stays a topic ("what did the scan find in general practice?").
    """
    if "supplement" not in named_documents(query) or not _CHECKS_SCOPE.search(query):
        return set()
    return {t for m in _CARE_SETTING.finditer(query) for t in terms(m.group())}


# "who do they mean by national bodies - is CQC one of them?": the member supposed is checked
# against those the passages name, not a topic the guidance must hold
_MEMBER_CHECKED = re.compile(
    r"\b(?:is|are|was|were|does|do)\s+(?:the\s+)?(?P<item>[\w&'-]+(?:\s+[\w&'-]+){0,3}?)\s+"
    r"(?:one\s+of\s+(?:them|those|these|the\s+\w+)|among\s+(?:them|those|these)|"
    r"on\s+(?:the|that|their)\s+list|count(?:ed)?\s+as\s+one)\s*\?",
    re.IGNORECASE,
)


def member_checked(query: str) -> set[str]:
    """Terms of an item a yes/no question checks against a group ("is CQC one of them?")."""
    return {t for m in _MEMBER_CHECKED.finditer(query) for t in terms(m["item"])}


# "would a reconfiguration of our regional mortuary service count as an 'improvement project'?",
# "what about a full reconfiguration, like moving the kitchen off-site?": the asker's case held
# up against a definition, not a topic the guidance must name
_CASE_COUNTED = re.compile(
    r"\b(?:does|do|would|could|should|will|can)\s+(?P<case>(?:a|an|the|our|my|this|that|"
    # "would merging our two laundries count as …?"
    r"their|[a-z]+ing)\b[^?]{2,100}?)\s+count\s+as\b",
    re.IGNORECASE,
)
_CASE_EXAMPLE = re.compile(
    r"\b(?:what about|how about)\s+(?P<case>[^?]{3,100})\?|,?\s+(?:like|such as|e\.?g\.?)\s+"
    r"(?P<example>[^?.!,]{3,60})",
    re.IGNORECASE,
)


def case_counted(query: str) -> set[str]:
    """Terms of the asker's own case checked against a definition ("does X count as …?")."""
    if not _CASE_COUNTED.search(query):
        return set()
    found = {t for m in _CASE_COUNTED.finditer(query) for t in terms(m["case"])}
    for m in _CASE_EXAMPLE.finditer(query):
        found |= set(terms(m["case"] or m["example"]))
    return found


_MAKER = re.compile(
    r"\b(by|wrote|write|written|writers?|authors?|authored|published|produced|commissioned|funded|"
    r"put together|behind (?:it|that|this|the \w+))\b",
    re.IGNORECASE,
)


# "the scan was based on 37 NHS studies, wasn't it?": a supposed count of a document's parts
_CLAIMED_COUNT = re.compile(
    rf"\b(?P<n>\d+|{NUMBER_WORDS})\s+(?:[\w-]+\s+)?(?P<unit>studies|papers|pages|databases|"
    r"interviews|workshops|participants|people|barriers|categories|phases|chapters|trusts|"
    r"organisations|providers|contributors)\b",
    re.IGNORECASE,
)


def supposed_count(query: str) -> tuple[str, str] | None:
    """(number, what it counts) when ``query`` checks a supposed count ("… 37 studies, right?")."""
    if not checks_a_supposition(query):
        return None
    match = _CLAIMED_COUNT.search(query)
    return (match["n"].lower(), match["unit"].lower()) if match else None


def claims_a_maker(query: str) -> bool:
    """Whether ``query`` names who made a document ("it was by Dixon and Ham, wasn't it?")."""
    return _MAKER.search(query) is not None


# "done by the kings fund??", "written by mckinsey, right?": who a document is supposed to be by
_MAKER_PHRASE = re.compile(
    r"\b(?:by|from)\s+(?:the\s+)?(?P<maker>[\w'&-]+(?:\s+[\w'&-]+){0,2}?)"
    r"(?=\s*(?:[?.!,;]|$|\s+(?:and|or|but|right|innit|isnt?|wasnt?|didnt?|is|was|in|back)\b))"
    # "did mckinsey write the main report?"
    r"|\bdid\s+(?:the\s+)?(?P<did>[\w'&-]+(?:\s+[\w'&-]+){0,2}?)\s+(?:write|produce|author|"
    r"publish|put together)\b",
    re.IGNORECASE,
)


def supposed_maker(query: str) -> set[str]:
    """Terms of the makers a query supposes a document is by, however it is capitalised."""
    return {t for m in _MAKER_PHRASE.finditer(query) for t in terms(m["maker"] or m["did"])}


def supposes_framework_count(query: str) -> bool:
    """Whether ``query`` checks a supposed count of the framework's parts ("5 success factors?").

    The supposed number may be one the guidance never states; the answer is the real count.
    """
    return checks_a_supposition(query) and FRAMEWORK_COUNT.search(query) is not None


def checks_a_supposition(query: str) -> bool:
    """A yes/no question or a tag ("… is that right"), in the whole query or its last part.

    "writing a ref - was it published in 2014?": the check may follow a scene-setting part.
    """
    whole = query.strip()
    asked = _SCENE_BREAK.split(whole)[-1]
    return _SUPPOSES.search(whole) is not None or _SUPPOSES.search(asked) is not None


def asks_a_document_fact(query: str) -> bool:
    """Whether ``query`` asks who wrote, when, or how long, whatever document it names."""
    return _DOCUMENT_FACT.search(query) is not None


def named_documents(query: str) -> list[str]:
    """Ids of the documents the question names ("the report", "the supplement", "the scan")."""
    return [key for cue, key in _DOCUMENT_CUES if cue.search(query)]


def first_named_at(query: str, document: str) -> int:
    """Where ``query`` first names ``document`` (its length when it never does)."""
    found = [
        m.start() for cue, key in _DOCUMENT_CUES if key == document for m in cue.finditer(query)
    ]
    return min(found, default=len(query))


def names_document(sentence: str, documents: list[str]) -> bool:
    """Whether the sentence opens by naming one of ``documents`` (it is about that document)."""
    opening = " ".join(sentence.split()[:SUBJECT_WORDS])
    return any(cue.search(opening) for cue, key in _DOCUMENT_CUES if key in documents)


def without_documents(query: str) -> str:
    """The question with the names of documents taken out ("who wrote [the report]?")."""
    for cue, _key in _DOCUMENT_CUES:
        query = cue.sub(" ", query)
    return query


# words for the groups something is sorted into: one is counted as well as another
GROUPINGS = frozenset(terms("group category type kind class clas"))
# "how many staff have they got?" of "The team is six strong: two pharmacists, …"
_STAFF = frozenset(terms("staff people person member headcount workforce"))
_TEAM_SIZE = re.compile(
    rf"\b(?:team|service|hub|unit|department)\s+(?:is|are|was|has|of|now has)\s+"
    rf"(?:now\s+)?(?P<n>\d+|(?i:{NUMBER_WORDS}))(?:\s*(?:-\s*)?strong|\s+(?:people|staff))\b"
    rf"|\b(?P<m>\d+|(?i:{NUMBER_WORDS}))\s*-?\s*strong\s+team\b",
    re.IGNORECASE,
)


# people counted under any of the words a service uses for them
_PERSONS = frozenset(terms("people person persons patients individuals clients residents"))


def counts_asked(sentence: str, asked: list[str], given: Set[str] = frozenset()) -> bool:
    """Whether a number in the sentence counts one of the ``asked`` terms ("four recommendations").

    "The recommendations mirror the three approach types" has a count, but not of recommendations.
    Numbers in ``given`` (those the question itself gave, "of the 34 people …") are not answers.
    """
    wanted = set(asked)
    if wanted & GROUPINGS:  # "how many groups …?" is answered by "four categories"
        wanted |= GROUPINGS
    if wanted & _PERSONS:  # "how many people are on the list?": "2,347 patients waiting"
        wanted |= _PERSONS
    if wanted & _STAFF:
        size = _TEAM_SIZE.search(sentence)
        if size and (size["n"] or size["m"]).lower() not in given:
            return True
    for match in _COUNT_OF.finditer(sentence):
        if match.group(1).lower() in given:
            continue
        following = terms(match.group("what"))
        if any(t == a or (len(a) >= 4 and t.startswith(a[:-1])) for t in following for a in wanted):
            return True
    return False


# "which option is the paper recommending?", "which model is going as the preferred one?"
ASKS_RECOMMENDED = re.compile(
    r"\b(?:which|what)\b[^?]{0,120}\b(?:recommend\w*|preferred|favoured)\b"
    r"|\b(?:recommended|preferred|favoured|chosen) (?:option|model|approach)\b"
    # "which option did the prep business case go with?", "what model did they settle on?"
    r"|\b(?:which|what)\s+(?:option|model|approach)\b[^?]{0,80}\b(?:go|goes|going|went|gone|"
    r"opt|opted|choose|chose|chosen|pick|picked|settle|settled|land|landed)\s+(?:with|for|on)\b",
    re.IGNORECASE,
)
# a trust's paper naming the option it recommends: "We recommend Option B", "B. Split week
# (recommended)", "Recommended option: C"
RECOMMENDS_OPTION = re.compile(
    r"(?<!\bnot\s)(?<!n.t\s)\brecommends?\s+(?:option|model|approach)\s+\w"
    r"|\((?:recommended|preferred)\)"
    r"|\b(?:recommended|preferred)\s+(?:option|model|approach)\b\s*(?:is|:)"
    # "Option 3 is recommended.", a table row's "… | £186,400 | 260 | Preferred option"
    r"|\b(?:option|model)\s+\w{1,3}\s+is\s+(?:the\s+)?(?:recommended|preferred)\b"
    r"|\|\s*(?:recommended|preferred)(?:\s+option)?\s*$",
    re.IGNORECASE,
)


# the option asked for as "preferred": the lexical search is told of a recommendation
_PREFERRED_OPTION = re.compile(
    r"\b(?:preferred|favoured)\s+(?:one|option|model|approach)\b"
    r"|\b(?:which|what)\s+(?:option|model|approach)\b[^?]{0,60}\b(?:preferred|favoured)\b",
    re.IGNORECASE,
)


# where the report's lessons hold, asked beyond England ("does it apply any wider?"); the lead
# cue for the UK's nations reads it too (``extractive._ASKS_NATIONS``)
APPLIES_WIDER = re.compile(
    r"\b(?:apply|applies|applied|relevant)\s+(?:any\s+|much\s+)?(?:wider|more\s+widely|beyond|"
    r"elsewhere|outside\s+(?:of\s+)?england)\b",
    re.IGNORECASE,
)


# "when's the next EFOG?", "when do we next meet?": the date of a group's next meeting
ASKS_NEXT_MEETING = re.compile(
    r"\bnext\b[^?]{0,40}\b(?:meeting|meet|mtg|session)\b|\b(?:meeting|meet|mtg)\b[^?]{0,20}\bnext\b",
    re.IGNORECASE,
)


def lexical_hints(query: str) -> list[str]:
    """Words for the lexical query that a who/when/how-many question about a document implies.

    "How many pages is the report?" reaches the passages that say "Constructive comfort runs to
    40 pages", and "who put together the report?" those naming its authors, as the framework's
    concepts widen other lexical queries.
    """
    if _PREFERRED_OPTION.search(query):
        # "which model is going to the exec as the preferred one?": a trust's paper writes
        # "We recommend Option B"; the hint reaches it without rewording the question (read as
        # "recommended", it asked for the report's own recommendations)
        return ["recommend option recommendation"]
    if ASKS_NEXT_MEETING.search(query):
        # minutes close with "9. DATE OF NEXT MEETING", a section the question's words may miss
        return ["date of next meeting"]
    if APPLIES_WIDER.search(query):
        # "it's written around the English NHS, isn't it? does it apply any wider?": the
        # passages saying where its lessons hold
        return ["UK England Wales Scotland Northern Ireland nations apply"]
    if not _DOCUMENT_FACT.search(query):
        return []
    hints = [DOCUMENT_NAMES[d] for d in named_documents(query)]
    if re.match(r"\W*who\b", query, re.I) and _ASKS_AUTHOR.search(query):
        hints.append("authors written by")
    return hints


def from_document(origin: str, documents: list[str]) -> bool:
    """Whether a passage's origin (its source's title) is one of ``documents``.

    Exact titles: a glossary "of terms used in Constructive comfort" is not the report.
    """
    return any(origin == DOCUMENT_TITLES.get(d) for d in documents)


def document_bonus(query: str, origin: str) -> float:
    """A lift for passages from the document the question names ("the scan", "the report")."""
    named = named_documents(query)
    return DOCUMENT_BONUS if named and from_document(origin, named) else 0.0


def is_meta(sentence: str) -> bool:
    """Whether the sentence is about where the notes' content comes from, not the content.

    "This map is changebot's interpretation" or "The label is the report's; the definition is
    changebot's reading" say how to take other sentences; they answer nothing themselves.
    """
    return bool(_META.search(sentence))


def is_fragment(sentence: str) -> bool:
    """Whether the sentence is a piece of a list cut off by the sentence splitter.

    A table's row is whole, whatever its first cell ("1. Named school nurse … | Aisha Rahman").
    """
    return bool(_FRAGMENT.match(sentence)) and " | " not in sentence


def asks_about_sources(query: str) -> bool:
    """Whether the question is about changebot's notes and sources themselves."""
    return bool(_ABOUT_SOURCES.search(query))
