"""What shape of answer a question asks for: a person, a date, a number, yes or no, a contrast.

The router uses it to tell a question ("who leads the pilot?") from a story, and the composer
uses it to lead with the sentence that carries what was asked (a name for *who*, a date for
*when*, a figure for *how many*). Pure rules on the wording: no model, no index.
"""

from __future__ import annotations

import re
from typing import Literal

from bot.core.answering.topics import EMBEDDED_ASK, OWN_TROUBLE, case_then_ask
from bot.core.answering.topics import worded_as_ask as worded_as_ask  # for routing's layer
from bot.core.wording import PART_END

QuestionForm = Literal[
    "who",
    "when",
    "how_many",
    "where",
    "which",
    "compare",
    "example",
    "yes_no",
    "list",
    "how_to",
    "why",
    "what",
]

# greetings and a role clause ("As a ward sister, …", "I'm a GP partner - …") come before the ask
_ROLE = (
    r"(?:as|i'?m|i am|we'?re|we are)\s+(?:an?|the)\s+(?:[\w&'-]+\s+){0,3}?[\w&'-]+"
    r"(?:\s*[,:;\u2013\u2014-]\s*|\s+(?=(?:how|what|which|who|when|where|why)\b))"
)
# "can you list …", "could someone name …": a request, read by its verb, not a yes/no question
_REQUEST = re.compile(
    r"\b(?:can|could|would|will)\s+(?:you|u|someone|somebody|anyone)\s+(?:please\s+|pls\s+)?"
    r"(?=(?:list|name|give|tell|explain|describe|summari[sz]e|remind|show|define|outline|paste|"
    r"post|send)\b)",
    re.IGNORECASE,
)
_LEAD = (
    r"^\s*(?:(?:hi|hello|hey|thanks|thank you|ok|okay|so|and|but|also|plus|quick question|quick q"
    r"|quick one"
    # "roughly what does it cost us per overseas nurse": a hedge before the ask
    r"|roughly|approximately|approx|ballpark|basically|honestly|genuinely)"
    # "ward manager here - how do i …"
    rf"[,!.:\s-]+|{_ROLE}|(?:[\w&'-]+\s+){{1,4}}(?:here|asking|writing)\s*[:,\u2013\u2014-]\s*)*"
)
_NUMBERS = r"(\d+|two|three|four|five|six|seven|eight)"
_STARTS: tuple[tuple[QuestionForm, str], ...] = (
    (
        "how_many",
        r"(how (many|much|long|often|big|large|quickly|fast|soon)"
        r"|what (number|percentage|proportion|share|rate)|what ?% ?\w+)",
    ),
    # "who does it have in mind?", "who does it mean by national bodies?": which bodies are
    # meant, not who made or wrote something
    ("which", r"who (?:does|do|did) (?:it|they|the (?:report|term|phrase)) (?:mean|refer|include)"),
    ("who", r"(who|whom|whose|whos)"),
    ("when", r"(when|what (date|time|day|year|month)|by when|how soon|how (early|late))"),
    # "where am i going wrong?" asks why, "where do we even start?" how: neither asks for a place
    ("why", r"where (am i|are we|is it|did i|did we|have i|have we|do i|do we) (going )?wrong"),
    (
        "how_to",
        r"(where (do|should|can|would) (i|we|you) (even )?(start|begin)|where to (?:start|begin))",
    ),
    ("where", r"where"),
    ("why", r"why"),
    (
        "how_to",
        r"(how (do|can|should|could|would|might) (i|we|you|one|my|our)|what should (i|we)"
        r"|how (am i|are we|is one) (meant|supposed) to|how to)",
    ),
    # "what categories does the scan use?": what + a plural noun asks which ones
    (
        "which",
        r"(which|what (kind|kinds|type|types|sort) of|what (?!\w*ss\b)[a-z-]+s (do|does|did)\b)",
    ),
    (
        "list",
        rf"(list|name|what (are|were|'re)( all)? the (\w+ )?{_NUMBERS}|give me (a|the) list"
        r"|bullet(?:[ -]?point)?|jot down)",
    ),
    ("yes_no", r"(is|are|was|were|does|do|did|can|could|should|will|would|has|have|had|may|must)"),
    ("what", r"(what|whats|explain|define|describe|summari[sz]e|tell me|remind me|give me)"),
)
_COMPARE = re.compile(
    r"\b(differ(ent|ence|s)?|compare[sd]?|comparison|versus|vs\.?|contrast|distinguish(es)?|"
    r"unlike|rather than the other)\b",
    re.I,
)
# "give me an example of …", "can you give an example …", "what's an example of …", "a case of …"
# (not "in the case of …")
_EXAMPLE = re.compile(
    r"\b(an?|some|any|one|another|good|real|concrete) (examples?|instances?|illustrations?|"
    r"cases? of)\b|\b(examples?|instances?) of\b"
    # "the example the Health Foundation used about …", "the example they gave"
    r"|\bthe (examples?|illustrations?) (the|that|they|it|which|used|given|about)\b",
    re.I,
)
_RULES: tuple[tuple[QuestionForm, re.Pattern[str]], ...] = (
    ("compare", _COMPARE),
    ("example", _EXAMPLE),
    (
        "who",
        re.compile(
            r"\bwho(?:'s|\u2019s|s| is| are| was| were| leads?| runs?| owns?| wrote| chairs?)"
            r"(?!\w)"
            # "pretty sure the supplement was done by the kings fund??": its maker, supposed
            r"|\b(?:written|authored|put together|produced|done|commissioned)\s+by\s+(?:the\s+)?"
            r"[\w'&-]+(?:\s+[\w'&-]+)?\W*$",
            re.I,
        ),
    ),
    *((form, re.compile(_LEAD + start + r"\b", re.I)) for form, start in _STARTS),
)
_BARE_ASK = re.compile(
    # "at what HI do we stop reporting potassium": a question word after its preposition
    _LEAD
    + r"(?:(?:at|from|by|in|on|to|for|with|after|until|under|over)\s+(?=wh))?"
    + r"(who|whos|when|where|which|why|how|what|whats|list|bullet|jot down|explain|define|describe"
    r"|tell me|is|are"
    r"|does|do|did|has|have|was|were|can|could|should|would|will|give me|example|compare"
    r"|contrast)\b",
    re.I,
)


# "my consultants don't see a problem - how do I build recognition?": the ask is the last clause
_CLAUSE_ASK = re.compile(
    r"(?:\s[-\u2013\u2014]\s|[;:,]\s)\s*(?P<ask>(?:how|what|which|who|when|where|why)\b[^;:]*)$",
    re.I,
)


# "When the report refers to 'national bodies', who does it mean?": a clause setting the scene
# before the comma, the ask after it
_LEADING_CLAUSE = re.compile(
    r"^\s*(?:when|whenever|if|once|where|while)\s+(?!(?:was|is|did|does|do|were|are|will)\b)"
    r"[^,;:?]{3,80},\s*(?:how|what|which|who|when|where|why)\b",
    re.I,
)


_IF_THEN_ASK = re.compile(
    r"^\s*(?:and\s+)?(?:if|once|when)\s+[^,;:?]{3,80}?\s+"
    r"(?P<ask>(?:does|do|is|are|will|would|can|could|should|has|have)\s+"
    r"(?:a|an|the|it|they|he|she|we|i|you|someone|anyone|that|this|our|their|his|her)\b.*)$",
    re.IGNORECASE,
)
_CLAUSE_BARE = re.compile(
    r"(?:\s[-\u2013\u2014]\s|[;:,]\s)\s*(?:(?:and|also|plus)\s+)?"
    # "…, at what number do we ring the reg"
    r"(?P<ask>(?:(?:at|in|on|by|for|from|to|with|after)\s+(?=(?:what|which|whose)\b))?"
    r"(?:who|when|where|which|what|whats|is|are|does|was|were"
    r"|how (?:many|much|long|often|soon|early|late)"
    # "med review is overdue, can the rx clerks still issue it": what someone else may do
    r"|(?:can|could|do|should) (?:the|they|she|he|pts?|patients?)(?= \w+ \w))\b"
    r"[^;:,]*)$",
    re.I,
)


# "what % started on time before vs after?": two moments of one measure, asked as figures, not
# two things set against each other
_TIME_SIDES = re.compile(
    r"\b(?:before|pre|baseline|then)\s*(?:and|vs\.?|versus|v|compared (?:to|with)|/|-)\s*"
    r"(?:after|post|now)\b",
    re.I,
)


# "has the stockist scheme made any difference?", "did the huddles actually reduce admissions?":
# whether something worked, which a measure's move answers (not a comparison of two things)
_MADE_DIFFERENCE = re.compile(
    r"\b(?:make|made|making|makes)\s+(?:a|any|much|some|an|the|no|real)?\s*(?:real\s+)?"
    r"difference\b",
    re.I,
)
_WORKED = re.compile(
    r"\b(?:did|has|have|does|do)\s+(?:it|they|this|that|the\s+[\w -]{1,40}?)\s+(?:actually\s+|"
    r"really\s+)?(?:work|worked|improve|reduce|cut|lower|raise|increase)\b",
    re.I,
)


def asks_before_and_after(text: str) -> bool:
    """Whether the question asks how a measure moved ("before vs after", "pre and post").

    So does asking whether something worked ("did it make any difference?").
    """
    return bool(_TIME_SIDES.search(text) or _MADE_DIFFERENCE.search(text) or _WORKED.search(text))


def asks_to_compare(text: str) -> bool:
    """Whether the wording sets things side by side ("type 1 vs type 2 in plain English")."""
    return bool(_COMPARE.search(text))


# "… even if they haven't taken handover? Since when?": the date of what was just asked
_WHEN_TAG = re.compile(r"^(?:and\s+|so\s+)?(?:since|from|as of)\s+when\s*\??$", re.IGNORECASE)


def question_form(text: str) -> QuestionForm | None:
    """The form of the question in ``text`` (its last question if several), or None."""
    parts = message_parts(text)
    if parts and _WHEN_TAG.match(SPACED_DASH.split(parts[-1])[-1]):
        return "when"
    sentence = question_sentence(text)
    if sentence is None:
        return None
    sentence = _TIME_SIDES.sub("before and after", _REQUEST.sub("", sentence, count=1))
    sentence = _MADE_DIFFERENCE.sub("changed things", sentence)
    clause = _CLAUSE_ASK.search(sentence)
    asks = (sentence, clause["ask"] if clause else "")
    if clause and _LEADING_CLAUSE.match(sentence):
        asks = (clause["ask"], sentence)  # "When the report says X, who does it mean?": who
    for asked in asks:
        for form, pattern in _RULES:
            if asked and pattern.search(asked):
                return form
    return "what"  # a question, of no more telling shape


# pictographs, dingbats and flags with their joiners and variation selectors: "medical student 👋
# what are the four barriers", where the emoji ends who asks as a full stop would (kept out of
# wording.py, a training input of the diagnosis)
EMOJI = (
    "[\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff\U0001f1e6-\U0001f1ff"
    "\ufe0f\u200d\U0001f3fb-\U0001f3ff]+"
)
# a Slack emoji between words (":wave:", or "👋" as typed) ends what was said before it
_EMOJI = re.compile(rf"\s*(?:\s:[a-z][a-z0-9_+'-]*:|{EMOJI})\s+(?=\w)")


# a spaced dash between parts of a message ("SN referral process - once consent's sorted …")
SPACED_DASH = re.compile(r"\s+[-\u2013\u2014]+\s+")


def message_parts(text: str) -> list[str]:
    """The sentences of a chat message, split after ".", "!", "?", a line break or an emoji."""
    text = _EMOJI.sub(". ", text.strip())
    return [p.strip() for p in PART_END.split(text) if p.strip()]


# "when i raise it the senior nurses just say 'not here'.": a time clause in a told sentence
_TOLD_WHEN = re.compile(
    r"^\s*(?:when|whenever|once)\s+(?:i|we|they|he|she|you|it|the|our|my)\b.*\.$", re.I
)


# "need kestle bridge's line infection rate for oct-dec for the unit board": a fact asked for;
# "DN team asking for the frailty coordinator's direct number": one asked for on someone's behalf
_NEEDS_FACT = re.compile(
    r"^(?:[\w'&/-]+\s+){0,4}?(?:(?:i|we)\s+)?(?:just\s+|really\s+|urgently\s+)?"
    r"(?:need|needs|asking\s+for|asked\s+for|looking\s+for)\s+(?:the|our|their|its|a|an|"
    r"(?:[\w-]+\s+)?[\w-]+'s)\s+(?:[\w'/&-]+\s+){0,5}?(?:rate|rates|figure|figures|number|numbers|%|"
    r"percentage|total|totals|target|date|deadline|name|contact|extension|phone number|"
    # "I need the Health Foundation's address as printed on the documents"
    r"address|postal address|title|full title|citation|reference|authors?|page numbers?|"
    r"publication details)\b",
    re.I,
)


def question_sentence(text: str) -> str | None:
    """The sentence that carries the question: the last one ending in "?", else a bare ask."""
    parts = message_parts(text)
    asked = [p for p in parts if p.endswith("?")]
    if asked:
        # "whats the trigger? one of my porters is on 96, i dont think hes hit it yet?": the
        # question worded as one, not the story ending in a question mark
        worded = [p for p in asked if _BARE_ASK.match(p)]
        return (worded or asked)[-1]
    # no question mark: the last sentence worded as an ask ("… is that real or did she make
    # it up lol")
    bare = [p for p in parts if _BARE_ASK.match(p) and not _TOLD_WHEN.match(p)]
    if bare:
        return bare[-1]
    # "once a referral lands in the SPA how long has the duty SN got": the case, then its ask
    pieces = [piece for p in parts for piece in SPACED_DASH.split(p)]
    # "I keep hearing the report put a number on it - what was the figure": asked after a dash
    dashed = [q for p in parts for q in SPACED_DASH.split(p)[1:] if _BARE_ASK.match(q)]
    if dashed:
        return dashed[-1]
    cased = [ask for ask in map(case_then_ask, pieces) if ask]
    if cased:
        return cased[-1]
    # "im in NHS Wales, does this even apply to us": the ask after a scene-setting clause
    clause = _CLAUSE_BARE.search(parts[-1]) if parts else None
    if clause:
        return clause["ask"]
    # "if someone never opens the portal letter does a paper copy go out automatically": the
    # case, then its yes/no ask, with no comma or question mark between
    conditional = _IF_THEN_ASK.match(parts[-1]) if parts else None
    if conditional:
        return conditional["ask"]
    # "crew at kingsmead asking when the weekly huddle is, anyone know": an ask reported
    embedded = EMBEDDED_ASK.search(parts[-1]) if parts else None
    if embedded and not OWN_TROUBLE.search(embedded["ask"]):
        return embedded["ask"]
    # "on the steering group action log who has A26/08": where to look, then a short ask
    placed = _PLACED_ASK.match(parts[-1]) if parts else None
    if placed:
        return placed["ask"]
    # "doing a board paper, need the mri dna rate from last year": the need after the scene
    needed = [
        n for p in parts for n in (p, _SCENE_CLAUSE.sub("", p, count=1)) if _NEEDS_FACT.match(n)
    ]
    if needed:
        return needed[-1]
    # "PIFU rate in Aug pls": a figure named and asked for, no verb, no question mark
    # "AEDS median wait to assessment in Q2 pls - the perf report figure, not the baseline"
    pieces = [piece for p in parts for piece in SPACED_DASH.split(p)]
    bare = [p for p in pieces if _BARE_FIGURE.match(p) and not _TOLD_VERB.search(p)]
    return bare[-1] if bare else None


_PLACED_ASK = re.compile(
    r"^\s*(?:on|in|from)\s+(?:the|our|this|that|last)\s+[^?.!,;:]{3,60}?\s"
    r"(?P<ask>(?:who|when|where|which|what|whats|what's|who's|when's|how many|how much)\s+"
    r"(?:\S+\s*){1,10})$",
    re.IGNORECASE,
)
_BARE_FIGURE = re.compile(
    r"^(?:the\s+|our\s+|latest\s+)?(?:[\w&/'-]+\s+){0,4}?(?:rate|rates|figure|figures|number|"
    r"numbers|%|total|totals|uptake|percentage|score|count|counts|median|mean|average|wait|waits|"
    r"lengths|dates|authors)"
    r"(?:\s+[\w&/'-]+){0,4}?"
    r"\s+(?:pls|please|plz|ta|thanks|anyone)[.!]?"
    # "page counts pls - main report, the supplement and the scan": what it is wanted of
    r"(?:\s*[-:\u2013\u2014]\s+[^?.!]{3,120})?$",
    re.IGNORECASE,
)
# "DNA rate's gone up again, thanks for nothing": a sentence telling, not asking
_TOLD_VERB = re.compile(
    r"\b(?:is|are|was|were|been|has|have|had|keeps?|went|gone|dropped|fell|rose|risen|got|seems?"
    r"|looks?)\b|'s\b",
    re.IGNORECASE,
)


_SCENE_CLAUSE = re.compile(r"^[^,;:?]{3,60}[,;:]\s+")


# "how can a ward manager …", "what should a practice manager do …": help with one's own work,
# however it is worded (not "how does the report define …")
_PRACTICAL = re.compile(
    r"\bhow (can|could|should|do|would|might)\b(?! the (report|guidance|scan|supplement|evidence"
    r"|health foundation|authors?)\b)|\bhow (am i|are we) (meant|supposed) to\b"
    r"|\bwhat (should|can|could|would) (i|we|you|one|an?|my|our"
    r"|the)\b(?! (report|guidance|scan|supplement|evidence)\b)",
    re.IGNORECASE,
)


def asks_for_help(text: str) -> bool:
    """Whether the question asks how to do something in the asker's own setting."""
    form = question_form(text)
    return form == "how_to" or (form in {"what", None} and bool(_PRACTICAL.search(text)))
