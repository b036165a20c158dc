"""What a question is about: its topical terms, apart from the words that only frame the asking.

"Does the report say national bodies should scrap the levers they use?" is about national bodies
and levers; "say", "should", "scrap" and "use" only frame the question. The grounding gate asks
whether the guidance knows and retrieves the topical terms (a question about net zero or AI is not
answered by a passage on data and analytics, however close the vectors), and the composer asks
which sentence carries them. Pure rules on words: no model, no index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.core.wording import _UNITS, PART_END, STOPWORDS, stem, terms

# words that say where to look, not what is asked about
GENERIC_TERMS = frozenset(
    terms(
        "guidance report reports document documents note notes changebot mention mentions "
        "mentioned cover covers covered talk talks describe describes explain explains "
        "mean means meant"
    )
)
# verbs that frame a question (how it is asked, found, said or done) in any domain; their
# inflections ("getting", "stopped", "creates") are added below
_FRAME_VERBS = """ask answer find found show suggest think thought believe consider feel argue
    claim conclude state see seen look know known write wrote written use make made do did done
    get got give gave given take took taken come came go went gone put keep kept want need able
    happen publish release launch date create build built set free help try tried deal handle manage
    remind recap summarise summarize outline clarify confirm wonder understand learn read heard
    hear reckon guess rely depend lean scrap drop ditch abolish abandon remove stop start
    continue increase reduce cut expand compare contrast differ distinguish mean like feed fed
    inform base draw drew drawn say relate connect count bin finish end suppose hit paste send
    bullet jot quote signpost pick knock download tackle rest chase"""
# other words that frame, compare, count or hedge a question rather than name its topic
_FRAME_WORDS = """different difference differences between comparison versus vs similar same
    alike many much long often soon quickly big large number numbers every each first second
    third last next step steps main key major top biggest exactly actually really ever still
    already currently generally usually typically normally basically especially particularly
    specifically precisely roughly approximately overall whole example examples instance
    instances illustration case cases kind kinds sort sorts thing things way ways idea ideas bit
    lot lots
    whats hows whos someone anyone everyone something anything everything everywhere somewhere
    anywhere now today nowadays good bad best worst better worse easy easier hard harder
    difficult simple summary overview gist quick briefly brief wondering curious point points
    true false right wrong correct accurate eg ie etc fine okay ok im ive i've i'd we've
    relationship relationships connection connections anyway anyways honestly us ours yours
    theirs differently stuff couple sorry obvious obviously useful helpful basically genuinely
    against without within rid completely entirely altogether totally fully wholly outright even
    per longer shorter older newer sentence sentences nutshell plain layman laymans simply
    literally bother bothered poss possible dont didnt doesnt isnt wasnt arent cant wont
    theyre youre thats her hers his him she he total actual exact concrete specific tomorrow
    tonight yesterday shortest longest yeah yep aim aims aiming instead certain amount angle
    angles aspect aspects backdrop down worth relevant relevance applicable pretty sure
    eventually range nowhere near meanwhile thx ta cheers iirc tbh lol pls plz whether bigger
    smaller larger cheaper let lets till until rather immediately onto toward towards mid
    employ employs employed named original originally they'd we'd you'd he'd she'd they've
    you've during split breakdown else apparently loads didn't doesn't haven't hasn't hadn't
    can't couldn't won't wouldn't shouldn't element elements hopelessly reckon reckons reckoned
    proper purely solely merely sound sounds ones together pdf precise either neither
    you're we're they're you'll
    we'll they'll separate distinct reverse opposite vice versa myself ourselves yourself
    yourselves themselves himself
    herself itself highest lowest smallest largest fewest nothing through reason reasons"""


def _inflections(verb: str) -> list[str]:
    """A verb with the endings a question may give it (stop: stops, stopped, stopping)."""
    stem = verb[:-1] if verb.endswith("e") else verb
    return [
        verb,
        f"{verb}s",
        f"{stem}ed",
        f"{stem}ing",
        f"{verb}{verb[-1]}ed",
        f"{verb}{verb[-1]}ing",
    ]


FRAME_TERMS = frozenset(
    terms(" ".join(form for verb in _FRAME_VERBS.split() for form in _inflections(verb)))
    + terms(_FRAME_WORDS)
)
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th)$")
MIN_FUZZY = 5  # shorter terms must match exactly
MAX_SUFFIX = 6  # recommend/recommendation, organis/organisation
MIN_TYPO = 7  # shorter words are too easily one letter from another word
_ROLE_NOUN = (
    r"(?:member|manager|lead|nurse|director|officer|co-?ordinator|guardian|partner|registrar|"
    r"trainee|clerk|rep|representative|chair|sister|matron|consultant|doctor|gp|pharmacist|"
    r"therapist|student|analyst|secretary|volunteer|worker|coach|visitor|midwife|paramedic|"
    r"educator|mgr|receptionist|porter|governor|administrator|practitioner|assistant|technician|"
    r"physio|physiotherapist|commissioner|fellow|planner|accountant|surgeon|anaesthetist|"
    r"radiographer|dietitian|pharmacy tech|hca|specialist)s?"
)
_ROLE = re.compile(
    # "Scottish colleague here: what's …", "ward sister here - …"
    r"^\s*(?:[\w&'-]+\s+){1,4}(?:here|asking|writing)\s*[:,\u2013\u2014-]\s*|"
    # "Lay member of a patient panel: what's …?": who asks, named by a role before a colon and
    # the question (not "main report vs supplement: who wrote which?")
    rf"^\s*(?:[\w&'-]+\s+){{0,3}}{_ROLE_NOUN}(?:\s+(?:of|for|in|on|at)\s+(?:[\w&'-]+\s+){{0,3}}"
    r"[\w&'-]+)?\s*:\s+(?=(?:what|whats|what's|who|whos|who's|when|where|which|how|why|is|are|"
    r"does|do|did|can|could|should|would|give|list|tell)\b)|"
    # "medical student what are the four barriers …": a role, then at once a wh-question (not
    # "ask the director how …")
    r"^\s*(?!(?:what|whats|who|when|where|which|how|why|is|are|does|do|did|can|could|ask|tell|"
    r"the|a|an|our|my|their|if|when)\b)"
    rf"(?:[\w&'-]+\s+){{0,2}}{_ROLE_NOUN}\s+(?=(?:what|whats|what's|who|whos|who's|when|where|"
    r"which|how|why)\s)|"
    # "nurse educator, can someone remind me …": a role, a comma, then the ask
    rf"^\s*(?:[\w&'-]+\s+){{0,2}}{_ROLE_NOUN}\s*,\s+(?=(?:what|whats|what's|who|whos|who's|"
    r"when|where|which|how|why|is|are|does|do|did|can|could|should|would|give|list|tell)\b)|"
    # "I run a dental practice in Wales – …", "we manage the stroke unit, …" (not "I work in
    # Wales - …", where the place is what is asked about)
    r"^\s*(?:i|we)\s+(?:run|manage|lead|chair|coordinate)\s+"
    r"(?:[\w&'-]+\s+){0,5}?[\w&'-]+\s*[,:;\u2013\u2014-]\s+|"
    r"^\s*(?:as|i'?m|i am|we'?re|we are)\s+(?:an?|the)\s+(?:[\w&'-]+\s+){0,3}?[\w&'-]+"
    r"(?:\s*[,:;\u2013\u2014-]\s*|\s+(?=(?:how|what|which|who|when|where|why|is|are|does|do|"
    r"did|can|could|should|would)\b))",
    re.IGNORECASE,
)


# a part that only says who asks: "Practice nurse in Cardiff.", "GP partner here."
_ROLE_ONLY = re.compile(
    rf"^\s*(?:[\w&'-]+\s+){{0,3}}(?:{_ROLE_NOUN}(?:\s+(?:of|for|in|on|at|from)\s+"
    # "Finance director at a Welsh health board here."
    r"(?:[\w&'-]+\s+){0,3}[\w&'-]+)?(?:\s+here)?|[\w&'-]+\s+here)\s*[.!]?\s*$",
    re.IGNORECASE,
)


def only_says_who_asks(part: str) -> bool:
    """Whether a sentence only says who is writing ("physio team lead.", "GP partner here")."""
    return bool(_ROLE_ONLY.match(part))


def without_who_asks(text: str) -> str:
    """``text`` without the sentences that only say who is writing ("GP partner in Wales.")."""
    parts = _parts(text)
    kept = [p for p in parts if not only_says_who_asks(p)]
    return " ".join(kept) if kept and len(kept) < len(parts) else text


def asked_part(text: str) -> str:
    """The question without a leading role clause ("As a ward sister, how do I …")."""
    return _ROLE.sub("", text, count=1)


# the sentences of a message: at sentence ends, and at a spaced dash ("im in wales - does it …")
# … and, in a message, an aside after a comma: "is there an age limit, got a mum asking …"
_PARTS = re.compile(
    rf"{PART_END.pattern}|\s+[-\u2013\u2014]+\s+"
    r"|,\s+(?=(?:(?:i've|we've|i|we)\s+)?(?:got|had)\s+(?:a|an|one|some|this|two|2)\s)"
)
_ASKS = re.compile(
    r"^(?:(?:hi|hey|so|and|but|or|ok|okay|quick one|quick q)[,!.:\s-]+)*"
    r"(?:who|when|where|which|how|what|whats|why|is|are|was|were|does|do|did|can|could|should"
    r"|would|will|has|have|any|list|bullet|jot down|explain|define|describe|tell me|give me"
    r"|compare)\b",
    re.IGNORECASE,
)
MIN_ASKED_TERMS = 2  # "Is that right?" asks about the sentences before it
MAX_GUESS_WORDS = 3  # "surveys? case notes?" after a worded question: guesses at its answer
# what the answer is for, not what it is about: "need it for my board paper", "it's for a
# reference", "for our QI huddle"
_PURPOSE = re.compile(
    r"^(?:(?:i|we)\s+)?(?:really\s+)?(?:need|want|needed|wanted)\s+(?:it|this|that|them|to cite it)"
    r"(?:\s+for\b|$)|^(?:it'?s|this is|that'?s)\s+for\s+(?:my|a|an|our|the)\b"
    r"|^for\s+(?:my|a|an|our)\s+[\w-]+(?:\s+[\w-]+)?[.!]?$"
    # "I know it's 2015 but I need the actual day for our newsletter": what the asker knows, and why
    r"|^(?:i|we)\s+(?:know|knew|remember)\b[^?]*\bbut\s+(?:i|we)\s+need\b[^?]*$"
    # "Want to know how much weight to put on it": what the answer will settle
    r"|^(?:as\s+an?\s+[\w -]{2,40}?\s+)?(?:(?:i|we)\s+)?(?:just\s+)?(?:need|needs|want|wanted|"
    r"needed|trying|keen)\s+to\s+(?:know|work\s+out|understand|judge|decide|gauge)\s+"
    r"(?:how\s+much|whether|if|how\s+far|how\s+seriously|how\s+(?:robust|reliable|solid|"
    r"credible|rigorous|trustworthy|dated|up\s+to\s+date))\b[^?]*$",
    re.IGNORECASE,
)


# "… so i can use it at our team huddle", "…, for a slide": what the asker will do with the answer
_TRAILING_PURPOSE = re.compile(
    r",?\s+so\s+(?:that\s+)?(?:i|we)\s+(?:can|could)\s+(?:use|share|show|explain|present|"
    r"put|take|quote|cite)\b[^?.!]*"
    r"|,\s*(?:it'?s\s+|need (?:it|them|this|these)\s+|(?:i'?m\s+|we'?re\s+)?"
    r"(?:doing|making|prepping|preparing|writing|drafting|building)\s+(?:a|an|my|our|the|some)\s+[\w'-]+\s+)?for\s+"
    # "…, need it for a commissioning intentions paper"
    r"(?:a|an|my|our|the|tomorrow'?s|tmrw'?s|next week'?s)\s+(?:[\w'-]+\s+){0,2}?(?:slides?|deck|"
    r"presentation|board paper|paper|ref|reference|poster|talk|teaching session|huddle|meeting|"
    r"essay|assignment|newsletter|email|induction|bulletin|briefing|away ?-?days?|workshop|"
    r"training)\b[^?.!]*"
    # "…, doing a slide for tomorrow's away day"
    r"|,\s*(?:(?:i'?m|we'?re)\s+)?(?:doing|making|prepping|preparing|writing|drafting)\s+"
    r"(?:a|an|my|our|some)\s+(?:slides?|deck|presentation|poster|paper|briefing|handout)\b[^?.!]*"
    # "…, want to put it in our staff bulletin", "…, putting them on a slide for our away day"
    r"|,\s*(?:(?:i|we)\s+)?(?:want|need|wanted|needed)\s+to\s+(?:put|use|share|include|cite|quote|"
    r"add|show|stick|pin|print|display|hang|circulate)\b[^?.!]*"
    # "is there a one-page version I could put on the wall in the PALS office?": where it goes
    r"|\s+(?:that\s+|which\s+)?(?:i|we)\s+(?:could|can|might)\s+(?:put|stick|pin|print|display|"
    r"hang|drop|pop|paste|add|use|show)\s+(?:it\s+|them\s+)?(?:up\s+)?(?:on|onto|in|into|at|"
    r"around|round)\s+(?:a|an|the|my|our)\b[^?.!]*"
    r"|,\s*(?:(?:i'?m|we'?re)\s+)?(?:putting|adding|including|using)\s+(?:them|it|this|these|that)\s+"
    r"(?:on|in|into|for)\b[^?.!]*"
    # "…, deciding whether to print it for journal club": what the answer will settle
    r"|,\s*(?:(?:i'?m|we'?re|just)\s+)?(?:deciding|trying to decide|working out|figuring out)\s+"
    r"(?:whether|if)\b[^?.!]*"
    # "who are the contacts … if I want to get in touch about the work": the asker's case
    r"|,?\s+if\s+(?:i|we)\s+(?:want|wanted|need|needed|wish)\s+to\s+(?:get\s+in\s+touch|contact|"
    r"reach|speak\s+to|talk\s+to|follow\s+up)\b[^?.!]*",
    re.IGNORECASE,
)

# "doing a board paper, need the mri dna rate …", "slightly random but for my away day slides, the
# report, what were …": what the asker is making, set before the ask (up to its comma)
# what an answer goes on and who will see it, "for the recovery board slides", "for our away day"
_FOR_WHOM = r"(?:my|our|a|an|the|tomorrow'?s|tmrw'?s|next week'?s)"
_SLIDES = r"slides?|deck|presentation|board paper|poster|away ?-?days?"
_LEADING_PURPOSE = re.compile(
    r"^[^,?.!]{0,40}?\b(?:(?:i'?m|we'?re)\s+)?(?:doing|making|prepping|preparing|writing|drafting|"
    r"building|putting together)\s+(?:a|an|my|our|the|some)\s+(?:[\w'-]+\s+){0,2}?(?:slides?|deck|"
    r"presentation|board paper|paper|poster|talk|briefing|handout|essay|assignment|newsletter|"
    r"bulletin|dissertation|thesis|project)(?:\s+(?:on|about)\s+(?P<topic>[^,?.!]{1,40}))?\s*,\s*"
    rf"|^[^,?.!]{{0,40}}?\bfor\s+{_FOR_WHOM}\s+(?:[\w'-]+\s+){{0,2}}?(?:{_SLIDES}|"
    r"teaching session|essay)\s*,\s*"
    # "For the reference list in a board paper I need the launch date": what it is for
    r"|^\s*for\s+(?:the|a|an|my|our)\s+(?:reference list|references|bibliography|minutes|"
    r"records?|notes)\b(?:\s+(?:in|of|for)\s+(?:a|an|the|my|our)\s+(?:[\w'-]+\s+){0,2}?"
    r"(?:paper|report|essay|slides?|deck|presentation|newsletter|briefing))?\s*,?\s*"
    r"(?=(?:i|we)\s+(?:need|want|would like)\b)"
    # "For a slide I'm building for the regional team: who wrote …?"
    rf"|^\s*for\s+{_FOR_WHOM}\s+(?:[\w'-]+\s+){{0,2}}?(?:{_SLIDES}|teaching session|essay|"
    r"briefing|paper|report|newsletter)\s+(?:(?:i'?m|we'?re|i am|we are)\s+)?(?:building|doing|"
    r"making|prepping|preparing|writing|drafting|putting together)\b[^,:?.!]{0,40}[,:]\s*",
    re.IGNORECASE,
)
# "… number at end of sept for the recovery board slides": the slides it will go on, no comma
_FOR_SLIDES = re.compile(
    # "… a systematic review in our teaching slides", "… in my dissertation"
    rf"\s+(?:for|in|on)\s+{_FOR_WHOM}\s+(?:[\w'-]+\s+){{0,2}}?(?:{_SLIDES}|dissertation|thesis|"
    r"essay|assignment|write-?ups?)\b"
    # "… for a team away day slide, can you list them?": up to the ask that follows its comma
    r"(?:\s+[\w'-]+){0,3}\s*(?=[?.!]|,\s*(?:can|could|would|will|pls|please)\b|$)"
    # "… as printed on the documents for the reference list in our team's training pack", "the
    # exact publication details for our disclosure log": the record or pack it goes in
    # ("It's for a reference list." is a purpose of its own, left whole)
    rf"|(?<!'s)(?<!\bits)(?<!\bis)\s+for\s+{_FOR_WHOM}\s+(?:[\w'-]+\s+){{0,2}}?"
    r"(?:reference list|references|bibliography|"
    r"disclosure log|log|training pack|induction pack|pack|handout|portfolio|course notes)\b"
    r"(?:\s+(?:in|for|of|on)\s+(?:a|an|the|my|our)\s+(?:[\w'-]+\s+){0,3}?[\w'-]+)?\s*(?=[?.!]|$)",
    re.IGNORECASE,
)
# "what constructive comfort told national bodies to do, someone quoted it at our ICS meeting and I
# nodded along": what happened to the asker, told after the ask
_TRAILING_STORY = re.compile(
    r",\s*(?:(?:and|but|as|cos|because)\s+)?(?:someone|somebody|a colleague|my \w+|our \w+|"
    r"they|people|everyone)\s+(?:\w+\s+)?(?:quoted|mentioned|said|brought|raised|cited|used|"
    r"referenced|kept|asked|told)\b[^?]*$",
    re.IGNORECASE,
)


def without_leading_purpose(text: str) -> str:
    """``text`` without what the asker is making, said before the ask.

    "doing my MSc assignment on NHS change mgmt, who wrote constructive comfort?" asks who wrote
    the report; but in "doing a presentation on the virtual ward, who leads it?" the ask's "it"
    is the topic of the presentation, which is kept.
    """
    found = _LEADING_PURPOSE.match(text)
    if found is None:
        return text
    rest = text[found.end() :]
    topic = found.group("topic")
    ask = re.split(r"[?.!]", rest, maxsplit=1)[0]
    return f"{topic}, {rest}" if topic and _POINTS_BACK.search(ask) else rest


# "… can someone confirm before i quote it at exec board": when the asker will use the answer
_BEFORE_USE = re.compile(
    r"\s+before\s+(?:it|this|that|the\s+\w+)\s+(?:goes|is\s+sent|gets\s+sent|goes\s+out)\b"
    r"(?:\s+(?:out|tonight|today|tomorrow|later))*"
    r"|\s+before\s+(?:i|we)\s+(?:quote|use|cite|present|share|put|send|wave|show)\b[^?.!:,]*?"
    # "Before I quote this report to our board I'd like to know …": up to where the ask begins
    r"(?:[:,]|(?=[?.!]|\s+(?:i'?d|i'?m|i|we|we'?d|can|could|what|who|which|how|when|where|was|"
    r"were|did|does|do|is|are)\b)|$)",
    re.IGNORECASE,
)


def _without_purpose(text: str) -> str:
    """``text`` without what the answer is for (slides, a board paper) or a story told after it."""
    text = _TRAILING_PURPOSE.sub("", text)
    text = _BEFORE_USE.sub("", text)
    text = _FOR_SLIDES.sub("", text)
    text = _TRAILING_STORY.sub("", text)
    return without_leading_purpose(text)


# "crew at kingsmead asking when the weekly huddle is, anyone know": an ask reported in passing

EMBEDDED_ASK = re.compile(
    r"\b(?:asking|wondering|want(?:s|ed)? to know|need(?:s)? to know|keen to know|"
    # "staff side asked me who the guardian is" (not "asked me if I could lead it")
    r"asked(?=\s+(?:me|us)\s+(?:who|what|when|where|which|how)\b)|"
    # "pt ringing to ask what time to come in"
    r"(?:ringing|calling|phoning|rang|called|emailing|emailed|messaging|messaged|texting|texted|"
    r"writing|wrote)\s+(?:in\s+|up\s+)?to\s+ask|"
    r"(?:does )?any(?:one|body) know)\s+"
    # "pts keep asking me which evenings …": who was asked is not the ask
    r"(?:(?:me|us|him|her|them)\s+)?"
    # "pt asking can they just rock up for bloods …": the ask reported as its question
    r"(?P<ask>(?:when|who|what|where|which|how|whether|if|(?:can|could|do|does|should|is|are)"
    r"\s+(?:they|she|he|i|we|you|it|her|his|their|the)\b)\b.*)$",
    re.IGNORECASE,
)


# "board keep asking if it avoids admissions and we cant get LOS out of systmone": after the
# reported ask, the asker's own trouble; the message tells a story, it does not ask
OWN_TROUBLE = re.compile(
    r"\b(?:and|but)\s+(?:we|i)\s+(?:still\s+)?(?:can'?t|cant|cannot|couldn'?t|don'?t|dont|"
    r"haven'?t|havent|have no|got no|struggle|are struggling|'re struggling)\b",
    re.IGNORECASE,
)


_REPORTED_WH_ASK = re.compile(
    r"\b(?:asking|wondering|want(?:s|ed)? to know|need(?:s)? to know|(?:ringing|calling|"
    r"phoning|rang|called)\s+(?:in\s+|up\s+)?to\s+ask)\s+(?:(?:me|us|him|her|them)\s+)?"
    r"(?:when|who|what|where|which|how)\b",
    re.IGNORECASE,
)


def _parts(text: str) -> list[str]:
    return [p.strip() for p in _PARTS.split(text.strip()) if p.strip()]


# "if I ring the line at 3am on a sunday who actually picks up", "once consent's sorted whats the
# next step": the case, then the ask
_CASE_THEN_ASK = re.compile(
    r"^\s*(?:if|once|after)\s+[^?.!]{3,100}?\s(?P<ask>(?:who|where|which|what|whats|what's|how|"
    r"when|whens|when's)"
    r"\s+\w+\s+\w+[^.!]*)$",
    re.IGNORECASE,
)


def case_then_ask(part: str) -> str | None:
    """The ask of a sentence that first sets out the case it is about, or None."""
    found = _CASE_THEN_ASK.match(asked_part(part))
    return found["ask"] if found else None


def worded_as_ask(part: str) -> bool:
    """Whether a sentence starts as an ask does ("what …", "can you …", "list …"), role aside.

    So does one that sets out its case first ("if I ring at 3am who picks up").
    """
    return bool(_ASKS.match(asked_part(part)) or case_then_ask(part))


def _asks(part: str) -> bool:
    """Whether a sentence of a message asks (a question mark, or worded as an ask)."""
    return part.endswith("?") or worded_as_ask(part)


# "putting CC in the refs for a meds optimisation business case, who are the authors?": what the
# asker is doing, then the ask after a comma; "the scan on barriers, who wrote it …": a topic
_COMMA_ASK = re.compile(
    r"^(?P<before>[^?]{3,}?),\s+(?P<ask>(?:and\s+)?(?:who|whos|what|whats|when|where|which|how|why|"
    r"is|are|does|do|did|can|could)\b[^,]*)$",
    re.IGNORECASE,
)
_DOING = re.compile(
    r"\b\w{3,}ing\b.*\bfor\s+(?:a|an|my|our|the|some)\b"
    # "For the minutes of our quality committee, could you confirm …": what the answer is for;
    # "If I wanted to get in touch with the people who ran this, who were …": the asker's case
    r"|^\s*(?:for|ahead\s+of|before)\s+(?:the|a|an|my|our|this|next|tomorrow'?s|tmrw'?s)\s+"
    r"(?:[\w'-]+\s+)?(?:minutes|record|records|notes|meeting|committee|board|paper|report|slides?|"
    r"presentation|write-?up|essay|assignment|newsletter|briefing|bulletin|agenda|induction)\b"
    r"|^\s*if\s+(?:i|we|you|someone|anyone)\b"
    # "new to the transformation committee, could you …": who the asker is, newly
    r"|^\s*(?:(?:i'?m|i\s+am|we'?re)\s+)?(?:new|brand\s+new|just\s+started|just\s+joined|"
    r"recently\s+joined)\s+(?:to|on|in|at)\b",
    re.IGNORECASE,
)
_IF_CASE = re.compile(r"^\s*if\s+(?:i|we|you|someone|anyone)\b[^?]*$", re.IGNORECASE)
# the documents and their publisher by name: kept when the scene they are named in is dropped,
# and where a count is asked about, not what is counted (``quantities``)
DOCUMENT_TERMS = frozenset(
    terms("supplement evidence scan constructive comfort main report health foundation mckinsey")
)


def _without_scene(part: str) -> str:
    """An asking part without what the asker is doing before its comma, bar documents' names.

    An ask reported ("gp surgery on the phone asking how quickly we have to get back to them on
    a P2 referral?") is what it asks, not who asked it.
    """
    reported = EMBEDDED_ASK.search(part)
    if reported is not None and len(topical_terms(reported["ask"])) >= MIN_ASKED_TERMS:
        part = reported["ask"]
    found = _COMMA_ASK.match(part)
    if found is None or not _DOING.search(found["before"]):
        return part
    # "If I wanted to reach the people who ran it, who …": a case's relative clause is no ask
    if _asks(found["before"]) and not _IF_CASE.match(found["before"]):
        return part
    named = [w for w in found["before"].split() if stem(w.lower()) in DOCUMENT_TERMS]
    return " ".join([found["ask"], *named])


_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|i've|my|we|we're|our)\b", re.IGNORECASE)


def _asking(asked: list[str]) -> list[str]:
    """The parts that ask, without the asker's story that only ends in a question mark.

    "whats the trigger? one of my porters is on 96, i dont think hes hit it yet?": beside a
    question worded as one, the second part tells; a word or two with a question mark is a
    guess at the answer.
    """
    worded = [p for p in asked if worded_as_ask(p)]
    if not worded:
        return asked
    # "what was the supplement based on? surveys? case notes?": guesses offered, not asks
    return [
        p
        for p in asked
        if p in worded or not (_FIRST_PERSON.search(p) or len(p.split()) <= MAX_GUESS_WORDS)
    ]


_EDGES = ",.;:!?'\"()*"
_MAKER_OR_DATE = re.compile(
    r"^\W*(?:who|when|what year)\b(?:\s+\w+){0,2}?\s+(?:wrote|written|write|made|make|"
    r"publish\w*|produced|launch\w*|came out|come out|release\w*|authored|authors?)\b",
    re.IGNORECASE,
)
_POINTS_BACK = re.compile(r"\b(?:it|its|they|them|this|that|these|those)\b", re.IGNORECASE)


def without_purpose(text: str) -> str:
    """``text`` without what the answer is for, said in its own sentence or clause.

    "is the evidence scan a systematic review? need to know how much weight to put on it": the
    second sentence says why it is asked, and its "know" matched a contents page's "What do we
    already know?" better than the answer.
    """
    text = _without_purpose(text)
    parts = _parts(text)
    kept = [p for p in parts if not _PURPOSE.search(p)]
    return " ".join(kept) if kept and len(kept) < len(parts) else text


def asked_focus(text: str) -> str:
    """The sentences that ask, without those that only set the scene.

    In "GP partner here. What barriers did the evidence scan find? A few examples is fine" the
    first and last parts say who asks and how; what the answer must be about is in the middle.
    A part that asks after a comma ("the scan on barriers, who wrote it …") asks, and what the
    asker is doing before that comma ("putting CC in the refs for a … business case, who are
    the authors?") is scene, bar the documents it names. A question with too few terms of its
    own ("Is that right?") keeps the whole message.
    """
    text = _without_purpose(text)
    parts = _parts(text)
    kept = [p for p in parts if not _PURPOSE.search(p)] or parts
    whole = text if len(kept) == len(parts) else " ".join(kept)
    asked = _asking([p for p in kept if _asks(p) or _COMMA_ASK.match(p)])
    if not asked:
        # "Board member here. I need to know what it was based on": who asks is still no topic
        rest = [p for p in kept if not _ROLE_ONLY.match(p)]
        return " ".join(rest) if rest and len(rest) < len(kept) else whole
    focus = " ".join(_without_scene(p) for p in asked)
    if len(asked) == len(kept) and focus == " ".join(asked):
        return whole
    if len(topical_terms(focus)) >= MIN_ASKED_TERMS:
        return focus
    # "my lecturer said CC was a King's Fund report?? who actually wrote it and when did it come
    # out": the question's "it" is in the sentence just before it
    first = kept.index(asked[0]) if asked[0] in kept else 0
    before = kept[first - 1] if first > 0 else ""
    if before and not _ROLE_ONLY.match(before) and not _asks(before):
        # "presenting to the board tmrw on constructive comfort - who actually wrote it??", "need
        # to reference constructive comfort properly in a board paper - who are the authors?":
        # who made it, or when, asks of the document the scene names, not of the scene
        named = [w for w in before.split() if stem(w.lower().strip(_EDGES)) in DOCUMENT_TERMS]
        if named and _MAKER_OR_DATE.match(asked_part(focus)):
            return " ".join([focus, *named])
    if before and _POINTS_BACK.search(focus) and not _ROLE_ONLY.match(before):
        with_before = f"{before} {focus}"
        if len(topical_terms(with_before)) >= MIN_ASKED_TERMS:
            return with_before
    # "Practice nurse in Cardiff. Is the report only relevant to England?": the question is
    # short, but the part that only says who asks is still not what it asks about
    told = [p for p in parts if _ROLE_ONLY.match(p)]
    return " ".join(p for p in parts if p not in told) if told and len(told) < len(parts) else whole


# a phrase half-remembered: "something like 'a culture that welcomes change'", "'poke
# organisations' or something", "'fighting too many wars at once' or similar"
_INSIDE = r"(?:[^'\"‘’“”]|(?<=\w)['’](?=\w)){2,80}"
_HALF_REMEMBERED = re.compile(
    rf"\b(?:something like|summat like|along the lines of|words like|a line (?:about|like))\s+"
    rf"['\"‘“](?P<before>{_INSIDE})['\"’”]"
    rf"|['\"‘“](?P<after>{_INSIDE})['\"’”]\s*,?\s*(?:or something|or similar|or whatever|"
    rf"or words to that effect)",
    re.IGNORECASE,
)


def half_remembered(text: str) -> set[str]:
    """Terms of a phrase the asker only half remembers: a recollection checked, not the topic."""
    found: set[str] = set()
    for match in _HALF_REMEMBERED.finditer(text):
        found.update(terms(match.group("before") or match.group("after") or ""))
    return found


SCENE_CLAUSE_WORDS = 4  # "we've got a new HCA starting on the 1st, how do i …": a scene


def _scene_then_ask(part: str) -> list[str]:
    """A sentence cut where its ask starts after a comma, when what comes before it tells."""
    found = _COMMA_ASK.match(part)
    if found is None or len(found["before"].split()) < SCENE_CLAUSE_WORDS:
        return [part]
    if _asks(found["before"]) or _WANTS.match(found["before"]):
        return [part]  # "need our cat 2 mean for october, what's it showing?" asks it all
    return [found["before"] + ".", found["ask"]]


_WANTS = re.compile(
    r"^\s*(?:(?:i|we)\s+)?(?:just\s+|really\s+)?(?:need|needs|want|wanted|looking for|after|"
    r"chasing)\b",
    re.IGNORECASE,
)


def told_only(text: str) -> set[str]:
    """Topical terms of the sentences that only tell the story, not of those that ask.

    "mum asking if she can refer her 16 yr old … isolated since leaving school. can i do it or is
    there somewhere else?": "mum", "school" set the scene for what is asked.
    """
    parts = [piece for p in _parts(_without_purpose(text)) for piece in _scene_then_ask(p)]
    asked = _asking([p for p in parts if _asks(p)])
    if len(topical_terms(" ".join(asked))) < MIN_ASKED_TERMS:
        # "carer asking what the opening hours are for the … clinic - anyone know?": the ask
        # reported in passing is what "anyone know?" asks (not "mum asking if she can …")
        asked += [p for p in parts if p not in asked and _REPORTED_WH_ASK.search(p)]
    if not asked or len(asked) == len(parts):
        return set()
    told = [p for p in parts if p not in asked]
    return set(topical_terms(" ".join(told))) - set(topical_terms(" ".join(asked)))


# "how do i refer him without emis", "can i close it if she sounds sensible", "once it shuts at
# night who answers": what the asker lacks, or the case they describe, not what the document must
# hold
_CONDITION = re.compile(
    r"\b(?:without|other than|apart from|instead of|except|if|unless|once)\s+(?P<clause>[^,;?.!]+?)"
    r"(?=\s+(?:or|and|but)\b|[,;?.!]|$)",
    re.IGNORECASE,
)


def _matched_terms(pattern: re.Pattern[str], group: str, text: str) -> set[str]:
    """The topical terms of ``group`` in every match of ``pattern`` in ``text``."""
    return {t for match in pattern.finditer(text) for t in topical_terms(match[group])}


def conditions(text: str) -> set[str]:
    """Terms of the clauses that set a condition or say what is lacking ("without emis")."""
    return _matched_terms(_CONDITION, "clause", text)


_NAMED = re.compile(r"(?<![.!?]\s)(?<!^)\b(?:[A-Z][a-z]+[A-Za-z]*|[A-Z]{2,}[a-z]?)\b")


def named_terms(text: str) -> set[str]:
    """Terms written as names or acronyms inside a sentence ("Brexit", "Lord Carter", "AI").

    A word the guidance never uses, written as a name, is what the question is about: it is the
    topic, not the asker's way of putting it. The first word of a sentence and "I" are not names.
    """
    found: set[str] = set()
    for sentence in _PARTS.split(text.strip()):
        for match in _NAMED.finditer(sentence.strip()):
            found.update(terms(match.group(0)))
    # "around at weekends?" is spelt out "on Saturday and Sunday": a day is written with a
    # capital, not as a name
    return found - DAY_TERMS


DAY_TERMS = frozenset(terms("Monday Tuesday Wednesday Thursday Friday Saturday Sunday"))


_ABOUT = re.compile(
    # "does constructive comfort have a case study on salford royal?": what the case is of
    r"\b(?:about|regarding|concerning|case\s+stud(?:y|ies)\s+(?:on|of|from|at)"
    # "does the report give guidance on co-producing change with patients?": what it is on
    r"|(?:give|gives|offer|offers|have|has|contain|contains|include|includes)\s+(?:any\s+)?"
    r"(?:guidance|a\s+section|a\s+chapter|a\s+model)\s+on)\s+"
    r"(?P<topic>[^?.!;]+)",
    re.IGNORECASE,
)


def about_terms(text: str) -> set[str]:
    """The topical terms of what a question says it is about ("… say about reaching net zero")."""
    return _matched_terms(_ABOUT, "topic", text)


# "the lymphoedema clinic at the day centre", "the frailty service": the word that names which
# service is asked about
_SERVICE_NAMED = re.compile(
    r"\b(?P<which>[a-z][\w-]{3,})\s+(?:clinics?|services?|teams?|units?|lines?|groups?|wards?|"
    r"hubs?|pathways?|programmes?|schemes?|rotas?"
    # "a uniform allowance", "the parking permit": which allowance or permit is asked about
    r"|allowances?|payments?|grants?|permits?|policy|policies|courses?)\b",
    re.IGNORECASE,
)


# "whats our DNA rate (at westbury)?": the signer's place that ``respond`` puts after an ask
# for "our" figure (not any "at …": "open at weekends" is spelt out "Saturday and Sunday")
_PLACE_ASKED = re.compile(r"\(at (?P<place>[^()]+)\)\s*\??\s*$", re.IGNORECASE)


def place_terms(text: str) -> set[str]:
    """The terms of the signer's place an ask for "our" figure is about ("… (at westbury)?")."""
    return _matched_terms(_PLACE_ASKED, "place", text)


def service_terms(text: str) -> set[str]:
    """The terms naming which clinic, service, team, allowance or policy a question asks about."""
    return _matched_terms(_SERVICE_NAMED, "which", text)


def topical_terms(text: str) -> list[str]:
    """The question's content terms, without generic, framing and clipped function words."""
    found = []
    for term in terms(asked_part(text)):
        term = term.rstrip("'")
        if term and term not in STOPWORDS and term not in GENERIC_TERMS:
            if term not in FRAME_TERMS and not _ORDINAL.match(term):  # "(1st year, sorry)"
                found.append(term)
    return list(dict.fromkeys(found))


# past forms the light stemmer cannot reach: "how much have we spent?" of a document's "Spend"
_IRREGULAR = {
    "spent": "spend",
    "paid": "pay",
    "bought": "buy",
    "sold": "sell",
    "taught": "teach",
    "age": "aged",  # "is there an age limit?" of "adults aged 18 and over"
    # "is it purely an English NHS thing?" of a passage on England
    "english": "england",
    "scottish": "scotland",
    "welsh": "wales",
}


# a table's "> 65 wks" column counts the weeks "65-week waits" are asked in
_UNIT_SHORT = {
    unit: {short for short, word in _UNITS.items() if word == written}
    for written in set(_UNITS.values())
    for unit in {*terms(written), *terms(f"{written}s")}
}
_UNIT_SPELLINGS = {
    **_UNIT_SHORT,
    **{
        short: {unit for unit, shorts in _UNIT_SHORT.items() if short in shorts}
        for shorts in _UNIT_SHORT.values()
        for short in shorts
    },
}


def _variants(term: str) -> set[str]:
    """Spellings the light stemmer may have given the same word elsewhere (body/bodi)."""
    out = {term, _IRREGULAR.get(term, term), *_UNIT_SPELLINGS.get(term, ())}
    if len(term) >= MIN_FUZZY - 1 and term.endswith("y"):
        out.add(term[:-1] + "i")
    if len(term) >= MIN_FUZZY:
        out |= {term.rstrip("e"), term + "e"}
    return out


def same_word(a: str, b: str) -> bool:
    """Two stemmed terms that are plausibly one word (analyse/analys, recommend/recommendation)."""
    if a == b:
        return True
    if min(len(a), len(b)) < MIN_FUZZY - 1:
        return False
    short, long_ = sorted((a, b), key=len)
    limit = MAX_SUFFIX if len(short) >= MIN_FUZZY else 2
    return long_.startswith(short) and len(long_) - len(short) <= limit


def known_term(term: str, vocabulary: Mapping[str, float]) -> bool:
    """Whether the corpus has ``term`` in some close spelling; figures by their digits.

    "covid-19" is unknown even though "19" is known: every lettered part must be known.
    """
    if any(v in vocabulary for v in _variants(term)):
        return True
    if len(term) >= 2 and (
        term + "s" in vocabulary or (term[-1] == "s" and term[:-1] in vocabulary)
    ):
        return True  # the stemmer keeps short plurals: "DCA" where the document says "DCAs"
    # "capability-to-execute-change": the joining words are never indexed, the others must be
    pieces = re.split(r"[-/]", term)
    parts = [p for p in pieces if p and p not in STOPWORDS]
    if len(pieces) > 1 and parts:  # "was-not-brought": its words that are not joining ones
        return all(known_term(stem(p), vocabulary) for p in parts)
    if any(ch.isdigit() for ch in term):  # single digits are never indexed as terms
        digits = re.findall(r"\d+", term)
        return all(len(d) == 1 or d in vocabulary for d in digits) and term.isascii()
    if len(term) < MIN_FUZZY:
        return False
    head = term[: MIN_FUZZY - 1]
    if any(v.startswith(head) and same_word(term, v) for v in vocabulary):
        return True
    # a slip of the keyboard in a longer word ("recomend", "managment")
    return len(term) >= MIN_TYPO and any(
        v[0] == term[0] and abs(len(v) - len(term)) <= 1 and one_edit(term, v) for v in vocabulary
    )


def one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by inserting, deleting or changing one letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) > len(b):
        a, b = b, a
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return a[i + 1 :] == b[i + 1 :] if len(a) == len(b) else a[i:] == b[i + 1 :]
    return True


def contains_term(term: str, bag: Iterable[str]) -> bool:
    """Whether ``term`` (or a close spelling of it) is among the terms in ``bag``."""
    variants = _variants(term)
    if any(t in variants or same_word(term, t) for t in bag):
        return True
    pieces = re.split(r"[-/]", term)
    parts = [p for p in pieces if p and p not in STOPWORDS]
    if len(pieces) > 1 and parts:  # "capability-to-execute-change" is found where its words are
        return all(contains_term(stem(p), bag) for p in parts)
    return len(term) >= MIN_TYPO and any(t[:1] == term[:1] and one_edit(term, t) for t in bag)


def weighted_share(
    wanted: list[str], bag: set[str], idf: Mapping[str, float], default: float
) -> float:
    """Share of ``wanted`` (weighted by rarity) found in ``bag``; 1.0 when nothing is wanted."""
    if not wanted:
        return 1.0
    weights = {t: idf.get(t, default) for t in wanted}
    hit = sum(w for t, w in weights.items() if t in bag or contains_term(t, bag))
    return hit / (sum(weights.values()) or 1.0)


@dataclass(frozen=True)
class Sides:
    """The two things a comparison asks about, as their topical terms."""

    first: list[str]
    second: list[str]
    first_text: str = ""
    second_text: str = ""


_SIDES = (
    re.compile(r"\bdifferen\w* between (?P<a>.+?) and (?P<b>.+)", re.I),
    re.compile(
        r"\b(?:is|are|does|do)\s+(?P<a>.+?)\s+(?:differ\w*|compare\w*|contrast\w*)\s+"
        r"(?:from|to|with)\s+(?P<b>.+)",
        re.I,
    ),
    re.compile(r"\bcompar\w*\s+(?P<a>.+?)\s+(?:and|with|to)\s+(?P<b>.+)", re.I),
    re.compile(
        r"\b(?:is|are)\s+(?P<a>.+?)\s+(?:the same(?: thing)?|similar) (?:as|to)\s+(?P<b>.+)", re.I
    ),
    re.compile(r"(?P<a>.+?)\s+(?:vs\.?|versus|compared (?:to|with)|unlike)\s+(?P<b>.+)", re.I),
    re.compile(r"(?P<a>.+?)\s+(?:differ\w*)\s+(?:from|to)\s+(?P<b>.+)", re.I),
)


def compared_sides(text: str) -> Sides | None:
    """The two things compared in ``text`` ("how is X different from Y?"), or None."""
    asked = asked_part(text)
    for pattern in _SIDES:
        match = pattern.search(asked)
        if match:
            first, second = topical_terms(match["a"]), topical_terms(match["b"])
            if first and second:
                return Sides(first, second, match["a"].strip(), match["b"].strip(" ?.!"))
    return None
